#include "node/rpc/server.h"

#include <array>
#include <atomic>
#include <chrono>
#include <map>
#include <optional>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

namespace joet::rpc {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using boost::system::error_code;

namespace {

constexpr auto kDrainTimeout = std::chrono::milliseconds(1000);
constexpr size_t kMaxDrainBytes = 4u << 20;
constexpr auto kAcceptRetry = std::chrono::milliseconds(100);

class Session;

}  // namespace

struct detail::ServerCore : std::enable_shared_from_this<ServerCore> {
  ServerCore(asio::io_context& io_in, RpcBackend& backend_in, RpcServerConfig config_in, LogSink log_in)
      : io(io_in),
        backend(backend_in),
        config(std::move(config_in)),
        log_sink(std::move(log_in)),
        handler(backend, config.handler, metrics),
        acceptor(io),
        accept_retry(io) {}

  void log(std::string_view level, std::string_view msg, nlohmann::json fields) const {
    if (!log_sink) return;
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    fields["time_ms"] = std::chrono::duration_cast<std::chrono::milliseconds>(now).count();
    fields["level"] = level;
    fields["msg"] = msg;
    fields["component"] = "rpc";
    log_sink(std::move(fields));
  }

  void accept();
  void shutdown();
  size_t open_connections() const;
  bool evict_idle();
  void wake(std::string_view recipient);
  void update_gauges();

  asio::io_context& io;
  RpcBackend& backend;
  const RpcServerConfig config;
  const LogSink log_sink;
  ServerMetrics metrics;
  RpcHandler handler;
  tcp::acceptor acceptor;
  asio::steady_timer accept_retry;            // after an accept error (e.g. out of descriptors)
  uint16_t port = 0;
  bool stopped = false;                       // io thread only
  std::atomic<bool> stop_requested{false};
  bool started = false;
  std::map<const Session*, std::weak_ptr<Session>> sessions;  // every connection not yet destroyed
  std::map<asio::ip::address, size_t> per_client;             // open (not closed) connections by address
};

namespace {

std::string endpoint_text(const tcp::endpoint& ep) { return ep.address().to_string() + ":" + std::to_string(ep.port()); }

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, std::shared_ptr<detail::ServerCore> core, std::string remote, asio::ip::address address)
      : stream_(std::move(socket)),
        wait_timer_(core->io),
        core_(std::move(core)),
        remote_(std::move(remote)),
        address_(std::move(address)) {}

  ~Session() {
    release();
    core_->sessions.erase(this);
    core_->update_gauges();
  }

  void start() {
    core_->sessions.emplace(this, weak_from_this());
    core_->per_client[address_] += 1;
    core_->update_gauges();
    read_header();
  }

  bool closed() const { return closed_; }
  // Waiting for the next request's header since `since` (keep-alive or a fresh connection).
  bool idle(Clock::time_point& since) const {
    since = idle_since_;
    return idle_ && !closed_;
  }
  const std::string& remote() const { return remote_; }

  // Cancel the read, write or wait in progress and close the socket (the server stops, or evicts it).
  void close() {
    if (closed_) return;
    closed_ = true;
    release();
    if (wait_) {
      wait_.reset();
      core_->update_gauges();
    }
    wait_timer_.cancel();
    error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.close();
  }

  bool waiting_for(std::string_view recipient) const {
    return wait_.has_value() && (recipient.empty() || wait_->recipient == recipient);
  }
  bool waiting() const { return wait_.has_value(); }
  void wake() { wait_timer_.cancel(); }

 private:
  void read_header() {
    if (closed_) return;
    idle_ = true;
    idle_since_ = Clock::now();
    parser_.emplace();
    parser_->body_limit(core_->config.max_body_bytes);
    parser_->header_limit(static_cast<uint32_t>(core_->config.max_header_bytes));
    stream_.expires_after(std::chrono::milliseconds(core_->config.header_timeout_ms));
    http::async_read_header(stream_, buffer_, *parser_,
                            [self = shared_from_this()](error_code ec, size_t) { self->on_header(ec); });
  }

