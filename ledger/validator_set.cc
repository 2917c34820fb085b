#include "ledger/validator_set.h"

#include <algorithm>

#include "ledger/codec.h"
#include "ledger/hash.h"

namespace joet {

Result<ValidatorSet> ValidatorSet::create(v1::ValidatorSet set) {
  Status s = check_validator_set(set);
  if (!s.ok()) return s;
  ValidatorSet out;
  out.set_ = std::move(set);
  out.hash_ = tagged_hash(tags::kValidatorSet, encode(out.set_));
  for (const auto& v : out.set_.validators()) out.total_power_ += v.power();

  // Scaled powers for the schedule: the exact powers when the total is small enough.
  const uint32_t n = out.size();
  std::vector<uint64_t> p(n);
  uint64_t period = 0;
  for (uint32_t i = 0; i < n; ++i) {
    uint64_t power = out.power(i);
    if (out.total_power_ > kMaxSchedulePeriod) power = std::max<uint64_t>(1, power * kMaxSchedulePeriod / out.total_power_);
    p[i] = power;
    period += power;
  }
  JOET_ASSERT(period > 0 && period <= kMaxSchedulePeriod + n);
  std::vector<int64_t> priority(n, 0);
  out.schedule_.reserve(period);
  for (uint64_t step = 0; step < period; ++step) {
    uint32_t best = 0;
    for (uint32_t i = 0; i < n; ++i) {
      priority[i] += static_cast<int64_t>(p[i]);
      if (priority[i] > priority[best]) best = i;
    }
    priority[best] -= static_cast<int64_t>(period);
    out.schedule_.push_back(static_cast<uint16_t>(best));
  }
  return out;
}

const v1::Validator& ValidatorSet::at(uint32_t index) const {
  JOET_ASSERT(index < size());
  return set_.validators(static_cast<int>(index));
}

std::optional<uint32_t> ValidatorSet::index_of(ByteView public_key) const {
  for (uint32_t i = 0; i < size(); ++i) {
    const std::string& k = at(i).public_key();
    if (k.size() == public_key.size() && std::equal(k.begin(), k.end(), public_key.begin(),
                                                    [](char a, uint8_t b) { return static_cast<uint8_t>(a) == b; })) {
      return i;
    }
  }
  return std::nullopt;
}

uint32_t ValidatorSet::proposer(uint64_t height, uint32_t round) const {
  JOET_ASSERT(!schedule_.empty());
  uint64_t step = (height % schedule_.size() + round % schedule_.size()) % schedule_.size();
  return schedule_[step];
}

}  // namespace joet
