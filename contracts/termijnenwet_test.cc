#include "contracts/termijnenwet.h"

#include <gtest/gtest.h>

#include <vector>

namespace joet {
namespace {

// Expected dates are literals worked out by hand against a calendar (weekdays checked with Python's
// datetime), never computed with the code under test.

CivilDate D(int32_t y, int32_t m, int32_t d) { return CivilDate{y, m, d}; }

const std::vector<CivilDate> kNoExtra;

// Gauss's Easter algorithm with its two exceptions: independent of Meeus/Jones/Butcher.
CivilDate gauss_easter(int32_t y) {
  const int32_t a = y % 19;
  const int32_t b = y % 4;
  const int32_t c = y % 7;
  const int32_t k = y / 100;
  const int32_t p = (13 + 8 * k) / 25;
  const int32_t q = k / 4;
  const int32_t m = (15 - p + k - q) % 30;
  const int32_t n = (4 + k - q) % 7;
  const int32_t d = (19 * a + m) % 30;
  const int32_t e = (2 * b + 4 * c + 6 * d + n) % 7;
  if (d == 29 && e == 6) return D(y, 4, 19);
  if (d == 28 && e == 6 && (11 * m + 11) % 30 < 19) return D(y, 4, 18);
  return 22 + d + e <= 31 ? D(y, 3, 22 + d + e) : D(y, 4, d + e - 9);
}

TEST(Easter, MatchesKnownEasterSundays) {
  EXPECT_EQ(easter_sunday(2024), D(2024, 3, 31));
  EXPECT_EQ(easter_sunday(2025), D(2025, 4, 20));
  EXPECT_EQ(easter_sunday(2026), D(2026, 4, 5));
  EXPECT_EQ(easter_sunday(2027), D(2027, 3, 28));
  EXPECT_EQ(easter_sunday(2038), D(2038, 4, 25));
  EXPECT_EQ(easter_sunday(2000), D(2000, 4, 23));
  EXPECT_EQ(easter_sunday(2019), D(2019, 4, 21));
  EXPECT_EQ(easter_sunday(2008), D(2008, 3, 23));
  EXPECT_EQ(easter_sunday(2011), D(2011, 4, 24));
  EXPECT_EQ(easter_sunday(1943), D(1943, 4, 25));
  EXPECT_EQ(easter_sunday(1900), D(1900, 4, 15));
  EXPECT_EQ(easter_sunday(1818), D(1818, 3, 22));  // the earliest possible date
  EXPECT_EQ(easter_sunday(2285), D(2285, 3, 22));
}

TEST(Easter, AgreesWithGausssAlgorithmFor1583To9999) {
  for (int32_t year = 1583; year <= 9999; ++year) {
    const CivilDate easter = easter_sunday(year);
    ASSERT_EQ(easter, gauss_easter(year)) << year;
    ASSERT_EQ(day_of_week(easter), Weekday::kSunday) << year;
  }
}

TEST(Termijnenwet, KnowsTheHolidaysOf2026) {
  for (const CivilDate d : {D(2026, 1, 1), D(2026, 4, 3), D(2026, 4, 6), D(2026, 4, 27), D(2026, 5, 5),
                            D(2026, 5, 14), D(2026, 5, 25), D(2026, 12, 25), D(2026, 12, 26)}) {
    EXPECT_TRUE(is_atw_holiday(d, kNoExtra)) << d;
    EXPECT_TRUE(is_atw_non_working_day(d, kNoExtra)) << d;
  }
}

TEST(Termijnenwet, OrdinaryDaysNearTheHolidaysAreNotHolidays) {
  for (const CivilDate d : {D(2026, 4, 2),  D(2026, 4, 5),  D(2026, 4, 7),  D(2026, 4, 26), D(2026, 4, 28),
                            D(2026, 5, 4),  D(2026, 5, 6),  D(2026, 5, 15), D(2026, 5, 24), D(2026, 5, 26),
                            D(2026, 12, 24), D(2026, 12, 27), D(2026, 12, 31), D(2026, 1, 2)}) {
    EXPECT_FALSE(is_atw_holiday(d, kNoExtra)) << d;
  }
  EXPECT_TRUE(is_atw_non_working_day(D(2026, 4, 5), kNoExtra));  // Easter Sunday: a Sunday
  EXPECT_FALSE(is_atw_non_working_day(D(2026, 4, 28), kNoExtra));
}

TEST(Termijnenwet, KingsDayMovesTo26AprilWhenThe27thIsASunday) {
  EXPECT_TRUE(is_atw_holiday(D(2025, 4, 26), kNoExtra));  // 27 April 2025 was a Sunday
  EXPECT_FALSE(is_atw_holiday(D(2025, 4, 27), kNoExtra));
  EXPECT_TRUE(is_atw_holiday(D(2014, 4, 26), kNoExtra));
  EXPECT_TRUE(is_atw_holiday(D(2031, 4, 26), kNoExtra));
  EXPECT_TRUE(is_atw_holiday(D(2027, 4, 27), kNoExtra));  // a Tuesday
  EXPECT_FALSE(is_atw_holiday(D(2027, 4, 26), kNoExtra));
}

TEST(Termijnenwet, FifthOfMayIsAHolidayEveryYear) {
  EXPECT_TRUE(is_atw_holiday(D(2026, 5, 5), kNoExtra));
  EXPECT_TRUE(is_atw_holiday(D(2027, 5, 5), kNoExtra));
  EXPECT_TRUE(is_atw_holiday(D(2029, 5, 5), kNoExtra));
}

TEST(Termijnenwet, EachYearHasNineHolidaysOrEightWhenAscensionFallsOnTheFifthOfMay) {
  for (int32_t year = 1900; year <= 2200; ++year) {
    int32_t count = 0;
    for (CivilDate d = D(year, 1, 1); d <= D(year, 12, 31); d = add_days(d, 1)) {
      if (is_atw_holiday(d, kNoExtra)) ++count;
    }
    const CivilDate easter = gauss_easter(year);
    const int64_t ascension_days = days_from_civil(easter) + 39;
    const bool ascension_on_may_5 = civil_from_days(ascension_days) == D(year, 5, 5);
    ASSERT_EQ(count, ascension_on_may_5 ? 8 : 9) << year;
  }
}

TEST(Termijnenwet, GovernanceAddsDaysTheCrownEquatesWithHolidays) {
  const std::vector<CivilDate> extra = {D(2026, 5, 15)};  // the Friday after Ascension Day
  EXPECT_FALSE(is_atw_holiday(D(2026, 5, 15), kNoExtra));
  EXPECT_TRUE(is_atw_holiday(D(2026, 5, 15), extra));
}

TEST(Termijnenwet, ObjectionWindowEndingOnKingsDayMovesToNextWorkingDay) {
  // Aanwijzing on Monday 13 April 2026: 14 days end on Monday 27 April, King's Day.
  EXPECT_EQ(period_end_days(D(2026, 4, 13), 14, kNoExtra), D(2026, 4, 28));
  EXPECT_EQ(extend_period_end(D(2026, 4, 27), kNoExtra), D(2026, 4, 28));
}

TEST(Termijnenwet, ObjectionWindowEndingOnAWorkingDayIsNotMoved) {
  EXPECT_EQ(period_end_days(D(2026, 3, 2), 14, kNoExtra), D(2026, 3, 16));
  EXPECT_EQ(extend_period_end(D(2026, 4, 28), kNoExtra), D(2026, 4, 28));
}

TEST(Termijnenwet, SaturdaySundayAndEasterMondayAreSkippedTogether) {
  EXPECT_EQ(extend_period_end(D(2026, 4, 4), kNoExtra), D(2026, 4, 7));  // Sat, Sun, Easter Monday
  EXPECT_EQ(extend_period_end(D(2026, 4, 3), kNoExtra), D(2026, 4, 7));  // from Good Friday
  EXPECT_EQ(period_end_days(D(2026, 3, 21), 14, kNoExtra), D(2026, 4, 7));
}

TEST(Termijnenwet, ChristmasAndTheWeekendAreSkippedTogether) {
  EXPECT_EQ(extend_period_end(D(2026, 12, 25), kNoExtra), D(2026, 12, 28));  // Fri, Sat, Sun
  EXPECT_EQ(extend_period_end(D(2026, 12, 31), kNoExtra), D(2026, 12, 31));  // Oudejaarsdag is a working day
  EXPECT_EQ(extend_period_end(D(2027, 1, 1), kNoExtra), D(2027, 1, 4));     // Fri, Sat, Sun
}

TEST(Termijnenwet, TheLongestRunWithoutExtraDaysIsGoodFridayToKingsDay) {
  // 2038: Easter on 25 April, so Good Friday 23, Sat 24, Easter 25, Easter Monday 26, King's Day Tue 27.
  EXPECT_EQ(extend_period_end(D(2038, 4, 23), kNoExtra), D(2038, 4, 28));
}

TEST(Termijnenwet, AscensionFridayCountsOnlyWhenGovernanceListsIt) {
  const std::vector<CivilDate> extra = {D(2026, 5, 15)};
  EXPECT_EQ(extend_period_end(D(2026, 5, 14), kNoExtra), D(2026, 5, 15));
  EXPECT_EQ(extend_period_end(D(2026, 5, 14), extra), D(2026, 5, 18));
}

TEST(Termijnenwet, BridgeDaysAroundAscensionOnSeventhMayExtendAPeriodByNineDays) {
  // 2043: Ascension Day is Thursday 7 May; the Crown equates Mon 4, Wed 6 and Fri 8 May.
  const std::vector<CivilDate> extra = {D(2043, 5, 4), D(2043, 5, 6), D(2043, 5, 8)};
  ASSERT_TRUE(check_extra_holidays(extra).ok());
  EXPECT_EQ(extend_period_end(D(2043, 5, 2), extra), D(2043, 5, 11));
  EXPECT_EQ(extend_period_end(D(2043, 5, 2), kNoExtra), D(2043, 5, 4));
}

TEST(Termijnenwet, AMonthOfExtraDaysIsSkippedWithoutTrippingTheLoopBound) {
  std::vector<CivilDate> extra;
  for (CivilDate d = D(2026, 6, 1); d <= D(2026, 6, 26); d = add_days(d, 1)) {
    if (day_of_week(d) != Weekday::kSaturday && day_of_week(d) != Weekday::kSunday) extra.push_back(d);
  }
  ASSERT_EQ(extra.size(), 20u);
  ASSERT_TRUE(check_extra_holidays(extra).ok());
  EXPECT_EQ(extend_period_end(D(2026, 5, 30), extra), D(2026, 6, 29));
}

TEST(Termijnenwet, AppealPeriodEndsOnTheSameNumberedDayThreeMonthsLater) {
  EXPECT_EQ(period_end_months(D(2026, 1, 15), 3, kNoExtra), D(2026, 4, 15));  // a Wednesday
  EXPECT_EQ(period_end_months(D(2026, 3, 16), 3, kNoExtra), D(2026, 6, 16));  // a Tuesday
}

TEST(Termijnenwet, AppealPeriodClampsToTheMonthEnd) {
  EXPECT_EQ(period_end_months(D(2026, 1, 31), 3, kNoExtra), D(2026, 4, 30));  // a Thursday
}

TEST(Termijnenwet, AppealPeriodClampedToASaturdayMovesToMonday) {
  // 30 November 2025 + 3 months = 28 February 2026 (no 30th), a Saturday: Monday 2 March.
  EXPECT_EQ(period_end_months(D(2025, 11, 30), 3, kNoExtra), D(2026, 3, 2));
}

TEST(Termijnenwet, AppealPeriodEndingOnAHolidayMoves) {
  EXPECT_EQ(period_end_months(D(2026, 1, 27), 3, kNoExtra), D(2026, 4, 28));   // King's Day
  EXPECT_EQ(period_end_months(D(2026, 9, 25), 3, kNoExtra), D(2026, 12, 28));  // Christmas, weekend
  EXPECT_EQ(period_end_months(D(2026, 10, 1), 3, kNoExtra), D(2027, 1, 4));    // New Year, weekend
}

TEST(Termijnenwet, AThreeDayPeriodMustContainTwoWorkingDays) {
  // Atw art. 2. From Thursday 24 Dec 2026: 3 days end Sunday 27, art. 1 gives Monday 28, but only the
  // 28th would be a working day in the period (25 and 26 are Christmas): extended to Tuesday 29.
  EXPECT_EQ(period_end_days(D(2026, 12, 24), 3, kNoExtra), D(2026, 12, 29));
  // From Maundy Thursday 2 April 2026: Good Friday, the weekend and Easter Monday leave only Tue 7.
  EXPECT_EQ(period_end_days(D(2026, 4, 2), 3, kNoExtra), D(2026, 4, 8));
  // An ordinary Thursday: Friday and Monday are two working days, art. 1 alone decides.
  EXPECT_EQ(period_end_days(D(2026, 3, 5), 3, kNoExtra), D(2026, 3, 9));
}

TEST(Termijnenwet, ATwoDayPeriodNeedsNoTwoWorkingDays) {
  EXPECT_EQ(period_end_days(D(2026, 12, 24), 2, kNoExtra), D(2026, 12, 28));
  EXPECT_EQ(period_end_days(D(2026, 12, 24), 1, kNoExtra), D(2026, 12, 28));
}

TEST(Termijnenwet, EveryPeriodEndIsAWorkingDayNoEarlierThanTheRawEnd) {
  const std::vector<CivilDate> extra = {D(2026, 5, 15), D(2027, 5, 7)};
  for (CivilDate start = D(2025, 1, 1); start <= D(2028, 12, 31); start = add_days(start, 1)) {
    for (int32_t n : {1, 3, 14}) {
      const CivilDate end = period_end_days(start, n, extra);
      ASSERT_GE(end, add_days(start, n)) << start << " + " << n;
      ASSERT_FALSE(is_atw_non_working_day(end, extra)) << start << " + " << n;
      if (n < 3) {  // art. 1 alone: nothing but non-working days between the raw end and the moved end
        for (CivilDate d = add_days(start, n); d < end; d = add_days(d, 1)) {
          ASSERT_TRUE(is_atw_non_working_day(d, extra)) << start << " + " << n;
        }
      }
    }
    const CivilDate appeal = period_end_months(start, 3, extra);
    ASSERT_GE(appeal, add_months(start, 3)) << start;
    ASSERT_LE(days_between(add_months(start, 3), appeal), 5) << start;
    ASSERT_FALSE(is_atw_non_working_day(appeal, extra)) << start;
  }
}

TEST(Termijnenwet, GovernanceListMustBeAscendingInputDatesWithinTheLimit) {
  EXPECT_TRUE(check_extra_holidays(kNoExtra).ok());
  EXPECT_TRUE(check_extra_holidays(std::vector<CivilDate>{D(2026, 5, 15), D(2027, 5, 7)}).ok());
  EXPECT_EQ(check_extra_holidays(std::vector<CivilDate>{D(2027, 5, 7), D(2026, 5, 15)}).error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(check_extra_holidays(std::vector<CivilDate>{D(2026, 5, 15), D(2026, 5, 15)}).error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(check_extra_holidays(std::vector<CivilDate>{D(1899, 12, 31)}).error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(check_extra_holidays(std::vector<CivilDate>{D(2026, 2, 30)}).error().code,
            ErrorCode::kInvalidArgument);
  std::vector<CivilDate> too_many;
  for (size_t i = 0; i <= kMaxExtraHolidays; ++i) too_many.push_back(add_days(D(2026, 1, 1), static_cast<int64_t>(i)));
  EXPECT_EQ(check_extra_holidays(too_many).error().code, ErrorCode::kInvalidArgument);
  too_many.pop_back();
  EXPECT_TRUE(check_extra_holidays(too_many).ok());
}

}  // namespace
}  // namespace joet