  void on_header(error_code ec) {
    idle_ = false;
    if (closed_) return;
    if (ec) return read_failed(ec);
    if (parser_->is_done()) return on_request();
    stream_.expires_after(std::chrono::milliseconds(core_->config.body_timeout_ms));
    http::async_read(stream_, buffer_, *parser_, [self = shared_from_this()](error_code ec2, size_t) {
      if (self->closed_) return;
      if (ec2) return self->read_failed(ec2);
      self->on_request();
    });
  }

  void on_request() {
    stream_.expires_never();
    request_start_ = Clock::now();
    HttpRequest request = parser_->release();
    method_ = std::string(request.method_string());
    Reply reply = core_->handler.handle(request, remote_);
    if (reply.response) return respond(reply.route, std::move(*reply.response), false);
    JOET_ASSERT(reply.wait.has_value());
    wait_route_ = reply.route;
    wait_deadline_ = Clock::now() + std::chrono::milliseconds(reply.wait->wait_ms);
    wait_ = std::move(reply.wait);
    core_->update_gauges();
    arm_wait();
  }

  void arm_wait() {
    wait_timer_.expires_at(wait_deadline_);
    wait_timer_.async_wait([self = shared_from_this()](error_code) { self->on_wait(); });
  }

  // The deadline passed or the backend announced events (the timer was cancelled): ask again.
  void on_wait() {
    if (closed_ || !wait_) return;
    const bool final = Clock::now() >= wait_deadline_;
    std::optional<HttpResponse> page = core_->handler.poll_events(*wait_, final);
    if (!page) return arm_wait();
    wait_.reset();
    core_->update_gauges();
    respond(wait_route_, std::move(*page), false);
  }

  void read_failed(error_code ec) {
    if (ec == http::error::end_of_stream || ec == asio::error::eof || ec == asio::error::operation_aborted ||
        ec == asio::error::connection_reset) {
      return close();
    }
    if (ec == beast::error::timeout) {
      core_->log("warn", "request timed out", {{"remote", remote_}});
      return close();
    }
    if (ec == http::error::partial_message) {
      core_->log("warn", "connection closed inside a request", {{"remote", remote_}});
      return close();
    }
    method_.clear();
    request_start_ = Clock::now();
    if (ec == http::error::body_limit) {
      return respond("invalid",
                     RpcHandler::error_response(http::status::payload_too_large, "PAYLOAD_TOO_LARGE",
                                                "the body is over " + std::to_string(core_->config.max_body_bytes) +
                                                    " bytes",
                                                11, false),
                     true);
    }
    if (ec == http::error::header_limit) {
      return respond("invalid",
                     RpcHandler::error_response(http::status::request_header_fields_too_large, "HEADERS_TOO_LARGE",
                                                "the header is over " +
                                                    std::to_string(core_->config.max_header_bytes) + " bytes",
                                                11, false),
                     true);
    }
    if (ec.category() == http::make_error_code(http::error::bad_target).category()) {
      core_->log("warn", "bad HTTP", {{"remote", remote_}, {"error", ec.message()}});
      return respond("invalid",
                     RpcHandler::error_response(http::status::bad_request, "BAD_HTTP", ec.message(), 11, false), true);
    }
    core_->log("warn", "read failed", {{"remote", remote_}, {"error", ec.message()}});
    close();
  }

