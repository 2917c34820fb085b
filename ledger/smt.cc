#include "ledger/smt.h"


#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
#include <deque>
#include <memory>
#include <span>
#include <string_view>

#include "ledger/hash.h"

namespace joet {

namespace {

constexpr size_t kLevels = SparseMerkleTree::kBlockLevels;
constexpr size_t kMaxDepth = SparseMerkleTree::kMaxDepth;
constexpr Hash32 kEmpty{};

// Entry kinds (first byte of a stored entry).
constexpr uint8_t kBlockEntry = 0x01;
constexpr uint8_t kLeafEntry = 0x02;
constexpr size_t kLeafHeaderSize = 1 + 4;

// Position codes inside a block, in pre-order.
constexpr uint8_t kPosEmpty = 0x00;
constexpr uint8_t kPosInternal = 0x01;
constexpr uint8_t kPosLeaf = 0x02;
constexpr uint8_t kPosBlock = 0x03;

// Positions of a block in heap order: 1 is its top node, 2p and 2p+1 are the children of p, and the
// positions 4 levels down are 16..31.
constexpr int kPositions = 2 << kLevels;
constexpr int kFirstFrontier = 1 << kLevels;

size_t level_of(int pos) { return static_cast<size_t>(std::bit_width(static_cast<unsigned>(pos))) - 1; }

// Bit `depth` of a key hash, most significant bit of byte 0 first: 0 goes left, 1 goes right.
bool bit_at(const Hash32& key_hash, size_t depth) {
  JOET_ASSERT(depth < kMaxDepth);
  return ((key_hash[depth / 8] >> (7 - depth % 8)) & 1) != 0;
}

// Whether the first `bits` bits of a and b agree.
bool share_prefix(const Hash32& a, const Hash32& b, size_t bits) {
  JOET_ASSERT(bits <= kMaxDepth);
  size_t whole = bits / 8;
  if (std::memcmp(a.data(), b.data(), whole) != 0) return false;
  size_t rest = bits % 8;
  if (rest == 0) return true;
  auto mask = static_cast<uint8_t>(0xff << (8 - rest));
  return (a[whole] & mask) == (b[whole] & mask);
}

Hash32 key_hash_of(ByteView key) {
  thread_local TaggedHasher h(tags::kSmtKey);
  return h.hash(key);
}
Hash32 value_hash_of(ByteView value) {
  thread_local TaggedHasher h(tags::kSmtValue);
  return h.hash(value);
}
Hash32 leaf_hash_of(const Hash32& key_hash, const Hash32& value_hash) {
  thread_local TaggedHasher h(tags::kSmtLeaf);
  return h.hash(key_hash, value_hash);
}
Hash32 node_hash_of(const Hash32& left, const Hash32& right) {
  thread_local TaggedHasher h(tags::kSmtNode);
  return h.hash(left, right);
}

Hash32 hash_at(ByteView bytes, size_t offset) {
  Hash32 h;
  std::memcpy(h.data(), bytes.data() + offset, 32);
  return h;
}

Hash32 hash_from_proof_bytes(const std::string& s) {
  JOET_ASSERT(s.size() == 32);
  Hash32 h;
  std::memcpy(h.data(), s.data(), 32);
  return h;
}

Error corrupt(const Hash32& hash, const std::string& what) {
  return make_error(ErrorCode::kCorruption, "SMT node " + to_hex(hash) + ": " + what);
}

enum class Kind : uint8_t { kNone, kLeaf, kInternal };  // kNone: the empty subtree

// A subtree as the update and the walks see it.
struct Slot {
  Kind kind = Kind::kNone;
  Hash32 hash{};        // kEmpty for kNone
  Hash32 key_hash{};    // leaf
  Hash32 value_hash{};  // leaf
};

// A decoded, checked block: the binary subtree of the internal node at `depth` (a multiple of 4).
struct Block {
  size_t depth = 0;
  std::array<Slot, kPositions> slots;  // index 0 unused; positions under a leaf or empty are never read
};

// A decoded, checked leaf entry.
struct Leaf {
  Slot slot;
  Bytes key, value;
};

// Pre-order block decoder: structure, canonical shape and every hash are checked.
class BlockDecoder {
 public:
  BlockDecoder(const Hash32& hash, ByteView bytes, Block& out) : hash_(hash), in_(bytes), out_(out) {}

