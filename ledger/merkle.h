// RFC 6962 / RFC 9162 Merkle trees over SHA-256: roots, inclusion and consistency proofs, and the
// append-only frontier the node keeps for the block header's history_root.
//
// Hashing (RFC 6962 section 2.1, no tags: interoperable with Certificate Transparency tooling):
//   leaf  = SHA256(0x00 || data)
//   node  = SHA256(0x01 || left || right)
//   empty = SHA256("")                      the root of the tree of size 0
// MTH(D[n]) splits at k, the largest power of two smaller than n: MTH(D[0:k]) is the left child and
// MTH(D[k:n]) the right one. Every function below takes *leaf hashes*, not leaf data: hash data with
// leaf_hash() first (for history_root, the leaves are the block hashes: leaf_hash(block_hash)).
//
// Proofs are ordered from the leaf (or the old subtree) up to the root, as in RFC 6962 PATH/PROOF.
// The verifiers take the hashes as raw bytes because proofs come from peers and clients: a hash that is
// not 32 bytes is kMalformed, an argument outside the function's contract (index >= size, size1 > size2,
// size1 == 0) is kInvalidArgument, and a proof that does not lead to the given root(s) is kBadProof.
// They never assert on their inputs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "ledger/bytes.h"
#include "ledger/status.h"

namespace joet {

// SHA256(0x00 || data).
Hash32 leaf_hash(ByteView data);
// SHA256(0x01 || left || right).
Hash32 node_hash(const Hash32& left, const Hash32& right);

// MTH over the leaf hashes; SHA256("") for none. O(n) hashes, O(log n) memory, no allocation.
Hash32 merkle_root(std::span<const Hash32> leaf_hashes);

// PATH(leaf_index, D[n]) for the tree of all n = leaf_hashes.size() leaves: the audit path of one leaf,
// lowest sibling first. kInvalidArgument when leaf_index >= n. O(n) hashes.
Result<std::vector<Hash32>> inclusion_proof(std::span<const Hash32> leaf_hashes, uint64_t leaf_index);

// PROOF(size1, D[n]) for the tree of all n = leaf_hashes.size() leaves: proves that the tree of the first
// size1 leaves is a prefix of it. Empty when size1 == n. kInvalidArgument when size1 == 0 (a proof from
// the empty tree is meaningless) or size1 > n. For an older size2, pass leaf_hashes.first(size2). O(n).
Result<std::vector<Hash32>> consistency_proof(std::span<const Hash32> leaf_hashes, uint64_t size1);

// RFC 9162 section 2.1.3.2: does `proof` show that `leaf_hash` is leaf `leaf_index` of the tree of
// `tree_size` leaves whose root is `root`? The proof length must be exactly the one the RFC 6962 tree
// shape gives for (leaf_index, tree_size).
Status verify_inclusion(uint64_t leaf_index, uint64_t tree_size, ByteView leaf_hash, std::span<const Bytes> proof,
                        ByteView root);
Status verify_inclusion(uint64_t leaf_index, uint64_t tree_size, ByteView leaf_hash, std::span<const Hash32> proof,
                        ByteView root);

// RFC 9162 section 2.1.4.2: does `proof` show that the tree of size1 leaves with root1 is a prefix of the
// tree of size2 leaves with root2? Requires 0 < size1 <= size2. When size1 == size2 the proof must be
// empty and the roots byte-equal; their length is then not checked, since nothing is hashed (this is
// what the transparency-dev/merkle test vectors require).
Status verify_consistency(uint64_t size1, uint64_t size2, std::span<const Bytes> proof, ByteView root1,
                          ByteView root2);
Status verify_consistency(uint64_t size1, uint64_t size2, std::span<const Hash32> proof, ByteView root1,
                          ByteView root2);

// The compact range [0, size) of an append-only RFC 6962 tree: the roots of its maximal perfect
// subtrees, left (largest) to right (smallest), one per set bit of size, so at most 64. Appending a
// leaf hash costs O(1) amortized hashes and root() O(log n); the object holds O(log n) hashes.
//
// Wire/disk encoding (serialize/parse): u64 big-endian size || popcount(size) hashes of 32 bytes.
class MerkleFrontier {
 public:
  static constexpr size_t kMaxHashes = 64;
  static constexpr size_t kSizeBytes = 8;

  MerkleFrontier() = default;

  // Appends one leaf hash (leaf_hash(data), not data). Asserts that size() < 2^64 - 1.
  void append(const Hash32& leaf_hash);

  uint64_t size() const { return size_; }
  // MTH of all leaves appended so far; SHA256("") when empty.
  Hash32 root() const;
  // The subtree roots, largest subtree first.
  std::span<const Hash32> hashes() const { return hashes_; }

  Bytes serialize() const;
  // kMalformed unless `bytes` is exactly 8 + 32 * popcount(size) bytes.
  static Result<MerkleFrontier> parse(ByteView bytes);

  bool operator==(const MerkleFrontier& other) const = default;

 private:
  void check_invariants() const;

  uint64_t size_ = 0;
  std::vector<Hash32> hashes_;
};

}  // namespace joet
