// A LevelDB store read in full with its checksums verified, at a node's start: LevelDB's paranoid open
// checks only its log and MANIFEST, so a damaged table file (.ldb) would otherwise be found only when a
// read reaches it, dozens of blocks later. I/O edge.
#pragma once

#include <cstdint>

#include "ledger/kv_store.h"
#include "ledger/status.h"

namespace joet {

struct StoreVerified {
  uint64_t entries = 0;
  uint64_t bytes = 0;  // keys and values
};

// Every entry once, every block's checksum verified. kCorruption names the damaged table file(s) (each
// table is then read on its own to find them), else the store; kIoError when a file cannot be read.
Result<StoreVerified> verify_store(const LevelDbKvStore& store);

}  // namespace joet