  Status decode() {
    if (in_.empty() || in_[0] != kBlockEntry) return corrupt(hash_, "not a block");
    at_ = 1;
    Status s = position(1);
    if (!s.ok()) return s;
    if (out_.slots[1].kind != Kind::kInternal) return corrupt(hash_, "block top is not an internal node");
    if (at_ != in_.size()) return corrupt(hash_, "trailing bytes after the block");
    if (out_.slots[1].hash != hash_) return corrupt(hash_, "block does not match its hash");
    return Status();
  }

 private:
  Status position(int pos) {
    const size_t level = level_of(pos);
    if (at_ >= in_.size()) return corrupt(hash_, "block ends early");
    Slot& slot = out_.slots[static_cast<size_t>(pos)];
    switch (in_[at_++]) {
      case kPosEmpty:
        slot = Slot{};
        return Status();
      case kPosLeaf:
        if (in_.size() - at_ < 64) return corrupt(hash_, "block ends inside a leaf");
        slot.kind = Kind::kLeaf;
        slot.key_hash = hash_at(in_, at_);
        slot.value_hash = hash_at(in_, at_ + 32);
        slot.hash = leaf_hash_of(slot.key_hash, slot.value_hash);
        at_ += 64;
        return Status();
      case kPosBlock:
        if (level != kLevels) return corrupt(hash_, "block reference above the block's last level");
        if (out_.depth + kLevels >= kMaxDepth) return corrupt(hash_, "block reference below the deepest level");
        if (in_.size() - at_ < 32) return corrupt(hash_, "block ends inside a reference");
        slot = Slot{};
        slot.kind = Kind::kInternal;
        slot.hash = hash_at(in_, at_);
        at_ += 32;
        if (slot.hash == kEmpty) return corrupt(hash_, "block reference to the empty subtree");
        return Status();
      case kPosInternal: {
        if (level >= kLevels) return corrupt(hash_, "internal node on the block's last level");
        Status s = position(2 * pos);
        if (!s.ok()) return s;
        s = position(2 * pos + 1);
        if (!s.ok()) return s;
        const Slot& l = out_.slots[static_cast<size_t>(2 * pos)];
        const Slot& r = out_.slots[static_cast<size_t>(2 * pos + 1)];
        // Canonical shape: an internal node holds at least two leaves.
        if ((l.kind == Kind::kNone && r.kind != Kind::kInternal) || (r.kind == Kind::kNone && l.kind != Kind::kInternal)) {
          return corrupt(hash_, "internal node that should have collapsed");
        }
        slot = Slot{};
        slot.kind = Kind::kInternal;
        slot.hash = node_hash_of(l.hash, r.hash);
        return Status();
      }
      default:
        return corrupt(hash_, "unknown position code in block");
    }
  }

