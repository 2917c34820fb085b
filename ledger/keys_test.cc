#include "ledger/keys.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "ledger/hash.h"

namespace joet {
namespace {

struct Bip340Row {
  std::string index, secret_key, public_key, aux_rand, message, signature, result, comment;
};

// The upstream CSV, read at run time, byte-exact with its CRLF line endings.
std::vector<Bip340Row> read_bip340_vectors() {
  std::ifstream in(std::string(JOET_VECTORS_DIR) + "/bip340/test-vectors.csv", std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot open the BIP-340 vectors";
  std::vector<Bip340Row> rows;
  std::string line;
  bool header = true;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    if (header) {
      header = false;
      continue;
    }
    std::vector<std::string> f;
    std::stringstream ss(line);
    std::string cell;
    for (int i = 0; i < 7 && std::getline(ss, cell, ','); ++i) f.push_back(cell);
    std::string comment;
    std::getline(ss, comment);  // the comment may itself contain commas
    while (f.size() < 7) f.emplace_back();
    rows.push_back({f[0], f[1], f[2], f[3], f[4], f[5], f[6], comment});
  }
  return rows;
}

TEST(Bip340Vectors, FileHasAllNineteenRowsWithCrlfLineEndings) {
  std::ifstream in(std::string(JOET_VECTORS_DIR) + "/bip340/test-vectors.csv", std::ios::binary);
  std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(all.find("\r\n"), std::string::npos);
  EXPECT_EQ(read_bip340_vectors().size(), 19u);
}

TEST(Bip340Vectors, EveryRowSignsAndVerifiesAsExpected) {
  auto rows = read_bip340_vectors();
  ASSERT_EQ(rows.size(), 19u);
  int signed_rows = 0, true_rows = 0, false_rows = 0;
  for (const auto& r : rows) {
    SCOPED_TRACE("vector " + r.index + " (" + r.comment + ")");
    auto msg = from_hex(r.message);
    auto sig = from_hex(r.signature);
    auto pub = from_hex(r.public_key);
    ASSERT_TRUE(msg.ok() && sig.ok() && pub.ok());
    const bool expected = r.result == "TRUE";
    ASSERT_TRUE(expected || r.result == "FALSE");

    if (!r.secret_key.empty()) {
      auto sk = PrivateKey::from_bytes(*from_hex(r.secret_key));
      ASSERT_TRUE(sk.ok());
      EXPECT_EQ(to_hex(sk->public_key().bytes()), to_hex(*pub));
      auto aux = hash32_from_hex(r.aux_rand);
      ASSERT_TRUE(aux.ok());
      Signature64 produced = sk->sign(*msg, *aux);
      EXPECT_EQ(to_hex(produced), to_hex(*sig));
      ++signed_rows;
    }

    auto key = PublicKey::from_bytes(*pub);
    bool verified = key.ok() && key->verify(*msg, *sig);
    EXPECT_EQ(verified, expected);
    (expected ? true_rows : false_rows)++;
  }
  EXPECT_EQ(signed_rows, 8);
  EXPECT_EQ(true_rows, 9);
  EXPECT_EQ(false_rows, 10);
}

TEST(Bip340Vectors, KeysOffTheCurveAreATypedErrorNotACrash) {
  for (const auto& r : read_bip340_vectors()) {
    if (r.comment.find("public key") == std::string::npos) continue;
    auto key = PublicKey::from_bytes(*from_hex(r.public_key));
    ASSERT_FALSE(key.ok()) << r.index;
    EXPECT_EQ(key.error().code, ErrorCode::kMalformed);
  }
}

TEST(Schnorr, SignatureOverBodyVerifiesOnlyForThatTagBodyAndKey) {
  auto alice = PrivateKey::from_test_seed("alice");
  auto bob = PrivateKey::from_test_seed("bob");
  Bytes body = to_bytes("court.decide OTS granted");
  Signature64 sig = sign_body(alice, tags::kTx, body);
  EXPECT_TRUE(verify_body(alice.public_key(), tags::kTx, body, sig));
  EXPECT_FALSE(verify_body(alice.public_key(), tags::kVote, body, sig));
  EXPECT_FALSE(verify_body(bob.public_key(), tags::kTx, body, sig));
  Bytes changed = body;
  changed[0] ^= 1;
  EXPECT_FALSE(verify_body(alice.public_key(), tags::kTx, changed, sig));
  Signature64 bad = sig;
  bad[63] ^= 1;
  EXPECT_FALSE(verify_body(alice.public_key(), tags::kTx, body, bad));
}

TEST(Schnorr, MalformedWireKeysAndSignaturesVerifyFalse) {
  auto alice = PrivateKey::from_test_seed("alice");
  Bytes body = to_bytes("x");
  Signature64 sig = sign_body(alice, tags::kTx, body);
  EXPECT_FALSE(verify_body(ByteView(alice.public_key().bytes()).first(31), tags::kTx, body, sig));
  EXPECT_FALSE(verify_body(alice.public_key().bytes(), tags::kTx, body, ByteView(sig).first(63)));
  EXPECT_TRUE(verify_body(ByteView(alice.public_key().bytes()), tags::kTx, body, sig));
}

TEST(Schnorr, TestSeedKeysAreDeterministicAndDistinct) {
  EXPECT_EQ(PrivateKey::from_test_seed("court").public_key(), PrivateKey::from_test_seed("court").public_key());
  EXPECT_NE(PrivateKey::from_test_seed("court").public_key(), PrivateKey::from_test_seed("rvdk").public_key());
}

TEST(Schnorr, GeneratedKeysDiffer) {
  EXPECT_NE(PrivateKey::generate().public_key(), PrivateKey::generate().public_key());
}

TEST(PrivateKey, RefusesZeroAndOrderWithATypedError) {
  Hash32 zero{};
  EXPECT_EQ(PrivateKey::from_bytes(zero).error().code, ErrorCode::kMalformed);
  auto order = from_hex("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141");
  EXPECT_FALSE(PrivateKey::from_bytes(*order).ok());
  EXPECT_FALSE(PrivateKey::from_bytes(Bytes(31, 1)).ok());
}

}  // namespace
}  // namespace joet
