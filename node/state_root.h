// The state commitment of a block (ARCHITECTURE.md "execute before commit", decision 0004): the root
// of the sparse Merkle tree (ledger/smt.h) over every contract state key and value.
//
// commit_state() takes the contracts' WriteBatch of one block, feeds its puts and deletes (in key
// order, as WriteBatch keeps them) into SparseMerkleTree::update over the same store, adds the new
// tree nodes to the batch and returns the new root. Writing the batch then commits the block's state
// and its tree in one atomic write. The tree nodes live under kStateNodePrefix, the contracts' keys
// under "c/", so the two never collide.
#pragma once

#include <string_view>

#include "ledger/bytes.h"
#include "ledger/kv_store.h"
#include "ledger/smt.h"
#include "ledger/status.h"

namespace joet {

inline constexpr std::string_view kStateNodePrefix = "n/";

// The tree that holds the contracts' state commitment (nodes under kStateNodePrefix).
SparseMerkleTree state_tree();

// `batch` holds only contract writes (asserted: no key under kStateNodePrefix). On ok the batch also
// holds the tree nodes and the result is the root of the state after the batch; on error the batch
// may hold some tree nodes and must be dropped. Errors: the store failed or holds a corrupt tree
// (kCorruption), a key or value over the tree's limits (kTooLarge).
Result<Hash32> commit_state(const KvReader& store, WriteBatch& batch, const Hash32& prev_root);

}  // namespace joet
