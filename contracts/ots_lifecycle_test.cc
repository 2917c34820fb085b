// The OTS lifecycle with hand-computed dates. The standard OTS runs 2026-03-15 .. 2027-03-15
// (exclusive); 2027-03-15 00:00 Amsterdam (CET) is 2027-03-14T23:00:00Z.
#include <gtest/gtest.h>

#include "contracts/contracts_test_support.h"

namespace joet {
namespace {

using namespace joet::testing;  // NOLINT

TEST(OtsLifecycle, LapsesAtFirstBlockOnOrAfterEndDateInAmsterdam) {
  Chain chain;
  chain.grant_standard_ots();
  chain.run(utc_ms(2027, 3, 14, 22, 59, 59));
  EXPECT_EQ(chain.count("MEASURE_ENDED"), 0u);
  auto all = chain.run(utc_ms(2027, 3, 14, 23, 0, 0)).events;
  std::vector<cv1::Event> ended;  // the sparse blocks also let missed D-PROGRESS quarters fire here
  for (const auto& e : all) {
    if (e.kind() == "MEASURE_ENDED") ended.push_back(e);
  }
  ASSERT_EQ(ended.size(), 3u);
  EXPECT_EQ(ended[0].detail(), "LAPSED");
  EXPECT_EQ(ended[0].measure(), "OTS");
  EXPECT_EQ(ended[0].recipient(), kGi);
  EXPECT_EQ(ended[1].recipient(), kRvdk);
  EXPECT_EQ(ended[2].recipient(), kMunicipality);
  chain.run(utc_ms(2027, 3, 20));
  EXPECT_EQ(chain.count("MEASURE_ENDED"), 3u);
}

TEST(OtsLifecycle, ExtensionDecidedBeforeTheEndMovesTheLapse) {
  Chain chain;
  chain.grant_standard_ots();
  ASSERT_TRUE(chain.file(utc_ms(2027, 2, 1), kGi, "req-ext", "EXTEND_OTS").ok);
  ASSERT_TRUE(chain.decide(utc_ms(2027, 3, 10), "req-ext", "2027-03-15", "2028-03-15").ok);
  chain.run(utc_ms(2027, 3, 14, 23));
  chain.run(utc_ms(2028, 3, 14, 22, 59, 59));
  EXPECT_EQ(chain.count("MEASURE_ENDED"), 0u);
  chain.run(utc_ms(2028, 3, 14, 23));  // 2028-03-15 00:00 CET
  EXPECT_EQ(chain.count("MEASURE_ENDED"), 3u);
  EXPECT_EQ(chain.count("EXTENSION_NOT_REQUESTED"), 2u);  // the extended year's D-EXTEND: none was filed
}

TEST(OtsLifecycle, ExtensionDecidedOnEndDateIsRefused) {
  Chain chain;
  chain.grant_standard_ots();
  ASSERT_TRUE(chain.file(utc_ms(2027, 2, 1), kGi, "req-ext", "EXTEND_OTS").ok);
  EXPECT_EQ(chain.decide(utc_ms(2027, 3, 15, 9), "req-ext", "2027-03-15", "2028-03-15").code, "EXTENSION_AFTER_END");
}

TEST(OtsLifecycle, ExtensionAtTheLastMinuteInAmsterdamCountsByTheAmsterdamDate) {
  Chain late;
  late.grant_standard_ots();
  ASSERT_TRUE(late.file(utc_ms(2027, 2, 1), kGi, "req-ext", "EXTEND_OTS").ok);
  // 23:30Z on the 14th is 00:30 on the 15th in Amsterdam: on the end date.
  EXPECT_EQ(late.decide(utc_ms(2027, 3, 14, 23, 30), "req-ext", "2027-03-15", "2028-03-15").code,
            "EXTENSION_AFTER_END");
  Chain in_time;
  in_time.grant_standard_ots();
  ASSERT_TRUE(in_time.file(utc_ms(2027, 2, 1), kGi, "req-ext", "EXTEND_OTS").ok);
  EXPECT_TRUE(in_time.decide(utc_ms(2027, 3, 14, 22, 30), "req-ext", "2027-03-15", "2028-03-15").ok);
}

TEST(OtsLifecycle, ExtensionMustStartAtTheOldEndAndLastAtMostAYear) {
  Chain chain;
  chain.grant_standard_ots();
  ASSERT_TRUE(chain.file(utc_ms(2027, 2, 1), kGi, "req-ext", "EXTEND_OTS").ok);
  EXPECT_EQ(chain.decide(utc_ms(2027, 3, 1), "req-ext", "2027-03-14", "2028-03-14").code, "BAD_FIELD");
  EXPECT_EQ(chain.decide(utc_ms(2027, 3, 1), "req-ext", "2027-03-15", "2028-03-16").code, "TERM_TOO_LONG");
  EXPECT_TRUE(chain.decide(utc_ms(2027, 3, 1), "req-ext", "2027-03-15", "2028-03-15").ok);
  EXPECT_EQ(chain.decide(utc_ms(2027, 3, 2), "req-ext", "2027-03-15", "2028-03-15").code, "DUPLICATE");
}

TEST(OtsLifecycle, TermTooLongForLeapDayPlusTwelveMonthsPlusOneDay) {
  Chain chain;
  ASSERT_TRUE(chain.open_case(utc_ms(2024, 2, 20)).ok);
  ASSERT_TRUE(chain.file(utc_ms(2024, 2, 21), kRvdk, "req-ots", "OTS").ok);
  // 2024-02-29 + 12 months = 2025-02-28 (clamped).
  EXPECT_EQ(chain.decide(utc_ms(2024, 2, 29), "req-ots", "2024-02-29", "2025-03-01").code, "TERM_TOO_LONG");
  EXPECT_TRUE(chain.decide(utc_ms(2024, 2, 29), "req-ots", "2024-02-29", "2025-02-28").ok);
}

TEST(OtsLifecycle, VoorlopigeOtsLastsAtMostThreeMonthsAndIsReplacedByAnOts) {
  Chain chain;
  ASSERT_TRUE(chain.open_case(utc_ms(2026, 1, 20)).ok);
  ASSERT_TRUE(chain.file(utc_ms(2026, 1, 21), kRvdk, "req-vots", "VOTS").ok);
  // 2026-01-31 + 3 months = 2026-04-30 (clamped).
  EXPECT_EQ(chain.decide(utc_ms(2026, 1, 31), "req-vots", "2026-01-31", "2026-05-01").code, "TERM_TOO_LONG");
  ASSERT_TRUE(chain.decide(utc_ms(2026, 1, 31), "req-vots", "2026-01-31", "2026-04-30").ok);
  ASSERT_TRUE(chain.file(utc_ms(2026, 3, 1), kRvdk, "req-ots", "OTS").ok);
  ASSERT_TRUE(chain.decide(utc_ms(2026, 4, 1), "req-ots", "2026-04-01", "2027-04-01").ok);
  chain.run(utc_ms(2026, 5, 1));  // the VOTS's D-LAPSE was cancelled by the replacement
  EXPECT_EQ(chain.count("MEASURE_ENDED"), 0u);
  chain.run(utc_ms(2027, 3, 31, 22));  // 2027-04-01 00:00 CEST
  EXPECT_EQ(chain.count("MEASURE_ENDED"), 3u);
}

TEST(OtsLifecycle, AMeasureNeverRunsPastTheMajorityDate) {
  Chain chain;
  ASSERT_TRUE(chain.open_case(utc_ms(2026, 3, 10), "case-001", "2026-12-01").ok);
  ASSERT_TRUE(chain.file(utc_ms(2026, 3, 11), kRvdk, "req-ots", "OTS").ok);
  EXPECT_EQ(chain.decide(utc_ms(2026, 3, 15), "req-ots", "2026-03-15", "2027-03-15").code, "PAST_MAJORITY");
  EXPECT_TRUE(chain.decide(utc_ms(2026, 3, 15), "req-ots", "2026-03-15", "2026-12-01").ok);
}

TEST(OtsLifecycle, EachDeadlineFiresExactlyOnceAcrossManyBlocks) {
  Chain chain;
  chain.grant_standard_ots();
  for (int64_t t = utc_ms(2026, 3, 16); t < utc_ms(2027, 6, 1); t += 6 * kMsPerHour) chain.run(t);
  EXPECT_EQ(chain.count("PLAN_MISSED"), 2u);              // GI, MUNICIPALITY at 2026-04-26
  EXPECT_EQ(chain.count("EXTENSION_NOT_REQUESTED"), 2u);  // RVDK, MUNICIPALITY at 2027-03-01
  EXPECT_EQ(chain.count("MEASURE_ENDED"), 3u);
  std::map<std::string, uint64_t> last;
  for (const auto& e : chain.events) {
    EXPECT_EQ(e.seq(), last[e.recipient()] + 1) << e.recipient();
    last[e.recipient()] = e.seq();
  }
}

TEST(OtsLifecycle, PlanMissedFiresAtStartPlusFortyTwoDaysUnlessThePlanIsFiled) {
  Chain missed;
  missed.grant_standard_ots();
  missed.run(utc_ms(2026, 4, 25, 21, 59, 59));  // 2026-04-26 00:00 CEST = 2026-04-25T22:00Z
  EXPECT_EQ(missed.count("PLAN_MISSED"), 0u);
  missed.run(utc_ms(2026, 4, 25, 22));
  EXPECT_EQ(missed.count("PLAN_MISSED"), 2u);

  Chain filed;
  filed.grant_standard_ots();
  auto plan = filed.tx(kGi, "gi.plan", {text("case", "case-001"), hash_arg("document", "plan")});
  ASSERT_TRUE(filed.run_one(utc_ms(2026, 4, 20), plan).ok);
  filed.run(utc_ms(2026, 5, 1));
  EXPECT_EQ(filed.count("PLAN_MISSED"), 0u);
}

TEST(OtsLifecycle, AnExtensionRequestFiledInTimeCancelsDExtend) {
  Chain chain;
  chain.grant_standard_ots();
  ASSERT_TRUE(chain.file(utc_ms(2027, 2, 27), kGi, "req-ext", "EXTEND_OTS").ok);
  chain.run(utc_ms(2027, 3, 5));
  EXPECT_EQ(chain.count("EXTENSION_NOT_REQUESTED"), 0u);
}

TEST(OtsLifecycle, LiftingEndsTheMeasureOnTheLiftDate) {
  Chain chain;
  chain.grant_standard_ots();
  auto lift = chain.tx(kCourt, "court.lift", {text("case", "case-001"), text("date", "2026-09-01")});
  ASSERT_TRUE(chain.run_one(utc_ms(2026, 8, 20), lift).ok);
  chain.run(utc_ms(2026, 8, 31, 21, 59));
  EXPECT_EQ(chain.count("MEASURE_ENDED"), 0u);
  auto out = chain.run(utc_ms(2026, 8, 31, 22));  // 2026-09-01 00:00 CEST
  ASSERT_EQ(out.events.size(), 3u);
  EXPECT_EQ(out.events[0].detail(), "LIFTED");
  chain.run(utc_ms(2027, 4, 1));
  EXPECT_EQ(chain.count("MEASURE_ENDED"), 3u);
  EXPECT_EQ(chain.count("EXTENSION_NOT_REQUESTED"), 0u);
}

TEST(OtsLifecycle, ActionsOnAnUnknownCaseAreRefused) {
  Chain chain;
  EXPECT_EQ(chain.file(utc_ms(2026, 3, 11), kRvdk, "req-ots", "OTS", "case-404").code, "CASE_UNKNOWN");
  EXPECT_EQ(chain.decide(utc_ms(2026, 3, 11), "req-ots", "2026-03-15", "2027-03-15", "case-404").code, "CASE_UNKNOWN");
}

TEST(OtsLifecycle, AnExtensionRequestNeedsARunningOts) {
  Chain chain;
  ASSERT_TRUE(chain.open_case(utc_ms(2026, 3, 10)).ok);
  EXPECT_EQ(chain.file(utc_ms(2026, 3, 11), kRvdk, "req-ext", "EXTEND_OTS").code, "NO_MEASURE");
}

// 1:260 lid 2. The standard OTS ends 2027-03-15; the GI's filing term (extension_filing_days 14) ends
// on 2027-03-01. Before that only the GI asks, unless it said it will not extend.
TEST(OtsLifecycle, OthersAskForAnExtensionOnlyWhenTheGiDoesNot) {
  Chain chain;
  chain.grant_standard_ots();
  const TxResult early = chain.file(utc_ms(2027, 2, 28, 9), kRvdk, "req-ext", "EXTEND_OTS");
  EXPECT_EQ(early.code, "GI_FILES_FIRST");
  EXPECT_EQ(early.message, "the GI asks for the extension until 2027-03-01 unless it gave gi.non_extension (1:260 lid 2)");
  auto for_parent = chain.tx(kCourt, "request.file",
                             {text("case", "case-001"), text("request", "req-ext"), text("kind", "EXTEND_OTS"),
                              hash_arg("document", "x"), text("filed_for", "PARENT")});
  EXPECT_EQ(chain.run_one(utc_ms(2027, 2, 28, 9), for_parent).code, "GI_FILES_FIRST");
  // 2027-03-01 00:00 CET = 2027-02-28T23:00Z: the term has come without the GI's request.
  EXPECT_TRUE(chain.file(utc_ms(2027, 2, 28, 23), kRvdk, "req-ext", "EXTEND_OTS").ok);
}

TEST(OtsLifecycle, AfterTheGisNonExtensionTheRvdkMayAskAtOnce) {
  Chain chain;
  chain.grant_standard_ots();
  ASSERT_TRUE(chain.run_one(utc_ms(2026, 12, 1, 9), chain.tx(kGi, "gi.non_extension",
                                                            {text("case", "case-001"), hash_arg("document", "ne")}))
                  .ok);
  EXPECT_TRUE(chain.file(utc_ms(2026, 12, 2, 9), kRvdk, "req-ext", "EXTEND_OTS").ok);
}

}  // namespace
}  // namespace joet
