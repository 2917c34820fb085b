#include "ledger/validator_set.h"

#include <gtest/gtest.h>

#include <map>

#include "ledger/codec.h"
#include "ledger/hash.h"
#include "ledger/keys.h"

namespace joet {
namespace {

v1::ValidatorSet make_set(const std::vector<uint64_t>& powers) {
  v1::ValidatorSet set;
  for (size_t i = 0; i < powers.size(); ++i) {
    auto* v = set.add_validators();
    Hash32 key = PrivateKey::from_test_seed("validator-" + std::to_string(i)).public_key().bytes();
    v->set_public_key(std::string(key.begin(), key.end()));
    v->set_power(powers[i]);
    v->set_institution("inst-" + std::to_string(i));
  }
  return set;
}

TEST(ValidatorSet, HashIsTaggedHashOfCanonicalEncoding) {
  auto proto = make_set({1, 2, 3});
  auto set = ValidatorSet::create(proto);
  ASSERT_TRUE(set.ok());
  EXPECT_EQ(set->hash(), tagged_hash(tags::kValidatorSet, encode(proto)));
  EXPECT_EQ(set->total_power(), 6u);
}

TEST(ValidatorSet, RefusesEmptySetDuplicateKeysAndZeroPower) {
  EXPECT_FALSE(ValidatorSet::create(v1::ValidatorSet()).ok());
  auto dup = make_set({1, 1});
  dup.mutable_validators(1)->set_public_key(dup.validators(0).public_key());
  EXPECT_FALSE(ValidatorSet::create(dup).ok());
  EXPECT_FALSE(ValidatorSet::create(make_set({1, 0})).ok());
}

TEST(ValidatorSet, QuorumIsStrictlyMoreThanTwoThirds) {
  auto set = ValidatorSet::create(make_set({1, 1, 1, 1})).value();
  EXPECT_FALSE(set.is_quorum(2));
  EXPECT_TRUE(set.is_quorum(3));
  EXPECT_EQ(set.quorum_power(), 3u);
  EXPECT_FALSE(set.is_one_third(1));
  EXPECT_TRUE(set.is_one_third(2));
  auto six = ValidatorSet::create(make_set({2, 2, 2})).value();
  EXPECT_FALSE(six.is_quorum(4));  // exactly 2/3 is not enough
  EXPECT_TRUE(six.is_quorum(5));
  EXPECT_EQ(six.quorum_power(), 5u);
}

TEST(ValidatorSet, IndexOfFindsKeysAndOnlyThem) {
  auto set = ValidatorSet::create(make_set({1, 1, 1})).value();
  for (uint32_t i = 0; i < 3; ++i) EXPECT_EQ(set.index_of(as_bytes(set.at(i).public_key())), i);
  Hash32 other = PrivateKey::from_test_seed("stranger").public_key().bytes();
  EXPECT_FALSE(set.index_of(other).has_value());
}

TEST(ValidatorSet, EqualPowersRotateRoundRobin) {
  auto set = ValidatorSet::create(make_set({1, 1, 1, 1})).value();
  std::map<uint32_t, int> seen;
  for (uint64_t h = 1; h <= 4; ++h) ++seen[set.proposer(h, 0)];
  EXPECT_EQ(seen.size(), 4u);
  // The next round at one height is the next height's round 0.
  EXPECT_EQ(set.proposer(5, 1), set.proposer(6, 0));
}

TEST(ValidatorSet, ProposerShareIsProportionalToPowerOverOnePeriod) {
  auto set = ValidatorSet::create(make_set({5, 1, 3, 1})).value();
  ASSERT_EQ(set.schedule_period(), 10u);
  std::map<uint32_t, uint64_t> seen;
  for (uint64_t h = 100; h < 110; ++h) ++seen[set.proposer(h, 0)];
  EXPECT_EQ(seen[0], 5u);
  EXPECT_EQ(seen[1], 1u);
  EXPECT_EQ(seen[2], 3u);
  EXPECT_EQ(seen[3], 1u);
}

TEST(ValidatorSet, LargePowersAreScaledAndEveryValidatorStillProposes) {
  auto set = ValidatorSet::create(make_set({uint64_t{1} << 40, 1, uint64_t{1} << 39})).value();
  EXPECT_LE(set.schedule_period(), ValidatorSet::kMaxSchedulePeriod + 3);
  std::map<uint32_t, uint64_t> seen;
  for (uint64_t h = 0; h < set.schedule_period(); ++h) ++seen[set.proposer(h, 0)];
  EXPECT_EQ(seen.size(), 3u);
  EXPECT_GT(seen[0], seen[2]);
}

TEST(ValidatorSet, ProposerIsAPureFunctionOfSetHeightAndRound) {
  auto a = ValidatorSet::create(make_set({3, 1, 2})).value();
  auto b = ValidatorSet::create(make_set({3, 1, 2})).value();
  for (uint64_t h = 1; h < 50; ++h)
    for (uint32_t r = 0; r < 5; ++r) EXPECT_EQ(a.proposer(h, r), b.proposer(h, r));
}

}  // namespace
}  // namespace joet
