// The timer queue in state (c/dl/<due'><id>, contracts/state.h) and what happens when a deadline
// fires. begin_block fires every deadline with due_ms <= block time in (due, id) order, each in its
// own staged unit, and deletes it from the queue: so each fires exactly once. A satisfied deadline is
// cancelled (deleted) by the action that satisfies it, so a deadline that fires was missed; a
// reminder (R-*) is a separate queue entry before its deadline, cancelled with it.
//
// Every deadline names its case and which of the case's measures it belongs to (Deadline.measure:
// "" the OTS / VOTS, "UHP" the UHP, "CASE" the case), and the case refers back to it (a DeadlineRef):
// a deadline whose case no longer refers to it is stale and fires nothing. D-LAPSE, D-EXTEND and
// D-PLAN have their own fields on the Measure; every other kind sits in Measure.timers or Case.timers,
// at most one per kind; D-COMPLAINT and D-ESCAL are referred to by their Complaint / Escalation
// (Deadline.detail names it). D-AANW and D-APPEAL are informational: never cancelled, not referred to.
// docs/contracts.md lists each kind's due rule and recipients.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "contracts/civil_date.h"
#include "contracts/outcome.h"
#include "contracts/state.h"
#include "contracts/tx_context.h"

namespace joet {

namespace deadline_kinds {
inline constexpr std::string_view kLapse = "D-LAPSE";
inline constexpr std::string_view kExtend = "D-EXTEND";
inline constexpr std::string_view kPlan = "D-PLAN";
inline constexpr std::string_view kAssign = "D-ASSIGN";
inline constexpr std::string_view kProgress = "D-PROGRESS";
inline constexpr std::string_view kNonExtension = "D-NONEXT";
inline constexpr std::string_view kUhp3m = "D-UHP3M";
inline constexpr std::string_view kSpoed = "D-SPOED";
inline constexpr std::string_view kMajority = "D-18";
inline constexpr std::string_view kAanwijzing = "D-AANW";
inline constexpr std::string_view kAppeal = "D-APPEAL";
inline constexpr std::string_view kContact = "D-CONTACT";
inline constexpr std::string_view kComplaint = "D-COMPLAINT";
inline constexpr std::string_view kEscalation = "D-ESCAL";
// Signals (DOMAIN.md, Signals) that a timer raises.
inline constexpr std::string_view kNoContactSignal = "S-NOCONTACT";
inline constexpr std::string_view kContactLimitSignal = "S-CONTACTLIMIT";
}  // namespace deadline_kinds

// The stuurinformatie signal a missed D-ASSIGN counts for the case's municipality (rules version 2,
// Statute::signals_unassigned_to_municipality): the seed's "no jeugdbeschermer N days into a measure".
// A fact only: the ASSIGN_MISSED event already tells the municipality.
inline constexpr std::string_view kNoJeugdbeschermerSignal = "SIGNAL_NO_JEUGDBESCHERMER";

namespace deadline_kinds {
// Reminders ("notify before").
inline constexpr std::string_view kExtendReminder6w = "R-EXTEND-6W";
inline constexpr std::string_view kExtendReminder2w = "R-EXTEND-2W";
inline constexpr std::string_view kNonExtensionReminder = "R-NONEXT";
inline constexpr std::string_view kUhp3mReminder = "R-UHP3M";
inline constexpr std::string_view kSpoedReminder = "R-SPOED";
inline constexpr std::string_view kMajorityReminder = "R-18";
}  // namespace deadline_kinds

// Deadline.measure values.
namespace slots {
inline constexpr std::string_view kMain = "";
inline constexpr std::string_view kUhp = "UHP";
inline constexpr std::string_view kCase = "CASE";
}  // namespace slots

// At most this many deadlines fire in one block; the rest fire in the next blocks, in order.
inline constexpr size_t kMaxDeadlinesPerBlock = 10'000;

using TimerList = google::protobuf::RepeatedPtrField<cv1::DeadlineRef>;

// Queues a deadline due at 00:00 Europe/Amsterdam on `due_date` (inside a staged unit).
Result<cv1::DeadlineRef> schedule_deadline(ContractState& state, std::string_view kind, std::string_view case_id,
                                           const CivilDate& due_date, std::string_view measure = slots::kMain,
                                           std::string_view detail = "");
// Removes a queued deadline (no-op for id 0) and clears the reference.
void cancel_deadline(ContractState& state, cv1::DeadlineRef& ref);

// The timer of `kind` in `timers`, or nullptr.
const cv1::DeadlineRef* find_timer(const TimerList& timers, std::string_view kind);
// Cancels the timer of `kind` (if any) and queues a new one on `due_date`.
Status schedule_timer(ContractState& state, TimerList& timers, std::string_view kind, std::string_view case_id,
                      std::string_view measure, const CivilDate& due_date);
// A reminder: as schedule_timer, but nothing is queued when 00:00 Amsterdam on `due_date` is not after
// `now_ms` (a reminder for a moment already past would only be noise).
Status schedule_reminder(ContractState& state, TimerList& timers, std::string_view kind, std::string_view case_id,
                         std::string_view measure, const CivilDate& due_date, int64_t now_ms);
void cancel_timer(ContractState& state, TimerList& timers, std::string_view kind);
void cancel_all_timers(ContractState& state, TimerList& timers);

// What a deadline kept by a record of its own (a complaint, an escalation, an aanwijzing) fires: an
// event kind of "" when it was satisfied or is stale.
struct CaseDeadlineEvent {
  std::string kind;
  std::string detail;
  std::vector<std::string> to;
  std::string fact_institution = {};  // counted for in the stuurinformatie: who had to act, or the municipality
};

// begin_block: must be called outside a staged unit, before the block's txs. Fires, in (due, id)
// order, every deadline due at or before the block time, at most kMaxDeadlinesPerBlock. Under rules
// version 1 that is the deadlines queued before the block: one that a firing deadline queues (the next
// quarter's D-PROGRESS after a long gap without blocks) waits for the next block, though it is due
// already. With Statute::fire_deadlines_in_cascade (version 2, DOMAIN.md: "all in the first block at
// or after their due instant") those fire in this block too, in their (due, id) place.
// `fired` (may be null) gets each deadline taken from the queue, in firing order (those found stale too:
// they fire nothing).
Status fire_due_deadlines(ContractState& state, const Statute& statute, uint64_t height, int64_t block_time_ms,
                          std::vector<cv1::Deadline>* fired = nullptr);

// The due time (UTC ms) of the first deadline in the queue of the committed `state` (the earliest:
// the queue is ordered by due time), or nullopt when it is empty; one seek. kCorruption for a queue key
// of another shape. The node proposes a block by then (consensus::Application::next_due_ms).
Result<std::optional<int64_t>> next_deadline_due_ms(const KvStore& state);

}  // namespace joet
