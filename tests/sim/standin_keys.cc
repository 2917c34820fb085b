// A fast deterministic stand-in for ledger/keys.cc, for simulator binaries only (joet-sim-fast,
// sim_bench_standin): linked as an object file into the executable, it defines every external symbol
// of ledger/keys.cc, so the linker never pulls the real BIP-340 code from libjoet_ledger.a (were it
// pulled, the duplicate symbols would fail the link loudly).
//
// The scheme is NOT a signature scheme: a "public key" is a hash of the secret, a "signature" a hash of
// the public key and the message, so anyone could forge one. The simulator's adversaries never forge
// (they sign with their own keys; garbage and bit flips must still fail verification, and do). What it
// keeps is everything the engine depends on: determinism, 32-byte keys, 64-byte signatures bound to the
// key and the exact message. The real BIP-340 runs in sim_test, the default suite, and a fixed share of
// the long run (scripts/sim_long_run.sh).
#include <openssl/rand.h>

#include <cstring>

#include "ledger/hash.h"
#include "ledger/keys.h"

namespace joet {

namespace {
Signature64 standin_signature(const Hash32& public_key, ByteView msg) {
  const Hash32 h = tagged_hash("joet/sim/standin-signature", {ByteView(public_key), msg});
  Signature64 sig;
  std::memcpy(sig.data(), h.data(), 32);
  std::memcpy(sig.data() + 32, h.data(), 32);
  return sig;
}
}  // namespace

Result<PublicKey> PublicKey::from_bytes(ByteView bytes) {
  if (bytes.size() != 32) return make_error(ErrorCode::kInvalidArgument, "public key must be 32 bytes");
  PublicKey key;
  std::memcpy(key.bytes_.data(), bytes.data(), 32);
  return key;
}

bool PublicKey::verify(ByteView msg, ByteView sig) const {
  if (sig.size() != 64) return false;
  const Signature64 expected = standin_signature(bytes_, msg);
  return std::memcmp(expected.data(), sig.data(), 64) == 0;
}

Result<PrivateKey> PrivateKey::from_bytes(ByteView bytes) {
  if (bytes.size() != 32) return make_error(ErrorCode::kInvalidArgument, "private key must be 32 bytes");
  PrivateKey key;
  std::memcpy(key.secret_.data(), bytes.data(), 32);
  key.public_key_.bytes_ = tagged_hash("joet/sim/standin-public-key", bytes);
  return key;
}

PrivateKey PrivateKey::generate() {
  Hash32 secret;
  JOET_ASSERT(RAND_priv_bytes(secret.data(), static_cast<int>(secret.size())) == 1);
  return std::move(from_bytes(secret)).value();
}

PrivateKey PrivateKey::from_test_seed(std::string_view name) {
  uint8_t counter = 0;
  return std::move(from_bytes(tagged_hash("joet/test-key", {as_bytes(name), ByteView(&counter, 1)}))).value();
}

Signature64 PrivateKey::sign(ByteView msg) const { return standin_signature(public_key_.bytes(), msg); }

Signature64 PrivateKey::sign(ByteView msg, const Hash32& /*aux_rand*/) const {
  return standin_signature(public_key_.bytes(), msg);
}

Signature64 sign_body(const PrivateKey& key, std::string_view tag, ByteView body) {
  return key.sign(tagged_hash(tag, body));
}

bool verify_body(const PublicKey& key, std::string_view tag, ByteView body, ByteView sig) {
  return key.verify(tagged_hash(tag, body), sig);
}

bool verify_body(ByteView public_key, std::string_view tag, ByteView body, ByteView sig) {
  auto key = PublicKey::from_bytes(public_key);
  return key.ok() && verify_body(*key, tag, body, sig);
}

}  // namespace joet
