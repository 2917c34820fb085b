// The timer queue in state (c/dl/<due'><id>, contracts/state.h) and what happens when a deadline
// fires. begin_block fires every deadline with due_ms <= block time in (due, id) order, each in its
// own staged unit, and deletes it from the queue: so each fires exactly once. A satisfied deadline is
// cancelled (deleted) by the action that satisfies it, so a deadline that fires was missed.
//
// Implemented: D-LAPSE (measure end date: the measure ends, LAPSED or LIFTED), D-EXTEND (no
// extension request by end - extension_filing_days), D-PLAN (no gi.plan by start + plan_days).
#pragma once

#include <cstdint>
#include <string_view>

#include "contracts/civil_date.h"
#include "contracts/outcome.h"
#include "contracts/state.h"
#include "contracts/tx_context.h"

namespace joet {

namespace deadline_kinds {
inline constexpr std::string_view kLapse = "D-LAPSE";
inline constexpr std::string_view kExtend = "D-EXTEND";
inline constexpr std::string_view kPlan = "D-PLAN";
}  // namespace deadline_kinds

// At most this many deadlines fire in one block; the rest fire in the next blocks, in order.
inline constexpr size_t kMaxDeadlinesPerBlock = 10'000;

// Queues a deadline due at 00:00 Europe/Amsterdam on `due_date` (inside a staged unit).
Result<cv1::DeadlineRef> schedule_deadline(ContractState& state, std::string_view kind,
                                           std::string_view case_id, const CivilDate& due_date);
// Removes a queued deadline (no-op for id 0) and clears the reference.
void cancel_deadline(ContractState& state, cv1::DeadlineRef& ref);

// begin_block: must be called outside a staged unit, before the block's txs.
Status fire_due_deadlines(ContractState& state, uint64_t height, int64_t block_time_ms);

}  // namespace joet
