// DOMAIN.md's table of who may sign which action, checked for every implemented action against
// every role that may not.
#include <functional>

#include <gtest/gtest.h>

#include "contracts/contracts_test_support.h"

namespace joet {
namespace {

using namespace joet::testing;  // NOLINT

using ArgsFor = std::function<std::vector<v1::Arg>()>;

// Every signer in `wrong` is refused NOT_AUTHORIZED for the action on a case with a running OTS
// whose GI is kGi, and the refusal leaves no write.
void expect_refused_for(std::string_view action, const ArgsFor& args, std::initializer_list<std::string_view> wrong) {
  for (std::string_view signer : wrong) {
    Chain chain;
    chain.grant_standard_ots();
    auto out = chain.run(utc_ms(2026, 3, 20), {chain.tx(signer, action, args())});
    EXPECT_EQ(out.results.at(0).code, "NOT_AUTHORIZED") << action << " by " << signer;
    EXPECT_TRUE(out.writes.empty()) << action << " by " << signer;
  }
}

TEST(Permissions, OnlyTheRvdkAndTheCourtOpenCases) {
  expect_refused_for("case.open",
                     [] {
                       return std::vector<v1::Arg>{text("case", "case-002"), text("majority_date", "2035-01-01"),
                                                   text("municipality", std::string(kMunicipality)),
                                                   text("rvdk", std::string(kRvdk))};
                     },
                     {kGi, kMunicipality, kAuditor});
}

TEST(Permissions, TheCourtOpensACaseNamingTheRvdk) {
  Chain chain;
  auto tx = chain.tx(kCourt, "case.open",
                     {text("case", "case-002"), text("majority_date", "2035-01-01"),
                      text("municipality", std::string(kMunicipality)), text("rvdk", std::string(kRvdk))});
  EXPECT_TRUE(chain.run_one(utc_ms(2026, 3, 20), tx).ok);
}

TEST(Permissions, OnlyTheRvdkAGiOrTheCourtForAPartyFileRequests) {
  const ArgsFor args = [] {
    return std::vector<v1::Arg>{text("case", "case-001"), text("request", "req-2"), text("kind", "LIFT"),
                                hash_arg("document", "lift")};
  };
  expect_refused_for("request.file", args, {kMunicipality, kAuditor, kOtherGi, kCourt});
  Chain chain;
  chain.grant_standard_ots();
  auto for_parent = args();
  for_parent.push_back(text("filed_for", "PARENT"));
  EXPECT_TRUE(chain.run_one(utc_ms(2026, 3, 20), chain.tx(kCourt, "request.file", for_parent)).ok);
}

TEST(Permissions, OnlyTheCourtDecides) {
  expect_refused_for("court.decide",
                     [] {
                       return std::vector<v1::Arg>{text("case", "case-001"), text("request", "req-ots"),
                                                   text("outcome", "REFUSED")};
                     },
                     {kRvdk, kGi, kOtherGi, kMunicipality, kAuditor});
}

TEST(Permissions, OnlyTheCourtLifts) {
  expect_refused_for("court.lift",
                     [] { return std::vector<v1::Arg>{text("case", "case-001"), text("date", "2026-09-01")}; },
                     {kRvdk, kGi, kOtherGi, kMunicipality, kAuditor});
}

TEST(Permissions, OnlyTheCasesGiFilesThePlanAndProgress) {
  const ArgsFor args = [] { return std::vector<v1::Arg>{text("case", "case-001"), hash_arg("document", "doc")}; };
  expect_refused_for("gi.plan", args, {kCourt, kRvdk, kMunicipality, kAuditor, kOtherGi});
  expect_refused_for("gi.progress", args, {kCourt, kRvdk, kMunicipality, kAuditor, kOtherGi});
  Chain chain;
  chain.grant_standard_ots();
  EXPECT_TRUE(chain.run_one(utc_ms(2026, 3, 20), chain.tx(kGi, "gi.progress", args())).ok);
}

TEST(Permissions, TheAuditorAnchorsNoDocumentsButEveryOtherMemberDoes) {
  const ArgsFor args = [] { return std::vector<v1::Arg>{text("case", "case-001"), hash_arg("document", "doc")}; };
  expect_refused_for("document.anchor", args, {kAuditor});
  Chain chain;
  chain.grant_standard_ots();
  EXPECT_TRUE(chain.run_one(utc_ms(2026, 3, 20), chain.tx(kOtherGi, "document.anchor", args())).ok);
  EXPECT_EQ(chain.run_one(utc_ms(2026, 3, 20), chain.tx(kRvdk, "document.anchor", args())).code, "DUPLICATE");
}

TEST(Permissions, TheAuditorAcknowledgesItsOwnNotificationsOnly) {
  Chain chain;
  chain.grant_standard_ots();
  EXPECT_EQ(chain.run_one(utc_ms(2026, 3, 20), chain.tx(kAuditor, "notification.ack", {integer("seq", 1)})).code,
            "EVENT_UNKNOWN");
}

}  // namespace
}  // namespace joet
