// The validators of one height: a checked wrapper over v1::ValidatorSet with its hash, total power,
// quorum arithmetic and the weighted round-robin proposer schedule. Used by consensus/, and by the
// client SDK and the auditor to verify commit certificates.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "joet.pb.h"
#include "ledger/bytes.h"

namespace joet {

class ValidatorSet {
 public:
  // Checks the set (check_validator_set: 1..256 validators, 32-byte distinct keys, 0 < power <= 2^50).
  static Result<ValidatorSet> create(v1::ValidatorSet set);

  const v1::ValidatorSet& proto() const { return set_; }
  // tagged_hash(tags::kValidatorSet, encode(set)): what block headers carry.
  const Hash32& hash() const { return hash_; }
  uint32_t size() const { return static_cast<uint32_t>(set_.validators_size()); }
  const v1::Validator& at(uint32_t index) const;
  uint64_t power(uint32_t index) const { return at(index).power(); }
  uint64_t total_power() const { return total_power_; }

  // More than 2/3 of the total power (the paper's "2f + 1").
  bool is_quorum(uint64_t power) const { return power * 3 > total_power_ * 2; }
  // More than 1/3 of the total power (the paper's "f + 1"): at least one honest validator.
  bool is_one_third(uint64_t power) const { return power * 3 > total_power_; }
  // The smallest power that is a quorum.
  uint64_t quorum_power() const { return total_power_ * 2 / 3 + 1; }

  std::optional<uint32_t> index_of(ByteView public_key) const;

  // The proposer of (height, round): CometBFT's proposer-priority algorithm (each step every
  // validator gains its power, the highest priority proposes, ties to the lowest index, and pays the
  // total) run for one period and repeated; step (height + round) mod period. Over any window of one
  // period each validator proposes in proportion to its power. Powers are scaled down (each to at
  // least 1) when the total exceeds kMaxSchedulePeriod.
  uint32_t proposer(uint64_t height, uint32_t round) const;
  static constexpr uint64_t kMaxSchedulePeriod = 4096;
  size_t schedule_period() const { return schedule_.size(); }

 private:
  ValidatorSet() = default;
  v1::ValidatorSet set_;
  Hash32 hash_{};
  uint64_t total_power_ = 0;
  std::vector<uint16_t> schedule_;
};

}  // namespace joet
