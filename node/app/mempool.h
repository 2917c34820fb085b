// The mempool: signed txs waiting for a block, bounded in count and bytes, in admission order.
//
// admit() checks a tx in this order and names the first failure (TxRefusal, a value, never an
// assertion: the bytes come from clients and peers):
//   MALFORMED      the bytes are not a canonical SignedTx (ledger/codec.h decode_signed_tx)
//   DUPLICATE_TX   the tx id (ledger/block.h tx_id) is pending here or already in a block: checked
//                  before any signature, so a copy costs no verification
//   BAD_SIGNATURE  no signature, or one that does not verify over the body (BIP-340, tags::kTx)
//   WRONG_CHAIN    the body's chain_id is not ours
//   SENDER_LIMIT   the first signer's key has max_per_sender txs pending
//   NONCE_TOO_FAR  the nonce is more than max_nonce_ahead above the highest of the key's last used nonce
//                  (committed state) and its pending txs' nonces: a typo would make the key unusable
//                  (the chain takes any higher nonce; this is the node's admission rule, not consensus)
//   MEMPOOL_FULL   admitting it would pass max_txs or max_bytes
//   <contract code> a dry run refuses it: contracts' execute_block over the tip state with just this
//                  tx at (tip height + 1, the caller's time); the contract's code passes through
//                  (NOT_AUTHORIZED, BAD_NONCE, EXPIRED, BAD_FIELD, DUPLICATE, ...).
// The dry run reads the committed state in place (the executor writes only to its own batch), so
// admission copies nothing. Txs of one sender need not come with consecutive nonces: the executor
// only asks that a nonce be above the last one used, so each pending tx dry-runs alone.
//
// Where a tx came from (TxOrigin) matters twice. A peer's tx meets limits kPeerHeadroom times the
// client limits: a node refuses its own clients first (503, retry), so a tx another validator
// admitted is not refused here for room and one sender's txs do not reach proposers with gaps. And
// only the node's own clients' txs are announced to peers (next_own_after, in admission order, from
// a per-peer cursor): each validator sends its clients' txs to every other one directly, and again
// from the start after a reconnect, so none is lost in a queue (docs/decisions/0014).
//
// reap() gives txs in admission order, so one sender's txs (submitted in nonce order) stay in nonce
// order in a block. After a commit the node calls remove_committed() with the block's tx ids and
// recheck() to drop txs the new state refuses (a nonce used meanwhile, a case already opened).
//
// Deterministic: no clock (the caller passes the time), no randomness, ordered containers only.
// Not thread-safe: the node calls it from its one state-machine thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "contracts/executor.h"
#include "joet.pb.h"
#include "ledger/block_store.h"
#include "ledger/bytes.h"
#include "ledger/kv_store.h"

namespace joet {

struct MempoolLimits {
  size_t max_txs = 10'000;
  size_t max_bytes = 64u << 20;     // the sum of the encoded SignedTx sizes
  size_t max_per_sender = 256;      // pending txs whose first signature is one key
  // A nonce more than this above the key's last used one and its pending ones is refused
  // (NONCE_TOO_FAR): a typo (an extra digit, -1 read as 2^64 - 1) would otherwise use up the key.
  uint64_t max_nonce_ahead = 1000;
};

enum class TxOrigin : uint8_t { kClient, kPeer };
inline constexpr size_t kPeerHeadroom = 4;

enum class TxFault : uint8_t {
  kMalformed,
  kBadSignature,
  kWrongChain,
  kDuplicate,
  kSenderLimit,
  kFull,
  kNonceTooFar,  // the nonce is more than max_nonce_ahead above the key's last and pending ones
  kRefused,      // the dry run refused it; TxRefusal::code is the contract's code
};
std::string_view tx_fault_name(TxFault fault);  // "MALFORMED", ..., "REFUSED"

struct TxRefusal {
  TxFault fault = TxFault::kMalformed;
  std::string code;     // tx_fault_name(fault), or the contract's code for kRefused
  std::string message;
};

struct AdmitVerdict {
  Hash32 tx_id{};                     // zero when the bytes did not decode
  std::optional<TxRefusal> refused;   // nullopt: admitted
  bool admitted() const { return !refused.has_value(); }
};

class Mempool {
 public:
  // `state` holds the committed contract state, `blocks` the chain on it (the same KvStore, as the
  // node keeps them). `config` is the executor's (its chain_id is the one txs must name).
  Mempool(MempoolLimits limits, const ExecutorConfig& config, const KvStore& state, const BlockStore& blocks);

