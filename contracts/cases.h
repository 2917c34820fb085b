// Case actions (DOMAIN.md, Actions): case.open, request.file, gi.plan, gi.progress, document.anchor.
// The court's actions are in court.h. Every handler checks the signer's role first, then its
// arguments, then the state; a refusal changes nothing (the executor drops the staged writes).
#pragma once

#include <string_view>

#include "contracts/outcome.h"
#include "contracts/state.h"
#include "contracts/tx_context.h"

namespace joet {

Outcome case_open(TxContext& ctx);        // RVDK, COURT
Outcome request_file(TxContext& ctx);     // RVDK, GI, COURT (for PARENT/CHILD/OM)
Outcome gi_plan(TxContext& ctx);          // the case's GI
Outcome gi_progress(TxContext& ctx);      // the case's GI
Outcome document_anchor(TxContext& ctx);  // any member but AUDITOR

// Helpers shared with court.cc.
// The case named by the arg "case": CASE_UNKNOWN when there is none.
Outcome load_case(const TxContext& ctx, std::string& case_id, cv1::Case& out);
}  // namespace joet
