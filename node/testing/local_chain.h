// Test support: a certified chain built in-process over the real block assembly and block store.
// Header-only; tests only.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "contracts/contracts_test_support.h"
#include "contracts/rules.h"
#include "contracts/validators.h"
#include "ledger/block.h"
#include "ledger/block_store.h"
#include "ledger/codec.h"
#include "ledger/commit_certificate.h"
#include "ledger/hash.h"
#include "node/block_assembly.h"
#include "node/inzicht/dashboard_index.h"
#include "node/state_root.h"

namespace joet::testing {

inline PrivateKey validator_key(size_t i) { return PrivateKey::from_test_seed("validator-" + std::to_string(i)); }

// The test private key of a validator whose key came from from_test_seed("validator-<i>") or
// ("new-validator-<i>"), i < 8.
inline PrivateKey test_key_of(const v1::Validator& v) {
  for (const char* prefix : {"validator-", "new-validator-"}) {
    for (int i = 0; i < 8; ++i) {
      PrivateKey k = PrivateKey::from_test_seed(prefix + std::to_string(i));
      if (to_string(k.public_key().bytes()) == v.public_key()) return k;
    }
  }
  JOET_ASSERT(false && "a validator key the tests do not know");
  return validator_key(0);
}

// A PRECOMMIT certificate of the smallest quorum of `set` (its first validators) for `hash` at `height`.
inline v1::CommitCertificate certify_by(const ValidatorSet& set, uint64_t height, const Hash32& hash) {
  v1::VoteBody vote;
  vote.set_chain_id(std::string(kChainId));
  vote.set_type(v1::PRECOMMIT);
  vote.set_height(height);
  vote.set_block_hash(to_string(hash));
  std::vector<v1::SignedVote> precommits;
  uint64_t power = 0;
  for (uint32_t i = 0; i < set.size() && !set.is_quorum(power); ++i) {
    v1::SignedVote sv;
    sv.set_body(to_string(encode(vote)));
    sv.set_validator_index(i);
    sv.set_signature(to_string(sign_body(test_key_of(set.at(i)), tags::kVote, encode(vote))));
    precommits.push_back(std::move(sv));
    power += set.power(i);
  }
  return build_commit_certificate(set, precommits).value();
}

// The args of a validator.update naming `n` validators of power 1, validator i with the test key
// from_test_seed(seed(i)) (e.g. "new-validator-" + i).
inline std::vector<v1::Arg> validator_update_args(const std::function<std::string(int)>& seed, int n = 4) {
  std::vector<v1::Arg> args;
  for (int i = 0; i < n; ++i) {
    const std::string p = "validator." + std::to_string(i) + ".";
    args.push_back(key_arg(p + "key", seed(i)));
    args.push_back(integer(p + "power", 1));
  }
  return args;
}

inline ValidatorSet four_validators() {
  v1::ValidatorSet set;
  for (size_t i = 0; i < 4; ++i) {
    v1::Validator* v = set.add_validators();
    v->set_public_key(to_string(validator_key(i).public_key().bytes()));
    v->set_power(1);
  }
  return ValidatorSet::create(std::move(set)).value();
}

// One validator's node in-process, without consensus: the contracts' genesis (the institutions of
// contracts_test_support.h's Chain, so its txs apply), the state tree and the block store in one
// key-value store, as the node keeps them; 4 test validators certify. `next` assembles, checks and
// commits the next block with a real certificate of 3 of the 4.
class LocalChain {
 public:
  // A genesis that puts `rules_version` in force from height 1 (contracts/rules.h).
  explicit LocalChain(uint32_t rules_version = kGenesisRulesVersion) : set_(four_validators()) {
    config_.chain_id = std::string(kChainId);
    auto genesis = genesis_registry_writes(test_institutions());
    JOET_ASSERT(genesis.ok());
    auto rules = genesis_rules_writes(rules_version);
    JOET_ASSERT(rules.ok());
    for (const auto& [key, value] : rules->ops()) {
      JOET_ASSERT(value.has_value());
      genesis->put(key, *value);
    }
    genesis_ = *genesis;  // before the tree's nodes join the batch
    auto root = commit_state(kv_, *genesis, SparseMerkleTree::empty_root());
    JOET_ASSERT(root.ok());
    inzicht::initial_index_writes(*genesis);
    JOET_ASSERT(kv_.write(*genesis, true).ok());
    state_root_ = *root;
    blocks_ = std::move(BlockStore::open(kv_, "test").value());
  }

