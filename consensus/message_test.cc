#include "consensus/message.h"

#include <gtest/gtest.h>

#include <random>

#include "consensus/evidence.h"
#include "consensus/vote_set.h"
#include "ledger/hash.h"

namespace joet::consensus {
namespace {

struct Keys {
  std::vector<std::unique_ptr<KeySigner>> signers;
  ValidatorSet set;
  static Keys make(uint32_t n) {
    Keys k{{}, ValidatorSet::create([n] {
             v1::ValidatorSet s;
             for (uint32_t i = 0; i < n; ++i) {
               auto* v = s.add_validators();
               auto pk = PrivateKey::from_test_seed("msg-" + std::to_string(i)).public_key().bytes();
               v->set_public_key(std::string(pk.begin(), pk.end()));
               v->set_power(1);
             }
             return s;
           }()).value()};
    for (uint32_t i = 0; i < n; ++i) k.signers.push_back(std::make_unique<KeySigner>(PrivateKey::from_test_seed("msg-" + std::to_string(i))));
    return k;
  }
};

TEST(Message, SignedVoteRoundTripsAndVerifies) {
  auto k = Keys::make(4);
  VoteMsg v = make_vote(*k.signers[2], 2, "c", v1::PREVOTE, 5, 1, std::string(32, 'x'));
  Bytes wire = encode_message(v);
  auto m = verify_and_decode(wire, [&](uint64_t) { return &k.set; });
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  EXPECT_EQ(encode_message(*m), wire);
}

TEST(Message, SigningTwiceGivesIdenticalBytes) {
  auto k = Keys::make(1);
  EXPECT_EQ(encode_message(make_vote(*k.signers[0], 0, "c", v1::PRECOMMIT, 1, 0, "")),
            encode_message(make_vote(*k.signers[0], 0, "c", v1::PRECOMMIT, 1, 0, "")));
}

TEST(Message, AVoteClaimingAnotherValidatorsIndexIsRefused) {
  auto k = Keys::make(4);
  Bytes wire = encode_message(make_vote(*k.signers[1], 2, "c", v1::PREVOTE, 5, 1, ""));
  auto m = verify_and_decode(wire, [&](uint64_t) { return &k.set; });
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().code, ErrorCode::kBadSignature);
}

TEST(Message, UnknownHeightIsNotFound) {
  auto k = Keys::make(4);
  Bytes wire = encode_message(make_vote(*k.signers[1], 1, "c", v1::PREVOTE, 5, 1, ""));
  auto m = verify_and_decode(wire, [](uint64_t) -> const ValidatorSet* { return nullptr; });
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().code, ErrorCode::kNotFound);
}

TEST(Message, DecoderSurvivesRandomAndMutatedBytesWithFixedRandomness) {
  auto k = Keys::make(4);
  std::mt19937_64 rng(42);
  Value value{tagged_hash("t", as_bytes(std::string("b"))), 7, Bytes{1, 2, 3}};
  std::vector<Bytes> seeds = {encode_message(make_vote(*k.signers[0], 0, "c", v1::PREVOTE, 1, 0, "")),
                              encode_message(make_proposal(*k.signers[0], 0, "c", 1, 0, -1, value)),
                              encode_message(StatusMsg{9})};
  for (int i = 0; i < 20000; ++i) {
    Bytes b = seeds[rng() % seeds.size()];
    if (rng() % 4 == 0) b.resize(rng() % (b.size() + 1));
    for (int f = 0; f < 3; ++f) {
      if (!b.empty()) b[rng() % b.size()] ^= static_cast<uint8_t>(1u << (rng() % 8));
    }
    auto m = verify_and_decode(b, [&](uint64_t) { return &k.set; });
    if (m.ok()) {
      EXPECT_EQ(encode_message(*m), b);
    }
  }
}

TEST(Evidence, TwoConflictingVotesAreEvidenceAndOneVoteTwiceIsNot) {
  auto k = Keys::make(4);
  VoteMsg a = make_vote(*k.signers[3], 3, "c", v1::PREVOTE, 5, 1, std::string(32, 'a'));
  VoteMsg b = make_vote(*k.signers[3], 3, "c", v1::PREVOTE, 5, 1, "");
  v1::Evidence ev;
  *ev.mutable_vote_a() = a.signed_vote;
  *ev.mutable_vote_b() = b.signed_vote;
  EXPECT_TRUE(check_evidence(ev, k.set, "c").ok());
  EXPECT_FALSE(check_evidence(ev, k.set, "other").ok());
  *ev.mutable_vote_b() = a.signed_vote;
  EXPECT_FALSE(check_evidence(ev, k.set, "c").ok());
  VoteMsg forged = make_vote(*k.signers[2], 3, "c", v1::PREVOTE, 5, 1, "");
  *ev.mutable_vote_b() = forged.signed_vote;
  EXPECT_EQ(check_evidence(ev, k.set, "c").error().code, ErrorCode::kBadSignature);
}

}  // namespace
}  // namespace joet::consensus

namespace joet::consensus {
namespace {

TEST(VoteSet, AnEquivocatorsVoteForAValueOthersBackCountsBeyondTheCap) {
  auto k = Keys::make(4);
  VoteSet votes;
  auto vote = [&](uint32_t who, char fill) {
    return votes.add(make_vote(*k.signers[who], who, "c", v1::PREVOTE, 1, 0, std::string(32, fill)), k.set);
  };
  EXPECT_EQ(vote(3, 'a').added, VoteSet::Added::kNew);
  EXPECT_EQ(vote(3, 'b').added, VoteSet::Added::kConflict);
  EXPECT_EQ(vote(3, 'c').added, VoteSet::Added::kConflict);
  EXPECT_EQ(vote(3, 'd').added, VoteSet::Added::kConflict);  // over the cap, backed by no one
  EXPECT_EQ(votes.power_for(std::string(32, 'd')), 0u);
  vote(0, 'v');
  vote(1, 'v');
  EXPECT_EQ(vote(3, 'v').added, VoteSet::Added::kConflict);  // over the cap, but others back it
  EXPECT_EQ(votes.power_for(std::string(32, 'v')), 3u);
  EXPECT_TRUE(k.set.is_quorum(votes.power_for(std::string(32, 'v'))));
  EXPECT_EQ(votes.total_power(), 3u);  // each validator once
}

}  // namespace
}  // namespace joet::consensus
