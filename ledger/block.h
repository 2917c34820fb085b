// Identities of blocks and transactions.
//   block hash = tagged("joet/block", serialized BlockHeader)   (the header commits to everything else)
//   tx id      = tagged("joet/tx", serialized TxBody)           (what the signers signed; dedup key)
// A block's tx_root is the RFC 6962 root whose leaves are the serialized SignedTx bytes, so the
// certified header commits to the signatures too.
#pragma once

#include "joet.pb.h"
#include "ledger/bytes.h"

namespace joet {

Hash32 block_hash(ByteView header_bytes);
inline Hash32 block_hash(const v1::Block& block) { return block_hash(as_bytes(block.header())); }
Hash32 tx_id(ByteView tx_body_bytes);
inline Hash32 tx_id(const v1::SignedTx& tx) { return tx_id(as_bytes(tx.body())); }

}  // namespace joet