  const Hash32& hash_;
  ByteView in_;
  Block& out_;
  size_t at_ = 0;
};

Status decode_leaf(const Hash32& hash, ByteView bytes, Leaf& out) {
  if (bytes.size() < kLeafHeaderSize || bytes[0] != kLeafEntry) return corrupt(hash, "not a leaf");
  uint64_t key_size = (uint64_t{bytes[1]} << 24) | (uint64_t{bytes[2]} << 16) | (uint64_t{bytes[3]} << 8) | bytes[4];
  if (key_size > bytes.size() - kLeafHeaderSize) return corrupt(hash, "leaf key runs past the end of the entry");
  ByteView key = bytes.subspan(kLeafHeaderSize, key_size);
  ByteView value = bytes.subspan(kLeafHeaderSize + key_size);
  out.slot.kind = Kind::kLeaf;
  out.slot.key_hash = key_hash_of(key);
  out.slot.value_hash = value_hash_of(value);
  out.slot.hash = leaf_hash_of(out.slot.key_hash, out.slot.value_hash);
  if (out.slot.hash != hash) return corrupt(hash, "leaf does not match its hash");
  out.key.assign(key.begin(), key.end());
  out.value.assign(value.begin(), value.end());
  return Status();
}

Bytes encode_leaf(ByteView key, ByteView value) {
  JOET_ASSERT(key.size() <= SparseMerkleTree::kMaxKeyBytes);
  Bytes out;
  out.reserve(kLeafHeaderSize + key.size() + value.size());
  out.push_back(kLeafEntry);
  auto size = static_cast<uint32_t>(key.size());
  out.push_back(static_cast<uint8_t>(size >> 24));
  out.push_back(static_cast<uint8_t>(size >> 16));
  out.push_back(static_cast<uint8_t>(size >> 8));
  out.push_back(static_cast<uint8_t>(size));
  out.insert(out.end(), key.begin(), key.end());
  out.insert(out.end(), value.begin(), value.end());
  return out;
}

// Reads and checks the entries of one tree.
class EntryReader {
 public:
  EntryReader(const KvReader& store, const std::string& prefix) : store_(store), key_(prefix.begin(), prefix.end()) {
    prefix_size_ = key_.size();
    key_.resize(prefix_size_ + 32);
  }

  ByteView key_for(const Hash32& hash) {
    std::memcpy(key_.data() + prefix_size_, hash.data(), 32);
    return key_;
  }

  // `is_root`: the hash came from the caller, not from a stored entry, so its absence is kNotFound.
  Result<Bytes> read(const Hash32& hash, bool is_root) {
    JOET_ASSERT(hash != kEmpty);  // the empty subtree is never stored
    auto got = store_.get(key_for(hash));
    if (!got.ok()) return got.error();
    if (!got->has_value()) {
      if (is_root) return make_error(ErrorCode::kNotFound, "SMT root " + to_hex(hash) + " is not in the store");
      return corrupt(hash, "missing from the store, but a stored block references it");
    }
    return std::move(**got);
  }

  Status read_block(const Hash32& hash, size_t depth, bool is_root, Block& out) {
    auto bytes = read(hash, is_root);
    if (!bytes.ok()) return bytes.status();
    out.depth = depth;  // positions the decoder does not write (below a leaf or empty) are never read
    return BlockDecoder(hash, *bytes, out).decode();
  }

  Status read_leaf(const Hash32& hash, Leaf& out) {
    auto bytes = read(hash, false);
    if (!bytes.ok()) return bytes.status();
    return decode_leaf(hash, *bytes, out);
  }

  // A root is a block, or a leaf when the tree holds one key. Sets exactly one of `block` and `leaf`.
  Status read_root(const Hash32& root, Block& block, Leaf& leaf, bool& is_leaf) {
    auto bytes = read(root, true);
    if (!bytes.ok()) return bytes.status();
    is_leaf = !bytes->empty() && (*bytes)[0] == kLeafEntry;
    if (is_leaf) return decode_leaf(root, *bytes, leaf);
    block.depth = 0;
    return BlockDecoder(root, *bytes, block).decode();
  }

 private:
  const KvReader& store_;
  Bytes key_;
  size_t prefix_size_ = 0;
};

// One change, or the leaf already in the tree, on its way into a rebuilt subtree.
struct Entry {
  Slot leaf;                     // key_hash always; hash and value_hash when live
  const Bytes* key = nullptr;    // the change's key; null for a leaf already stored
  const Bytes* value = nullptr;  // the put's value; null for a delete or a stored leaf
  bool live = false;             // a put, or the stored leaf: it ends up in the tree
  bool stored = false;           // its leaf entry is already in the store
};

// A subtree produced by an update: a slot, and for an internal node above the last level of its
// block, where its children are (a node made by this update, or an unchanged place in a read block).
struct Ref {
  Slot slot;
  int fresh = -1;                // index into the update's new internal nodes
  const Block* block = nullptr;  // unchanged: the block and position it was read from
  int pos = 0;
};

Ref ref_at(const Block& block, int pos) { return Ref{block.slots[static_cast<size_t>(pos)], -1, &block, pos}; }

// One batched update: sorted changes in, rebuilt paths out, new entries into the batch.
class Updater {
 public:
  Updater(const KvReader& store, WriteBatch& batch, const std::string& prefix)
      : overlay_(store, batch), entries_(overlay_, prefix), batch_(batch) {}