  // Checks and admits one encoded SignedTx (see the top of this file). Errors (not refusals): the
  // store failed, or the executor cannot run the next height (kUnsupported): the node must stop.
  Result<AdmitVerdict> admit(ByteView tx_bytes, int64_t time_ms, TxOrigin origin = TxOrigin::kClient);

  // The first pending tx of TxOrigin::kClient admitted after `seq` (0: from the start): its sequence
  // number and bytes, or nullopt. A peer's cursor walks the announcements with it.
  struct Announcement {
    uint64_t seq = 0;
    const Bytes* bytes = nullptr;  // valid until the mempool changes
  };
  std::optional<Announcement> next_own_after(uint64_t seq) const;

  // Up to max_txs txs whose encodings sum to at most max_bytes, in admission order (they stay
  // pending until remove_committed). Stops at the first tx that would pass max_bytes.
  std::vector<v1::SignedTx> reap(size_t max_txs, size_t max_bytes) const;
  // Drops the txs with these ids (a committed block's); unknown ids are ignored.
  void remove_committed(std::span<const Hash32> tx_ids);
  // Dry-runs every pending tx again on the (new) tip state at (tip height + 1, time_ms) and drops
  // the refused ones; returns how many it dropped. Errors as for admit.
  Result<size_t> recheck(int64_t time_ms);

  size_t size() const { return by_seq_.size(); }
  size_t bytes() const { return bytes_; }
  bool contains(const Hash32& tx_id) const { return by_id_.count(tx_id) != 0; }
  // Whether `tx` is pending here with exactly these signatures: admit verified every one of them, so
  // a block carrying it needs no second check (the tx id covers the body only, hence the comparison).
  bool holds_verified(const v1::SignedTx& tx) const;
  size_t pending_of(const Hash32& sender_key) const;
  // The highest nonce of the key's pending txs (nullopt: none pending).
  std::optional<uint64_t> highest_pending_nonce(const Hash32& sender_key) const;
  // A key's nonces as this node sees them: what admission checks (NONCE_TOO_FAR) and the RPC reports.
  struct NonceWindow {
    uint64_t last_used = 0;                   // committed state; 0: none yet
    size_t pending = 0;                       // its txs here
    std::optional<uint64_t> highest_pending;  // their highest nonce
    uint64_t next = 1;                        // max(last_used, highest_pending) + 1
    uint64_t max_accepted = 0;                // admission refuses higher ones
  };
  Result<NonceWindow> nonce_window(const Hash32& sender_key) const;
  // Signatures verified by admit (a metric: a copy of a pending or committed tx costs none).
  uint64_t signatures_verified() const { return signatures_verified_; }

 private:
  struct Entry {
    v1::SignedTx tx;
    Bytes bytes;  // as admitted: what announcements send
    Hash32 id{};
    Hash32 sender{};
    TxOrigin origin = TxOrigin::kClient;
    uint64_t nonce = 0;
  };
  // The contract's verdict on `tx` alone at the next height: nullopt when it executes.
  Result<std::optional<TxRefusal>> dry_run(const v1::SignedTx& tx, int64_t time_ms) const;
  void erase(std::map<uint64_t, Entry>::iterator it);
  void check_invariants() const;

  MempoolLimits limits_;
  const ExecutorConfig& config_;
  const KvStore& state_;
  const BlockStore& blocks_;
  uint64_t next_seq_ = 0;
  std::map<uint64_t, Entry> by_seq_;      // admission order
  std::map<Hash32, uint64_t> by_id_;      // tx id -> seq
  std::map<Hash32, std::multiset<uint64_t>> per_sender_;  // first signer's key -> its pending nonces (none empty)
  std::set<uint64_t> own_;                // seqs of TxOrigin::kClient entries
  uint64_t signatures_verified_ = 0;
  size_t bytes_ = 0;
};

}  // namespace joet