  // Writes `res`; afterwards reads the next request, or closes (after draining what the client still
  // sends, when `error_close`, so the client reads the error instead of a reset).
  void respond(const std::string& route, HttpResponse res, bool error_close) {
    if (closed_) return;
    const double duration = seconds_since(request_start_);
    core_->metrics.record(route, res.result_int(), duration);
    core_->log("info", "request",
               {{"method", method_},
                {"route", route},
                {"status", res.result_int()},
                {"duration_ms", static_cast<int64_t>(duration * 1000)},
                {"remote", remote_}});
    if (error_close || core_->stopped) res.keep_alive(false);
    if (method_ == "HEAD") {  // GET's headers, Content-Length included, and no body (RFC 9110 9.3.2)
      const size_t length = res.body().size();
      res.body().clear();
      res.content_length(length);
    }
    res_ = std::make_shared<HttpResponse>(std::move(res));
    stream_.expires_after(std::chrono::milliseconds(core_->config.write_timeout_ms));
    http::async_write(stream_, *res_, [self = shared_from_this(), error_close](error_code ec, size_t) {
      if (self->closed_) return;
      if (ec) return self->close();
      const bool keep = self->res_->keep_alive();
      self->res_.reset();
      if (error_close) return self->drain();
      if (!keep) return self->close();
      self->read_header();
    });
  }

  void drain() {
    error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.expires_after(kDrainTimeout);
    drain_some();
  }

  void drain_some() {
    stream_.async_read_some(asio::buffer(drain_buf_), [self = shared_from_this()](error_code ec, size_t n) {
      if (self->closed_) return;
      self->drained_ += n;
      if (ec || self->drained_ > kMaxDrainBytes) return self->close();
      self->drain_some();
    });
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::shared_ptr<HttpResponse> res_;
  asio::steady_timer wait_timer_;
  std::optional<EventsWait> wait_;
  std::string wait_route_;
  Clock::time_point wait_deadline_;
  Clock::time_point request_start_;
  std::string method_;
  std::array<char, 4096> drain_buf_{};
  size_t drained_ = 0;
  bool closed_ = false;
  bool idle_ = false;
  Clock::time_point idle_since_;
  bool released_ = false;
  std::shared_ptr<detail::ServerCore> core_;
  std::string remote_;
  asio::ip::address address_;

  // Its address no longer counts against max_connections_per_client (once).
  void release() {
    if (released_) return;
    released_ = true;
    auto it = core_->per_client.find(address_);
    if (it != core_->per_client.end() && --it->second == 0) core_->per_client.erase(it);
  }
};

}  // namespace

void detail::ServerCore::accept() {
  acceptor.async_accept([self = shared_from_this()](error_code ec, tcp::socket socket) {
    if (self->stopped || !self->acceptor.is_open()) return;
    if (ec) {
      // E.g. out of file descriptors: back off instead of spinning on the error.
      self->log("warn", "accept failed", {{"error", ec.message()}});
      self->accept_retry.expires_after(kAcceptRetry);
      self->accept_retry.async_wait([self](error_code wait_ec) {
        if (!wait_ec && !self->stopped) self->accept();
      });
      return;
    }
    error_code ep_ec;
    const tcp::endpoint remote = socket.remote_endpoint(ep_ec);
    const std::string remote_text = ep_ec ? "?" : endpoint_text(remote);
    auto refuse = [&](std::string_view why) {
      self->metrics.connection_refused();
      self->log("warn", "connection refused", {{"remote", remote_text}, {"reason", why}});
      error_code ignored;
      socket.close(ignored);
    };
    auto mine = self->per_client.find(remote.address());
    if (mine != self->per_client.end() && mine->second >= self->config.max_connections_per_client) {
      refuse("too many connections from this client");
    } else if (self->open_connections() >= self->config.max_connections && !self->evict_idle()) {
      refuse("too many connections");
    } else {
      std::make_shared<Session>(std::move(socket), self, remote_text, remote.address())->start();
    }
    self->accept();
  });
}

size_t detail::ServerCore::open_connections() const {
  size_t open = 0;
  for (const auto& [ptr, weak] : sessions) {
    auto s = weak.lock();
    if (s && !s->closed()) ++open;
  }
  return open;
}

// Closes the connection idle longest between requests; false when none is idle.
bool detail::ServerCore::evict_idle() {
  std::shared_ptr<Session> oldest;
  Clock::time_point oldest_since = Clock::time_point::max();
  for (const auto& [ptr, weak] : sessions) {
    auto s = weak.lock();
    Clock::time_point since;
    if (s && s->idle(since) && since < oldest_since) {
      oldest = s;
      oldest_since = since;
    }
  }
  if (!oldest) return false;
  metrics.connection_evicted();
  log("info", "idle connection closed for a new one",
      {{"remote", oldest->remote()}, {"idle_ms", std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - oldest_since).count()}});
  oldest->close();
  return true;
}

