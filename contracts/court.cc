#include "contracts/court.h"

#include "contracts/amsterdam_time.h"
#include "contracts/cases.h"
#include "contracts/deadlines.h"
#include "contracts/notifications.h"
#include "contracts/registry.h"

namespace joet {
namespace {

EventSpec tx_event(const TxContext& ctx, std::string kind, const std::string& case_id, std::string detail) {
  EventSpec spec;
  spec.kind = std::move(kind);
  spec.case_id = case_id;
  spec.detail = std::move(detail);
  spec.tx_id = ctx.tx_id;
  spec.has_tx = true;
  return spec;
}

Outcome check_majority(const cv1::Case& c, const CivilDate& end) {
  if (days_from_civil(end) > c.majority_day()) {
    return refuse("PAST_MAJORITY", "the measure would run past the majority date");
  }
  return Outcome();
}

// (Re)schedules D-LAPSE at the end date and, for an OTS, D-EXTEND before it.
Outcome schedule_end(ContractState& state, const Policy& policy, const std::string& case_id, cv1::Measure& m) {
  cancel_deadline(state, *m.mutable_lapse());
  cancel_deadline(state, *m.mutable_extend());
  const CivilDate end = civil_from_days(m.end_day());
  auto lapse = schedule_deadline(state, deadline_kinds::kLapse, case_id, end);
  if (!lapse.ok()) return lapse.error();
  *m.mutable_lapse() = *lapse;
  if (m.kind() == cv1::OTS && !m.extension_requested()) {
    auto extend = schedule_deadline(state, deadline_kinds::kExtend, case_id,
                                    add_days(end, -policy.extension_filing_days));
    if (!extend.ok()) return extend.error();
    *m.mutable_extend() = *extend;
  }
  return Outcome();
}

Outcome grant_measure(TxContext& ctx, cv1::Case& c, const cv1::Request& r, const CivilDate& start,
                      const CivilDate& end) {
  const bool ots = r.kind() == "OTS";
  const CivilDate max_end = add_months(start, ots ? 12 : 3);
  if (end > max_end) {
    return refuse("TERM_TOO_LONG", "end date after " + to_string(max_end));
  }
  JOET_CTR_TRY(check_majority(c, end));
  cv1::Measure& old = *c.mutable_measure();
  bool plan_filed = false;
  if (old.state() == cv1::ACTIVE) {
    if (!(ots && old.kind() == cv1::VOTS)) return refuse("MEASURE_ACTIVE", "a measure is running");
    plan_filed = old.plan_filed();
    cancel_deadline(ctx.state, *old.mutable_lapse());
    cancel_deadline(ctx.state, *old.mutable_extend());
    cancel_deadline(ctx.state, *old.mutable_plan());
  }
  cv1::Measure m;
  m.set_kind(ots ? cv1::OTS : cv1::VOTS);
  m.set_state(cv1::ACTIVE);
  m.set_start_day(days_from_civil(start));
  m.set_end_day(days_from_civil(end));
  m.set_plan_filed(plan_filed);
  JOET_CTR_TRY(schedule_end(ctx.state, ctx.policy, c.id(), m));
  if (!plan_filed) {
    auto plan = schedule_deadline(ctx.state, deadline_kinds::kPlan, c.id(), add_days(start, ctx.policy.plan_days));
    if (!plan.ok()) return plan.error();
    *m.mutable_plan() = *plan;
  }
  *c.mutable_measure() = std::move(m);
  c.set_gi(r.gi());
  return Outcome();
}

Outcome grant_extension(TxContext& ctx, cv1::Case& c, const CivilDate& start, const CivilDate& end) {
  cv1::Measure& m = *c.mutable_measure();
  if (m.kind() != cv1::OTS || m.end_reason() == "LIFTED") return refuse("NO_MEASURE", "no OTS to extend");
  const CivilDate old_end = civil_from_days(m.end_day());
  const CivilDate today = civil_date_of(ctx.block_time_ms);
  if (today >= old_end) {
    return refuse("EXTENSION_AFTER_END", "decided on " + to_string(today) + ", the OTS ended on " + to_string(old_end));
  }
  if (m.state() != cv1::ACTIVE) return refuse("NO_MEASURE", "the OTS is not running");
  if (start != old_end) return refuse("BAD_FIELD", "argument 'start_date': an extension starts at the old end date");
  const CivilDate max_end = add_months(old_end, 12);
  if (end > max_end) return refuse("TERM_TOO_LONG", "end date after " + to_string(max_end));
  JOET_CTR_TRY(check_majority(c, end));
  m.set_end_day(days_from_civil(end));
  m.set_extensions(m.extensions() + 1);
  m.set_extension_requested(false);
  return schedule_end(ctx.state, ctx.policy, c.id(), m);
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
  std::string kind_event = "REQUEST_REFUSED";
  if (outcome == "GRANTED") {
    CivilDate start, end;
    JOET_CTR_TRY(ctx.args.date("start_date", start));
    JOET_CTR_TRY(ctx.args.date("end_date", end));
    if (!(start < end)) return refuse("BAD_FIELD", "argument 'end_date': not after the start date");
    if (r.kind() == "EXTEND_OTS") {
      JOET_CTR_TRY(grant_extension(ctx, c, start, end));
      kind_event = "MEASURE_EXTENDED";
    } else {
      JOET_CTR_TRY(grant_measure(ctx, c, r, start, end));
      kind_event = "MEASURE_GRANTED";
    }
    r.set_state(cv1::GRANTED);
    ctx.state.put(state_keys::case_record(case_id), c);
  } else {
    r.set_state(cv1::REFUSED);
  }
  ctx.state.put(rkey, r);
  return notify(ctx.state, ctx.height, {r.gi(), c.rvdk(), c.municipality(), r.filed_by()},
                tx_event(ctx, kind_event, case_id, request_id));
}

Outcome court_lift(TxContext& ctx) {
  JOET_CTR_TRY(require_role(ctx, {cv1::COURT}));
  std::string case_id;
  CivilDate date;
  cv1::Case c;
  JOET_CTR_TRY(ctx.args.date("date", date));
  JOET_CTR_TRY(load_case(ctx, case_id, c));
  cv1::Measure& m = *c.mutable_measure();
  if (m.state() != cv1::ACTIVE) return refuse("NO_MEASURE", "the case has no running measure");
  const int64_t day = days_from_civil(date);
  if (day < m.start_day() || day >= m.end_day()) {
    return refuse("BAD_FIELD", "argument 'date': not within the measure");
  }
  m.set_end_day(day);
  m.set_end_reason("LIFTED");
  cancel_deadline(ctx.state, *m.mutable_extend());
  cancel_deadline(ctx.state, *m.mutable_lapse());
  auto lapse = schedule_deadline(ctx.state, deadline_kinds::kLapse, case_id, date);
  if (!lapse.ok()) return lapse.error();
  *m.mutable_lapse() = *lapse;
  ctx.state.put(state_keys::case_record(case_id), c);
  return notify(ctx.state, ctx.height, {c.gi(), c.rvdk(), c.municipality()},
                tx_event(ctx, "MEASURE_LIFTED", case_id, to_string(date)));
}

}  // namespace joet
