#include "ledger/commit_certificate.h"

#include <gtest/gtest.h>

#include "ledger/batch_verifier.h"
#include "ledger/codec.h"
#include "ledger/hash.h"
#include "ledger/keys.h"

namespace joet {
namespace {

constexpr std::string_view kChain = "joet-test";

struct Fixture {
  std::vector<PrivateKey> keys;
  ValidatorSet set;

  static Fixture make(const std::vector<uint64_t>& powers) {
    std::vector<PrivateKey> keys;
    v1::ValidatorSet proto;
    for (size_t i = 0; i < powers.size(); ++i) {
      keys.push_back(PrivateKey::from_test_seed("cert-validator-" + std::to_string(i)));
      auto* v = proto.add_validators();
      const Hash32& pk = keys.back().public_key().bytes();
      v->set_public_key(std::string(pk.begin(), pk.end()));
      v->set_power(powers[i]);
    }
    return Fixture{std::move(keys), ValidatorSet::create(proto).value()};
  }

  Bytes body(uint64_t height, uint32_t round, uint8_t block_byte, std::string_view chain = kChain) const {
    v1::VoteBody b;
    b.set_chain_id(std::string(chain));
    b.set_type(v1::PRECOMMIT);
    b.set_height(height);
    b.set_round(round);
    b.set_block_hash(std::string(32, static_cast<char>(block_byte)));
    return encode(b);
  }

  v1::SignedVote vote(uint32_t index, const Bytes& body_bytes) const {
    v1::SignedVote v;
    v.set_body(to_string(body_bytes));
    v.set_validator_index(index);
    Signature64 sig = sign_body(keys[index], tags::kVote, body_bytes);
    v.set_signature(std::string(sig.begin(), sig.end()));
    return v;
  }

  std::vector<v1::SignedVote> votes(const std::vector<uint32_t>& who, const Bytes& body_bytes) const {
    std::vector<v1::SignedVote> out;
    for (uint32_t i : who) out.push_back(vote(i, body_bytes));
    return out;
  }
};

TEST(CommitCertificate, BuiltFromAQuorumOfPrecommitsVerifies) {
  auto f = Fixture::make({1, 1, 1, 1});
  Bytes body = f.body(7, 2, 0xab);
  auto cert = build_commit_certificate(f.set, f.votes({3, 0, 2}, body));
  ASSERT_TRUE(cert.ok()) << cert.error().to_string();
  EXPECT_EQ(cert->signers(), std::string(1, static_cast<char>(0b1101)));
  auto verdict = verify_commit_certificate(*cert, f.set, kChain, 7);
  ASSERT_TRUE(verdict.ok()) << verdict.message();
  EXPECT_EQ(verdict.commit().signers, (std::vector<uint32_t>{0, 2, 3}));
  EXPECT_EQ(verdict.commit().signed_power, 3u);
  Hash32 want;
  want.fill(0xab);
  EXPECT_EQ(verdict.commit().block_hash, want);
  // The encoded certificate survives the canonical decoder.
  EXPECT_TRUE(decode_commit_certificate(encode(*cert)).ok());
}

TEST(CommitCertificate, BuildRefusesNoQuorumMixedBodiesDuplicatesAndNil) {
  auto f = Fixture::make({1, 1, 1, 1});
  Bytes body = f.body(7, 0, 1);
  EXPECT_FALSE(build_commit_certificate(f.set, f.votes({0, 1}, body)).ok());
  auto mixed = f.votes({0, 1}, body);
  mixed.push_back(f.vote(2, f.body(7, 0, 2)));
  EXPECT_FALSE(build_commit_certificate(f.set, mixed).ok());
  EXPECT_FALSE(build_commit_certificate(f.set, f.votes({0, 1, 1}, body)).ok());
  v1::VoteBody nil;
  nil.set_chain_id(std::string(kChain));
  nil.set_type(v1::PRECOMMIT);
  nil.set_height(7);
  EXPECT_FALSE(build_commit_certificate(f.set, f.votes({0, 1, 2}, encode(nil))).ok());
  EXPECT_FALSE(build_commit_certificate(f.set, {}).ok());
}

TEST(CommitCertificate, WeightedPowerDecidesQuorumNotSignerCount) {
  auto f = Fixture::make({10, 1, 1, 1});
  Bytes body = f.body(3, 0, 5);
  EXPECT_TRUE(build_commit_certificate(f.set, f.votes({0}, body)).ok());  // 10 of 13 > 2/3
  auto three_small = build_commit_certificate(f.set, f.votes({1, 2, 3}, body));
  EXPECT_FALSE(three_small.ok());
}

class CertificateFaults : public ::testing::Test {
 protected:
  Fixture f = Fixture::make({1, 1, 1, 1});
  Bytes body = f.body(9, 1, 0x42);
  v1::CommitCertificate cert = build_commit_certificate(f.set, f.votes({0, 1, 2}, body)).value();

