// A minimal blocking HTTP/1.1 client for the node's RPC (docs/rpc.md), with a deadline on the whole
// exchange. For the SDK's CLI and tools; one request per connection.
#pragma once

#include <cstdint>
#include <string>

#include "ledger/status.h"

namespace joet::sdk {

struct HttpResponse {
  int status = 0;
  std::string body;
};

// `address` is HOST:PORT. kIoError for a connection, timeout or protocol failure (naming the address).
Result<HttpResponse> http_request(const std::string& address, const std::string& method, const std::string& target,
                                  const std::string& body, uint64_t timeout_ms = 5000);

}  // namespace joet::sdk
