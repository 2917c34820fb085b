// The access policy over real contract state: registry changes made by committed txs (member.add,
// member.revoke) and case records written by the case contracts decide who reads, from the next read on.
#include "node/daemon/access_registry.h"

#include <algorithm>
#include <cctype>

#include <gtest/gtest.h>

#include "contracts/contracts_test_support.h"

namespace joet::daemon {
namespace {

using joet::testing::Chain;
using joet::testing::key_arg;
using joet::testing::kAuditor;
using joet::testing::kChainId;
using joet::testing::kCourt;
using joet::testing::kGi;
using joet::testing::kMunicipality;
using joet::testing::kOtherGi;
using joet::testing::kRvdk;
using joet::testing::utc_ms;
using Verdict = rpc::Authorization::Verdict;

constexpr uint64_t kNow = 1'780'000'000'000;

rpc::RequestMeta signed_get(const std::string& route, const std::string& target, std::string_view signer) {
  rpc::RequestMeta m;
  m.method = "GET";
  m.route = route;
  m.target = target;
  if (route == "/v1/events") m.recipient = target.substr(target.find("recipient=") + 10);
  for (auto [name, value] : rpc::sign_request(Chain::key(signer), {kChainId, "GET", target, "", kNow})) {
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
    m.headers.emplace_back(std::move(name), std::move(value));
  }
  return m;
}

class StateAccessTest : public ::testing::Test {
 protected:
  Verdict decide(const rpc::RequestMeta& m) {
    StateAccessRegistry registry(chain_.store);
    return rpc::decide_access(m, rpc::AccessContext{kChainId, kNow, {}}, registry).verdict;
  }
  Chain chain_;
};

TEST_F(StateAccessTest, GenesisMembersReadAsTheirInstitutionAndRole) {
  StateAccessRegistry registry(chain_.store);
  auto m = registry.reader(Chain::key(kMunicipality).public_key());
  ASSERT_TRUE(m.ok());
  ASSERT_TRUE(m->has_value());
  EXPECT_EQ((*m)->institution, kMunicipality);
  EXPECT_EQ((*m)->role, cv1::MUNICIPALITY);
  auto a = registry.reader(Chain::key(kAuditor).public_key());
  ASSERT_TRUE(a.ok() && a->has_value());
  EXPECT_EQ((*a)->role, cv1::AUDITOR);
  auto none = registry.reader(Chain::key("nobody").public_key());
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
}

TEST_F(StateAccessTest, AKeyAddedByMemberAddReadsAndStopsAtItsMemberRevoke) {
  const auto events = signed_get("/v1/events", "/v1/events?recipient=gi-jbra", "gi-jbra-2");
  EXPECT_EQ(decide(events), Verdict::kForbidden);  // not a member yet
  ASSERT_TRUE(chain_.run_one(utc_ms(2026, 3, 1), chain_.tx(kGi, "member.add", {key_arg("key", "gi-jbra-2")})).ok);
  EXPECT_EQ(decide(events), Verdict::kAllow);
  ASSERT_TRUE(chain_.run_one(utc_ms(2026, 3, 2), chain_.tx(kGi, "member.revoke", {key_arg("key", "gi-jbra-2")})).ok);
  EXPECT_EQ(decide(events), Verdict::kForbidden);
  EXPECT_EQ(decide(signed_get("/v1/events", "/v1/events?recipient=gi-jbra", kGi)), Verdict::kAllow);
}

TEST_F(StateAccessTest, TheCasePartiesComeFromTheCaseRecord) {
  chain_.grant_standard_ots();  // case-001: opened by the RvdK for gem-amsterdam, OTS to gi-jbra by rb-amsterdam
  for (std::string_view who : {kMunicipality, kRvdk, kGi, kCourt, kAuditor}) {
    EXPECT_EQ(decide(signed_get("/v1/cases/{case_id}", "/v1/cases/case-001", who)), Verdict::kAllow) << who;
  }
  EXPECT_EQ(decide(signed_get("/v1/cases/{case_id}", "/v1/cases/case-001", kOtherGi)), Verdict::kForbidden);
  EXPECT_EQ(decide(signed_get("/v1/cases/{case_id}", "/v1/cases/case-002", kRvdk)), Verdict::kForbidden);
}

TEST_F(StateAccessTest, ACaseIdThatIsNoCodeNamesNoCase) {
  StateAccessRegistry registry(chain_.store);
  for (std::string_view id : {"a/b", "", "case 1", "c%2Fx"}) {
    auto c = registry.find_case(id);
    ASSERT_TRUE(c.ok()) << id;
    EXPECT_FALSE(c->has_value()) << id;
  }
}

}  // namespace
}  // namespace joet::daemon
