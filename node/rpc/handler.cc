#include "node/rpc/handler.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <map>
#include <variant>
#include <vector>

#include <google/protobuf/util/json_util.h>
#include <nlohmann/json.hpp>

#include "contracts/quickscan.h"
#include "contracts/state.h"
#include "ledger/block.h"
#include "ledger/codec.h"
#include "ledger/keys.h"
#include "ledger/merkle.h"
#include "ledger/smt.h"
#include "ledger/tx_result.h"
#include "ledger/validator_set.h"
#include "node/rpc/inzicht_routes.h"
#include "node/rpc/json_views.h"
#include "node/rpc/openapi_document.h"

namespace joet::rpc {

namespace {

constexpr RouteInfo kRoutes[] = {
    {"POST", "/v1/txs"},
    {"GET", "/v1/txs/{tx_id}"},
    {"GET", "/v1/status"},
    {"GET", "/v1/blocks/{height}"},
    {"GET", "/v1/blocks/{height}/raw"},
    {"GET", "/v1/events"},
    {"GET", "/metrics"},
    {"GET", "/v1/headers/{height}"},
    {"GET", "/v1/validators/{height}"},
    {"GET", "/v1/state/{key_hex}"},
    {"GET", "/v1/cases/{case_id}"},
    {"GET", "/v1/txs/{tx_id}/proof"},
    {"GET", "/v1/events/proof"},
    {"GET", "/v1/keys/{public_key}/nonce"},
    {"GET", "/v1/openapi.json"},
    {"GET", "/v1/stuurinformatie"},
    {"GET", "/v1/stuurinformatie/cases"},
    {"GET", "/v1/deadlines"},
    {"GET", "/v1/cases/{case_id}/timeline"},
    {"GET", "/v1/cases/{case_id}/quickscan"},
    {"GET", "/v1/cases/{case_id}/explanation"},
    {"GET", "/v1/cases/{case_id}/state/{key_hex}"},
    {"GET", "/v1/caseload"},
    {"GET", "/v1/requests/pending"},
};

constexpr size_t kMaxRecipientBytes = 128;
constexpr size_t kMaxCaseIdBytes = 128;
constexpr uint32_t kHardMaxWaitMs = 30'000;

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    const size_t end = s.find(sep, start);
    out.push_back(s.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) return out;
    start = end + 1;
  }
}

