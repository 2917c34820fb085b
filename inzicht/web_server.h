// joet-inzicht's HTTPS server (Boost.Beast over OpenSSL): TLS 1.2+ with the operator's certificate and
// key, HTTP/1.1 keep-alive, bounded requests (16 KiB header, 64 KiB body, 30 s to read a request), the
// security headers every answer carries (HSTS, a Content-Security-Policy of 'self' only, nosniff, no
// framing, no referrer), and one JSON log line per request. The routes are WebApp's. The io_context
// runs on `threads` threads, because a route may wait for the node (a tx is awaited until committed).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "inzicht/web_app.h"
#include "ledger/status.h"

namespace joet::inzicht {

struct WebServerConfig {
  std::string address = "127.0.0.1";
  uint16_t port = 8443;  // 0: the OS picks one (tests)
  std::string tls_cert_file;  // PEM certificate chain
  std::string tls_key_file;   // PEM private key
  int threads = 4;
};

using LogSink = std::function<void(const std::string& json_line)>;

class WebServer {
 public:
  // Binds and listens (kIoError naming the address, or the TLS file that does not load).
  static Result<std::unique_ptr<WebServer>> start(const WebServerConfig& config, WebApp& app, LogSink log);
  ~WebServer();  // stops and joins
  uint16_t port() const;
  void stop();

 private:
  struct Impl;
  explicit WebServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace joet::inzicht
