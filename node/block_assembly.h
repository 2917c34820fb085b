// A block's header as the state before it determines it: the proposer assembles a block from txs
// (assemble_block), every validator and the auditor re-derive it from the same inputs (check_block).
// Both run the real executor (contracts/executor.h) with signature verdicts from all cores
// (node/tx_signatures.h), commit the state tree (node/state_root.h) and fill or compare every field
// of v1::BlockHeader:
//   chain_id, height, prev_block_hash, history_root, validator_set_hash, last_commit_hash  from the
//                                             chain before the block (BlockContext)
//   time_ms                                   the proposer's, strictly after the previous block's
//   rules_version                             contracts/rules.h: the version in force at the height
//   tx_root                                   RFC 6962 over the serialized SignedTx (decision 0003)
//   evidence_root                             RFC 6962 over the serialized evidence, votes' first, so
//                                             the block hash covers the evidence the block carries
//   state_root, events_root                   the execution's results
//   results_root                              from rules version 3 (Statute::commits_results): RFC 6962
//                                             over the txs' TxResultLeaf (ledger/tx_result.h); else empty
//   next_validator_set_hash                   the set a validator.update put in force at height + 1,
//                                             else this height's set (contracts/validators.h)
//   proposer                                  a validator index of this height's set
// Deterministic: the same context, state and block give the same verdict and the same bytes.
//
// Not checked here: the last_commit certificate's signatures (the caller verifies it against the
// previous height's set: ledger/commit_certificate.h), consensus evidence (consensus/evidence.h), and
// that no tx was committed at an earlier height (the block store's tx index).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "contracts/executor.h"
#include "joet.pb.h"
#include "ledger/batch_verifier.h"
#include "ledger/bytes.h"
#include "ledger/kv_store.h"
#include "ledger/validator_set.h"

namespace joet {

// What the chain before height h fixes for block h.
struct BlockContext {
  std::string chain_id;
  uint64_t height = 1;                 // h
  Hash32 prev_block_hash{};            // zero at h = 1
  int64_t prev_time_ms = 0;            // the previous header's time; 0 at h = 1
  Hash32 prev_state_root{};            // the state root after h - 1 (the genesis root at h = 1)
  Hash32 history_root{};               // RFC 6962 root over the block hashes of 1 .. h - 1
  const ValidatorSet* validators = nullptr;  // the set that certifies h (required)
};

struct BlockInputs {
  int64_t time_ms = 0;
  uint32_t proposer = 0;
  std::vector<v1::SignedTx> txs;
  std::optional<v1::CommitCertificate> last_commit;  // required from h = 2 on
  std::vector<v1::Evidence> evidence;                // checked by the caller (consensus/evidence.h)
  std::vector<v1::ProposalEvidence> proposal_evidence;
};

// A block and what committing it writes: the contracts' writes plus the state tree's nodes, for
// BlockStore::commit. `execution` has the per-tx results and the events.
struct AssembledBlock {
  v1::Block block;
  v1::BlockHeader header;
  WriteBatch state_changes;
  BlockExecution execution;
};

// Why check_block refused a block.
enum class BlockFault : uint8_t {
  kMalformed,              // the header or a tx does not decode
  kWrongChain,
  kWrongHeight,
  kWrongPrevBlock,
  kTimeNotIncreasing,
  kWrongHistoryRoot,
  kWrongValidatorSet,      // validator_set_hash
  kWrongNextValidatorSet,  // next_validator_set_hash
  kBadProposer,            // not an index of the set
  kWrongLastCommit,        // missing, unexpected, or last_commit_hash does not match
  kWrongRulesVersion,
  kWrongTxRoot,
  kWrongEvidenceRoot,
  kWrongStateRoot,
  kWrongEventsRoot,
  kWrongResultsRoot,
};
std::string_view block_fault_name(BlockFault fault);

struct BlockRefusal {
  BlockFault fault;
  std::string message;
};

// The block for `inputs` on top of `context`. Errors: the store failed or holds corrupt state, the
// executor cannot run the height (kUnsupported: a rules version this build lacks), bad inputs
// (kInvalidArgument: time not after the previous block, proposer out of range, last_commit missing
// or unexpected).
Result<AssembledBlock> assemble_block(const KvStore& state, const ExecutorConfig& config, const BlockContext& context,
                                      BlockInputs inputs, BatchVerifier& verifier);

// The txs' signature verdicts for a block's decoded txs: exactly verify_tx_signatures's answer (e.g.
// computed ahead on other threads, or known from the txs' admission to the mempool).
using TxSignatureVerdicts = std::function<std::vector<uint8_t>(std::span<const v1::SignedTx> txs)>;

// The same, with the verdicts from `signature_verdicts` (called once, with inputs.txs).
Result<AssembledBlock> assemble_block(const KvStore& state, const ExecutorConfig& config, const BlockContext& context,
                                      BlockInputs inputs, const TxSignatureVerdicts& signature_verdicts);

// Re-derives `block` from `context` and the state before it. A valid block gives its AssembledBlock
// (commit its state_changes); an invalid one a BlockRefusal naming the first field that differs;
// Errors are as for assemble_block (the node cannot judge the block: stop, never guess).
struct BlockVerdict {
  std::optional<AssembledBlock> valid;
  std::optional<BlockRefusal> refused;
};
Result<BlockVerdict> check_block(const KvStore& state, const ExecutorConfig& config, const BlockContext& context,
                                 const v1::Block& block, BatchVerifier& verifier);

// The same, with the txs' signature verdicts from `signature_verdicts` (called once, with the
// block's decoded txs, only when every tx decodes; joet-audit's pipeline computes them ahead).
Result<BlockVerdict> check_block(const KvStore& state, const ExecutorConfig& config, const BlockContext& context,
                                 const v1::Block& block, const TxSignatureVerdicts& signature_verdicts);

// The root a header carries as evidence_root: RFC 6962 over the serialized Evidence, then the
// serialized ProposalEvidence, in block order.
Hash32 evidence_root(const v1::Block& block);

// The hash a header carries as last_commit_hash for a certificate: SHA-256 of its encoding.
Hash32 last_commit_hash(const v1::CommitCertificate& commit);

// The leaves of a header's results_root: per tx, its id and "OK" or its refusal code and message.
std::vector<v1::TxResultLeaf> result_leaves(std::span<const v1::SignedTx> txs, std::span<const TxResult> results);

// Whether `header` (the block's own, decoded) commits to every other part of `block`: tx_root over its
// txs, evidence_root over its evidence, last_commit_hash over its certificate (none at all without
// one). The block hash covers the header alone, so only a bound body makes "one hash, one block":
// otherwise a proposer could send one hash with two bodies and split the validators' verdicts on it.
// Needs no state: it is part of identifying a block, before any judging.
bool header_binds_body(const v1::Block& block, const v1::BlockHeader& header);

}  // namespace joet
