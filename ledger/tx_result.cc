#include "ledger/tx_result.h"

#include <string>
#include <vector>

#include "ledger/codec.h"
#include "ledger/merkle.h"

namespace joet {

v1::TxResultLeaf tx_result_leaf(const Hash32& tx_id, std::string_view code, std::string_view message) {
  v1::TxResultLeaf leaf;
  leaf.set_tx_id(to_string(tx_id));
  leaf.set_code(std::string(code));
  leaf.set_message(std::string(message));
  return leaf;
}

Hash32 tx_result_leaf_hash(const v1::TxResultLeaf& leaf) { return leaf_hash(encode(leaf)); }

Hash32 results_root(std::span<const v1::TxResultLeaf> leaves) {
  std::vector<Hash32> hashes;
  hashes.reserve(leaves.size());
  for (const v1::TxResultLeaf& leaf : leaves) hashes.push_back(tx_result_leaf_hash(leaf));
  return merkle_root(hashes);
}

}  // namespace joet
