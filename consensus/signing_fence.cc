#include "consensus/signing_fence.h"

#include <algorithm>

#include "consensus/message.h"

namespace joet::consensus {

uint64_t wal_max_height(const std::vector<Bytes>& records) {
  uint64_t max = 0;
  for (const Bytes& record : records) {
    auto entry = decode_wal_entry(record);
    if (!entry.ok()) continue;
    // Only signatures count: a lock alone proves nothing was signed at its height.
    if (const auto* sent = std::get_if<Message>(&*entry)) max = std::max(max, message_height(*sent));
  }
  return max;
}

}  // namespace joet::consensus
