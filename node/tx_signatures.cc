#include "node/tx_signatures.h"

#include "ledger/hash.h"

namespace joet {

std::vector<uint8_t> verify_tx_signatures(BatchVerifier& verifier, std::span<const v1::SignedTx> txs) {
  std::vector<Hash32> digests;
  digests.reserve(txs.size());
  for (const auto& tx : txs) digests.push_back(tagged_hash(tags::kTx, as_bytes(tx.body())));
  std::vector<VerifyItem> items;
  std::vector<size_t> owner;  // items[k] belongs to txs[owner[k]]
  for (size_t i = 0; i < txs.size(); ++i) {
    for (const auto& sig : txs[i].signatures()) {
      items.push_back({as_bytes(sig.public_key()), digests[i], as_bytes(sig.signature())});
      owner.push_back(i);
    }
  }
  const std::vector<uint8_t> item_ok = verifier.verify(items);
  std::vector<uint8_t> verdict(txs.size(), 0);
  for (size_t i = 0; i < txs.size(); ++i) verdict[i] = txs[i].signatures_size() > 0 ? 1 : 0;
  for (size_t k = 0; k < items.size(); ++k) {
    if (item_ok[k] == 0) verdict[owner[k]] = 0;
  }
  return verdict;
}

}  // namespace joet
