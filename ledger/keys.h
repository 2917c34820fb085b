// BIP-340 Schnorr keys, signing and verification over secp256k1 (libsecp256k1 schnorrsig).
// Keys are 32-byte x-only public keys; signatures are 64 bytes. Messages may be of any length,
// but the project always signs tagged_hash(tag, body): see sign_body / verify_body.
#pragma once

#include <array>
#include <string_view>

#include "ledger/bytes.h"

namespace joet {

using Signature64 = std::array<uint8_t, 64>;

class PublicKey {
 public:
  // Checks that the 32 bytes are the x coordinate of a curve point.
  static Result<PublicKey> from_bytes(ByteView bytes);
  // True iff sig is a valid BIP-340 signature of msg under this key. Malformed sig: false.
  bool verify(ByteView msg, ByteView sig) const;
  const Hash32& bytes() const { return bytes_; }
  std::string hex() const { return to_hex(bytes_); }
  friend bool operator==(const PublicKey&, const PublicKey&) = default;
  friend auto operator<=>(const PublicKey&, const PublicKey&) = default;

 private:
  friend class PrivateKey;
  Hash32 bytes_{};
};

class PrivateKey {
 public:
  // A fresh key from OpenSSL's RAND_priv_bytes.
  static PrivateKey generate();
  // Checks 0 < key < curve order.
  static Result<PrivateKey> from_bytes(ByteView bytes);
  // Deterministic key for tests and joet-replay: the first valid tagged_hash("joet/test-key", name || counter).
  static PrivateKey from_test_seed(std::string_view name);

  const PublicKey& public_key() const { return public_key_; }
  // Signs with 32 bytes of fresh auxiliary randomness (BIP-340 default signing).
  Signature64 sign(ByteView msg) const;
  // Signs with the given auxiliary randomness: deterministic, for the BIP-340 test vectors.
  Signature64 sign(ByteView msg, const Hash32& aux_rand) const;
  const Hash32& secret() const { return secret_; }

 private:
  Hash32 secret_{};
  PublicKey public_key_;
};

// Project convention: a signature covers tagged_hash(tag, body) of the exact serialized body bytes.
Signature64 sign_body(const PrivateKey& key, std::string_view tag, ByteView body);
bool verify_body(const PublicKey& key, std::string_view tag, ByteView body, ByteView sig);
// Same, with a key given as raw bytes (from the wire): false when the key is not a valid x-only key.
bool verify_body(ByteView public_key, std::string_view tag, ByteView body, ByteView sig);

}  // namespace joet
