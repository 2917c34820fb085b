#include "contracts/deadlines.h"

#include <vector>

#include "contracts/aanwijzing.h"
#include "contracts/amsterdam_time.h"
#include "contracts/complaints.h"
#include "contracts/measures.h"
#include "contracts/notifications.h"
#include "contracts/statistics.h"

namespace joet {
namespace {

namespace dk = deadline_kinds;

bool same(const cv1::DeadlineRef& ref, const cv1::Deadline& d) { return ref.id() == d.id(); }

// The timer the deadline refers to is still in `timers`: remove it and return true; else false (stale).
bool take_timer(TimerList& timers, const cv1::Deadline& d) {
  for (int i = 0; i < timers.size(); ++i) {
    if (timers.Get(i).kind() == d.kind()) {
      if (timers.Get(i).id() != d.id()) return false;
      timers.DeleteSubrange(i, 1);
      return true;
    }
  }
  return false;
}

struct Fired {
  std::string kind;  // the event kind; "" for nothing to notify
  std::string detail;
  std::vector<std::string> to;
  // A missed deadline or a signal: the institution it is counted for in the stuurinformatie (the one
  // that had to act; the municipality for a signal), with the event kind as metric. "" for no fact.
  std::string fact_institution = {};
  // A second fact of the same firing, counted for another institution ("" for none).
  std::string signal_metric = {};
  std::string signal_institution = {};
};

// Queues quarter k+1 while it starts before the end; the miss of quarter k, if it was missed.
Fired progress_missed(ContractState& state, cv1::Case& c, cv1::Measure& m, Status& status) {
  const uint32_t k = m.progress_quarter();
  JOET_ASSERT(k >= 1);
  const CivilDate start = civil_from_days(m.start_day());
  const CivilDate from = add_months(start, static_cast<int32_t>(3 * (k - 1)));
  const CivilDate due = add_months(start, static_cast<int32_t>(3 * k));
  bool reported = false;
  if (c.last_progress_ms() != 0) {
    const CivilDate on = civil_date_of(c.last_progress_ms());
    reported = from <= on && on < due;
  }
  if (days_from_civil(due) < m.end_day()) status = schedule_progress(state, c.id(), m, k + 1);
  if (reported) return {};
  return {"PROGRESS_MISSED", "Q" + std::to_string(k), {c.gi(), c.municipality()}, c.gi()};
}

// D-PROGRESS of quarter k: a gi.progress dated in [start + 3(k-1) months, start + 3k months)? Also
// the signal: more than 25 % of the quarter's contacts CANCELLED by the GI or the carer.
Outcome fire_progress(ContractState& state, uint64_t height, cv1::Case& c, cv1::Measure& m, const cv1::Deadline& d,
                      Fired& out) {
  const uint32_t total = m.quarter_contacts();
  const uint32_t cancelled = m.quarter_contacts_cancelled_gi_carer();
  m.set_quarter_contacts(0);
  m.set_quarter_contacts_cancelled_gi_carer(0);
  if (total > 0 && 4 * uint64_t{cancelled} > uint64_t{total}) {
    EventSpec spec{"SIGNAL_CONTACTS_CANCELLED", c.id(), "Q" + std::to_string(m.progress_quarter()), {}, false,
                   d.id(), std::string(measure_name(m.kind()))};
    JOET_CTR_TRY(notify(state, height, {c.municipality()}, spec));
    JOET_CTR_TRY(record_case_fact(state, d.due_ms(), spec.kind, c.municipality(), c.id()));
  }
  Status status;
  out = progress_missed(state, c, m, status);
  return status;
}

// A deadline of a measure's own: the measure must be running and refer to it.
Outcome fire_measure(ContractState& state, const Statute& statute, uint64_t height, cv1::Case& c,
                     const cv1::Deadline& d, Fired& out) {
  cv1::Measure& m = measure_in(c, d.measure());
  if (m.state() != cv1::ACTIVE) return Outcome();
  const std::string& kind = d.kind();
  if (kind == dk::kLapse) {
    if (!same(m.lapse(), d)) return Outcome();
    m.clear_lapse();
    const bool majority = m.end_day() >= c.majority_day();  // the child turns 18: ends by law
    return end_and_notify(state, height, c, d.measure(), majority ? "MAJORITY" : "LAPSED", d.id());
  }
  if (kind == dk::kExtend) {
    if (!same(m.extend(), d)) return Outcome();
    m.clear_extend();
    if (!m.extension_requested()) out = {"EXTENSION_NOT_REQUESTED", kind, {c.rvdk(), c.municipality()}, c.gi()};
    return Outcome();
  }
  if (kind == dk::kPlan) {
    if (!same(m.plan(), d)) return Outcome();
    m.clear_plan();
    if (!m.plan_filed()) out = {"PLAN_MISSED", kind, {c.gi(), c.municipality()}, c.gi()};
    return Outcome();
  }
  if (!take_timer(*m.mutable_timers(), d)) return Outcome();  // stale
  if (kind == dk::kExtendReminder6w || kind == dk::kExtendReminder2w) {
    if (!m.extension_requested()) out = {"EXTENSION_REMINDER", kind, {c.gi()}};
  } else if (kind == dk::kNonExtension) {
    if (!m.extension_requested() && !m.non_extension_given()) {
      out = {"NON_EXTENSION_NOTICE_MISSED", kind, {c.rvdk()}, c.gi()};
    }
  } else if (kind == dk::kNonExtensionReminder) {
    if (!m.extension_requested() && !m.non_extension_given()) out = {"NON_EXTENSION_REMINDER", kind, {c.gi()}};
  } else if (kind == dk::kAssign) {
    if (c.jeugdbeschermer().empty()) {
      out = {"ASSIGN_MISSED", kind, {c.municipality(), c.gi()}, c.gi()};
      // Version 2: the municipality's signal "no jeugdbeschermer N days into a measure" (DOMAIN.md,
      // Signals) too; ASSIGN_MISSED counts for the GI that had to act.
      if (statute.signals_unassigned_to_municipality) {
        out.signal_metric = std::string(kNoJeugdbeschermerSignal);
        out.signal_institution = c.municipality();
      }
    }
  } else if (kind == dk::kProgress) {
    return fire_progress(state, height, c, m, d, out);
  } else if (kind == dk::kContact) {
    out = {"CONTACT_MISSED", kind, {c.gi(), c.municipality(), c.rvdk()}, c.gi()};
  } else if (kind == dk::kNoContactSignal) {
    out = {"NO_CONTACT_SIGNAL", kind, {c.municipality()}, c.municipality()};
  } else if (kind == dk::kUhp3m) {
    if (m.placed()) return Outcome();
    JOET_CTR_TRY(end_measure(state, c, d.measure(), "NOT_CARRIED_OUT", days_from_civil(civil_date_of(d.due_ms()))));
    out = {"UHP_LAPSED", "NOT_CARRIED_OUT", {c.court(), c.rvdk(), c.municipality()}, c.gi()};
  } else if (kind == dk::kUhp3mReminder) {
    if (!m.placed()) out = {"PLACEMENT_REMINDER", kind, {c.gi()}};
  } else if (kind == dk::kSpoed) {
    if (!m.hearing_held()) {
      out = {"SPOED_HEARING_MISSED", kind, {c.court(), c.gi(), c.rvdk(), c.municipality()}, c.court()};
    }
  } else if (kind == dk::kSpoedReminder) {
    if (!m.hearing_held()) out = {"SPOED_HEARING_REMINDER", kind, {c.court()}};
  } else {
    return make_error(ErrorCode::kCorruption, "measure deadline of unknown kind " + kind);
  }
  return Outcome();
}

// A deadline of the case itself: D-18 and its reminder, and the informational D-AANW and D-APPEAL.
Outcome fire_case(ContractState& state, uint64_t height, cv1::Case& c, const cv1::Deadline& d, Fired& out) {
  const std::string& kind = d.kind();
  if (kind == dk::kAanwijzing) {
    out = {"AANWIJZING_OBJECTION_TERM_ENDED", d.detail(), {c.gi()}};
    return Outcome();
  }
  if (kind == dk::kAppeal) {
    out = {"APPEAL_TERM_ENDED", d.detail(), {c.gi(), c.rvdk()}};
    return Outcome();
  }
  if (kind == dk::kComplaint || kind == dk::kEscalation || kind == dk::kContactLimitSignal) {
    auto fired = kind == dk::kContactLimitSignal ? fire_contact_limit_review(state, c, d)
                                                 : fire_complaint_or_escalation(state, c, d);
    if (!fired.ok()) return fired.error();
    out = {fired->kind, fired->detail, fired->to, fired->fact_institution};
    return Outcome();
  }
  if (!take_timer(*c.mutable_timers(), d)) return Outcome();  // stale
  if (kind == dk::kMajorityReminder) {
    if (c.measure().state() == cv1::ACTIVE) out = {"MAJORITY_REMINDER", kind, {c.gi()}};
    return Outcome();
  }
  if (kind == dk::kMajority) {
    if (c.measure().state() == cv1::ACTIVE) return end_and_notify(state, height, c, slots::kMain, "MAJORITY", d.id());
    if (c.uhp().state() == cv1::ACTIVE) return end_and_notify(state, height, c, slots::kUhp, "MAJORITY", d.id());
    return Outcome();
  }
  return make_error(ErrorCode::kCorruption, "case deadline of unknown kind " + kind);
}

// A missed deadline or a signal counts in the stuurinformatie in the month it was due.
Status record_fact(ContractState& state, const cv1::Deadline& d, const cv1::Case& c, const Fired& out) {
  if (out.kind.empty()) return Status();
  if (!out.signal_metric.empty()) {
    Status s = record_case_fact(state, d.due_ms(), out.signal_metric, out.signal_institution, c.id());
    if (!s.ok()) return s;
  }
  if (out.fact_institution.empty()) return Status();
  return record_case_fact(state, d.due_ms(), out.kind, out.fact_institution, c.id());
}

// Fires one deadline against its case.
Outcome fire(ContractState& state, const Statute& statute, uint64_t height, const cv1::Deadline& d) {
  auto found = state.get<cv1::Case>(state_keys::case_record(d.case_id()));
  if (!found.ok()) return found.error();
  if (!found->has_value()) return make_error(ErrorCode::kCorruption, "deadline of unknown case " + d.case_id());
  cv1::Case c = std::move(**found);
  Fired out;
  if (d.measure() == slots::kCase) {
    JOET_CTR_TRY(fire_case(state, height, c, d, out));
  } else if (d.measure() == slots::kMain || d.measure() == slots::kUhp) {
    const std::string measure(measure_name(measure_in(c, d.measure()).kind()));
    JOET_CTR_TRY(fire_measure(state, statute, height, c, d, out));
    if (!out.kind.empty()) {
      state.put(state_keys::case_record(c.id()), c);
      JOET_CTR_TRY(record_fact(state, d, c, out));
      EventSpec spec{out.kind, c.id(), out.detail, {}, false, d.id(), measure};
      return notify(state, height, out.to, spec);
    }
  } else {
    return make_error(ErrorCode::kCorruption, "deadline of unknown measure " + d.measure());
  }
  state.put(state_keys::case_record(c.id()), c);
  if (out.kind.empty()) return Outcome();
  JOET_CTR_TRY(record_fact(state, d, c, out));
  EventSpec spec{out.kind, c.id(), out.detail, {}, false, d.id(), ""};
  return notify(state, height, out.to, spec);
}

}  // namespace

Result<cv1::DeadlineRef> schedule_deadline(ContractState& state, std::string_view kind, std::string_view case_id,
                                           const CivilDate& due_date, std::string_view measure,
                                           std::string_view detail) {
  auto last = state.get_u64(state_keys::next_deadline_id());
  if (!last.ok()) return last.error();
  const uint64_t id = *last + 1;
  const int64_t due_ms = start_of_day_utc_ms(due_date);
  cv1::Deadline d;
  d.set_id(id);
  d.set_kind(std::string(kind));
  d.set_case_id(std::string(case_id));
  d.set_due_ms(due_ms);
  d.set_measure(std::string(measure));
  d.set_detail(std::string(detail));
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

const cv1::DeadlineRef* find_timer(const TimerList& timers, std::string_view kind) {
  for (const cv1::DeadlineRef& t : timers) {
    if (t.kind() == kind) return &t;
  }
  return nullptr;
}

void cancel_timer(ContractState& state, TimerList& timers, std::string_view kind) {
  for (int i = 0; i < timers.size(); ++i) {
    if (timers.Get(i).kind() == kind) {
      cancel_deadline(state, *timers.Mutable(i));
      timers.DeleteSubrange(i, 1);
      return;
    }
  }
}

void cancel_all_timers(ContractState& state, TimerList& timers) {
  for (cv1::DeadlineRef& t : timers) cancel_deadline(state, t);
  timers.Clear();
}

Status schedule_timer(ContractState& state, TimerList& timers, std::string_view kind, std::string_view case_id,
                      std::string_view measure, const CivilDate& due_date) {
  cancel_timer(state, timers, kind);
  auto ref = schedule_deadline(state, kind, case_id, due_date, measure);
  if (!ref.ok()) return ref.status();
  ref->set_kind(std::string(kind));
  *timers.Add() = *ref;
  return Status();
}

Status schedule_reminder(ContractState& state, TimerList& timers, std::string_view kind, std::string_view case_id,
                         std::string_view measure, const CivilDate& due_date, int64_t now_ms) {
  cancel_timer(state, timers, kind);
  if (start_of_day_utc_ms(due_date) <= now_ms) return Status();
  return schedule_timer(state, timers, kind, case_id, measure, due_date);
}

Result<std::optional<int64_t>> next_deadline_due_ms(const KvStore& state) {
  const Bytes begin = state_keys::deadline_prefix();
  Bytes end = begin;
  end.back() += 1;  // "c/dl0": just past every "c/dl/..." key
  std::optional<int64_t> due;
  bool malformed = false;
  Status scanned = state.scan(begin, end, [&](ByteView key, ByteView) {
    if (key.size() != begin.size() + 16) {
      malformed = true;
      return false;
    }
    due = static_cast<int64_t>(get_u64_be(key.data() + begin.size()) ^ (uint64_t{1} << 63));
    return false;  // the first is the earliest
  });
  if (!scanned.ok()) return scanned.error();
  if (malformed) return make_error(ErrorCode::kCorruption, "contract state: a deadline queue key of another shape");
  return due;
}

namespace {

// The first deadline key in [low, end) that this block queued and that has not fired yet: a put in the
// block's writes (a fired or cancelled deadline is a delete there). `low` is a key below which the
// block's deadline writes are all deletes: the search moves it up (to `end` when it finds none) and
// fire_one moves it down for what a firing queues, so each delete is passed over about once and a
// block that fires n deadlines does O(n log n) work, not O(n^2).
std::optional<Bytes> first_queued_in_block(const ContractState& state, Bytes& low, const Bytes& end) {
  const auto& ops = state.block_writes().ops();
  for (auto it = ops.lower_bound(low); it != ops.end() && it->first < end; ++it) {
    if (it->second.has_value()) {
      low = it->first;
      return it->first;
    }
  }
  low = end;
  return std::nullopt;
}

// Fires the deadline at `key` in a staged unit of its own. `low` (may be null): lowered to the least
// deadline key the unit queues (see first_queued_in_block).
Status fire_one(ContractState& state, const Statute& statute, uint64_t height, int64_t block_time_ms, const Bytes& key,
                bool& fired_any, std::vector<cv1::Deadline>* fired_list, Bytes* low) {
  fired_any = false;
  auto d = state.get<cv1::Deadline>(key);
  if (!d.ok()) return d.status();
  if (!d->has_value()) return Status();  // cancelled by a deadline fired before it in this block
  JOET_ASSERT(key == state_keys::deadline((*d)->due_ms(), (*d)->id()));
  JOET_ASSERT((*d)->due_ms() <= block_time_ms);
  state.begin_tx();
  state.del(key);
  Outcome fired = fire(state, statute, height, **d);
  if (!fired.ok()) {
    JOET_ASSERT(fired.failed());  // a deadline is never refused
    state.abort_tx();
    return fired.error();
  }
  if (low != nullptr) {
    const auto& ops = state.tx_writes().ops();
    for (auto it = ops.lower_bound(state_keys::deadline_prefix()); it != ops.end() && it->first < *low; ++it) {
      if (it->second.has_value()) {  // the least deadline key the unit put: the unit's keys are sorted
        *low = it->first;
        break;
      }
    }
  }
  state.commit_tx();
  fired_any = true;
  if (fired_list != nullptr) fired_list->push_back(**d);
  return Status();
}

}  // namespace

Status fire_due_deadlines(ContractState& state, const Statute& statute, uint64_t height, int64_t block_time_ms,
                          std::vector<cv1::Deadline>* fired_list) {
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
  if (!statute.fire_deadlines_in_cascade) {
    bool fired = false;
    for (const Bytes& key : due) {
      Status s = fire_one(state, statute, height, block_time_ms, key, fired, fired_list, nullptr);
      if (!s.ok()) return s;
    }
    return Status();
  }
  // Version 2: merge the queue as the block began with what its firings queue, in key order. Past the
  // limit the committed scan stops, so `end` shrinks to just past its last key: what lies beyond, old
  // or new, waits for the next block in order.
  const Bytes stop = due.size() == kMaxDeadlinesPerBlock ? due.back() : Bytes();
  size_t next = 0;
  size_t fired_count = 0;
  Bytes low = begin;
  while (fired_count < kMaxDeadlinesPerBlock) {
    std::optional<Bytes> queued = first_queued_in_block(state, low, end);
    if (queued.has_value() && !stop.empty() && *queued > stop) queued.reset();
    const bool take_committed = next < due.size() && (!queued.has_value() || due[next] < *queued);
    if (!take_committed && !queued.has_value()) break;
    const Bytes key = take_committed ? due[next++] : *queued;
    bool fired = false;
    Status s = fire_one(state, statute, height, block_time_ms, key, fired, fired_list, &low);
    if (!s.ok()) return s;
    if (fired) ++fired_count;
  }
  return Status();
}

}  // namespace joet
