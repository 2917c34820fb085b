#include "consensus/signing_fence.h"

#include <algorithm>

#include "consensus/message.h"

namespace joet::consensus {

uint64_t wal_max_height(const std::vector<Bytes>& records) {
  uint64_t max = 0;
  for (const Bytes& record : records) {
    auto entry = decode_wal_entry(record);
    if (!entry.ok()) continue;
    if (const auto* lock = std::get_if<LockRecord>(&*entry)) {
      max = std::max(max, lock->height);
    } else {
      max = std::max(max, message_height(std::get<Message>(*entry)));
    }
  }
  return max;
}

}  // namespace joet::consensus
