// Test support for node/rpc: a fake RpcBackend, a server running on its own io_context thread, and a
// small Beast client whose every operation has a deadline. Tests only.
#pragma once

#include <chrono>
#include <future>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "ledger/block.h"
#include "ledger/codec.h"
#include "node/rpc/backend.h"
#include "node/rpc/server.h"

namespace joet::rpc::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

// An in-memory node: thread-safe, because tests publish events from their own thread while the
// server's io_context thread queries.
class FakeBackend : public RpcBackend {
 public:
  Authorization authorize(const RequestMeta& meta) override {
    std::lock_guard lock(mu_);
    authorized_.push_back(meta);
    if (meta.recipient == "forbidden") return {Authorization::Verdict::kForbidden, "not your events"};
    for (const auto& [k, v] : meta.headers) {
      if (k == "x-test-auth" && v == "none") return {Authorization::Verdict::kUnauthenticated, "sign the request"};
    }
    return Authorization::allow();
  }

  Result<TxAdmission> submit_tx(const v1::SignedTx& tx, ByteView tx_bytes) override {
    std::lock_guard lock(mu_);
    JOET_ASSERT(encode(tx) == Bytes(tx_bytes.begin(), tx_bytes.end()));
    TxAdmission a;
    a.tx_id = tx_id(tx);
    if (!refusal_code_.empty()) {
      a.code = refusal_code_;
      a.message = "refused by the fake";
      a.retry_later = refusal_code_ == "MEMPOOL_FULL";
      return a;
    }
    a.admitted = true;
    TxStatus s;
    s.state = TxStatus::State::kPending;
    txs_[a.tx_id] = s;
    return a;
  }

  Result<TxStatus> tx_status(const Hash32& id) override {
    std::lock_guard lock(mu_);
    auto it = txs_.find(id);
    return it == txs_.end() ? TxStatus{} : it->second;
  }

  Result<NodeStatus> status() override {
    std::lock_guard lock(mu_);
    if (unavailable_) return make_error(ErrorCode::kIoError, "the fake is down");
    return status_;
  }

  Result<std::optional<Bytes>> stored_block(uint64_t height) override {
    std::lock_guard lock(mu_);
    auto it = blocks_.find(height);
    if (it == blocks_.end()) return std::optional<Bytes>();
    return std::optional<Bytes>(it->second);
  }

  Result<EventPage> events(std::string_view recipient, uint64_t after, size_t limit) override {
    std::lock_guard lock(mu_);
    ++events_queries_;
    EventPage page;
    for (const auto& e : events_) {
      if (e.recipient() == recipient && e.seq() > after && page.events.size() < limit) page.events.push_back(e);
    }
    if (!acks_.empty()) {
      for (const auto& e : page.events) {
        auto it = acks_.find({e.recipient(), e.seq()});
        page.acked_heights.push_back(it == acks_.end() ? 0 : it->second);
      }
    }
    return page;
  }

  void set_events_listener(EventsListener listener) override {
    std::lock_guard lock(mu_);
    listener_ = std::move(listener);
  }

  std::vector<Metric> metrics() override {
    return {{"joet_height", "The tip height.", Metric::Type::kGauge, {}, 7},
            {"joet_mempool_txs", "Txs pending.", Metric::Type::kGauge, {{"pool", "main"}}, 3}};
  }

  // Test controls.
  void publish(const std::string& recipient, uint64_t height, std::string kind) {
    EventsListener listener;
    {
      std::lock_guard lock(mu_);
      contracts::v1::Event e;
      e.set_recipient(recipient);
      e.set_seq(++seq_[recipient]);
      e.set_height(height);
      e.set_kind(std::move(kind));
      e.set_case_id("case-1");
      e.set_detail("REQ-1");
      e.set_tx_id(std::string(32, '\x11'));
      e.set_measure("OTS");
      events_.push_back(e);
      listener = listener_;
    }
    if (listener) listener(recipient);
  }
  // The recipient acknowledged event `seq` at `height` (a backend that knows acks).
  void acknowledge(const std::string& recipient, uint64_t seq, uint64_t height) {
    std::lock_guard lock(mu_);
    acks_[{recipient, seq}] = height;
  }
  void refuse_with(std::string code) {
    std::lock_guard lock(mu_);
    refusal_code_ = std::move(code);
  }
  void set_tx(const Hash32& id, TxStatus s) {
    std::lock_guard lock(mu_);
    txs_[id] = std::move(s);
  }
  void set_status(NodeStatus s) {
    std::lock_guard lock(mu_);
    status_ = std::move(s);
  }
  void set_unavailable(bool down) {
    std::lock_guard lock(mu_);
    unavailable_ = down;
  }
  void put_block(uint64_t height, Bytes stored) {
    std::lock_guard lock(mu_);
    blocks_[height] = std::move(stored);
  }
  bool has_listener() {
    std::lock_guard lock(mu_);
    return static_cast<bool>(listener_);
  }
  std::vector<RequestMeta> authorized() {
    std::lock_guard lock(mu_);
    return authorized_;
  }
  size_t events_queries() {
    std::lock_guard lock(mu_);
    return events_queries_;
  }

 private:
  std::mutex mu_;
  std::vector<RequestMeta> authorized_;
  std::string refusal_code_;
  std::map<Hash32, TxStatus> txs_;
  NodeStatus status_;
  bool unavailable_ = false;
  std::map<uint64_t, Bytes> blocks_;
  std::vector<contracts::v1::Event> events_;
  std::map<std::pair<std::string, uint64_t>, uint64_t> acks_;  // (recipient, seq) -> ack height
  std::map<std::string, uint64_t> seq_;
  EventsListener listener_;
  size_t events_queries_ = 0;
};

