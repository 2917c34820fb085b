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
#include "ledger/merkle.h"
#include "ledger/tx_result.h"
#include "node/state_root.h"
#include "node/testing/local_chain.h"

namespace joet {
namespace {

using namespace joet::testing;  // NOLINT

const std::vector<std::string_view> kFive = {kCourt, kRvdk, kMunicipality, kGi, kOtherGi};

TEST(BlockAssembly, AnAssembledBlockPassesTheCheckAndCommitsWithTheExecutionsRoots) {
  LocalChain node;
  Chain txs;  // signs with the institutions' test keys and counts nonces
  AssembledBlock b1 = node.next(utc_ms(2026, 3, 10, 9), {open_case_tx(txs, "case-001"), open_case_tx(txs, "case-002")});
  EXPECT_EQ(b1.header.height(), 1u);
  EXPECT_EQ(b1.header.rules_version(), 1u);
  EXPECT_EQ(b1.execution.results.size(), 2u);
  EXPECT_TRUE(b1.execution.results[0].ok && b1.execution.results[1].ok);
  EXPECT_EQ(b1.execution.events.size(), 4u);  // CASE_OPENED to the RvdK and the municipality, twice
  EXPECT_NE(b1.header.state_root(), to_string(SparseMerkleTree::empty_root()));
  // The same txs on the contracts' own executor give the same roots: nothing is added on the way.
  Chain reference;
  auto ref = reference.run(utc_ms(2026, 3, 10, 9), {open_case_tx(reference, "case-001"), open_case_tx(reference, "case-002")});
  std::vector<Hash32> leaves;
  for (const auto& e : ref.events) leaves.push_back(leaf_hash(encode(e)));
  EXPECT_EQ(b1.header.events_root(), to_string(merkle_root(leaves)));

  AssembledBlock b2 = node.next(utc_ms(2026, 3, 10, 10), {open_case_tx(txs, "case-001")});  // a duplicate: refused
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
  LocalChain a, b;
  Chain txs;
  for (int i = 0; i < 3; ++i) {
    const int64_t t = utc_ms(2026, 3, 10, 9 + i);
    const v1::SignedTx tx = open_case_tx(txs, "case-" + std::to_string(i));
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
  LocalChain node;
  Chain txs;
  node.next(utc_ms(2026, 3, 10, 9), {open_case_tx(txs, "case-001")});
  const AssembledBlock good = node.assemble(utc_ms(2026, 3, 10, 10), {open_case_tx(txs, "case-002")});
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

// From rules version 3 the header commits each tx's result: "OK" or the refusal code and message,
// with the tx's id, in block order (decision 0017).
TEST(BlockAssembly, UnderRulesVersionThreeTheHeaderCommitsEveryResult) {
  LocalChain node(3);
  Chain txs;
  const v1::SignedTx first = open_case_tx(txs, "case-001");
  const v1::SignedTx again = open_case_tx(txs, "case-001");  // a duplicate: refused
  AssembledBlock b = node.next(utc_ms(2026, 3, 10, 9), {first, again});
  ASSERT_EQ(b.header.rules_version(), 3u);
  ASSERT_EQ(b.execution.results.at(1).code, "DUPLICATE");
  const std::vector<v1::TxResultLeaf> want = {
      tx_result_leaf(tx_id(first), "OK", ""),
      tx_result_leaf(tx_id(again), "DUPLICATE", b.execution.results[1].message)};
  EXPECT_FALSE(b.execution.results[1].message.empty());
  EXPECT_EQ(b.header.results_root(), to_string(results_root(want)));
  // Any other message, code or order is another root.
  for (auto tamper : std::vector<std::function<void(std::vector<v1::TxResultLeaf>&)>>{
           [](auto& l) { l[1].set_message(l[1].message() + "."); },
           [](auto& l) { l[1].set_code("BAD_FIELD"); },
           [](auto& l) { std::swap(l[0], l[1]); },
           [](auto& l) { l[0].set_tx_id(l[1].tx_id()); }}) {
    std::vector<v1::TxResultLeaf> other = want;
    tamper(other);
    EXPECT_NE(b.header.results_root(), to_string(results_root(other)));
  }
  // A block without txs commits the empty tree's root, not nothing.
  AssembledBlock empty = node.next(utc_ms(2026, 3, 10, 10));
  EXPECT_EQ(empty.header.results_root(), to_string(merkle_root({})));
}

TEST(BlockAssembly, AResultsRootIsRefusedWhenWrongAndWhenTheVersionCommitsNone) {
  LocalChain v3(3);
  Chain txs;
  const AssembledBlock good = v3.assemble(utc_ms(2026, 3, 10, 9), {open_case_tx(txs, "case-001")});
  ASSERT_TRUE(v3.check(good.block).valid.has_value());
  v1::BlockHeader h = good.header;
  h.set_results_root(to_string(results_root({})));
  v1::Block bad = good.block;
  bad.set_header(to_string(encode(h)));
  EXPECT_EQ(v3.check(bad).refused->fault, BlockFault::kWrongResultsRoot);
  h.clear_results_root();
  bad.set_header(to_string(encode(h)));
  EXPECT_EQ(v3.check(bad).refused->fault, BlockFault::kWrongResultsRoot);

  // Versions 1 and 2 commit no results: their headers keep their bytes, and one with a root is refused.
  for (uint32_t version : {1u, 2u}) {
    LocalChain old(version);
    Chain old_txs;
    const AssembledBlock b = old.assemble(utc_ms(2026, 3, 10, 9), {open_case_tx(old_txs, "case-001")});
    EXPECT_TRUE(b.header.results_root().empty()) << version;
    v1::BlockHeader with = b.header;
    with.set_results_root(to_string(results_root({})));
    v1::Block smuggled = b.block;
    smuggled.set_header(to_string(encode(with)));
    const BlockVerdict verdict = old.check(smuggled);
    ASSERT_TRUE(verdict.refused.has_value()) << version;
    EXPECT_EQ(verdict.refused->fault, BlockFault::kWrongResultsRoot) << version;
  }
}

TEST(BlockAssembly, ATxOrCertificateSwappedUnderTheHeaderIsRefused) {
  LocalChain node;
  Chain txs;
  node.next(utc_ms(2026, 3, 10, 9), {open_case_tx(txs, "case-001")});
  const AssembledBlock good = node.assemble(utc_ms(2026, 3, 10, 10), {open_case_tx(txs, "case-002")});
  v1::Block other_tx = good.block;
  other_tx.set_txs(0, to_string(encode(open_case_tx(txs, "case-003"))));
  EXPECT_EQ(node.check(other_tx).refused->fault, BlockFault::kWrongTxRoot);
  v1::Block garbage_tx = good.block;
  garbage_tx.set_txs(0, "\xff\xff");
  EXPECT_EQ(node.check(garbage_tx).refused->fault, BlockFault::kMalformed);
  v1::Block smuggled = good.block;
  smuggled.add_evidence();  // evidence the header's evidence_root does not cover
  EXPECT_EQ(node.check(smuggled).refused->fault, BlockFault::kWrongEvidenceRoot);
  v1::Block no_commit = good.block;
  no_commit.clear_last_commit();
  EXPECT_EQ(node.check(no_commit).refused->fault, BlockFault::kWrongLastCommit);
  v1::Block garbage_header = good.block;
  garbage_header.set_header("\x01");
  EXPECT_EQ(node.check(garbage_header).refused->fault, BlockFault::kMalformed);
}

TEST(BlockAssembly, TheHeaderBindsEveryPartOfTheBodyAndNothingElse) {
  LocalChain node;
  Chain txs;
  node.next(utc_ms(2026, 3, 10, 9), {open_case_tx(txs, "case-001")});
  const AssembledBlock good = node.assemble(utc_ms(2026, 3, 10, 10), {open_case_tx(txs, "case-002")});
  const v1::BlockHeader& header = good.header;
  EXPECT_TRUE(header_binds_body(good.block, header));
  v1::Block no_tx = good.block;
  no_tx.clear_txs();
  EXPECT_FALSE(header_binds_body(no_tx, header));
  v1::Block extra_tx = good.block;
  extra_tx.add_txs(to_string(encode(open_case_tx(txs, "case-003"))));
  EXPECT_FALSE(header_binds_body(extra_tx, header));
  v1::Block smuggled = good.block;
  smuggled.add_proposal_evidence();
  EXPECT_FALSE(header_binds_body(smuggled, header));
  v1::Block no_commit = good.block;
  no_commit.clear_last_commit();
  EXPECT_FALSE(header_binds_body(no_commit, header));
  v1::BlockHeader claims_commit = header;  // block 1 style: no certificate, yet the header names one
  v1::Block first = no_commit;
  EXPECT_FALSE(header_binds_body(first, claims_commit));
  claims_commit.clear_last_commit_hash();
  EXPECT_TRUE(header_binds_body(first, claims_commit));
}

TEST(BlockAssembly, TheHeaderCarriesTheRulesVersionGovernanceScheduled) {
  LocalChain node;
  node.config_.rules = built_in_rules().first(1);  // a build that has only version 1
  Chain txs;
  node.next(utc_ms(2026, 3, 10, 9),
            {txs.multi_tx(kFive, "rules.schedule", {integer("version", 2), integer("from_height", 3)})});
  // That build stops at height 3: assembling or checking it, it does not guess.
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
  LocalChain node;
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
  EXPECT_NE(b2.header.next_validator_set_hash(), to_string(four_validators().hash()));
  // Height 3 is certified by the new set, and the chain goes on.
  EXPECT_EQ(node.set_.hash(), tagged_hash(tags::kValidatorSet, encode(*pending)));
  AssembledBlock b3 = node.next(utc_ms(2026, 3, 10, 11));
  EXPECT_EQ(b3.header.validator_set_hash(), to_string(node.set_.hash()));
}

TEST(BlockAssembly, BadInputsToTheProposerAreTypedErrors) {
  LocalChain node;
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