  Result<Ref> apply_root(const Hash32& root, std::span<const Entry> changes) {
    if (root == kEmpty) return build(0, changes);
    if (changes.empty()) return Ref{Slot{Kind::kInternal, root, {}, {}}};
    Block& block = blocks_.emplace_back();
    Leaf leaf;
    bool is_leaf = false;
    Status s = entries_.read_root(root, block, leaf, is_leaf);
    if (!s.ok()) return s;
    if (is_leaf) return merge_into_leaf(leaf.slot, 0, changes);
    return apply(block, 1, 0, changes);
  }

 private:
  // Applies `changes` (sorted by key hash, unique, all on the path to `pos`) at position `pos` of
  // `block`, which is at `depth`.
  Result<Ref> apply(const Block& block, int pos, size_t depth, std::span<const Entry> changes) {
    const Slot& slot = block.slots[static_cast<size_t>(pos)];
    if (changes.empty()) return ref_at(block, pos);
    if (slot.kind == Kind::kNone) return build(depth, changes);
    if (slot.kind == Kind::kLeaf) return merge_into_leaf(slot, depth, changes);
    if (pos >= kFirstFrontier) {  // the top of the next block down
      Block& next = blocks_.emplace_back();
      Status s = entries_.read_block(slot.hash, depth, false, next);
      if (!s.ok()) return s;
      return apply(next, 1, depth, changes);
    }
    size_t mid = split(depth, changes);
    auto left = apply(block, 2 * pos, depth + 1, changes.first(mid));
    if (!left.ok()) return left;
    auto right = apply(block, 2 * pos + 1, depth + 1, changes.subspan(mid));
    if (!right.ok()) return right;
    if (left->slot.hash == block.slots[static_cast<size_t>(2 * pos)].hash &&
        right->slot.hash == block.slots[static_cast<size_t>(2 * pos + 1)].hash) {
      return ref_at(block, pos);
    }
    return combine(*left, *right, depth);
  }

  static size_t split(size_t depth, std::span<const Entry> entries) {
    auto it = std::partition_point(entries.begin(), entries.end(),
                                   [depth](const Entry& e) { return !bit_at(e.leaf.key_hash, depth); });
    return static_cast<size_t>(it - entries.begin());
  }

  // The subtree was a single stored leaf: rebuild it from that leaf plus the changes.
  Result<Ref> merge_into_leaf(const Slot& leaf, size_t depth, std::span<const Entry> changes) {
    std::vector<Entry> merged;
    merged.reserve(changes.size() + 1);
    bool replaced = false;
    for (const Entry& e : changes) {
      merged.push_back(e);
      if (e.leaf.key_hash == leaf.key_hash) {
        replaced = true;
        if (e.live && e.leaf.hash == leaf.hash) merged.back().stored = true;  // the same value again
      }
    }
    if (!replaced) {
      Entry existing;
      existing.leaf = leaf;
      existing.live = true;
      existing.stored = true;
      auto at = std::lower_bound(merged.begin(), merged.end(), existing,
                                 [](const Entry& a, const Entry& b) { return a.leaf.key_hash < b.leaf.key_hash; });
      merged.insert(at, existing);
    }
    return build(depth, merged);
  }

