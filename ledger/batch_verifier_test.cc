#include "ledger/batch_verifier.h"

#include <gtest/gtest.h>

#include <random>

#include "ledger/hash.h"
#include "ledger/keys.h"

namespace joet {
namespace {

struct Corpus {
  std::vector<Bytes> keys, msgs, sigs;
  std::vector<VerifyItem> items;
};

// n signatures of which every `bad_every`-th is spoiled in a seeded way (key, message or signature).
Corpus make_corpus(size_t n, size_t bad_every, uint64_t seed) {
  std::mt19937_64 rng(seed);
  Corpus c;
  auto signer = PrivateKey::from_test_seed("verifier-test");
  for (size_t i = 0; i < n; ++i) {
    Hash32 msg = sha256(std::to_string(i));
    Signature64 sig = signer.sign(msg);
    Bytes key(signer.public_key().bytes().begin(), signer.public_key().bytes().end());
    Bytes m(msg.begin(), msg.end()), s(sig.begin(), sig.end());
    if (bad_every && i % bad_every == 0) {
      switch (rng() % 4) {
        case 0: s[rng() % 64] ^= static_cast<uint8_t>(1 + rng() % 255); break;
        case 1: m[rng() % 32] ^= 1; break;
        case 2: key[rng() % 32] ^= 1; break;
        default: s.pop_back(); break;
      }
    }
    c.keys.push_back(std::move(key));
    c.msgs.push_back(std::move(m));
    c.sigs.push_back(std::move(s));
  }
  for (size_t i = 0; i < n; ++i) c.items.push_back({c.keys[i], c.msgs[i], c.sigs[i]});
  return c;
}

TEST(BatchVerifier, GivesTheSerialAnswersInOrder) {
  Corpus c = make_corpus(1000, 7, 42);
  BatchVerifier verifier(4);
  auto parallel = verifier.verify(c.items);
  auto serial = verify_serial(c.items);
  EXPECT_EQ(parallel, serial);
  size_t bad = std::count(serial.begin(), serial.end(), 0);
  EXPECT_GE(bad, 100u);  // the spoiled ones really fail (a flipped key bit may still be a valid key)
  EXPECT_LE(bad, 143u);
  for (size_t i = 0; i < serial.size(); ++i) {
    if (i % 7 != 0) {
      EXPECT_EQ(serial[i], 1) << i;
    }
  }
}

TEST(BatchVerifier, RepeatedBatchesOnOnePoolStayCorrect) {
  BatchVerifier verifier(3);
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    Corpus c = make_corpus(65 + seed * 37, 5, seed);
    ASSERT_EQ(verifier.verify(c.items), verify_serial(c.items)) << "seed " << seed;
  }
}

TEST(BatchVerifier, VerifyAllIsFalseWhenOneSignatureIsBad) {
  BatchVerifier verifier;
  Corpus good = make_corpus(300, 0, 1);
  EXPECT_TRUE(verifier.verify_all(good.items));
  good.sigs[299][0] ^= 1;
  EXPECT_FALSE(verifier.verify_all(good.items));
  EXPECT_TRUE(verifier.verify_all({}));
}

}  // namespace
}  // namespace joet
