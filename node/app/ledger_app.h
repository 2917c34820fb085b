// The ledger behind the consensus engine (consensus/types.h Application): blocks are assembled and
// checked by node/block_assembly.h on the committed state, and committed with their certificate by
// the block store (ledger/block_store.h) in one synced write, state and tree included.
//
//   identify_block    decode_block + block_hash, and the header's time; nothing for a body its header
//                     does not bind (header_binds_body: one hash names one block)
//   prepare_proposal  reap the mempool, assemble on the tip with the evidence not yet committed
//                     (Block.evidence / proposal_evidence, under the header's evidence_root); the
//                     AssembledBlock is cached by hash
//   validate          the answer to a ValidateBlock output (the node passes it to
//                     Engine::on_validation): see LedgerApp::judge for the checks
//   finalize_block    the cached AssembledBlock (else a fresh check), BlockStore::commit, mempool
//                     clean-up, the validator set of height + 2 and the evidence the block convicts
//
// Validity rules beyond check_block (every honest validator decides them the same way, from the
// same chain): node/block_validity.h check_block_rules, the one definition joet-audit applies too.
// The app gives it the set of height - 1 and the tip hash, the block store's tx index, the sets of
// the evidence heights and the evidence committed in the last kEvidenceMaxAgeHeights heights.
//
// What the app keeps in the KvStore besides the block store's keys and the contracts' state (under the
// prefix "A", and the dashboard index under "I" (node/inzicht/dashboard_index.h), written in the same
// batch as the block that causes it):
//   "A" "genesis_root"   -> the state root of the genesis state (32 bytes)
//   "A" "vset" be64(h)   -> v1::ValidatorSet in force from height h (h = 1: genesis; a validator.update
//                           committed at h - 2 adds the entry for h)
//   "A" "result" tx_id   -> the tx's result in its block: "OK", or "<code>\n<message>" (a refused tx
//                           is on chain with its code; re-execution gives the same, so it is an index,
//                           not a commitment)
//
// Failures: a store error, an executor that cannot run a height (kUnsupported: upgrade), or a
// certified block our checks refuse are not verdicts. The app then halts: halted() turns true,
// halt_status() says why, and later calls do nothing (validate answers false, finalize returns the
// error, so the engine halts at that height with its WAL intact). The node checks halted() after each engine call and stops before it sends the
// engine's outputs; on disk every block is all or nothing (one synced batch), so a restart
// continues from the last committed block. prepare_proposal cannot answer "no block" (the engine
// signs what it gets), so a failure there, or a call after a halt (a failed finalize followed by
// our turn to propose in the same engine call), stops the process (abort with the reason on stderr).
//
// Not thread-safe: the node calls it from one thread (validation included, or serialized with it).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "consensus/engine.h"
#include "consensus/types.h"
#include "contracts/executor.h"
#include "joet.pb.h"
#include "ledger/batch_verifier.h"
#include "ledger/block_store.h"
#include "ledger/keys.h"
#include "ledger/kv_store.h"
#include "ledger/validator_set.h"
#include "node/app/mempool.h"
#include "node/block_assembly.h"
#include "node/block_validity.h"

namespace joet {

struct Genesis {
  std::string chain_id;
  int64_t time_ms = 0;              // block 1 comes after it (the engine's prev_block_time_ms at height 1)
  WriteBatch state;                 // genesis_registry_writes + genesis_policy_writes (contract keys only)
  v1::ValidatorSet validators;      // the set of heights 1 and 2
};

struct LedgerAppConfig {
  size_t max_block_txs = 2'000;
  size_t max_block_bytes = 8u << 20;
  // This node's consensus key: the proposer index of the blocks it assembles. nullopt: not a validator
  // (prepare_proposal is never called then).
  std::optional<PublicKey> own_key;
  // Called while init_genesis builds the dashboard index of a store that has none (heights read, tip).
  std::function<void(uint64_t done, uint64_t total)> on_index_rebuild;
};

class LedgerApp : public consensus::Application {
 public:
  // All references must outlive the app. `blocks` is open on `kv`; `executor.chain_id` equals
  // genesis.chain_id; the mempool reads the same kv and blocks.
  LedgerApp(LedgerAppConfig config, KvStore& kv, BlockStore& blocks, const ExecutorConfig& executor,
            BatchVerifier& verifier, Genesis genesis, Mempool& mempool);

  // Writes the genesis state with its tree, root and validator set when the store has no genesis yet
  // (one synced batch); otherwise checks that the stored genesis is this one (kConflict) and
  // continues from the stored tip. Call once, before anything else.
  Status init_genesis();

  // What the engine starts from: the first height not committed, its set and the next, the tip time.
  consensus::StartState start_state() const;

