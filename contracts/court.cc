#include "contracts/court.h"

#include <algorithm>
#include <string>
#include <vector>

#include "contracts/amsterdam_time.h"
#include "contracts/cases.h"
#include "contracts/court_internal.h"
#include "contracts/deadlines.h"
#include "contracts/measures.h"
#include "contracts/notifications.h"
#include "contracts/statistics.h"
#include "contracts/termijnenwet.h"

namespace joet {
namespace {

namespace dk = deadline_kinds;

// D-18 on the majority date and its reminder 90 days before, once per case.
Outcome schedule_majority(TxContext& ctx, cv1::Case& c) {
  if (find_timer(c.timers(), dk::kMajority) != nullptr) return Outcome();
  const CivilDate majority = civil_from_days(c.majority_day());
  JOET_CTR_TRY(schedule_timer(ctx.state, *c.mutable_timers(), dk::kMajority, c.id(), slots::kCase, majority));
  return schedule_reminder(ctx.state, *c.mutable_timers(), dk::kMajorityReminder, c.id(), slots::kCase,
                           add_days(majority, -90), ctx.block_time_ms);
}

// D-APPEAL: informational, 3 months (Atw) from the decision; due the day after the period's last day.
Outcome schedule_appeal(TxContext& ctx, const std::string& case_id, const std::string& detail) {
  const CivilDate last =
      period_end_months(civil_date_of(ctx.block_time_ms), ctx.statute.appeal_months, ctx.policy.extra_holidays);
  auto ref = schedule_deadline(ctx.state, dk::kAppeal, case_id, add_days(last, 1), slots::kCase, detail);
  if (!ref.ok()) return ref.error();
  return Outcome();
}

// The ground categories a grant states (rules version 2): ground.0 .. ground.<n-1>, each one of
// kGroundCategories, no one twice; returned ascending.
Outcome read_grounds(const TxContext& ctx, std::vector<std::string>& out) {
  out.clear();
  const size_t given = ctx.args.count_with_prefix("ground.");
  if (given == 0) return refuse("GROUNDS_MISSING", "a grant states its ground categories: argument 'ground.0' (1:255 BW)");
  for (size_t i = 0; i < given; ++i) {
    const std::string name = "ground." + std::to_string(i);
    if (!ctx.args.has(name)) return refuse("BAD_FIELD", "ground arguments must be ground.0 .. ground." + std::to_string(given - 1));
    std::string ground;
    JOET_CTR_TRY(ctx.args.one_of(name, {kGroundCategories[0], kGroundCategories[1], kGroundCategories[2]}, ground));
    if (std::find(out.begin(), out.end(), ground) != out.end()) {
      return refuse("BAD_FIELD", "argument '" + name + "': " + ground + " is given twice");
    }
    out.push_back(std::move(ground));
  }
  std::sort(out.begin(), out.end());
  return Outcome();
}

// Keeps the grounds on the granted measure and counts the case under each in the month's grounds table.
Outcome record_grounds(TxContext& ctx, cv1::Case& c, std::string_view slot, const std::vector<std::string>& grounds) {
  cv1::Measure& m = measure_in(c, slot);
  m.clear_grounds();
  for (const std::string& g : grounds) {
    m.add_grounds(g);
    JOET_CTR_TRY(record_case_fact(ctx.state, ctx.block_time_ms, std::string(stat_metrics::kGroundPrefix) + g, c.gi(), c.id()));
  }
  return Outcome();
}

Outcome grant(TxContext& ctx, cv1::Case& c, const cv1::Request& r, std::string& event_kind, std::string& measure) {
  std::vector<std::string> grounds;
  if (ctx.statute.grants_state_grounds) JOET_CTR_TRY(read_grounds(ctx, grounds));
  CivilDate start, end;
  JOET_CTR_TRY(ctx.args.date("start_date", start));
  JOET_CTR_TRY(ctx.args.date("end_date", end));
  if (!(start < end)) return refuse("BAD_FIELD", "argument 'end_date': not after the start date");
  // A measure whose term is already over on the day of the decision would be ACTIVE past its end
  // until the next block's lapse: refuse it (found by the randomized invariant test).
  const CivilDate today = civil_date_of(ctx.block_time_ms);
  if (!(today < end)) {
    return refuse("END_NOT_AFTER_DECISION", "argument 'end_date': " + to_string(end) + " is not after the decision date " +
                                                to_string(today));
  }
  const std::string& kind = r.kind();
  std::string_view slot = slots::kMain;
  if (kind == "EXTEND_OTS" || kind == "EXTEND_UHP") {
    const bool uhp = kind == "EXTEND_UHP";
    slot = uhp ? slots::kUhp : slots::kMain;
    JOET_CTR_TRY(grant_extension(ctx, c, slot, start, end));
    event_kind = "MEASURE_EXTENDED";
    measure = uhp ? "UHP" : "OTS";
  } else if (kind == "UHP" || kind == "SPOED_UHP") {
    slot = slots::kUhp;
    JOET_CTR_TRY(grant_uhp(ctx, c, r, start, end));
    event_kind = "MEASURE_GRANTED";
    measure = "UHP";
  } else {
    JOET_ASSERT(kind == "OTS" || kind == "VOTS");
    JOET_CTR_TRY(grant_ots(ctx, c, r, start, end));
    event_kind = "MEASURE_GRANTED";
    measure = kind;
  }
  if (ctx.statute.grants_state_grounds) JOET_CTR_TRY(record_grounds(ctx, c, slot, grounds));
  return schedule_majority(ctx, c);
}

}  // namespace

Outcome court_decide(TxContext& ctx) {
  JOET_CTR_TRY(require_role(ctx, {cv1::COURT}));
  std::string case_id, request_id, outcome;
  cv1::Case c;
  JOET_CTR_TRY(ctx.args.text("request", request_id));
  JOET_CTR_TRY(ctx.args.one_of("outcome", {"GRANTED", "REFUSED"}, outcome));
  JOET_CTR_TRY(load_case(ctx, case_id, c));
  const Bytes rkey = state_keys::request(case_id, request_id);
  auto found = ctx.state.get<cv1::Request>(rkey);
  if (!found.ok()) return found.error();
  if (!found->has_value()) return refuse("REQUEST_UNKNOWN", "no request " + request_id);
  cv1::Request r = std::move(**found);
  if (r.state() != cv1::PENDING) return refuse("DUPLICATE", "request already decided");
  if (r.kind() == "LIFT") return refuse("BAD_FIELD", "a LIFT request is decided with court.lift");
  std::string event_kind = "REQUEST_REFUSED";
  std::string measure;
  if (outcome == "GRANTED") {
    JOET_CTR_TRY(grant(ctx, c, r, event_kind, measure));
    r.set_state(cv1::GRANTED);
  } else {
    r.set_state(cv1::REFUSED);
  }
  c.set_court(ctx.signer.institution);
  JOET_CTR_TRY(schedule_appeal(ctx, case_id, request_id));
  ctx.state.put(state_keys::case_record(case_id), c);
  ctx.state.put(rkey, r);
  return notify(ctx.state, ctx.height, {r.gi(), c.rvdk(), c.municipality(), r.filed_by()},
                tx_event(ctx, event_kind, case_id, request_id, measure));
}

// Moves a running measure's end to `day` (before its end): its end-bound deadlines and reminders go.
static void cut_short(ContractState& state, cv1::Measure& m, int64_t day, std::string_view reason) {
  m.set_end_day(day);
  m.set_end_reason(std::string(reason));
  cancel_deadline(state, *m.mutable_extend());
  cancel_deadline(state, *m.mutable_lapse());
  for (std::string_view k : {dk::kExtendReminder6w, dk::kExtendReminder2w, dk::kNonExtension, dk::kNonExtensionReminder}) {
    cancel_timer(state, *m.mutable_timers(), k);
  }
}

Outcome court_lift(TxContext& ctx) {
  JOET_CTR_TRY(require_role(ctx, {cv1::COURT}));
  std::string case_id, which;
  CivilDate date;
  cv1::Case c;
  JOET_CTR_TRY(ctx.args.date("date", date));
  JOET_CTR_TRY(ctx.args.optional_text("measure", which));
  if (which.empty()) which = "OTS";
  if (which != "OTS" && which != "UHP") return refuse("BAD_FIELD", "argument 'measure': OTS or UHP");
  JOET_CTR_TRY(load_case(ctx, case_id, c));
  const std::string_view slot = which == "UHP" ? slots::kUhp : slots::kMain;
  cv1::Measure& m = measure_in(c, slot);
  if (m.state() != cv1::ACTIVE) return refuse("NO_MEASURE", "the case has no running " + which);
  const int64_t day = days_from_civil(date);
  if (day < m.start_day() || day >= m.end_day()) {
    return refuse("BAD_FIELD", "argument 'date': not within the measure");
  }
  cut_short(ctx.state, m, day, "LIFTED");
  // A UHP never runs past its OTS: lifting the OTS cuts the UHP short too (it ends with the OTS).
  cv1::Measure& uhp = *c.mutable_uhp();
  if (slot == slots::kMain && uhp.state() == cv1::ACTIVE && uhp.end_day() > day) cut_short(ctx.state, uhp, day, "OTS_ENDED");
  const std::string measure(measure_name(m.kind()));
  c.set_court(ctx.signer.institution);
  JOET_CTR_TRY(schedule_appeal(ctx, case_id, "LIFT"));
  JOET_CTR_TRY(notify(ctx.state, ctx.height, {c.gi(), c.rvdk(), c.municipality()},
                      tx_event(ctx, "MEASURE_LIFTED", case_id, to_string(date), measure)));
  if (start_of_day_utc_ms(date) <= ctx.block_time_ms) {
    // Lifted with effect today or earlier: it has ended already, so it ends now, not at the next
    // block's lapse (a measure is never ACTIVE past its end date; found by the invariant test).
    JOET_CTR_TRY(end_and_notify(ctx.state, ctx.height, c, slot, "LIFTED", 0));
  } else {
    auto lapse = schedule_deadline(ctx.state, dk::kLapse, case_id, date, slot);
    if (!lapse.ok()) return lapse.error();
    *m.mutable_lapse() = *lapse;
  }
  ctx.state.put(state_keys::case_record(case_id), c);
  return Outcome();
}

Outcome court_hearing(TxContext& ctx) {
  JOET_CTR_TRY(require_role(ctx, {cv1::COURT}));
  std::string case_id;
  cv1::Case c;
  JOET_CTR_TRY(load_case(ctx, case_id, c));
  cv1::Measure& m = *c.mutable_uhp();
  if (m.state() != cv1::ACTIVE || !m.spoed()) return refuse("NO_MEASURE", "no running spoedmachtiging UHP");
  if (m.hearing_held()) return refuse("DUPLICATE", "the hearing is already recorded");
  m.set_hearing_held(true);
  cancel_timer(ctx.state, *m.mutable_timers(), dk::kSpoed);
  cancel_timer(ctx.state, *m.mutable_timers(), dk::kSpoedReminder);
  c.set_court(ctx.signer.institution);
  ctx.state.put(state_keys::case_record(case_id), c);
  return notify(ctx.state, ctx.height, {c.gi(), c.rvdk(), c.municipality()},
                tx_event(ctx, "SPOED_HEARING_HELD", case_id, case_id, "UHP"));
}

}  // namespace joet
