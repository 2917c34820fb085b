// The p2p wire (node/p2p/p2p.proto): length-prefixed protobuf messages, the Hello that binds a
// validator key to one TLS connection, and their decoders. Decoders follow ledger/codec.h: a size
// limit first, then the parse, then the canonical-encoding check, then structural checks; every
// failure is a value, nothing here asserts on its input. Pure: no sockets, no clock.
#pragma once

#include <array>
#include <cstdint>
#include <set>
#include <string_view>
#include <variant>

#include "ledger/bytes.h"
#include "ledger/keys.h"
#include "p2p.pb.h"

namespace joet::p2p {

inline constexpr uint32_t kProtocolVersion = 1;
inline constexpr size_t kLengthPrefixBytes = 4;
// A Hello is ~170 bytes (version, chain_id <= 64, key 32, signature 64).
inline constexpr size_t kMaxHelloBytes = 256;
inline constexpr size_t kDefaultMaxFrameBytes = 4 * 1024 * 1024;
// RFC 5705 / RFC 8446 section 7.5 exporter: the per-connection secret the Hello signature covers.
inline constexpr std::string_view kExporterLabel = "EXPORTER-joet-p2p";
using ChannelBinding = Hash32;

enum class Channel : uint32_t {
  kConsensus = v1::CHANNEL_CONSENSUS,
  kTxs = v1::CHANNEL_TXS,
  kBlockSync = v1::CHANNEL_BLOCK_SYNC,
  kStatus = v1::CHANNEL_STATUS,
};
inline constexpr std::array<Channel, 4> kAllChannels = {Channel::kConsensus, Channel::kTxs,
                                                        Channel::kBlockSync, Channel::kStatus};
std::string_view channel_name(Channel channel);

// Why a connection did not become an authenticated peer connection: log reason and counter index.
enum class HandshakeFailure : uint8_t {
  kConnect,          // resolving or the TCP connect failed (the peer is down or unreachable)
  kTls,              // the TLS 1.3 handshake failed
  kTimeout,          // no verified Hello within the handshake deadline
  kPeerClosed,       // the peer closed or reset before its Hello arrived (it may have refused us)
  kMalformedHello,   // over size, not a canonical Hello, wrong field lengths, key not on the curve
  kWrongVersion,     // protocol_version != kProtocolVersion
  kWrongChain,       // chain_id differs from ours
  kUnknownKey,       // key not pinned in genesis
  kSelfKey,          // our own key (a reflected Hello, or a misconfigured twin)
  kBadSignature,     // signature does not verify over this connection's channel binding
  kUnexpectedKey,    // we dialed one validator and another one answered
  kWrongDirection,   // a pinned peer dialed us although we are the side that dials it
  kTooManyPending,   // inbound connection refused: too many handshakes in progress
  kCount,
};
inline constexpr size_t kHandshakeFailureCount = static_cast<size_t>(HandshakeFailure::kCount);
std::string_view handshake_failure_name(HandshakeFailure failure);

// 4-byte big-endian length, then the deterministic encoding of the message.
Bytes encode_with_length(const google::protobuf::MessageLite& message);
uint32_t read_length_prefix(const std::array<uint8_t, kLengthPrefixBytes>& prefix);

// What the Hello signature covers: chain_id || binding (the binding has a fixed length and comes
// last, so the concatenation is unambiguous). Signed as tagged_hash(tags::kP2pHello, these bytes).
Bytes hello_signed_bytes(std::string_view chain_id, const ChannelBinding& binding);
v1::Hello make_hello(const PrivateKey& key, std::string_view chain_id, const ChannelBinding& binding);
// The Hello body (without its length prefix): size, canonical encoding, field lengths.
Result<v1::Hello> decode_hello(ByteView body);

struct HelloPolicy {
  std::string_view chain_id;
  ChannelBinding binding;
  const std::set<PublicKey>* pinned = nullptr;  // the genesis validators
  PublicKey self;
};
// The authenticated peer key, or why the Hello is refused. Cheap checks first: the signature is
// verified only for a pinned key, so strangers cannot make us spend verifications.
std::variant<PublicKey, HandshakeFailure> verify_hello(const v1::Hello& hello, const HelloPolicy& policy);

struct DecodedFrame {
  Channel channel;
  Bytes payload;
};
Bytes encode_frame(Channel channel, ByteView payload);  // with the length prefix
// The Frame body (without its length prefix): size, canonical encoding, a known channel.
Result<DecodedFrame> decode_frame(ByteView body, size_t max_frame_bytes);

}  // namespace joet::p2p
