// The court's actions: court.decide on a filed OTS / VOTS / EXTEND_OTS request, and court.lift.
// Duration rules (DOMAIN.md, Measures and Dates):
//   OTS     end <= start + 12 months (add_months, clamped)          else TERM_TOO_LONG
//   VOTS    end <= start + 3 months                                  else TERM_TOO_LONG
//   EXTEND  start == old end; new end <= old end + 12 months         else BAD_FIELD / TERM_TOO_LONG
//           decided on or after the old end date (the civil date of the block time in Amsterdam)
//                                                                   -> EXTENSION_AFTER_END
//   any     end <= majority date                                     else PAST_MAJORITY
// A granted OTS replaces a running voorlopige OTS; any other grant over a running measure is
// MEASURE_ACTIVE.
#pragma once

#include "contracts/outcome.h"
#include "contracts/tx_context.h"

namespace joet {

Outcome court_decide(TxContext& ctx);  // COURT
Outcome court_lift(TxContext& ctx);    // COURT

}  // namespace joet
