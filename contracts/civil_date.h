// Civil (calendar) dates in the proleptic Gregorian calendar, as pure integer arithmetic.
//
// A CivilDate names a day, not an instant: which instant a day starts at is Europe/Amsterdam's
// business (amsterdam_time.h). Everything here is deterministic: no clock, no locale, no floating
// point, so every validator computes the same date from the same inputs.
//
// Two ranges:
//   - input dates (parse_civil_date, make_civil_date: transactions, genesis, governance) lie in
//     years kMinInputYear..kMaxInputYear; anything else is refused with a typed Error;
//   - the arithmetic is exact for years kMinYear..kMaxYear, wider than the input range so that a
//     term added to an input date (9999-12-31 + 3 months) is still a date rather than a crash.
//     Leaving that range is a programmer error (JOET_ASSERT); callers bound the day and month counts
//     they add (they are legal terms and validated policy parameters, never raw client numbers).
#pragma once

#include <compare>
#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>

#include "ledger/status.h"

namespace joet {

inline constexpr int32_t kMinInputYear = 1900;
inline constexpr int32_t kMaxInputYear = 9999;
inline constexpr int32_t kMinYear = 1;
inline constexpr int32_t kMaxYear = 99'999;

struct CivilDate {
  int32_t year = 1970;
  int32_t month = 1;  // 1..12
  int32_t day = 1;    // 1..days_in_month(year, month)

  // Member order (year, month, day) makes the defaulted comparison chronological.
  friend constexpr bool operator==(const CivilDate&, const CivilDate&) = default;
  friend constexpr std::strong_ordering operator<=>(const CivilDate&, const CivilDate&) = default;
};

// ISO 8601 numbering: Monday = 1 .. Sunday = 7.
enum class Weekday : int32_t {
  kMonday = 1,
  kTuesday = 2,
  kWednesday = 3,
  kThursday = 4,
  kFriday = 5,
  kSaturday = 6,
  kSunday = 7,
};

bool is_leap_year(int32_t year);                    // any year, including year <= 0
int32_t days_in_month(int32_t year, int32_t month);  // month must be 1..12 (asserted)

// The date exists and lies in the arithmetic range kMinYear..kMaxYear.
bool is_calendar_date(const CivilDate& date);
// The date exists and lies in the input range kMinInputYear..kMaxInputYear.
bool is_input_date(const CivilDate& date);

// Untrusted input. kInvalidArgument for a date that does not exist (month 13, 31 April, 29 February
// of a non-leap year) or lies outside the input range.
Result<CivilDate> make_civil_date(int32_t year, int32_t month, int32_t day);
// Exactly "YYYY-MM-DD" with ASCII digits: kMalformed for any other shape (no sign, no spaces, no
// missing zero padding, no time part), then the checks of make_civil_date.
Result<CivilDate> parse_civil_date(std::string_view text);

// "YYYY-MM-DD" (years past 9999, reachable only by arithmetic, print with five digits).
std::string to_string(const CivilDate& date);
std::ostream& operator<<(std::ostream& out, const CivilDate& date);  // for test diagnostics

// Days since 1970-01-01 (negative before), Howard Hinnant's days_from_civil / civil_from_days
// ("chrono-Compatible Low-Level Date Algorithms"), in signed 64-bit integers.
int64_t days_from_civil(const CivilDate& date);
CivilDate civil_from_days(int64_t days);

CivilDate add_days(const CivilDate& date, int64_t days);
int64_t days_between(const CivilDate& from, const CivilDate& to);  // to - from, in days
Weekday day_of_week(const CivilDate& date);

// Calendar months (negative allowed): the same-numbered day, clamped to the last day of the target
// month when it does not exist there (2026-01-31 + 1 = 2026-02-28; 2024-02-29 + 12 = 2025-02-28).
// Clamping makes repeated addition differ from one addition (31 Jan +1 +1 = 28 Mar, +2 = 31 Mar):
// count recurring terms (quarters) from their anchor, start + 3k months, never step by step.
CivilDate add_months(const CivilDate& date, int32_t months);
CivilDate add_years(const CivilDate& date, int32_t years);  // add_months(date, 12 * years)

}  // namespace joet
