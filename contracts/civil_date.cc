#include "contracts/civil_date.h"

#include <algorithm>
#include <ostream>

namespace joet {
namespace {

// Hinnant's algorithms in signed 64-bit throughout. The "era" is a 400-year Gregorian cycle of
// 146'097 days; days are counted from 0000-03-01 inside it so that the leap day ends the year.
constexpr int64_t kDaysPerEra = 146'097;
constexpr int64_t kEpochShift = 719'468;  // days from 0000-03-01 to 1970-01-01

constexpr int64_t days_from_civil_unchecked(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2 ? 1 : 0;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;                                  // [0, 399]
  const int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;  // [0, 365]
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;          // [0, 146096]
  return era * kDaysPerEra + doe - kEpochShift;
}

constexpr int64_t kMinDays = days_from_civil_unchecked(kMinYear, 1, 1);
constexpr int64_t kMaxDays = days_from_civil_unchecked(kMaxYear, 12, 31);
static_assert(days_from_civil_unchecked(1970, 1, 1) == 0);
static_assert(days_from_civil_unchecked(2000, 3, 1) == 11'017);

bool exists(const CivilDate& date) {
  return date.month >= 1 && date.month <= 12 && date.day >= 1 &&
         date.day <= days_in_month(date.year, date.month);
}

// Untrusted text in an error message: quoted only when short, so a huge input stays out of logs.
std::string quoted(std::string_view text) {
  constexpr size_t kMaxQuoted = 32;
  if (text.size() > kMaxQuoted) return "a " + std::to_string(text.size()) + "-byte text";
  return "'" + std::string(text) + "'";
}

bool is_ascii_digit(char c) { return c >= '0' && c <= '9'; }

int32_t digits_value(std::string_view digits) {
  int32_t v = 0;
  for (char c : digits) v = v * 10 + (c - '0');
  return v;
}

void append_padded(std::string& out, int64_t value, size_t width) {
  JOET_ASSERT(value >= 0);
  std::string digits = std::to_string(value);
  if (digits.size() < width) out.append(width - digits.size(), '0');
  out += digits;
}

}  // namespace

bool is_leap_year(int32_t year) { return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0); }

int32_t days_in_month(int32_t year, int32_t month) {
  JOET_ASSERT(month >= 1 && month <= 12);
  static constexpr int32_t kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && is_leap_year(year)) return 29;
  return kDays[month - 1];
}

bool is_calendar_date(const CivilDate& date) {
  return date.year >= kMinYear && date.year <= kMaxYear && exists(date);
}

bool is_input_date(const CivilDate& date) {
  return date.year >= kMinInputYear && date.year <= kMaxInputYear && exists(date);
}

Result<CivilDate> make_civil_date(int32_t year, int32_t month, int32_t day) {
  if (year < kMinInputYear || year > kMaxInputYear) {
    return make_error(ErrorCode::kInvalidArgument,
                      "year " + std::to_string(year) + " outside " + std::to_string(kMinInputYear) +
                          ".." + std::to_string(kMaxInputYear));
  }
  if (month < 1 || month > 12) {
    return make_error(ErrorCode::kInvalidArgument, "month " + std::to_string(month) + " does not exist");
  }
  if (day < 1 || day > days_in_month(year, month)) {
    return make_error(ErrorCode::kInvalidArgument, "day " + std::to_string(day) + " does not exist in " +
                                                       std::to_string(year) + "-" +
                                                       (month < 10 ? "0" : "") + std::to_string(month));
  }
  CivilDate date{year, month, day};
  JOET_ASSERT(is_input_date(date));
  return date;
}

