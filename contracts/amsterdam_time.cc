#include "contracts/amsterdam_time.h"

namespace joet {
namespace {

// The instants the calendar arithmetic can place, with a day of margin on both sides for the offset:
// wider than the accepted block times, so that start_of_day_utc_ms works on every date that
// arithmetic on input dates produces. Functions, not globals: no static initialisation order.
int64_t min_arithmetic_utc_ms() { return days_from_civil(CivilDate{kMinYear, 1, 2}) * kMsPerDay; }
int64_t max_arithmetic_utc_ms() { return days_from_civil(CivilDate{kMaxYear, 12, 31}) * kMsPerDay - 1; }

int64_t floor_div(int64_t a, int64_t b) {
  JOET_ASSERT(b > 0);
  return a >= 0 ? a / b : -((-a + b - 1) / b);
}

// The last Sunday of a month, as days since the epoch.
int64_t last_sunday_days(int32_t year, int32_t month) {
  const CivilDate last{year, month, days_in_month(year, month)};
  const int64_t back = static_cast<int32_t>(day_of_week(last)) % 7;  // Sunday 7 -> 0, Monday 1 -> 1, ...
  const int64_t sunday = days_from_civil(last) - back;
  JOET_ASSERT(day_of_week(civil_from_days(sunday)) == Weekday::kSunday);
  JOET_ASSERT(days_from_civil(last) - sunday < 7);
  return sunday;
}

void assert_in_range(int64_t utc_ms) {
  JOET_ASSERT(utc_ms >= min_arithmetic_utc_ms() && utc_ms <= max_arithmetic_utc_ms());
}

}  // namespace

bool is_supported_utc_ms(int64_t utc_ms) { return utc_ms >= kMinUtcMs && utc_ms <= kMaxUtcMs; }

int64_t summer_time_start_utc_ms(int32_t year) { return last_sunday_days(year, 3) * kMsPerDay + kMsPerHour; }

int64_t summer_time_end_utc_ms(int32_t year) { return last_sunday_days(year, 10) * kMsPerDay + kMsPerHour; }

bool is_summer_time(int64_t utc_ms) {
  assert_in_range(utc_ms);
  // The transitions lie deep inside the UTC year, so the UTC year decides which pair applies.
  const int32_t year = civil_from_days(floor_div(utc_ms, kMsPerDay)).year;
  return utc_ms >= summer_time_start_utc_ms(year) && utc_ms < summer_time_end_utc_ms(year);
}

int64_t amsterdam_offset_ms(int64_t utc_ms) { return is_summer_time(utc_ms) ? kCestOffsetMs : kCetOffsetMs; }

CivilDate civil_date_of(int64_t utc_ms) {
  assert_in_range(utc_ms);
  const int64_t local_ms = utc_ms + amsterdam_offset_ms(utc_ms);
  return civil_from_days(floor_div(local_ms, kMsPerDay));
}

int64_t start_of_day_utc_ms(const CivilDate& date) {
  // Local midnight read as if it were UTC, then the one offset that is in force at the result.
  const int64_t local_midnight_ms = days_from_civil(date) * kMsPerDay;
  const int64_t if_summer = local_midnight_ms - kCestOffsetMs;
  const int64_t if_winter = local_midnight_ms - kCetOffsetMs;
  assert_in_range(if_summer);
  assert_in_range(if_winter);
  const bool summer = is_summer_time(if_summer);
  // No clock change happens within an hour of midnight, so exactly one reading is consistent.
  JOET_ASSERT(summer == is_summer_time(if_winter));
  const int64_t start = summer ? if_summer : if_winter;
  JOET_ASSERT(civil_date_of(start) == date);
  JOET_ASSERT(civil_date_of(start - 1) == add_days(date, -1));
  return start;
}

bool is_due(const CivilDate& due_date, int64_t block_time_ms) {
  return block_time_ms >= start_of_day_utc_ms(due_date);
}

}  // namespace joet
