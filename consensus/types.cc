#include "consensus/types.h"

#include <algorithm>

#include "ledger/hash.h"

namespace joet::consensus {

std::string_view step_name(Step step) {
  switch (step) {
    case Step::kPropose: return "propose";
    case Step::kPrevote: return "prevote";
    case Step::kPrecommit: return "precommit";
  }
  return "?";
}

uint64_t TimeoutConfig::duration_ms(TimeoutKind kind, uint32_t round) const {
  const uint64_t r = std::min<uint32_t>(round, 1u << 20);  // a limit, so no overflow
  switch (kind) {
    case TimeoutKind::kPropose: return propose_ms + propose_delta_ms * r;
    case TimeoutKind::kPrevote: return prevote_ms + prevote_delta_ms * r;
    case TimeoutKind::kPrecommit: return precommit_ms + precommit_delta_ms * r;
    case TimeoutKind::kIdle: return 0;  // computed by the engine from the previous block's time
  }
  JOET_ASSERT(false);
  return 0;
}

Signature64 KeySigner::sign(std::string_view tag, ByteView body) {
  Hash32 digest = tagged_hash(tag, body);
  return key_.sign(digest, Hash32{});
}

}  // namespace joet::consensus
