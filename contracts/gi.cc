#include "contracts/gi.h"

#include "contracts/amsterdam_time.h"
#include "contracts/cases.h"
#include "contracts/contact.h"
#include "contracts/deadlines.h"
#include "contracts/measures.h"
#include "contracts/notifications.h"
#include "contracts/statistics.h"
#include "contracts/termijnenwet.h"

namespace joet {

namespace dk = deadline_kinds;

Outcome professional_register(TxContext& ctx) {
  JOET_CTR_TRY(require_role(ctx, {cv1::GI}));
  std::string id;
  CivilDate valid_until;
  JOET_CTR_TRY(ctx.args.text("professional", id));
  JOET_CTR_TRY(ctx.args.date("skj_valid_until", valid_until));
  // Registering again records a renewed (or corrected) SKJ registration.
  cv1::Professional p;
  p.set_id(id);
  p.set_gi(ctx.signer.institution);
  p.set_skj_valid_until_day(days_from_civil(valid_until));
  ctx.state.put(state_keys::professional(ctx.signer.institution, id), p);
  return Outcome();
}

Outcome gi_assign(TxContext& ctx) {
  JOET_CTR_TRY(require_role(ctx, {cv1::GI}));
  std::string case_id, id;
  cv1::Case c;
  JOET_CTR_TRY(ctx.args.text("professional", id));
  JOET_CTR_TRY(load_own_running_case(ctx, case_id, c));
  auto found = ctx.state.get<cv1::Professional>(state_keys::professional(ctx.signer.institution, id));
  if (!found.ok()) return found.error();
  if (!found->has_value()) return refuse("PROFESSIONAL_UNKNOWN", "no professional " + id + " registered by this GI");
  const CivilDate today = civil_date_of(ctx.block_time_ms);
  if ((*found)->skj_valid_until_day() < days_from_civil(today)) {
    return refuse("SKJ_EXPIRED", "the SKJ registration of " + id + " expired on " +
                                     to_string(civil_from_days((*found)->skj_valid_until_day())));
  }
  if (c.jeugdbeschermer() == id) return refuse("DUPLICATE", id + " is already assigned");
  const bool change = !c.jeugdbeschermer().empty();
  c.set_jeugdbeschermer(id);
  if (change) {
    // Signal: more than 2 jeugdbeschermer changes in 12 months (the oldest of the last 3 is within them).
    auto& changes = *c.mutable_assignment_changes();
    changes.Add(days_from_civil(today));
    if (changes.size() > 3) changes.erase(changes.begin());
    if (changes.size() == 3 && changes.Get(0) > days_from_civil(add_months(today, -12))) {
      JOET_CTR_TRY(notify(ctx.state, ctx.height, {c.municipality()},
                          tx_event(ctx, "SIGNAL_JEUGDBESCHERMER_CHANGES", case_id, id)));
      JOET_CTR_TRY(record_case_fact(ctx.state, ctx.block_time_ms, "SIGNAL_JEUGDBESCHERMER_CHANGES", c.municipality(),
                                    case_id));
    }
  }
  cancel_timer(ctx.state, *c.mutable_measure()->mutable_timers(), dk::kAssign);
  // Stuurinformatie: days from the start of the OTS / VOTS to its first assignment. Not the UHP's: it
  // runs within the OTS, whose jeugdbeschermer it shares.
  if (c.measure().first_assigned_day() == 0) c.mutable_measure()->set_first_assigned_day(days_from_civil(today));
  ctx.state.put(state_keys::case_record(case_id), c);
  return Outcome();
}

Outcome gi_placement(TxContext& ctx) {
  JOET_CTR_TRY(require_role(ctx, {cv1::GI}));
  std::string case_id;
  CivilDate date;
  cv1::Case c;
  JOET_CTR_TRY(ctx.args.date("date", date));
  JOET_CTR_TRY(load_case(ctx, case_id, c));
  JOET_CTR_TRY(require_case_gi(ctx, c));
  cv1::Measure& m = *c.mutable_uhp();
  if (m.state() != cv1::ACTIVE) return refuse("NO_MEASURE", "no running UHP");
  if (m.placed()) return refuse("DUPLICATE", "the UHP is already carried out");
  const int64_t day = days_from_civil(date);
  const int64_t today = days_from_civil(civil_date_of(ctx.block_time_ms));
  if (day < m.start_day() || day >= m.end_day() || day > today) {
    return refuse("BAD_FIELD", "argument 'date': not a day of the UHP up to today");
  }
  m.set_placed(true);
  m.set_placed_day(day);
  cancel_timer(ctx.state, *m.mutable_timers(), dk::kUhp3m);
  cancel_timer(ctx.state, *m.mutable_timers(), dk::kUhp3mReminder);
  JOET_CTR_TRY(schedule_no_contact_signal(ctx.state, ctx.policy, c));
  ctx.state.put(state_keys::case_record(case_id), c);
  return notify(ctx.state, ctx.height, {c.rvdk(), c.municipality()},
                tx_event(ctx, "UHP_CARRIED_OUT", case_id, to_string(date), "UHP"));
}

Outcome gi_non_extension(TxContext& ctx) {
  JOET_CTR_TRY(require_role(ctx, {cv1::GI}));
  std::string case_id, which;
  Hash32 document{};
  cv1::Case c;
  JOET_CTR_TRY(ctx.args.hash("document", document));
  JOET_CTR_TRY(ctx.args.optional_text("measure", which));
  if (which.empty()) which = "OTS";
  if (which != "OTS" && which != "UHP") return refuse("BAD_FIELD", "argument 'measure': OTS or UHP");
  JOET_CTR_TRY(load_case(ctx, case_id, c));
  JOET_CTR_TRY(require_case_gi(ctx, c));
  cv1::Measure& m = which == "UHP" ? *c.mutable_uhp() : *c.mutable_measure();
  const cv1::MeasureKind kind = which == "UHP" ? cv1::UHP : cv1::OTS;
  if (m.state() != cv1::ACTIVE || m.kind() != kind) return refuse("NO_MEASURE", "no running " + which);
  if (m.non_extension_given()) return refuse("DUPLICATE", "the intent not to extend is already given");
  mark_non_extension(ctx.state, m);
  ctx.state.put(state_keys::case_record(case_id), c);
  return notify(ctx.state, ctx.height, {c.rvdk()}, tx_event(ctx, "NON_EXTENSION_NOTICE", case_id, which, which));
}

}  // namespace joet
