#include "client-sdk/http_client.h"

#include <chrono>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "node/rpc/request_auth.h"

namespace joet::sdk {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

Result<HttpResponse> http_request(const std::string& address, const std::string& method, const std::string& target,
                                  const std::string& body, uint64_t timeout_ms,
                                  const std::optional<RequestSigner>& signer) {
  const size_t colon = address.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    return make_error(ErrorCode::kInvalidArgument, "rpc address " + address + ": HOST:PORT expected");
  }
  const std::string host = address.substr(0, colon);
  const std::string port = address.substr(colon + 1);
  asio::io_context io;
  beast::tcp_stream stream(io);
  HttpResponse out;
  beast::error_code failure;
  http::request<http::string_body> request{http::string_to_verb(method), target, 11};
  request.set(http::field::host, host);
  request.set(http::field::content_type, "application/json");
  request.body() = body;
  request.prepare_payload();
  if (signer) {
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    const auto now_ms = static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(now).count());
    for (const auto& [name, value] : rpc::sign_request(signer->key, {signer->chain_id, method, target, body, now_ms})) {
      request.set(name, value);
    }
  }
  beast::flat_buffer buffer;
  http::response<http::string_body> response;
  stream.expires_after(std::chrono::milliseconds(timeout_ms));
  tcp::resolver resolver(io);
  resolver.async_resolve(host, port, [&](beast::error_code ec, tcp::resolver::results_type endpoints) {
    if (ec) return void(failure = ec);
    stream.async_connect(endpoints, [&](beast::error_code ec2, const tcp::endpoint&) {
      if (ec2) return void(failure = ec2);
      http::async_write(stream, request, [&](beast::error_code ec3, size_t) {
        if (ec3) return void(failure = ec3);
        http::async_read(stream, buffer, response, [&](beast::error_code ec4, size_t) {
          if (ec4) return void(failure = ec4);
          out.status = static_cast<int>(response.result_int());
          out.body = response.body();
          beast::error_code ignored;
          stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
        });
      });
    });
  });
  io.run();
  if (failure) {
    return make_error(ErrorCode::kIoError, "rpc " + address + " " + method + " " + target + ": " + failure.message());
  }
  return out;
}

}  // namespace joet::sdk
