#include "ledger/block.h"

#include "ledger/hash.h"

namespace joet {

Hash32 block_hash(ByteView header_bytes) { return tagged_hash(tags::kBlock, header_bytes); }
Hash32 tx_id(ByteView tx_body_bytes) { return tagged_hash(tags::kTx, tx_body_bytes); }

}  // namespace joet
