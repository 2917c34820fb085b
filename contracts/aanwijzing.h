// Schriftelijke aanwijzingen (1:263) and their court review (1:264): gi.aanwijzing records one, with
// the informational D-AANW at the end of the 14-day objection window (Atw); court.aanwijzing_review
// records the court's decision on it (UPHELD or ANNULLED, on the addressee's request to annul).
//
// A contact limitation (kind CONTACT_LIMIT, 1:265f) that no court has reviewed after
// contact_limit_review_days raises SIGNAL_CONTACT_LIMIT_NO_REVIEW to the municipality (DOMAIN.md,
// Signals: "contact limitation with no court review"), through the timer S-CONTACTLIMIT that the
// review cancels. The signal is not raised when the case's measure has ended: the limitation ended with it.
#pragma once

#include "contracts/deadlines.h"
#include "contracts/outcome.h"
#include "contracts/state.h"
#include "contracts/tx_context.h"

namespace joet {

// gi.aanwijzing {case, aanwijzing, kind GENERAL|CONTACT_LIMIT, addressee PARENT|CHILD|CARER, document}.
Outcome gi_aanwijzing(TxContext& ctx);  // the case's GI
// court.aanwijzing_review {case, aanwijzing, outcome UPHELD|ANNULLED, document}.
Outcome court_aanwijzing_review(TxContext& ctx);  // COURT

// Fires S-CONTACTLIMIT (Deadline.detail: the aanwijzing id).
Result<CaseDeadlineEvent> fire_contact_limit_review(ContractState& state, const cv1::Case& c, const cv1::Deadline& d);

}  // namespace joet
