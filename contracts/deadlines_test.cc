// D-PROGRESS, D-18, D-APPEAL and the D-EXTEND reminders, with hand-computed dates. The standard OTS
// runs 2026-03-15 .. 2027-03-15 and is decided on Sunday 2026-03-15.
#include <gtest/gtest.h>

#include "contracts/contracts_test_support.h"
#include "contracts/deadlines.h"

namespace joet {
namespace {

using namespace joet::testing;  // NOLINT

using Names = std::vector<std::string>;

// An OTS 2026-01-31 .. 2027-01-31: quarters end on start + 3k months = 2026-04-30, 2026-07-31 (not
// 2026-07-30, what stepping +3 from 2026-04-30 would give), 2026-10-31.
TEST(Progress, QuartersAreCountedFromTheStartNeverStepByStep) {
  Chain chain;
  ASSERT_TRUE(chain.open_case(utc_ms(2026, 1, 20)).ok);
  ASSERT_TRUE(chain.file(utc_ms(2026, 1, 21), kRvdk, "req-ots", "OTS").ok);
  ASSERT_TRUE(chain.decide(utc_ms(2026, 1, 31, 9), "req-ots", "2026-01-31", "2027-01-31").ok);
  // Q1 due 2026-04-30 00:00 CEST = 2026-04-29T22:00Z, nothing reported.
  chain.run(utc_ms(2026, 4, 29, 21, 59, 59));
  EXPECT_EQ(chain.count("PROGRESS_MISSED"), 0u);
  chain.run(utc_ms(2026, 4, 29, 22));
  const auto q1 = chain.of_kind("PROGRESS_MISSED");
  ASSERT_EQ(Chain::recipients(q1), (Names{std::string(kGi), std::string(kMunicipality)}));
  EXPECT_EQ(q1[0].detail(), "Q1");
  // Reported on 2026-07-30: inside Q2, which ends at 2026-07-31 00:00 CEST = 2026-07-30T22:00Z.
  ASSERT_TRUE(chain.progress(utc_ms(2026, 7, 30, 12)).ok);
  chain.run(utc_ms(2026, 7, 30, 22));
  EXPECT_EQ(chain.count("PROGRESS_MISSED"), 2u);
  // Q3 due 2026-10-31 00:00 CET (winter time from 2026-10-25) = 2026-10-30T23:00Z.
  chain.run(utc_ms(2026, 10, 30, 22, 59, 59));
  EXPECT_EQ(chain.count("PROGRESS_MISSED"), 2u);
  chain.run(utc_ms(2026, 10, 30, 23));
  EXPECT_EQ(chain.count("PROGRESS_MISSED"), 4u);
  EXPECT_EQ(chain.of_kind("PROGRESS_MISSED").back().detail(), "Q3");
}

TEST(Majority, TheGiIsRemindedNinetyDaysBeforeAndTheMeasureEndsByLaw) {
  Chain chain;
  ASSERT_TRUE(chain.open_case(utc_ms(2026, 3, 10), "case-001", "2026-12-01").ok);
  ASSERT_TRUE(chain.file(utc_ms(2026, 3, 11), kRvdk, "req-ots", "OTS").ok);
  ASSERT_TRUE(chain.decide(utc_ms(2026, 3, 15), "req-ots", "2026-03-15", "2026-12-01").ok);
  // 2026-12-01 - 90 days = 2026-09-02; 00:00 CEST = 2026-09-01T22:00Z.
  chain.run(utc_ms(2026, 9, 1, 21, 59, 59));
  EXPECT_EQ(chain.count("MAJORITY_REMINDER"), 0u);
  chain.run(utc_ms(2026, 9, 1, 22));
  EXPECT_EQ(Chain::recipients(chain.of_kind("MAJORITY_REMINDER")), Names{std::string(kGi)});
  // 2026-12-01 00:00 CET = 2026-11-30T23:00Z.
  chain.run(utc_ms(2026, 11, 30, 23));
  const auto ended = chain.of_kind("MEASURE_ENDED");
  ASSERT_EQ(ended.size(), 3u);
  EXPECT_EQ(ended[0].detail(), "MAJORITY");
  chain.run(utc_ms(2027, 1, 1));
  EXPECT_EQ(chain.count("MEASURE_ENDED"), 3u);
}

TEST(Appeal, TheAppealTermOfThreeMonthsIsExtendedPastAWeekend) {
  Chain chain;
  ASSERT_TRUE(chain.open_case(utc_ms(2026, 3, 10)).ok);
  ASSERT_TRUE(chain.file(utc_ms(2026, 3, 11), kRvdk, "req-ots", "OTS").ok);
  auto refused = chain.tx(kCourt, "court.decide",
                          {text("case", "case-001"), text("request", "req-ots"), text("outcome", "REFUSED")});
  ASSERT_TRUE(chain.run_one(utc_ms(2026, 3, 27, 10), refused).ok);
  // 2026-03-27 + 3 months = Saturday 2026-06-27 -> Monday 2026-06-29; ended at 2026-06-30 00:00 CEST
  // = 2026-06-29T22:00Z. The case has no GI yet: the RvdK alone is told.
  chain.run(utc_ms(2026, 6, 29, 21, 59, 59));
  EXPECT_EQ(chain.count("APPEAL_TERM_ENDED"), 0u);
  chain.run(utc_ms(2026, 6, 29, 22));
  const auto ended = chain.of_kind("APPEAL_TERM_ENDED");
  ASSERT_EQ(Chain::recipients(ended), Names{std::string(kRvdk)});
  EXPECT_EQ(ended[0].detail(), "req-ots");
}

TEST(Appeal, AGrantDecidedOnASundayHasItsTermEndOnAMonday) {
  Chain chain;
  chain.grant_standard_ots();
  // 2026-03-15 + 3 months = Monday 2026-06-15; ended at 2026-06-16 00:00 CEST = 2026-06-15T22:00Z.
  chain.run(utc_ms(2026, 6, 15, 21, 59, 59));
  EXPECT_EQ(chain.count("APPEAL_TERM_ENDED"), 0u);
  chain.run(utc_ms(2026, 6, 15, 22));
  EXPECT_EQ(Chain::recipients(chain.of_kind("APPEAL_TERM_ENDED")), (Names{std::string(kGi), std::string(kRvdk)}));
}

// D-EXTEND on 2027-03-15 - 14 = 2027-03-01; reminders 6 and 2 weeks before it: 2027-01-18 00:00 CET
// = 2027-01-17T23:00Z and 2027-02-15 00:00 CET = 2027-02-14T23:00Z.
TEST(ExtendReminders, TheGiIsRemindedSixAndTwoWeeksBeforeTheFilingDeadline) {
  Chain chain;
  chain.grant_standard_ots();
  chain.run(utc_ms(2027, 1, 17, 22, 59, 59));
  EXPECT_EQ(chain.count("EXTENSION_REMINDER"), 0u);
  chain.run(utc_ms(2027, 1, 17, 23));
  EXPECT_EQ(chain.count("EXTENSION_REMINDER"), 1u);
  chain.run(utc_ms(2027, 2, 14, 22, 59, 59));
  EXPECT_EQ(chain.count("EXTENSION_REMINDER"), 1u);
  chain.run(utc_ms(2027, 2, 14, 23));
  const auto reminders = chain.of_kind("EXTENSION_REMINDER");
  ASSERT_EQ(Chain::recipients(reminders), (Names{std::string(kGi), std::string(kGi)}));
  EXPECT_EQ(reminders[0].detail(), "R-EXTEND-6W");
  EXPECT_EQ(reminders[1].detail(), "R-EXTEND-2W");
}

TEST(ExtendReminders, AnExtensionRequestCancelsTheRemainingReminder) {
  Chain chain;
  chain.grant_standard_ots();
  chain.run(utc_ms(2027, 1, 17, 23));
  ASSERT_TRUE(chain.file(utc_ms(2027, 1, 20), kGi, "req-ext", "EXTEND_OTS").ok);
  chain.run(utc_ms(2027, 3, 10));
  EXPECT_EQ(chain.count("EXTENSION_REMINDER"), 1u);
}

}  // namespace
}  // namespace joet

