// Rule versions: governance schedules a version from a height; every block runs under the version in
// force at its height, and a build without that version refuses to execute it.
#include "contracts/rules.h"

#include <gtest/gtest.h>

#include "contracts/contracts_test_support.h"

namespace joet {
namespace {

using namespace joet::testing;  // NOLINT

const std::vector<std::string_view> kFive = {kCourt, kRvdk, kMunicipality, kGi, kOtherGi};

// A made-up later law for the tests: an OTS at most 6 months.
constexpr Statute kTestRules[] = {
    Statute{.version = 1},
    Statute{.version = 2, .ots_max_months = 6},
};

std::vector<v1::Arg> schedule(int64_t version, uint64_t from_height) {
  return {integer("version", version), integer("from_height", static_cast<int64_t>(from_height))};
}

TEST(Rules, TheBuiltInVersionOneHoldsTheTermsOfDomainMd) {
  const Statute* v1 = find_rules(built_in_rules(), 1);
  ASSERT_NE(v1, nullptr);
  EXPECT_EQ(built_in_rules().front().version, kGenesisRulesVersion);
  EXPECT_EQ(v1->ots_max_months, 12);
  EXPECT_EQ(v1->vots_max_months, 3);
  EXPECT_EQ(v1->uhp_max_months, 12);
  EXPECT_EQ(v1->extension_max_months, 12);
  EXPECT_EQ(v1->uhp_carry_out_months, 3);
  EXPECT_EQ(v1->aanwijzing_objection_days, 14);
  EXPECT_EQ(v1->appeal_months, 3);
  for (size_t i = 1; i < built_in_rules().size(); ++i) {
    EXPECT_EQ(built_in_rules()[i].version, built_in_rules()[i - 1].version + 1) << "versions are 1, 2, 3, ...";
  }
}

TEST(Rules, GenesisRunsVersionOne) {
  Chain chain;
  EXPECT_EQ(rules_version_at(chain.store, 1).value(), 1u);
  EXPECT_EQ(chain.run(utc_ms(2026, 3, 10, 9)).rules_version, 1u);
}

TEST(Rules, AScheduledVersionAppliesFromItsHeightAndNotBefore) {
  Chain chain;
  chain.config.rules = kTestRules;
  const int64_t t = utc_ms(2026, 3, 10, 9);
  ASSERT_TRUE(chain.run_one(t, chain.multi_tx(kFive, "rules.schedule", schedule(2, 6))).ok);  // height 1
  EXPECT_EQ(chain.of_kind("RULES_SCHEDULED").size(), 6u);
  EXPECT_EQ(chain.of_kind("RULES_SCHEDULED").at(0).detail(), "v2-from-6");
  EXPECT_EQ(rules_version_at(chain.store, 5).value(), 1u);
  EXPECT_EQ(rules_version_at(chain.store, 6).value(), 2u);
  ASSERT_TRUE(chain.open_case(t + 1000).ok);                                  // height 2
  ASSERT_TRUE(chain.open_case(t + 2000, "case-002").ok);                      // height 3
  ASSERT_TRUE(chain.file(t + 3000, kRvdk, "req-1", "OTS").ok);                // height 4
  ASSERT_TRUE(chain.file(t + 4000, kRvdk, "req-2", "OTS", "case-002").ok);   // height 5
  // Height 6 runs under version 2: a 12-month OTS is now too long, 6 months is fine.
  auto refused = chain.run(utc_ms(2026, 3, 15, 9), {chain.tx(kCourt, "court.decide",
                                                           {text("case", "case-001"), text("request", "req-1"),
                                                            text("outcome", "GRANTED"), text("start_date", "2026-03-15"),
                                                            text("end_date", "2027-03-15")})});
  EXPECT_EQ(refused.rules_version, 2u);
  EXPECT_EQ(refused.results.at(0).code, "TERM_TOO_LONG");
  EXPECT_EQ(refused.results.at(0).message, "end date after 2026-09-15");
  EXPECT_TRUE(chain.decide(utc_ms(2026, 3, 16, 9), "req-1", "2026-03-15", "2026-09-15").ok);
}

TEST(Rules, BlocksBeforeTheSwitchReexecuteUnderTheOldVersionAndAfterItNeedTheNewOne) {
  Chain chain;
  chain.config.rules = kTestRules;
  const int64_t t = utc_ms(2026, 3, 10, 9);
  ASSERT_TRUE(chain.run_one(t, chain.multi_tx(kFive, "rules.schedule", schedule(2, 4))).ok);  // height 1
  ASSERT_TRUE(chain.open_case(t + 1000).ok);                                                   // height 2
  ASSERT_TRUE(chain.file(t + 2000, kRvdk, "req-1", "OTS").ok);                                 // height 3
  // An older build (version 1 only) still executes height 3 exactly as the chain did...
  ExecutorConfig old_build = chain.config;
  old_build.rules = built_in_rules().first(1);
  const v1::SignedTx grant = chain.tx(kCourt, "court.decide",
                                      {text("case", "case-001"), text("request", "req-1"), text("outcome", "GRANTED"),
                                       text("start_date", "2026-03-15"), text("end_date", "2027-03-15")});
  auto at3 = execute_block(chain.store, old_build, utc_ms(2026, 3, 15, 9), 3, std::span(&grant, 1));
  ASSERT_TRUE(at3.ok());
  EXPECT_EQ(at3->rules_version, 1u);
  EXPECT_TRUE(at3->results.at(0).ok);
  // ...but stops at height 4 rather than run version 2's blocks under version 1's rules.
  auto at4 = execute_block(chain.store, old_build, utc_ms(2026, 3, 15, 9), 4, std::span(&grant, 1));
  ASSERT_FALSE(at4.ok());
  EXPECT_EQ(at4.error().code, ErrorCode::kUnsupported);
  EXPECT_NE(at4.error().message.find("upgrade"), std::string::npos);
  // The new build runs height 4 under version 2.
  auto new_build = execute_block(chain.store, chain.config, utc_ms(2026, 3, 15, 9), 4, std::span(&grant, 1));
  ASSERT_TRUE(new_build.ok());
  EXPECT_EQ(new_build->results.at(0).code, "TERM_TOO_LONG");
}

TEST(Rules, APendingScheduleCanBeReplacedOrWithdrawnBeforeItsHeight) {
  Chain chain;
  chain.config.rules = kTestRules;
  const int64_t t = utc_ms(2026, 3, 10, 9);
  ASSERT_TRUE(chain.run_one(t, chain.multi_tx(kFive, "rules.schedule", schedule(2, 10))).ok);
  ASSERT_TRUE(chain.run_one(t, chain.multi_tx(kFive, "rules.schedule", schedule(2, 20))).ok);
  EXPECT_EQ(rules_version_at(chain.store, 19).value(), 1u);
  EXPECT_EQ(rules_version_at(chain.store, 20).value(), 2u);
  ASSERT_TRUE(chain.run_one(t, chain.multi_tx(kFive, "rules.schedule", schedule(1, 30))).ok);
  EXPECT_EQ(chain.of_kind("RULES_SCHEDULED").back().detail(), "withdrawn");
  EXPECT_EQ(rules_version_at(chain.store, 1000).value(), 1u);
}

TEST(Rules, RefusesAnOlderVersionAHeightTooSoonAndTooFewSigners) {
  Chain chain;
  chain.config.rules = kTestRules;
  const int64_t t = utc_ms(2026, 3, 10, 9);
  ASSERT_TRUE(chain.run_one(t, chain.multi_tx(kFive, "rules.schedule", schedule(2, 3))).ok);  // height 1
  chain.run(t);                                                                                // height 2
  ASSERT_EQ(rules_version_at(chain.store, 3).value(), 2u);
  auto refused = [&](std::vector<v1::Arg> args) {
    auto out = chain.run(t, {chain.multi_tx(kFive, "rules.schedule", std::move(args))});
    EXPECT_TRUE(out.writes.empty() || out.results.at(0).ok);
    return out.results.at(0).code;
  };
  EXPECT_EQ(refused(schedule(1, 100)), "RULES_VERSION_NOT_NEWER");   // version 2 is in force
  EXPECT_EQ(refused(schedule(3, chain.height + 2)), "BAD_FIELD");     // the next height: too soon
  EXPECT_EQ(refused({integer("version", 3)}), "BAD_FIELD");           // no from_height
  EXPECT_EQ(chain.run_one(t, chain.tx(kCourt, "rules.schedule", schedule(3, 100))).code, "NOT_AUTHORIZED");
  EXPECT_EQ(rules_version_at(chain.store, 100).value(), 2u);
}

TEST(Rules, ACorruptScheduleStopsTheBlock) {
  Chain chain;
  WriteBatch bad;
  bad.put(state_keys::rules_schedule(), Bytes{0xff, 0xff});
  ASSERT_TRUE(chain.store.write(bad, false).ok());
  auto out = execute_block(chain.store, chain.config, utc_ms(2026, 3, 10, 9), 1, {});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code, ErrorCode::kCorruption);
}

}  // namespace
}  // namespace joet
