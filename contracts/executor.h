// Executes one block against the contracts' state: begin_block fires the due deadlines, then every
// tx runs in order, each atomically (a refused tx leaves no write and no event). Pure and
// deterministic: the same (state, config, time, height, txs) give byte-identical writes and events.
//
// Per tx, in this order: structure (BAD_FIELD), every signature over the exact body bytes
// (BAD_SIGNATURE), chain_id (WRONG_CHAIN), max_height (EXPIRED), text args are codes (BAD_FIELD),
// the action (UNKNOWN_ACTION), then the signers: for an ordinary action exactly one signature
// (BAD_FIELD) by a member key (NOT_AUTHORIZED); for a governance action (institution.add,
// institution.remove, policy.set, validator.update) at most kMaxGovernanceSignatures, each by a
// member key (NOT_AUTHORIZED) of a different institution (BAD_FIELD), those institutions more than
// 2/3 of the registered ones (NOT_AUTHORIZED). Then the first signer's nonce is above the last one it
// used (BAD_NONCE), then the action's own checks. A refused tx does not consume its nonce.
//
// The rules version is the one in force at `height` (contracts/rules.h rules_version_at); its
// Statute comes from ExecutorConfig::rules. A version this build lacks is an Error (kUnsupported):
// the node must be upgraded before it can execute that height.
//
// The policy every tx of a block sees is the one in state (c/meta/policy, contracts/policy.h) as
// the block began; ExecutorConfig::policy only stands in when the state holds none.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "contracts/rules.h"
#include "contracts/state.h"
#include "contracts/tx_context.h"
#include "joet.pb.h"
#include "ledger/kv_store.h"

namespace joet {

inline constexpr size_t kMaxGovernanceSignatures = 64;

struct ExecutorConfig {
  std::string chain_id;
  Policy policy;  // used only when the state has no c/meta/policy (write it at genesis: policy.h)
  // Every rules version this executor can run. Tests add versions here; a node keeps the default.
  std::span<const Statute> rules = built_in_rules();
};

struct TxResult {
  bool ok = true;
  std::string code;     // "" when ok
  std::string message;

  friend bool operator==(const TxResult&, const TxResult&) = default;
};

struct BlockExecution {
  WriteBatch writes;                // apply to the store to get the state after the block
  std::vector<TxResult> results;    // one per tx, in order
  std::vector<cv1::Event> events;   // in emission order: deadlines first, then txs
  uint32_t rules_version = 0;       // the version the block ran under (its header's rules_version)
  std::vector<cv1::Deadline> deadlines;  // taken from the queue at begin-block, in firing order
};

// The last nonce `public_key` used as a first signer in the committed `state` (0: none yet); the next
// tx of that key must carry a higher one. kCorruption when the stored value is not 8 bytes.
Result<uint64_t> last_nonce(const KvStore& state, ByteView public_key);

// kUnsupported when the rules version in force at `height` is not in config.rules;
// kInvalidArgument for a block time outside is_supported_utc_ms; store errors and corrupt state
// are Errors too (the block cannot be executed: stop, never guess).
Result<BlockExecution> execute_block(const KvStore& state, const ExecutorConfig& config, int64_t block_time_ms,
                                     uint64_t height, std::span<const v1::SignedTx> txs);

// The same, with the signature check done by the caller: signatures_verified[i] == 1 iff every
// signature of txs[i] verifies over its body (tags::kTx). The node computes these on all cores
// (ledger/batch_verifier.h, node/tx_signatures.h) — the contracts themselves use no threads. The
// verdicts must be the serial ones, so results are the same as without them. Empty = check here.
Result<BlockExecution> execute_block(const KvStore& state, const ExecutorConfig& config, int64_t block_time_ms,
                                     uint64_t height, std::span<const v1::SignedTx> txs,
                                     std::span<const uint8_t> signatures_verified);

}  // namespace joet
