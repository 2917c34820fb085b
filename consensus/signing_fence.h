// The signing fence: the rule that keeps a validator that lost its consensus WAL (a wiped or
// restored data dir, a corrupt WAL moved aside) from signing a second, different message at a height
// it may already have signed at, or from voting there unlocked.
//
// The node records, outside its data dir, the highest height at which it has a signature durable in
// its WAL (Signer::signed_durably; node/signing_guard.h). At start it compares that with its block
// store and its WAL:
//   - every such height is committed history (last_signed_height < start_height): nothing to fence;
//   - the WAL holds records of that height: it knows what it signed and what it was locked on;
//   - otherwise the WAL lost them: it must not sign at any height up to last_signed_height. It stays
//     silent there (as a crashed validator) and signs again once its chain has passed that height.
// The WAL is written before the record outside it, so a crash between the two leaves the WAL ahead,
// never behind: an ordinary crash never fences. When the WAL is ahead at start, the guard raises its
// record to the WAL's height first (node/signing_guard.cc), so a later loss of that WAL still fences it.
#pragma once

#include <cstdint>
#include <vector>

#include "ledger/bytes.h"

namespace joet::consensus {

// The height through which this validator must not sign (0: no fence).
inline uint64_t signing_fence(uint64_t last_signed_height, uint64_t start_height, uint64_t wal_max_height) {
  if (last_signed_height < start_height) return 0;
  if (wal_max_height >= last_signed_height) return 0;
  return last_signed_height;
}

// The highest height at which a WAL (Wal::read_all) holds a message this validator signed; 0 when it
// holds none. Lock records do not count (a lock alone proves no signature); records that do not decode
// count as 0 (Engine::start refuses them anyway).
uint64_t wal_max_height(const std::vector<Bytes>& records);

}  // namespace joet::consensus
