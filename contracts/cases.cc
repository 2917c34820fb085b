#include "contracts/cases.h"

#include "contracts/amsterdam_time.h"
#include "contracts/deadlines.h"
#include "contracts/measures.h"
#include "contracts/notifications.h"
#include "contracts/registry.h"
#include "contracts/statistics.h"

namespace joet {
namespace {

bool is_uhp_kind(std::string_view kind) { return kind == "UHP" || kind == "SPOED_UHP"; }

// Signals (DOMAIN.md) raised by an extension request, to the municipality: the third or later
// consecutive extension; no gi.progress or gi.plan in the 6 months before the request.
Outcome extension_signals(const TxContext& ctx, const cv1::Case& c, const cv1::Measure& m, const std::string& request) {
  const std::string measure(measure_name(m.kind()));
  if (m.extensions() >= 2) {
    JOET_CTR_TRY(notify(ctx.state, ctx.height, {c.municipality()},
                        tx_event(ctx, "SIGNAL_THIRD_EXTENSION", c.id(), request, measure)));
    JOET_CTR_TRY(record_case_fact(ctx.state, ctx.block_time_ms, "SIGNAL_THIRD_EXTENSION", c.municipality(), c.id()));
  }
  const int64_t since = start_of_day_utc_ms(add_months(civil_date_of(ctx.block_time_ms), -6));
  const bool reported = (c.last_plan_ms() != 0 && c.last_plan_ms() >= since) ||
                        (c.last_progress_ms() != 0 && c.last_progress_ms() >= since);
  if (!reported) {
    JOET_CTR_TRY(notify(ctx.state, ctx.height, {c.municipality()},
                        tx_event(ctx, "SIGNAL_EXTENSION_WITHOUT_REPORT", c.id(), request, measure)));
    JOET_CTR_TRY(record_case_fact(ctx.state, ctx.block_time_ms, "SIGNAL_EXTENSION_WITHOUT_REPORT", c.municipality(),
                                  c.id()));
  }
  return Outcome();
}

}  // namespace

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

Outcome load_own_running_case(const TxContext& ctx, std::string& case_id, cv1::Case& out) {
  JOET_CTR_TRY(load_case(ctx, case_id, out));
  JOET_CTR_TRY(require_case_gi(ctx, out));
  return require_active_measure(out);
}

Outcome load_case(const TxContext& ctx, std::string& case_id, cv1::Case& out) {
  JOET_CTR_TRY(ctx.args.text("case", case_id));
  auto found = ctx.state.get<cv1::Case>(state_keys::case_record(case_id));
  if (!found.ok()) return found.error();
  if (!found->has_value()) return refuse("CASE_UNKNOWN", "no case " + case_id);
  out = std::move(**found);
  return Outcome();
}

// 1:260 lid 2: an OTS extension is the GI's to ask; another filer (the RvdK, or the court for a party)
// only when the GI does not: after its gi.non_extension, or once the GI's own filing term
// (end - extension_filing_days, D-EXTEND) has come without its request.
static Outcome require_gi_first(const TxContext& ctx, const cv1::Measure& ots) {
  if (ctx.signer.role == cv1::GI || ots.non_extension_given()) return Outcome();
  const CivilDate gi_term = add_days(civil_from_days(ots.end_day()), -ctx.policy.extension_filing_days);
  if (civil_date_of(ctx.block_time_ms) < gi_term) {
    return refuse("GI_FILES_FIRST", "the GI asks for the extension until " + to_string(gi_term) +
                                        " unless it gave gi.non_extension (1:260 lid 2)");
  }
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
  JOET_CTR_TRY(ctx.args.one_of("kind", {"OTS", "VOTS", "UHP", "SPOED_UHP", "EXTEND_OTS", "EXTEND_UHP", "LIFT"}, kind));
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
  cv1::Measure* extended = nullptr;
  if (kind == "OTS" || kind == "VOTS" || (is_uhp_kind(kind) && c.gi().empty())) {
    // A new measure names its GI (a UHP asked together with the first OTS names the OTS's GI).
    if (gi.empty()) return refuse("BAD_FIELD", "argument 'gi': missing");
    JOET_CTR_TRY(require_institution_role(ctx.state, gi, cv1::GI, "gi"));
    if (ctx.signer.role == cv1::GI && ctx.signer.institution != gi) {
      return refuse("NOT_AUTHORIZED", "a GI files requests naming itself");
    }
  } else {
    if (kind == "EXTEND_UHP") {
      if (c.uhp().state() != cv1::ACTIVE) return refuse("NO_MEASURE", "no running UHP to extend");
      extended = c.mutable_uhp();
    } else if (!is_uhp_kind(kind)) {
      JOET_CTR_TRY(require_active_measure(c));
      if (kind == "EXTEND_OTS") {
        if (c.measure().kind() != cv1::OTS) return refuse("NO_MEASURE", "only an OTS is extended");
        extended = c.mutable_measure();
        JOET_CTR_TRY(require_gi_first(ctx, *extended));
      }
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
  if (extended != nullptr) {
    mark_extension_requested(ctx.state, *extended);
    ctx.state.put(state_keys::case_record(case_id), c);
    JOET_CTR_TRY(extension_signals(ctx, c, *extended, request_id));
  }
  std::vector<std::string> to = {c.rvdk(), gi};
  if (is_uhp_kind(kind)) to.push_back(c.municipality());  // it may have to supply the collegebesluit
  return notify(ctx.state, ctx.height, to, tx_event(ctx, "REQUEST_FILED", case_id, request_id));
}

Outcome investigation_start(TxContext& ctx) {
  JOET_CTR_TRY(require_role(ctx, {cv1::RVDK}));
  std::string case_id;
  cv1::Case c;
  JOET_CTR_TRY(load_case(ctx, case_id, c));
  if (c.rvdk() != ctx.signer.institution) return refuse("NOT_AUTHORIZED", "only the case's RvdK may do this");
  if (c.investigation_started()) return refuse("DUPLICATE", "the investigation has started");
  c.set_investigation_started(true);
  c.set_investigation_start_day(days_from_civil(civil_date_of(ctx.block_time_ms)));
  ctx.state.put(state_keys::case_record(case_id), c);
  return Outcome();
}

Outcome municipality_decision(TxContext& ctx) {
  JOET_CTR_TRY(require_role(ctx, {cv1::MUNICIPALITY}));
  std::string case_id, request_id;
  Hash32 document{};
  cv1::Case c;
  JOET_CTR_TRY(ctx.args.text("request", request_id));
  JOET_CTR_TRY(ctx.args.hash("document", document));
  JOET_CTR_TRY(load_case(ctx, case_id, c));
  if (c.municipality() != ctx.signer.institution) {
    return refuse("NOT_AUTHORIZED", "only the case's municipality may do this");
  }
  const Bytes key = state_keys::request(case_id, request_id);
  auto found = ctx.state.get<cv1::Request>(key);
  if (!found.ok()) return found.error();
  if (!found->has_value()) return refuse("REQUEST_UNKNOWN", "no request " + request_id);
  cv1::Request r = std::move(**found);
  if (!is_uhp_kind(r.kind())) return refuse("BAD_FIELD", "argument 'request': not a UHP or SPOED_UHP request");
  if (r.state() != cv1::PENDING) return refuse("BAD_FIELD", "argument 'request': already decided");
  if (!r.collegebesluit().empty()) return refuse("DUPLICATE", "the collegebesluit is already given");
  r.set_collegebesluit(to_string(document));
  r.set_collegebesluit_by(ctx.signer.institution);
  ctx.state.put(key, r);
  return notify(ctx.state, ctx.height, {r.filed_by(), c.rvdk()},
                tx_event(ctx, "COLLEGEBESLUIT_GIVEN", case_id, request_id));
}

Outcome gi_plan(TxContext& ctx) {
  JOET_CTR_TRY(require_role(ctx, {cv1::GI}));
  std::string case_id;
  Hash32 document{};
  cv1::Case c;
  JOET_CTR_TRY(ctx.args.hash("document", document));
  JOET_CTR_TRY(load_own_running_case(ctx, case_id, c));
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
  JOET_CTR_TRY(load_own_running_case(ctx, case_id, c));
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
