#include "node/state_root.h"

#include <algorithm>
#include <string>
#include <vector>

namespace joet {
namespace {

bool is_tree_node_key(const Bytes& key) {
  return key.size() >= kStateNodePrefix.size() &&
         std::equal(kStateNodePrefix.begin(), kStateNodePrefix.end(), key.begin());
}

}  // namespace

SparseMerkleTree state_tree() { return SparseMerkleTree(std::string(kStateNodePrefix)); }

Result<Hash32> commit_state(const KvReader& store, WriteBatch& batch, const Hash32& prev_root) {
  std::vector<SmtChange> changes;
  changes.reserve(batch.size());
  for (const auto& [key, value] : batch.ops()) {  // std::map: ascending key order
    JOET_ASSERT(!is_tree_node_key(key));
    changes.emplace_back(key, value);
  }
  const size_t contract_ops = changes.size();
  auto root = state_tree().update(store, batch, prev_root, changes);
  if (!root.ok()) return root.error();
  JOET_ASSERT(batch.size() >= contract_ops);
  return root;
}

}  // namespace joet