// An RpcServer on 127.0.0.1 with an OS-chosen port, its io_context run by one thread. The destructor
// stops it and waits (bounded) for the thread.
class RunningServer {
 public:
  explicit RunningServer(RpcBackend& backend, RpcServerConfig config = {})
      : server_(io_, backend, std::move(config), [this](nlohmann::json line) {
          std::lock_guard lock(log_mu_);
          logs_.emplace_back(line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
        }) {
    const Status s = server_.start();
    JOET_ASSERT(s.ok());
    done_ = std::async(std::launch::async, [this] { io_.run(); });
  }
  ~RunningServer() {
    server_.stop();
    if (done_.wait_for(std::chrono::seconds(5)) != std::future_status::ready) {
      ADD_FAILURE() << "the RPC server did not stop within 5 s";
      io_.stop();
      done_.wait();
    }
  }
  uint16_t port() const { return server_.port(); }
  std::vector<std::string> logs() {
    std::lock_guard lock(log_mu_);
    return logs_;
  }

 private:
  asio::io_context io_;
  std::mutex log_mu_;
  std::vector<std::string> logs_;
  RpcServer server_;
  std::future<void> done_;
};

struct Response {
  unsigned status = 0;
  std::string body;
  std::string content_type;
  std::string allow;
  bool keep_alive = true;
  nlohmann::json json() const { return nlohmann::json::parse(body, nullptr, false); }
};

// A client connection whose every operation runs its own io_context for at most `timeout`.
class Client {
 public:
  explicit Client(uint16_t port, std::chrono::milliseconds timeout = std::chrono::milliseconds(5000))
      : port_(port), timeout_(timeout), stream_(io_) {}

  // From `from` (another loopback address, e.g. 127.0.0.2, is another client to the server).
  bool connect(const std::string& from = "127.0.0.1") {
    beast::error_code ec;
    stream_.socket().open(tcp::v4(), ec);
    if (!ec) stream_.socket().bind(tcp::endpoint(asio::ip::make_address(from), 0), ec);
    if (ec) return false;
    bool ok = false;
    stream_.async_connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_),
                          [&](beast::error_code e) { ok = !e; });
    return run() && ok;
  }

  // Sends one request and reads its response; nullopt on a timeout or a closed connection.
  std::optional<Response> request(beast::http::verb method, const std::string& target, const std::string& body = "",
                                  std::vector<std::pair<std::string, std::string>> headers = {}) {
    beast::http::request<beast::http::string_body> req{method, target, 11};
    req.set(beast::http::field::host, "127.0.0.1");
    for (const auto& [k, v] : headers) req.set(k, v);
    if (!body.empty() || method == beast::http::verb::post) {
      req.body() = body;
      req.set(beast::http::field::content_type, "application/json");
    }
    req.prepare_payload();
    bool ok = false;
    beast::http::async_write(stream_, req, [&](beast::error_code ec, size_t) { ok = !ec; });
    if (!run() || !ok) return std::nullopt;
    return read_response();
  }

  std::optional<Response> read_response() {
    beast::http::response_parser<beast::http::string_body> parser;
    parser.body_limit(64u << 20);
    bool ok = false;
    beast::http::async_read(stream_, buffer_, parser, [&](beast::error_code ec, size_t) { ok = !ec; });
    if (!run() || !ok) return std::nullopt;
    const auto& res = parser.get();
    Response out;
    out.status = res.result_int();
    out.body = res.body();
    out.content_type = std::string(res[beast::http::field::content_type]);
    out.allow = std::string(res[beast::http::field::allow]);
    out.keep_alive = res.keep_alive();
    return out;
  }

  bool send_raw(const std::string& bytes) {
    bool ok = false;
    asio::async_write(stream_.socket(), asio::buffer(bytes), [&](beast::error_code ec, size_t) { ok = !ec; });
    return run() && ok;
  }

  // Tells the server this client sends no more (it answers what it got, then sees the end).
  void shutdown_send() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
  }

  // Reads until the server closes the connection (true) or the timeout (false); `out` gets the bytes.
  bool read_until_closed(std::string& out) {
    out.clear();
    out.append(static_cast<const char*>(buffer_.data().data()), buffer_.size());
    buffer_.consume(buffer_.size());
    std::string chunk(4096, '\0');
    while (true) {
      bool closed = false;
      size_t got = 0;
      stream_.socket().async_read_some(asio::buffer(chunk), [&](beast::error_code ec, size_t n) {
        got = n;
        closed = static_cast<bool>(ec);
      });
      if (!run()) return false;
      out.append(chunk.data(), got);
      if (closed) return true;
    }
  }

 private:
  // Runs the pending operation for at most timeout_; on a timeout cancels it and returns false.
  bool run() {
    io_.restart();
    io_.run_for(timeout_);
    if (io_.stopped()) return true;
    beast::error_code ignored;
    stream_.socket().cancel(ignored);
    io_.restart();
    io_.run_for(std::chrono::milliseconds(1000));
    return false;
  }

  uint16_t port_;
  std::chrono::milliseconds timeout_;
  asio::io_context io_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
};

// One request on a fresh connection.
inline std::optional<Response> call(uint16_t port, beast::http::verb method, const std::string& target,
                                    const std::string& body = "",
                                    std::vector<std::pair<std::string, std::string>> headers = {}) {
  Client c(port);
  if (!c.connect()) return std::nullopt;
  return c.request(method, target, body, std::move(headers));
}

}  // namespace joet::rpc::testing
