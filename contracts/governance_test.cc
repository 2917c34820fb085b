// institution.add / institution.remove (governance) and member.add / member.revoke (the admin key).
// The test genesis registers 6 institutions: 5 signatures are a quorum (15 > 12), 4 are not.
#include "contracts/governance.h"

#include <gtest/gtest.h>

#include "contracts/contracts_test_support.h"

namespace joet {
namespace {

using namespace joet::testing;  // NOLINT

const std::vector<std::string_view> kFive = {kCourt, kRvdk, kMunicipality, kGi, kOtherGi};
const int64_t kT = utc_ms(2026, 3, 20, 9);

v1::SignedTx add(Chain& chain, std::string id, std::string role, std::vector<std::string_view> signers = kFive) {
  const std::string seed = id;
  return chain.multi_tx(signers, "institution.add",
                        {text("institution", std::move(id)), text("role", std::move(role)), key_arg("admin_key", seed)});
}
v1::SignedTx remove(Chain& chain, std::string id, std::vector<std::string_view> signers = kFive) {
  return chain.multi_tx(signers, "institution.remove", {text("institution", std::move(id))});
}
uint64_t institution_count(const Chain& chain) {
  ContractState state(chain.store);
  return state.get_u64(state_keys::institution_count()).value();
}

TEST(InstitutionAdd, ANewCourtSignsFromTheNextTxAndEveryInstitutionHearsOfIt) {
  Chain chain;
  ASSERT_TRUE(chain.run_one(kT, add(chain, "rb-utrecht", "COURT")).ok);
  EXPECT_EQ(institution_count(chain), 7u);
  EXPECT_EQ(Chain::recipients(chain.of_kind("INSTITUTION_ADDED")),
            (std::vector<std::string>{"gem-amsterdam", "gi-jbra", "gi-wsg", "igj", "rb-amsterdam", "rb-utrecht", "rvdk"}));
  auto open = chain.tx("rb-utrecht", "case.open",
                       {text("case", "case-009"), text("majority_date", "2035-01-01"),
                        text("municipality", std::string(kMunicipality)), text("rvdk", std::string(kRvdk))});
  EXPECT_TRUE(chain.run_one(kT, open).ok);
}

TEST(InstitutionAdd, RefusesAnExistingIdAKeyThatSignsElsewhereAndBadArgs) {
  Chain chain;
  EXPECT_EQ(chain.run_one(kT, add(chain, std::string(kGi), "GI")).code, "DUPLICATE");
  auto taken = chain.multi_tx(kFive, "institution.add",
                              {text("institution", "gi-new"), text("role", "GI"), key_arg("admin_key", kRvdk)});
  EXPECT_EQ(chain.run_one(kT, taken).code, "DUPLICATE");
  EXPECT_EQ(chain.run_one(kT, add(chain, "gi-new", "PARENT")).code, "BAD_FIELD");
  auto no_key = chain.multi_tx(kFive, "institution.add", {text("institution", "gi-new"), text("role", "GI")});
  EXPECT_EQ(chain.run_one(kT, no_key).code, "BAD_FIELD");
  EXPECT_EQ(institution_count(chain), 6u);
}

TEST(InstitutionAdd, TheQuorumGrowsWithTheRegistry) {
  Chain chain;
  ASSERT_TRUE(chain.run_one(kT, add(chain, "gi-new", "GI")).ok);
  // 7 registered: 4 signatures are no quorum (12 <= 14), 5 are (15 > 14).
  EXPECT_EQ(chain.run_one(kT, add(chain, "gi-4", "GI", {kCourt, kRvdk, kMunicipality, kGi})).code, "NOT_AUTHORIZED");
  EXPECT_TRUE(chain.run_one(kT, add(chain, "gi-5", "GI")).ok);
}

TEST(InstitutionRemove, TheRemovedInstitutionsKeysStopSigningAndTheQuorumShrinks) {
  Chain chain;
  ASSERT_TRUE(chain.run_one(kT, remove(chain, std::string(kAuditor))).ok);
  EXPECT_EQ(institution_count(chain), 5u);
  EXPECT_EQ(chain.of_kind("INSTITUTION_REMOVED").size(), 6u);  // the removed one included
  EXPECT_EQ(chain.run_one(kT, chain.tx(kAuditor, "notification.ack", {integer("seq", 1)})).code, "NOT_AUTHORIZED");
  // 5 registered: 4 signatures are a quorum (12 > 10).
  EXPECT_TRUE(chain.run_one(kT, add(chain, "igj-2", "AUDITOR", {kCourt, kRvdk, kMunicipality, kGi})).ok);
}

TEST(InstitutionRemove, ARemovedIdIsNeverReused) {
  Chain chain;
  ASSERT_TRUE(chain.run_one(kT, remove(chain, std::string(kAuditor))).ok);
  auto again = chain.multi_tx({kCourt, kRvdk, kMunicipality, kGi}, "institution.add",
                              {text("institution", std::string(kAuditor)), text("role", "AUDITOR"),
                               key_arg("admin_key", "igj-new-key")});
  EXPECT_EQ(chain.run_one(kT, again).code, "DUPLICATE");
}

TEST(InstitutionRemove, RefusesAnUnknownInstitutionAndTheLastCourt) {
  Chain chain;
  EXPECT_EQ(chain.run_one(kT, remove(chain, "rb-nowhere")).code, "INSTITUTION_UNKNOWN");
  auto last = chain.run(kT, {remove(chain, std::string(kCourt))});
  EXPECT_EQ(last.results.at(0).code, "LAST_COURT");
  EXPECT_TRUE(last.writes.empty());
}

TEST(InstitutionRemove, ACourtAddedInTheSameBlockLetsTheOldCourtGo) {
  Chain chain;
  auto out = chain.run(kT, {add(chain, "rb-utrecht", "COURT"), remove(chain, std::string(kCourt))});
  EXPECT_TRUE(out.results.at(0).ok);
  EXPECT_TRUE(out.results.at(1).ok) << out.results.at(1).code;
  EXPECT_EQ(chain.run_one(kT, remove(chain, "rb-utrecht", {"rb-utrecht", kRvdk, kMunicipality, kGi, kOtherGi})).code,
            "LAST_COURT");
}

TEST(InstitutionRemove, RefusesTheGiOfARunningMeasureButNotAnotherGi) {
  Chain chain;
  chain.grant_standard_ots();
  EXPECT_EQ(chain.run_one(kT, remove(chain, std::string(kGi))).code, "GI_HAS_RUNNING_MEASURE");
  EXPECT_TRUE(chain.run_one(kT, remove(chain, std::string(kOtherGi))).ok);
}

TEST(MemberAdd, TheAdminAddsAKeyThatSignsForTheInstitutionUntilRevoked) {
  Chain chain;
  chain.grant_standard_ots();
  ASSERT_TRUE(chain.run_one(kT, chain.tx(kGi, "member.add", {key_arg("key", "gi-jbra-2")})).ok);
  EXPECT_EQ(chain.of_kind("MEMBER_ADDED").size(), 1u);
  const std::vector<v1::Arg> progress = {text("case", "case-001"), hash_arg("document", "p")};
  EXPECT_TRUE(chain.run_one(kT, chain.tx("gi-jbra-2", "gi.progress", progress)).ok);
  // A member that is not the admin manages no members.
  EXPECT_EQ(chain.run_one(kT, chain.tx("gi-jbra-2", "member.add", {key_arg("key", "gi-jbra-3")})).code,
            "NOT_AUTHORIZED");
  EXPECT_EQ(chain.run_one(kT, chain.tx("gi-jbra-2", "member.revoke", {key_arg("key", "gi-jbra-2")})).code,
            "NOT_AUTHORIZED");
  ASSERT_TRUE(chain.run_one(kT, chain.tx(kGi, "member.revoke", {key_arg("key", "gi-jbra-2")})).ok);
  EXPECT_EQ(chain.run_one(kT, chain.tx("gi-jbra-2", "gi.progress", progress)).code, "NOT_AUTHORIZED");
}

TEST(MemberAdd, AKeySignsForOneInstitutionOnly) {
  Chain chain;
  EXPECT_EQ(chain.run_one(kT, chain.tx(kGi, "member.add", {key_arg("key", kRvdk)})).code, "DUPLICATE");
  ASSERT_TRUE(chain.run_one(kT, chain.tx(kGi, "member.add", {key_arg("key", "shared")})).ok);
  EXPECT_EQ(chain.run_one(kT, chain.tx(kGi, "member.add", {key_arg("key", "shared")})).code, "DUPLICATE");
  EXPECT_EQ(chain.run_one(kT, chain.tx(kRvdk, "member.add", {key_arg("key", "shared")})).code, "DUPLICATE");
}

TEST(MemberRevoke, RefusesTheAdminKeyAndAKeyOfAnotherInstitution) {
  Chain chain;
  EXPECT_EQ(chain.run_one(kT, chain.tx(kGi, "member.revoke", {key_arg("key", kGi)})).code, "ADMIN_KEY");
  EXPECT_EQ(chain.run_one(kT, chain.tx(kGi, "member.revoke", {key_arg("key", kRvdk)})).code, "BAD_FIELD");
  EXPECT_EQ(chain.run_one(kT, chain.tx(kGi, "member.revoke", {key_arg("key", "nobody")})).code, "BAD_FIELD");
}

TEST(MemberAdd, TheGenesisAdminStaysAdminWhenASmallerKeyJoins) {
  Chain chain;
  const Hash32 admin = PrivateKey::from_test_seed(kGi).public_key().bytes();
  std::string smaller;
  for (int i = 0; smaller.empty() && i < 1000; ++i) {
    const std::string seed = "k-" + std::to_string(i);
    if (PrivateKey::from_test_seed(seed).public_key().bytes() < admin) smaller = seed;
  }
  ASSERT_FALSE(smaller.empty());
  ASSERT_TRUE(chain.run_one(kT, chain.tx(kGi, "member.add", {key_arg("key", smaller)})).ok);
  EXPECT_EQ(chain.run_one(kT, chain.tx(smaller, "member.add", {key_arg("key", "x")})).code, "NOT_AUTHORIZED");
  EXPECT_TRUE(chain.run_one(kT, chain.tx(kGi, "member.revoke", {key_arg("key", smaller)})).ok);
}

TEST(MemberAdd, AnAddedInstitutionsAdminManagesItsMembersAndRemovalDropsThemAll) {
  Chain chain;
  ASSERT_TRUE(chain.run_one(kT, add(chain, "gi-new", "GI")).ok);
  ASSERT_TRUE(chain.run_one(kT, chain.tx("gi-new", "member.add", {key_arg("key", "gi-new-2")})).ok);
  ASSERT_TRUE(chain.run_one(kT, remove(chain, "gi-new")).ok);
  EXPECT_EQ(chain.run_one(kT, chain.tx("gi-new-2", "notification.ack", {integer("seq", 1)})).code, "NOT_AUTHORIZED");
  EXPECT_EQ(chain.run_one(kT, chain.tx("gi-new", "notification.ack", {integer("seq", 1)})).code, "NOT_AUTHORIZED");
}

}  // namespace
}  // namespace joet