// The route's path parameters when `path` matches `pattern`.
std::optional<std::vector<std::string>> match(std::string_view pattern, std::string_view path) {
  const std::vector<std::string_view> want = split(pattern, '/');
  const std::vector<std::string_view> got = split(path, '/');
  if (want.size() != got.size()) return std::nullopt;
  std::vector<std::string> params;
  for (size_t i = 0; i < want.size(); ++i) {
    if (want[i].starts_with('{')) {
      if (got[i].empty()) return std::nullopt;
      params.emplace_back(got[i]);
    } else if (want[i] != got[i]) {
      return std::nullopt;
    }
  }
  return params;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::string> percent_decode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    if (i + 2 >= s.size()) return std::nullopt;
    const int hi = hex_digit(s[i + 1]);
    const int lo = hex_digit(s[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

bool printable_id(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c > 0x20 && c < 0x7f; });
}

HttpResponse json_response(http::status status, const nlohmann::json& body, unsigned version, bool keep_alive) {
  HttpResponse res{status, version};
  res.set(http::field::content_type, "application/json");
  res.set(http::field::cache_control, "no-store");
  res.keep_alive(keep_alive);
  res.body() = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  res.prepare_payload();
  return res;
}

http::status backend_error_status(const Error& e) {
  if (e.code == ErrorCode::kUnsupported) return http::status::not_implemented;
  return e.code == ErrorCode::kCorruption ? http::status::internal_server_error
                                          : http::status::service_unavailable;
}

std::string_view backend_error_code(const Error& e) {
  if (e.code == ErrorCode::kUnsupported) return "NOT_IMPLEMENTED";
  return e.code == ErrorCode::kCorruption ? "INTERNAL" : "UNAVAILABLE";
}

// A refusal of the proof routes, turned into a response by the caller.
struct Refusal {
  http::status status;
  std::string code;
  std::string message;
};

// The block of `height` with its decoded header, as the proof routes serve it.
struct CertifiedBlock {
  v1::StoredBlock stored;
  v1::BlockHeader header;
};

std::variant<CertifiedBlock, Refusal> load_certified_block(RpcBackend& backend, uint64_t height) {
  if (height == 0) return Refusal{http::status::not_found, "BLOCK_NOT_FOUND", "blocks start at height 1"};
  Result<std::optional<Bytes>> bytes = backend.stored_block(height);
  if (!bytes.ok()) {
    return Refusal{backend_error_status(bytes.error()), std::string(backend_error_code(bytes.error())),
                   bytes.error().to_string()};
  }
  if (!bytes->has_value()) {
    return Refusal{http::status::not_found, "BLOCK_NOT_FOUND", "no block at height " + std::to_string(height)};
  }
  Result<v1::StoredBlock> stored = decode_stored_block(**bytes);
  if (!stored.ok()) return Refusal{http::status::internal_server_error, "INTERNAL", stored.error().to_string()};
  Result<v1::BlockHeader> header = decode_block_header(as_bytes(stored->block().header()));
  if (!header.ok()) return Refusal{http::status::internal_server_error, "INTERNAL", header.error().to_string()};
  if (header->height() != height || !stored->has_commit()) {
    return Refusal{http::status::internal_server_error, "INTERNAL",
                   "the stored block of height " + std::to_string(height) + " is not certified for it"};
  }
  return CertifiedBlock{std::move(stored).value(), std::move(header).value()};
}

// The proof of `key` under the state root of certified block `b`, or why not (STATE_NOT_FOUND when the
// node no longer holds that height's state).
std::variant<v1::StateProof, Refusal> prove_in(RpcBackend& backend, const CertifiedBlock& b, ByteView key) {
  Result<Hash32> root = hash32_from_bytes(as_bytes(b.header.state_root()));
  if (!root.ok()) return Refusal{http::status::internal_server_error, "INTERNAL", "a header without a state root"};
  Result<v1::StateProof> proof = backend.prove_state(*root, key);
  if (proof.ok()) return std::move(proof).value();
  if (proof.error().code == ErrorCode::kNotFound) {
    return Refusal{http::status::not_found, "STATE_NOT_FOUND",
                   "the node no longer holds the state of height " + std::to_string(b.header.height())};
  }
  return Refusal{backend_error_status(proof.error()), std::string(backend_error_code(proof.error())),
                 proof.error().to_string()};
}

// What every proof answer carries: the header bytes and the certificate (hex, for verification) and
// both decoded (for reading; a client must verify the hex, never trust the decoded view).
void add_certified_header(nlohmann::json& out, const CertifiedBlock& b) {
  out["height"] = b.header.height();
  out["block_hash"] = to_hex(block_hash(b.stored.block()));
  out["header"] = to_hex(as_bytes(b.stored.block().header()));
  out["certificate"] = to_hex(encode(b.stored.commit()));
  out["decoded"] = {{"header", header_json(b.header)}, {"certificate", certificate_json(b.stored.commit())}};
}

// A tx's result leaf and its audit path in the results_root of its block (rules version 3 on): the
// leaves are rebuilt from the node's result index, and checked against the header before serving.
struct ResultInBlock {
  v1::TxResultLeaf leaf;
  v1::InclusionProof proof;
};

std::variant<ResultInBlock, Refusal> prove_result(RpcBackend& backend, const v1::Block& block,
                                                  const v1::BlockHeader& header, uint32_t index) {
  std::vector<v1::TxResultLeaf> leaves;
  leaves.reserve(static_cast<size_t>(block.txs_size()));
  for (const std::string& bytes : block.txs()) {
    Result<v1::SignedTx> tx = decode_signed_tx(as_bytes(bytes));
    if (!tx.ok()) return Refusal{http::status::internal_server_error, "INTERNAL", "a stored tx: " + tx.error().message};
    const Hash32 id = tx_id(*tx);
    Result<TxStatus> s = backend.tx_status(id);
    if (!s.ok()) {
      return Refusal{backend_error_status(s.error()), std::string(backend_error_code(s.error())), s.error().to_string()};
    }
    if (s->state != TxStatus::State::kCommitted) {
      return Refusal{http::status::internal_server_error, "INTERNAL", "no result of tx " + to_hex(id) + " in block " +
                                                                        std::to_string(header.height())};
    }
    leaves.push_back(tx_result_leaf(id, s->result_code, s->result_message));
  }
  if (to_string(results_root(leaves)) != header.results_root()) {
    return Refusal{http::status::internal_server_error, "INTERNAL",
                   "the node's results of block " + std::to_string(header.height()) + " differ from its results_root"};
  }
  std::vector<Hash32> hashes;
  hashes.reserve(leaves.size());
  for (const v1::TxResultLeaf& leaf : leaves) hashes.push_back(tx_result_leaf_hash(leaf));
  Result<std::vector<Hash32>> path = inclusion_proof(hashes, index);
  if (!path.ok()) return Refusal{http::status::internal_server_error, "INTERNAL", path.error().to_string()};
  ResultInBlock out;
  out.leaf = std::move(leaves[index]);
  out.proof.set_leaf_index(index);
  out.proof.set_tree_size(hashes.size());
  for (const Hash32& h : *path) out.proof.add_hashes(to_string(h));
  return out;
}

}  // namespace

std::span<const RouteInfo> routes() { return kRoutes; }

struct RpcHandler::Routed {
  const HttpRequest& request;
  std::string route;
  std::vector<std::string> params;             // path parameters in template order
  std::map<std::string, std::string> query;
  unsigned version = 11;
  bool keep_alive = true;

  HttpResponse json(http::status s, const nlohmann::json& body) const {
    return json_response(s, body, version, keep_alive);
  }
  HttpResponse error(http::status s, std::string_view code, std::string_view message) const {
    return RpcHandler::error_response(s, code, message, version, keep_alive);
  }
  HttpResponse backend_error(const Error& e) const {
    return error(backend_error_status(e), backend_error_code(e), e.to_string());
  }
  HttpResponse refused(const Refusal& f) const { return error(f.status, f.code, f.message); }
};

