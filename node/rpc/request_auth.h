// Signed RPC requests (docs/rpc.md "Access control", decision 0008): the one definition of what a
// client signs and what the node checks, shared by the node (node/rpc/access_policy.h) and the SDK
// (client-sdk/http_client.h). Pure: the node's clock reading is an argument.
//
// A signed request carries three headers:
//   X-Joet-Key:       the signer's x-only public key, 64 hex digits
//   X-Joet-Time:      when it was signed, decimal ms since the Unix epoch (UTC)
//   X-Joet-Signature: BIP-340 signature, 128 hex digits, of tagged_hash("joet/rpc-request", preimage)
// where preimage = lp(chain_id) || lp(method) || lp(target) || be64(time_ms) || SHA-256(body),
// lp(s) = be32(len(s)) || s. `target` is the request target exactly as sent (path and query), `method`
// the HTTP method in upper case. Every variable-length field is length-prefixed, so no two different
// requests have one preimage; the key is bound by BIP-340 itself (its challenge hashes the key).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ledger/bytes.h"
#include "ledger/keys.h"

namespace joet::rpc {

// Header names as the server passes them to authorize() (lower case; HTTP names are case-insensitive).
inline constexpr std::string_view kKeyHeader = "x-joet-key";
inline constexpr std::string_view kTimeHeader = "x-joet-time";
inline constexpr std::string_view kSignatureHeader = "x-joet-signature";

// The default tolerance between the signer's clock and the node's: 5 minutes either way.
inline constexpr uint64_t kDefaultRequestWindowMs = 5 * 60 * 1000;

// What a signature covers.
struct RequestToSign {
  std::string_view chain_id;
  std::string_view method;  // "GET", "POST"
  std::string_view target;  // path and query, as sent on the request line
  std::string_view body;    // empty for GET
  uint64_t time_ms = 0;
};

// The canonical preimage (above). Signers and the checker both use it; nothing else builds it.
Bytes request_preimage(const RequestToSign& request);

// The three headers of a signed request, with their canonical (HTTP) names.
std::vector<std::pair<std::string, std::string>> sign_request(const PrivateKey& key, const RequestToSign& request);

enum class RequestAuthFault : uint8_t {
  kNone,
  kMissingHeader,  // none or only some of the three headers
  kBadEncoding,    // a header that is not what its format says, or a repeated header
  kStaleTime,      // signed longer ago than the window
  kFutureTime,     // signed further ahead of the node's clock than the window
  kBadSignature,   // the signature does not verify for this key and this request
};
std::string_view request_auth_fault_name(RequestAuthFault fault);

// The outcome of check_signed_request: the authenticated key, or why the request is not authenticated.
struct RequestAuthentication {
  std::optional<PublicKey> key;  // set iff fault == kNone
  RequestAuthFault fault = RequestAuthFault::kNone;
  std::string message;           // for the client, when refused

  bool ok() const { return fault == RequestAuthFault::kNone; }
};

struct RequestAuthConfig {
  uint64_t window_ms = kDefaultRequestWindowMs;  // |node clock - X-Joet-Time| <= window_ms
};

// Checks the headers (lower-case names, as RequestMeta carries them) of a request with this method,
// target and body against the node's chain id and clock. Never trusts the headers: every refusal is a
// value. Constant work apart from one signature verification.
RequestAuthentication check_signed_request(const std::vector<std::pair<std::string, std::string>>& headers,
                                           std::string_view chain_id, std::string_view method,
                                           std::string_view target, std::string_view body, uint64_t now_ms,
                                           const RequestAuthConfig& config = {});

}  // namespace joet::rpc
