// The state commitment: a compressed sparse Merkle tree over 256-bit key hashes, stored in a KvStore.
//
// Hashing (all tagged, ledger/hash.h):
//   key_hash   = tagged(kSmtKey, key)                  the key's path: bit 0 is the MSB of byte 0
//   value_hash = tagged(kSmtValue, value)
//   leaf       = tagged(kSmtLeaf, key_hash || value_hash)
//   node       = tagged(kSmtNode, left || right)
//   empty      = 32 zero bytes, at every depth
// A subtree holding exactly one key is that key's leaf itself, placed at the shallowest depth where it
// is alone ("shortcut leaf"), and an empty subtree is `empty`. So the root depends only on the final
// key/value set, never on the order or batching of writes, and paths are about log2(n) deep.
//
// Storage: immutable, content-addressed entries under `node_prefix` + hash (32 raw bytes), so every
// historical root stays readable (no pruning). Two kinds of entry:
//   leaf:  0x02 || u32be(key size) || key || value                    stored under the leaf hash
//   block: 0x01 || the binary subtree of an internal node at a depth that is a multiple of 4, down to
//          4 levels below it, in pre-order: 0x01 internal (then left, right), 0x00 empty,
//          0x02 leaf (key_hash || value_hash), 0x03 internal node 4 levels down, stored as its own
//          block (hash). Stored under the hash of its top node.
// Blocks (a radix-16 layout of the binary tree, as in Diem's Jellyfish Merkle tree) cut the store
// reads and writes per update about fourfold; the hashes and proofs are those of the binary tree.
// Every entry read back is decoded strictly and checked against the hash it is stored under: an entry
// that fails, or that is missing below a root, is ErrorCode::kCorruption naming the hash. Nothing of
// the tree is kept in memory between calls; a tree object is immutable and safe to share by threads.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "joet.pb.h"
#include "ledger/bytes.h"
#include "ledger/kv_store.h"
#include "ledger/status.h"

namespace joet {

// One change of a tree update: a put (value) or a delete (nullopt).
using SmtChange = std::pair<Bytes, std::optional<Bytes>>;

class SparseMerkleTree {
 public:
  static constexpr size_t kMaxKeyBytes = 4096;        // update() refuses longer keys (kTooLarge)
  static constexpr size_t kMaxValueBytes = 64u << 20;  // update() refuses larger values (kTooLarge)
  static constexpr size_t kMaxDepth = 256;             // one level per key-hash bit
  static constexpr size_t kBlockLevels = 4;            // binary levels per stored block

  explicit SparseMerkleTree(std::string node_prefix = "n/");

  static Hash32 empty_root();  // 32 zero bytes: the root of the empty tree
  const std::string& node_prefix() const { return node_prefix_; }

  // Applies `changes` to the tree at `root` and returns the new root. New entries go into `batch`;
  // reads go through OverlayReader(store, batch), so several updates can be chained before one commit.
  // Within one call the last change to a key wins; deleting an absent key is a no-op.
  Result<Hash32> update(const KvReader& store, WriteBatch& batch, const Hash32& root,
                        const std::vector<SmtChange>& changes) const;

  // The value of `key` in the tree at `root`, or nullopt when absent. kNotFound when `root` itself is
  // not in the store.
  Result<std::optional<Bytes>> get(const KvReader& store, const Hash32& root, ByteView key) const;

  // An inclusion or non-inclusion proof of `key` against `root`; check it with verify_state_proof().
  Result<joet::v1::StateProof> prove(const KvReader& store, const Hash32& root, ByteView key) const;

 private:
  std::string node_prefix_;
};

// Verifies `proof` against `root` alone. On ok, proof.present() and proof.value() are what the tree at
// `root` holds for proof.key(). A proof that is not well formed is kMalformed; a well formed proof that
// does not lead to `root` (or is not the canonical proof) is kBadProof. Never asserts on the proof.
Status verify_state_proof(const Hash32& root, const joet::v1::StateProof& proof);

}  // namespace joet