RpcHandler::RpcHandler(RpcBackend& backend, HandlerLimits limits, ServerMetrics& metrics)
    : backend_(backend), limits_(limits), metrics_(metrics) {
  JOET_ASSERT(limits_.default_events_limit >= 1);
  JOET_ASSERT(limits_.default_events_limit <= limits_.max_events_limit);
}

HttpResponse RpcHandler::error_response(http::status status, std::string_view code, std::string_view message,
                                        unsigned version, bool keep_alive) {
  return json_response(status, error_json(code, message), version, keep_alive);
}

Reply RpcHandler::handle(const HttpRequest& request, std::string_view remote) {
  const unsigned version = request.version();
  const bool keep_alive = request.keep_alive();
  const std::string_view target(request.target().data(), request.target().size());
  const size_t q = target.find('?');
  const std::string_view path = target.substr(0, q);
  const std::string_view query = q == std::string_view::npos ? std::string_view() : target.substr(q + 1);

  // Route: the first path match; 405 when the path matches only under other methods. HEAD is routed as
  // GET (the server sends GET's headers without the body: health checks).
  const std::string_view method(request.method_string().data(), request.method_string().size());
  const std::string_view route_method = method == "HEAD" ? std::string_view("GET") : method;
  const RouteInfo* found = nullptr;
  std::vector<std::string> params;
  std::string allow;
  for (const RouteInfo& r : kRoutes) {
    std::optional<std::vector<std::string>> p = match(r.path, path);
    if (!p) continue;
    if (r.method == route_method) {
      found = &r;
      params = std::move(*p);
      break;
    }
    if (!allow.empty()) allow += ", ";
    allow += r.method;
    if (r.method == "GET") allow += ", HEAD";
  }
  if (found == nullptr && allow.empty()) {
    return {"unmatched", error_response(http::status::not_found, "NOT_FOUND", "no such route", version, keep_alive),
            std::nullopt};
  }
  if (found == nullptr) {
    HttpResponse res = error_response(http::status::method_not_allowed, "METHOD_NOT_ALLOWED",
                                      "allowed: " + allow, version, keep_alive);
    res.set(http::field::allow, allow);
    return {"unmatched", std::move(res), std::nullopt};
  }

  Routed r{request, std::string(found->path), std::move(params), {}, version, keep_alive};
  if (!query.empty()) {
    for (std::string_view part : split(query, '&')) {
      if (part.empty()) continue;
      const size_t eq = part.find('=');
      std::optional<std::string> key = percent_decode(part.substr(0, eq));
      std::optional<std::string> value =
          percent_decode(eq == std::string_view::npos ? std::string_view() : part.substr(eq + 1));
      if (!key || !value) {
        return {r.route, r.error(http::status::bad_request, "BAD_QUERY", "bad percent-encoding"), std::nullopt};
      }
      if (!r.query.emplace(*key, *value).second) {
        return {r.route, r.error(http::status::bad_request, "BAD_QUERY", "repeated parameter"), std::nullopt};
      }
    }
  }

  RequestMeta meta;
  meta.method = std::string(method);
  meta.route = r.route;
  meta.target = std::string(target);
  meta.remote = std::string(remote);
  for (const auto& field : request) {
    std::string name(field.name_string().data(), field.name_string().size());
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
    meta.headers.emplace_back(std::move(name), std::string(field.value().data(), field.value().size()));
  }
  meta.body = request.body();
  if (auto it = r.query.find("recipient");
      it != r.query.end() && (r.route == "/v1/events" || r.route == "/v1/events/proof")) {
    meta.recipient = it->second;
  }
  if (std::string institution = institution_of(r.route, r.query); !institution.empty()) meta.recipient = institution;
  const Authorization auth = backend_.authorize(meta);
  switch (auth.verdict) {
    case Authorization::Verdict::kAllow: break;
    case Authorization::Verdict::kUnauthenticated:
      return {r.route, r.error(http::status::unauthorized, "UNAUTHENTICATED", auth.message), std::nullopt};
    case Authorization::Verdict::kForbidden:
      return {r.route, r.error(http::status::forbidden, "FORBIDDEN", auth.message), std::nullopt};
  }

  if (r.route == "/v1/events") return events(r);
  if (r.route == "/v1/events/proof") return {r.route, events_proof(r), std::nullopt};
  if (r.route == "/v1/state/{key_hex}") return {r.route, state_proof(r, false), std::nullopt};
  if (r.route == "/v1/cases/{case_id}") return {r.route, state_proof(r, true), std::nullopt};
  if (r.route == "/v1/cases/{case_id}/state/{key_hex}") return {r.route, state_proof(r, true), std::nullopt};
  if (std::optional<RouteAnswer> answer = inzicht(r)) {
    return {r.route, r.json(answer->status, answer->body), std::nullopt};
  }
  if (!r.query.empty()) {
    return {r.route, r.error(http::status::bad_request, "UNKNOWN_PARAMETER", "this route takes no query parameters"),
            std::nullopt};
  }
  HttpResponse res = [&] {
    if (r.route == "/v1/txs") return submit_tx(r);
    if (r.route == "/v1/txs/{tx_id}") return tx_status(r);
    if (r.route == "/v1/status") return status(r);
    if (r.route == "/v1/blocks/{height}") return block(r, false);
    if (r.route == "/v1/blocks/{height}/raw") return block(r, true);
    if (r.route == "/v1/headers/{height}") return certified_header(r);
    if (r.route == "/v1/validators/{height}") return validators(r);
    if (r.route == "/v1/keys/{public_key}/nonce") return key_nonce(r);
    if (r.route == "/v1/openapi.json") {
      return r.json(http::status::ok, nlohmann::json::parse(openapi_document()));
    }
    if (r.route == "/v1/txs/{tx_id}/proof") return tx_proof(r);
    JOET_ASSERT(r.route == "/metrics");
    return metrics(r);
  }();
  return {r.route, std::move(res), std::nullopt};
}

