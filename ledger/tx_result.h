// The results a block header commits (BlockHeader.results_root, from rules version 3 on; decision
// 0017): leaf i is the serialized TxResultLeaf of the block's tx i — its id, "OK" or the refusal code,
// and the refusal's message — hashed as an RFC 6962 leaf. A result is then proven like a tx: an
// InclusionProof of its leaf against the certified header's results_root, at the tx's own index.
// Validators, the auditor and the light client all build leaves here, so the bytes cannot drift.
#pragma once

#include <span>
#include <string_view>

#include "joet.pb.h"
#include "ledger/bytes.h"

namespace joet {

inline constexpr std::string_view kResultOk = "OK";

// The leaf of one tx's result; `code` is kResultOk for a tx that took effect (message "").
v1::TxResultLeaf tx_result_leaf(const Hash32& tx_id, std::string_view code, std::string_view message);

// SHA256(0x00 || deterministic encoding of `leaf`).
Hash32 tx_result_leaf_hash(const v1::TxResultLeaf& leaf);

// The RFC 6962 root over the leaves' hashes, in block order (SHA256("") for a block without txs).
Hash32 results_root(std::span<const v1::TxResultLeaf> leaves);

}  // namespace joet
