// The block store: certified blocks, their indexes and (through the caller's batch) the state
// changes they cause, each height committed in ONE synced write batch. After a crash the store
// holds exactly the blocks whose commit() returned ok.
//
// Key layout (one LevelDB, shared with the state tree):
//   "B" be64(height)  -> StoredBlock (block + the certificate that committed it)
//   "H" block_hash    -> be64(height)
//   "T" tx_id         -> be64(height) be32(index)
//   "M" "tip"         -> be64(height) block_hash   (absent in an empty store)
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "joet.pb.h"
#include "ledger/kv_store.h"

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

  // Checks that the block extends the tip (height + 1, prev hash), that its header and txs decode,
  // and that `commit` is a PRECOMMIT certificate for exactly this block (signatures are checked by
  // the caller against the validator set of the height); then writes block, indexes, tip and the
  // caller's `state_changes` in one synced batch.
  Status commit(const v1::Block& block, const v1::CommitCertificate& commit, const WriteBatch& state_changes);

  const ChainTip& tip() const { return tip_; }
  Result<v1::StoredBlock> block_at(uint64_t height) const;
  Result<v1::BlockHeader> header_at(uint64_t height) const;
  Result<std::optional<uint64_t>> height_of(const Hash32& block_hash) const;
  Result<std::optional<TxLocation>> find_tx(const Hash32& tx_id) const;
  KvStore& kv() { return kv_; }

 private:
  BlockStore(KvStore& kv, std::string name) : kv_(kv), name_(std::move(name)) {}
  Error corruption(const std::string& what) const;

  KvStore& kv_;
  std::string name_;
  ChainTip tip_;
};

}  // namespace joet
