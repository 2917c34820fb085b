#include "inzicht/web_server.h"

#include <chrono>
#include <thread>
#include <vector>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <nlohmann/json.hpp>

namespace joet::inzicht {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

constexpr size_t kMaxHeaderBytes = 16 * 1024;
constexpr size_t kMaxBodyBytes = 64 * 1024;
constexpr auto kRequestTimeout = std::chrono::seconds(30);

uint64_t wall_ms() {
  return static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count());
}

void add_security_headers(http::response<http::string_body>& res) {
  res.set("Strict-Transport-Security", "max-age=31536000");
  res.set("Content-Security-Policy",
          "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; "
          "base-uri 'none'; form-action 'self'");
  res.set("X-Content-Type-Options", "nosniff");
  res.set("X-Frame-Options", "DENY");
  res.set("Referrer-Policy", "no-referrer");
}

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(tcp::socket socket, ssl::context& tls, WebApp& app, const LogSink& log)
      : stream_(std::move(socket), tls), app_(app), log_(log) {}

  void start() {
    beast::get_lowest_layer(stream_).expires_after(kRequestTimeout);
    stream_.async_handshake(ssl::stream_base::server, [self = shared_from_this()](beast::error_code ec) {
      if (!ec) self->read();
    });
  }

 private:
  void read() {
    parser_.emplace();
    parser_->header_limit(kMaxHeaderBytes);
    parser_->body_limit(kMaxBodyBytes);
    beast::get_lowest_layer(stream_).expires_after(kRequestTimeout);
    http::async_read(stream_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, size_t) {
      if (ec == http::error::body_limit) return self->refuse(413, "TOO_LARGE", "a request body is at most 64 KiB");
      if (ec == http::error::header_limit) return self->refuse(431, "HEADERS_TOO_LARGE", "headers are at most 16 KiB");
      if (ec == http::error::end_of_stream || ec == asio::ssl::error::stream_truncated) return self->close();
      if (ec == beast::error::timeout) return self->close();
      if (ec) return self->refuse(400, "BAD_HTTP", "malformed HTTP");
      self->serve(self->parser_->release());
    });
  }

  void serve(http::request<http::string_body> req) {
    const auto started = std::chrono::steady_clock::now();
    WebRequest r;
    r.method = std::string(req.method_string());
    r.target = std::string(req.target());
    r.body = req.body();
    beast::error_code ec;
    const auto endpoint = beast::get_lowest_layer(stream_).socket().remote_endpoint(ec);
    r.remote = ec ? "unknown" : endpoint.address().to_string();
    for (const auto& field : req) {
      std::string name(field.name_string());
      std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
      r.headers[name] = std::string(field.value());
    }
    // The route may wait for the node: off this strand's timer, which would close the connection.
    beast::get_lowest_layer(stream_).expires_never();
    const WebResponse out = app_.handle(r);
    const bool keep_alive = req.keep_alive();
    auto res = std::make_shared<http::response<http::string_body>>(static_cast<http::status>(out.status), req.version());
    if (!out.content_type.empty()) res->set(http::field::content_type, out.content_type);
    for (const auto& [name, value] : out.headers) res->insert(name, value);
    add_security_headers(*res);
    res->keep_alive(keep_alive);
    if (req.method() != http::verb::head) res->body() = out.body;
    res->prepare_payload();
    if (req.method() == http::verb::head) res->body().clear();
    if (log_) {
      const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
      // The path only: a query may hold a month range, never a secret, but keep the log plain.
      log_(nlohmann::json{{"time_ms", wall_ms()}, {"level", "info"}, {"component", "inzicht"}, {"msg", "request"},
                          {"method", r.method}, {"path", r.target.substr(0, r.target.find('?'))},
                          {"status", out.status}, {"remote", r.remote}, {"duration_ms", ms}}
               .dump());
    }
    write(res, keep_alive);
  }

  void write(std::shared_ptr<http::response<http::string_body>> res, bool keep_alive) {
    beast::get_lowest_layer(stream_).expires_after(kRequestTimeout);
    http::async_write(stream_, *res, [self = shared_from_this(), res, keep_alive](beast::error_code ec, size_t) {
      if (ec || !keep_alive) return self->close();
      self->read();
    });
  }

  void refuse(int status, const char* code, const char* message) {
    WebResponse out = error_response(status, code, message);
    auto res = std::make_shared<http::response<http::string_body>>(static_cast<http::status>(status), 11);
    res->set(http::field::content_type, out.content_type);
    add_security_headers(*res);
    res->keep_alive(false);
    res->body() = out.body;
    res->prepare_payload();
    write(res, false);
  }

  void close() {
    beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(5));
    stream_.async_shutdown([self = shared_from_this()](beast::error_code) {
      beast::error_code ignored;
      beast::get_lowest_layer(self->stream_).socket().close(ignored);
    });
  }

  beast::ssl_stream<beast::tcp_stream> stream_;
  WebApp& app_;
  const LogSink& log_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
};

}  // namespace

