#include "node/block_assembly.h"

#include <utility>

#include "contracts/rules.h"
#include "contracts/validators.h"
#include "ledger/block.h"
#include "ledger/codec.h"
#include "ledger/hash.h"
#include "ledger/merkle.h"
#include "ledger/tx_result.h"
#include "node/state_root.h"
#include "node/tx_signatures.h"

namespace joet {
namespace {

// The hash of the set that certifies height + 1: a validator.update's set when it takes effect then.
Result<Hash32> next_validator_set_hash(const KvStore& state, const BlockContext& context) {
  auto pending = pending_validator_set(state, context.height + 1);
  if (!pending.ok()) return pending.error();
  if (!pending->has_value()) return context.validators->hash();
  auto set = ValidatorSet::create(std::move(**pending));
  if (!set.ok()) return make_error(ErrorCode::kCorruption, "pending validator set: " + set.error().message);
  return set->hash();
}

// Executes `txs` on `state` and fills the derived fields of `header` (whose context fields, time and
// proposer are set). `tx_leaves` are the serialized SignedTx, as the block carries them; `verdicts`
// the txs' signature verdicts (verify_tx_signatures).
Result<AssembledBlock> execute(const KvStore& state, const ExecutorConfig& config, const BlockContext& context,
                               v1::BlockHeader header, std::span<const v1::SignedTx> txs,
                               std::span<const std::string> tx_bytes, std::span<const uint8_t> verdicts) {
  JOET_ASSERT(verdicts.size() == txs.size());
  auto execution =
      execute_block(state, config, static_cast<int64_t>(header.time_ms()), header.height(), txs, verdicts);
  if (!execution.ok()) return execution.error();
  AssembledBlock out;
  out.state_changes = execution->writes;
  auto state_root = commit_state(state, out.state_changes, context.prev_state_root);
  if (!state_root.ok()) return state_root.error();
  auto next_set = next_validator_set_hash(state, context);
  if (!next_set.ok()) return next_set.error();
  std::vector<Hash32> leaves;
  leaves.reserve(tx_bytes.size());
  for (const std::string& tx : tx_bytes) leaves.push_back(leaf_hash(as_bytes(tx)));
  header.set_tx_root(to_string(merkle_root(leaves)));
  leaves.clear();
  for (const cv1::Event& e : execution->events) leaves.push_back(leaf_hash(encode(e)));
  header.set_events_root(to_string(merkle_root(leaves)));
  const Statute* statute = find_rules(config.rules, execution->rules_version);
  JOET_ASSERT(statute != nullptr);  // the executor ran the block under it
  if (statute->commits_results) {
    header.set_results_root(to_string(results_root(result_leaves(txs, execution->results))));
  }
  header.set_state_root(to_string(*state_root));
  header.set_rules_version(execution->rules_version);
  header.set_next_validator_set_hash(to_string(*next_set));
  out.header = std::move(header);
  out.execution = std::move(execution).value();
  return out;
}

// The fields the context fixes.
v1::BlockHeader context_header(const BlockContext& context) {
  v1::BlockHeader h;
  h.set_chain_id(context.chain_id);
  h.set_height(context.height);
  if (context.height > 1) h.set_prev_block_hash(to_string(context.prev_block_hash));
  h.set_history_root(to_string(context.history_root));
  h.set_validator_set_hash(to_string(context.validators->hash()));
  return h;
}

BlockRefusal refusal(BlockFault fault, std::string message) { return BlockRefusal{fault, std::move(message)}; }

// The checks that need no execution, in header order.
std::optional<BlockRefusal> check_context_fields(const BlockContext& context, const v1::BlockHeader& h,
                                                 const v1::Block& block) {
  const v1::BlockHeader want = context_header(context);
  if (h.chain_id() != want.chain_id()) return refusal(BlockFault::kWrongChain, "chain_id " + h.chain_id());
  if (h.height() != want.height()) {
    return refusal(BlockFault::kWrongHeight, "height " + std::to_string(h.height()) + ", expected " +
                                                 std::to_string(want.height()));
  }
  if (h.prev_block_hash() != want.prev_block_hash()) {
    return refusal(BlockFault::kWrongPrevBlock, "prev_block_hash is not the hash of block " +
                                                    std::to_string(context.height - 1));
  }
  if (static_cast<int64_t>(h.time_ms()) <= context.prev_time_ms) {
    return refusal(BlockFault::kTimeNotIncreasing, "time_ms " + std::to_string(h.time_ms()) +
                                                       " is not after the previous block's");
  }
  if (h.history_root() != want.history_root()) {
    return refusal(BlockFault::kWrongHistoryRoot, "history_root is not the root over blocks 1.." +
                                                      std::to_string(context.height - 1));
  }
  if (h.validator_set_hash() != want.validator_set_hash()) {
    return refusal(BlockFault::kWrongValidatorSet, "validator_set_hash is not this height's set");
  }
  if (h.proposer() >= context.validators->size()) {
    return refusal(BlockFault::kBadProposer, "proposer " + std::to_string(h.proposer()) + " is not in the set");
  }
  if (context.height == 1) {
    if (block.has_last_commit() || !h.last_commit_hash().empty()) {
      return refusal(BlockFault::kWrongLastCommit, "block 1 carries a last commit");
    }
  } else if (!block.has_last_commit()) {
    return refusal(BlockFault::kWrongLastCommit, "no certificate of block " + std::to_string(context.height - 1));
  } else if (h.last_commit_hash() != to_string(last_commit_hash(block.last_commit()))) {
    return refusal(BlockFault::kWrongLastCommit, "last_commit_hash does not match the carried certificate");
  }
  return std::nullopt;
}

}  // namespace

std::string_view block_fault_name(BlockFault fault) {
  switch (fault) {
    case BlockFault::kMalformed: return "MALFORMED";
    case BlockFault::kWrongChain: return "WRONG_CHAIN";
    case BlockFault::kWrongHeight: return "WRONG_HEIGHT";
    case BlockFault::kWrongPrevBlock: return "WRONG_PREV_BLOCK";
    case BlockFault::kTimeNotIncreasing: return "TIME_NOT_INCREASING";
    case BlockFault::kWrongHistoryRoot: return "WRONG_HISTORY_ROOT";
    case BlockFault::kWrongValidatorSet: return "WRONG_VALIDATOR_SET";
    case BlockFault::kWrongNextValidatorSet: return "WRONG_NEXT_VALIDATOR_SET";
    case BlockFault::kBadProposer: return "BAD_PROPOSER";
    case BlockFault::kWrongLastCommit: return "WRONG_LAST_COMMIT";
    case BlockFault::kWrongRulesVersion: return "WRONG_RULES_VERSION";
    case BlockFault::kWrongTxRoot: return "WRONG_TX_ROOT";
    case BlockFault::kWrongEvidenceRoot: return "WRONG_EVIDENCE_ROOT";
    case BlockFault::kWrongStateRoot: return "WRONG_STATE_ROOT";
    case BlockFault::kWrongEventsRoot: return "WRONG_EVENTS_ROOT";
    case BlockFault::kWrongResultsRoot: return "WRONG_RESULTS_ROOT";
  }
  return "UNKNOWN";
}

Hash32 evidence_root(const v1::Block& block) {
  std::vector<Hash32> leaves;
  for (const v1::Evidence& e : block.evidence()) leaves.push_back(leaf_hash(encode(e)));
  for (const v1::ProposalEvidence& e : block.proposal_evidence()) leaves.push_back(leaf_hash(encode(e)));
  return merkle_root(leaves);
}

Hash32 last_commit_hash(const v1::CommitCertificate& commit) { return sha256(encode(commit)); }

std::vector<v1::TxResultLeaf> result_leaves(std::span<const v1::SignedTx> txs, std::span<const TxResult> results) {
  JOET_ASSERT(txs.size() == results.size());
  std::vector<v1::TxResultLeaf> leaves;
  leaves.reserve(txs.size());
  for (size_t i = 0; i < txs.size(); ++i) {
    const TxResult& r = results[i];
    leaves.push_back(tx_result_leaf(tx_id(txs[i]), r.ok ? kResultOk : std::string_view(r.code), r.message));
  }
  return leaves;
}

bool header_binds_body(const v1::Block& block, const v1::BlockHeader& header) {
  std::vector<Hash32> leaves;
  leaves.reserve(static_cast<size_t>(block.txs_size()));
  for (const std::string& tx : block.txs()) leaves.push_back(leaf_hash(as_bytes(tx)));
  if (header.tx_root() != to_string(merkle_root(leaves))) return false;
  if (header.evidence_root() != to_string(evidence_root(block))) return false;
  const std::string commit = block.has_last_commit() ? to_string(last_commit_hash(block.last_commit())) : std::string();
  return header.last_commit_hash() == commit;
}

Result<AssembledBlock> assemble_block(const KvStore& state, const ExecutorConfig& config, const BlockContext& context,
                                      BlockInputs inputs, BatchVerifier& verifier) {
  return assemble_block(state, config, context, std::move(inputs), [&verifier](std::span<const v1::SignedTx> txs) {
    return verify_tx_signatures(verifier, txs);
  });
}

Result<AssembledBlock> assemble_block(const KvStore& state, const ExecutorConfig& config, const BlockContext& context,
                                      BlockInputs inputs, const TxSignatureVerdicts& signature_verdicts) {
  JOET_ASSERT(context.validators != nullptr && context.height >= 1);
  if (inputs.time_ms <= context.prev_time_ms) {
    return make_error(ErrorCode::kInvalidArgument, "block time is not after the previous block's");
  }
  if (inputs.proposer >= context.validators->size()) {
    return make_error(ErrorCode::kInvalidArgument, "proposer is not an index of the validator set");
  }
  if (inputs.last_commit.has_value() != (context.height > 1)) {
    return make_error(ErrorCode::kInvalidArgument, "a block carries the certificate of its previous height, "
                                                   "and block 1 none");
  }
  v1::BlockHeader header = context_header(context);
  header.set_time_ms(static_cast<uint64_t>(inputs.time_ms));
  header.set_proposer(inputs.proposer);
  if (inputs.last_commit) header.set_last_commit_hash(to_string(last_commit_hash(*inputs.last_commit)));
  v1::Block block;
  for (v1::Evidence& e : inputs.evidence) *block.add_evidence() = std::move(e);
  for (v1::ProposalEvidence& e : inputs.proposal_evidence) *block.add_proposal_evidence() = std::move(e);
  header.set_evidence_root(to_string(evidence_root(block)));
  std::vector<std::string> tx_bytes;
  tx_bytes.reserve(inputs.txs.size());
  for (const v1::SignedTx& tx : inputs.txs) tx_bytes.push_back(to_string(encode(tx)));
  const std::vector<uint8_t> verdicts = signature_verdicts(inputs.txs);
  JOET_ASSERT(verdicts.size() == inputs.txs.size());
  auto out = execute(state, config, context, std::move(header), inputs.txs, tx_bytes, verdicts);
  if (!out.ok()) return out.error();
  out->block = std::move(block);
  out->block.set_header(to_string(encode(out->header)));
  for (std::string& tx : tx_bytes) out->block.add_txs(std::move(tx));
  if (inputs.last_commit) *out->block.mutable_last_commit() = std::move(*inputs.last_commit);
  return out;
}

Result<BlockVerdict> check_block(const KvStore& state, const ExecutorConfig& config, const BlockContext& context,
                                 const v1::Block& block, BatchVerifier& verifier) {
  return check_block(state, config, context, block, [&verifier](std::span<const v1::SignedTx> txs) {
    return verify_tx_signatures(verifier, txs);
  });
}

Result<BlockVerdict> check_block(const KvStore& state, const ExecutorConfig& config, const BlockContext& context,
                                 const v1::Block& block, const TxSignatureVerdicts& signature_verdicts) {
  JOET_ASSERT(context.validators != nullptr && context.height >= 1);
  BlockVerdict verdict;
  auto header = decode_block_header(as_bytes(block.header()));
  if (!header.ok()) {
    verdict.refused = refusal(BlockFault::kMalformed, "header: " + header.error().message);
    return verdict;
  }
  if (auto refused = check_context_fields(context, *header, block)) {
    verdict.refused = std::move(refused);
    return verdict;
  }
  std::vector<v1::SignedTx> txs;
  txs.reserve(static_cast<size_t>(block.txs_size()));
  for (int i = 0; i < block.txs_size(); ++i) {
    auto tx = decode_signed_tx(as_bytes(block.txs(i)));
    if (!tx.ok()) {
      verdict.refused = refusal(BlockFault::kMalformed, "tx " + std::to_string(i) + ": " + tx.error().message);
      return verdict;
    }
    txs.push_back(std::move(tx).value());
  }
  v1::BlockHeader expected = context_header(context);
  expected.set_time_ms(header->time_ms());
  expected.set_proposer(header->proposer());
  expected.set_last_commit_hash(header->last_commit_hash());
  expected.set_evidence_root(to_string(evidence_root(block)));
  const std::vector<std::string> tx_bytes(block.txs().begin(), block.txs().end());
  const std::vector<uint8_t> verdicts = signature_verdicts(txs);
  JOET_ASSERT(verdicts.size() == txs.size());
  auto out = execute(state, config, context, std::move(expected), txs, tx_bytes, verdicts);
  if (!out.ok()) return out.error();
  const v1::BlockHeader& want = out->header;
  if (header->rules_version() != want.rules_version()) {
    verdict.refused = refusal(BlockFault::kWrongRulesVersion, "rules_version " + std::to_string(header->rules_version()) +
                                                                  ", in force: " + std::to_string(want.rules_version()));
  } else if (header->tx_root() != want.tx_root()) {
    verdict.refused = refusal(BlockFault::kWrongTxRoot, "tx_root is not the root over the block's txs");
  } else if (header->evidence_root() != want.evidence_root()) {
    verdict.refused = refusal(BlockFault::kWrongEvidenceRoot, "evidence_root is not the root over the block's evidence");
  } else if (header->state_root() != want.state_root()) {
    verdict.refused = refusal(BlockFault::kWrongStateRoot, "state_root differs from the re-execution's");
  } else if (header->events_root() != want.events_root()) {
    verdict.refused = refusal(BlockFault::kWrongEventsRoot, "events_root differs from the re-execution's");
  } else if (header->results_root() != want.results_root()) {
    verdict.refused = refusal(BlockFault::kWrongResultsRoot, want.results_root().empty()
                                                                 ? "results_root in a block of rules version " +
                                                                       std::to_string(want.rules_version()) +
                                                                       ", which commits no results"
                                                                 : "results_root differs from the re-execution's");
  } else if (header->next_validator_set_hash() != want.next_validator_set_hash()) {
    verdict.refused = refusal(BlockFault::kWrongNextValidatorSet, "next_validator_set_hash is not the set of height " +
                                                                      std::to_string(context.height + 1));
  } else if (to_string(encode(want)) != block.header()) {
    verdict.refused = refusal(BlockFault::kMalformed, "the header is not the canonical encoding of its fields");
  }
  if (verdict.refused) return verdict;
  out->block = block;
  verdict.valid = std::move(out).value();
  return verdict;
}

}  // namespace joet
