#include "node/rpc/request_auth.h"

#include <charconv>

#include "ledger/hash.h"

namespace joet::rpc {

namespace {

void put_u32_be(Bytes& out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<uint8_t>(v >> shift));
}

void put_field(Bytes& out, std::string_view s) {
  JOET_ASSERT(s.size() <= UINT32_MAX);  // callers pass HTTP request parts, far below 4 GiB
  put_u32_be(out, static_cast<uint32_t>(s.size()));
  out.insert(out.end(), s.begin(), s.end());
}

RequestAuthentication refuse(RequestAuthFault fault, std::string message) {
  RequestAuthentication out;
  out.fault = fault;
  out.message = std::move(message);
  return out;
}

}  // namespace

std::string_view request_auth_fault_name(RequestAuthFault fault) {
  switch (fault) {
    case RequestAuthFault::kNone: return "NONE";
    case RequestAuthFault::kMissingHeader: return "MISSING_HEADER";
    case RequestAuthFault::kBadEncoding: return "BAD_ENCODING";
    case RequestAuthFault::kStaleTime: return "STALE_TIME";
    case RequestAuthFault::kFutureTime: return "FUTURE_TIME";
    case RequestAuthFault::kBadSignature: return "BAD_SIGNATURE";
  }
  return "UNKNOWN";
}

Bytes request_preimage(const RequestToSign& request) {
  Bytes out;
  out.reserve(12 + request.chain_id.size() + request.method.size() + request.target.size() + 8 + 32);
  put_field(out, request.chain_id);
  put_field(out, request.method);
  put_field(out, request.target);
  put_u64_be(out, request.time_ms);
  const Hash32 body_hash = sha256(request.body);
  out.insert(out.end(), body_hash.begin(), body_hash.end());
  return out;
}

std::vector<std::pair<std::string, std::string>> sign_request(const PrivateKey& key, const RequestToSign& request) {
  const Signature64 sig = sign_body(key, tags::kRpcRequest, request_preimage(request));
  return {{"X-Joet-Key", key.public_key().hex()},
          {"X-Joet-Time", std::to_string(request.time_ms)},
          {"X-Joet-Signature", to_hex(sig)}};
}

RequestAuthentication check_signed_request(const std::vector<std::pair<std::string, std::string>>& headers,
                                           std::string_view chain_id, std::string_view method,
                                           std::string_view target, std::string_view body, uint64_t now_ms,
                                           const RequestAuthConfig& config) {
  // Exactly one of each header; a repeated one could mean two different things to two readers.
  const std::string* key_hex = nullptr;
  const std::string* time_text = nullptr;
  const std::string* sig_hex = nullptr;
  for (const auto& [name, value] : headers) {
    const std::string** slot = name == kKeyHeader         ? &key_hex
                               : name == kTimeHeader      ? &time_text
                               : name == kSignatureHeader ? &sig_hex
                                                          : nullptr;
    if (slot == nullptr) continue;
    if (*slot != nullptr) return refuse(RequestAuthFault::kBadEncoding, "repeated header " + name);
    *slot = &value;
  }
  if (key_hex == nullptr && time_text == nullptr && sig_hex == nullptr) {
    return refuse(RequestAuthFault::kMissingHeader,
                  "this route needs a signed request (X-Joet-Key, X-Joet-Time, X-Joet-Signature)");
  }
  if (key_hex == nullptr) return refuse(RequestAuthFault::kMissingHeader, "missing header X-Joet-Key");
  if (time_text == nullptr) return refuse(RequestAuthFault::kMissingHeader, "missing header X-Joet-Time");
  if (sig_hex == nullptr) return refuse(RequestAuthFault::kMissingHeader, "missing header X-Joet-Signature");

  if (key_hex->size() != 64) return refuse(RequestAuthFault::kBadEncoding, "X-Joet-Key: 64 hex digits expected");
  Result<Bytes> key_bytes = from_hex(*key_hex);
  if (!key_bytes.ok()) return refuse(RequestAuthFault::kBadEncoding, "X-Joet-Key: " + key_bytes.error().message);
  Result<PublicKey> key = PublicKey::from_bytes(*key_bytes);
  if (!key.ok()) return refuse(RequestAuthFault::kBadEncoding, "X-Joet-Key: " + key.error().message);
  const std::optional<uint64_t> time_ms = parse_decimal_u64(*time_text);
  if (!time_ms) {
    return refuse(RequestAuthFault::kBadEncoding, "X-Joet-Time: decimal milliseconds since the epoch expected");
  }
  if (sig_hex->size() != 128) {
    return refuse(RequestAuthFault::kBadEncoding, "X-Joet-Signature: 128 hex digits expected");
  }
  Result<Bytes> sig = from_hex(*sig_hex);
  if (!sig.ok()) return refuse(RequestAuthFault::kBadEncoding, "X-Joet-Signature: " + sig.error().message);

  if (*time_ms < now_ms && now_ms - *time_ms > config.window_ms) {
    return refuse(RequestAuthFault::kStaleTime, "X-Joet-Time is " + std::to_string(now_ms - *time_ms) +
                                                    " ms behind the node's clock (at most " +
                                                    std::to_string(config.window_ms) + " ms)");
  }
  if (*time_ms > now_ms && *time_ms - now_ms > config.window_ms) {
    return refuse(RequestAuthFault::kFutureTime, "X-Joet-Time is " + std::to_string(*time_ms - now_ms) +
                                                     " ms ahead of the node's clock (at most " +
                                                     std::to_string(config.window_ms) + " ms)");
  }

  const RequestToSign signed_part{chain_id, method, target, body, *time_ms};
  if (!verify_body(*key, tags::kRpcRequest, request_preimage(signed_part), *sig)) {
    return refuse(RequestAuthFault::kBadSignature,
                  "X-Joet-Signature does not verify for this key, chain, method, target, time and body");
  }
  RequestAuthentication out;
  out.key = *key;
  return out;
}

}  // namespace joet::rpc
