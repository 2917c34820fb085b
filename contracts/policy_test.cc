// Policy parameters in state and policy.set by more than 2/3 of the institutions. The test genesis
// registers 6 institutions: 5 signatures are a quorum (15 > 12), 4 are not (12 = 12).
#include "contracts/policy.h"

#include <gtest/gtest.h>

#include "contracts/contracts_test_support.h"

namespace joet {
namespace {

using namespace joet::testing;  // NOLINT

const std::vector<std::string_view> kFive = {kCourt, kRvdk, kMunicipality, kGi, kOtherGi};
const std::vector<std::string_view> kFour = {kCourt, kRvdk, kMunicipality, kGi};

std::vector<v1::Arg> set_int(std::string name, int64_t value) { return {text("name", name), integer("value", value)}; }

TEST(PolicySet, NeedsMoreThanTwoThirdsOfTheInstitutions) {
  Chain chain;
  auto four = chain.run(utc_ms(2026, 3, 1), {chain.multi_tx(kFour, "policy.set", set_int("assign_days", 10))});
  EXPECT_EQ(four.results.at(0).code, "NOT_AUTHORIZED");
  EXPECT_TRUE(four.writes.empty());
  EXPECT_TRUE(chain.run_one(utc_ms(2026, 3, 1), chain.multi_tx(kFive, "policy.set", set_int("assign_days", 10))).ok);
}

TEST(PolicySet, EachInstitutionSignsOnceAndOnlyMembersSign) {
  Chain chain;
  std::vector<std::string_view> twice = kFour;
  twice.push_back(kCourt);
  EXPECT_EQ(chain.run_one(utc_ms(2026, 3, 1), chain.multi_tx(twice, "policy.set", set_int("assign_days", 10))).code,
            "BAD_FIELD");
  std::vector<std::string_view> stranger = kFive;
  stranger.push_back("stranger");
  EXPECT_EQ(chain.run_one(utc_ms(2026, 3, 1), chain.multi_tx(stranger, "policy.set", set_int("assign_days", 10))).code,
            "NOT_AUTHORIZED");
}

TEST(PolicySet, RefusesUnknownNamesAndValuesOutOfRange) {
  Chain chain;
  EXPECT_EQ(chain.run_one(utc_ms(2026, 3, 1), chain.multi_tx(kFive, "policy.set", set_int("lapse_days", 10))).code,
            "BAD_FIELD");
  EXPECT_EQ(chain.run_one(utc_ms(2026, 3, 1), chain.multi_tx(kFive, "policy.set", set_int("plan_days", 0))).code,
            "BAD_FIELD");
  EXPECT_EQ(chain.run_one(utc_ms(2026, 3, 1), chain.multi_tx(kFive, "policy.set", set_int("plan_days", 366))).code,
            "BAD_FIELD");
  EXPECT_TRUE(chain.run_one(utc_ms(2026, 3, 1), chain.multi_tx(kFive, "policy.set", set_int("contact_grace_days", 0))).ok);
}

TEST(PolicySet, ANewAssignTermAppliesToMeasuresGrantedAfterIt) {
  Chain chain;
  ASSERT_TRUE(chain.run_one(utc_ms(2026, 3, 1), chain.multi_tx(kFive, "policy.set", set_int("assign_days", 10))).ok);
  chain.grant_standard_ots();
  // 2026-03-15 + 10 days = 2026-03-25; 00:00 CET = 2026-03-24T23:00Z.
  chain.run(utc_ms(2026, 3, 24, 22, 59, 59));
  EXPECT_EQ(chain.count("ASSIGN_MISSED"), 0u);
  chain.run(utc_ms(2026, 3, 24, 23));
  EXPECT_EQ(chain.count("ASSIGN_MISSED"), 2u);
}

TEST(PolicySet, AChangeTakesEffectFromTheNextBlock) {
  Chain chain;
  ASSERT_TRUE(chain.open_case(utc_ms(2026, 3, 10)).ok);
  ASSERT_TRUE(chain.file(utc_ms(2026, 3, 11), kRvdk, "req-ots", "OTS").ok);
  auto set = chain.multi_tx(kFive, "policy.set", set_int("assign_days", 10));
  auto grant = chain.tx(kCourt, "court.decide",
                        {text("case", "case-001"), text("request", "req-ots"), text("outcome", "GRANTED"),
                         text("start_date", "2026-03-15"), text("end_date", "2027-03-15")});
  auto out = chain.run(utc_ms(2026, 3, 15, 9), {set, grant});
  ASSERT_TRUE(out.results.at(0).ok && out.results.at(1).ok);
  chain.run(utc_ms(2026, 3, 19, 23));  // the old 5 days: 2026-03-20 00:00 CET
  EXPECT_EQ(chain.count("ASSIGN_MISSED"), 2u);
}

// An extra holiday on Tuesday 2026-05-26 moves the spoed hearing term of a spoedmachtiging decided on
// Monday 2026-05-11 from Whit Monday on to Wednesday 2026-05-27: missed from 2026-05-28 00:00 CEST =
// 2026-05-27T22:00Z.
TEST(PolicySet, ExtraHolidaysExtendAtwPeriods) {
  Chain chain;
  auto add = [&] {
    return chain.multi_tx(kFive, "policy.set", {text("name", "extra_holidays.add"), text("date", "2026-05-26")});
  };
  ASSERT_TRUE(chain.run_one(utc_ms(2026, 3, 1), add()).ok);
  EXPECT_EQ(chain.run_one(utc_ms(2026, 3, 1), add()).code, "DUPLICATE");
  chain.grant_standard_ots();
  ASSERT_TRUE(chain.file(utc_ms(2026, 5, 11, 7), kGi, "req-spoed", "SPOED_UHP").ok);
  ASSERT_TRUE(chain.decide(utc_ms(2026, 5, 11, 9), "req-spoed", "2026-05-11", "2026-11-11").ok);
  chain.run(utc_ms(2026, 5, 27, 21, 59, 59));
  EXPECT_EQ(chain.count("SPOED_HEARING_MISSED"), 0u);
  chain.run(utc_ms(2026, 5, 27, 22));
  EXPECT_EQ(chain.count("SPOED_HEARING_MISSED"), 4u);
  EXPECT_TRUE(chain.run_one(utc_ms(2026, 6, 1), chain.multi_tx(kFive, "policy.set",
                                                                {text("name", "extra_holidays.remove"),
                                                                 text("date", "2026-05-26")}))
                  .ok);
}

TEST(GenesisPolicy, TheGenesisPolicyIsStoredAndOverridesTheConfig) {
  Chain chain;
  Policy genesis;
  genesis.assign_days = 2;
  auto batch = genesis_policy_writes(genesis);
  ASSERT_TRUE(batch.ok());
  ASSERT_TRUE(chain.store.write(*batch, true).ok());
  chain.config.policy.assign_days = 30;  // ignored: the state has a policy
  chain.grant_standard_ots();
  chain.run(utc_ms(2026, 3, 16, 23));  // 2026-03-15 + 2 = 2026-03-17 00:00 CET
  EXPECT_EQ(chain.count("ASSIGN_MISSED"), 2u);
}

TEST(GenesisPolicy, ABadGenesisPolicyIsRefused) {
  Policy bad;
  bad.plan_days = 0;
  EXPECT_FALSE(genesis_policy_writes(bad).ok());
  Policy unsorted;
  unsorted.extra_holidays = {CivilDate{2026, 5, 26}, CivilDate{2026, 5, 1}};
  EXPECT_FALSE(genesis_policy_writes(unsorted).ok());
  Policy fine;
  auto batch = genesis_policy_writes(fine);
  ASSERT_TRUE(batch.ok());
  MemoryKvStore store;
  ASSERT_TRUE(store.write(*batch, true).ok());
  ContractState state(store);
  auto loaded = load_policy(state, Policy{});
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(*loaded, fine);
}

}  // namespace
}  // namespace joet
