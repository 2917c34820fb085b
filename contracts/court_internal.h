// Shared by court.cc, court_ots.cc and court_uhp.cc; not part of the contracts' interface.
#pragma once

#include <string_view>

#include "contracts/civil_date.h"
#include "contracts/outcome.h"
#include "contracts/tx_context.h"

namespace joet {

// PAST_MAJORITY when `end` lies after the case's majority date.
Outcome check_majority(const cv1::Case& c, const CivilDate& end);

// The signals of long measures (DOMAIN.md) to the municipality, at every grant and extension:
// SIGNAL_OTS_OVER_24_MONTHS when the case's OTS and VOTS together, ended ones (c/period/) and the one
// granted now (start .. end), run more days than the 24 months from the first of them began;
// SIGNAL_UHP_OVER_12_MONTHS likewise for its UHPs and 12 months. Detail: the end date (court_ots.cc).
Outcome long_measure_signals(TxContext& ctx, const cv1::Case& c, std::string_view slot, const CivilDate& start,
                             const CivilDate& end);

// Grants a filed OTS or VOTS request (court_ots.cc).
Outcome grant_ots(TxContext& ctx, cv1::Case& c, const cv1::Request& r, const CivilDate& start, const CivilDate& end);
// Grants a filed UHP or SPOED_UHP request (court_uhp.cc).
Outcome grant_uhp(TxContext& ctx, cv1::Case& c, const cv1::Request& r, const CivilDate& start, const CivilDate& end);
// Grants an EXTEND_OTS (slot kMain) or EXTEND_UHP (slot kUhp) request (court_ots.cc).
Outcome grant_extension(TxContext& ctx, cv1::Case& c, std::string_view slot, const CivilDate& start,
                        const CivilDate& end);

}  // namespace joet
