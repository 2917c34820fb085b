// The case quickscan measure by measure, with hand-computed dates. The standard OTS runs 2026-03-15 ..
// 2027-03-15 (granted 2026-03-15, ground ONGUNSTIGE_THUISSITUATIE, rules version 2); the default policy:
// assign 5 days, plan 42 days, D-NONEXT 61 days before the end, contact grace 7 days, no-contact
// signal 14 days.
#include "contracts/quickscan.h"

#include <gtest/gtest.h>

#include "contracts/civil_date.h"
#include "contracts/contracts_test_support.h"
#include "contracts/rules.h"

namespace joet {
namespace {

using namespace joet::testing;  // NOLINT


// The items of one check, as "STATUS yyyy-mm-dd detail" (the date "-" when none).
std::vector<std::string> seen(const std::vector<QuickscanItem>& items, std::string_view check,
                              std::string_view subject = "") {
  std::vector<std::string> out;
  for (const QuickscanItem& i : items) {
    if (i.check != check || (!subject.empty() && i.subject != subject)) continue;
    out.push_back(std::string(check_status_name(i.status)) + " " + (i.day ? to_string(civil_from_days(*i.day)) : "-") +
                  (i.detail.empty() ? "" : " " + i.detail));
  }
  return out;
}
using Seen = std::vector<std::string>;

// The quickscan of case-001 on `chain` after a block at `t`.
std::vector<QuickscanItem> scan_at(Chain& chain, int64_t t) {
  chain.run(t);
  auto records = read_case_records(chain.store, "case-001");
  EXPECT_TRUE(records.ok() && records->has_value());
  const Statute* statute = find_rules(built_in_rules(), rules_version_at(chain.store, chain.height).value());
  return quickscan(**records, Policy{}, *statute, t);
}

TxResult register_and_assign(Chain& chain, int64_t t, std::string until) {
  EXPECT_TRUE(chain.run_one(t, chain.tx(kGi, "professional.register",
                                        {text("professional", "jb-1"), text("skj_valid_until", until)}))
                  .ok);
  return chain.run_one(t, chain.tx(kGi, "gi.assign", {text("case", "case-001"), text("professional", "jb-1")}));
}

TEST(Quickscan, AFreshOtsListsItsDutiesPendingUntilTheirDueDates) {
  Chain chain(2);
  chain.grant_standard_ots();
  const auto items = scan_at(chain, utc_ms(2026, 3, 16, 10));
  EXPECT_EQ(seen(items, "GROUNDS_STATED"), Seen{"MET 2026-03-15 ONGUNSTIGE_THUISSITUATIE"});
  EXPECT_EQ(seen(items, "TERM_WITHIN_MAXIMUM"), Seen{"MET 2027-03-15"});
  EXPECT_EQ(seen(items, "JEUGDBESCHERMER_ASSIGNED"), Seen{"PENDING 2026-03-20 NOT_ASSIGNED"});
  EXPECT_EQ(seen(items, "PLAN_FILED"), Seen{"PENDING 2026-04-26"});
  EXPECT_EQ(seen(items, "PROGRESS_EACH_QUARTER"), Seen{"PENDING 2026-06-15 Q1"});
  // 2027-03-15 - 61 days = 2027-01-13.
  EXPECT_EQ(seen(items, "EXTENSION_OR_NOTICE_IN_TIME"), Seen{"PENDING 2027-01-13"});
  EXPECT_EQ(seen(items, "CONTACT_WITH_PARENT"), Seen{"NOT_APPLICABLE - NO_ARRANGEMENT"});
  // Every pending item names the deadline that will fire.
  for (const QuickscanItem& i : items) {
    EXPECT_EQ(i.status == CheckStatus::kPending, i.deadline_id != 0) << i.check;
    EXPECT_EQ(i.subject, "OTS") << i.check;
  }
  // The same state and time give the same list.
  EXPECT_EQ(items, scan_at(chain, utc_ms(2026, 3, 16, 11)));
}

TEST(Quickscan, ADutyDoneIsMetAndADeadlineThatFiredIsViolated) {
  Chain chain(2);
  chain.grant_standard_ots();
  ASSERT_TRUE(register_and_assign(chain, utc_ms(2026, 3, 18, 9), "2030-01-01").ok);
  // 2026-04-26 00:00 CEST passed without a plan.
  auto items = scan_at(chain, utc_ms(2026, 4, 27, 10));
  EXPECT_EQ(seen(items, "JEUGDBESCHERMER_ASSIGNED"), Seen{"MET 2026-03-18"});
  EXPECT_EQ(seen(items, "PLAN_FILED"), Seen{"VIOLATED 2026-04-26"});
  // A plan after its deadline fired stays a violation: the missed deadline's fact for the case says so.
  ASSERT_TRUE(chain.run_one(utc_ms(2026, 4, 28, 9), chain.tx(kGi, "gi.plan", {text("case", "case-001"),
                                                                             hash_arg("document", "plan")}))
                  .ok);
  EXPECT_EQ(seen(scan_at(chain, utc_ms(2026, 4, 29, 10)), "PLAN_FILED"), Seen{"VIOLATED 2026-04-26 LATE"});
  ASSERT_TRUE(chain.progress(utc_ms(2026, 5, 1, 9)).ok);
  items = scan_at(chain, utc_ms(2026, 5, 2, 10));
  EXPECT_EQ(seen(items, "PROGRESS_EACH_QUARTER"), Seen{"MET 2026-05-01 Q1"});
  // Q1 (due 2026-06-15) was met on 2026-05-01; Q2 (2026-06-15 .. 2026-09-15) got none.
  items = scan_at(chain, utc_ms(2026, 7, 1, 10));
  EXPECT_EQ(seen(items, "PROGRESS_EACH_QUARTER"), Seen{"PENDING 2026-09-15 Q2"});
  items = scan_at(chain, utc_ms(2026, 9, 16, 10));
  EXPECT_EQ(seen(items, "PROGRESS_EACH_QUARTER"), Seen{"VIOLATED 2026-09-15 Q2"});
}

TEST(Quickscan, APlanFiledInTimeIsMetOnItsDay) {
  Chain chain(2);
  chain.grant_standard_ots();
  ASSERT_TRUE(chain.run_one(utc_ms(2026, 4, 20, 9), chain.tx(kGi, "gi.plan", {text("case", "case-001"),
                                                                             hash_arg("document", "plan")}))
                  .ok);
  EXPECT_EQ(seen(scan_at(chain, utc_ms(2026, 4, 27, 10)), "PLAN_FILED"), Seen{"MET 2026-04-20"});
}

TEST(Quickscan, AJeugdbeschermerWhoseSkjRegistrationExpiredIsAViolation) {
  Chain chain(2);
  chain.grant_standard_ots();
  ASSERT_TRUE(register_and_assign(chain, utc_ms(2026, 3, 18, 9), "2026-04-01").ok);
  EXPECT_EQ(seen(scan_at(chain, utc_ms(2026, 4, 1, 10)), "JEUGDBESCHERMER_ASSIGNED"), Seen{"MET 2026-03-18"});
  EXPECT_EQ(seen(scan_at(chain, utc_ms(2026, 4, 2, 10)), "JEUGDBESCHERMER_ASSIGNED"),
            Seen{"VIOLATED 2026-04-01 SKJ_EXPIRED"});
}

TEST(Quickscan, NoAssignmentByTheNormIsAViolationOnItsDueDayAndStaysOneWhenLate) {
  Chain chain(2);
  chain.grant_standard_ots();
  EXPECT_EQ(seen(scan_at(chain, utc_ms(2026, 3, 21, 10)), "JEUGDBESCHERMER_ASSIGNED"),
            Seen{"VIOLATED 2026-03-20 NOT_ASSIGNED"});
  ASSERT_TRUE(register_and_assign(chain, utc_ms(2026, 3, 22, 9), "2030-01-01").ok);
  EXPECT_EQ(seen(scan_at(chain, utc_ms(2026, 3, 23, 10)), "JEUGDBESCHERMER_ASSIGNED"), Seen{"VIOLATED 2026-03-20 LATE"});
}

TEST(Quickscan, AContactLimitReviewedBeforeItsDueDayIsMet) {
  Chain chain(2);
  chain.grant_standard_ots();
  ASSERT_TRUE(chain.aanwijzing(utc_ms(2026, 4, 13, 9), "aw-1", "CONTACT_LIMIT").ok);
  ASSERT_TRUE(chain.review_aanwijzing(utc_ms(2026, 5, 20, 9), "aw-1", "ANNULLED").ok);
  EXPECT_EQ(seen(scan_at(chain, utc_ms(2026, 5, 21, 10)), "CONTACT_LIMIT_REVIEWED"), Seen{"MET 2026-05-20 ANNULLED"});
}

// Weekly contact arranged on 2026-04-01: a HELD contact is due by 2026-04-01 + 7 + 7 = 2026-04-15;
// after one on 2026-04-10, by 2026-04-24.
TEST(Quickscan, ContactWithTheParentFollowsTheCourtsArrangement) {
  Chain chain(2);
  chain.grant_standard_ots();
  ASSERT_TRUE(chain.run_one(utc_ms(2026, 4, 1, 9), chain.tx(kCourt, "court.contact_arrangement",
                                                            {text("case", "case-001"), integer("interval_days", 7)}))
                  .ok);
  EXPECT_EQ(seen(scan_at(chain, utc_ms(2026, 4, 2, 10)), "CONTACT_WITH_PARENT"), Seen{"PENDING 2026-04-15 INTERVAL_7"});
  ASSERT_TRUE(chain.run_one(utc_ms(2026, 4, 10, 18), chain.tx(kGi, "contact.record",
                                                              {text("case", "case-001"), text("date", "2026-04-10"),
                                                               text("outcome", "HELD")}))
                  .ok);
  EXPECT_EQ(seen(scan_at(chain, utc_ms(2026, 4, 11, 10)), "CONTACT_WITH_PARENT"), Seen{"MET 2026-04-10 INTERVAL_7"});
  EXPECT_EQ(seen(scan_at(chain, utc_ms(2026, 4, 25, 10)), "CONTACT_WITH_PARENT"), Seen{"VIOLATED 2026-04-24 INTERVAL_7"});
}

// The standard UHP: asked by the GI on 2026-05-01, granted 2026-05-10 .. 2027-03-15; carried out by
// 2026-05-10 + 3 months = 2026-08-10 (1:265c lid 3).
TEST(Quickscan, AUhpMustBeCarriedOutWithinThreeMonthsAndLieWithinTheOts) {
  Chain placed(2);
  placed.grant_standard_uhp();
  auto items = scan_at(placed, utc_ms(2026, 5, 11, 10));
  EXPECT_EQ(seen(items, "UHP_CARRIED_OUT"), Seen{"PENDING 2026-08-10"});
  EXPECT_EQ(seen(items, "UHP_WITHIN_OTS"), Seen{"MET 2027-03-15"});
  EXPECT_EQ(seen(items, "GROUNDS_STATED", "UHP"), Seen{"MET 2026-05-10 ONGUNSTIGE_THUISSITUATIE"});
  EXPECT_EQ(seen(items, "TERM_WITHIN_MAXIMUM", "UHP"), Seen{"MET 2027-03-15"});
  EXPECT_TRUE(seen(items, "COLLEGEBESLUIT_WITH_UHP_REQUEST").empty()) << "the GI asked: no collegebesluit needed";
  ASSERT_TRUE(placed.run_one(utc_ms(2026, 6, 1, 9), placed.tx(kGi, "gi.placement",
                                                              {text("case", "case-001"), text("date", "2026-06-01")}))
                  .ok);
  items = scan_at(placed, utc_ms(2026, 6, 2, 10));
  EXPECT_EQ(seen(items, "UHP_CARRIED_OUT"), Seen{"MET 2026-06-01"});
  // Placed without a contact arrangement: the no-contact signal term (14 days) applies.
  EXPECT_EQ(seen(items, "CONTACT_WITH_PARENT"), Seen{"MET - NO_ARRANGEMENT"});
  EXPECT_EQ(seen(scan_at(placed, utc_ms(2026, 6, 16, 10)), "CONTACT_WITH_PARENT"), Seen{"VIOLATED 2026-06-15 NO_CONTACT"});

  Chain never(2);
  never.grant_standard_uhp();
  items = scan_at(never, utc_ms(2026, 8, 11, 10));
  EXPECT_EQ(seen(items, "UHP_CARRIED_OUT"), Seen{"VIOLATED 2026-08-10 NOT_CARRIED_OUT"});
  EXPECT_EQ(seen(items, "MEASURE_RUNNING", "UHP"), Seen{"NOT_APPLICABLE - ENDED_NOT_CARRIED_OUT"});
}

TEST(Quickscan, AUhpAskedByTheRvdkNeedsTheMunicipalitysCollegebesluit) {
  Chain chain(2);
  chain.grant_standard_ots();
  ASSERT_TRUE(chain.file(utc_ms(2026, 5, 1, 9), kRvdk, "req-uhp", "UHP").ok);
  EXPECT_EQ(seen(scan_at(chain, utc_ms(2026, 5, 2, 10)), "COLLEGEBESLUIT_WITH_UHP_REQUEST"), Seen{"PENDING -"});
  ASSERT_TRUE(chain.run_one(utc_ms(2026, 5, 3, 9), chain.tx(kMunicipality, "municipality.decision",
                                                            {text("case", "case-001"), text("request", "req-uhp"),
                                                             hash_arg("document", "cb")}))
                  .ok);
  EXPECT_EQ(seen(scan_at(chain, utc_ms(2026, 5, 4, 10)), "COLLEGEBESLUIT_WITH_UHP_REQUEST"),
            Seen{"MET - gem-amsterdam"});
}

// An OTS that reaches its end date without an extension: fine only if the GI told the RvdK it would
// not ask (1:265j).
TEST(Quickscan, AnOtsThatLapsedUnannouncedIsAViolationAndAnnouncedIsNot) {
  Chain unannounced(2);
  unannounced.grant_standard_ots();
  auto items = scan_at(unannounced, utc_ms(2027, 3, 16, 10));
  EXPECT_EQ(seen(items, "EXTENSION_OR_NOTICE_IN_TIME"), Seen{"VIOLATED 2027-03-15 LAPSED_UNANNOUNCED"});
  EXPECT_EQ(seen(items, "MEASURE_RUNNING"), Seen{"NOT_APPLICABLE 2027-03-15 ENDED_LAPSED"});
  EXPECT_TRUE(seen(items, "PLAN_FILED").empty()) << "what ran during an ended measure is in its events";

  Chain announced(2);
  announced.grant_standard_ots();
  ASSERT_TRUE(announced.run_one(utc_ms(2026, 12, 1, 9), announced.tx(kGi, "gi.non_extension",
                                                                     {text("case", "case-001"), hash_arg("document", "ne")}))
                  .ok);
  EXPECT_EQ(seen(scan_at(announced, utc_ms(2026, 12, 2, 10)), "EXTENSION_OR_NOTICE_IN_TIME"),
            Seen{"MET - NON_EXTENSION_GIVEN"});
  EXPECT_EQ(seen(scan_at(announced, utc_ms(2027, 3, 16, 10)), "EXTENSION_OR_NOTICE_IN_TIME"),
            Seen{"MET 2027-03-15 NON_EXTENSION_GIVEN"});
}

// A contact limitation issued on Monday 2026-04-13: the objection term runs through Tuesday 2026-04-28
// (14 days end on King's Day, Atw); the court's review is due by 2026-04-13 + 42 = 2026-05-25.
TEST(Quickscan, AnAanwijzingShowsItsObjectionWindowAndAContactLimitItsReview) {
  Chain chain(2);
  chain.grant_standard_ots();
  ASSERT_TRUE(chain.aanwijzing(utc_ms(2026, 4, 13, 9), "aw-1", "CONTACT_LIMIT").ok);
  auto items = scan_at(chain, utc_ms(2026, 4, 28, 10));
  EXPECT_EQ(seen(items, "AANWIJZING_OBJECTION_WINDOW", "aanwijzing aw-1"), Seen{"PENDING 2026-04-29 OPEN"});
  EXPECT_EQ(seen(items, "CONTACT_LIMIT_REVIEWED"), Seen{"PENDING 2026-05-25"});
  items = scan_at(chain, utc_ms(2026, 5, 26, 10));
  EXPECT_EQ(seen(items, "AANWIJZING_OBJECTION_WINDOW"), Seen{"MET 2026-04-29 CLOSED"});
  EXPECT_EQ(seen(items, "CONTACT_LIMIT_REVIEWED"), Seen{"VIOLATED 2026-05-25"});
  ASSERT_TRUE(chain.review_aanwijzing(utc_ms(2026, 5, 27, 9), "aw-1", "UPHELD").ok);
  items = scan_at(chain, utc_ms(2026, 5, 28, 10));
  EXPECT_EQ(seen(items, "AANWIJZING_OBJECTION_WINDOW"), Seen{"MET 2026-04-29 REVIEWED_UPHELD"});
  EXPECT_EQ(seen(items, "CONTACT_LIMIT_REVIEWED"), Seen{"VIOLATED 2026-05-25 LATE"}) << "reviewed after its due day";
}

// A complaint filed 2026-04-01 is decided by 2026-04-01 + 42 days = 2026-05-13.
TEST(Quickscan, AComplaintAndAnEscalationMustBeAnsweredInTime) {
  Chain chain(2);
  chain.grant_standard_ots();
  ASSERT_TRUE(chain.complain(utc_ms(2026, 4, 1, 9)).ok);
  ASSERT_TRUE(chain.run_one(utc_ms(2026, 4, 1, 9), chain.tx(kMunicipality, "escalation.request",
                                                            {text("case", "case-001"), text("escalation", "e-1"),
                                                             text("addressee", std::string(kGi)),
                                                             hash_arg("document", "e-1")}))
                  .ok);
  auto items = scan_at(chain, utc_ms(2026, 4, 2, 10));
  EXPECT_EQ(seen(items, "COMPLAINT_DECIDED", "complaint k-1"), Seen{"PENDING 2026-05-13"});
  // 14 days from 2026-04-01.
  EXPECT_EQ(seen(items, "ESCALATION_ANSWERED", "escalation e-1"), Seen{"PENDING 2026-04-15 gi-jbra"});
  items = scan_at(chain, utc_ms(2026, 5, 14, 10));
  EXPECT_EQ(seen(items, "COMPLAINT_DECIDED"), Seen{"VIOLATED 2026-05-13"});
  EXPECT_EQ(seen(items, "ESCALATION_ANSWERED"), Seen{"VIOLATED - gi-jbra"});
  ASSERT_TRUE(chain.run_one(utc_ms(2026, 5, 15, 9), chain.tx(kGi, "complaint.decide",
                                                             {text("case", "case-001"), text("complaint", "k-1"),
                                                              text("outcome", "REJECTED"), hash_arg("document", "d")}))
                  .ok);
  EXPECT_EQ(seen(scan_at(chain, utc_ms(2026, 5, 16, 10)), "COMPLAINT_DECIDED"), Seen{"MET - REJECTED"});
}

TEST(Quickscan, ACaseWithoutAMeasureHasNothingToCheckAndAnUnknownCaseIsNone) {
  Chain chain(2);
  ASSERT_TRUE(chain.open_case(utc_ms(2026, 3, 10, 9)).ok);
  EXPECT_TRUE(scan_at(chain, utc_ms(2026, 3, 11)).empty());
  auto unknown = read_case_records(chain.store, "case-404");
  ASSERT_TRUE(unknown.ok());
  EXPECT_FALSE(unknown->has_value());
}

// Under rules version 1 a grant names no grounds: the quickscan says so instead of calling it a breach.
TEST(Quickscan, AGrantFromBeforeGroundsWereRecordedIsNotApplicable) {
  Chain chain(1);
  chain.grant_standard_ots();
  EXPECT_EQ(seen(scan_at(chain, utc_ms(2026, 3, 16, 10)), "GROUNDS_STATED"), Seen{"NOT_APPLICABLE 2026-03-15 NOT_RECORDED"});
}

}  // namespace
}  // namespace joet
