// The court's actions: court.decide on a filed request, court.lift and court.hearing.
// Duration rules (DOMAIN.md, Measures and Dates), checked by court_ots.cc and court_uhp.cc:
//   OTS     end <= start + 12 months (add_months, clamped)          else TERM_TOO_LONG
//   VOTS    end <= start + 3 months                                  else TERM_TOO_LONG
//   UHP     a running OTS / VOTS on the start date                   else UHP_WITHOUT_OTS
//           end <= start + 12 months                                 else TERM_TOO_LONG
//           end <= the OTS's end date                                else UHP_PAST_OTS_END
//           filed by the RvdK (for itself): a collegebesluit given   else COLLEGEBESLUIT_MISSING
//   EXTEND  start == old end; new end <= old end + 12 months         else BAD_FIELD / TERM_TOO_LONG
//           decided on or after the old end date (the civil date of the block time in Amsterdam)
//                                                                   -> EXTENSION_AFTER_END
//           (EXTEND_UHP: also end <= the OTS's end date)
//   any     end <= majority date                                     else PAST_MAJORITY
// A granted OTS replaces a running voorlopige OTS and a granted UHP a running spoedmachtiging; any
// other grant over a running measure of the same slot is MEASURE_ACTIVE.
// From rules version 2 (Statute::grants_state_grounds) every grant, extensions included, names its
// ground categories as ground.0, ground.1, ... (one to three of kGroundCategories, none twice; else
// GROUNDS_MISSING / BAD_FIELD). They are kept on the measure, ascending, replacing those of the grant
// before, and counted in the stuurinformatie's grounds table. The court's reasoning stays off chain.
#pragma once

#include <array>
#include <string_view>

#include "contracts/outcome.h"
#include "contracts/tx_context.h"

namespace joet {

// DOMAIN.md, Grounds and costs: the seed's three categories of the reason for a measure.
inline constexpr std::array<std::string_view, 3> kGroundCategories = {
    "ACUUT_ONTWIKKELINGSGEVAAR", "GEBREKKIGE_OUDERLIJKE_VAARDIGHEDEN", "ONGUNSTIGE_THUISSITUATIE"};

Outcome court_decide(TxContext& ctx);   // COURT
Outcome court_lift(TxContext& ctx);     // COURT
Outcome court_hearing(TxContext& ctx);  // COURT

}  // namespace joet