Result<CivilDate> parse_civil_date(std::string_view text) {
  bool shape_ok = text.size() == 10 && text[4] == '-' && text[7] == '-';
  for (size_t i = 0; shape_ok && i < text.size(); ++i) {
    if (i != 4 && i != 7 && !is_ascii_digit(text[i])) shape_ok = false;
  }
  if (!shape_ok) return make_error(ErrorCode::kMalformed, "date " + quoted(text) + " is not YYYY-MM-DD");
  Result<CivilDate> date = make_civil_date(digits_value(text.substr(0, 4)), digits_value(text.substr(5, 2)),
                                           digits_value(text.substr(8, 2)));
  if (!date.ok()) {
    return make_error(date.error().code, "date " + quoted(text) + ": " + date.error().message);
  }
  JOET_ASSERT(to_string(*date) == text);  // exactly one spelling per date
  return date;
}

std::string to_string(const CivilDate& date) {
  JOET_ASSERT(is_calendar_date(date));
  std::string out;
  out.reserve(11);
  append_padded(out, date.year, 4);
  out += '-';
  append_padded(out, date.month, 2);
  out += '-';
  append_padded(out, date.day, 2);
  return out;
}

std::ostream& operator<<(std::ostream& out, const CivilDate& date) {
  if (!is_calendar_date(date)) {
    return out << "CivilDate{" << date.year << ", " << date.month << ", " << date.day << "}";
  }
  return out << to_string(date);
}

int64_t days_from_civil(const CivilDate& date) {
  JOET_ASSERT(is_calendar_date(date));
  const int64_t days = days_from_civil_unchecked(date.year, date.month, date.day);
  JOET_ASSERT(days >= kMinDays && days <= kMaxDays);
  return days;
}

CivilDate civil_from_days(int64_t days) {
  JOET_ASSERT(days >= kMinDays && days <= kMaxDays);
  const int64_t z = days + kEpochShift;
  const int64_t era = (z >= 0 ? z : z - (kDaysPerEra - 1)) / kDaysPerEra;
  const int64_t doe = z - era * kDaysPerEra;                                    // [0, 146096]
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;   // [0, 399]
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);                 // [0, 365]
  const int64_t mp = (5 * doy + 2) / 153;                                      // [0, 11]
  const int64_t d = doy - (153 * mp + 2) / 5 + 1;                              // [1, 31]
  const int64_t m = mp < 10 ? mp + 3 : mp - 9;                                 // [1, 12]
  const int64_t y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  CivilDate date{static_cast<int32_t>(y), static_cast<int32_t>(m), static_cast<int32_t>(d)};
  JOET_ASSERT(is_calendar_date(date));
  return date;
}

CivilDate add_days(const CivilDate& date, int64_t days) {
  const int64_t from = days_from_civil(date);
  JOET_ASSERT(days >= kMinDays - from && days <= kMaxDays - from);  // no overflow, stays a date
  return civil_from_days(from + days);
}

int64_t days_between(const CivilDate& from, const CivilDate& to) {
  return days_from_civil(to) - days_from_civil(from);
}

Weekday day_of_week(const CivilDate& date) {
  // 1970-01-01 was a Thursday (ISO 4); floor modulo keeps days before 1970 right.
  const int64_t days = days_from_civil(date);
  const int64_t since_monday = ((days + 3) % 7 + 7) % 7;  // 0 = Monday
  return static_cast<Weekday>(since_monday + 1);
}

CivilDate add_months(const CivilDate& date, int32_t months) {
  JOET_ASSERT(is_calendar_date(date));
  const int64_t index = int64_t{date.year} * 12 + (date.month - 1) + months;  // months since 0000-01
  const int64_t year = index >= 0 ? index / 12 : (index - 11) / 12;
  const int64_t month = index - year * 12 + 1;
  JOET_ASSERT(year >= kMinYear && year <= kMaxYear);
  const auto y = static_cast<int32_t>(year);
  const auto m = static_cast<int32_t>(month);
  CivilDate result{y, m, std::min(date.day, days_in_month(y, m))};
  JOET_ASSERT(is_calendar_date(result));
  return result;
}

CivilDate add_years(const CivilDate& date, int32_t years) {
  JOET_ASSERT(years >= -kMaxYear && years <= kMaxYear);
  return add_months(date, years * 12);
}

}  // namespace joet
