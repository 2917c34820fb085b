// The facts the stuurinformatie (DOMAIN.md; contracts/stuurinformatie.h) is computed from, recorded by
// the contracts in state so that they are under the state root and provable. Integer-only and
// deterministic; every write goes to the current staged unit (the tx or the fired deadline), so a
// refused tx records nothing.
//
// Two kinds of fact:
//   - case facts: "this case had event <metric> for <institution> in month <yyyymm>", counted once per
//     case and cell: c/stat/<yyyymm>/<metric>/<institution> holds the number of distinct cases and
//     c/statcase/<yyyymm>/<metric>/<institution>/<case> marks the case as counted;
//   - measure periods: a MeasurePeriod at c/period/<case>/<be32 n> for every measure that ended, so
//     that running measures per month and durations can be computed after the case record moved on.
// The month is the Europe/Amsterdam civil month (contracts/amsterdam_time.h) of the fact's instant:
// the block time for a tx, the due instant for a deadline that fired (the moment it was missed; block
// gaps do not move it).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "contracts/civil_date.h"
#include "contracts/state.h"

namespace joet {

// The metrics besides the event kinds of missed deadlines and signals, which are their own metric
// (PLAN_MISSED, ..., SIGNAL_THIRD_EXTENSION, NO_CONTACT_SIGNAL).
namespace stat_metrics {
inline constexpr std::string_view kComplaint = "COMPLAINT";           // complaint.file; filed_with
inline constexpr std::string_view kExtensionOts = "EXTENSION_OTS";    // a granted OTS extension; the GI
inline constexpr std::string_view kExtensionUhp = "EXTENSION_UHP";    // a granted UHP extension; the GI
// A grant stating this ground category (rules version 2): "GROUND:" + the ground code; the GI.
inline constexpr std::string_view kGroundPrefix = "GROUND:";
}  // namespace stat_metrics

// Which table of the stuurinformatie a metric belongs to.
enum class FactTable {
  kMissedDeadline,  // every metric not listed below: PLAN_MISSED, ..., ESCALATION_ANSWER_MISSED
  kSignal,          // SIGNAL_* and NO_CONTACT_SIGNAL; institution = the case's municipality
  kExtension,       // EXTENSION_OTS, EXTENSION_UHP
  kComplaint,       // COMPLAINT
  kGround,          // GROUND:<ground code>
};
FactTable fact_table(std::string_view metric);

// "yyyymm" of a civil date's month: six digits for the years 1000..9999.
std::string month_code(const CivilDate& date);

// Counts `case_id` in the cell (Amsterdam civil month of at_ms, metric, institution) unless it is
// counted there already: two reads, and two writes the first time. Nothing is recorded for an empty
// institution (a case without the institution, which the contracts do not produce).
Status record_case_fact(ContractState& state, int64_t at_ms, std::string_view metric, std::string_view institution,
                        std::string_view case_id);

// Adds `cents` invoiced for month `yyyymm` of a measure of `case_id` to the cost cell (yyyymm, gi),
// counting the case there once (c/cost/, c/costcase/).
Status record_invoice_amount(ContractState& state, std::string_view yyyymm, std::string_view gi,
                             std::string_view case_id, int64_t cents);

// Appends the measure `m` of case `case_id` that has just ended (state ENDED, its end reason set) as
// the case's next MeasurePeriod. `ended_day` is the first day it no longer ran, clamped into
// [start_day, end_day]: a measure replaced or not carried out stops before its end date.
Status record_measure_period(ContractState& state, std::string_view case_id, std::string_view gi,
                             const cv1::Measure& m, int64_t ended_day);

}  // namespace joet
