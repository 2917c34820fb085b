// Europe/Amsterdam civil time from UTC block time, with the EU summer-time rule coded in.
//
// Block time is int64 milliseconds since the Unix epoch, UTC. Amsterdam is CET = UTC+1, and CEST =
// UTC+2 from the last Sunday of March 01:00 UTC until the last Sunday of October 01:00 UTC
// (Directive 2000/84/EC). No tz database: the rule is law in the code, so every validator and every
// auditor re-executing old blocks gets the same dates. A change of the rule (the EU has debated
// ending clock changes) is a new rules_version, not an edit of this file.
//
// The rule is applied to every year. For Amsterdam it matches history from 1996 on; before that
// (summer time ending in September 1981-1995, none before 1977) it does not, which matters only for
// instants before genesis.
//
// The clocks change at 02:00 or 03:00 local time, never at midnight, so every Amsterdam day starts at
// exactly one instant: 23:00 UTC the day before in winter, 22:00 UTC in summer.
#pragma once

#include <cstdint>

#include "contracts/civil_date.h"

namespace joet {

inline constexpr int64_t kMsPerHour = 3'600'000;
inline constexpr int64_t kMsPerDay = 86'400'000;
inline constexpr int64_t kCetOffsetMs = 1 * kMsPerHour;
inline constexpr int64_t kCestOffsetMs = 2 * kMsPerHour;

// The block times the contracts accept: 1900-01-01T00:00:00.000Z .. 9999-12-31T23:59:59.999Z.
// Header validation must refuse a block time outside this range before anything is executed: the
// functions below assert on it (they are only exact inside the calendar's arithmetic range).
inline constexpr int64_t kMinUtcMs = -2'208'988'800'000;
inline constexpr int64_t kMaxUtcMs = 253'402'300'799'999;
bool is_supported_utc_ms(int64_t utc_ms);

// The instants summer time starts and ends in `year`: the last Sunday of March / October, 01:00 UTC.
int64_t summer_time_start_utc_ms(int32_t year);
int64_t summer_time_end_utc_ms(int32_t year);

// CEST at this instant: summer_time_start_utc_ms(y) <= utc_ms < summer_time_end_utc_ms(y).
bool is_summer_time(int64_t utc_ms);
int64_t amsterdam_offset_ms(int64_t utc_ms);  // kCetOffsetMs or kCestOffsetMs

// The Amsterdam civil date of an instant (of a block time).
CivilDate civil_date_of(int64_t utc_ms);

// The UTC instant of 00:00 Europe/Amsterdam on `date`: the instant a deadline "on date D" is due.
// Example: 2027-03-15 starts at 2027-03-14T23:00:00Z; 2026-07-01 at 2026-06-30T22:00:00Z.
// Invariant: civil_date_of(t) >= date  <=>  t >= start_of_day_utc_ms(date).
int64_t start_of_day_utc_ms(const CivilDate& date);

// A deadline on `due_date` has come when the block's time is at or after 00:00 Amsterdam on that
// date; the first such block fires it. Note the date conventions: a measure's end_date is exclusive,
// so it is due on end_date itself; a filing period's last day (termijnenwet.h) is inclusive, so the
// period has run out on is_due(add_days(last_day, 1), t).
bool is_due(const CivilDate& due_date, int64_t block_time_ms);

}  // namespace joet