void detail::ServerCore::shutdown() {
  if (stopped) return;
  stopped = true;
  error_code ignored;
  acceptor.close(ignored);
  accept_retry.cancel();
  backend.set_events_listener({});
  std::vector<std::shared_ptr<Session>> open;
  for (auto& [ptr, weak] : sessions) {
    if (auto s = weak.lock()) open.push_back(std::move(s));
  }
  for (auto& s : open) s->close();
  log("info", "rpc stopped", nlohmann::json::object());
}

void detail::ServerCore::wake(std::string_view recipient) {
  if (stopped) return;
  std::vector<std::shared_ptr<Session>> woken;
  for (auto& [ptr, weak] : sessions) {
    auto s = weak.lock();
    if (s && s->waiting_for(recipient)) woken.push_back(std::move(s));
  }
  for (auto& s : woken) s->wake();
}

void detail::ServerCore::update_gauges() {
  metrics.set_connections(sessions.size());
  size_t waiting = 0;
  for (auto& [ptr, weak] : sessions) {
    auto s = weak.lock();
    if (s && s->waiting()) ++waiting;
  }
  metrics.set_long_polls(waiting);
}

RpcServer::RpcServer(asio::io_context& io, RpcBackend& backend, RpcServerConfig config, LogSink log)
    : core_(std::make_shared<detail::ServerCore>(io, backend, std::move(config), std::move(log))) {
  JOET_ASSERT(core_->config.max_connections >= 1);
  JOET_ASSERT(core_->config.max_connections_per_client >= 1);
  JOET_ASSERT(core_->config.max_body_bytes >= 1);
}

RpcServer::~RpcServer() {
  // The io_context may still hold handlers of this server; stop() must have been requested so they
  // wind down instead of accepting on (and the backend no longer calls our listener).
  JOET_ASSERT(!core_->started || core_->stop_requested.load());
}

Status RpcServer::start() {
  JOET_ASSERT(!core_->started);
  error_code ec;
  const asio::ip::address address = asio::ip::make_address(core_->config.address, ec);
  if (ec) return make_error(ErrorCode::kInvalidArgument, "rpc address " + core_->config.address + ": " + ec.message());
  const tcp::endpoint endpoint(address, core_->config.port);
  tcp::acceptor& acceptor = core_->acceptor;
  if (acceptor.open(endpoint.protocol(), ec); ec) return make_error(ErrorCode::kIoError, "rpc open: " + ec.message());
  if (acceptor.set_option(asio::socket_base::reuse_address(true), ec); ec) {
    return make_error(ErrorCode::kIoError, "rpc reuse_address: " + ec.message());
  }
  if (acceptor.bind(endpoint, ec); ec) {
    return make_error(ErrorCode::kIoError, "rpc bind " + endpoint_text(endpoint) + ": " + ec.message());
  }
  if (acceptor.listen(asio::socket_base::max_listen_connections, ec); ec) {
    return make_error(ErrorCode::kIoError, "rpc listen: " + ec.message());
  }
  core_->port = acceptor.local_endpoint(ec).port();
  core_->started = true;

  std::weak_ptr<detail::ServerCore> weak = core_;
  auto executor = core_->io.get_executor();
  core_->backend.set_events_listener([weak, executor](std::string_view recipient) {
    asio::post(executor, [weak, r = std::string(recipient)] {
      if (auto core = weak.lock()) core->wake(r);
    });
  });
  core_->accept();
  core_->log("info", "rpc listening", {{"address", core_->config.address}, {"port", core_->port}});
  return Status::ok_status();
}

uint16_t RpcServer::port() const { return core_->port; }

void RpcServer::stop() {
  core_->stop_requested = true;
  asio::post(core_->io, [core = core_] { core->shutdown(); });
}

}  // namespace joet::rpc
