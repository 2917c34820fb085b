#include "ledger/merkle.h"

#include <algorithm>
#include <array>
#include <bit>
#include <string>
#include <utility>

#include "ledger/hash.h"

namespace joet {

namespace {

constexpr uint8_t kLeafPrefix = 0x00;
constexpr uint8_t kNodePrefix = 0x01;
constexpr size_t kHashBytes = 32;

Hash32 empty_root() { return sha256(std::string_view()); }

// The root of a compact range: its subtree roots folded from the right, H(s0, H(s1, ... H(sk-2, sk-1))).
Hash32 fold_from_right(std::span<const Hash32> subtree_roots) {
  JOET_ASSERT(!subtree_roots.empty());
  Hash32 root = subtree_roots.back();
  for (size_t i = subtree_roots.size() - 1; i > 0; --i) root = node_hash(subtree_roots[i - 1], root);
  return root;
}

// The largest power of two smaller than n (n >= 2): the split point k of RFC 6962 section 2.1.
uint64_t split_point(uint64_t n) {
  JOET_ASSERT(n >= 2);
  uint64_t k = std::bit_floor(n - 1);
  JOET_ASSERT(k < n && 2 * k >= n);
  return k;
}

uint64_t shift_right(uint64_t v, unsigned bits) { return bits >= 64 ? 0 : v >> bits; }

// Number of hashes in the inclusion proof of leaf `index` in a tree of `size` leaves (index < size):
// `inner` siblings below the node where the paths to `index` and to `size - 1` part, then one left
// sibling per set bit of what is left of the index above it.
size_t inclusion_proof_size(uint64_t index, uint64_t size) {
  JOET_ASSERT(index < size);
  unsigned inner = static_cast<unsigned>(std::bit_width(index ^ (size - 1)));
  unsigned border = static_cast<unsigned>(std::popcount(shift_right(index, inner)));
  return inner + border;
}

// Number of hashes in the consistency proof from size1 to size2 (0 < size1 < size2): the inclusion
// proof of the last perfect subtree of the old tree, plus that subtree's root unless it is the whole
// old tree (size1 a power of two).
size_t consistency_proof_size(uint64_t size1, uint64_t size2) {
  JOET_ASSERT(0 < size1 && size1 < size2);
  unsigned shift = static_cast<unsigned>(std::countr_zero(size1));
  unsigned inner = static_cast<unsigned>(std::bit_width((size1 - 1) ^ (size2 - 1)));
  unsigned border = static_cast<unsigned>(std::popcount(shift_right(size1 - 1, inner)));
  JOET_ASSERT(inner > shift);
  size_t seed = std::has_single_bit(size1) ? 0 : 1;
  return seed + (inner - shift) + border;
}

Result<Hash32> hash_from(ByteView bytes, const char* what) {
  if (bytes.size() != kHashBytes) {
    return make_error(ErrorCode::kMalformed,
                      std::string(what) + " is " + std::to_string(bytes.size()) + " bytes, not 32");
  }
  Hash32 h;
  std::copy(bytes.begin(), bytes.end(), h.begin());
  return h;
}

// Called only after the proof length was checked against the tree shape, so `proof` is short.
template <typename Elem>
Result<std::vector<Hash32>> proof_hashes(std::span<const Elem> proof) {
  std::vector<Hash32> out;
  out.reserve(proof.size());
  for (size_t i = 0; i < proof.size(); ++i) {
    ByteView bytes(proof[i]);
    if (bytes.size() != kHashBytes) {
      return make_error(ErrorCode::kMalformed, "proof hash " + std::to_string(i) + " is " +
                                                   std::to_string(bytes.size()) + " bytes, not 32");
    }
    Hash32& h = out.emplace_back();
    std::copy(bytes.begin(), bytes.end(), h.begin());
  }
  return out;
}

Status bad_proof(std::string message) { return make_error(ErrorCode::kBadProof, std::move(message)); }

template <typename Elem>
Status verify_inclusion_impl(uint64_t leaf_index, uint64_t tree_size, ByteView leaf, std::span<const Elem> proof,
                             ByteView root_bytes) {
  if (leaf_index >= tree_size) {
    return make_error(ErrorCode::kInvalidArgument, "leaf index " + std::to_string(leaf_index) +
                                                       " is not below tree size " + std::to_string(tree_size));
  }
  auto seed = hash_from(leaf, "leaf hash");
  if (!seed.ok()) return seed.status();
  auto root = hash_from(root_bytes, "root");
  if (!root.ok()) return root.status();
  size_t want = inclusion_proof_size(leaf_index, tree_size);
  if (proof.size() != want) {
    return bad_proof("inclusion proof has " + std::to_string(proof.size()) + " hashes, leaf " +
                     std::to_string(leaf_index) + " of a tree of size " + std::to_string(tree_size) + " needs " +
                     std::to_string(want));
  }
  auto path = proof_hashes(proof);
  if (!path.ok()) return path.status();

  // RFC 9162 section 2.1.3.2.
  uint64_t fn = leaf_index;
  uint64_t sn = tree_size - 1;
  Hash32 r = *seed;
  for (const Hash32& p : *path) {
    if (sn == 0) return bad_proof("proof is longer than the tree is high");  // unreachable after the length check
    if ((fn & 1) == 1 || fn == sn) {
      r = node_hash(p, r);
      while ((fn & 1) == 0 && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      r = node_hash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) return bad_proof("proof is shorter than the tree is high");  // unreachable after the length check
  if (r != *root) return bad_proof("inclusion proof leads to " + to_hex(r) + ", not to the given root");
  return Status::ok_status();
}

template <typename Elem>
Status verify_consistency_impl(uint64_t size1, uint64_t size2, std::span<const Elem> proof, ByteView root1_bytes,
                               ByteView root2_bytes) {
  if (size1 > size2) {
    return make_error(ErrorCode::kInvalidArgument,
                      "size1 " + std::to_string(size1) + " is greater than size2 " + std::to_string(size2));
  }
  if (size1 == 0) {
    return make_error(ErrorCode::kInvalidArgument, "a consistency proof from the empty tree is meaningless");
  }
  if (size1 == size2) {
    if (!proof.empty()) return bad_proof("the tree sizes are equal but the proof is not empty");
    if (!std::ranges::equal(root1_bytes, root2_bytes)) return bad_proof("the tree sizes are equal but the roots differ");
    return Status::ok_status();
  }
  auto root1 = hash_from(root1_bytes, "root1");
  if (!root1.ok()) return root1.status();
  auto root2 = hash_from(root2_bytes, "root2");
  if (!root2.ok()) return root2.status();
  size_t want = consistency_proof_size(size1, size2);
  if (proof.size() != want) {
    return bad_proof("consistency proof has " + std::to_string(proof.size()) + " hashes, sizes " +
                     std::to_string(size1) + " to " + std::to_string(size2) + " need " + std::to_string(want));
  }
  auto path = proof_hashes(proof);
  if (!path.ok()) return path.status();

  // RFC 9162 section 2.1.4.2; when size1 is a power of two, root1 is the implicit first element.
  size_t first = std::has_single_bit(size1) ? 0 : 1;
  Hash32 seed = first == 0 ? *root1 : (*path)[0];
  uint64_t fn = size1 - 1;
  uint64_t sn = size2 - 1;
  while ((fn & 1) == 1) {
    fn >>= 1;
    sn >>= 1;
  }
  Hash32 fr = seed;
  Hash32 sr = seed;
  for (size_t i = first; i < path->size(); ++i) {
    const Hash32& c = (*path)[i];
    if (sn == 0) return bad_proof("proof is longer than the tree is high");  // unreachable after the length check
    if ((fn & 1) == 1 || fn == sn) {
      fr = node_hash(c, fr);
      sr = node_hash(c, sr);
      while ((fn & 1) == 0 && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      sr = node_hash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) return bad_proof("proof is shorter than the tree is high");  // unreachable after the length check
  if (fr != *root1) return bad_proof("consistency proof leads to " + to_hex(fr) + ", not to root1");
  if (sr != *root2) return bad_proof("consistency proof leads to " + to_hex(sr) + ", not to root2");
  return Status::ok_status();
}

}  // namespace

Hash32 leaf_hash(ByteView data) {
  thread_local Sha256 hasher;
  const uint8_t prefix = kLeafPrefix;
  return hasher.update(ByteView(&prefix, 1)).update(data).finish();
}

Hash32 node_hash(const Hash32& left, const Hash32& right) {
  std::array<uint8_t, 1 + 2 * kHashBytes> buf;
  buf[0] = kNodePrefix;
  std::copy(left.begin(), left.end(), buf.begin() + 1);
  std::copy(right.begin(), right.end(), buf.begin() + 1 + kHashBytes);
  thread_local Sha256 hasher;  // reusing the context is ~25% faster than the one-shot sha256()
  return hasher.update(ByteView(buf)).finish();
}

Hash32 merkle_root(std::span<const Hash32> leaf_hashes) {
  if (leaf_hashes.empty()) return empty_root();
  // A frontier on the stack: stack[0..depth) are the roots of the perfect subtrees of the leaves so far.
  std::array<Hash32, MerkleFrontier::kMaxHashes> stack;
  size_t depth = 0;
  for (uint64_t i = 0; i < leaf_hashes.size(); ++i) {
    Hash32 h = leaf_hashes[i];
    for (uint64_t s = i; (s & 1) == 1; s >>= 1) {
      JOET_ASSERT(depth > 0);
      h = node_hash(stack[--depth], h);
    }
    JOET_ASSERT(depth < stack.size());
    stack[depth++] = h;
  }
  JOET_ASSERT(depth == static_cast<size_t>(std::popcount(static_cast<uint64_t>(leaf_hashes.size()))));
  return fold_from_right(std::span<const Hash32>(stack.data(), depth));
}

Result<std::vector<Hash32>> inclusion_proof(std::span<const Hash32> leaf_hashes, uint64_t leaf_index) {
  const uint64_t n = leaf_hashes.size();
  if (leaf_index >= n) {
    return make_error(ErrorCode::kInvalidArgument, "leaf index " + std::to_string(leaf_index) +
                                                       " is not below tree size " + std::to_string(n));
  }
  // RFC 6962 section 2.1.1, unrolled from the root down; the siblings come out top first.
  std::vector<Hash32> proof;
  uint64_t begin = 0;
  uint64_t end = n;
  uint64_t m = leaf_index;
  while (end - begin > 1) {
    uint64_t k = split_point(end - begin);
    if (m < k) {
      proof.push_back(merkle_root(leaf_hashes.subspan(begin + k, end - begin - k)));
      end = begin + k;
    } else {
      proof.push_back(merkle_root(leaf_hashes.subspan(begin, k)));
      begin += k;
      m -= k;
    }
  }
  JOET_ASSERT(m == 0 && begin == leaf_index);
  std::reverse(proof.begin(), proof.end());
  JOET_ASSERT(proof.size() == inclusion_proof_size(leaf_index, n));
  return proof;
}

Result<std::vector<Hash32>> consistency_proof(std::span<const Hash32> leaf_hashes, uint64_t size1) {
  const uint64_t n = leaf_hashes.size();
  if (size1 == 0) {
    return make_error(ErrorCode::kInvalidArgument, "a consistency proof from the empty tree is meaningless");
  }
  if (size1 > n) {
    return make_error(ErrorCode::kInvalidArgument,
                      "size1 " + std::to_string(size1) + " is greater than tree size " + std::to_string(n));
  }
  // RFC 6962 section 2.1.2 SUBPROOF, unrolled from the root down; `whole` is its flag b: the old tree is
  // still the whole of the current left subtree, so the verifier knows its root already.
  std::vector<Hash32> proof;
  uint64_t begin = 0;
  uint64_t end = n;
  uint64_t m = size1;
  bool whole = true;
  while (m != end - begin) {
    uint64_t k = split_point(end - begin);
    if (m <= k) {
      proof.push_back(merkle_root(leaf_hashes.subspan(begin + k, end - begin - k)));
      end = begin + k;
    } else {
      proof.push_back(merkle_root(leaf_hashes.subspan(begin, k)));
      begin += k;
      m -= k;
      whole = false;
    }
  }
  if (!whole) proof.push_back(merkle_root(leaf_hashes.subspan(begin, end - begin)));
  std::reverse(proof.begin(), proof.end());
  JOET_ASSERT(size1 == n ? proof.empty() : proof.size() == consistency_proof_size(size1, n));
  return proof;
}

Status verify_inclusion(uint64_t leaf_index, uint64_t tree_size, ByteView leaf_hash, std::span<const Bytes> proof,
                        ByteView root) {
  return verify_inclusion_impl(leaf_index, tree_size, leaf_hash, proof, root);
}

Status verify_inclusion(uint64_t leaf_index, uint64_t tree_size, ByteView leaf_hash, std::span<const Hash32> proof,
                        ByteView root) {
  return verify_inclusion_impl(leaf_index, tree_size, leaf_hash, proof, root);
}

Status verify_consistency(uint64_t size1, uint64_t size2, std::span<const Bytes> proof, ByteView root1,
                          ByteView root2) {
  return verify_consistency_impl(size1, size2, proof, root1, root2);
}

Status verify_consistency(uint64_t size1, uint64_t size2, std::span<const Hash32> proof, ByteView root1,
                          ByteView root2) {
  return verify_consistency_impl(size1, size2, proof, root1, root2);
}

// --- MerkleFrontier ---

void MerkleFrontier::check_invariants() const {
  JOET_ASSERT(hashes_.size() <= kMaxHashes);
  JOET_ASSERT(hashes_.size() == static_cast<size_t>(std::popcount(size_)));
}

void MerkleFrontier::append(const Hash32& leaf) {
  JOET_ASSERT(size_ != UINT64_MAX);
  // Each trailing one bit of the old size is a perfect subtree the new leaf completes a sibling for.
  Hash32 h = leaf;
  for (uint64_t s = size_; (s & 1) == 1; s >>= 1) {
    JOET_ASSERT(!hashes_.empty());
    h = node_hash(hashes_.back(), h);
    hashes_.pop_back();
  }
  hashes_.push_back(h);
  ++size_;
  check_invariants();
}

Hash32 MerkleFrontier::root() const {
  check_invariants();
  if (size_ == 0) return empty_root();
  return fold_from_right(hashes_);
}

Bytes MerkleFrontier::serialize() const {
  check_invariants();
  Bytes out;
  out.reserve(kSizeBytes + kHashBytes * hashes_.size());
  put_u64_be(out, size_);
  for (const Hash32& h : hashes_) out.insert(out.end(), h.begin(), h.end());
  JOET_ASSERT(out.size() == kSizeBytes + kHashBytes * hashes_.size());
  return out;
}

Result<MerkleFrontier> MerkleFrontier::parse(ByteView bytes) {
  if (bytes.size() < kSizeBytes) {
    return make_error(ErrorCode::kMalformed,
                      "merkle frontier is " + std::to_string(bytes.size()) + " bytes, shorter than its size field");
  }
  MerkleFrontier f;
  f.size_ = get_u64_be(bytes.data());
  const size_t count = static_cast<size_t>(std::popcount(f.size_));
  const size_t want = kSizeBytes + kHashBytes * count;
  if (bytes.size() != want) {
    return make_error(ErrorCode::kMalformed, "merkle frontier of size " + std::to_string(f.size_) + " must be " +
                                                 std::to_string(want) + " bytes, got " +
                                                 std::to_string(bytes.size()));
  }
  f.hashes_.resize(count);
  for (size_t i = 0; i < count; ++i) {
    auto h = bytes.subspan(kSizeBytes + kHashBytes * i, kHashBytes);
    std::copy(h.begin(), h.end(), f.hashes_[i].begin());
  }
  f.check_invariants();
  return f;
}

}  // namespace joet