std::optional<RouteAnswer> RpcHandler::inzicht(const Routed& r) {
  if (r.route == "/v1/stuurinformatie") return stuurinformatie_route(backend_, r.query);
  if (r.route == "/v1/stuurinformatie/cases") return cell_cases_route(backend_, r.query);
  if (r.route == "/v1/deadlines") return deadlines_route(backend_, r.query);
  if (r.route == "/v1/caseload") return caseload_route(backend_, r.query);
  if (r.route == "/v1/requests/pending") return pending_requests_route(backend_, r.query);
  if (r.route == "/v1/cases/{case_id}/timeline") {
    std::optional<std::string> case_id = percent_decode(r.params.at(0));
    if (!case_id) return RouteAnswer{http::status::bad_request, error_json("BAD_CASE_ID", "bad percent-encoding")};
    return case_timeline_route(backend_, *case_id, r.query);
  }
  if (r.route == "/v1/cases/{case_id}/quickscan") {
    std::optional<std::string> case_id = percent_decode(r.params.at(0));
    if (!case_id) return RouteAnswer{http::status::bad_request, error_json("BAD_CASE_ID", "bad percent-encoding")};
    return case_quickscan_route(backend_, *case_id, r.query);
  }
  if (r.route == "/v1/cases/{case_id}/explanation") {
    std::optional<std::string> case_id = percent_decode(r.params.at(0));
    if (!case_id) return RouteAnswer{http::status::bad_request, error_json("BAD_CASE_ID", "bad percent-encoding")};
    return case_explanation_route(backend_, *case_id, r.query);
  }
  return std::nullopt;
}

HttpResponse RpcHandler::submit_tx(const Routed& r) {
  const nlohmann::json body = nlohmann::json::parse(r.request.body(), nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded()) return r.error(http::status::bad_request, "BAD_JSON", "the body is not JSON");
  if (!body.is_object() || !body.contains("tx") || !body["tx"].is_string()) {
    return r.error(http::status::bad_request, "BAD_REQUEST", "expected {\"tx\": \"<hex of a SignedTx>\"}");
  }
  const std::string& tx_hex = body["tx"].get_ref<const std::string&>();
  if (tx_hex.size() > 2 * limits::kMaxTxBytes) {
    return r.error(http::status::payload_too_large, "TX_TOO_LARGE",
                   "a SignedTx is at most " + std::to_string(limits::kMaxTxBytes) + " bytes");
  }
  Result<Bytes> bytes = from_hex(tx_hex);
  if (!bytes.ok()) return r.error(http::status::bad_request, "BAD_HEX", bytes.error().message);
  Result<v1::SignedTx> tx = decode_signed_tx(*bytes);
  if (!tx.ok()) return r.error(http::status::bad_request, "MALFORMED_TX", tx.error().message);

  Result<TxAdmission> admission = backend_.submit_tx(*tx, *bytes);
  if (!admission.ok()) return r.backend_error(admission.error());
  if (!admission->admitted) {
    JOET_ASSERT(!admission->code.empty());
    nlohmann::json out = error_json(admission->code, admission->message);
    out["tx_id"] = to_hex(admission->tx_id);
    return r.json(admission->retry_later ? http::status::service_unavailable : http::status::unprocessable_entity,
                  out);
  }
  return r.json(http::status::accepted, {{"tx_id", to_hex(admission->tx_id)}, {"status", "pending"}});
}

HttpResponse RpcHandler::tx_status(const Routed& r) {
  JOET_ASSERT(r.params.size() == 1);
  if (r.params[0].size() != 64) {
    return r.error(http::status::bad_request, "BAD_TX_ID", "a tx id is 64 hex digits");
  }
  Result<Hash32> id = hash32_from_hex(r.params[0]);
  if (!id.ok()) return r.error(http::status::bad_request, "BAD_TX_ID", id.error().message);
  Result<TxStatus> s = backend_.tx_status(*id);
  if (!s.ok()) return r.backend_error(s.error());
  return r.json(http::status::ok, tx_status_json(*id, *s));
}

HttpResponse RpcHandler::status(const Routed& r) {
  Result<NodeStatus> s = backend_.status();
  if (!s.ok()) return r.backend_error(s.error());
  return r.json(http::status::ok, status_json(*s));
}

