// The Algemene termijnenwet (Atw): statutory filing periods that end on a Saturday, Sunday or
// recognised holiday run on to the next day that is none of these.
//
// Scope, and what this file does NOT do:
//   - It applies to filing periods set by statute that run forward from an event: the 14-day
//     objection to an aanwijzing (1:264), the 3-month appeal (Rv 806), the spoed hearing term.
//   - Measure end dates are NOT moved: they are the dates the court wrote in its decision, and a
//     measure ends on its end date whatever weekday that is. Never pass an end_date through here.
//   - Periods counted backwards from a moment (D-NONEXT: end - N days; D-EXTEND: end - 14 days) are
//     not extended either: Atw art. 1 lid 2 excludes them.
//
// Date conventions: `start` is the day of the event (the decision, the aanwijzing). The period begins
// the next day; the returned date is its LAST day, inclusive: filing on it is in time. The period has
// run out at 00:00 Amsterdam the day after (amsterdam_time.h: is_due(add_days(last, 1), t)).
#pragma once

#include <cstdint>
#include <span>

#include "contracts/civil_date.h"
#include "ledger/status.h"

namespace joet {

// A limit on the governance list of days the Crown equates with holidays (Atw art. 3 lid 3): a
// handful a year (the Friday after Ascension Day, bridge days), never hundreds.
inline constexpr size_t kMaxExtraHolidays = 256;
// A limit on the periods computed here: the longest statutory filing period is months, not decades.
inline constexpr int32_t kMaxPeriodDays = 3'660;
inline constexpr int32_t kMaxPeriodMonths = 120;

// Easter Sunday of a Gregorian year: the anonymous Gregorian algorithm (Meeus/Jones/Butcher), integers.
CivilDate easter_sunday(int32_t year);

// Governance input check for `extra_holidays`: input dates, strictly ascending (so no duplicates), at
// most kMaxExtraHolidays. kInvalidArgument otherwise. The functions below take any list (they search
// it linearly) but a list that reached state has passed this check.
Status check_extra_holidays(std::span<const CivilDate> extra_holidays);

// Atw art. 3: New Year's Day, Good Friday (lid 2), Easter Monday, Ascension Day (Easter + 39), Whit
// Monday (Easter + 50), King's Day (27 April, 26 April when the 27th is a Sunday), 5 May (every
// year), Christmas Day and Boxing Day, and the days of `extra_holidays`. Sundays are listed in art. 3
// too; they are not reported here (see is_atw_non_working_day). King's Day is applied to every year:
// before 2014 the day was Koninginnedag (30 April), which matters only for dates before genesis.
bool is_atw_holiday(const CivilDate& date, std::span<const CivilDate> extra_holidays);

// A Saturday, a Sunday or an Atw holiday.
bool is_atw_non_working_day(const CivilDate& date, std::span<const CivilDate> extra_holidays);

// Atw art. 1 lid 1: a period ending on a non-working day is extended to the next working day. Chains
// (Saturday, Sunday, Easter Monday) are skipped together. A working day is returned unchanged.
CivilDate extend_period_end(const CivilDate& last_day, std::span<const CivilDate> extra_holidays);

// A period of n_days (1..kMaxPeriodDays) from the day `start`: start + n_days, then Atw art. 1, and
// for a period of at least three days Atw art. 2: extended as far as needed so that it contains at
// least two working days (start itself not counted). The 14-day aanwijzing objection: n_days = 14.
CivilDate period_end_days(const CivilDate& start, int32_t n_days, std::span<const CivilDate> extra_holidays);

// A period of n_months (1..kMaxPeriodMonths) from the day `start`: the same-numbered day n_months
// later (HR 1 September 2017, ECLI:NL:HR:2017:2225), the last day of that month when the number does
// not exist there, then Atw art. 1 (and art. 2, which a month always satisfies). The appeal: 3 months.
CivilDate period_end_months(const CivilDate& start, int32_t n_months,
                            std::span<const CivilDate> extra_holidays);

}  // namespace joet
