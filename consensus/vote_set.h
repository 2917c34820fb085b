// The prevotes or precommits of one round: the votes of each validator, power tallies per block hash
// (empty = nil), and equivocation detection (a second, different vote is evidence).
//
// An equivocating validator's votes count for every value it signed (up to kMaxVotesPerValidator, and
// beyond that for values other validators voted for too):
// other processes may have seen either vote, so counting both here is no stronger than what the
// byzantine validator can do anyway, and it lets this process see the polka the others saw (as
// CometBFT's VoteSet does for blocks a peer claims +2/3 for). Without it a Twins pair can split the
// honest validators' view of a polka forever. Honest validators never sign two values, so two
// different values can still not both reach a quorum. total_power() counts each validator once.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "consensus/message.h"
#include "ledger/validator_set.h"

namespace joet::consensus {

class VoteSet {
 public:
  enum class Added : uint8_t { kNew, kDuplicate, kConflict };
  struct AddResult {
    Added added;
    std::optional<v1::Evidence> evidence;  // with kConflict: the first vote and this one
  };

  // `vote` is for this set's (height, round, type) by a validator inside `set`.
  AddResult add(const VoteMsg& vote, const ValidatorSet& set);

  uint64_t power_for(const std::string& key) const;
  uint64_t total_power() const { return total_; }
  // The block hash (or "" for nil) holding a quorum, if any.
  std::optional<std::string> quorum_key(const ValidatorSet& set) const;
  // The votes for `key`, in validator order.
  std::vector<v1::SignedVote> votes_for(const std::string& key) const;
  bool has(uint32_t validator) const { return votes_.count(validator) != 0; }
  // All votes, in validator order (an equivocator's in arrival order).
  std::vector<const VoteMsg*> all() const;

  static constexpr size_t kMaxVotesPerValidator = 3;

 private:
  std::map<uint32_t, std::vector<VoteMsg>> votes_;
  std::map<std::string, uint64_t> power_;
  uint64_t total_ = 0;
};

}  // namespace joet::consensus
