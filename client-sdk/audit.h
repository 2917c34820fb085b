// joet-audit's core: verifies a whole chain offline, from its genesis to the tip of a block store,
// the way an inspectorate needs it: trusting nothing the node says about itself.
//
// For every height h, in order, it checks:
//   - the stored commit certificate: a PRECOMMIT quorum of the validator set of h, for this block
//     (CERTIFICATE_INVALID, CERTIFICATE_FOR_OTHER_BLOCK);
//   - the validity rules every validator applies beyond the header (node/block_validity.h
//     check_block_rules, the same code as the node's): the certificate of h - 1 the block carries
//     (LAST_COMMIT_INVALID), every tx decodes (MALFORMED) and no tx id is on chain twice
//     (DUPLICATE_TX: a replayed signed tx), at most kMaxBlockEvidence evidence items, each checking
//     against the validator set of its own height, recent, neither repeated nor committed before
//     (EVIDENCE_INVALID);
//   - the header, field by field, against a re-execution of the block on the audit's own state,
//     rebuilt from genesis (node/block_assembly.h check_block: the hash links, time order, history
//     root, validator set hashes, rules version, tx, evidence, state and events roots; the finding's
//     code is the BlockFault name, e.g. WRONG_STATE_ROOT);
// and follows the validator-set changes the chain's own validator.update txs put in force.
// The audit's state lives in `scratch` (a LevelDB for a long chain: client-sdk/audit_scratch.h): the
// contracts' state and tree, and the audit's own tx index under "a/tx/" (never the node's index).
// Memory stays bounded: the look-ahead's blocks, the validator sets (one per change) and the evidence
// keys of the last kEvidenceMaxAgeHeights heights. (A stored tx that does not decode is a kCorruption
// error of the block store before any rule sees it.)
// Signatures (txs and certificates) are checked on all cores (ledger/batch_verifier.h), for the next
// heights while this one re-executes (a bounded look-ahead); the re-execution is the contracts'
// executor, deterministic and single-threaded.
//
// The audit stops at the first finding: what follows a wrong block cannot be judged.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "contracts/executor.h"
#include "joet.pb.h"
#include "ledger/batch_verifier.h"
#include "ledger/block_store.h"
#include "ledger/kv_store.h"

namespace joet {

struct AuditGenesis {
  std::string chain_id;
  WriteBatch state;             // the contracts' genesis writes (registry, policy), without tree nodes
  v1::ValidatorSet validators;  // the set that certifies height 1
};

struct AuditFinding {
  uint64_t height = 0;
  std::string code;     // CERTIFICATE_INVALID, LAST_COMMIT_INVALID, WRONG_STATE_ROOT, ...
  std::string message;
};

struct AuditReport {
  uint64_t heights = 0;                // blocks verified: 1 .. heights
  uint64_t txs = 0;
  uint64_t refused_txs = 0;            // txs the contracts refused (they are on chain with their code)
  uint64_t events = 0;
  uint64_t validator_set_changes = 0;
  uint64_t evidence = 0;               // consensus evidence items checked (votes' and proposals')
  uint32_t rules_version = 0;          // of the last verified block
  Hash32 tip_hash{};                   // of the last verified block
  Hash32 state_root{};                 // after it, as re-executed
  std::optional<AuditFinding> finding;  // the first fault; the audit stopped there
};

// Called once after each verified height, with the report so far (heights = that height).
using AuditProgress = std::function<void(const AuditReport& so_far, uint64_t tip)>;

inline constexpr size_t kAuditLookaheadHeights = 8;

// Audits `chain` (heights 1 .. tip) against `genesis`, re-executing into `scratch` (an empty store
// the audit owns; the node's own state is never read). With `lookahead_heights` > 0 a thread loads
// the next heights and verifies their signatures (stored certificate, txs) on `verifier`'s pool
// while this one re-executes, at most that many heights ahead; 0: one height after the other. The
// report is the same either way (the first finding by height). Errors: a store failed or holds data that does
// not decode (kCorruption, kIoError), the genesis is invalid (kInvalidArgument), or a height runs a
// rules version this build lacks (kUnsupported: audit with a newer joet-audit).
Result<AuditReport> audit_chain(const BlockStore& chain, const AuditGenesis& genesis, const ExecutorConfig& config,
                                KvStore& scratch, BatchVerifier& verifier, const AuditProgress& progress = {},
                                size_t lookahead_heights = kAuditLookaheadHeights);

}  // namespace joet
