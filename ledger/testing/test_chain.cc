#include "ledger/testing/test_chain.h"

#include "ledger/block.h"
#include "ledger/codec.h"
#include "ledger/hash.h"
#include "ledger/merkle.h"

namespace joet::testing {

v1::SignedTx make_signed_tx(const PrivateKey& signer, uint64_t nonce, size_t payload_bytes) {
  v1::TxBody body;
  body.set_chain_id(std::string(kTestChainId));
  body.set_action("document.anchor");
  auto* arg = body.add_args();
  arg->set_name("case_id");
  arg->set_text("case-" + std::to_string(nonce));
  if (payload_bytes > 0) {
    auto* pad = body.add_args();
    pad->set_name("ref");
    pad->set_text(std::string(std::min<size_t>(payload_bytes, 256), 'x'));
  }
  body.set_nonce(nonce);
  v1::SignedTx tx;
  Bytes body_bytes = encode(body);
  tx.set_body(to_string(body_bytes));
  auto* sig = tx.add_signatures();
  sig->set_public_key(to_string(signer.public_key().bytes()));
  Signature64 s = sign_body(signer, tags::kTx, body_bytes);
  sig->set_signature(to_string(s));
  return tx;
}

TestChain::TestChain(size_t validators) {
  for (size_t i = 0; i < validators; ++i) keys_.push_back(PrivateKey::from_test_seed("validator-" + std::to_string(i)));
}

v1::ValidatorSet TestChain::validator_set() const {
  v1::ValidatorSet set;
  for (const auto& k : keys_) {
    auto* v = set.add_validators();
    v->set_public_key(to_string(k.public_key().bytes()));
    v->set_power(1);
  }
  return set;
}

TestChain::Certified TestChain::next(const std::vector<v1::SignedTx>& txs) {
  const Hash32 set_hash = tagged_hash(tags::kValidatorSet, encode(validator_set()));
  v1::BlockHeader h;
  h.set_chain_id(std::string(kTestChainId));
  h.set_height(++height_);
  h.set_time_ms(1'767'225'600'000 + height_ * 1000);  // 2026-01-01T00:00:00Z + height seconds
  h.set_rules_version(1);
  if (height_ > 1) h.set_prev_block_hash(to_string(prev_hash_));
  // tx_root and history_root are real; state and events roots are stand-ins of the right shape.
  std::vector<Hash32> tx_leaves;
  for (const auto& tx : txs) tx_leaves.push_back(leaf_hash(encode(tx)));
  h.set_tx_root(to_string(merkle_root(tx_leaves)));
  h.set_state_root(to_string(sha256("state_root " + std::to_string(height_))));
  h.set_events_root(to_string(sha256("events_root " + std::to_string(height_))));
  h.set_evidence_root(to_string(merkle_root({})));  // no evidence
  h.set_history_root(to_string(history_.root()));
  h.set_validator_set_hash(to_string(set_hash));
  h.set_next_validator_set_hash(to_string(set_hash));
  Certified out;
  if (height_ > 1) {
    *out.block.mutable_last_commit() = last_commit_;
    h.set_last_commit_hash(to_string(sha256(encode(last_commit_))));
  }
  out.block.set_header(to_string(encode(h)));
  for (const auto& tx : txs) out.block.add_txs(to_string(encode(tx)));

  const Hash32 hash = block_hash(out.block);
  v1::VoteBody vote;
  vote.set_chain_id(std::string(kTestChainId));
  vote.set_type(v1::PRECOMMIT);
  vote.set_height(height_);
  vote.set_block_hash(to_string(hash));
  Bytes vote_bytes = encode(vote);
  out.commit.set_vote_body(to_string(vote_bytes));
  const size_t signers = keys_.size() * 2 / 3 + 1;  // the smallest > 2/3 quorum of equal powers
  std::string bitmap((keys_.size() + 7) / 8, '\0');
  for (size_t i = 0; i < signers; ++i) {
    bitmap[i / 8] = static_cast<char>(bitmap[i / 8] | (1 << (i % 8)));
    out.commit.add_signatures(to_string(keys_[i].sign(tagged_hash(tags::kVote, vote_bytes), Hash32{})));
  }
  out.commit.set_signers(bitmap);
  prev_hash_ = hash;
  history_.append(leaf_hash(hash));
  last_commit_ = out.commit;
  return out;
}

}  // namespace joet::testing