  // The canonical subtree at `depth` holding exactly the live entries.
  Result<Ref> build(size_t depth, std::span<const Entry> entries) {
    const Entry* only = nullptr;
    size_t live = 0;
    for (const Entry& e : entries) {
      if (!e.live) continue;
      only = &e;
      if (++live > 1) break;
    }
    if (live == 0) return Ref{};
    if (live == 1) {
      if (!only->stored) {
        JOET_ASSERT(only->key != nullptr && only->value != nullptr);
        batch_.put(entries_.key_for(only->leaf.hash), encode_leaf(*only->key, *only->value));
      }
      return Ref{only->leaf};
    }
    // Two distinct key hashes part before the last bit, so this depth always exists.
    JOET_ASSERT(depth < kMaxDepth);
    size_t mid = split(depth, entries);
    auto left = build(depth + 1, entries.first(mid));
    if (!left.ok()) return left;
    auto right = build(depth + 1, entries.subspan(mid));
    if (!right.ok()) return right;
    return combine(*left, *right, depth);
  }

  // The parent at `depth` of two rebuilt subtrees: empty, a leaf lifted up (compression), or a new
  // internal node, written as a block when `depth` is a block top.
  Result<Ref> combine(const Ref& left, const Ref& right, size_t depth) {
    const Kind l = left.slot.kind;
    const Kind r = right.slot.kind;
    if (l == Kind::kNone && r == Kind::kNone) return Ref{};
    if (l == Kind::kNone && r == Kind::kLeaf) return right;  // a leaf's hash does not depend on its depth
    if (r == Kind::kNone && l == Kind::kLeaf) return left;
    Ref node;
    node.slot.kind = Kind::kInternal;
    node.slot.hash = node_hash_of(left.slot.hash, right.slot.hash);
    node.fresh = static_cast<int>(fresh_.size());
    fresh_.push_back({left, right});
    if (depth % kLevels == 0) {
      Bytes encoded{kBlockEntry};
      encoded.reserve(512);
      emit(node, 0, encoded);
      batch_.put(entries_.key_for(node.slot.hash), encoded);
    }
    return node;
  }

  // Appends `ref` as the position at `level` of a block being written.
  void emit(const Ref& ref, size_t level, Bytes& out) const {
    const Slot& s = ref.slot;
    switch (s.kind) {
      case Kind::kNone:
        out.push_back(kPosEmpty);
        return;
      case Kind::kLeaf:
        out.push_back(kPosLeaf);
        out.insert(out.end(), s.key_hash.begin(), s.key_hash.end());
        out.insert(out.end(), s.value_hash.begin(), s.value_hash.end());
        return;
      case Kind::kInternal:
        if (level == kLevels) {
          out.push_back(kPosBlock);
          out.insert(out.end(), s.hash.begin(), s.hash.end());
          return;
        }
        out.push_back(kPosInternal);
        if (ref.fresh >= 0) {
          const auto& [left, right] = fresh_[static_cast<size_t>(ref.fresh)];
          emit(left, level + 1, out);
          emit(right, level + 1, out);
        } else {
          // An unchanged node above its block's last level (a block top is never re-emitted inside a
          // block: internal nodes never change depth, and block tops sit on the last level).
          JOET_ASSERT(ref.block != nullptr && ref.pos < kFirstFrontier);
          emit(ref_at(*ref.block, 2 * ref.pos), level + 1, out);
          emit(ref_at(*ref.block, 2 * ref.pos + 1), level + 1, out);
        }
        return;
    }
  }

