// Complaints of parents and children (complaint.file / complaint.decide, D-COMPLAINT) and escalations
// (escalation.request / escalation.answer, D-ESCAL: an independent legal check asked on a case).
//   D-COMPLAINT  decision by filed + kComplaintWeeks weeks, or filed + kComplaintWeeks +
//                kComplaintPostponeWeeks weeks once postponed -> COMPLAINT_DECISION_MISSED to the GI
//                and the MUNICIPALITY of the case (and the institution it was filed with).
//   D-ESCAL      answer by requested + escalation_days -> ESCALATION_ANSWER_MISSED to the requester.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "contracts/outcome.h"
#include "contracts/state.h"
#include "contracts/tx_context.h"

namespace joet {

// DOMAIN.md: "decision within 6 weeks (+4 once)", policy (confirm): constants until governance needs them.
inline constexpr int32_t kComplaintWeeks = 6;
inline constexpr int32_t kComplaintPostponeWeeks = 4;

Outcome complaint_file(TxContext& ctx);       // GI, MUNICIPALITY
Outcome complaint_decide(TxContext& ctx);     // the institution the complaint was filed with
Outcome escalation_request(TxContext& ctx);   // MUNICIPALITY, RVDK
Outcome escalation_answer(TxContext& ctx);    // the addressed institution

// Fires D-COMPLAINT or D-ESCAL: an event kind of "" when satisfied or stale.
struct CaseDeadlineEvent {
  std::string kind;
  std::string detail;
  std::vector<std::string> to;
};
Result<CaseDeadlineEvent> fire_complaint_or_escalation(ContractState& state, const cv1::Case& c,
                                                       const cv1::Deadline& d);

}  // namespace joet
