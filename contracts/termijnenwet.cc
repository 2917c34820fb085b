#include "contracts/termijnenwet.h"

#include <algorithm>
#include <string>

namespace joet {
namespace {

bool is_weekend(const CivilDate& date) {
  const Weekday w = day_of_week(date);
  return w == Weekday::kSaturday || w == Weekday::kSunday;
}

bool is_extra_holiday(const CivilDate& date, std::span<const CivilDate> extra_holidays) {
  return std::find(extra_holidays.begin(), extra_holidays.end(), date) != extra_holidays.end();
}

// A bound on any run of consecutive non-working days: without extra days the longest run is five
// (Good Friday, Saturday, Sunday, Easter Monday, King's Day when Easter falls on 25 April); each extra
// day lengthens a run by at most one day plus the weekends it bridges.
int64_t max_run_days(std::span<const CivilDate> extra_holidays) {
  return 2 * (static_cast<int64_t>(extra_holidays.size()) + 7);
}

// The first working day at or after `date`.
CivilDate next_working_day(const CivilDate& date, std::span<const CivilDate> extra_holidays) {
  CivilDate day = date;
  int64_t steps = 0;
  while (is_atw_non_working_day(day, extra_holidays)) {
    day = add_days(day, 1);
    ++steps;
    JOET_ASSERT(steps <= max_run_days(extra_holidays));
  }
  return day;
}

// Atw art. 1 lid 1 and, for a period of at least three days, art. 2: the period must contain two
// working days after its first day, so it ends no earlier than the second working day after `start`.
CivilDate atw_period_end(const CivilDate& start, const CivilDate& raw_end,
                         std::span<const CivilDate> extra_holidays) {
  JOET_ASSERT(raw_end > start);
  CivilDate end = extend_period_end(raw_end, extra_holidays);
  if (days_between(start, raw_end) >= 3) {
    const CivilDate first = next_working_day(add_days(start, 1), extra_holidays);
    const CivilDate second = next_working_day(add_days(first, 1), extra_holidays);
    end = std::max(end, second);
  }
  JOET_ASSERT(end >= raw_end);
  JOET_ASSERT(!is_atw_non_working_day(end, extra_holidays));
  return end;
}

}  // namespace

CivilDate easter_sunday(int32_t year) {
  JOET_ASSERT(year >= kMinYear && year <= kMaxYear);
  const int32_t a = year % 19;
  const int32_t b = year / 100;
  const int32_t c = year % 100;
  const int32_t d = b / 4;
  const int32_t e = b % 4;
  const int32_t f = (b + 8) / 25;
  const int32_t g = (b - f + 1) / 3;
  const int32_t h = (19 * a + b - d - g + 15) % 30;
  const int32_t i = c / 4;
  const int32_t k = c % 4;
  const int32_t l = (32 + 2 * e + 2 * i - h - k) % 7;
  const int32_t m = (a + 11 * h + 22 * l) / 451;
  const int32_t month = (h + l - 7 * m + 114) / 31;
  const int32_t day = (h + l - 7 * m + 114) % 31 + 1;
  const CivilDate easter{year, month, day};
  JOET_ASSERT(is_calendar_date(easter));
  JOET_ASSERT(day_of_week(easter) == Weekday::kSunday);
  JOET_ASSERT(easter >= (CivilDate{year, 3, 22}) && easter <= (CivilDate{year, 4, 25}));
  return easter;
}

Status check_extra_holidays(std::span<const CivilDate> extra_holidays) {
  if (extra_holidays.size() > kMaxExtraHolidays) {
    return make_error(ErrorCode::kInvalidArgument, "extra_holidays has " + std::to_string(extra_holidays.size()) +
                                                       " days, more than " + std::to_string(kMaxExtraHolidays));
  }
  for (size_t i = 0; i < extra_holidays.size(); ++i) {
    const CivilDate& day = extra_holidays[i];
    if (!is_input_date(day)) {
      return make_error(ErrorCode::kInvalidArgument, "extra_holidays[" + std::to_string(i) + "] is not a date in " +
                                                         std::to_string(kMinInputYear) + ".." +
                                                         std::to_string(kMaxInputYear));
    }
    if (i > 0 && !(extra_holidays[i - 1] < day)) {
      return make_error(ErrorCode::kInvalidArgument,
                        "extra_holidays is not strictly ascending at " + to_string(day));
    }
  }
  return Status::ok_status();
}

bool is_atw_holiday(const CivilDate& date, std::span<const CivilDate> extra_holidays) {
  JOET_ASSERT(is_calendar_date(date));
  const int32_t m = date.month;
  const int32_t d = date.day;
  if (m == 1 && d == 1) return true;                    // Nieuwjaarsdag
  if (m == 12 && (d == 25 || d == 26)) return true;     // Eerste en Tweede Kerstdag
  if (m == 5 && d == 5) return true;                    // de vijfde mei, every year
  if (m == 4 && (d == 26 || d == 27)) {                 // Koningsdag: the 27th, the 26th if that is a Sunday
    const bool sunday_27th = day_of_week(CivilDate{date.year, 4, 27}) == Weekday::kSunday;
    if (d == (sunday_27th ? 26 : 27)) return true;
  }
  if (m >= 3 && m <= 6) {  // every Easter-based holiday lies in March..June
    const int64_t from_easter = days_between(easter_sunday(date.year), date);
    if (from_easter == -2) return true;  // Goede Vrijdag (art. 3 lid 2)
    if (from_easter == 1) return true;   // Tweede Paasdag
    if (from_easter == 39) return true;  // Hemelvaartsdag
    if (from_easter == 50) return true;  // Tweede Pinksterdag
  }
  return is_extra_holiday(date, extra_holidays);
}

bool is_atw_non_working_day(const CivilDate& date, std::span<const CivilDate> extra_holidays) {
  return is_weekend(date) || is_atw_holiday(date, extra_holidays);
}

CivilDate extend_period_end(const CivilDate& last_day, std::span<const CivilDate> extra_holidays) {
  return next_working_day(last_day, extra_holidays);
}

CivilDate period_end_days(const CivilDate& start, int32_t n_days, std::span<const CivilDate> extra_holidays) {
  JOET_ASSERT(n_days >= 1 && n_days <= kMaxPeriodDays);
  return atw_period_end(start, add_days(start, n_days), extra_holidays);
}

CivilDate period_end_months(const CivilDate& start, int32_t n_months,
                            std::span<const CivilDate> extra_holidays) {
  JOET_ASSERT(n_months >= 1 && n_months <= kMaxPeriodMonths);
  return atw_period_end(start, add_months(start, n_months), extra_holidays);
}

}  // namespace joet