HttpResponse RpcHandler::block(const Routed& r, bool raw) {
  JOET_ASSERT(r.params.size() == 1);
  std::optional<uint64_t> height = parse_decimal_u64(r.params[0]);
  if (!height) return r.error(http::status::bad_request, "BAD_HEIGHT", "a height is a decimal number");
  if (*height == 0) return r.error(http::status::not_found, "BLOCK_NOT_FOUND", "blocks start at height 1");
  Result<std::optional<Bytes>> bytes = backend_.stored_block(*height);
  if (!bytes.ok()) return r.backend_error(bytes.error());
  if (!bytes->has_value()) {
    return r.error(http::status::not_found, "BLOCK_NOT_FOUND", "no block at height " + std::to_string(*height));
  }
  const Bytes& stored_bytes = **bytes;
  Result<v1::StoredBlock> stored = decode_stored_block(stored_bytes);
  if (!stored.ok()) return r.error(http::status::internal_server_error, "INTERNAL", stored.error().to_string());
  if (raw) return r.json(http::status::ok, {{"height", *height}, {"stored_block", to_hex(stored_bytes)}});
  Result<nlohmann::json> view = stored_block_json(*stored);
  if (!view.ok()) return r.error(http::status::internal_server_error, "INTERNAL", view.error().to_string());
  if ((*view)["height"].get<uint64_t>() != *height) {
    return r.error(http::status::internal_server_error, "INTERNAL", "the stored block has another height");
  }
  return r.json(http::status::ok, *view);
}

Reply RpcHandler::events(const Routed& r) {
  auto bad = [&](std::string_view code, std::string_view message) {
    return Reply{r.route, r.error(http::status::bad_request, code, message), std::nullopt};
  };
  EventsWait w;
  w.limit = limits_.default_events_limit;
  w.keep_alive = r.keep_alive;
  w.version = r.version;
  for (const auto& [key, value] : r.query) {
    if (key == "recipient") {
      if (value.empty() || value.size() > kMaxRecipientBytes || !printable_id(value)) {
        return bad("BAD_RECIPIENT", "a recipient is 1 to 128 printable characters");
      }
      w.recipient = value;
    } else if (key == "after") {
      std::optional<uint64_t> v = parse_decimal_u64(value);
      if (!v) return bad("BAD_AFTER", "after is a decimal sequence number");
      w.after = *v;
    } else if (key == "limit") {
      std::optional<uint64_t> v = parse_decimal_u64(value);
      if (!v || *v == 0 || *v > limits_.max_events_limit) {
        return bad("BAD_LIMIT", "limit is 1 to " + std::to_string(limits_.max_events_limit));
      }
      w.limit = static_cast<size_t>(*v);
    } else if (key == "wait_ms") {
      std::optional<uint64_t> v = parse_decimal_u64(value);
      if (!v) return bad("BAD_WAIT", "wait_ms is a decimal number of milliseconds");
      w.wait_ms = static_cast<uint32_t>(std::min<uint64_t>(*v, std::min(limits_.max_wait_ms, kHardMaxWaitMs)));
    } else {
      return bad("UNKNOWN_PARAMETER", "unknown parameter: " + key);
    }
  }
  if (w.recipient.empty()) return bad("BAD_RECIPIENT", "recipient is required");
  std::optional<HttpResponse> page = poll_events(w, w.wait_ms == 0);
  if (page) return {r.route, std::move(page), std::nullopt};
  return {r.route, std::nullopt, std::move(w)};
}

std::optional<HttpResponse> RpcHandler::poll_events(const EventsWait& w, bool final) {
  Result<EventPage> page = backend_.events(w.recipient, w.after, w.limit);
  if (!page.ok()) {
    return error_response(backend_error_status(page.error()), "UNAVAILABLE", page.error().to_string(), w.version,
                          w.keep_alive);
  }
  if (page->events.empty() && !final) return std::nullopt;
  nlohmann::json events = nlohmann::json::array();
  uint64_t next = w.after;
  const bool acks_known = page->acked_heights.size() == page->events.size();
  for (size_t i = 0; i < page->events.size(); ++i) {
    const contracts::v1::Event& e = page->events[i];
    // The backend's contract (backend.h): this recipient's events after the cursor, ascending.
    JOET_ASSERT(e.seq() > next);
    JOET_ASSERT(e.recipient() == w.recipient);
    next = e.seq();
    nlohmann::json item = event_json(e);
    if (acks_known) {
      item["acked"] = page->acked_heights[i] != 0;
      item["acked_height"] = page->acked_heights[i];
    }
    events.push_back(std::move(item));
  }
  JOET_ASSERT(events.size() <= w.limit);
  nlohmann::json body = {{"events", std::move(events)}, {"next", next}};
  if (page->last_seq) body["last"] = *page->last_seq;
  return json_response(http::status::ok, std::move(body), w.version, w.keep_alive);
}