  // Work for a block: txs waiting in the mempool. A deadline gets its block by next_due_ms.
  bool has_work(uint64_t /*height*/) override { return mempool_.size() > 0; }
  // The first deadline's due time in the committed state (contracts/deadlines.h): an idle proposer
  // proposes by then. A store error halts the app.
  std::optional<uint64_t> next_due_ms() override;
  std::optional<consensus::BlockId> identify_block(ByteView bytes) override;
  consensus::Value prepare_proposal(uint64_t height, uint32_t round, uint64_t time_ms,
                                    const std::vector<consensus::AnyEvidence>& evidence) override;
  Result<consensus::FinalizeResult> finalize_block(uint64_t height, const consensus::Value& value,
                                                   const v1::CommitCertificate& cert) override;

  // The verdict on a ValidateBlock, with the reason of a refusal (for logs and tests).
  struct Verdict {
    bool valid = false;
    std::string reason;  // "" when valid; e.g. "WRONG_STATE_ROOT: ..." or "EVIDENCE: ..."
  };
  Verdict judge(const consensus::ValidateBlock& request);
  bool validate(const consensus::ValidateBlock& request) { return judge(request).valid; }

  // Submits a client's tx to the mempool at the node's current time (a dry run at tip height + 1).
  // Tx signatures verified for blocks (proposed or judged) that the mempool had not verified already.
  uint64_t block_signature_checks() const { return signature_checks_; }

  Result<AdmitVerdict> submit_tx(ByteView tx_bytes, int64_t now_ms, TxOrigin origin = TxOrigin::kClient) {
    return mempool_.admit(tx_bytes, now_ms, origin);
  }

  // The result of a committed tx (nullopt: not committed here).
  Result<std::optional<TxResult>> tx_result(const Hash32& tx_id) const;

  bool halted() const { return !halt_.ok(); }
  const Status& halt_status() const { return halt_; }

  uint64_t tip_height() const { return blocks_.tip().height; }
  const Hash32& state_root() const { return state_root_; }
  // The set of `height` (nullptr before genesis, for height 0, or beyond tip + 2).
  const ValidatorSet* validator_set(uint64_t height) const;
  size_t cached_blocks() const { return cache_.size(); }

 private:
  BlockContext context() const;  // for tip height + 1
  // The checks of `block` (the bytes of a value for tip height + 1) beyond check_block; "" when fine.
  Result<std::string> check_extras(const v1::Block& block, uint64_t height) const;
  // What check_block_rules needs from this chain, for a block of `height` (tip height + 1).
  BlockRulesContext rules_context(uint64_t height) const;
  // Why `evidence` cannot go into a block of `height` ("" when it can); `seen` collects keys.
  std::string evidence_problem(const consensus::AnyEvidence& evidence, uint64_t height,
                               std::set<std::string>& seen) const;
  // The full check of value bytes for tip + 1: the verdict and, when valid, the AssembledBlock.
  Result<std::optional<AssembledBlock>> check(ByteView bytes, const Hash32& hash, uint64_t time_ms,
                                              std::string* reason);
  Status load();  // in-memory state from the store: sets, tip root and time, committed evidence
  void cache_put(const Hash32& hash, AssembledBlock block);
  // Signature verdicts for a block's txs: those pending in the mempool with the very signatures it
  // verified at admission need no second check; the others go to the verifier.
  std::vector<uint8_t> signature_verdicts(std::span<const v1::SignedTx> txs);
  void halt(Status status);
  [[noreturn]] void fail_stop(const std::string& why);
  void check_invariants() const;

  LedgerAppConfig config_;
  KvStore& kv_;
  BlockStore& blocks_;
  const ExecutorConfig& executor_;
  BatchVerifier& verifier_;
  Genesis genesis_;
  Mempool& mempool_;
  uint64_t signature_checks_ = 0;  // tx signatures verified for blocks (the mempool counts its own)
  Status halt_;
  bool initialized_ = false;

  Hash32 genesis_root_{};
  Hash32 state_root_{};                             // after the tip (the genesis root at tip 0)
  int64_t tip_time_ms_ = 0;                         // the tip header's time (0 at tip 0, as BlockContext)
  std::optional<v1::CommitCertificate> tip_cert_;   // the certificate of the tip (none at tip 0)
  std::map<uint64_t, ValidatorSet> sets_;           // from height -> set ("A" "vset" entries)
  std::map<std::string, uint64_t> committed_evidence_;  // evidence_key -> committed height (recent)
  std::map<Hash32, AssembledBlock> cache_;          // checked or assembled blocks of tip + 1
};

}  // namespace joet
