#include "node/home/genesis_assembly.h"

#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "node/home/genesis.h"

namespace joet::home {
namespace {

PublicKey key(const std::string& name) { return PrivateKey::from_test_seed(name).public_key(); }

constexpr const char* kTime = "2026-03-01T09:00:00Z";

PartFile part(const std::string& id, cv1::Role role, const std::string& address = "") {
  return {id + ".json", {{id, role, {key(id + "-member")}}, key(id + "-validator"), address}};
}

std::vector<PartFile> four() {
  return {part("rvdk", cv1::RVDK, "10.0.0.2:26656"), part("rb-amsterdam", cv1::COURT, "10.0.0.1:26656"),
          part("gi-jbra", cv1::GI, "10.0.0.4:26656"), part("gem-amsterdam", cv1::MUNICIPALITY, "10.0.0.3:26656")};
}

HomeError error_of(const std::vector<PartFile>& parts, const std::string& chain_id = "joet-net",
                   const std::string& time = kTime) {
  auto g = assemble_genesis(chain_id, time, parts);
  EXPECT_FALSE(g.ok());
  return g.error;
}

TEST(GenesisAssembly, RegistersEveryInstitutionWithItsMembersAndRunsItsValidatorAtPowerOne) {
  auto g = assemble_genesis("joet-net", kTime, four());
  ASSERT_TRUE(g.ok()) << g.error.to_string();
  EXPECT_EQ(g.value->chain_id, "joet-net");
  EXPECT_EQ(g.value->genesis_time_ms, 1'772'355'600'000);  // 2026-03-01T09:00:00Z
  ASSERT_EQ(g.value->institutions.size(), 4u);
  ASSERT_EQ(g.value->validators.size(), 4u);
  const std::vector<std::string> ids = {"gem-amsterdam", "gi-jbra", "rb-amsterdam", "rvdk"};  // by id
  for (size_t i = 0; i < ids.size(); ++i) {
    SCOPED_TRACE(ids[i]);
    EXPECT_EQ(g.value->institutions[i].id, ids[i]);
    EXPECT_EQ(g.value->institutions[i].members, std::vector<PublicKey>{key(ids[i] + "-member")});
    EXPECT_EQ(g.value->validators[i].key, key(ids[i] + "-validator"));
    EXPECT_EQ(g.value->validators[i].power, 1u);
    EXPECT_EQ(g.value->validators[i].institution, ids[i]);
  }
  EXPECT_EQ(g.value->institutions[2].role, cv1::COURT);
  EXPECT_EQ(g.value->policy, Policy{});
  // What `genesis validate` reads back.
  auto parsed = parse_genesis(write_genesis(*g.value), "genesis.json");
  ASSERT_TRUE(parsed.ok()) << parsed.error.to_string();
  EXPECT_EQ(*parsed.value, *g.value);
}

TEST(GenesisAssembly, GivesTheSameBytesWhateverTheOrderOfTheParts) {
  std::vector<PartFile> parts = four();
  auto a = assemble_genesis("joet-net", kTime, parts);
  std::reverse(parts.begin(), parts.end());
  auto b = assemble_genesis("joet-net", kTime, parts);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(write_genesis(*a.value), write_genesis(*b.value));
}

TEST(GenesisAssembly, RefusesAnInstitutionInTwoPartsNamingBothFiles) {
  std::vector<PartFile> parts = four();
  PartFile again = part("rvdk", cv1::RVDK);
  again.file = "rvdk-again.json";
  again.part.institution.members = {key("other-member")};
  again.part.validator_key = key("other-validator");
  parts.push_back(again);
  const HomeError e = error_of(parts);
  EXPECT_EQ(e.kind, HomeErrorKind::kDuplicate);
  EXPECT_EQ(e.file, "rvdk-again.json");
  EXPECT_EQ(e.path, "id");
  EXPECT_NE(e.message.find("rvdk.json"), std::string::npos) << e.message;
}

TEST(GenesisAssembly, RefusesAKeyInTwoPartsWhetherMemberOrValidator) {
  {
    std::vector<PartFile> parts = four();
    parts[1].part.institution.members.push_back(key("rvdk-member"));  // rb-amsterdam lists the RvdK's member key
    const HomeError e = error_of(parts);
    EXPECT_EQ(e.kind, HomeErrorKind::kDuplicate);
    EXPECT_EQ(e.file, "rb-amsterdam.json");
    EXPECT_EQ(e.path, "member_keys[1]");
    EXPECT_NE(e.message.find("member_keys[0] of rvdk.json"), std::string::npos) << e.message;
  }
  {
    std::vector<PartFile> parts = four();
    parts[2].part.validator_key = key("rvdk-validator");  // one validator key for two institutions
    const HomeError e = error_of(parts);
    EXPECT_EQ(e.kind, HomeErrorKind::kDuplicate);
    EXPECT_EQ(e.file, "gi-jbra.json");
    EXPECT_EQ(e.path, "validator_key");
  }
  {
    std::vector<PartFile> parts = four();
    parts[3].part.validator_key = key("rvdk-member");  // another institution's member key as a validator key
    const HomeError e = error_of(parts);
    EXPECT_EQ(e.kind, HomeErrorKind::kDuplicate);
    EXPECT_EQ(e.file, "gem-amsterdam.json");
    EXPECT_EQ(e.path, "validator_key");
  }
}

TEST(GenesisAssembly, RefusesNoPartsABadChainIdAndABadTime) {
  HomeError e = error_of({});
  EXPECT_EQ(e.kind, HomeErrorKind::kBadValue);
  EXPECT_EQ(e.path, "PART");
  e = error_of(four(), "joet net");
  EXPECT_EQ(e.kind, HomeErrorKind::kBadValue);
  EXPECT_EQ(e.path, "--chain-id");
  e = error_of(four(), "joet-net", "2026-03-01 09:00");
  EXPECT_EQ(e.kind, HomeErrorKind::kBadTime);
  EXPECT_EQ(e.path, "--time");
}

}  // namespace
}  // namespace joet::home