HttpResponse RpcHandler::metrics(const Routed& r) {
  size_t skipped = 0;
  HttpResponse res{http::status::ok, r.version};
  res.set(http::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
  res.set(http::field::cache_control, "no-store");
  res.keep_alive(r.keep_alive);
  res.body() = metrics_.render(backend_.metrics(), &skipped);
  res.prepare_payload();
  return res;
}

}  // namespace joet::rpc

namespace joet::rpc {

HttpResponse RpcHandler::certified_header(const Routed& r) {
  JOET_ASSERT(r.params.size() == 1);
  std::optional<uint64_t> height = parse_decimal_u64(r.params[0]);
  if (!height) return r.error(http::status::bad_request, "BAD_HEIGHT", "a height is a decimal number");
  std::variant<CertifiedBlock, Refusal> loaded = load_certified_block(backend_, *height);
  if (const Refusal* f = std::get_if<Refusal>(&loaded)) return r.refused(*f);
  nlohmann::json out = nlohmann::json::object();
  add_certified_header(out, std::get<CertifiedBlock>(loaded));
  return r.json(http::status::ok, out);
}

HttpResponse RpcHandler::validators(const Routed& r) {
  JOET_ASSERT(r.params.size() == 1);
  std::optional<uint64_t> height = parse_decimal_u64(r.params[0]);
  if (!height) return r.error(http::status::bad_request, "BAD_HEIGHT", "a height is a decimal number");
  if (*height == 0) return r.error(http::status::not_found, "VALIDATORS_NOT_FOUND", "heights start at 1");
  Result<std::optional<v1::ValidatorSet>> set = backend_.validator_set(*height);
  if (!set.ok()) return r.backend_error(set.error());
  if (!set->has_value()) {
    return r.error(http::status::not_found, "VALIDATORS_NOT_FOUND",
                   "no known validator set for height " + std::to_string(*height));
  }
  Result<ValidatorSet> checked = ValidatorSet::create(**set);
  if (!checked.ok()) return r.error(http::status::internal_server_error, "INTERNAL", checked.error().to_string());
  nlohmann::json validators = nlohmann::json::array();
  for (const v1::Validator& v : (**set).validators()) {
    validators.push_back({{"public_key", to_hex(as_bytes(v.public_key()))}, {"power", v.power()}});
  }
  return r.json(http::status::ok, {{"height", *height},
                                   {"validator_set", to_hex(encode(checked->proto()))},
                                   {"hash", to_hex(checked->hash())},
                                   {"total_power", checked->total_power()},
                                   {"validators", std::move(validators)}});
}

HttpResponse RpcHandler::key_nonce(const Routed& r) {
  JOET_ASSERT(r.params.size() == 1);
  auto key = hash32_from_hex(r.params[0]);
  if (!key.ok() || !PublicKey::from_bytes(*key).ok()) {
    return r.error(http::status::bad_request, "BAD_KEY", "a public key is 64 hex digits of a valid key");
  }
  Result<RpcBackend::KeyNonce> n = backend_.key_nonce(*key);
  if (!n.ok()) return r.backend_error(n.error());
  return r.json(http::status::ok,
                {{"public_key", to_hex(*key)},
                 {"last_used", n->last_used},
                 {"pending", n->pending},
                 {"highest_pending", n->highest_pending ? nlohmann::json(*n->highest_pending) : nlohmann::json(nullptr)},
                 {"next", n->next},
                 {"max_accepted", n->max_accepted}});
}

HttpResponse RpcHandler::state_proof(const Routed& r, bool by_case) {
  // /v1/state/{key_hex}, /v1/cases/{case_id}, and /v1/cases/{case_id}/state/{key_hex}: a key the case's
  // quickscan reads (contracts/quickscan.h is_case_reading_key), for its parties.
  JOET_ASSERT(r.params.size() == 1 || (by_case && r.params.size() == 2));
  const bool case_key = r.params.size() == 2;
  const std::string& param = r.params[0];
  Bytes key;
  if (by_case) {
    if (param.empty() || param.size() > kMaxCaseIdBytes || !printable_id(param) || param.find('/') != std::string::npos) {
      return r.error(http::status::bad_request, "BAD_CASE_ID", "a case id is 1 to 128 printable characters, no '/'");
    }
    key = state_keys::case_record(param);
  }
  if (!by_case || case_key) {
    const std::string& key_param = r.params.back();
    if (key_param.size() > 2 * SparseMerkleTree::kMaxKeyBytes) {
      return r.error(http::status::bad_request, "BAD_KEY",
                     "a state key is at most " + std::to_string(SparseMerkleTree::kMaxKeyBytes) + " bytes");
    }
    Result<Bytes> decoded = from_hex(key_param);
    if (!decoded.ok() || decoded->empty()) {
      return r.error(http::status::bad_request, "BAD_KEY", "a state key is 1 or more bytes in hex");
    }
    key = std::move(decoded).value();
  }
  std::optional<uint64_t> height;
  for (const auto& [name, value] : r.query) {
    if (name != "height") {
      return r.error(http::status::bad_request, "UNKNOWN_PARAMETER", "unknown parameter: " + name);
    }
    height = parse_decimal_u64(value);
    if (!height) return r.error(http::status::bad_request, "BAD_HEIGHT", "height is a decimal number");
  }
  if (!height) {
    Result<NodeStatus> s = backend_.status();
    if (!s.ok()) return r.backend_error(s.error());
    if (s->height == 0) return r.error(http::status::not_found, "BLOCK_NOT_FOUND", "the chain has no block yet");
    height = s->height;
  }
  std::variant<CertifiedBlock, Refusal> loaded = load_certified_block(backend_, *height);
  if (const Refusal* f = std::get_if<Refusal>(&loaded)) return r.refused(*f);
  const CertifiedBlock& b = std::get<CertifiedBlock>(loaded);
  auto proven = prove_in(backend_, b, key);
  if (const Refusal* f = std::get_if<Refusal>(&proven)) return r.refused(*f);
  const v1::StateProof* proof = &std::get<v1::StateProof>(proven);
  if (case_key) {
    auto of_case = prove_in(backend_, b, state_keys::case_record(param));
    if (const Refusal* f = std::get_if<Refusal>(&of_case)) return r.refused(*f);
    const v1::StateProof& record_proof = std::get<v1::StateProof>(of_case);
    contracts::v1::Case record;
    if (!record_proof.present() || !record.ParseFromString(record_proof.value())) {
      return r.error(http::status::not_found, "CASE_UNKNOWN", "no case " + param + " at height " + std::to_string(*height));
    }
    if (!is_case_reading_key(record, key, proof->present() ? &proof->value() : nullptr)) {
      return r.error(http::status::forbidden, "KEY_NOT_OF_CASE", "the key is not one of the records of case " + param);
    }
  }
  nlohmann::json out = {{"key", to_hex(key)},
                        {"present", proof->present()},
                        {"value", proof->present() ? nlohmann::json(to_hex(as_bytes(proof->value()))) : nlohmann::json()},
                        {"proof", to_hex(encode(*proof))}};
  add_certified_header(out, b);
  if (by_case && !case_key) {
    out["case_id"] = param;
    out["case"] = nullptr;
    contracts::v1::Case record;
    if (proof->present() && record.ParseFromString(proof->value())) {
      std::string text;
      google::protobuf::util::JsonPrintOptions options;
      options.preserve_proto_field_names = true;
      options.always_print_primitive_fields = true;
      if (google::protobuf::util::MessageToJsonString(record, &text, options).ok()) {
        out["case"] = nlohmann::json::parse(text, nullptr, false);
      }
    }
  }
  return r.json(http::status::ok, out);
}

HttpResponse RpcHandler::tx_proof(const Routed& r) {
  JOET_ASSERT(r.params.size() == 1);
  if (r.params[0].size() != 64) return r.error(http::status::bad_request, "BAD_TX_ID", "a tx id is 64 hex digits");
  Result<Hash32> id = hash32_from_hex(r.params[0]);
  if (!id.ok()) return r.error(http::status::bad_request, "BAD_TX_ID", id.error().message);
  Result<TxStatus> s = backend_.tx_status(*id);
  if (!s.ok()) return r.backend_error(s.error());
  if (s->state != TxStatus::State::kCommitted) {
    return r.error(http::status::not_found, "TX_NOT_COMMITTED", "tx " + r.params[0] + " is not committed");
  }
  std::variant<CertifiedBlock, Refusal> loaded = load_certified_block(backend_, s->height);
  if (const Refusal* f = std::get_if<Refusal>(&loaded)) return r.refused(*f);
  const CertifiedBlock& b = std::get<CertifiedBlock>(loaded);
  const v1::Block& block = b.stored.block();
  if (s->index >= static_cast<uint32_t>(block.txs_size())) {
    return r.error(http::status::internal_server_error, "INTERNAL", "the tx index is beyond the block's txs");
  }
  std::vector<Hash32> leaves;
  leaves.reserve(static_cast<size_t>(block.txs_size()));
  for (const std::string& tx : block.txs()) leaves.push_back(leaf_hash(as_bytes(tx)));
  Result<std::vector<Hash32>> path = inclusion_proof(leaves, s->index);
  if (!path.ok()) return r.error(http::status::internal_server_error, "INTERNAL", path.error().to_string());
  v1::InclusionProof proof;
  proof.set_leaf_index(s->index);
  proof.set_tree_size(leaves.size());
  for (const Hash32& h : *path) proof.add_hashes(to_string(h));
  nlohmann::json out = {{"tx_id", to_hex(*id)},
                        {"index", s->index},
                        {"tx", to_hex(as_bytes(block.txs(static_cast<int>(s->index))))},
                        {"proof", to_hex(encode(proof))}};
  if (!b.header.results_root().empty()) {
    std::variant<ResultInBlock, Refusal> result = prove_result(backend_, block, b.header, s->index);
    if (const Refusal* f = std::get_if<Refusal>(&result)) return r.refused(*f);
    const ResultInBlock& proven = std::get<ResultInBlock>(result);
    out["result"] = {{"code", proven.leaf.code()}, {"message", proven.leaf.message()}};
    out["result_leaf"] = to_hex(encode(proven.leaf));
    out["result_proof"] = to_hex(encode(proven.proof));
  }
  add_certified_header(out, b);
  return r.json(http::status::ok, out);
}

}  // namespace joet::rpc

