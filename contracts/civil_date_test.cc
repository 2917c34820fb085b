#include "contracts/civil_date.h"

#include <gtest/gtest.h>

#include <string>

namespace joet {
namespace {

// Expected values are literals computed by hand or with an independent tool (Python's datetime),
// never with the code under test.

CivilDate D(int32_t y, int32_t m, int32_t d) { return CivilDate{y, m, d}; }

// An independent successor: the next day by the rules of the calendar, no day counting.
CivilDate naive_next_day(CivilDate d) {
  static constexpr int32_t kLengths[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (d.year % 4 == 0 && d.year % 100 != 0) || d.year % 400 == 0;
  const int32_t length = (d.month == 2 && leap) ? 29 : kLengths[d.month - 1];
  if (d.day < length) return D(d.year, d.month, d.day + 1);
  if (d.month < 12) return D(d.year, d.month + 1, 1);
  return D(d.year + 1, 1, 1);
}

TEST(CivilDate, ParsesAWellFormedDate) {
  auto d = parse_civil_date("2026-03-15");
  ASSERT_TRUE(d.ok()) << d.error().to_string();
  EXPECT_EQ(*d, D(2026, 3, 15));
}

TEST(CivilDate, FormatsWithZeroPadding) {
  EXPECT_EQ(to_string(D(1900, 1, 5)), "1900-01-05");
  EXPECT_EQ(to_string(D(2026, 11, 30)), "2026-11-30");
  EXPECT_EQ(to_string(D(9999, 12, 31)), "9999-12-31");
}

TEST(CivilDate, ParseAndFormatRoundTripAtTheEdgesOfTheInputRange) {
  for (const char* text : {"1900-01-01", "9999-12-31", "2024-02-29", "2000-02-29", "1970-01-01"}) {
    auto d = parse_civil_date(text);
    ASSERT_TRUE(d.ok()) << text;
    EXPECT_EQ(to_string(*d), text);
  }
}

TEST(CivilDate, RefusesEveryOtherShapeAsMalformed) {
  for (const char* text : {"", "2026-3-15", "2026-03-5", "2026/03/15", "26-03-15", "2026-03-15 ",
                           " 2026-03-15", "2026-03-1x", "+026-03-15", "-2026-03-15", "2026-03-150",
                           "20260315", "2026-03-15T00:00", "２０２６-03-15", "2026--3-15", "2026-0a-15",
                           "10000-01-01"}) {
    auto d = parse_civil_date(text);
    ASSERT_FALSE(d.ok()) << text;
    EXPECT_EQ(d.error().code, ErrorCode::kMalformed) << text;
  }
}

TEST(CivilDate, RefusesAnEmbeddedNulByte) {
  std::string text = "2026-03-15";
  text[8] = '\0';
  auto d = parse_civil_date(text);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().code, ErrorCode::kMalformed);
}

TEST(CivilDate, KeepsAHugeInputOutOfTheErrorMessage) {
  const std::string text(100'000, '9');
  auto d = parse_civil_date(text);
  ASSERT_FALSE(d.ok());
  EXPECT_LT(d.error().message.size(), 200u);
}

TEST(CivilDate, RefusesMonthThirteenAndMonthZero) {
  for (const char* text : {"2026-13-01", "2026-00-10", "2026-99-01"}) {
    auto d = parse_civil_date(text);
    ASSERT_FALSE(d.ok()) << text;
    EXPECT_EQ(d.error().code, ErrorCode::kInvalidArgument) << text;
  }
}

TEST(CivilDate, RefusesDay31InAThirtyDayMonthAndDayZero) {
  for (const char* text : {"2026-04-31", "2026-06-31", "2026-09-31", "2026-11-31", "2026-01-00", "2026-01-32"}) {
    auto d = parse_civil_date(text);
    ASSERT_FALSE(d.ok()) << text;
    EXPECT_EQ(d.error().code, ErrorCode::kInvalidArgument) << text;
  }
  EXPECT_TRUE(parse_civil_date("2026-12-31").ok());
  EXPECT_TRUE(parse_civil_date("2026-04-30").ok());
}

TEST(CivilDate, RefusesFebruary29InANonLeapYear) {
  for (const char* text : {"2025-02-29", "1900-02-29", "2100-02-29", "2026-02-30"}) {
    auto d = parse_civil_date(text);
    ASSERT_FALSE(d.ok()) << text;
    EXPECT_EQ(d.error().code, ErrorCode::kInvalidArgument) << text;
  }
  EXPECT_TRUE(parse_civil_date("2024-02-29").ok());
  EXPECT_TRUE(parse_civil_date("2000-02-29").ok());
}

TEST(CivilDate, RefusesYearsOutsideTheInputRange) {
  for (const char* text : {"1899-12-31", "0000-01-01", "0001-01-01"}) {
    auto d = parse_civil_date(text);
    ASSERT_FALSE(d.ok()) << text;
    EXPECT_EQ(d.error().code, ErrorCode::kInvalidArgument) << text;
  }
  EXPECT_EQ(make_civil_date(10'000, 1, 1).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(make_civil_date(-5, 1, 1).error().code, ErrorCode::kInvalidArgument);
}

TEST(CivilDate, MakeCivilDateChecksLikeParse) {
  EXPECT_EQ(*make_civil_date(2024, 2, 29), D(2024, 2, 29));
  EXPECT_EQ(make_civil_date(2025, 2, 29).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(make_civil_date(2026, 13, 1).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(make_civil_date(2026, 4, 31).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(make_civil_date(2026, 1, -1).error().code, ErrorCode::kInvalidArgument);
}

TEST(CivilDate, KnowsTheGregorianLeapYears) {
  EXPECT_FALSE(is_leap_year(1900));
  EXPECT_TRUE(is_leap_year(2000));
  EXPECT_TRUE(is_leap_year(2024));
  EXPECT_FALSE(is_leap_year(2025));
  EXPECT_FALSE(is_leap_year(2100));
  EXPECT_TRUE(is_leap_year(2400));
  EXPECT_EQ(days_in_month(2024, 2), 29);
  EXPECT_EQ(days_in_month(2026, 2), 28);
  EXPECT_EQ(days_in_month(2026, 4), 30);
  EXPECT_EQ(days_in_month(2026, 12), 31);
}

TEST(CivilDate, CountsDaysFromTheUnixEpoch) {
  EXPECT_EQ(days_from_civil(D(1970, 1, 1)), 0);
  EXPECT_EQ(days_from_civil(D(2000, 1, 1)), 10'957);
  EXPECT_EQ(days_from_civil(D(1900, 1, 1)), -25'567);
  EXPECT_EQ(days_from_civil(D(2026, 3, 15)), 20'527);
  EXPECT_EQ(days_from_civil(D(2027, 3, 15)), 20'892);
  EXPECT_EQ(days_from_civil(D(2200, 12, 31)), 84'370);
  EXPECT_EQ(days_from_civil(D(9999, 12, 31)), 2'932'896);
  EXPECT_EQ(days_from_civil(D(1, 1, 1)), -719'162);
  EXPECT_EQ(civil_from_days(0), D(1970, 1, 1));
  EXPECT_EQ(civil_from_days(-1), D(1969, 12, 31));
  EXPECT_EQ(civil_from_days(20'527), D(2026, 3, 15));
  EXPECT_EQ(civil_from_days(-25'567), D(1900, 1, 1));
  EXPECT_EQ(civil_from_days(2'932'896), D(9999, 12, 31));
}

TEST(CivilDate, RoundTripsEveryDayFrom1900To2200AgainstAnIndependentSuccessor) {
  CivilDate walked = D(1900, 1, 1);
  int64_t expected_days = -25'567;
  int64_t count = 0;
  while (walked <= D(2200, 12, 31)) {
    ASSERT_EQ(days_from_civil(walked), expected_days) << walked;
    ASSERT_EQ(civil_from_days(expected_days), walked) << expected_days;
    ASSERT_EQ(add_days(walked, 1), naive_next_day(walked)) << walked;
    walked = naive_next_day(walked);
    ++expected_days;
    ++count;
  }
  EXPECT_EQ(count, 109'938);  // 301 years of 365 days, plus 73 leap days (not 1900, 2100, 2200)
  EXPECT_EQ(expected_days, 84'371);
}

TEST(CivilDate, RoundTripsEveryFourHundredYearsUpToTheArithmeticLimit) {
  // One Gregorian cycle is 146'097 days; a sample across the whole arithmetic range.
  for (int32_t year = kMinYear; year <= kMaxYear - 401; year += 397) {
    for (const CivilDate d : {D(year, 1, 1), D(year, 2, 28), D(year, 3, 1), D(year, 12, 31)}) {
      ASSERT_EQ(civil_from_days(days_from_civil(d)), d) << d;
      ASSERT_EQ(days_from_civil(add_days(d, 146'097)) - days_from_civil(d), 146'097) << d;
      ASSERT_EQ(add_days(d, 146'097), D(d.year + 400, d.month, d.day)) << d;
    }
  }
}

TEST(CivilDate, ArithmeticReachesPastTheInputRangeWithoutCrashing) {
  EXPECT_EQ(add_days(D(9999, 12, 31), 1), D(10'000, 1, 1));
  EXPECT_EQ(to_string(D(10'000, 1, 1)), "10000-01-01");
  EXPECT_EQ(add_months(D(9999, 12, 31), 3), D(10'000, 3, 31));
  EXPECT_FALSE(is_input_date(D(10'000, 1, 1)));
  EXPECT_TRUE(is_calendar_date(D(10'000, 1, 1)));
}

TEST(CivilDate, KnowsTheDayOfTheWeek) {
  EXPECT_EQ(day_of_week(D(1970, 1, 1)), Weekday::kThursday);
  EXPECT_EQ(day_of_week(D(1969, 12, 31)), Weekday::kWednesday);
  EXPECT_EQ(day_of_week(D(1900, 1, 1)), Weekday::kMonday);
  EXPECT_EQ(day_of_week(D(2000, 1, 1)), Weekday::kSaturday);
  EXPECT_EQ(day_of_week(D(2026, 3, 15)), Weekday::kSunday);
  EXPECT_EQ(day_of_week(D(2027, 3, 15)), Weekday::kMonday);
  EXPECT_EQ(day_of_week(D(2200, 12, 31)), Weekday::kWednesday);
  EXPECT_EQ(day_of_week(D(9999, 12, 31)), Weekday::kFriday);
  EXPECT_EQ(day_of_week(D(1, 1, 1)), Weekday::kMonday);
}

TEST(CivilDate, DayOfTheWeekAdvancesByOneEveryDay) {
  CivilDate d = D(1900, 1, 1);
  int32_t expected = 1;  // Monday
  while (d <= D(2200, 12, 31)) {
    ASSERT_EQ(static_cast<int32_t>(day_of_week(d)), expected) << d;
    d = naive_next_day(d);
    expected = expected % 7 + 1;
  }
}

TEST(CivilDate, AddsDaysAcrossMonthYearAndLeapDay) {
  EXPECT_EQ(add_days(D(2026, 12, 25), 14), D(2027, 1, 8));
  EXPECT_EQ(add_days(D(2024, 2, 28), 1), D(2024, 2, 29));
  EXPECT_EQ(add_days(D(2025, 2, 28), 1), D(2025, 3, 1));
  EXPECT_EQ(add_days(D(2026, 3, 1), -1), D(2026, 2, 28));
  EXPECT_EQ(add_days(D(2026, 1, 1), -1), D(2025, 12, 31));
  EXPECT_EQ(add_days(D(2026, 3, 15), 0), D(2026, 3, 15));
  EXPECT_EQ(add_days(D(2026, 3, 15), 365), D(2027, 3, 15));
  EXPECT_EQ(days_between(D(2026, 3, 15), D(2027, 3, 15)), 365);
  EXPECT_EQ(days_between(D(2024, 3, 15), D(2023, 3, 15)), -366);
}

TEST(CivilDate, AddsMonthsClampingToTheEndOfTheMonth) {
  EXPECT_EQ(add_months(D(2024, 2, 29), 12), D(2025, 2, 28));
  EXPECT_EQ(add_months(D(2026, 1, 31), 1), D(2026, 2, 28));
  EXPECT_EQ(add_months(D(2024, 1, 31), 1), D(2024, 2, 29));
  EXPECT_EQ(add_months(D(2026, 3, 31), 1), D(2026, 4, 30));
  EXPECT_EQ(add_months(D(2026, 8, 31), 1), D(2026, 9, 30));
  EXPECT_EQ(add_months(D(2026, 11, 15), 3), D(2027, 2, 15));
  EXPECT_EQ(add_months(D(2026, 3, 15), 12), D(2027, 3, 15));
  EXPECT_EQ(add_months(D(2026, 12, 31), 2), D(2027, 2, 28));
  EXPECT_EQ(add_months(D(2028, 2, 29), 48), D(2032, 2, 29));
  EXPECT_EQ(add_months(D(2026, 5, 31), -3), D(2026, 2, 28));
  EXPECT_EQ(add_months(D(2026, 1, 15), -1), D(2025, 12, 15));
  EXPECT_EQ(add_months(D(2026, 1, 15), -13), D(2024, 12, 15));
  EXPECT_EQ(add_months(D(2026, 6, 10), 0), D(2026, 6, 10));
  EXPECT_EQ(add_years(D(2024, 2, 29), 1), D(2025, 2, 28));
  EXPECT_EQ(add_years(D(2024, 2, 29), 4), D(2028, 2, 29));
}

TEST(CivilDate, RepeatedMonthsDifferFromOneAdditionSoQuartersCountFromTheAnchor) {
  EXPECT_EQ(add_months(add_months(D(2026, 1, 31), 1), 1), D(2026, 3, 28));
  EXPECT_EQ(add_months(D(2026, 1, 31), 2), D(2026, 3, 31));
  EXPECT_EQ(add_months(D(2026, 1, 31), 6), D(2026, 7, 31));
}

TEST(CivilDate, OrdersChronologically) {
  EXPECT_LT(D(2025, 12, 31), D(2026, 1, 1));
  EXPECT_LT(D(2026, 1, 31), D(2026, 2, 1));
  EXPECT_LT(D(2026, 2, 1), D(2026, 2, 2));
  EXPECT_GT(D(2027, 1, 1), D(2026, 12, 31));
  EXPECT_LE(D(2026, 2, 2), D(2026, 2, 2));
  EXPECT_EQ(D(2026, 2, 2), D(2026, 2, 2));
  EXPECT_NE(D(2026, 2, 2), D(2026, 2, 3));
}

TEST(CivilDateDeathTest, AssertsOnArithmeticOutsideTheRange) {
  EXPECT_DEATH(civil_from_days(-719'163), "invariant violated");
  EXPECT_DEATH(days_from_civil(D(2025, 2, 29)), "invariant violated");
  EXPECT_DEATH(add_months(D(kMaxYear, 12, 1), 1), "invariant violated");
}

}  // namespace
}  // namespace joet
