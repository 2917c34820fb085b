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

// NOT_AUTHORIZED unless the signer is the GI the case's measure names.
Outcome require_case_gi(const TxContext& ctx, const cv1::Case& c) {
  JOET_CTR_TRY(require_role(ctx, {cv1::GI}));
  if (c.gi().empty() || c.gi() != ctx.signer.institution) {
    return refuse("NOT_AUTHORIZED", "only the case's GI may do this");
  }
  return Outcome();
}

Outcome require_active_measure(const cv1::Case& c) {
  if (c.measure().state() != cv1::ACTIVE) return refuse("NO_MEASURE", "the case has no running measure");
  return Outcome();
}

}  // namespace

Outcome load_case(const TxContext& ctx, std::string& case_id, cv1::Case& out) {
  JOET_CTR_TRY(ctx.args.text("case", case_id));
  auto found = ctx.state.get<cv1::Case>(state_keys::case_record(case_id));
  if (!found.ok()) return found.error();
  if (!found->has_value()) return refuse("CASE_UNKNOWN", "no case " + case_id);
  out = std::move(**found);
  return Outcome();
}

Outcome case_open(TxContext& ctx) {
  JOET_CTR_TRY(require_role(ctx, {cv1::RVDK, cv1::COURT}));
  std::string case_id, municipality, rvdk;
  CivilDate majority;
  JOET_CTR_TRY(ctx.args.text("case", case_id));
  JOET_CTR_TRY(ctx.args.date("majority_date", majority));
  JOET_CTR_TRY(ctx.args.text("municipality", municipality));
  JOET_CTR_TRY(ctx.args.optional_text("rvdk", rvdk));
  if (ctx.signer.role == cv1::RVDK) {
    if (!rvdk.empty() && rvdk != ctx.signer.institution) {
      return refuse("BAD_FIELD", "argument 'rvdk': an RvdK opens cases for itself");
    }
    rvdk = ctx.signer.institution;
  } else if (rvdk.empty()) {
    return refuse("BAD_FIELD", "argument 'rvdk': missing");
  }
  JOET_CTR_TRY(require_institution_role(ctx.state, municipality, cv1::MUNICIPALITY, "municipality"));
  JOET_CTR_TRY(require_institution_role(ctx.state, rvdk, cv1::RVDK, "rvdk"));
  const Bytes key = state_keys::case_record(case_id);
  auto existing = ctx.state.get_raw(key);
  if (!existing.ok()) return existing.error();
  if (existing->has_value()) return refuse("DUPLICATE", "case " + case_id + " exists");
  cv1::Case c;
  c.set_id(case_id);
  c.set_majority_day(days_from_civil(majority));
  c.set_rvdk(rvdk);
  c.set_municipality(municipality);
  ctx.state.put(key, c);
  return notify(ctx.state, ctx.height, {rvdk, municipality}, tx_event(ctx, "CASE_OPENED", case_id, case_id));
}