namespace joet::rpc {

HttpResponse RpcHandler::events_proof(const Routed& r) {
  std::string recipient;
  std::optional<uint64_t> height;
  std::optional<uint64_t> after;
  size_t limit = limits_.default_events_limit;
  for (const auto& [key, value] : r.query) {
    if (key == "recipient") {
      if (value.empty() || value.size() > kMaxRecipientBytes || !printable_id(value)) {
        return r.error(http::status::bad_request, "BAD_RECIPIENT", "a recipient is 1 to 128 printable characters");
      }
      recipient = value;
    } else if (key == "height") {
      height = parse_decimal_u64(value);
      if (!height || *height == 0) return r.error(http::status::bad_request, "BAD_HEIGHT", "height is a decimal number from 1");
    } else if (key == "after") {
      after = parse_decimal_u64(value);
      if (!after) return r.error(http::status::bad_request, "BAD_AFTER", "after is a decimal sequence number");
    } else if (key == "limit") {
      std::optional<uint64_t> v = parse_decimal_u64(value);
      if (!v || *v == 0 || *v > limits_.max_events_limit) {
        return r.error(http::status::bad_request, "BAD_LIMIT", "limit is 1 to " + std::to_string(limits_.max_events_limit));
      }
      limit = static_cast<size_t>(*v);
    } else {
      return r.error(http::status::bad_request, "UNKNOWN_PARAMETER", "unknown parameter: " + key);
    }
  }
  if (recipient.empty()) return r.error(http::status::bad_request, "BAD_RECIPIENT", "recipient is required");
  if (!height) return r.error(http::status::bad_request, "BAD_HEIGHT", "height is required");
  std::variant<CertifiedBlock, Refusal> loaded = load_certified_block(backend_, *height);
  if (const Refusal* f = std::get_if<Refusal>(&loaded)) return r.refused(*f);
  const CertifiedBlock& b = std::get<CertifiedBlock>(loaded);

  // The recipient's event `seq` in the state after block `height`, with its proof; its height (0 when
  // absent).
  struct Proven {
    v1::StateProof proof;
    uint64_t height = 0;
    std::optional<contracts::v1::Event> event;
  };
  std::optional<Refusal> failed;
  auto prove = [&](uint64_t seq) -> Proven {
    Proven out;
    auto proof = prove_in(backend_, b, state_keys::event(recipient, seq));
    if (const Refusal* f = std::get_if<Refusal>(&proof)) {
      failed = *f;
      return out;
    }
    out.proof = std::move(std::get<v1::StateProof>(proof));
    if (out.proof.present()) {
      contracts::v1::Event e;
      if (!e.ParseFromString(out.proof.value())) {
        failed = Refusal{http::status::internal_server_error, "INTERNAL", "a stored event does not decode"};
        return out;
      }
      out.height = e.height();
      out.event = std::move(e);
    }
    return out;
  };

  // The first sequence number of the page: after + 1, or the first event of `height` (events are
  // numbered per recipient in height order, so those of one height are one run: binary search).
  uint64_t first = 1;
  std::optional<Proven> before;
  if (after) {
    if (*after == UINT64_MAX) return r.error(http::status::bad_request, "BAD_AFTER", "after is too large");
    first = *after + 1;
  } else {
    uint64_t lo = 0;  // invariant: event lo is below `height` (0: none)
    uint64_t hi = 1;  // search bound: event hi is at or after `height`, or absent
    while (true) {
      Proven p = prove(hi);
      if (failed) return r.refused(*failed);
      if (!p.event || p.height >= *height) break;
      lo = hi;
      if (hi > UINT64_MAX / 2) break;
      hi *= 2;
    }
    while (hi - lo > 1) {
      const uint64_t mid = lo + (hi - lo) / 2;
      Proven p = prove(mid);
      if (failed) return r.refused(*failed);
      if (p.event && p.height < *height) lo = mid; else hi = mid;
    }
    first = lo + 1;
    if (lo > 0) {
      before = prove(lo);
      if (failed) return r.refused(*failed);
    }
  }
  nlohmann::json events = nlohmann::json::array();
  nlohmann::json proofs = nlohmann::json::array();
  uint64_t seq = first;
  std::optional<Proven> next;
  while (true) {
    Proven p = prove(seq);
    if (failed) return r.refused(*failed);
    if (!p.event || p.height != *height || events.size() == limit) {
      next = std::move(p);
      break;
    }
    events.push_back(event_json(*p.event));
    proofs.push_back(to_hex(encode(p.proof)));
    ++seq;
  }
  const bool complete = !next->event || next->height != *height;
  nlohmann::json out = {{"recipient", recipient},
                        {"first_seq", first},
                        {"events", std::move(events)},
                        {"proofs", std::move(proofs)},
                        {"before", before ? nlohmann::json(to_hex(encode(before->proof))) : nlohmann::json()},
                        {"next", to_hex(encode(next->proof))},
                        {"complete", complete}};
  add_certified_header(out, b);
  return r.json(http::status::ok, out);
}

}  // namespace joet::rpc