  OverlayReader overlay_;
  EntryReader entries_;
  WriteBatch& batch_;
  std::deque<Block> blocks_;                   // every block read, alive for the whole update
  std::deque<std::pair<Ref, Ref>> fresh_;      // children of the internal nodes made by the update
};

// Sorts by key hash and keeps the last change of each key.
Result<std::vector<Entry>> prepare(const std::vector<SmtChange>& changes) {
  std::vector<Entry> entries;
  entries.reserve(changes.size());
  for (const auto& [key, value] : changes) {
    if (key.size() > SparseMerkleTree::kMaxKeyBytes) {
      return make_error(ErrorCode::kTooLarge, "SMT key of " + std::to_string(key.size()) + " bytes (limit " +
                                                  std::to_string(SparseMerkleTree::kMaxKeyBytes) + ")");
    }
    if (value && value->size() > SparseMerkleTree::kMaxValueBytes) {
      return make_error(ErrorCode::kTooLarge, "SMT value of " + std::to_string(value->size()) + " bytes (limit " +
                                                  std::to_string(SparseMerkleTree::kMaxValueBytes) + ")");
    }
    Entry e;
    e.leaf.key_hash = key_hash_of(key);
    e.key = &key;
    if (value) {
      e.value = &*value;
      e.live = true;
      e.leaf.kind = Kind::kLeaf;
      e.leaf.value_hash = value_hash_of(*value);
      e.leaf.hash = leaf_hash_of(e.leaf.key_hash, e.leaf.value_hash);
    }
    entries.push_back(e);
  }
  std::stable_sort(entries.begin(), entries.end(),
                   [](const Entry& a, const Entry& b) { return a.leaf.key_hash < b.leaf.key_hash; });
  std::vector<Entry> unique;
  unique.reserve(entries.size());
  for (size_t i = 0; i < entries.size(); ++i) {
    if (i + 1 < entries.size() && entries[i + 1].leaf.key_hash == entries[i].leaf.key_hash) continue;  // a later change wins
    unique.push_back(entries[i]);
  }
  return unique;
}

// Where a key's path ends in the tree at some root.
struct Lookup {
  std::vector<Hash32> siblings;  // root-down; filled only when asked
  bool present = false;
  Bytes value;                   // when present
  std::optional<Slot> other;     // when the path ends in another key's leaf
};

Result<Lookup> lookup(const KvReader& store, const std::string& prefix, const Hash32& root, ByteView key,
                      bool want_siblings) {
  const Hash32 key_hash = key_hash_of(key);
  Lookup out;
  if (root == kEmpty) return out;
  EntryReader entries(store, prefix);
  auto block = std::make_unique<Block>();
  Leaf leaf;
  bool root_is_leaf = false;
  Status s = entries.read_root(root, *block, leaf, root_is_leaf);
  if (!s.ok()) return s;
  Slot end = leaf.slot;
  if (!root_is_leaf) {
    int pos = 1;
    for (size_t depth = 0;;) {
      const Slot& slot = block->slots[static_cast<size_t>(pos)];
      if (slot.kind != Kind::kInternal) {
        end = slot;
        break;
      }
      if (pos >= kFirstFrontier) {  // the top of the next block down (the decoder bounds the depth)
        Hash32 next = slot.hash;
        s = entries.read_block(next, depth, false, *block);
        if (!s.ok()) return s;
        pos = 1;
        continue;
      }
      bool right = bit_at(key_hash, depth);
      if (want_siblings) out.siblings.push_back(block->slots[static_cast<size_t>(2 * pos + (right ? 0 : 1))].hash);
      pos = 2 * pos + (right ? 1 : 0);
      ++depth;
    }
  }
  if (end.kind == Kind::kNone) return out;
  if (end.key_hash != key_hash) {
    out.other = end;
    return out;
  }
  if (!root_is_leaf) {
    s = entries.read_leaf(end.hash, leaf);
    if (!s.ok()) return s;
  }
  if (!std::equal(leaf.key.begin(), leaf.key.end(), key.begin(), key.end())) {
    return corrupt(end.hash, "leaf key differs from the key of the same hash");
  }
  out.present = true;
  out.value = std::move(leaf.value);
  return out;
}

}  // namespace

SparseMerkleTree::SparseMerkleTree(std::string node_prefix) : node_prefix_(std::move(node_prefix)) {}

Hash32 SparseMerkleTree::empty_root() { return kEmpty; }

Result<Hash32> SparseMerkleTree::update(const KvReader& store, WriteBatch& batch, const Hash32& root,
                                        const std::vector<SmtChange>& changes) const {
  auto entries = prepare(changes);
  if (!entries.ok()) return entries.error();
  Updater updater(store, batch, node_prefix_);
  auto ref = updater.apply_root(root, *entries);
  if (!ref.ok()) return ref.error();
  return ref->slot.hash;
}

Result<std::optional<Bytes>> SparseMerkleTree::get(const KvReader& store, const Hash32& root, ByteView key) const {
  auto found = lookup(store, node_prefix_, root, key, false);
  if (!found.ok()) return found.error();
  if (!found->present) return std::optional<Bytes>();
  return std::optional<Bytes>(std::move(found->value));
}

Result<joet::v1::StateProof> SparseMerkleTree::prove(const KvReader& store, const Hash32& root, ByteView key) const {
  auto found = lookup(store, node_prefix_, root, key, true);
  if (!found.ok()) return found.error();
  joet::v1::StateProof proof;
  proof.set_key(to_string(key));
  proof.set_present(found->present);
  if (found->present) proof.set_value(to_string(found->value));
  for (const Hash32& s : found->siblings) proof.add_siblings(to_string(s));
  if (found->other) {
    proof.set_other_key_hash(to_string(found->other->key_hash));
    proof.set_other_value_hash(to_string(found->other->value_hash));
  }
  return proof;
}

Status verify_state_proof(const Hash32& root, const joet::v1::StateProof& proof) {
  const auto depth = static_cast<size_t>(proof.siblings_size());
  if (depth > kMaxDepth) {
    return make_error(ErrorCode::kMalformed, "state proof with " + std::to_string(depth) + " siblings (at most 256)");
  }
  for (const std::string& s : proof.siblings()) {
    if (s.size() != 32) return make_error(ErrorCode::kMalformed, "state proof sibling is not 32 bytes");
  }
  const bool has_other = !proof.other_key_hash().empty() || !proof.other_value_hash().empty();
  if (has_other && (proof.other_key_hash().size() != 32 || proof.other_value_hash().size() != 32)) {
    return make_error(ErrorCode::kMalformed, "state proof other_key_hash/other_value_hash is not 32 bytes");
  }
  if (proof.present() && has_other) {
    return make_error(ErrorCode::kMalformed, "state proof of a present key names another leaf");
  }
  if (!proof.present() && !proof.value().empty()) {
    return make_error(ErrorCode::kMalformed, "state proof of an absent key carries a value");
  }

  const Hash32 key_hash = key_hash_of(as_bytes(proof.key()));
  Hash32 h = kEmpty;
  if (proof.present()) {
    h = leaf_hash_of(key_hash, value_hash_of(as_bytes(proof.value())));
  } else if (has_other) {
    Hash32 other_key_hash = hash_from_proof_bytes(proof.other_key_hash());
    if (other_key_hash == key_hash) return make_error(ErrorCode::kBadProof, "state proof: the other leaf is the key's own");
    if (!share_prefix(other_key_hash, key_hash, depth)) {
      return make_error(ErrorCode::kBadProof, "state proof: the other leaf is not on the key's path");
    }
    h = leaf_hash_of(other_key_hash, hash_from_proof_bytes(proof.other_value_hash()));
  }
  // In the canonical tree a leaf or an empty subtree never has an empty sibling (it would have moved up).
  if (depth > 0 && hash_from_proof_bytes(proof.siblings(static_cast<int>(depth - 1))) == kEmpty) {
    return make_error(ErrorCode::kBadProof, "state proof: the deepest sibling is empty (not canonical)");
  }
  for (size_t i = depth; i-- > 0;) {
    Hash32 sibling = hash_from_proof_bytes(proof.siblings(static_cast<int>(i)));
    h = bit_at(key_hash, i) ? node_hash_of(sibling, h) : node_hash_of(h, sibling);
  }
  if (h != root) return make_error(ErrorCode::kBadProof, "state proof does not lead to root " + to_hex(root));
  return Status();
}

}  // namespace joet
