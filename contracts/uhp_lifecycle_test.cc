// The UHP (machtiging uithuisplaatsing, 1:265b/c) and the spoedmachtiging, with hand-computed dates.
// The standard OTS runs 2026-03-15 .. 2027-03-15; the standard UHP is decided on 2026-05-10 for
// 2026-05-10 .. 2027-03-15 (contracts_test_support.h). Summer time 2026: 2026-03-29 .. 2026-10-25.
#include <gtest/gtest.h>

#include "contracts/contracts_test_support.h"

namespace joet {
namespace {

using namespace joet::testing;  // NOLINT

using Names = std::vector<std::string>;

TxResult placement(Chain& chain, int64_t t, std::string date) {
  return chain.run_one(t, chain.tx(kGi, "gi.placement", {text("case", "case-001"), text("date", date)}));
}

TEST(UhpLifecycle, NotCarriedOutItLapsesThreeMonthsAfterTheDecision) {
  Chain chain;
  chain.grant_standard_uhp();
  // Reminder 14 days before 2026-08-10: 2026-07-27 00:00 CEST = 2026-07-26T22:00Z, to the GI.
  chain.run(utc_ms(2026, 7, 26, 21, 59, 59));
  EXPECT_EQ(chain.count("PLACEMENT_REMINDER"), 0u);
  chain.run(utc_ms(2026, 7, 26, 22));
  EXPECT_EQ(Chain::recipients(chain.of_kind("PLACEMENT_REMINDER")), Names{std::string(kGi)});
  // 2026-05-10 + 3 months = 2026-08-10; 00:00 CEST = 2026-08-09T22:00Z.
  chain.run(utc_ms(2026, 8, 9, 21, 59, 59));
  EXPECT_EQ(chain.count("UHP_LAPSED"), 0u);
  chain.run(utc_ms(2026, 8, 9, 22));
  const auto lapsed = chain.of_kind("UHP_LAPSED");
  EXPECT_EQ(Chain::recipients(lapsed), (Names{std::string(kCourt), std::string(kRvdk), std::string(kMunicipality)}));
  EXPECT_EQ(lapsed.at(0).measure(), "UHP");
  EXPECT_EQ(chain.case_record().uhp().state(), cv1::ENDED);
  EXPECT_EQ(chain.case_record().uhp().end_reason(), "NOT_CARRIED_OUT");
  EXPECT_EQ(chain.case_record().measure().state(), cv1::ACTIVE);  // the OTS runs on
  chain.run(utc_ms(2027, 3, 20));
  EXPECT_EQ(chain.count("UHP_LAPSED"), 3u);
  EXPECT_EQ(chain.of_kind("MEASURE_ENDED").size(), 3u);  // the OTS only
}

TEST(UhpLifecycle, APlacementWithinThreeMonthsClosesTheLapse) {
  Chain chain;
  chain.grant_standard_uhp();
  EXPECT_EQ(placement(chain, utc_ms(2026, 6, 1, 9), "2026-06-02").code, "BAD_FIELD");  // not yet
  EXPECT_TRUE(placement(chain, utc_ms(2026, 6, 1, 9), "2026-05-30").ok);
  EXPECT_EQ(placement(chain, utc_ms(2026, 6, 2, 9), "2026-06-01").code, "DUPLICATE");
  chain.run(utc_ms(2026, 9, 1));
  EXPECT_EQ(chain.count("PLACEMENT_REMINDER"), 0u);
  EXPECT_EQ(chain.count("UHP_LAPSED"), 0u);
  EXPECT_EQ(chain.case_record().uhp().placed_day(), days_from_civil(CivilDate{2026, 5, 30}));
}

TEST(UhpLifecycle, AUhpNeedsARunningOtsOnItsStartDate) {
  Chain chain;
  ASSERT_TRUE(chain.open_case(utc_ms(2026, 3, 10)).ok);
  auto uhp = chain.tx(kGi, "request.file", {text("case", "case-001"), text("request", "req-uhp"), text("kind", "UHP"),
                                            hash_arg("document", "uhp"), text("gi", std::string(kGi))});
  ASSERT_TRUE(chain.run_one(utc_ms(2026, 3, 11), uhp).ok);
  EXPECT_EQ(chain.decide(utc_ms(2026, 3, 12), "req-uhp", "2026-03-12", "2026-09-12").code, "UHP_WITHOUT_OTS");
  ASSERT_TRUE(chain.file(utc_ms(2026, 3, 11), kRvdk, "req-ots", "OTS").ok);
  ASSERT_TRUE(chain.decide(utc_ms(2026, 3, 15, 9), "req-ots", "2026-03-15", "2027-03-15").ok);
  EXPECT_EQ(chain.decide(utc_ms(2026, 3, 15, 9), "req-uhp", "2026-03-14", "2026-09-14").code, "UHP_WITHOUT_OTS");
  EXPECT_TRUE(chain.decide(utc_ms(2026, 3, 15, 9), "req-uhp", "2026-03-15", "2026-09-15").ok);
}

TEST(UhpLifecycle, AUhpLastsAtMostAYearAndNeverPastTheOtsEnd) {
  Chain chain;
  chain.grant_standard_ots();
  ASSERT_TRUE(chain.file(utc_ms(2026, 5, 1), kGi, "req-uhp", "UHP").ok);
  // 2026-03-15 + 12 months = 2027-03-15.
  EXPECT_EQ(chain.decide(utc_ms(2026, 5, 10), "req-uhp", "2026-03-15", "2027-03-16").code, "TERM_TOO_LONG");
  // Within a year of its start (2027-05-10) but after the OTS's end 2027-03-15.
  EXPECT_EQ(chain.decide(utc_ms(2026, 5, 10), "req-uhp", "2026-05-10", "2027-04-01").code, "UHP_PAST_OTS_END");
  EXPECT_TRUE(chain.decide(utc_ms(2026, 5, 10), "req-uhp", "2026-05-10", "2027-03-15").ok);
  ASSERT_TRUE(chain.file(utc_ms(2026, 5, 11), kGi, "req-uhp2", "UHP").ok);
  EXPECT_EQ(chain.decide(utc_ms(2026, 5, 12), "req-uhp2", "2026-05-12", "2027-03-15").code, "MEASURE_ACTIVE");
}

TEST(UhpLifecycle, AUhpAskedByTheRvdkNeedsTheCollegebesluit) {
  Chain chain;
  chain.grant_standard_ots();
  ASSERT_TRUE(chain.file(utc_ms(2026, 5, 1), kRvdk, "req-uhp", "UHP").ok);
  EXPECT_EQ(chain.decide(utc_ms(2026, 5, 10), "req-uhp", "2026-05-10", "2027-03-15").code, "COLLEGEBESLUIT_MISSING");
  auto besluit = [&] {
    return chain.tx(kMunicipality, "municipality.decision",
                    {text("case", "case-001"), text("request", "req-uhp"), hash_arg("document", "cb")});
  };
  ASSERT_TRUE(chain.run_one(utc_ms(2026, 5, 11), besluit()).ok);
  EXPECT_EQ(chain.run_one(utc_ms(2026, 5, 11), besluit()).code, "DUPLICATE");
  EXPECT_TRUE(chain.decide(utc_ms(2026, 5, 12), "req-uhp", "2026-05-12", "2027-03-15").ok);
  EXPECT_EQ(chain.run_one(utc_ms(2026, 5, 13), chain.tx(kMunicipality, "municipality.decision",
                                                         {text("case", "case-001"), text("request", "req-ots"),
                                                          hash_arg("document", "cb")}))
                .code,
            "BAD_FIELD");  // not a UHP request
}

TEST(UhpLifecycle, LiftingTheOtsEndsItsUhpOnTheSameDay) {
  Chain chain;
  chain.grant_standard_uhp();
  ASSERT_TRUE(placement(chain, utc_ms(2026, 5, 20), "2026-05-20").ok);
  auto lift = chain.tx(kCourt, "court.lift", {text("case", "case-001"), text("date", "2026-09-01")});
  ASSERT_TRUE(chain.run_one(utc_ms(2026, 8, 20), lift).ok);
  chain.run(utc_ms(2026, 8, 31, 21, 59, 59));
  EXPECT_EQ(chain.count("MEASURE_ENDED"), 0u);
  chain.run(utc_ms(2026, 8, 31, 22));  // 2026-09-01 00:00 CEST
  const auto ended = chain.of_kind("MEASURE_ENDED");
  ASSERT_EQ(ended.size(), 6u);
  EXPECT_EQ(ended[0].measure(), "OTS");
  EXPECT_EQ(ended[0].detail(), "LIFTED");
  EXPECT_EQ(ended[3].measure(), "UHP");
  EXPECT_EQ(ended[3].detail(), "OTS_ENDED");
  chain.run(utc_ms(2027, 4, 1));
  EXPECT_EQ(chain.count("MEASURE_ENDED"), 6u);
}

TEST(UhpLifecycle, TheOtsLapsingEndsTheUhp) {
  Chain chain;
  chain.grant_standard_uhp();
  ASSERT_TRUE(placement(chain, utc_ms(2026, 5, 20), "2026-05-20").ok);
  chain.run(utc_ms(2027, 3, 14, 23));  // 2027-03-15 00:00 CET: both end dates
  EXPECT_EQ(chain.count("MEASURE_ENDED"), 6u);
  EXPECT_EQ(chain.case_record().uhp().state(), cv1::ENDED);
}

// A placed UHP 2026-05-10 .. 2026-11-10 with an extension request filed.
void uhp_until_november(Chain& chain) {
  chain.grant_standard_ots();
  ASSERT_TRUE(chain.file(utc_ms(2026, 5, 1), kGi, "req-uhp", "UHP").ok);
  ASSERT_TRUE(chain.decide(utc_ms(2026, 5, 10), "req-uhp", "2026-05-10", "2026-11-10").ok);
  ASSERT_TRUE(placement(chain, utc_ms(2026, 5, 20), "2026-05-20").ok);
  ASSERT_TRUE(chain.file(utc_ms(2026, 10, 1), kGi, "req-ext", "EXTEND_UHP").ok);
}

TEST(UhpLifecycle, AUhpIsExtendedAsAnOtsButNeverPastTheOtsEnd) {
  Chain chain;
  uhp_until_november(chain);
  EXPECT_EQ(chain.decide(utc_ms(2026, 11, 1), "req-ext", "2026-11-10", "2027-03-16").code, "UHP_PAST_OTS_END");
  EXPECT_EQ(chain.decide(utc_ms(2026, 11, 1), "req-ext", "2026-11-09", "2027-03-15").code, "BAD_FIELD");
  EXPECT_TRUE(chain.decide(utc_ms(2026, 11, 9, 22, 59), "req-ext", "2026-11-10", "2027-03-15").ok);
  chain.run(utc_ms(2026, 11, 20));
  EXPECT_EQ(chain.count("MEASURE_ENDED"), 0u);
  EXPECT_EQ(chain.case_record().uhp().end_day(), days_from_civil(CivilDate{2027, 3, 15}));
  EXPECT_EQ(chain.case_record().uhp().extensions(), 1u);
}

TEST(UhpLifecycle, AUhpExtensionDecidedOnTheEndDateIsRefused) {
  Chain chain;
  uhp_until_november(chain);
  // 2026-11-10 00:00 CET = 2026-11-09T23:00Z: from then on it is the end date.
  EXPECT_EQ(chain.decide(utc_ms(2026, 11, 9, 23), "req-ext", "2026-11-10", "2027-03-15").code, "EXTENSION_AFTER_END");
  EXPECT_EQ(chain.case_record().uhp().end_reason(), "LAPSED");
}

TEST(UhpLifecycle, AnExtensionRequestNeedsARunningUhp) {
  Chain chain;
  chain.grant_standard_ots();
  EXPECT_EQ(chain.file(utc_ms(2026, 5, 1), kGi, "req-ext", "EXTEND_UHP").code, "NO_MEASURE");
}

// A spoedmachtiging decided on Monday 2026-05-11: 14 days end on Whit Monday 2026-05-25 (Easter
// 2026-04-05 + 50), so the hearing term runs to Tuesday 2026-05-26 (Atw art. 1) and is missed from
// 2026-05-27 00:00 CEST = 2026-05-26T22:00Z. The court is reminded 3 days before: 2026-05-24 00:00
// CEST = 2026-05-23T22:00Z.
void grant_spoed(Chain& chain) {
  chain.grant_standard_ots();
  ASSERT_TRUE(chain.file(utc_ms(2026, 5, 11, 7), kGi, "req-spoed", "SPOED_UHP").ok);
  ASSERT_TRUE(chain.decide(utc_ms(2026, 5, 11, 9), "req-spoed", "2026-05-11", "2026-11-11").ok);
}

TEST(SpoedUhp, TheHearingTermIsExtendedPastWhitMondayAndAllAreToldWhenItIsMissed) {
  Chain chain;
  grant_spoed(chain);
  chain.run(utc_ms(2026, 5, 23, 21, 59, 59));
  EXPECT_EQ(chain.count("SPOED_HEARING_REMINDER"), 0u);
  chain.run(utc_ms(2026, 5, 23, 22));
  EXPECT_EQ(Chain::recipients(chain.of_kind("SPOED_HEARING_REMINDER")), Names{std::string(kCourt)});
  chain.run(utc_ms(2026, 5, 26, 21, 59, 59));
  EXPECT_EQ(chain.count("SPOED_HEARING_MISSED"), 0u);
  chain.run(utc_ms(2026, 5, 26, 22));
  EXPECT_EQ(Chain::recipients(chain.of_kind("SPOED_HEARING_MISSED")),
            (Names{std::string(kCourt), std::string(kGi), std::string(kRvdk), std::string(kMunicipality)}));
}

TEST(SpoedUhp, AHearingHeldInTimeClosesTheTerm) {
  Chain chain;
  grant_spoed(chain);
  auto hearing = [&] { return chain.tx(kCourt, "court.hearing", {text("case", "case-001")}); };
  ASSERT_TRUE(chain.run_one(utc_ms(2026, 5, 20, 9), hearing()).ok);
  EXPECT_EQ(chain.run_one(utc_ms(2026, 5, 20, 9), hearing()).code, "DUPLICATE");
  chain.run(utc_ms(2026, 6, 1));
  EXPECT_EQ(chain.count("SPOED_HEARING_REMINDER"), 0u);
  EXPECT_EQ(chain.count("SPOED_HEARING_MISSED"), 0u);
}

TEST(SpoedUhp, AHearingNeedsARunningSpoedmachtiging) {
  Chain chain;
  chain.grant_standard_uhp();
  EXPECT_EQ(chain.run_one(utc_ms(2026, 5, 20), chain.tx(kCourt, "court.hearing", {text("case", "case-001")})).code,
            "NO_MEASURE");
}

TEST(SpoedUhp, AUhpDecidedAfterTheHearingReplacesItAndKeepsThePlacement) {
  Chain chain;
  grant_spoed(chain);
  ASSERT_TRUE(placement(chain, utc_ms(2026, 5, 12), "2026-05-12").ok);
  ASSERT_TRUE(chain.file(utc_ms(2026, 5, 13), kGi, "req-uhp", "UHP").ok);
  ASSERT_TRUE(chain.decide(utc_ms(2026, 5, 20, 9), "req-uhp", "2026-05-20", "2027-03-15").ok);
  chain.run(utc_ms(2026, 9, 1));
  EXPECT_EQ(chain.count("SPOED_HEARING_MISSED"), 0u);
  EXPECT_EQ(chain.count("UHP_LAPSED"), 0u);
  EXPECT_TRUE(chain.case_record().uhp().placed());
  EXPECT_FALSE(chain.case_record().uhp().spoed());
}

}  // namespace
}  // namespace joet
