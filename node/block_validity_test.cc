#include "node/block_validity.h"

#include <string>
#include <utility>

#include <gtest/gtest.h>

#include "consensus/message.h"
#include "ledger/block.h"
#include "ledger/codec.h"
#include "node/testing/local_chain.h"

namespace joet {
namespace {

using namespace joet::testing;  // NOLINT

// Block 1 of a LocalChain, and the rules' context for block 2 on top of it: nothing on chain but
// `on_chain`, nothing committed as evidence.
struct Fixture {
  LocalChain chain;
  Chain txs;
  ValidatorSet set = four_validators();
  AssembledBlock block1;
  v1::CommitCertificate cert1;
  std::optional<Hash32> on_chain;

  Fixture() {
    block1 = chain.next(utc_ms(2026, 3, 10, 9), {open_case_tx(txs, "case-001")});
    cert1 = chain.last_commit_;
  }

  BlockRulesContext context(uint64_t height = 2) {
    BlockRulesContext c;
    c.chain_id = std::string(kChainId);
    c.height = height;
    c.prev_validators = &set;
    c.prev_block_hash = block_hash(block1.block);
    c.find_tx = [this](const Hash32& id) -> Result<std::optional<uint64_t>> {
      if (on_chain && *on_chain == id) return std::optional<uint64_t>(1);
      return std::optional<uint64_t>();
    };
    c.validators_at = [this](uint64_t) { return &set; };
    c.evidence_committed = [](const std::string&) { return false; };
    return c;
  }

  // Block 2's body as the rules see it (the header is check_block's business).
  v1::Block block2() {
    v1::Block b;
    *b.mutable_last_commit() = cert1;
    b.add_txs(to_string(encode(open_case_tx(txs, "case-002"))));
    return b;
  }
};

std::string refusal_text(const Result<std::optional<BlockRuleRefusal>>& r) {
  if (!r.ok()) return "ERROR " + r.error().to_string();
  if (!r->has_value()) return "";
  return std::string(block_rule_fault_name((*r)->fault)) + ": " + (*r)->message;
}

v1::Evidence double_prevote(uint32_t validator, uint64_t height) {
  consensus::KeySigner signer(validator_key(validator));
  v1::Evidence ev;
  *ev.mutable_vote_a() =
      consensus::make_vote(signer, validator, kChainId, v1::PREVOTE, height, 0, std::string(32, 'a')).signed_vote;
  *ev.mutable_vote_b() =
      consensus::make_vote(signer, validator, kChainId, v1::PREVOTE, height, 0, std::string(32, 'b')).signed_vote;
  return ev;
}

TEST(BlockRules, ABlockThatKeepsEveryRulePasses) {
  Fixture f;
  v1::Block b = f.block2();
  *b.add_evidence() = double_prevote(2, 1);
  EXPECT_EQ(refusal_text(check_block_rules(f.context(), b)), "");
}

TEST(BlockRules, ACarriedCertificateOfAnotherBlockIsRefused) {
  Fixture f;
  BlockRulesContext c = f.context();
  c.prev_block_hash[0] ^= 1;
  EXPECT_EQ(refusal_text(check_block_rules(c, f.block2())), "WRONG_LAST_COMMIT: the certificate is for another block");
}

TEST(BlockRules, ACarriedCertificateOfTooFewValidatorsIsRefused) {
  Fixture f;
  v1::Block b = f.block2();
  b.mutable_last_commit()->mutable_signatures()->RemoveLast();
  EXPECT_EQ(refusal_text(check_block_rules(f.context(), b)).rfind("WRONG_LAST_COMMIT: ", 0), 0u);
}

TEST(BlockRules, ATxThatDoesNotDecodeIsRefusedAsMalformed) {
  Fixture f;
  v1::Block b = f.block2();
  b.add_txs("\xff\xff not a tx");
  EXPECT_EQ(refusal_text(check_block_rules(f.context(), b)).rfind("MALFORMED: tx 1: ", 0), 0u);
}

TEST(BlockRules, ATxOnChainOrTwiceInTheBlockIsRefused) {
  Fixture f;
  v1::Block b = f.block2();
  b.add_txs(b.txs(0));
  EXPECT_EQ(refusal_text(check_block_rules(f.context(), b)), "DUPLICATE_TX: tx 1 repeats an earlier tx of the block");
  f.on_chain = tx_id(decode_signed_tx(as_bytes(b.txs(0))).value());
  EXPECT_EQ(refusal_text(check_block_rules(f.context(), b)), "DUPLICATE_TX: tx 0 is in block 1");
}

TEST(BlockRules, AFailingTxIndexIsAnErrorNotAVerdict) {
  Fixture f;
  BlockRulesContext c = f.context();
  c.find_tx = [](const Hash32&) -> Result<std::optional<uint64_t>> {
    return make_error(ErrorCode::kIoError, "disk gone");
  };
  auto r = check_block_rules(c, f.block2());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kIoError);
}

TEST(BlockRules, EvidenceOutOfRangeTooOldCommittedOrRepeatedIsRefused) {
  Fixture f;
  v1::Block b = f.block2();
  *b.add_evidence() = double_prevote(1, 3);
  EXPECT_EQ(refusal_text(check_block_rules(f.context(), b)), "EVIDENCE: evidence of height 3 in a block of 2");

  b.clear_evidence();
  *b.add_evidence() = double_prevote(1, 1);
  v1::Block late = b;  // a block of height 102 (its carried certificate is not this test's subject)
  late.clear_last_commit();
  EXPECT_EQ(refusal_text(check_block_rules(f.context(2 + kEvidenceMaxAgeHeights), late)),
            "EVIDENCE: evidence of height 1 is too old");
  EXPECT_EQ(refusal_text(check_block_rules(f.context(1 + kEvidenceMaxAgeHeights), late)), "");  // just in time

  BlockRulesContext committed = f.context();
  committed.evidence_committed = [](const std::string&) { return true; };
  EXPECT_EQ(refusal_text(check_block_rules(committed, b)), "EVIDENCE: evidence already committed");

  *b.add_evidence() = double_prevote(1, 1);
  EXPECT_EQ(refusal_text(check_block_rules(f.context(), b)), "EVIDENCE: evidence repeated in the block");
}

TEST(BlockRules, EvidenceIsCheckedAgainstTheSetOfItsHeight) {
  Fixture f;
  v1::Block b = f.block2();
  *b.add_evidence() = double_prevote(1, 1);
  BlockRulesContext c = f.context();
  const ValidatorSet strangers = [] {
    v1::ValidatorSet s;
    for (int i = 0; i < 4; ++i) {
      v1::Validator* v = s.add_validators();
      v->set_public_key(to_string(PrivateKey::from_test_seed("stranger-" + std::to_string(i)).public_key().bytes()));
      v->set_power(1);
    }
    return ValidatorSet::create(std::move(s)).value();
  }();
  c.validators_at = [&](uint64_t height) { return height == 1 ? &strangers : &f.set; };
  EXPECT_EQ(refusal_text(check_block_rules(c, b)).rfind("EVIDENCE: evidence does not check: ", 0), 0u);
}

TEST(BlockRules, MoreThanTheEvidenceLimitIsRefused) {
  Fixture f;
  v1::Block b = f.block2();
  for (size_t i = 0; i <= kMaxBlockEvidence; ++i) *b.add_evidence() = double_prevote(static_cast<uint32_t>(i % 4), 1);
  EXPECT_EQ(refusal_text(check_block_rules(f.context(), b)), "EVIDENCE: too many items");
}

}  // namespace
}  // namespace joet
