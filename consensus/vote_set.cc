#include "consensus/vote_set.h"

namespace joet::consensus {

VoteSet::AddResult VoteSet::add(const VoteMsg& vote, const ValidatorSet& set) {
  const uint32_t index = vote.signed_vote.validator_index();
  JOET_ASSERT(index < set.size());
  auto it = votes_.find(index);
  if (it != votes_.end()) {
    for (const VoteMsg& seen : it->second) {
      if (seen.signed_vote.body() == vote.signed_vote.body()) return {Added::kDuplicate, std::nullopt};
    }
    v1::Evidence ev;
    *ev.mutable_vote_a() = it->second.front().signed_vote;
    *ev.mutable_vote_b() = vote.signed_vote;
    // Beyond the cap, a vote for a value another validator also voted for is still counted: junk
    // hashes cannot push out the vote that completes a polka others saw (relayed by gossip). At most
    // one vote per value another validator backs, so still bounded by the set's size.
    const bool backed = power_for(vote.key()) > 0;
    if (it->second.size() < kMaxVotesPerValidator || (backed && it->second.size() < kMaxVotesPerValidator + set.size())) {
      it->second.push_back(vote);
      power_[vote.key()] += set.power(index);  // a different key: the body bytes differ only there
    }
    return {Added::kConflict, std::move(ev)};
  }
  votes_[index].push_back(vote);
  power_[vote.key()] += set.power(index);
  total_ += set.power(index);
  JOET_ASSERT(total_ <= set.total_power());
  return {Added::kNew, std::nullopt};
}

uint64_t VoteSet::power_for(const std::string& key) const {
  auto it = power_.find(key);
  return it == power_.end() ? 0 : it->second;
}

std::optional<std::string> VoteSet::quorum_key(const ValidatorSet& set) const {
  for (const auto& [key, power] : power_) {
    if (set.is_quorum(power)) return key;
  }
  return std::nullopt;
}

std::vector<v1::SignedVote> VoteSet::votes_for(const std::string& key) const {
  std::vector<v1::SignedVote> out;
  for (const auto& [index, votes] : votes_) {
    for (const VoteMsg& vote : votes) {
      if (vote.key() == key) out.push_back(vote.signed_vote);
    }
  }
  return out;
}

std::vector<const VoteMsg*> VoteSet::all() const {
  std::vector<const VoteMsg*> out;
  for (const auto& [index, votes] : votes_) {
    for (const VoteMsg& vote : votes) out.push_back(&vote);
  }
  return out;
}

}  // namespace joet::consensus