namespace joet {
namespace {

// What the node proposes an idle block by: the earliest deadline queued, whichever case it is of, and
// nothing once the queue is empty.
TEST(NextDeadline, IsTheEarliestQueuedDueTimeInOneSeek) {
  Chain chain;
  auto next = next_deadline_due_ms(chain.store);
  ASSERT_TRUE(next.ok());
  EXPECT_FALSE(next->has_value());
  ASSERT_TRUE(chain.open_case(utc_ms(2026, 1, 20)).ok);
  ASSERT_TRUE(chain.file(utc_ms(2026, 1, 21), kRvdk, "req-ots", "OTS").ok);
  ASSERT_TRUE(chain.decide(utc_ms(2026, 1, 31, 9), "req-ots", "2026-01-31", "2027-01-31").ok);
  int64_t earliest = INT64_MAX;
  ASSERT_TRUE(chain.store
                  .scan(state_keys::deadline_prefix(), state_keys::deadline(INT64_MAX - 1, 0),
                        [&](ByteView, ByteView value) {
                          cv1::Deadline d;
                          EXPECT_TRUE(d.ParseFromArray(value.data(), static_cast<int>(value.size())));
                          earliest = std::min(earliest, d.due_ms());
                          return true;
                        })
                  .ok());
  next = next_deadline_due_ms(chain.store);
  ASSERT_TRUE(next.ok() && next->has_value());
  EXPECT_EQ(**next, earliest);
  EXPECT_GT(**next, utc_ms(2026, 1, 31, 9));
  // Once it fires, the next one is the earliest.
  chain.run(**next);
  auto after = next_deadline_due_ms(chain.store);
  ASSERT_TRUE(after.ok());
  if (after->has_value()) {
    EXPECT_GT(**after, earliest);
  }
}

}  // namespace
}  // namespace joet
