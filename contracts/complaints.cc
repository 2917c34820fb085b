#include "contracts/complaints.h"

#include "contracts/amsterdam_time.h"
#include "contracts/cases.h"
#include "contracts/deadlines.h"
#include "contracts/notifications.h"
#include "contracts/registry.h"
#include "contracts/statistics.h"

namespace joet {
namespace {

namespace dk = deadline_kinds;

Outcome load_complaint(const TxContext& ctx, const std::string& case_id, std::string& id, cv1::Complaint& out) {
  return load_case_item(ctx, "complaint", &state_keys::complaint, case_id, "COMPLAINT_UNKNOWN", id, out);
}

Outcome load_escalation(const TxContext& ctx, const std::string& case_id, std::string& id, cv1::Escalation& out) {
  return load_case_item(ctx, "escalation", &state_keys::escalation, case_id, "ESCALATION_UNKNOWN", id, out);
}

}  // namespace

Outcome complaint_file(TxContext& ctx) {
  JOET_CTR_TRY(require_role(ctx, {cv1::GI, cv1::MUNICIPALITY}));
  std::string case_id, id, filed_for;
  Hash32 document{};
  cv1::Case c;
  JOET_CTR_TRY(ctx.args.text("complaint", id));
  JOET_CTR_TRY(ctx.args.one_of("filed_for", {"PARENT", "CHILD"}, filed_for));
  JOET_CTR_TRY(ctx.args.hash("document", document));
  JOET_CTR_TRY(load_case(ctx, case_id, c));
  const std::string& me = ctx.signer.institution;
  if (me != c.gi() && me != c.municipality()) {
    return refuse("NOT_AUTHORIZED", "only the case's GI or municipality receives its complaints");
  }
  const Bytes key = state_keys::complaint(case_id, id);
  auto existing = ctx.state.get_raw(key);
  if (!existing.ok()) return existing.error();
  if (existing->has_value()) return refuse("DUPLICATE", "complaint " + id + " exists");
  const CivilDate today = civil_date_of(ctx.block_time_ms);
  cv1::Complaint k;
  k.set_case_id(case_id);
  k.set_id(id);
  k.set_filed_with(me);
  k.set_filed_for(filed_for);
  k.set_document(to_string(document));
  k.set_filed_day(days_from_civil(today));
  auto ref = schedule_deadline(ctx.state, dk::kComplaint, case_id, add_days(today, ctx.policy.complaint_decision_days), slots::kCase, id);
  if (!ref.ok()) return ref.error();
  *k.mutable_decide() = *ref;
  ctx.state.put(key, k);
  JOET_CTR_TRY(record_case_fact(ctx.state, ctx.block_time_ms, stat_metrics::kComplaint, me, case_id));
  return notify(ctx.state, ctx.height, {c.gi(), c.municipality()}, tx_event(ctx, "COMPLAINT_FILED", case_id, id));
}

Outcome complaint_decide(TxContext& ctx) {
  JOET_CTR_TRY(require_role(ctx, {cv1::GI, cv1::MUNICIPALITY}));
  std::string case_id, id, outcome;
  Hash32 document{};
  cv1::Case c;
  cv1::Complaint k;
  JOET_CTR_TRY(ctx.args.one_of("outcome", {"UPHELD", "PARTLY_UPHELD", "REJECTED", "POSTPONED"}, outcome));
  JOET_CTR_TRY(ctx.args.hash("document", document));
  JOET_CTR_TRY(load_case(ctx, case_id, c));
  JOET_CTR_TRY(load_complaint(ctx, case_id, id, k));
  if (k.filed_with() != ctx.signer.institution) {
    return refuse("NOT_AUTHORIZED", "only the institution the complaint was filed with decides it");
  }
  if (!k.outcome().empty()) return refuse("DUPLICATE", "the complaint is already decided");
  if (outcome == "POSTPONED") {
    if (k.postponed()) return refuse("DUPLICATE", "the decision was already postponed once");
    k.set_postponed(true);
    cancel_deadline(ctx.state, *k.mutable_decide());
    const CivilDate due = add_days(civil_from_days(k.filed_day()),
                                    ctx.policy.complaint_decision_days + ctx.policy.complaint_postpone_days);
    auto ref = schedule_deadline(ctx.state, dk::kComplaint, case_id, due, slots::kCase, id);
    if (!ref.ok()) return ref.error();
    *k.mutable_decide() = *ref;
  } else {
    k.set_outcome(outcome);
    cancel_deadline(ctx.state, *k.mutable_decide());
  }
  ctx.state.put(state_keys::complaint(case_id, id), k);
  return notify(ctx.state, ctx.height, {c.gi(), c.municipality()},
                tx_event(ctx, outcome == "POSTPONED" ? "COMPLAINT_POSTPONED" : "COMPLAINT_DECIDED", case_id, id));
}

Outcome escalation_request(TxContext& ctx) {
  JOET_CTR_TRY(require_role(ctx, {cv1::MUNICIPALITY, cv1::RVDK}));
  std::string case_id, id, addressee;
  Hash32 document{};
  cv1::Case c;
  JOET_CTR_TRY(ctx.args.text("escalation", id));
  JOET_CTR_TRY(ctx.args.text("addressee", addressee));
  JOET_CTR_TRY(ctx.args.hash("document", document));
  JOET_CTR_TRY(load_case(ctx, case_id, c));
  const std::string& me = ctx.signer.institution;
  if (me != c.rvdk() && me != c.municipality()) {
    return refuse("NOT_AUTHORIZED", "only the case's RvdK or municipality asks for a check");
  }
  auto inst = find_institution(ctx.state, addressee);
  if (!inst.ok()) return inst.error();
  if (!inst->has_value() || addressee == me || (*inst)->role() == cv1::AUDITOR) {
    return refuse("BAD_FIELD", "argument 'addressee': not another institution that can answer");
  }
  const Bytes key = state_keys::escalation(case_id, id);
  auto existing = ctx.state.get_raw(key);
  if (!existing.ok()) return existing.error();
  if (existing->has_value()) return refuse("DUPLICATE", "escalation " + id + " exists");
  cv1::Escalation e;
  e.set_case_id(case_id);
  e.set_id(id);
  e.set_requester(me);
  e.set_addressee(addressee);
  e.set_document(to_string(document));
  const CivilDate due = add_days(civil_date_of(ctx.block_time_ms), ctx.policy.escalation_days);
  auto ref = schedule_deadline(ctx.state, dk::kEscalation, case_id, due, slots::kCase, id);
  if (!ref.ok()) return ref.error();
  *e.mutable_answer() = *ref;
  ctx.state.put(key, e);
  return notify(ctx.state, ctx.height, {addressee}, tx_event(ctx, "ESCALATION_REQUESTED", case_id, id));
}

Outcome escalation_answer(TxContext& ctx) {
  JOET_CTR_TRY(require_role(ctx, {cv1::COURT, cv1::RVDK, cv1::MUNICIPALITY, cv1::GI}));
  std::string case_id, id;
  Hash32 document{};
  cv1::Case c;
  cv1::Escalation e;
  JOET_CTR_TRY(ctx.args.hash("document", document));
  JOET_CTR_TRY(load_case(ctx, case_id, c));
  JOET_CTR_TRY(load_escalation(ctx, case_id, id, e));
  if (e.addressee() != ctx.signer.institution) return refuse("NOT_AUTHORIZED", "only the addressee answers");
  if (e.answered()) return refuse("DUPLICATE", "the escalation is already answered");
  e.set_answered(true);
  cancel_deadline(ctx.state, *e.mutable_answer());
  ctx.state.put(state_keys::escalation(case_id, id), e);
  return notify(ctx.state, ctx.height, {e.requester()}, tx_event(ctx, "ESCALATION_ANSWERED", case_id, id));
}

Result<CaseDeadlineEvent> fire_complaint_or_escalation(ContractState& state, const cv1::Case& c,
                                                       const cv1::Deadline& d) {
  if (d.kind() == dk::kComplaint) {
    const Bytes key = state_keys::complaint(c.id(), d.detail());
    auto found = state.get<cv1::Complaint>(key);
    if (!found.ok()) return found.error();
    if (!found->has_value()) return make_error(ErrorCode::kCorruption, "D-COMPLAINT of unknown complaint");
    cv1::Complaint k = std::move(**found);
    if (k.decide().id() != d.id() || !k.outcome().empty()) return CaseDeadlineEvent{};
    k.clear_decide();
    state.put(key, k);
    return CaseDeadlineEvent{"COMPLAINT_DECISION_MISSED", k.id(), {c.gi(), c.municipality(), k.filed_with()},
                             k.filed_with()};
  }
  JOET_ASSERT(d.kind() == dk::kEscalation);
  const Bytes key = state_keys::escalation(c.id(), d.detail());
  auto found = state.get<cv1::Escalation>(key);
  if (!found.ok()) return found.error();
  if (!found->has_value()) return make_error(ErrorCode::kCorruption, "D-ESCAL of unknown escalation");
  cv1::Escalation e = std::move(**found);
  if (e.answer().id() != d.id() || e.answered()) return CaseDeadlineEvent{};
  e.clear_answer();
  state.put(key, e);
  return CaseDeadlineEvent{"ESCALATION_ANSWER_MISSED", e.id(), {e.requester()}, e.addressee()};
}

}  // namespace joet
