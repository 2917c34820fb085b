// The stuurinformatie report (contracts/stuurinformatie.h) as JSON, for joet-replay and later the
// node's query API. A suppressed cell carries only "suppressed": true, never a number.
#pragma once

#include <nlohmann/json.hpp>

#include "contracts/stuurinformatie.h"

namespace joet {

// {"from":"YYYY-MM","to":"YYYY-MM","min_cases":5,"running":[...],"ended":[...],"extensions":[...],
//  "missed_deadlines":[...],"signals":[...],"complaints":[...],"assignment":[...]}; a cell is
// {"month","kind","institution", then "cases" (and "measures","mean_days","median_days") or
// "suppressed":true}; "kind" / "institution" are left out where the table has none.
nlohmann::ordered_json to_json(const Stuurinformatie& report);

}  // namespace joet
