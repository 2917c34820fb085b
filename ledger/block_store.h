// The block store: certified blocks, their indexes and (through the caller's batch) the state
// changes they cause, each height committed in ONE synced write batch. After a crash the store
// holds exactly the blocks whose commit() returned ok.
//
// Key layout (one LevelDB, shared with the state tree):
//   "B" be64(height)  -> StoredBlock (block + the certificate that committed it)
//   "H" block_hash    -> be64(height)
//   "T" tx_id         -> be64(height) be32(index)
//   "h" be64(height)  -> block_hash                (the leaves of the history tree)
//   "M" "tip"         -> be64(height) block_hash   (absent in an empty store)
//   "M" "hist"        -> MerkleFrontier over leaf_hash(block hash) of heights 1..tip
//
// The history tree is RFC 6962 over the block hashes: header(h).history_root is its root over
// heights 1..h-1, so one certified recent header proves any older block (inclusion proof) and any
// two headers consistent (consistency proof), as Certificate Transparency does for logs.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "joet.pb.h"
#include "ledger/kv_store.h"
#include "ledger/merkle.h"

namespace joet {

struct TxLocation {
  uint64_t height = 0;
  uint32_t index = 0;
};

struct ChainTip {
  uint64_t height = 0;  // 0 = empty chain
  Hash32 block_hash{};
};

class BlockStore {
 public:
  // `name` (usually the database path) is named in every error.
  static Result<std::unique_ptr<BlockStore>> open(KvStore& kv, std::string name);

  // Checks that the block extends the tip (height + 1, prev hash, history_root = history_root()),
  // that its header and txs decode, and that `commit` is a PRECOMMIT certificate for exactly this
  // block (signatures are checked by the caller against the validator set of the height); then
  // writes block, indexes, tip, history and the caller's `state_changes` in one synced batch.
  Status commit(const v1::Block& block, const v1::CommitCertificate& commit, const WriteBatch& state_changes);

  const ChainTip& tip() const { return tip_; }
  Result<v1::StoredBlock> block_at(uint64_t height) const;
  Result<v1::BlockHeader> header_at(uint64_t height) const;
  Result<std::optional<uint64_t>> height_of(const Hash32& block_hash) const;
  Result<std::optional<TxLocation>> find_tx(const Hash32& tx_id) const;
  KvStore& kv() { return kv_; }

  // RFC 6962 root over the hashes of blocks 1..tip: the history_root the next header must carry.
  Hash32 history_root() const { return history_.root(); }
  // Proof that block `height` is leaf height-1 of the history tree of `tree_size` blocks
  // (verify with verify_inclusion against header(tree_size + 1).history_root).
  Result<v1::InclusionProof> history_inclusion_proof(uint64_t height, uint64_t tree_size) const;
  // Proof that the history of size1 blocks is a prefix of the history of size2 blocks.
  Result<v1::ConsistencyProof> history_consistency_proof(uint64_t size1, uint64_t size2) const;

 private:
  BlockStore(KvStore& kv, std::string name) : kv_(kv), name_(std::move(name)) {}
  Error corruption(const std::string& what) const;
  Result<std::vector<Hash32>> history_leaves(uint64_t count) const;

  KvStore& kv_;
  std::string name_;
  ChainTip tip_;
  MerkleFrontier history_;
};

}  // namespace joet
