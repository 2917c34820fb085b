// The quickscan (contracts/quickscan.h) and the rights explainer (contracts/explainer.h) as JSON, one
// shape for the node's routes (docs/rpc.md) and the case extract (client-sdk/case_extract.h).
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

#include "contracts/explainer.h"
#include "contracts/quickscan.h"

namespace joet {

// [{"check","subject","legal_basis","status","date","deadline_id","detail"}, ...]; "date" YYYY-MM-DD or
// null, "deadline_id" null unless PENDING.
nlohmann::ordered_json quickscan_json(const std::vector<QuickscanItem>& items);

// {"MET": n, "NOT_APPLICABLE": n, "PENDING": n, "VIOLATED": n}.
nlohmann::ordered_json quickscan_counts_json(const std::vector<QuickscanItem>& items);

// [{"section","title","lines":[{"topic","text","date","legal_basis"}, ...]}, ...] in NOW, NEXT, YOU_CAN order.
nlohmann::ordered_json explanation_json(const std::vector<ExplainerLine>& lines);

}  // namespace joet
