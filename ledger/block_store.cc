#include "ledger/block_store.h"

#include "ledger/block.h"
#include "ledger/codec.h"
#include "ledger/merkle.h"

namespace joet {

namespace {

Bytes height_key(uint64_t height) {
  Bytes k{'B'};
  put_u64_be(k, height);
  return k;
}

Bytes hash_key(char prefix, const Hash32& h) {
  Bytes k{static_cast<uint8_t>(prefix)};
  k.insert(k.end(), h.begin(), h.end());
  return k;
}

const Bytes& tip_key() {
  static const Bytes k{'M', 't', 'i', 'p'};
  return k;
}

const Bytes& history_key() {
  static const Bytes k{'M', 'h', 'i', 's', 't'};
  return k;
}

Bytes history_leaf_key(uint64_t height) {
  Bytes k{'h'};
  put_u64_be(k, height);
  return k;
}

}  // namespace

Error BlockStore::corruption(const std::string& what) const {
  return make_error(ErrorCode::kCorruption, "block store " + name_ + ": " + what);
}

Result<std::unique_ptr<BlockStore>> BlockStore::open(KvStore& kv, std::string name) {
  std::unique_ptr<BlockStore> store(new BlockStore(kv, std::move(name)));
  auto tip = kv.get(tip_key());
  if (!tip.ok()) return tip.error();
  if (!tip->has_value()) {
    // An empty chain must really be empty: blocks without a tip mean the tip record was lost.
    bool any_block = false;
    Status s = kv.scan(Bytes{'B'}, Bytes{'C'}, [&](ByteView, ByteView) {
      any_block = true;
      return false;
    });
    if (!s.ok()) return s.error();
    if (any_block) return store->corruption("blocks are stored but the tip record is missing");
    return store;
  }
  const Bytes& t = **tip;
  if (t.size() != 40) return store->corruption("tip record has " + std::to_string(t.size()) + " bytes, expected 40");
  store->tip_.height = get_u64_be(t.data());
  std::copy(t.begin() + 8, t.end(), store->tip_.block_hash.begin());
  if (store->tip_.height == 0) return store->corruption("tip record names height 0");
  auto hist = kv.get(history_key());
  if (!hist.ok()) return hist.error();
  if (!hist->has_value()) return store->corruption("the history frontier record is missing");
  auto frontier = MerkleFrontier::parse(**hist);
  if (!frontier.ok()) return store->corruption("history frontier: " + frontier.error().message);
  if (frontier->size() != store->tip_.height) {
    return store->corruption("history frontier covers " + std::to_string(frontier->size()) + " blocks, tip is at " +
                             std::to_string(store->tip_.height));
  }
  store->history_ = std::move(frontier).value();
  // Read the tip block back and check it is the one the tip names: never start on a guess.
  auto last = store->block_at(store->tip_.height);
  if (!last.ok()) return last.error();
  if (block_hash(last->block()) != store->tip_.block_hash) {
    return store->corruption("the block at the tip height does not have the tip's hash");
  }
  return store;
}

Status BlockStore::commit(const v1::Block& block, const v1::CommitCertificate& commit, const WriteBatch& state_changes) {
  auto header = decode_block_header(as_bytes(block.header()));
  if (!header.ok()) return header.error();
  const uint64_t height = header->height();
  if (height != tip_.height + 1) {
    return make_error(ErrorCode::kConflict, "block store " + name_ + ": block at height " + std::to_string(height) +
                                                " does not follow the tip at " + std::to_string(tip_.height));
  }
  if (height > 1 && header->prev_block_hash() != to_string(tip_.block_hash)) {
    return make_error(ErrorCode::kConflict, "block store " + name_ + ": height " + std::to_string(height) +
                                                " does not link to the stored tip's hash");
  }
  if (header->history_root() != to_string(history_.root())) {
    return make_error(ErrorCode::kConflict, "block store " + name_ + ": height " + std::to_string(height) +
                                                " carries a history_root that is not the root over blocks 1.." +
                                                std::to_string(tip_.height));
  }
  Status s = check_commit_certificate(commit);
  if (!s.ok()) return s;
  v1::VoteBody vote;
  JOET_ASSERT(vote.ParseFromString(commit.vote_body()));  // check_commit_certificate decoded it
  const Hash32 hash = block_hash(block);
  if (vote.height() != height || vote.block_hash() != to_string(hash) || vote.chain_id() != header->chain_id()) {
    return make_error(ErrorCode::kInvalidArgument,
                      "block store " + name_ + ": the certificate is not for block " + to_hex(hash) + " at height " +
                          std::to_string(height));
  }

  WriteBatch batch = state_changes;
  v1::StoredBlock stored;
  *stored.mutable_block() = block;
  *stored.mutable_commit() = commit;
  Bytes stored_bytes = encode(stored);
  // Assert in pairs: what goes to disk must decode again as the store will read it.
  s = decode_stored_block(stored_bytes).status();
  if (!s.ok()) return s;

  batch.put(height_key(height), stored_bytes);
  Bytes h;
  put_u64_be(h, height);
  batch.put(hash_key('H', hash), h);
  for (int i = 0; i < block.txs_size(); ++i) {
    v1::SignedTx tx;
    JOET_ASSERT(tx.ParseFromString(block.txs(i)));  // decode_stored_block checked every tx
    Bytes loc;
    put_u64_be(loc, height);
    for (int shift = 24; shift >= 0; shift -= 8) loc.push_back(static_cast<uint8_t>(static_cast<uint32_t>(i) >> shift));
    batch.put(hash_key('T', tx_id(tx)), loc);
  }
  Bytes tip;
  put_u64_be(tip, height);
  tip.insert(tip.end(), hash.begin(), hash.end());
  batch.put(tip_key(), tip);
  batch.put(history_leaf_key(height), hash);
  MerkleFrontier history = history_;
  history.append(leaf_hash(hash));
  batch.put(history_key(), history.serialize());

  s = kv_.write(batch, /*sync=*/true);
  if (!s.ok()) return s;
  tip_ = ChainTip{height, hash};
  history_ = std::move(history);
  return Status();
}

Result<v1::StoredBlock> BlockStore::block_at(uint64_t height) const {
  if (height == 0 || height > tip_.height) {
    return make_error(ErrorCode::kNotFound, "block store " + name_ + ": no block at height " + std::to_string(height));
  }
  auto raw = kv_.get(height_key(height));
  if (!raw.ok()) return raw.error();
  if (!raw->has_value()) return corruption("block at height " + std::to_string(height) + " is missing below the tip");
  auto stored = decode_stored_block(**raw);
  if (!stored.ok()) return corruption("block at height " + std::to_string(height) + ": " + stored.error().message);
  auto header = decode_block_header(as_bytes(stored->block().header()));
  JOET_ASSERT(header.ok());  // decode_stored_block checked it
  if (header->height() != height) return corruption("record at height " + std::to_string(height) + " holds another height");
  return stored;
}

Result<v1::BlockHeader> BlockStore::header_at(uint64_t height) const {
  auto stored = block_at(height);
  if (!stored.ok()) return stored.error();
  return decode_block_header(as_bytes(stored->block().header()));
}

Result<std::optional<uint64_t>> BlockStore::height_of(const Hash32& hash) const {
  auto raw = kv_.get(hash_key('H', hash));
  if (!raw.ok()) return raw.error();
  if (!raw->has_value()) return std::optional<uint64_t>();
  if ((*raw)->size() != 8) return corruption("block hash index entry is not 8 bytes");
  return std::optional<uint64_t>(get_u64_be((*raw)->data()));
}

Result<std::optional<TxLocation>> BlockStore::find_tx(const Hash32& id) const {
  auto raw = kv_.get(hash_key('T', id));
  if (!raw.ok()) return raw.error();
  if (!raw->has_value()) return std::optional<TxLocation>();
  const Bytes& v = **raw;
  if (v.size() != 12) return corruption("tx index entry is not 12 bytes");
  TxLocation loc;
  loc.height = get_u64_be(v.data());
  loc.index = static_cast<uint32_t>(v[8]) << 24 | static_cast<uint32_t>(v[9]) << 16 | static_cast<uint32_t>(v[10]) << 8 | v[11];
  return std::optional<TxLocation>(loc);
}

Result<std::vector<Hash32>> BlockStore::history_leaves(uint64_t count) const {
  std::vector<Hash32> leaves;
  leaves.reserve(count);
  Status s = kv_.scan(history_leaf_key(1), history_leaf_key(count + 1), [&](ByteView, ByteView value) {
    Hash32 h{};
    if (value.size() == 32) std::copy(value.begin(), value.end(), h.begin());
    leaves.push_back(leaf_hash(h));
    return value.size() == 32;
  });
  if (!s.ok()) return s.error();
  if (leaves.size() != count) return corruption("history leaves below the tip are missing or malformed");
  return leaves;
}

Result<v1::InclusionProof> BlockStore::history_inclusion_proof(uint64_t height, uint64_t tree_size) const {
  if (height == 0 || height > tree_size || tree_size > tip_.height) {
    return make_error(ErrorCode::kInvalidArgument, "history proof needs 1 <= height <= tree_size <= tip (" +
                                                       std::to_string(tip_.height) + ")");
  }
  auto leaves = history_leaves(tree_size);
  if (!leaves.ok()) return leaves.error();
  auto path = inclusion_proof(*leaves, height - 1);
  if (!path.ok()) return path.error();
  v1::InclusionProof proof;
  proof.set_leaf_index(height - 1);
  proof.set_tree_size(tree_size);
  for (const auto& h : *path) proof.add_hashes(to_string(h));
  return proof;
}

Result<v1::ConsistencyProof> BlockStore::history_consistency_proof(uint64_t size1, uint64_t size2) const {
  if (size1 == 0 || size1 > size2 || size2 > tip_.height) {
    return make_error(ErrorCode::kInvalidArgument, "consistency proof needs 1 <= size1 <= size2 <= tip (" +
                                                       std::to_string(tip_.height) + ")");
  }
  auto leaves = history_leaves(size2);
  if (!leaves.ok()) return leaves.error();
  auto hashes = consistency_proof(*leaves, size1);
  if (!hashes.ok()) return hashes.error();
  v1::ConsistencyProof proof;
  proof.set_size1(size1);
  proof.set_size2(size2);
  for (const auto& h : *hashes) proof.add_hashes(to_string(h));
  return proof;
}

}  // namespace joet
