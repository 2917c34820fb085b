// The life of one measure (an OTS / VOTS or a UHP) as the deadlines see it: which deadlines its end
// date and start date put in the queue, what an extension request cancels, and how it ends. Shared
// by the court's actions, the GI's actions and the deadlines that fire.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "contracts/deadlines.h"
#include "contracts/outcome.h"
#include "contracts/state.h"
#include "contracts/tx_context.h"

namespace joet {

std::string_view measure_name(cv1::MeasureKind kind);  // OTS, VOTS, UHP
// The measure of a Deadline.measure slot: slots::kMain or slots::kUhp.
cv1::Measure& measure_in(cv1::Case& c, std::string_view slot);
std::string_view slot_of(cv1::MeasureKind kind);  // kUhp for a UHP, kMain otherwise

// (Re)schedules the deadlines of the end date: D-LAPSE on end; unless an extension was requested,
// D-EXTEND on end - extension_filing_days with reminders R-EXTEND-6W / R-EXTEND-2W 42 and 14 days
// before it; unless an extension was requested or gi.non_extension given, D-NONEXT on end -
// non_extension_notice_days with R-NONEXT 21 days before it (OTS and UHP only: never a VOTS).
Status schedule_end(ContractState& state, const Policy& policy, int64_t now_ms, const std::string& case_id,
                    cv1::Measure& m);

// Starts D-PROGRESS quarter k: due on start + 3k months (counted from the start, never step by step).
Status schedule_progress(ContractState& state, const std::string& case_id, cv1::Measure& m, uint32_t quarter);

// An extension request was filed: D-EXTEND, D-NONEXT and their reminders are satisfied.
void mark_extension_requested(ContractState& state, cv1::Measure& m);
// gi.non_extension: D-NONEXT and its reminder are satisfied.
void mark_non_extension(ContractState& state, cv1::Measure& m);

// Ends the running measure in `slot`: ENDED, `reason` unless one was set (LIFTED), every deadline
// cancelled, and its MeasurePeriod recorded (contracts/statistics.h) with the case's GI and
// `ended_day`, the first day it no longer runs (its end day unless replaced or not carried out).
Status end_measure(ContractState& state, cv1::Case& c, std::string_view slot, std::string_view reason,
                   int64_t ended_day);

// Ends the measure in `slot` and notifies MEASURE_ENDED (detail: the end reason) to the GI, the RvdK
// and the municipality; ending the OTS / VOTS ends a running UHP with it (end reason OTS_ENDED).
Outcome end_and_notify(ContractState& state, uint64_t height, cv1::Case& c, std::string_view slot,
                       std::string_view reason, uint64_t deadline_id);

}  // namespace joet