Outcome request_file(TxContext& ctx) {
  JOET_CTR_TRY(require_role(ctx, {cv1::RVDK, cv1::GI, cv1::COURT}));
  std::string case_id, request_id, kind, gi, filed_for;
  Hash32 document{};
  cv1::Case c;
  JOET_CTR_TRY(ctx.args.text("request", request_id));
  JOET_CTR_TRY(ctx.args.one_of("kind", {"OTS", "VOTS", "EXTEND_OTS", "LIFT"}, kind));
  JOET_CTR_TRY(ctx.args.hash("document", document));
  JOET_CTR_TRY(ctx.args.optional_text("gi", gi));
  JOET_CTR_TRY(ctx.args.optional_text("filed_for", filed_for));
  if (!filed_for.empty() && filed_for != "PARENT" && filed_for != "CHILD" && filed_for != "OM") {
    return refuse("BAD_FIELD", "argument 'filed_for': PARENT, CHILD or OM");
  }
  if (ctx.signer.role == cv1::COURT && filed_for.empty()) {
    return refuse("NOT_AUTHORIZED", "the court files requests only for PARENT, CHILD or OM");
  }
  JOET_CTR_TRY(load_case(ctx, case_id, c));
  const bool new_measure = kind == "OTS" || kind == "VOTS";
  if (new_measure) {
    if (gi.empty()) return refuse("BAD_FIELD", "argument 'gi': missing");
    JOET_CTR_TRY(require_institution_role(ctx.state, gi, cv1::GI, "gi"));
  } else {
    JOET_CTR_TRY(require_active_measure(c));
    if (kind == "EXTEND_OTS" && c.measure().kind() != cv1::OTS) {
      return refuse("NO_MEASURE", "only an OTS is extended");
    }
    if (ctx.signer.role == cv1::GI && ctx.signer.institution != c.gi()) {
      return refuse("NOT_AUTHORIZED", "only the case's GI may do this");
    }
    if (!gi.empty() && gi != c.gi()) return refuse("BAD_FIELD", "argument 'gi': not the case's GI");
    gi = c.gi();
  }
  const Bytes key = state_keys::request(case_id, request_id);
  auto existing = ctx.state.get_raw(key);
  if (!existing.ok()) return existing.error();
  if (existing->has_value()) return refuse("DUPLICATE", "request " + request_id + " exists");
  cv1::Request r;
  r.set_case_id(case_id);
  r.set_id(request_id);
  r.set_kind(kind);
  r.set_gi(gi);
  r.set_document(to_string(document));
  r.set_filed_by(ctx.signer.institution);
  r.set_filed_for(filed_for);
  r.set_state(cv1::PENDING);
  ctx.state.put(key, r);
  if (kind == "EXTEND_OTS") {
    cv1::Measure& m = *c.mutable_measure();
    m.set_extension_requested(true);
    cancel_deadline(ctx.state, *m.mutable_extend());
    ctx.state.put(state_keys::case_record(case_id), c);
  }
  return notify(ctx.state, ctx.height, {c.rvdk(), gi}, tx_event(ctx, "REQUEST_FILED", case_id, request_id));
}

Outcome gi_plan(TxContext& ctx) {
  JOET_CTR_TRY(require_role(ctx, {cv1::GI}));
  std::string case_id;
  Hash32 document{};
  cv1::Case c;
  JOET_CTR_TRY(ctx.args.hash("document", document));
  JOET_CTR_TRY(load_case(ctx, case_id, c));
  JOET_CTR_TRY(require_case_gi(ctx, c));
  JOET_CTR_TRY(require_active_measure(c));
  cv1::Measure& m = *c.mutable_measure();
  m.set_plan_filed(true);
  cancel_deadline(ctx.state, *m.mutable_plan());
  c.set_last_plan_ms(ctx.block_time_ms);
  ctx.state.put(state_keys::case_record(case_id), c);
  return Outcome();
}

Outcome gi_progress(TxContext& ctx) {
  JOET_CTR_TRY(require_role(ctx, {cv1::GI}));
  std::string case_id;
  Hash32 document{};
  cv1::Case c;
  JOET_CTR_TRY(ctx.args.hash("document", document));
  JOET_CTR_TRY(load_case(ctx, case_id, c));
  JOET_CTR_TRY(require_case_gi(ctx, c));
  JOET_CTR_TRY(require_active_measure(c));
  c.set_last_progress_ms(ctx.block_time_ms);
  ctx.state.put(state_keys::case_record(case_id), c);
  return Outcome();
}

Outcome document_anchor(TxContext& ctx) {
  JOET_CTR_TRY(require_role(ctx, {cv1::COURT, cv1::RVDK, cv1::MUNICIPALITY, cv1::GI}));
  std::string case_id;
  Hash32 document{};
  cv1::Case c;
  JOET_CTR_TRY(ctx.args.hash("document", document));
  JOET_CTR_TRY(load_case(ctx, case_id, c));
  const Bytes key = state_keys::document(case_id, document);
  auto existing = ctx.state.get_raw(key);
  if (!existing.ok()) return existing.error();
  if (existing->has_value()) return refuse("DUPLICATE", "document already anchored");
  ctx.state.put_u64(key, ctx.height);
  return Outcome();
}

}  // namespace joet
