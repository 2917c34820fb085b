// court.decide for UHP and SPOED_UHP (contracts/court.h): 1:265b/c, Rv 800 lid 3.
#include "contracts/amsterdam_time.h"
#include "contracts/contact.h"
#include "contracts/court_internal.h"
#include "contracts/deadlines.h"
#include "contracts/measures.h"
#include "contracts/registry.h"
#include "contracts/termijnenwet.h"

namespace joet {

namespace dk = deadline_kinds;

namespace {

// A UHP asked by the RvdK for itself needs the municipality's collegebesluit (1:265b lid 2).
Outcome check_collegebesluit(const ContractState& state, const cv1::Request& r) {
  if (!r.filed_for().empty() || !r.collegebesluit().empty()) return Outcome();
  auto inst = find_institution(state, r.filed_by());
  if (!inst.ok()) return inst.error();
  if (inst->has_value() && (*inst)->role() == cv1::RVDK) {
    return refuse("COLLEGEBESLUIT_MISSING", "a UHP asked by the RvdK needs the municipality's collegebesluit");
  }
  return Outcome();
}

}  // namespace

Outcome grant_uhp(TxContext& ctx, cv1::Case& c, const cv1::Request& r, const CivilDate& start, const CivilDate& end) {
  const cv1::Measure& ots = c.measure();
  const int64_t start_day = days_from_civil(start);
  if (ots.state() != cv1::ACTIVE || start_day < ots.start_day() || start_day >= ots.end_day()) {
    return refuse("UHP_WITHOUT_OTS", "no (voorlopige) OTS runs on " + to_string(start));
  }
  if (r.gi() != c.gi()) return refuse("BAD_FIELD", "the request's GI is not the OTS's GI");
  const CivilDate max_end = add_months(start, ctx.statute.uhp_max_months);
  if (end > max_end) return refuse("TERM_TOO_LONG", "end date after " + to_string(max_end));
  if (days_from_civil(end) > ots.end_day()) {
    return refuse("UHP_PAST_OTS_END", "end date after the OTS's end " + to_string(civil_from_days(ots.end_day())));
  }
  JOET_CTR_TRY(check_majority(c, end));
  JOET_CTR_TRY(check_collegebesluit(ctx.state, r));
  const bool spoed = r.kind() == "SPOED_UHP";
  cv1::Measure& old = *c.mutable_uhp();
  bool placed = false;
  int64_t placed_day = 0;
  if (old.state() == cv1::ACTIVE) {
    // A UHP decided after the hearing replaces the spoedmachtiging (and so closes its D-SPOED).
    if (spoed || !old.spoed()) return refuse("MEASURE_ACTIVE", "a UHP is running");
    placed = old.placed();
    placed_day = old.placed_day();
    JOET_CTR_TRY(end_measure(ctx.state, c, slots::kUhp, "REPLACED", start_day));
  }
  const CivilDate today = civil_date_of(ctx.block_time_ms);
  cv1::Measure m;
  m.set_kind(cv1::UHP);
  m.set_state(cv1::ACTIVE);
  m.set_start_day(start_day);
  m.set_end_day(days_from_civil(end));
  m.set_decided_day(days_from_civil(today));
  m.set_spoed(spoed);
  m.set_placed(placed);
  m.set_placed_day(placed_day);
  JOET_CTR_TRY(schedule_end(ctx.state, ctx.policy, ctx.block_time_ms, c.id(), m));
  if (!placed) {
    // 1:265c lid 3: lapses when not carried out within 3 months of the decision.
    const CivilDate due = add_months(today, ctx.statute.uhp_carry_out_months);
    JOET_CTR_TRY(schedule_timer(ctx.state, *m.mutable_timers(), dk::kUhp3m, c.id(), slots::kUhp, due));
    JOET_CTR_TRY(schedule_reminder(ctx.state, *m.mutable_timers(), dk::kUhp3mReminder, c.id(), slots::kUhp,
                                   add_days(due, -14), ctx.block_time_ms));
  }
  if (spoed) {
    // The hearing may be held on the period's last day (Atw); missed from 00:00 the day after.
    const CivilDate last = period_end_days(today, ctx.policy.spoed_hearing_days, ctx.policy.extra_holidays);
    const CivilDate due = add_days(last, 1);
    JOET_CTR_TRY(schedule_timer(ctx.state, *m.mutable_timers(), dk::kSpoed, c.id(), slots::kUhp, due));
    JOET_CTR_TRY(schedule_reminder(ctx.state, *m.mutable_timers(), dk::kSpoedReminder, c.id(), slots::kUhp,
                                   add_days(due, -3), ctx.block_time_ms));
  }
  *c.mutable_uhp() = std::move(m);
  if (placed) JOET_CTR_TRY(schedule_no_contact_signal(ctx.state, ctx.policy, c));
  return long_measure_signals(ctx, c, slots::kUhp, start, end);
}

}  // namespace joet
