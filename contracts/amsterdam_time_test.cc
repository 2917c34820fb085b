#include "contracts/amsterdam_time.h"

#include <gtest/gtest.h>

#include <limits>

namespace joet {
namespace {

// Expected instants are literals computed with an independent tool (Python's datetime and zoneinfo
// Europe/Amsterdam), or come from the independent helpers below, never from the code under test.

CivilDate D(int32_t y, int32_t m, int32_t d) { return CivilDate{y, m, d}; }

bool naive_leap(int32_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int32_t naive_month_length(int32_t y, int32_t m) {
  static constexpr int32_t kLengths[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return (m == 2 && naive_leap(y)) ? 29 : kLengths[m - 1];
}

// Days since 1970-01-01 by counting whole years and months: slow, obviously right.
int64_t naive_days(int32_t y, int32_t m, int32_t d) {
  int64_t days = 0;
  for (int32_t yy = 1970; yy < y; ++yy) days += naive_leap(yy) ? 366 : 365;
  for (int32_t yy = y; yy < 1970; ++yy) days -= naive_leap(yy) ? 366 : 365;
  for (int32_t mm = 1; mm < m; ++mm) days += naive_month_length(y, mm);
  return days + d - 1;
}

CivilDate naive_next_day(CivilDate d) {
  if (d.day < naive_month_length(d.year, d.month)) return D(d.year, d.month, d.day + 1);
  if (d.month < 12) return D(d.year, d.month + 1, 1);
  return D(d.year + 1, 1, 1);
}

// Zeller's congruence: 0 = Saturday, 1 = Sunday, ..., 6 = Friday.
int32_t zeller(int32_t y, int32_t m, int32_t d) {
  if (m < 3) {
    m += 12;
    y -= 1;
  }
  const int32_t k = y % 100;
  const int32_t j = y / 100;
  return (d + 13 * (m + 1) / 5 + k + k / 4 + j / 4 + 5 * j) % 7;
}

// The last Sunday of a month, walking back from its last day.
CivilDate naive_last_sunday(int32_t y, int32_t m) {
  for (int32_t d = naive_month_length(y, m);; --d) {
    if (zeller(y, m, d) == 1) return D(y, m, d);
  }
}

int64_t naive_start_of_day_ms(CivilDate d, bool summer) {
  return naive_days(d.year, d.month, d.day) * 86'400'000 - (summer ? 7'200'000 : 3'600'000);
}

TEST(AmsterdamTime, OtsFrom20260315LapsesAt20270314T2300Z) {
  const CivilDate end = add_months(D(2026, 3, 15), 12);
  ASSERT_EQ(end, D(2027, 3, 15));
  EXPECT_EQ(start_of_day_utc_ms(end), 1'805'065'200'000);  // 2027-03-14T23:00:00Z
  EXPECT_FALSE(is_due(end, 1'805'065'199'999));
  EXPECT_TRUE(is_due(end, 1'805'065'200'000));
  EXPECT_TRUE(is_due(end, 1'805'065'200'001));
}

TEST(AmsterdamTime, ASummerDayStartsAt2200ZThePreviousDay) {
  EXPECT_EQ(start_of_day_utc_ms(D(2026, 7, 1)), 1'782'856'800'000);  // 2026-06-30T22:00:00Z
}

TEST(AmsterdamTime, TheTransitionDaysOf2026StartAtTheRightInstants) {
  EXPECT_EQ(start_of_day_utc_ms(D(2026, 3, 29)), 1'774'738'800'000);   // 2026-03-28T23:00Z, still CET
  EXPECT_EQ(start_of_day_utc_ms(D(2026, 3, 30)), 1'774'821'600'000);   // 2026-03-29T22:00Z, CEST
  EXPECT_EQ(start_of_day_utc_ms(D(2026, 10, 25)), 1'792'879'200'000);  // 2026-10-24T22:00Z, still CEST
  EXPECT_EQ(start_of_day_utc_ms(D(2026, 10, 26)), 1'792'969'200'000);  // 2026-10-25T23:00Z, CET
}

TEST(AmsterdamTime, SummerTimeStartsAt0100ZOnTheLastSundayOfMarch2026) {
  const int64_t switch_ms = 1'774'746'000'000;  // 2026-03-29T01:00:00Z
  EXPECT_EQ(summer_time_start_utc_ms(2026), switch_ms);
  EXPECT_FALSE(is_summer_time(switch_ms - 1));  // 00:59:59.999Z = 01:59:59.999 CET
  EXPECT_TRUE(is_summer_time(switch_ms));       // 01:00:00Z = 03:00 CEST
  EXPECT_EQ(amsterdam_offset_ms(switch_ms - 1), kCetOffsetMs);
  EXPECT_EQ(amsterdam_offset_ms(switch_ms), kCestOffsetMs);
  EXPECT_EQ(civil_date_of(switch_ms - 1), D(2026, 3, 29));
  EXPECT_EQ(civil_date_of(switch_ms), D(2026, 3, 29));
}

TEST(AmsterdamTime, SummerTimeEndsAt0100ZOnTheLastSundayOfOctober2026) {
  const int64_t switch_ms = 1'792'890'000'000;  // 2026-10-25T01:00:00Z
  EXPECT_EQ(summer_time_end_utc_ms(2026), switch_ms);
  EXPECT_TRUE(is_summer_time(switch_ms - 1));  // 00:59:59.999Z = 02:59:59.999 CEST
  EXPECT_FALSE(is_summer_time(switch_ms));     // 01:00:00Z = 02:00 CET (the hour repeats)
  EXPECT_EQ(civil_date_of(switch_ms - 1), D(2026, 10, 25));
  EXPECT_EQ(civil_date_of(switch_ms), D(2026, 10, 25));
}

TEST(AmsterdamTime, TheDateChangesAtAmsterdamMidnightNotUtcMidnight) {
  EXPECT_EQ(civil_date_of(1'782'943'200'000 - 1), D(2026, 7, 1));  // 2026-07-01T21:59:59.999Z
  EXPECT_EQ(civil_date_of(1'782'943'200'000), D(2026, 7, 2));      // 2026-07-01T22:00:00Z
  EXPECT_EQ(civil_date_of(1'798'758'000'000 - 1), D(2026, 12, 31));  // 2026-12-31T22:59:59.999Z
  EXPECT_EQ(civil_date_of(1'798'758'000'000), D(2027, 1, 1));        // 2026-12-31T23:00:00Z
}

TEST(AmsterdamTime, HandlesInstantsBeforeTheUnixEpoch) {
  EXPECT_EQ(civil_date_of(0), D(1970, 1, 1));
  EXPECT_EQ(civil_date_of(-3'600'000), D(1970, 1, 1));  // 1969-12-31T23:00Z = midnight CET
  EXPECT_EQ(civil_date_of(-3'600'001), D(1969, 12, 31));
  EXPECT_EQ(start_of_day_utc_ms(D(1970, 1, 1)), -3'600'000);
  EXPECT_EQ(start_of_day_utc_ms(D(1900, 1, 2)), -2'208'906'000'000);  // 1900-01-01T23:00Z
}

TEST(AmsterdamTime, AcceptsBlockTimesFrom1900To9999) {
  EXPECT_EQ(kMinUtcMs, naive_days(1900, 1, 1) * 86'400'000);
  EXPECT_EQ(kMaxUtcMs, naive_days(10'000, 1, 1) * 86'400'000 - 1);
  EXPECT_TRUE(is_supported_utc_ms(kMinUtcMs));
  EXPECT_TRUE(is_supported_utc_ms(kMaxUtcMs));
  EXPECT_TRUE(is_supported_utc_ms(0));
  EXPECT_FALSE(is_supported_utc_ms(kMinUtcMs - 1));
  EXPECT_FALSE(is_supported_utc_ms(kMaxUtcMs + 1));
  EXPECT_FALSE(is_supported_utc_ms(std::numeric_limits<int64_t>::max()));
  EXPECT_FALSE(is_supported_utc_ms(std::numeric_limits<int64_t>::min()));
  EXPECT_EQ(civil_date_of(kMinUtcMs), D(1900, 1, 1));
  EXPECT_EQ(civil_date_of(kMaxUtcMs), D(10'000, 1, 1));  // 00:59:59.999 CET
}

TEST(AmsterdamTime, TransitionsMatchAnIndependentComputationFrom1990To2100) {
  for (int32_t year = 1990; year <= 2100; ++year) {
    const CivilDate march = naive_last_sunday(year, 3);
    const CivilDate october = naive_last_sunday(year, 10);
    ASSERT_GE(march.day, 25) << year;
    ASSERT_GE(october.day, 25) << year;
    const int64_t start = naive_days(march.year, march.month, march.day) * 86'400'000 + 3'600'000;
    const int64_t end = naive_days(october.year, october.month, october.day) * 86'400'000 + 3'600'000;
    ASSERT_EQ(summer_time_start_utc_ms(year), start) << year;
    ASSERT_EQ(summer_time_end_utc_ms(year), end) << year;

    // The instants 00:59:59.999Z and 01:00:00Z on both Sundays.
    EXPECT_FALSE(is_summer_time(start - 1)) << year;
    EXPECT_TRUE(is_summer_time(start)) << year;
    EXPECT_TRUE(is_summer_time(end - 1)) << year;
    EXPECT_FALSE(is_summer_time(end)) << year;
    EXPECT_EQ(civil_date_of(start - 1), march) << year;
    EXPECT_EQ(civil_date_of(start), march) << year;
    EXPECT_EQ(civil_date_of(end - 1), october) << year;
    EXPECT_EQ(civil_date_of(end), october) << year;

    // The Sundays themselves and the days after them.
    EXPECT_EQ(start_of_day_utc_ms(march), naive_start_of_day_ms(march, false)) << year;
    EXPECT_EQ(start_of_day_utc_ms(naive_next_day(march)), naive_start_of_day_ms(naive_next_day(march), true))
        << year;
    EXPECT_EQ(start_of_day_utc_ms(october), naive_start_of_day_ms(october, true)) << year;
    EXPECT_EQ(start_of_day_utc_ms(naive_next_day(october)), naive_start_of_day_ms(naive_next_day(october), false))
        << year;

    // Mid-winter and mid-summer.
    EXPECT_EQ(amsterdam_offset_ms(naive_days(year, 1, 15) * 86'400'000), kCetOffsetMs) << year;
    EXPECT_EQ(amsterdam_offset_ms(naive_days(year, 7, 15) * 86'400'000), kCestOffsetMs) << year;
    EXPECT_EQ(amsterdam_offset_ms(naive_days(year, 12, 15) * 86'400'000), kCetOffsetMs) << year;
  }
}

TEST(AmsterdamTime, EveryDayFrom1990To2100StartsAtTheInstantItsDateBegins) {
  CivilDate d = D(1990, 1, 1);
  CivilDate march = naive_last_sunday(1990, 3);
  CivilDate october = naive_last_sunday(1990, 10);
  while (d <= D(2100, 12, 31)) {
    if (d.month == 1 && d.day == 1) {
      march = naive_last_sunday(d.year, 3);
      october = naive_last_sunday(d.year, 10);
    }
    // Midnight is summer time on the days after the March Sunday up to and including the October one.
    const bool summer = march < d && d <= october;
    const int64_t t = start_of_day_utc_ms(d);
    ASSERT_EQ(t, naive_start_of_day_ms(d, summer)) << d;
    ASSERT_EQ(civil_date_of(t), d) << d;
    ASSERT_EQ(civil_date_of(t - 1), add_days(d, -1)) << d;
    ASSERT_TRUE(is_due(d, t)) << d;
    ASSERT_FALSE(is_due(d, t - 1)) << d;
    d = naive_next_day(d);
  }
}

TEST(AmsterdamTime, EveryQuarterHourOf2026And2027HasTheRightDate) {
  const int64_t from = naive_days(2026, 1, 1) * 86'400'000;
  const int64_t to = naive_days(2028, 1, 1) * 86'400'000;
  CivilDate cursor = D(2025, 12, 31);
  int64_t cursor_days = naive_days(2025, 12, 31);
  for (int64_t t = from; t < to; t += 15 * 60'000) {
    const int32_t year = t < naive_days(2027, 1, 1) * 86'400'000 ? 2026 : 2027;
    const CivilDate march = naive_last_sunday(year, 3);
    const CivilDate october = naive_last_sunday(year, 10);
    const int64_t start = naive_days(march.year, march.month, march.day) * 86'400'000 + 3'600'000;
    const int64_t end = naive_days(october.year, october.month, october.day) * 86'400'000 + 3'600'000;
    const int64_t offset = (start <= t && t < end) ? 7'200'000 : 3'600'000;
    const int64_t local_days = (t + offset) / 86'400'000;  // t > 0 here
    while (cursor_days < local_days) {
      cursor = naive_next_day(cursor);
      ++cursor_days;
    }
    ASSERT_EQ(amsterdam_offset_ms(t), offset) << t;
    ASSERT_EQ(civil_date_of(t), cursor) << t;
  }
}

TEST(AmsterdamTimeDeathTest, AssertsOnABlockTimeTheHeaderCheckShouldHaveRefused) {
  EXPECT_DEATH(civil_date_of(std::numeric_limits<int64_t>::max()), "invariant violated");
  EXPECT_DEATH(civil_date_of(std::numeric_limits<int64_t>::min()), "invariant violated");
}

}  // namespace
}  // namespace joet
