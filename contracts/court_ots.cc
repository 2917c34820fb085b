// court.decide for OTS, VOTS and extensions (contracts/court.h).
#include <algorithm>

#include "contracts/amsterdam_time.h"
#include "contracts/court_internal.h"
#include "contracts/deadlines.h"
#include "contracts/measures.h"
#include "contracts/notifications.h"
#include "contracts/statistics.h"

namespace joet {

namespace dk = deadline_kinds;

Outcome check_majority(const cv1::Case& c, const CivilDate& end) {
  if (days_from_civil(end) > c.majority_day()) {
    return refuse("PAST_MAJORITY", "the measure would run past the majority date");
  }
  return Outcome();
}

Outcome grant_ots(TxContext& ctx, cv1::Case& c, const cv1::Request& r, const CivilDate& start, const CivilDate& end) {
  const bool ots = r.kind() == "OTS";
  const CivilDate max_end = add_months(start, ots ? ctx.statute.ots_max_months : ctx.statute.vots_max_months);
  if (end > max_end) {
    return refuse("TERM_TOO_LONG", "end date after " + to_string(max_end));
  }
  JOET_CTR_TRY(check_majority(c, end));
  cv1::Measure& old = *c.mutable_measure();
  bool plan_filed = false;
  if (old.state() == cv1::ACTIVE) {
    if (!(ots && old.kind() == cv1::VOTS)) return refuse("MEASURE_ACTIVE", "a measure is running");
    plan_filed = old.plan_filed();
    JOET_CTR_TRY(end_measure(ctx.state, c, slots::kMain, "REPLACED", days_from_civil(start)));
  }
  if (r.gi() != c.gi()) c.clear_jeugdbeschermer();  // another GI: its own jeugdbeschermer
  cv1::Measure m;
  m.set_kind(ots ? cv1::OTS : cv1::VOTS);
  m.set_state(cv1::ACTIVE);
  m.set_start_day(days_from_civil(start));
  m.set_end_day(days_from_civil(end));
  m.set_decided_day(days_from_civil(civil_date_of(ctx.block_time_ms)));
  m.set_plan_filed(plan_filed);
  JOET_CTR_TRY(schedule_end(ctx.state, ctx.policy, ctx.block_time_ms, c.id(), m));
  if (!plan_filed) {
    auto plan = schedule_deadline(ctx.state, dk::kPlan, c.id(), add_days(start, ctx.policy.plan_days));
    if (!plan.ok()) return plan.error();
    *m.mutable_plan() = *plan;
  }
  if (c.jeugdbeschermer().empty()) {
    JOET_CTR_TRY(schedule_timer(ctx.state, *m.mutable_timers(), dk::kAssign, c.id(), slots::kMain,
                                add_days(start, ctx.policy.assign_days)));
  }
  JOET_CTR_TRY(schedule_progress(ctx.state, c.id(), m, 1));
  *c.mutable_measure() = std::move(m);
  c.set_gi(r.gi());
  return long_measure_signals(ctx, c, slots::kMain, start, end);
}

Outcome grant_extension(TxContext& ctx, cv1::Case& c, std::string_view slot, const CivilDate& start,
                        const CivilDate& end) {
  cv1::Measure& m = measure_in(c, slot);
  const cv1::MeasureKind kind = slot == slots::kUhp ? cv1::UHP : cv1::OTS;
  const std::string name(measure_name(kind));
  if (m.kind() != kind || m.end_reason() == "LIFTED") return refuse("NO_MEASURE", "no " + name + " to extend");
  const CivilDate old_end = civil_from_days(m.end_day());
  const CivilDate today = civil_date_of(ctx.block_time_ms);
  if (today >= old_end) {
    return refuse("EXTENSION_AFTER_END",
                  "decided on " + to_string(today) + ", the " + name + " ended on " + to_string(old_end));
  }
  if (m.state() != cv1::ACTIVE) return refuse("NO_MEASURE", "the " + name + " is not running");
  if (start != old_end) return refuse("BAD_FIELD", "argument 'start_date': an extension starts at the old end date");
  const CivilDate max_end = add_months(old_end, ctx.statute.extension_max_months);
  if (end > max_end) return refuse("TERM_TOO_LONG", "end date after " + to_string(max_end));
  if (kind == cv1::UHP) {
    if (c.measure().state() != cv1::ACTIVE) return refuse("UHP_WITHOUT_OTS", "no running OTS");
    if (days_from_civil(end) > c.measure().end_day()) {
      return refuse("UHP_PAST_OTS_END", "end date after the OTS's end " + to_string(civil_from_days(c.measure().end_day())));
    }
  }
  JOET_CTR_TRY(check_majority(c, end));
  m.set_end_day(days_from_civil(end));
  m.set_extensions(m.extensions() + 1);
  m.set_extension_requested(false);
  m.set_non_extension_given(false);
  JOET_CTR_TRY(schedule_end(ctx.state, ctx.policy, ctx.block_time_ms, c.id(), m));
  JOET_CTR_TRY(record_case_fact(ctx.state, ctx.block_time_ms,
                                kind == cv1::UHP ? stat_metrics::kExtensionUhp : stat_metrics::kExtensionOts, c.gi(),
                                c.id()));
  return long_measure_signals(ctx, c, slot, civil_from_days(m.start_day()), end);
}

Outcome long_measure_signals(TxContext& ctx, const cv1::Case& c, std::string_view slot, const CivilDate& start,
                             const CivilDate& end) {
  const bool uhp = slot == slots::kUhp;
  int64_t first_start = days_from_civil(start);
  int64_t days = days_from_civil(end) - first_start;
  for (uint32_t n = 0;; ++n) {
    auto period = ctx.state.get<cv1::MeasurePeriod>(state_keys::measure_period(c.id(), n));
    if (!period.ok()) return period.error();
    if (!period->has_value()) break;
    if (((*period)->kind() == cv1::UHP) != uhp) continue;
    days += (*period)->end_day() - (*period)->start_day();
    first_start = std::min(first_start, (*period)->start_day());
  }
  const int32_t months = uhp ? 12 : 24;
  if (days <= days_from_civil(add_months(civil_from_days(first_start), months)) - first_start) return Outcome();
  const std::string signal = uhp ? "SIGNAL_UHP_OVER_12_MONTHS" : "SIGNAL_OTS_OVER_24_MONTHS";
  JOET_CTR_TRY(notify(ctx.state, ctx.height, {c.municipality()},
                      tx_event(ctx, signal, c.id(), to_string(end), uhp ? "UHP" : std::string(measure_name(c.measure().kind())))));
  return record_case_fact(ctx.state, ctx.block_time_ms, signal, c.municipality(), c.id());
}

}  // namespace joet