  BlockContext context() const {
    BlockContext c;
    c.chain_id = std::string(kChainId);
    c.height = blocks_->tip().height + 1;
    c.prev_block_hash = blocks_->tip().block_hash;
    c.prev_time_ms = prev_time_ms_;
    c.prev_state_root = state_root_;
    c.history_root = blocks_->history_root();
    c.validators = &set_;
    return c;
  }

  BlockInputs inputs(int64_t time_ms, std::vector<v1::SignedTx> txs) const {
    BlockInputs in;
    in.time_ms = time_ms;
    in.proposer = static_cast<uint32_t>(blocks_->tip().height % 4);
    in.txs = std::move(txs);
    if (blocks_->tip().height > 0) in.last_commit = last_commit_;
    return in;
  }

  AssembledBlock assemble(int64_t time_ms, std::vector<v1::SignedTx> txs = {}) {
    auto out = assemble_block(kv_, config_, context(), inputs(time_ms, std::move(txs)), verifier_);
    JOET_ASSERT(out.ok());
    return std::move(out).value();
  }

  BlockVerdict check(const v1::Block& block) {
    auto verdict = check_block(kv_, config_, context(), block, verifier_);
    JOET_ASSERT(verdict.ok());
    return std::move(verdict).value();
  }

  // The secret key of a validator of this height's set: seeds "validator-<i>" and "new-validator-<i>"
  // (i < 8), the keys tests put in genesis and in validator.update.
  static PrivateKey key_of(const v1::Validator& v) { return test_key_of(v); }

  // A certificate of the smallest quorum of this height's validators (the first ones) for a block.
  v1::CommitCertificate certify(const AssembledBlock& b) const {
    return certify_by(set_, b.header.height(), block_hash(b.block));
  }

  // Commits a checked block with its certificate.
  // The dashboard index (node/inzicht/dashboard_index.h) goes in the same batch, as the node keeps it.
  void commit(const AssembledBlock& b, const v1::CommitCertificate& cert) {
    ASSERT_TRUE(verify_commit_certificate(cert, set_, kChainId, b.header.height()).ok());
    WriteBatch writes = b.state_changes;
    std::vector<v1::SignedTx> txs;
    for (const std::string& tx : b.block.txs()) txs.push_back(decode_signed_tx(as_bytes(tx)).value());
    ASSERT_TRUE(inzicht::index_block(kv_, inzicht::CommittedBlock{b.header.height(), static_cast<int64_t>(b.header.time_ms()),
                                                                  txs, &b.execution},
                                     writes)
                    .ok());
    ASSERT_TRUE(blocks_->commit(b.block, cert, writes).ok());
    last_commit_ = cert;
    state_root_ = hash32_from_bytes(as_bytes(b.header.state_root())).value();
    prev_time_ms_ = static_cast<int64_t>(b.header.time_ms());
    // A validator.update two blocks ago puts its set in force from the next height.
    auto next = pending_validator_set(kv_, b.header.height() + 1).value();
    if (next.has_value()) set_ = ValidatorSet::create(std::move(*next)).value();
  }

  // Assembles, checks as another validator would, and commits.
  AssembledBlock next(int64_t time_ms, std::vector<v1::SignedTx> txs = {}) {
    AssembledBlock b = assemble(time_ms, std::move(txs));
    BlockVerdict verdict = check(b.block);
    EXPECT_TRUE(verdict.valid.has_value()) << (verdict.refused ? verdict.refused->message : "");
    commit(b, certify(b));
    return b;
  }

  MemoryKvStore kv_;
  WriteBatch genesis_;  // the contracts' genesis writes (registry), without tree nodes
  ExecutorConfig config_;
  ValidatorSet set_;
  BatchVerifier verifier_{2};
  std::unique_ptr<BlockStore> blocks_;
  Hash32 state_root_{};
  int64_t prev_time_ms_ = 0;
  v1::CommitCertificate last_commit_;
};

}  // namespace joet::testing
