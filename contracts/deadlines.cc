#include "contracts/deadlines.h"

#include <vector>

#include "contracts/amsterdam_time.h"
#include "contracts/notifications.h"

namespace joet {
namespace {

bool same(const cv1::DeadlineRef& ref, const cv1::Deadline& d) { return ref.id() == d.id(); }

// Fires one deadline against its case; a stale deadline (its case no longer refers to it) does
// nothing but leave the queue.
Outcome fire(ContractState& state, uint64_t height, const cv1::Deadline& d) {
  auto found = state.get<cv1::Case>(state_keys::case_record(d.case_id()));
  if (!found.ok()) return found.error();
  if (!found->has_value()) return make_error(ErrorCode::kCorruption, "deadline of unknown case " + d.case_id());
  cv1::Case c = std::move(**found);
  cv1::Measure& m = *c.mutable_measure();
  EventSpec spec;
  spec.case_id = c.id();
  spec.deadline_id = d.id();
  std::vector<std::string> to;
  if (d.kind() == deadline_kinds::kLapse) {
    if (m.state() != cv1::ACTIVE || !same(m.lapse(), d)) return Outcome();
    m.set_state(cv1::ENDED);
    if (m.end_reason().empty()) m.set_end_reason("LAPSED");
    m.clear_lapse();
    cancel_deadline(state, *m.mutable_extend());
    cancel_deadline(state, *m.mutable_plan());
    spec.kind = "MEASURE_ENDED";
    spec.detail = m.end_reason();
    to = {c.gi(), c.rvdk(), c.municipality()};
  } else if (d.kind() == deadline_kinds::kExtend) {
    if (m.state() != cv1::ACTIVE || !same(m.extend(), d)) return Outcome();
    m.clear_extend();
    if (m.extension_requested()) return Outcome();
    spec.kind = "EXTENSION_NOT_REQUESTED";
    spec.detail = std::string(deadline_kinds::kExtend);
    to = {c.rvdk(), c.municipality()};
  } else if (d.kind() == deadline_kinds::kPlan) {
    if (m.state() != cv1::ACTIVE || !same(m.plan(), d)) return Outcome();
    m.clear_plan();
    if (m.plan_filed()) return Outcome();
    spec.kind = "PLAN_MISSED";
    spec.detail = std::string(deadline_kinds::kPlan);
    to = {c.gi(), c.municipality()};
  } else {
    return make_error(ErrorCode::kCorruption, "deadline of unknown kind " + d.kind());
  }
  state.put(state_keys::case_record(c.id()), c);
  return notify(state, height, to, spec);
}

}  // namespace

Result<cv1::DeadlineRef> schedule_deadline(ContractState& state, std::string_view kind,
                                           std::string_view case_id, const CivilDate& due_date) {
  auto last = state.get_u64(state_keys::next_deadline_id());
  if (!last.ok()) return last.error();
  const uint64_t id = *last + 1;
  const int64_t due_ms = start_of_day_utc_ms(due_date);
  cv1::Deadline d;
  d.set_id(id);
  d.set_kind(std::string(kind));
  d.set_case_id(std::string(case_id));
  d.set_due_ms(due_ms);
  state.put_u64(state_keys::next_deadline_id(), id);
  state.put(state_keys::deadline(due_ms, id), d);
  cv1::DeadlineRef ref;
  ref.set_id(id);
  ref.set_due_ms(due_ms);
  return ref;
}

void cancel_deadline(ContractState& state, cv1::DeadlineRef& ref) {
  if (ref.id() == 0) return;
  state.del(state_keys::deadline(ref.due_ms(), ref.id()));
  ref.Clear();
}

Status fire_due_deadlines(ContractState& state, uint64_t height, int64_t block_time_ms) {
  JOET_ASSERT(!state.in_tx());
  JOET_ASSERT(block_time_ms < INT64_MAX);
  const Bytes begin = state_keys::deadline_prefix();
  const Bytes end = state_keys::deadline(block_time_ms + 1, 0);
  std::vector<Bytes> due;
  Status scanned = state.scan_committed(begin, end, [&](ByteView key, ByteView) {
    due.emplace_back(key.begin(), key.end());
    return due.size() < kMaxDeadlinesPerBlock;
  });
  if (!scanned.ok()) return scanned;
  for (const Bytes& key : due) {
    auto d = state.get<cv1::Deadline>(key);
    if (!d.ok()) return d.status();
    if (!d->has_value()) continue;  // cancelled by a deadline fired before it in this block
    JOET_ASSERT(key == state_keys::deadline((*d)->due_ms(), (*d)->id()));
    JOET_ASSERT((*d)->due_ms() <= block_time_ms);
    state.begin_tx();
    state.del(key);
    Outcome fired = fire(state, height, **d);
    if (!fired.ok()) {
      JOET_ASSERT(fired.failed());  // a deadline is never refused
      state.abort_tx();
      return fired.error();
    }
    state.commit_tx();
  }
  return Status();
}

}  // namespace joet
