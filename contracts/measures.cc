#include "contracts/measures.h"

#include "contracts/notifications.h"
#include "contracts/statistics.h"

namespace joet {

namespace dk = deadline_kinds;

std::string_view measure_name(cv1::MeasureKind kind) {
  switch (kind) {
    case cv1::OTS: return "OTS";
    case cv1::VOTS: return "VOTS";
    case cv1::UHP: return "UHP";
    default: return "";
  }
}

cv1::Measure& measure_in(cv1::Case& c, std::string_view slot) {
  JOET_ASSERT(slot == slots::kMain || slot == slots::kUhp);
  return slot == slots::kUhp ? *c.mutable_uhp() : *c.mutable_measure();
}

std::string_view slot_of(cv1::MeasureKind kind) { return kind == cv1::UHP ? slots::kUhp : slots::kMain; }

Status schedule_end(ContractState& state, const Policy& policy, int64_t now_ms, const std::string& case_id,
                    cv1::Measure& m) {
  const std::string_view slot = slot_of(m.kind());
  cancel_deadline(state, *m.mutable_lapse());
  cancel_deadline(state, *m.mutable_extend());
  for (std::string_view k : {dk::kExtendReminder6w, dk::kExtendReminder2w, dk::kNonExtension, dk::kNonExtensionReminder}) {
    cancel_timer(state, *m.mutable_timers(), k);
  }
  const CivilDate end = civil_from_days(m.end_day());
  auto lapse = schedule_deadline(state, dk::kLapse, case_id, end, slot);
  if (!lapse.ok()) return lapse.status();
  *m.mutable_lapse() = *lapse;
  if (m.kind() == cv1::VOTS || m.extension_requested()) return Status();
  const CivilDate extend_due = add_days(end, -policy.extension_filing_days);
  auto extend = schedule_deadline(state, dk::kExtend, case_id, extend_due, slot);
  if (!extend.ok()) return extend.status();
  *m.mutable_extend() = *extend;
  Status s = schedule_reminder(state, *m.mutable_timers(), dk::kExtendReminder6w, case_id, slot,
                               add_days(extend_due, -42), now_ms);
  if (!s.ok()) return s;
  s = schedule_reminder(state, *m.mutable_timers(), dk::kExtendReminder2w, case_id, slot, add_days(extend_due, -14),
                        now_ms);
  if (!s.ok()) return s;
  if (m.non_extension_given()) return Status();
  const CivilDate nonext_due = add_days(end, -policy.non_extension_notice_days);
  s = schedule_timer(state, *m.mutable_timers(), dk::kNonExtension, case_id, slot, nonext_due);
  if (!s.ok()) return s;
  return schedule_reminder(state, *m.mutable_timers(), dk::kNonExtensionReminder, case_id, slot,
                           add_days(nonext_due, -21), now_ms);
}

Status schedule_progress(ContractState& state, const std::string& case_id, cv1::Measure& m, uint32_t quarter) {
  JOET_ASSERT(quarter >= 1 && quarter <= 4 * 200);
  m.set_progress_quarter(quarter);
  const CivilDate due = add_months(civil_from_days(m.start_day()), static_cast<int32_t>(3 * quarter));
  return schedule_timer(state, *m.mutable_timers(), dk::kProgress, case_id, slots::kMain, due);
}

void mark_extension_requested(ContractState& state, cv1::Measure& m) {
  m.set_extension_requested(true);
  cancel_deadline(state, *m.mutable_extend());
  for (std::string_view k : {dk::kExtendReminder6w, dk::kExtendReminder2w, dk::kNonExtension, dk::kNonExtensionReminder}) {
    cancel_timer(state, *m.mutable_timers(), k);
  }
}

void mark_non_extension(ContractState& state, cv1::Measure& m) {
  m.set_non_extension_given(true);
  cancel_timer(state, *m.mutable_timers(), dk::kNonExtension);
  cancel_timer(state, *m.mutable_timers(), dk::kNonExtensionReminder);
}

Status end_measure(ContractState& state, cv1::Case& c, std::string_view slot, std::string_view reason,
                   int64_t ended_day) {
  cv1::Measure& m = measure_in(c, slot);
  JOET_ASSERT(m.state() == cv1::ACTIVE);
  m.set_state(cv1::ENDED);
  if (m.end_reason().empty()) m.set_end_reason(std::string(reason));
  cancel_deadline(state, *m.mutable_lapse());
  cancel_deadline(state, *m.mutable_extend());
  cancel_deadline(state, *m.mutable_plan());
  cancel_all_timers(state, *m.mutable_timers());
  return record_measure_period(state, c.id(), c.gi(), m, ended_day);
}

Outcome end_and_notify(ContractState& state, uint64_t height, cv1::Case& c, std::string_view slot,
                       std::string_view reason, uint64_t deadline_id) {
  cv1::Measure& m = measure_in(c, slot);
  // Its end day: D-LAPSE fires on it, a lift in effect today set it, D-18 fires on the majority date,
  // which no end date passes.
  JOET_CTR_TRY(end_measure(state, c, slot, reason, m.end_day()));
  EventSpec spec;
  spec.kind = "MEASURE_ENDED";
  spec.case_id = c.id();
  spec.detail = m.end_reason();
  spec.measure = std::string(measure_name(m.kind()));
  spec.deadline_id = deadline_id;
  JOET_CTR_TRY(notify(state, height, {c.gi(), c.rvdk(), c.municipality()}, spec));
  if (slot == slots::kMain && c.uhp().state() == cv1::ACTIVE) {
    return end_and_notify(state, height, c, slots::kUhp, "OTS_ENDED", deadline_id);
  }
  return Outcome();
}

}  // namespace joet
