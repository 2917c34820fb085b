// The Inzicht routes of the RPC (docs/rpc.md "Inzicht"): the stuurinformatie tables, the drill-down
// from a fact cell to its cases, the pending deadlines of one institution and the timeline of one case.
// Each checks its query, asks the backend and shapes the JSON; the handler (node/rpc/handler.h) routes
// to them after authorize(). Pure over the backend: no sockets here.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include <boost/beast/http/status.hpp>
#include <nlohmann/json.hpp>

#include "node/rpc/backend.h"

namespace joet::rpc {

using Query = std::map<std::string, std::string>;

// A route's answer: 200 with the body, or an error status with error_json's body.
struct RouteAnswer {
  boost::beast::http::status status = boost::beast::http::status::ok;
  nlohmann::json body;
};

// GET /v1/stuurinformatie?from=YYYY-MM&to=YYYY-MM
RouteAnswer stuurinformatie_route(RpcBackend& backend, const Query& query);
// GET /v1/stuurinformatie/cases?month=YYYY-MM&metric=M&institution=X
RouteAnswer cell_cases_route(RpcBackend& backend, const Query& query);
// GET /v1/deadlines?institution=X[&from_ms=T][&to_ms=T][&limit=N]; from_ms defaults to the tip's time
// (the chain's now), to_ms to 42 days after from_ms.
RouteAnswer deadlines_route(RpcBackend& backend, const Query& query);
// GET /v1/caseload?institution=X
RouteAnswer caseload_route(RpcBackend& backend, const Query& query);
// GET /v1/requests/pending?institution=X[&limit=N]
RouteAnswer pending_requests_route(RpcBackend& backend, const Query& query);
// GET /v1/cases/{case_id}/timeline[?skip=N][&limit=N]
RouteAnswer case_timeline_route(RpcBackend& backend, std::string_view case_id, const Query& query);
// GET /v1/cases/{case_id}/quickscan
RouteAnswer case_quickscan_route(RpcBackend& backend, std::string_view case_id, const Query& query);
// GET /v1/cases/{case_id}/explanation
RouteAnswer case_explanation_route(RpcBackend& backend, std::string_view case_id, const Query& query);

// The query parameter that names the institution a route reads for ("institution"), for the routes
// whose access scope is that institution's members (or auditors); empty for other routes.
std::string institution_of(std::string_view route, const Query& query);

inline constexpr size_t kMaxInzichtLimit = 1000;
inline constexpr size_t kDefaultInzichtLimit = 100;

}  // namespace joet::rpc