  CertificateFault fault_of(const v1::CommitCertificate& c, std::string_view chain = kChain, uint64_t height = 9) {
    auto v = verify_commit_certificate(c, f.set, chain, height);
    EXPECT_FALSE(v.ok());
    EXPECT_FALSE(v.status().ok());
    return v.ok() ? CertificateFault::kMalformed : v.fault();
  }
};

TEST_F(CertificateFaults, WrongChainOrHeightIsRefused) {
  EXPECT_EQ(fault_of(cert, "other-chain"), CertificateFault::kWrongChain);
  EXPECT_EQ(fault_of(cert, kChain, 10), CertificateFault::kWrongHeight);
}

TEST_F(CertificateFaults, ATamperedSignatureIsBadSignature) {
  auto c = cert;
  std::string sig = c.signatures(1);
  sig[5] = static_cast<char>(sig[5] ^ 1);
  c.set_signatures(1, sig);
  EXPECT_EQ(fault_of(c), CertificateFault::kBadSignature);
  EXPECT_EQ(verify_commit_certificate(c, f.set, kChain, 9).status().error().code, ErrorCode::kBadSignature);
}

TEST_F(CertificateFaults, SignaturesAttributedToTheWrongSignerAreBad) {
  auto c = cert;
  c.set_signers(std::string(1, static_cast<char>(0b1011)));  // claims 0,1,3 with the sigs of 0,1,2
  EXPECT_EQ(fault_of(c), CertificateFault::kBadSignature);
}

TEST_F(CertificateFaults, BitOutsideTheSetIsOutOfRange) {
  auto c = build_commit_certificate(f.set, f.votes({0, 1, 2, 3}, body)).value();
  // Move validator 3's bit to 5, which the 4-validator set does not have.
  c.set_signers(std::string(1, static_cast<char>(0b100111)));
  EXPECT_EQ(fault_of(c), CertificateFault::kSignerOutOfRange);
}

TEST_F(CertificateFaults, BitmapOfTheWrongLengthOrCountIsMalformed) {
  auto c = cert;
  c.set_signers(c.signers() + std::string(1, '\0'));
  EXPECT_EQ(fault_of(c), CertificateFault::kMalformed);
  auto d = cert;
  d.add_signatures(std::string(64, '\1'));
  EXPECT_EQ(fault_of(d), CertificateFault::kMalformed);
  auto e = cert;
  e.set_vote_body("garbage");
  EXPECT_EQ(fault_of(e), CertificateFault::kMalformed);
}

TEST_F(CertificateFaults, TwoOfFourSignersIsInsufficientPower) {
  auto c = cert;
  c.set_signers(std::string(1, static_cast<char>(0b0011)));
  c.mutable_signatures()->RemoveLast();
  EXPECT_EQ(fault_of(c), CertificateFault::kInsufficientPower);
}

TEST_F(CertificateFaults, CertificateOfAnotherSetDoesNotVerify) {
  auto other = Fixture::make({1, 1, 1, 1, 1});
  EXPECT_FALSE(verify_commit_certificate(cert, other.set, kChain, 9).ok());
}

TEST(CommitCertificate, BatchVerifierGivesTheSameVerdicts) {
  auto f = Fixture::make({1, 1, 1, 1, 1, 1, 1});
  Bytes body = f.body(1, 0, 9);
  auto cert = build_commit_certificate(f.set, f.votes({0, 1, 2, 3, 4, 5, 6}, body)).value();
  BatchVerifier verifier(2);
  EXPECT_TRUE(verify_commit_certificate(cert, f.set, kChain, 1, &verifier).ok());
  std::string sig = cert.signatures(6);
  sig[0] = static_cast<char>(sig[0] ^ 0x80);
  cert.set_signatures(6, sig);
  auto v = verify_commit_certificate(cert, f.set, kChain, 1, &verifier);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.fault(), CertificateFault::kBadSignature);
}

}  // namespace
}  // namespace joet