struct WebServer::Impl {
  asio::io_context io;
  ssl::context tls{ssl::context::tls_server};
  std::optional<tcp::acceptor> acceptor;
  WebApp* app = nullptr;
  LogSink log;
  std::vector<std::thread> threads;
  uint16_t port = 0;

  void accept() {
    acceptor->async_accept(asio::make_strand(io), [this](beast::error_code ec, tcp::socket socket) {
      if (ec == asio::error::operation_aborted) return;
      if (!ec) std::make_shared<Connection>(std::move(socket), tls, *app, log)->start();
      accept();
    });
  }
};

WebServer::WebServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Result<std::unique_ptr<WebServer>> WebServer::start(const WebServerConfig& config, WebApp& app, LogSink log) {
  auto impl = std::make_unique<Impl>();
  impl->app = &app;
  impl->log = std::move(log);
  beast::error_code ec;
  impl->tls.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                        ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
  impl->tls.use_certificate_chain_file(config.tls_cert_file, ec);
  if (ec) return make_error(ErrorCode::kIoError, "TLS certificate " + config.tls_cert_file + ": " + ec.message());
  impl->tls.use_private_key_file(config.tls_key_file, ssl::context::pem, ec);
  if (ec) return make_error(ErrorCode::kIoError, "TLS key " + config.tls_key_file + ": " + ec.message());
  const auto address = asio::ip::make_address(config.address, ec);
  if (ec) return make_error(ErrorCode::kInvalidArgument, "listen address " + config.address + ": " + ec.message());
  impl->acceptor.emplace(impl->io);
  const tcp::endpoint endpoint(address, config.port);
  impl->acceptor->open(endpoint.protocol(), ec);
  if (!ec) impl->acceptor->set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) impl->acceptor->bind(endpoint, ec);
  if (!ec) impl->acceptor->listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return make_error(ErrorCode::kIoError,
                      "listening on " + config.address + ":" + std::to_string(config.port) + ": " + ec.message());
  }
  impl->port = impl->acceptor->local_endpoint().port();
  impl->accept();
  for (int i = 0; i < std::max(1, config.threads); ++i) impl->threads.emplace_back([io = &impl->io] { io->run(); });
  return std::unique_ptr<WebServer>(new WebServer(std::move(impl)));
}

uint16_t WebServer::port() const { return impl_->port; }

void WebServer::stop() {
  if (!impl_ || impl_->threads.empty()) return;
  asio::post(impl_->io, [impl = impl_.get()] {
    beast::error_code ignored;
    impl->acceptor->close(ignored);
  });
  impl_->io.stop();
  for (auto& t : impl_->threads) t.join();
  impl_->threads.clear();
}

WebServer::~WebServer() { stop(); }

}  // namespace joet::inzicht
