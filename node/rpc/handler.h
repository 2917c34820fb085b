// The RPC's routes as a function from one parsed HTTP request to its response (docs/rpc.md): target
// parsing, routing (404 / 405), authorization through the backend, parameter checks and the JSON
// answers. No sockets here: node/rpc/server.h reads requests, writes responses and runs long-polls.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <boost/beast/http.hpp>

#include "node/rpc/backend.h"
#include "node/rpc/inzicht_routes.h"
#include "node/rpc/metrics.h"

namespace joet::rpc {

namespace http = boost::beast::http;
using HttpRequest = http::request<http::string_body>;
using HttpResponse = http::response<http::string_body>;

// One route of the server: method and path template ("{name}" matches one non-empty segment).
struct RouteInfo {
  std::string_view method;
  std::string_view path;
};
std::span<const RouteInfo> routes();

struct HandlerLimits {
  size_t default_events_limit = 100;
  size_t max_events_limit = 1000;
  uint32_t max_wait_ms = 30'000;   // wait_ms above it is capped to it (and never above 30 s)
};

// A long-poll that found no events: the server waits for a notification or the deadline, then asks
// poll_events() again.
struct EventsWait {
  std::string recipient;
  uint64_t after = 0;
  size_t limit = 0;
  uint32_t wait_ms = 0;
  bool keep_alive = true;
  unsigned version = 11;
};

struct Reply {
  std::string route;                   // route template, or "unmatched"
  std::optional<HttpResponse> response;
  std::optional<EventsWait> wait;      // exactly one of response and wait is set
};

class RpcHandler {
 public:
  RpcHandler(RpcBackend& backend, HandlerLimits limits, ServerMetrics& metrics);

  Reply handle(const HttpRequest& request, std::string_view remote);

  // The events page for a waiting long-poll: a response when there are events or `final` (the
  // deadline passed: an empty page), else nullopt (keep waiting).
  std::optional<HttpResponse> poll_events(const EventsWait& wait, bool final);

  // A JSON error response, e.g. for HTTP parse errors the server answers itself.
  static HttpResponse error_response(http::status status, std::string_view code, std::string_view message,
                                     unsigned version, bool keep_alive);

 private:
  struct Routed;
  HttpResponse submit_tx(const Routed& r);
  HttpResponse tx_status(const Routed& r);
  HttpResponse status(const Routed& r);
  HttpResponse block(const Routed& r, bool raw);
  Reply events(const Routed& r);
  HttpResponse metrics(const Routed& r);
  // The proof routes (docs/rpc.md "Proofs"): a header with its certificate, a validator set, a state
  // key (by hex key or by case id) under a certified header's state_root, a tx in its block's tx_root
  // (with its result from rules version 3), a recipient's events of one height.
  HttpResponse certified_header(const Routed& r);
  HttpResponse validators(const Routed& r);
  HttpResponse key_nonce(const Routed& r);
  HttpResponse state_proof(const Routed& r, bool by_case);
  HttpResponse tx_proof(const Routed& r);
  HttpResponse events_proof(const Routed& r);
  // The Inzicht routes (node/rpc/inzicht_routes.h); nullopt for another route.
  std::optional<RouteAnswer> inzicht(const Routed& r);

  RpcBackend& backend_;
  HandlerLimits limits_;
  ServerMetrics& metrics_;
};

}  // namespace joet::rpc
