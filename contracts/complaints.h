// Complaints of parents and children (complaint.file / complaint.decide, D-COMPLAINT) and escalations
// (escalation.request / escalation.answer, D-ESCAL: an independent legal check asked on a case).
//   D-COMPLAINT  decision by filed + complaint_decision_days, or filed + complaint_decision_days +
//                complaint_postpone_days once postponed (policy) -> COMPLAINT_DECISION_MISSED to the GI
//                and the MUNICIPALITY of the case (and the institution it was filed with).
//   D-ESCAL      answer by requested + escalation_days -> ESCALATION_ANSWER_MISSED to the requester.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "contracts/deadlines.h"
#include "contracts/outcome.h"
#include "contracts/state.h"
#include "contracts/tx_context.h"

namespace joet {

Outcome complaint_file(TxContext& ctx);       // GI, MUNICIPALITY
Outcome complaint_decide(TxContext& ctx);     // the institution the complaint was filed with
Outcome escalation_request(TxContext& ctx);   // MUNICIPALITY, RVDK
Outcome escalation_answer(TxContext& ctx);    // the addressed institution

// Fires D-COMPLAINT or D-ESCAL: an event kind of "" when satisfied or stale.
Result<CaseDeadlineEvent> fire_complaint_or_escalation(ContractState& state, const cv1::Case& c,
                                                       const cv1::Deadline& d);

}  // namespace joet
