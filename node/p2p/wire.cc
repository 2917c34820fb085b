#include "node/p2p/wire.h"

#include "ledger/codec.h"
#include "ledger/hash.h"

namespace joet::p2p {

namespace {

Error malformed(std::string_view what, const std::string& why) {
  return make_error(ErrorCode::kMalformed, std::string(what) + ": " + why);
}

}  // namespace

std::string_view channel_name(Channel channel) {
  switch (channel) {
    case Channel::kConsensus: return "consensus";
    case Channel::kTxs: return "txs";
    case Channel::kBlockSync: return "block_sync";
    case Channel::kStatus: return "status";
  }
  return "unknown";
}

std::string_view handshake_failure_name(HandshakeFailure failure) {
  switch (failure) {
    case HandshakeFailure::kConnect: return "connect failed";
    case HandshakeFailure::kTls: return "tls handshake failed";
    case HandshakeFailure::kTimeout: return "handshake timeout";
    case HandshakeFailure::kPeerClosed: return "closed before hello";
    case HandshakeFailure::kMalformedHello: return "malformed hello";
    case HandshakeFailure::kWrongVersion: return "wrong protocol version";
    case HandshakeFailure::kWrongChain: return "wrong chain_id";
    case HandshakeFailure::kUnknownKey: return "unknown key";
    case HandshakeFailure::kSelfKey: return "own key";
    case HandshakeFailure::kBadSignature: return "bad signature";
    case HandshakeFailure::kUnexpectedKey: return "unexpected key";
    case HandshakeFailure::kWrongDirection: return "wrong direction";
    case HandshakeFailure::kTooManyPending: return "too many pending handshakes";
    case HandshakeFailure::kCount: break;
  }
  return "unknown";
}

Bytes encode_with_length(const google::protobuf::MessageLite& message) {
  Bytes body = encode(message);
  JOET_ASSERT(body.size() <= UINT32_MAX);
  const auto n = static_cast<uint32_t>(body.size());
  Bytes out;
  out.reserve(kLengthPrefixBytes + body.size());
  out.push_back(static_cast<uint8_t>(n >> 24));
  out.push_back(static_cast<uint8_t>(n >> 16));
  out.push_back(static_cast<uint8_t>(n >> 8));
  out.push_back(static_cast<uint8_t>(n));
  out.insert(out.end(), body.begin(), body.end());
  return out;
}

uint32_t read_length_prefix(const std::array<uint8_t, kLengthPrefixBytes>& p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | uint32_t{p[3]};
}

Bytes hello_signed_bytes(std::string_view chain_id, const ChannelBinding& binding) {
  Bytes out(chain_id.begin(), chain_id.end());
  out.insert(out.end(), binding.begin(), binding.end());
  return out;
}

v1::Hello make_hello(const PrivateKey& key, std::string_view chain_id, const ChannelBinding& binding) {
  JOET_ASSERT(!chain_id.empty() && chain_id.size() <= limits::kMaxChainIdBytes);
  v1::Hello hello;
  hello.set_protocol_version(kProtocolVersion);
  hello.set_chain_id(std::string(chain_id));
  hello.set_validator_key(to_string(key.public_key().bytes()));
  hello.set_signature(to_string(sign_body(key, tags::kP2pHello, hello_signed_bytes(chain_id, binding))));
  return hello;
}

Result<v1::Hello> decode_hello(ByteView body) {
  v1::Hello hello;
  Status s = decode_canonical(body, kMaxHelloBytes, "p2p hello", hello);
  if (!s.ok()) return s;
  if (hello.chain_id().empty() || hello.chain_id().size() > limits::kMaxChainIdBytes) {
    return malformed("p2p hello", "chain_id must be 1..64 bytes");
  }
  if (hello.validator_key().size() != 32) return malformed("p2p hello", "validator_key must be 32 bytes");
  if (hello.signature().size() != 64) return malformed("p2p hello", "signature must be 64 bytes");
  return hello;
}

std::variant<PublicKey, HandshakeFailure> verify_hello(const v1::Hello& hello, const HelloPolicy& policy) {
  JOET_ASSERT(policy.pinned != nullptr);
  if (hello.protocol_version() != kProtocolVersion) return HandshakeFailure::kWrongVersion;
  if (hello.chain_id() != policy.chain_id) return HandshakeFailure::kWrongChain;
  auto key = PublicKey::from_bytes(as_bytes(hello.validator_key()));
  if (!key.ok()) return HandshakeFailure::kMalformedHello;
  if (*key == policy.self) return HandshakeFailure::kSelfKey;
  if (policy.pinned->count(*key) == 0) return HandshakeFailure::kUnknownKey;
  if (!verify_body(*key, tags::kP2pHello, hello_signed_bytes(policy.chain_id, policy.binding),
                   as_bytes(hello.signature()))) {
    return HandshakeFailure::kBadSignature;
  }
  return *key;
}

Bytes encode_frame(Channel channel, ByteView payload) {
  v1::Frame frame;
  frame.set_channel(static_cast<v1::Channel>(channel));
  frame.set_payload(to_string(payload));
  return encode_with_length(frame);
}

Result<DecodedFrame> decode_frame(ByteView body, size_t max_frame_bytes) {
  v1::Frame frame;
  Status s = decode_canonical(body, max_frame_bytes, "p2p frame", frame);
  if (!s.ok()) return s;
  const int channel = frame.channel();
  if (channel == v1::CHANNEL_UNSPECIFIED || !v1::Channel_IsValid(channel)) {
    return malformed("p2p frame", "unknown channel " + std::to_string(channel));
  }
  const std::string& payload = frame.payload();
  return DecodedFrame{static_cast<Channel>(channel), Bytes(payload.begin(), payload.end())};
}

}  // namespace joet::p2p
