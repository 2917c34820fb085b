#include "node/block_assembly.h"

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
#include "node/state_root.h"

namespace joet {
namespace {

using namespace joet::testing;  // NOLINT

const std::vector<std::string_view> kFive = {kCourt, kRvdk, kMunicipality, kGi, kOtherGi};

PrivateKey validator_key(size_t i) { return PrivateKey::from_test_seed("validator-" + std::to_string(i)); }

ValidatorSet four_validators() {
  v1::ValidatorSet set;
  for (size_t i = 0; i < 4; ++i) {
    v1::Validator* v = set.add_validators();
    v->set_public_key(to_string(validator_key(i).public_key().bytes()));
    v->set_power(1);
  }
  return ValidatorSet::create(std::move(set)).value();
}

// One validator's node in-process: the contracts' genesis, the state tree and the block store in one
// key-value store, as the node keeps them. `txs` come from the contracts' test Chain (its keys and
// nonces); `next` assembles, checks and commits the next block with a real certificate.
class Node {
 public:
  Node() : set_(four_validators()) {
    config_.chain_id = std::string(kChainId);
    auto genesis = genesis_registry_writes(std::vector<GenesisInstitution>{
        {std::string(kCourt), cv1::COURT, {Chain::key(kCourt).public_key()}},
        {std::string(kRvdk), cv1::RVDK, {Chain::key(kRvdk).public_key()}},
        {std::string(kMunicipality), cv1::MUNICIPALITY, {Chain::key(kMunicipality).public_key()}},
        {std::string(kGi), cv1::GI, {Chain::key(kGi).public_key()}},
        {std::string(kOtherGi), cv1::GI, {Chain::key(kOtherGi).public_key()}},
        {std::string(kAuditor), cv1::AUDITOR, {Chain::key(kAuditor).public_key()}},
    });
    JOET_ASSERT(genesis.ok());
    auto root = commit_state(kv_, *genesis, SparseMerkleTree::empty_root());
    JOET_ASSERT(root.ok());
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

  // A certificate of 3 of the 4 validators for a block.
  v1::CommitCertificate certify(const AssembledBlock& b) const {
    v1::VoteBody vote;
    vote.set_chain_id(std::string(kChainId));
    vote.set_type(v1::PRECOMMIT);
    vote.set_height(b.header.height());
    vote.set_block_hash(to_string(block_hash(b.block)));
    std::vector<v1::SignedVote> precommits;
    for (uint32_t i = 0; i < 3; ++i) {
      v1::SignedVote sv;
      sv.set_body(to_string(encode(vote)));
      sv.set_validator_index(i);
      sv.set_signature(to_string(sign_body(validator_key(i), tags::kVote, encode(vote))));
      precommits.push_back(std::move(sv));
    }
    return build_commit_certificate(set_, precommits).value();
  }

  // Commits a checked block with its certificate.
  void commit(const AssembledBlock& b, const v1::CommitCertificate& cert) {
    ASSERT_TRUE(verify_commit_certificate(cert, set_, kChainId, b.header.height()).ok());
    ASSERT_TRUE(blocks_->commit(b.block, cert, b.state_changes).ok());
    last_commit_ = cert;
    state_root_ = hash32_from_bytes(as_bytes(b.header.state_root())).value();
    prev_time_ms_ = static_cast<int64_t>(b.header.time_ms());
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
  ExecutorConfig config_;
  ValidatorSet set_;
  BatchVerifier verifier_{2};
  std::unique_ptr<BlockStore> blocks_;
  Hash32 state_root_{};
  int64_t prev_time_ms_ = 0;
  v1::CommitCertificate last_commit_;
};

v1::SignedTx open_case(Chain& signer, std::string id) {
  return signer.tx(kRvdk, "case.open",
                   {text("case", id), text("majority_date", "2035-01-01"), text("municipality", std::string(kMunicipality))});
}

TEST(BlockAssembly, AnAssembledBlockPassesTheCheckAndCommitsWithTheExecutionsRoots) {
  Node node;
  Chain txs;  // signs with the institutions' test keys and counts nonces
  AssembledBlock b1 = node.next(utc_ms(2026, 3, 10, 9), {open_case(txs, "case-001"), open_case(txs, "case-002")});
  EXPECT_EQ(b1.header.height(), 1u);
  EXPECT_EQ(b1.header.rules_version(), 1u);
  EXPECT_EQ(b1.execution.results.size(), 2u);
  EXPECT_TRUE(b1.execution.results[0].ok && b1.execution.results[1].ok);
  EXPECT_EQ(b1.execution.events.size(), 4u);  // CASE_OPENED to the RvdK and the municipality, twice
  EXPECT_NE(b1.header.state_root(), to_string(SparseMerkleTree::empty_root()));
  // The same txs on the contracts' own executor give the same roots: nothing is added on the way.
  Chain reference;
  auto ref = reference.run(utc_ms(2026, 3, 10, 9), {open_case(reference, "case-001"), open_case(reference, "case-002")});
  std::vector<Hash32> leaves;
  for (const auto& e : ref.events) leaves.push_back(leaf_hash(encode(e)));
  EXPECT_EQ(b1.header.events_root(), to_string(merkle_root(leaves)));

  AssembledBlock b2 = node.next(utc_ms(2026, 3, 10, 10), {open_case(txs, "case-001")});  // a duplicate: refused
  EXPECT_EQ(b2.execution.results.at(0).code, "DUPLICATE");
  EXPECT_EQ(b2.header.prev_block_hash(), to_string(block_hash(b1.block)));
  EXPECT_EQ(b2.header.last_commit_hash(), to_string(last_commit_hash(b2.block.last_commit())));
  EXPECT_EQ(node.blocks_->tip().height, 2u);
  // The committed state is what the next block executes on.
  ContractState state(node.kv_);
  EXPECT_TRUE(state.get<cv1::Case>(state_keys::case_record("case-002")).value().has_value());
}

// Two validators with the same certified history derive the same block from the same inputs, byte for
// byte, and each accepts the other's.
TEST(BlockAssembly, AssemblyIsDeterministic) {
  Node a, b;
  Chain txs;
  for (int i = 0; i < 3; ++i) {
    const int64_t t = utc_ms(2026, 3, 10, 9 + i);
    const v1::SignedTx tx = open_case(txs, "case-" + std::to_string(i));
    AssembledBlock x = a.assemble(t, {tx});
    AssembledBlock y = b.assemble(t, {tx});
    EXPECT_EQ(x.block.header(), y.block.header()) << "height " << i + 1;
    BlockVerdict verdict = b.check(x.block);
    ASSERT_TRUE(verdict.valid.has_value()) << verdict.refused->message;
    const v1::CommitCertificate cert = a.certify(x);  // one certificate, as consensus gives both
    a.commit(x, cert);
    b.commit(*verdict.valid, cert);
  }
  EXPECT_EQ(a.blocks_->tip().block_hash, b.blocks_->tip().block_hash);
}

// Every derived field, changed in the header (and nothing else), is named by the refusal.
TEST(BlockAssembly, EachWrongHeaderFieldIsRefusedWithItsFault) {
  Node node;
  Chain txs;
  node.next(utc_ms(2026, 3, 10, 9), {open_case(txs, "case-001")});
  const AssembledBlock good = node.assemble(utc_ms(2026, 3, 10, 10), {open_case(txs, "case-002")});
  ASSERT_TRUE(node.check(good.block).valid.has_value());
  struct Case {
    BlockFault fault;
    std::function<void(v1::BlockHeader&)> tamper;
  };
  const std::vector<Case> cases = {
      {BlockFault::kWrongChain, [](v1::BlockHeader& h) { h.set_chain_id("other"); }},
      {BlockFault::kWrongHeight, [](v1::BlockHeader& h) { h.set_height(3); }},
      {BlockFault::kWrongPrevBlock, [](v1::BlockHeader& h) { h.set_prev_block_hash(std::string(32, 'x')); }},
      {BlockFault::kTimeNotIncreasing, [](v1::BlockHeader& h) { h.set_time_ms(utc_ms(2026, 3, 10, 9)); }},
      {BlockFault::kWrongHistoryRoot, [](v1::BlockHeader& h) { h.set_history_root(std::string(32, 'x')); }},
      {BlockFault::kWrongValidatorSet, [](v1::BlockHeader& h) { h.set_validator_set_hash(std::string(32, 'x')); }},
      {BlockFault::kBadProposer, [](v1::BlockHeader& h) { h.set_proposer(4); }},
      {BlockFault::kWrongLastCommit, [](v1::BlockHeader& h) { h.set_last_commit_hash(std::string(32, 'x')); }},
      {BlockFault::kWrongRulesVersion, [](v1::BlockHeader& h) { h.set_rules_version(2); }},
      {BlockFault::kWrongTxRoot, [](v1::BlockHeader& h) { h.set_tx_root(std::string(32, 'x')); }},
      {BlockFault::kWrongStateRoot, [](v1::BlockHeader& h) { h.set_state_root(std::string(32, 'x')); }},
      {BlockFault::kWrongEventsRoot, [](v1::BlockHeader& h) { h.set_events_root(std::string(32, 'x')); }},
      {BlockFault::kWrongNextValidatorSet,
       [](v1::BlockHeader& h) { h.set_next_validator_set_hash(std::string(32, 'x')); }},
  };
  for (const Case& c : cases) {
    v1::BlockHeader h = good.header;
    c.tamper(h);
    v1::Block bad = good.block;
    bad.set_header(to_string(encode(h)));
    const BlockVerdict verdict = node.check(bad);
    ASSERT_TRUE(verdict.refused.has_value()) << block_fault_name(c.fault);
    EXPECT_EQ(verdict.refused->fault, c.fault) << block_fault_name(c.fault) << ": " << verdict.refused->message;
    EXPECT_FALSE(verdict.valid.has_value());
  }
}

TEST(BlockAssembly, ATxOrCertificateSwappedUnderTheHeaderIsRefused) {
  Node node;
  Chain txs;
  node.next(utc_ms(2026, 3, 10, 9), {open_case(txs, "case-001")});
  const AssembledBlock good = node.assemble(utc_ms(2026, 3, 10, 10), {open_case(txs, "case-002")});
  v1::Block other_tx = good.block;
  other_tx.set_txs(0, to_string(encode(open_case(txs, "case-003"))));
  EXPECT_EQ(node.check(other_tx).refused->fault, BlockFault::kWrongTxRoot);
  v1::Block garbage_tx = good.block;
  garbage_tx.set_txs(0, "\xff\xff");
  EXPECT_EQ(node.check(garbage_tx).refused->fault, BlockFault::kMalformed);
  v1::Block no_commit = good.block;
  no_commit.clear_last_commit();
  EXPECT_EQ(node.check(no_commit).refused->fault, BlockFault::kWrongLastCommit);
  v1::Block garbage_header = good.block;
  garbage_header.set_header("\x01");
  EXPECT_EQ(node.check(garbage_header).refused->fault, BlockFault::kMalformed);
}

TEST(BlockAssembly, TheHeaderCarriesTheRulesVersionGovernanceScheduled) {
  Node node;
  Chain txs;
  node.next(utc_ms(2026, 3, 10, 9),
            {txs.multi_tx(kFive, "rules.schedule", {integer("version", 2), integer("from_height", 3)})});
  // This build has only version 1: assembling or checking height 3 stops, it does not guess.
  node.next(utc_ms(2026, 3, 10, 10));
  auto stopped = assemble_block(node.kv_, node.config_, node.context(), node.inputs(utc_ms(2026, 3, 10, 11), {}),
                                node.verifier_);
  ASSERT_FALSE(stopped.ok());
  EXPECT_EQ(stopped.error().code, ErrorCode::kUnsupported);
  // A build that has version 2 runs it, and a header claiming version 1 at height 3 is refused.
  static constexpr Statute kTwoVersions[] = {Statute{.version = 1}, Statute{.version = 2, .ots_max_months = 6}};
  node.config_.rules = kTwoVersions;
  AssembledBlock b3 = node.assemble(utc_ms(2026, 3, 10, 11));
  EXPECT_EQ(b3.header.rules_version(), 2u);
  v1::BlockHeader old = b3.header;
  old.set_rules_version(1);
  v1::Block bad = b3.block;
  bad.set_header(to_string(encode(old)));
  EXPECT_EQ(node.check(bad).refused->fault, BlockFault::kWrongRulesVersion);
}

TEST(BlockAssembly, AValidatorUpdateShowsInTheNextValidatorSetHashOfTheFollowingHeader) {
  Node node;
  Chain txs;
  std::vector<v1::Arg> args;
  for (int i = 0; i < 4; ++i) {
    const std::string p = "validator." + std::to_string(i) + ".";
    args.push_back(key_arg(p + "key", "new-validator-" + std::to_string(i)));
    args.push_back(integer(p + "power", 1));
  }
  AssembledBlock b1 = node.next(utc_ms(2026, 3, 10, 9), {txs.multi_tx(kFive, "validator.update", args)});
  ASSERT_TRUE(b1.execution.results.at(0).ok);
  EXPECT_EQ(b1.header.next_validator_set_hash(), to_string(node.set_.hash()));  // height 2: unchanged
  AssembledBlock b2 = node.next(utc_ms(2026, 3, 10, 10));
  const auto pending = pending_validator_set(node.kv_, 3).value();
  ASSERT_TRUE(pending.has_value());
  EXPECT_EQ(b2.header.next_validator_set_hash(), to_string(tagged_hash(tags::kValidatorSet, encode(*pending))));
  EXPECT_NE(b2.header.next_validator_set_hash(), to_string(node.set_.hash()));
}

TEST(BlockAssembly, BadInputsToTheProposerAreTypedErrors) {
  Node node;
  BlockInputs late = node.inputs(0, {});
  auto no_time = assemble_block(node.kv_, node.config_, node.context(), late, node.verifier_);
  ASSERT_FALSE(no_time.ok());
  EXPECT_EQ(no_time.error().code, ErrorCode::kInvalidArgument);
  BlockInputs bad_proposer = node.inputs(utc_ms(2026, 3, 10, 9), {});
  bad_proposer.proposer = 4;
  EXPECT_EQ(assemble_block(node.kv_, node.config_, node.context(), bad_proposer, node.verifier_).error().code,
            ErrorCode::kInvalidArgument);
  BlockInputs commit_at_one = node.inputs(utc_ms(2026, 3, 10, 9), {});
  commit_at_one.last_commit = v1::CommitCertificate();
  EXPECT_EQ(assemble_block(node.kv_, node.config_, node.context(), commit_at_one, node.verifier_).error().code,
            ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace joet
