#include "node/p2p/wire.h"

#include <gtest/gtest.h>

#include <random>

#include "ledger/codec.h"
#include "ledger/hash.h"

namespace joet::p2p {
namespace {

const std::string kChain = "joet-test-chain";

ChannelBinding binding_from(uint8_t fill) {
  ChannelBinding b{};
  b.fill(fill);
  return b;
}

Bytes body_of(const Bytes& wire) { return Bytes(wire.begin() + kLengthPrefixBytes, wire.end()); }

Bytes bytes_of(std::initializer_list<int> values) {
  Bytes out;
  for (int v : values) out.push_back(static_cast<uint8_t>(v));
  return out;
}

struct Keys {
  PrivateKey self = PrivateKey::from_test_seed("p2p-wire-self");
  PrivateKey peer = PrivateKey::from_test_seed("p2p-wire-peer");
  PrivateKey stranger = PrivateKey::from_test_seed("p2p-wire-stranger");
  std::set<PublicKey> pinned = {self.public_key(), peer.public_key()};

  HelloPolicy policy(const ChannelBinding& binding) const {
    return HelloPolicy{kChain, binding, &pinned, self.public_key()};
  }
};

HandshakeFailure refusal(const std::variant<PublicKey, HandshakeFailure>& verdict) {
  EXPECT_TRUE(std::holds_alternative<HandshakeFailure>(verdict));
  return std::holds_alternative<HandshakeFailure>(verdict) ? std::get<HandshakeFailure>(verdict)
                                                           : HandshakeFailure::kCount;
}

TEST(P2pWire, LengthPrefixIsFourBytesBigEndian) {
  EXPECT_EQ(read_length_prefix({0x01, 0x02, 0x03, 0x04}), 0x01020304u);
  EXPECT_EQ(read_length_prefix({0xff, 0xff, 0xff, 0xff}), 0xffffffffu);
  const Bytes wire = encode_frame(Channel::kTxs, as_bytes("ab"));
  ASSERT_GE(wire.size(), kLengthPrefixBytes);
  EXPECT_EQ(read_length_prefix({wire[0], wire[1], wire[2], wire[3]}), wire.size() - kLengthPrefixBytes);
  // channel = 2 (TXS), payload = "ab": the canonical protobuf bytes.
  EXPECT_EQ(body_of(wire), bytes_of({0x08, 0x02, 0x12, 0x02, 'a', 'b'}));
}

TEST(P2pWire, FrameRoundTripsOnEveryChannel) {
  for (Channel channel : kAllChannels) {
    for (std::string payload : {std::string(), std::string("x"), std::string(1000, '\0')}) {
      const Bytes wire = encode_frame(channel, as_bytes(payload));
      auto frame = decode_frame(body_of(wire), kDefaultMaxFrameBytes);
      ASSERT_TRUE(frame.ok()) << frame.error().to_string();
      EXPECT_EQ(frame->channel, channel);
      EXPECT_EQ(to_string(frame->payload), payload);
    }
  }
}

TEST(P2pWire, FrameWithoutKnownChannelIsMalformed) {
  // No channel at all, channel 0 written out, and channel 99.
  for (const Bytes& body : {bytes_of({0x12, 0x01, 'a'}), bytes_of({0x08, 0x63, 0x12, 0x01, 'a'})}) {
    auto frame = decode_frame(body, kDefaultMaxFrameBytes);
    ASSERT_FALSE(frame.ok());
    EXPECT_EQ(frame.error().code, ErrorCode::kMalformed);
  }
}

TEST(P2pWire, FrameRefusesNonCanonicalEncodings) {
  const Bytes reordered = bytes_of({0x12, 0x01, 'a', 0x08, 0x01});
  const Bytes repeated = bytes_of({0x08, 0x01, 0x08, 0x01, 0x12, 0x01, 'a'});
  const Bytes unknown_field = bytes_of({0x08, 0x01, 0x12, 0x01, 'a', 0x18, 0x05});
  const Bytes empty_payload_written = bytes_of({0x08, 0x01, 0x12, 0x00});
  for (const Bytes& body : {reordered, repeated, unknown_field, empty_payload_written}) {
    auto frame = decode_frame(body, kDefaultMaxFrameBytes);
    ASSERT_FALSE(frame.ok()) << to_hex(body);
    EXPECT_EQ(frame.error().code, ErrorCode::kNonCanonical) << to_hex(body);
  }
  auto garbage = decode_frame(bytes_of({0xff, 0xff, 0xff}), kDefaultMaxFrameBytes);
  ASSERT_FALSE(garbage.ok());
  EXPECT_EQ(garbage.error().code, ErrorCode::kMalformed);
}

TEST(P2pWire, FrameOverTheLimitIsRefusedBeforeParsing) {
  const Bytes wire = encode_frame(Channel::kConsensus, Bytes(100, 7));
  const Bytes body = body_of(wire);
  EXPECT_TRUE(decode_frame(body, body.size()).ok());
  auto frame = decode_frame(body, body.size() - 1);
  ASSERT_FALSE(frame.ok());
  EXPECT_EQ(frame.error().code, ErrorCode::kTooLarge);
}

TEST(P2pWire, HelloRoundTripsAndVerifiesOnItsOwnConnectionOnly) {
  Keys keys;
  const ChannelBinding binding = binding_from(0x11);
  const Bytes wire = encode_with_length(make_hello(keys.peer, kChain, binding));
  ASSERT_LE(wire.size() - kLengthPrefixBytes, kMaxHelloBytes);
  auto hello = decode_hello(body_of(wire));
  ASSERT_TRUE(hello.ok()) << hello.error().to_string();
  auto verdict = verify_hello(*hello, keys.policy(binding));
  ASSERT_TRUE(std::holds_alternative<PublicKey>(verdict));
  EXPECT_EQ(std::get<PublicKey>(verdict), keys.peer.public_key());
  // The signature covers exactly tagged_hash("joet/p2p-hello", chain_id || binding).
  EXPECT_TRUE(verify_body(keys.peer.public_key(), tags::kP2pHello, hello_signed_bytes(kChain, binding),
                          as_bytes(hello->signature())));
  // The same Hello presented on another connection (another exporter secret) is a replay.
  EXPECT_EQ(refusal(verify_hello(*hello, keys.policy(binding_from(0x12)))), HandshakeFailure::kBadSignature);
}

TEST(P2pWire, HelloRefusalsCarryTheirReason) {
  Keys keys;
  const ChannelBinding binding = binding_from(0x21);
  const auto policy = keys.policy(binding);

  v1::Hello wrong_version = make_hello(keys.peer, kChain, binding);
  wrong_version.set_protocol_version(kProtocolVersion + 1);
  EXPECT_EQ(refusal(verify_hello(wrong_version, policy)), HandshakeFailure::kWrongVersion);

  EXPECT_EQ(refusal(verify_hello(make_hello(keys.peer, "other-chain", binding), policy)),
            HandshakeFailure::kWrongChain);
  EXPECT_EQ(refusal(verify_hello(make_hello(keys.stranger, kChain, binding), policy)),
            HandshakeFailure::kUnknownKey);
  EXPECT_EQ(refusal(verify_hello(make_hello(keys.self, kChain, binding), policy)), HandshakeFailure::kSelfKey);

  v1::Hello forged = make_hello(keys.stranger, kChain, binding);
  forged.set_validator_key(to_string(keys.peer.public_key().bytes()));  // a pinned key, someone else's signature
  EXPECT_EQ(refusal(verify_hello(forged, policy)), HandshakeFailure::kBadSignature);

  v1::Hello off_curve = make_hello(keys.peer, kChain, binding);
  off_curve.set_validator_key(std::string(32, '\xff'));  // x >= p: not a point
  EXPECT_EQ(refusal(verify_hello(off_curve, policy)), HandshakeFailure::kMalformedHello);
}

TEST(P2pWire, HelloDecoderChecksFieldLengths) {
  Keys keys;
  const v1::Hello good = make_hello(keys.peer, kChain, binding_from(0x31));
  auto mutate = [&](auto&& change) {
    v1::Hello h = good;
    change(h);
    return decode_hello(encode(h));
  };
  EXPECT_FALSE(mutate([](v1::Hello& h) { h.set_chain_id(""); }).ok());
  EXPECT_FALSE(mutate([](v1::Hello& h) { h.set_chain_id(std::string(65, 'c')); }).ok());
  EXPECT_FALSE(mutate([](v1::Hello& h) { h.set_validator_key(std::string(31, 'k')); }).ok());
  EXPECT_FALSE(mutate([](v1::Hello& h) { h.set_signature(std::string(63, 's')); }).ok());
  EXPECT_TRUE(mutate([](v1::Hello&) {}).ok());
  auto too_big = decode_hello(Bytes(kMaxHelloBytes + 1, 0));
  ASSERT_FALSE(too_big.ok());
  EXPECT_EQ(too_big.error().code, ErrorCode::kTooLarge);
}

// ------------------------------------------------------------------ fuzz-style robustness
// Fixed seeds, bounded iterations: random bytes and mutations of valid encodings. Whatever a decoder
// accepts must re-encode to exactly its input (docs/decisions/0002-canonical-encodings.md).

constexpr uint64_t kFuzzSeed = 0x6a6f65742d703270;  // "joet-p2p"
constexpr int kFuzzIterations = 20'000;

Bytes random_bytes(std::mt19937_64& rng, size_t max_len) {
  std::uniform_int_distribution<size_t> len(0, max_len);
  Bytes out(len(rng));
  for (auto& b : out) b = static_cast<uint8_t>(rng());
  return out;
}

Bytes mutate(std::mt19937_64& rng, Bytes in) {
  const int edits = 1 + static_cast<int>(rng() % 4);
  for (int i = 0; i < edits; ++i) {
    switch (rng() % 6) {
      case 0:  // flip a bit
        if (!in.empty()) in[rng() % in.size()] ^= static_cast<uint8_t>(1u << (rng() % 8));
        break;
      case 1:  // overwrite a byte
        if (!in.empty()) in[rng() % in.size()] = static_cast<uint8_t>(rng());
        break;
      case 2:  // truncate
        if (!in.empty()) in.resize(rng() % in.size());
        break;
      case 3:  // insert a byte
        in.insert(in.begin() + static_cast<std::ptrdiff_t>(rng() % (in.size() + 1)), static_cast<uint8_t>(rng()));
        break;
      case 4: {  // append random bytes
        Bytes tail = random_bytes(rng, 8);
        in.insert(in.end(), tail.begin(), tail.end());
        break;
      }
      default:  // duplicate a slice (repeated fields, nested garbage)
        if (!in.empty()) {
          const size_t from = rng() % in.size();
          const size_t n = 1 + rng() % (in.size() - from);
          Bytes slice(in.begin() + static_cast<std::ptrdiff_t>(from), in.begin() + static_cast<std::ptrdiff_t>(from + n));
          in.insert(in.begin() + static_cast<std::ptrdiff_t>(rng() % (in.size() + 1)), slice.begin(), slice.end());
        }
        break;
    }
  }
  return in;
}

TEST(P2pWireFuzz, FrameDecoderAcceptsOnlyCanonicalFramesOfRandomAndMutatedInput) {
  SCOPED_TRACE("seed " + std::to_string(kFuzzSeed));
  std::mt19937_64 rng(kFuzzSeed);
  constexpr size_t kLimit = 512;
  std::vector<Bytes> seeds;
  for (Channel c : kAllChannels) seeds.push_back(body_of(encode_frame(c, random_bytes(rng, 64))));
  int accepted = 0;
  for (int i = 0; i < kFuzzIterations; ++i) {
    const Bytes input = (i % 2 == 0) ? random_bytes(rng, 96) : mutate(rng, seeds[rng() % seeds.size()]);
    auto frame = decode_frame(input, kLimit);
    if (!frame.ok()) continue;
    ++accepted;
    ASSERT_LE(input.size(), kLimit);
    ASSERT_EQ(body_of(encode_frame(frame->channel, frame->payload)), input) << "iteration " << i;
  }
  // The mutations keep a fair share decodable, so the accepting path is exercised too.
  EXPECT_GT(accepted, 100);
}

TEST(P2pWireFuzz, HelloDecoderAcceptsOnlyCanonicalHellosOfRandomAndMutatedInput) {
  SCOPED_TRACE("seed " + std::to_string(kFuzzSeed + 1));
  std::mt19937_64 rng(kFuzzSeed + 1);
  Keys keys;
  const ChannelBinding binding = binding_from(0x41);
  const Bytes seed = body_of(encode_with_length(make_hello(keys.peer, kChain, binding)));
  int accepted = 0;
  int verified = 0;
  for (int i = 0; i < kFuzzIterations; ++i) {
    const Bytes input = (i % 4 == 0) ? random_bytes(rng, 300) : mutate(rng, seed);
    auto hello = decode_hello(input);
    if (!hello.ok()) continue;
    ++accepted;
    ASSERT_EQ(encode(*hello), input) << "iteration " << i;
    ASSERT_EQ(hello->validator_key().size(), 32u);
    ASSERT_EQ(hello->signature().size(), 64u);
    // Never crashes; only the untouched Hello can verify (a change of one bit breaks the signature).
    if (std::holds_alternative<PublicKey>(verify_hello(*hello, keys.policy(binding)))) {
      ++verified;
      ASSERT_EQ(input, seed);
    }
  }
  EXPECT_GT(accepted, 50);
  EXPECT_LT(verified, accepted);  // only mutations that happened to leave the Hello unchanged
}

}  // namespace
}  // namespace joet::p2p
