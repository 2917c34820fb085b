// The validity rules of block h that check_block (node/block_assembly.h) cannot see, because they
// need the chain before h rather than the state: one definition, used by every validator
// (node/app/ledger_app.h LedgerApp::check_extras, before it re-executes) and by the auditor
// (client-sdk/audit.h, which derives the same inputs itself from genesis). In this order:
//   - the last_commit the block carries (from h = 2, when present; its absence is check_block's
//     WRONG_LAST_COMMIT): a PRECOMMIT quorum of the set of h - 1 for the block hash of h - 1;
//   - every tx decodes, and no tx id repeats inside the block or was committed at an earlier height;
//   - at most kMaxBlockEvidence evidence items (Block.evidence, then proposal_evidence), each of a
//     height 1 .. h at most kEvidenceMaxAgeHeights before h, checking (consensus/evidence.h) against
//     the set of its height, neither committed before nor repeated in the block.
// Pure: what the chain knows is passed in (sets, tip hash, and two lookups). Deterministic: the same
// inputs give the same verdict and message.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "consensus/evidence.h"
#include "joet.pb.h"
#include "ledger/batch_verifier.h"
#include "ledger/bytes.h"
#include "ledger/status.h"
#include "ledger/validator_set.h"

namespace joet {

inline constexpr size_t kMaxBlockEvidence = 64;
inline constexpr uint64_t kEvidenceMaxAgeHeights = 100;  // consensus EngineConfig::evidence_max_age_heights

// What the chain before height h tells about block h beyond BlockContext.
struct BlockRulesContext {
  std::string chain_id;
  uint64_t height = 1;                             // h
  const ValidatorSet* prev_validators = nullptr;   // the set of h - 1 (required from h = 2)
  Hash32 prev_block_hash{};                        // the hash of block h - 1
  // The height of the earlier block that holds tx `id`, nullopt when none; an error stops the check.
  std::function<Result<std::optional<uint64_t>>(const Hash32& id)> find_tx;
  // The set of `height`, for 1 <= height <= h (never nullptr there).
  std::function<const ValidatorSet*(uint64_t height)> validators_at;
  // Whether evidence with this consensus::evidence_key was committed in the last
  // kEvidenceMaxAgeHeights heights.
  std::function<bool(const std::string& key)> evidence_committed;
  // Verifies the carried certificate's signatures on all cores; nullptr: on the calling thread.
  BatchVerifier* verifier = nullptr;
};

enum class BlockRuleFault : uint8_t {
  kWrongLastCommit,  // the carried certificate does not verify, or certifies another block
  kMalformedTx,      // a tx does not decode
  kDuplicateTx,      // a tx id twice in the block, or on chain already
  kEvidence,         // too many items, or one out of range, too old, invalid, committed or repeated
};
// The reason prefix validators log: WRONG_LAST_COMMIT, MALFORMED, DUPLICATE_TX, EVIDENCE.
std::string_view block_rule_fault_name(BlockRuleFault fault);

struct BlockRuleRefusal {
  BlockRuleFault fault;
  std::string message;  // without the fault's name
};

// The first rule `block` breaks (nullopt: none). Errors: only those of context.find_tx.
Result<std::optional<BlockRuleRefusal>> check_block_rules(const BlockRulesContext& context, const v1::Block& block);

// Why `evidence` cannot go into block context.height ("" when it can). `seen` holds the keys of the
// block's evidence before this item and gets this one's; a proposer filters its candidates with it.
std::string block_evidence_problem(const BlockRulesContext& context, const consensus::AnyEvidence& evidence,
                                   std::set<std::string>& seen);

// The evidence a block carries, votes' first (the order of BlockHeader.evidence_root).
std::vector<consensus::AnyEvidence> block_evidence(const v1::Block& block);

}  // namespace joet
