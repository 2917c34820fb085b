#include "node/rpc/inzicht_routes.h"

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <variant>

#include "contracts/civil_date.h"
#include "contracts/privacy.h"
#include "node/rpc/json_views.h"
#include "node/case_checks_json.h"
#include "node/stuurinformatie_json.h"

namespace joet::rpc {
namespace {

using http_status = boost::beast::http::status;

RouteAnswer bad(std::string_view code, std::string_view message) {
  return {http_status::bad_request, error_json(code, message)};
}

RouteAnswer backend_failure(const Error& e) {
  if (e.code == ErrorCode::kUnsupported) return {http_status::not_implemented, error_json("NOT_IMPLEMENTED", e.to_string())};
  if (e.code == ErrorCode::kCorruption) return {http_status::internal_server_error, error_json("INTERNAL", e.to_string())};
  return {http_status::service_unavailable, error_json("UNAVAILABLE", e.to_string())};
}

// Refuses parameters a route does not take.
std::optional<RouteAnswer> only(const Query& query, std::initializer_list<std::string_view> names) {
  for (const auto& [key, value] : query) {
    if (std::find(names.begin(), names.end(), key) == names.end()) {
      return bad("UNKNOWN_PARAMETER", "unknown parameter: " + key);
    }
  }
  return std::nullopt;
}

std::optional<std::string> param(const Query& query, std::string_view name) {
  auto it = query.find(std::string(name));
  if (it == query.end()) return std::nullopt;
  return it->second;
}

// A month parameter: 400 BAD_MONTH when missing or malformed.
std::variant<CivilMonth, RouteAnswer> month_param(const Query& query, std::string_view name) {
  auto text = param(query, name);
  if (!text) return bad("BAD_MONTH", std::string(name) + " is required: a month YYYY-MM");
  auto month = parse_civil_month(*text);
  if (!month.ok()) return bad("BAD_MONTH", std::string(name) + ": " + month.error().message);
  return *month;
}

// A code-charset id parameter ([A-Za-z0-9._:-], at most kMaxCodeChars): `code` when missing or not.
std::variant<std::string, RouteAnswer> id_param(const Query& query, std::string_view name, std::string_view code) {
  auto text = param(query, name);
  if (!text || !is_code_charset(*text)) {
    return bad(code, std::string(name) + " is required: an id of letters, digits and . _ : -");
  }
  return *text;
}

std::variant<uint64_t, RouteAnswer> number_param(const Query& query, std::string_view name, uint64_t fallback,
                                                 uint64_t lo, uint64_t hi, std::string_view code) {
  auto text = param(query, name);
  if (!text) return fallback;
  auto v = parse_decimal_u64(*text);
  if (!v || *v < lo || *v > hi) {
    return bad(code, std::string(name) + " is a decimal number from " + std::to_string(lo) + " to " + std::to_string(hi));
  }
  return *v;
}

// The tip when the route was asked: the answer's height, and the chain's "now" (the tip's time).
std::variant<NodeStatus, RouteAnswer> tip(RpcBackend& backend) {
  auto status = backend.status();
  if (!status.ok()) return backend_failure(status.error());
  return *status;
}

nlohmann::json deadline_json(const contracts::v1::Deadline& d) {
  return {{"id", d.id()}, {"kind", d.kind()}, {"case", d.case_id()}, {"due_ms", d.due_ms()},
          {"measure", d.measure()}, {"detail", d.detail()}};
}

constexpr uint64_t kDay = 86'400'000;

}  // namespace

#define JOET_TAKE(var, expr)                                                   \
  auto var##_or = (expr);                                                      \
  if (auto* failed = std::get_if<RouteAnswer>(&var##_or)) return std::move(*failed); \
  auto var = std::get<0>(std::move(var##_or))

RouteAnswer stuurinformatie_route(RpcBackend& backend, const Query& query) {
  if (auto refused = only(query, {"from", "to"})) return *refused;
  JOET_TAKE(from, month_param(query, "from"));
  JOET_TAKE(to, month_param(query, "to"));
  Status range = check_month_range(from, to);
  if (!range.ok()) return bad("BAD_RANGE", range.error().message);
  JOET_TAKE(at, tip(backend));
  const uint64_t height = at.height;
  auto report = backend.stuurinformatie(from, to);
  if (!report.ok()) return backend_failure(report.error());
  nlohmann::json body = to_json(*report);
  body["height"] = height;
  return {http_status::ok, std::move(body)};
}

RouteAnswer cell_cases_route(RpcBackend& backend, const Query& query) {
  if (auto refused = only(query, {"month", "metric", "institution"})) return *refused;
  JOET_TAKE(month, month_param(query, "month"));
  JOET_TAKE(metric, id_param(query, "metric", "BAD_METRIC"));
  JOET_TAKE(institution, id_param(query, "institution", "BAD_INSTITUTION"));
  JOET_TAKE(at, tip(backend));
  const uint64_t height = at.height;
  auto cases = backend.cell_cases(month, metric, institution);
  if (!cases.ok()) return backend_failure(cases.error());
  return {http_status::ok,
          {{"month", to_string(month)}, {"metric", metric}, {"institution", institution}, {"height", height},
           {"cases", *cases}}};
}

RouteAnswer deadlines_route(RpcBackend& backend, const Query& query) {
  if (auto refused = only(query, {"institution", "case", "from_ms", "to_ms", "limit"})) return *refused;
  JOET_TAKE(institution, id_param(query, "institution", "BAD_INSTITUTION"));
  std::string case_id;
  if (query.count("case")) {
    JOET_TAKE(c, id_param(query, "case", "BAD_CASE_ID"));
    case_id = c;
  }
  constexpr uint64_t kMaxMs = uint64_t{253'402'300'799'999};  // 9999-12-31T23:59:59.999Z
  JOET_TAKE(at, tip(backend));
  JOET_TAKE(from_ms, number_param(query, "from_ms", std::min(at.time_ms, kMaxMs), 0, kMaxMs, "BAD_WINDOW"));
  JOET_TAKE(to_ms, number_param(query, "to_ms", std::min(from_ms + 42 * kDay, kMaxMs), 0, kMaxMs, "BAD_WINDOW"));
  if (to_ms < from_ms) return bad("BAD_WINDOW", "to_ms is before from_ms");
  JOET_TAKE(limit, number_param(query, "limit", kDefaultInzichtLimit, 1, kMaxInzichtLimit, "BAD_LIMIT"));
  const uint64_t height = at.height;
  auto page = backend.pending_deadlines(institution, case_id, static_cast<int64_t>(from_ms), static_cast<int64_t>(to_ms), limit);
  if (!page.ok()) return backend_failure(page.error());
  nlohmann::json list = nlohmann::json::array();
  for (const auto& d : page->deadlines) list.push_back(deadline_json(d));
  return {http_status::ok,
          {{"institution", institution}, {"from_ms", from_ms}, {"to_ms", to_ms}, {"height", height},
           {"deadlines", std::move(list)}, {"more", page->more}}};
}

RouteAnswer case_timeline_route(RpcBackend& backend, std::string_view case_id, const Query& query) {
  if (auto refused = only(query, {"skip", "limit"})) return *refused;
  if (!is_code_charset(case_id)) return bad("BAD_CASE_ID", "a case id is letters, digits and . _ : -");
  JOET_TAKE(skip, number_param(query, "skip", 0, 0, UINT32_MAX, "BAD_SKIP"));
  JOET_TAKE(limit, number_param(query, "limit", kDefaultInzichtLimit, 1, kMaxInzichtLimit, "BAD_LIMIT"));
  JOET_TAKE(at, tip(backend));
  const uint64_t height = at.height;
  auto page = backend.case_timeline(case_id, skip, limit);
  if (!page.ok()) return backend_failure(page.error());
  return {http_status::ok,
          {{"case", case_id}, {"height", height}, {"entries", page->entries}, {"more", page->more}}};
}

namespace {

// The case routes computed from the case's records in the tip's state: no parameters, a code-charset
// case id, 404 CASE_UNKNOWN when the backend finds no case; `render` adds its fields to the answer from
// the reading and the tip's time.
RouteAnswer case_state_route(RpcBackend& backend, std::string_view case_id, const Query& query,
                             const std::function<void(const CaseReading&, int64_t time_ms, nlohmann::json&)>& render) {
  if (auto refused = only(query, {})) return *refused;
  if (!is_code_charset(case_id)) return bad("BAD_CASE_ID", "a case id is letters, digits and . _ : -");
  auto at_or = tip(backend);
  if (auto* failed = std::get_if<RouteAnswer>(&at_or)) return std::move(*failed);
  const NodeStatus& at = std::get<NodeStatus>(at_or);
  Result<std::optional<CaseReading>> found = backend.case_reading(case_id, at);
  if (!found.ok()) return backend_failure(found.error());
  if (!found->has_value()) return {http_status::not_found, error_json("CASE_UNKNOWN", "no case " + std::string(case_id))};
  nlohmann::json out = {{"case", case_id}, {"height", at.height}, {"time_ms", at.time_ms}};
  render(**found, static_cast<int64_t>(at.time_ms), out);
  return {http_status::ok, std::move(out)};
}

}  // namespace

RouteAnswer case_quickscan_route(RpcBackend& backend, std::string_view case_id, const Query& query) {
  return case_state_route(backend, case_id, query, [](const CaseReading& c, int64_t time_ms, nlohmann::json& out) {
    const std::vector<QuickscanItem> items = quickscan(c.records, c.policy, *c.statute, time_ms);
    out["counts"] = quickscan_counts_json(items);
    out["items"] = quickscan_json(items);
  });
}

RouteAnswer case_explanation_route(RpcBackend& backend, std::string_view case_id, const Query& query) {
  return case_state_route(backend, case_id, query, [](const CaseReading& c, int64_t time_ms, nlohmann::json& out) {
    out["language"] = "nl";
    out["sections"] = explanation_json(explain_case(c.records, c.policy, *c.statute, time_ms));
  });
}

RouteAnswer caseload_route(RpcBackend& backend, const Query& query) {
  if (auto refused = only(query, {"institution"})) return *refused;
  JOET_TAKE(institution, id_param(query, "institution", "BAD_INSTITUTION"));
  JOET_TAKE(at, tip(backend));
  auto load = backend.caseload(institution);
  if (!load.ok() && load.error().code == ErrorCode::kNotFound) {
    return {http_status::not_found, error_json("INSTITUTION_UNKNOWN", load.error().message)};
  }
  if (!load.ok()) return backend_failure(load.error());
  nlohmann::json body = {{"institution", institution}, {"role", contracts::v1::Role_Name(load->role)}, {"height", at.height}};
  if (load->role == contracts::v1::GI) {
    nlohmann::json professionals = nlohmann::json::array();
    for (const auto& p : load->professionals) {
      professionals.push_back({{"professional", p.professional},
                               {"skj_valid_until", p.skj_valid_until_day == 0 ? nlohmann::json(nullptr)
                                                                              : nlohmann::json(to_string(civil_from_days(p.skj_valid_until_day)))},
                               {"cases", p.cases}});
    }
    body["professionals"] = std::move(professionals);
    body["unassigned"] = load->unassigned;
  } else if (load->role == contracts::v1::MUNICIPALITY) {
    nlohmann::json gis = nlohmann::json::array();
    for (const auto& g : load->gis) gis.push_back({{"gi", g.gi}, {"assigned", g.assigned}, {"unassigned", g.unassigned}});
    body["gis"] = std::move(gis);
  }
  return {http_status::ok, std::move(body)};
}

RouteAnswer pending_requests_route(RpcBackend& backend, const Query& query) {
  if (auto refused = only(query, {"institution", "limit"})) return *refused;
  JOET_TAKE(institution, id_param(query, "institution", "BAD_INSTITUTION"));
  JOET_TAKE(limit, number_param(query, "limit", kDefaultInzichtLimit, 1, kMaxInzichtLimit, "BAD_LIMIT"));
  JOET_TAKE(at, tip(backend));
  auto page = backend.pending_requests(institution, limit);
  if (!page.ok() && page.error().code == ErrorCode::kNotFound) {
    return {http_status::not_found, error_json("INSTITUTION_UNKNOWN", page.error().message)};
  }
  if (!page.ok()) return backend_failure(page.error());
  nlohmann::json list = nlohmann::json::array();
  for (const auto& r : page->requests) {
    list.push_back({{"case", r.case_id()}, {"request", r.id()}, {"kind", r.kind()}, {"gi", r.gi()},
                    {"filed_by", r.filed_by()}, {"filed_for", r.filed_for()}, {"collegebesluit", !r.collegebesluit().empty()}});
  }
  return {http_status::ok, {{"institution", institution}, {"height", at.height}, {"requests", std::move(list)}, {"more", page->more}}};
}

#undef JOET_TAKE

std::string institution_of(std::string_view route, const Query& query) {
  if (route != "/v1/stuurinformatie/cases" && route != "/v1/deadlines" && route != "/v1/caseload" &&
      route != "/v1/requests/pending") {
    return "";
  }
  auto it = query.find("institution");
  return it == query.end() ? "" : it->second;
}

}  // namespace joet::rpc
