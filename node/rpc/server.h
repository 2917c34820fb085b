// The RPC server: HTTP/1.1 with JSON bodies on Boost.Beast (docs/rpc.md, node/rpc/openapi.json),
// independent of the daemon: it reaches the node only through RpcBackend (node/rpc/backend.h).
//
// Threading: everything runs on the one io_context the caller passes, which the caller runs on ONE
// thread (handlers, backend calls and long-poll bookkeeping share that thread and take no locks).
// Backend calls therefore block all connections while they run: the backend must be quick.
//
// Limits: request header and body sizes (431 / 413, then the connection closes), a deadline for a
// request's header (which also bounds keep-alive idleness), for its body and for writing the
// response, and a maximum number of open connections (new ones over it are closed at once).
// Malformed HTTP is answered with 400 and a typed error body, then the connection closes.
//
// Long-poll (GET /v1/events with wait_ms > 0): when the backend has no events yet, the connection
// parks on a timer. The backend's events listener (set at start) posts a wake-up to the io_context;
// waiting polls of that recipient ask the backend again and answer as soon as there are events, or
// with an empty page at their deadline. No polling loop; other connections are served meanwhile.
//
// Logs: one JSON object per line to the caller's sink: each answered request
// {"time_ms","level":"info","msg":"request","method","route","status","duration_ms","remote"} and
// warnings (refused connections, HTTP parse errors, timeouts).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include <boost/asio/io_context.hpp>
#include <nlohmann/json.hpp>

#include "ledger/status.h"
#include "node/rpc/backend.h"
#include "node/rpc/handler.h"

namespace joet::rpc {

namespace detail {
struct ServerCore;  // server.cc: the acceptor, the connections, the handler and the metrics
}  // namespace detail

// Receives one line as its JSON object (the sink writes it). Called on the io_context thread.
using LogSink = std::function<void(nlohmann::json line)>;

struct RpcServerConfig {
  std::string address = "127.0.0.1";
  uint16_t port = 0;                      // 0: the OS picks one (RpcServer::port() tells which)
  size_t max_body_bytes = 1u << 20;       // 413 PAYLOAD_TOO_LARGE above it
  size_t max_header_bytes = 16u << 10;    // 431 HEADERS_TOO_LARGE above it (request line included)
  uint32_t header_timeout_ms = 30'000;    // waiting for a request's complete header (keep-alive idle too)
  uint32_t body_timeout_ms = 10'000;      // reading a request's body after its header
  uint32_t write_timeout_ms = 10'000;     // writing one response
  // At max_connections a new connection closes the one idle longest between requests (long-polls are not
  // idle); with none idle it is refused. One client address holds at most max_connections_per_client,
  // so idle connections from one client cannot lock the others out.
  size_t max_connections = 256;
  size_t max_connections_per_client = 32;
  HandlerLimits handler;                  // events page sizes, the long-poll cap
};

class RpcServer {
 public:
  // `backend` must outlive every handler the io_context still holds (run it to completion or destroy
  // it before the backend). `log` may be empty (no logs).
  RpcServer(boost::asio::io_context& io, RpcBackend& backend, RpcServerConfig config, LogSink log);
  ~RpcServer();
  RpcServer(const RpcServer&) = delete;
  RpcServer& operator=(const RpcServer&) = delete;

  // Binds, listens, sets the backend's events listener and starts accepting (on the io_context).
  // Call once, before running the io_context or on its thread. Errors: bad address, port in use.
  Status start();
  // The bound port (after a successful start).
  uint16_t port() const;
  // Closes the listener and every connection (waiting long-polls included) and clears the backend's
  // events listener. Thread-safe and idempotent: the work is posted to the io_context, so the
  // io_context's run() returns once the closing handlers ran (unless the caller keeps other work).
  void stop();

 private:
  std::shared_ptr<detail::ServerCore> core_;
};

}  // namespace joet::rpc
