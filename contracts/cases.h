// Case actions (DOMAIN.md, Actions): case.open, investigation.start, request.file, municipality.decision, gi.plan,
// gi.progress, document.anchor. The court's actions are in court.h, the GI's others in gi.h. Every handler checks the signer's role first, then its
// arguments, then the state; a refusal changes nothing (the executor drops the staged writes).
#pragma once

#include <string_view>

#include "contracts/outcome.h"
#include "contracts/state.h"
#include "contracts/tx_context.h"

namespace joet {

Outcome case_open(TxContext& ctx);        // RVDK, COURT
Outcome investigation_start(TxContext& ctx);  // the case's RVDK
Outcome request_file(TxContext& ctx);     // RVDK, GI, COURT (for PARENT/CHILD/OM)
Outcome municipality_decision(TxContext& ctx);  // the case's MUNICIPALITY
Outcome gi_plan(TxContext& ctx);          // the case's GI
Outcome gi_progress(TxContext& ctx);      // the case's GI
Outcome document_anchor(TxContext& ctx);  // any member but AUDITOR

// Helpers shared with court.cc.
// The case named by the arg "case": CASE_UNKNOWN when there is none.
Outcome load_case(const TxContext& ctx, std::string& case_id, cv1::Case& out);
// NOT_AUTHORIZED unless the signer is the GI the case's measure names.
Outcome require_case_gi(const TxContext& ctx, const cv1::Case& c);
// NO_MEASURE unless the case's OTS / VOTS is running.
Outcome require_active_measure(const cv1::Case& c);
// The three above in order: what every gi.* action on a running measure starts with.
Outcome load_own_running_case(const TxContext& ctx, std::string& case_id, cv1::Case& out);

// A record of the case named by the text arg `arg` (a complaint, an escalation, an aanwijzing), stored
// at key(case_id, id): `unknown_code` ("COMPLAINT_UNKNOWN", ...) when there is none.
template <typename Msg>
Outcome load_case_item(const TxContext& ctx, std::string_view arg, Bytes (*key)(std::string_view, std::string_view),
                       const std::string& case_id, const char* unknown_code, std::string& id, Msg& out) {
  JOET_CTR_TRY(ctx.args.text(arg, id));
  auto found = ctx.state.get<Msg>(key(case_id, id));
  if (!found.ok()) return found.error();
  if (!found->has_value()) return refuse(unknown_code, "no " + std::string(arg) + " " + id);
  out = std::move(**found);
  return Outcome();
}
}  // namespace joet
