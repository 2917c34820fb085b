// A minimal blocking HTTP/1.1 client for the node's RPC (docs/rpc.md), with a deadline on the whole
// exchange. For the SDK's CLI and tools; one request per connection.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "ledger/keys.h"
#include "ledger/status.h"

namespace joet::sdk {

struct HttpResponse {
  int status = 0;
  std::string body;
};

// Signs requests as a registered member (docs/rpc.md "Access control"): X-Joet-Key, X-Joet-Time (this
// machine's clock) and X-Joet-Signature over chain id, method, target, time and body, as
// node/rpc/request_auth.h defines them. The node refuses reads of case data without it (401).
struct RequestSigner {
  PrivateKey key;        // a member key of the reading institution
  std::string chain_id;  // the node's chain id (GET /v1/status)
};

// `address` is HOST:PORT. kIoError for a connection, timeout or protocol failure (naming the address).
// With a signer, the request carries the signature headers; `target` is sent exactly as given.
Result<HttpResponse> http_request(const std::string& address, const std::string& method, const std::string& target,
                                  const std::string& body, uint64_t timeout_ms = 5000,
                                  const std::optional<RequestSigner>& signer = std::nullopt);

}  // namespace joet::sdk
