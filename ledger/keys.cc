#include "ledger/keys.h"

#include <openssl/rand.h>
#include <secp256k1.h>
#include <secp256k1_extrakeys.h>
#include <secp256k1_schnorrsig.h>

#include <cstring>

#include "ledger/hash.h"

namespace joet {

namespace {

// One context for the process, randomized once (side-channel blinding for signing). After
// randomization it is only read, which libsecp256k1 allows from many threads at once.
const secp256k1_context* context() {
  static const secp256k1_context* ctx = [] {
    secp256k1_context* c = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
    JOET_ASSERT(c != nullptr);
    unsigned char seed[32];
    JOET_ASSERT(RAND_priv_bytes(seed, sizeof seed) == 1);
    JOET_ASSERT(secp256k1_context_randomize(c, seed) == 1);
    return c;
  }();
  return ctx;
}

}  // namespace

Result<PublicKey> PublicKey::from_bytes(ByteView bytes) {
  if (bytes.size() != 32) {
    return make_error(ErrorCode::kMalformed, "public key must be 32 bytes, got " + std::to_string(bytes.size()));
  }
  secp256k1_xonly_pubkey pk;
  if (secp256k1_xonly_pubkey_parse(context(), &pk, bytes.data()) != 1) {
    return make_error(ErrorCode::kMalformed, "public key is not a point on secp256k1");
  }
  PublicKey key;
  std::memcpy(key.bytes_.data(), bytes.data(), 32);
  return key;
}

bool PublicKey::verify(ByteView msg, ByteView sig) const {
  if (sig.size() != 64) return false;
  secp256k1_xonly_pubkey pk;
  if (secp256k1_xonly_pubkey_parse(context(), &pk, bytes_.data()) != 1) return false;
  return secp256k1_schnorrsig_verify(context(), sig.data(), msg.data(), msg.size(), &pk) == 1;
}

Result<PrivateKey> PrivateKey::from_bytes(ByteView bytes) {
  if (bytes.size() != 32) {
    return make_error(ErrorCode::kMalformed, "secret key must be 32 bytes, got " + std::to_string(bytes.size()));
  }
  secp256k1_keypair kp;
  if (secp256k1_keypair_create(context(), &kp, bytes.data()) != 1) {
    return make_error(ErrorCode::kMalformed, "secret key is zero or not below the curve order");
  }
  secp256k1_xonly_pubkey xonly;
  JOET_ASSERT(secp256k1_keypair_xonly_pub(context(), &xonly, nullptr, &kp) == 1);
  PrivateKey key;
  std::memcpy(key.secret_.data(), bytes.data(), 32);
  JOET_ASSERT(secp256k1_xonly_pubkey_serialize(context(), key.public_key_.bytes_.data(), &xonly) == 1);
  return key;
}

PrivateKey PrivateKey::generate() {
  for (;;) {
    Hash32 secret;
    JOET_ASSERT(RAND_priv_bytes(secret.data(), static_cast<int>(secret.size())) == 1);
    auto key = from_bytes(secret);
    if (key.ok()) return std::move(key).value();  // fails with probability ~2^-128
  }
}

PrivateKey PrivateKey::from_test_seed(std::string_view name) {
  for (uint8_t counter = 0;; ++counter) {
    Hash32 secret = tagged_hash("joet/test-key", {as_bytes(name), ByteView(&counter, 1)});
    auto key = from_bytes(secret);
    if (key.ok()) return std::move(key).value();
    JOET_ASSERT(counter < 255);
  }
}

Signature64 PrivateKey::sign(ByteView msg) const {
  Hash32 aux;
  JOET_ASSERT(RAND_bytes(aux.data(), static_cast<int>(aux.size())) == 1);
  return sign(msg, aux);
}

Signature64 PrivateKey::sign(ByteView msg, const Hash32& aux_rand) const {
  secp256k1_keypair kp;
  JOET_ASSERT(secp256k1_keypair_create(context(), &kp, secret_.data()) == 1);
  secp256k1_schnorrsig_extraparams params = SECP256K1_SCHNORRSIG_EXTRAPARAMS_INIT;
  params.ndata = const_cast<uint8_t*>(aux_rand.data());
  Signature64 sig;
  JOET_ASSERT(secp256k1_schnorrsig_sign_custom(context(), sig.data(), msg.data(), msg.size(), &kp, &params) == 1);
  // Pair the signature with its check (TigerBeetle style): a fault here must never leave the node.
  JOET_ASSERT(public_key_.verify(msg, sig));
  return sig;
}

Signature64 sign_body(const PrivateKey& key, std::string_view tag, ByteView body) {
  Hash32 digest = tagged_hash(tag, body);
  return key.sign(digest);
}

bool verify_body(const PublicKey& key, std::string_view tag, ByteView body, ByteView sig) {
  Hash32 digest = tagged_hash(tag, body);
  return key.verify(digest, sig);
}

bool verify_body(ByteView public_key, std::string_view tag, ByteView body, ByteView sig) {
  auto key = PublicKey::from_bytes(public_key);
  return key.ok() && verify_body(*key, tag, body, sig);
}

}  // namespace joet
