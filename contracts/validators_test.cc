// validator.update: the next validator set, in force from the tx's height + 2.
#include "contracts/validators.h"

#include <gtest/gtest.h>

#include "contracts/contracts_test_support.h"

namespace joet {
namespace {

using namespace joet::testing;  // NOLINT

const std::vector<std::string_view> kFive = {kCourt, kRvdk, kMunicipality, kGi, kOtherGi};
const int64_t kT = utc_ms(2026, 3, 20, 9);

std::vector<v1::Arg> validators(int n) {
  std::vector<v1::Arg> args;
  for (int i = 0; i < n; ++i) {
    const std::string p = "validator." + std::to_string(i) + ".";
    args.push_back(key_arg(p + "key", "val-" + std::to_string(i)));
    args.push_back(integer(p + "power", i + 1));
  }
  return args;
}

TEST(ValidatorUpdate, TheNewSetTakesEffectTwoHeightsLaterAndEveryInstitutionHearsOfIt) {
  Chain chain;
  std::vector<v1::Arg> args = validators(4);
  args.push_back(text("validator.0.institution", std::string(kCourt)));
  ASSERT_TRUE(chain.run_one(kT, chain.multi_tx(kFive, "validator.update", args)).ok);
  const uint64_t h = chain.height;
  EXPECT_FALSE(pending_validator_set(chain.store, h + 1).value().has_value());
  auto set = pending_validator_set(chain.store, h + 2).value();
  ASSERT_TRUE(set.has_value());
  ASSERT_EQ(set->validators_size(), 4);
  EXPECT_EQ(set->validators(0).institution(), kCourt);
  EXPECT_EQ(set->validators(3).power(), 4u);
  EXPECT_EQ(set->validators(2).public_key(), to_string(PrivateKey::from_test_seed("val-2").public_key().bytes()));
  const auto events = chain.of_kind("VALIDATORS_UPDATED");
  EXPECT_EQ(events.size(), 6u);
  EXPECT_EQ(events.at(0).detail(), "effective-" + std::to_string(h + 2));
}

TEST(ValidatorUpdate, ASecondUpdateWaitsUntilThePendingOneIsInForce) {
  Chain chain;
  ASSERT_TRUE(chain.run_one(kT, chain.multi_tx(kFive, "validator.update", validators(4))).ok);
  auto early = chain.run(kT, {chain.multi_tx(kFive, "validator.update", validators(5))});
  EXPECT_EQ(early.results.at(0).code, "VALIDATOR_UPDATE_PENDING");
  EXPECT_TRUE(early.writes.empty());
  EXPECT_TRUE(chain.run_one(kT, chain.multi_tx(kFive, "validator.update", validators(5))).ok);
  EXPECT_EQ(pending_validator_set(chain.store, chain.height + 2).value()->validators_size(), 5);
}

TEST(ValidatorUpdate, RefusesBadPowersDuplicateKeysGapsAndUnknownInstitutions) {
  Chain chain;
  auto run = [&](std::vector<v1::Arg> args) {
    return chain.run_one(kT, chain.multi_tx(kFive, "validator.update", std::move(args))).code;
  };
  EXPECT_EQ(run({}), "BAD_FIELD");
  auto zero = validators(2);
  zero[1] = integer("validator.0.power", 0);
  EXPECT_EQ(run(zero), "BAD_FIELD");
  auto huge = validators(2);
  huge[1] = integer("validator.0.power", kMaxValidatorPower + 1);
  EXPECT_EQ(run(huge), "BAD_FIELD");
  auto dup = validators(2);
  dup[2] = key_arg("validator.1.key", "val-0");
  EXPECT_EQ(run(dup), "DUPLICATE");
  auto gap = validators(2);
  gap.push_back(key_arg("validator.3.key", "val-3"));
  gap.push_back(integer("validator.3.power", 1));
  EXPECT_EQ(run(gap), "BAD_FIELD");
  auto no_power = validators(2);
  no_power.pop_back();
  EXPECT_EQ(run(no_power), "BAD_FIELD");
  auto stranger = validators(1);
  stranger.push_back(text("validator.0.institution", "nobody"));
  EXPECT_EQ(run(stranger), "BAD_FIELD");
  EXPECT_FALSE(last_validator_update(chain.store).value().has_value());
}

TEST(ValidatorUpdate, NeedsMoreThanTwoThirdsOfTheInstitutions) {
  Chain chain;
  EXPECT_EQ(chain.run_one(kT, chain.multi_tx({kCourt, kRvdk, kMunicipality, kGi}, "validator.update", validators(4))).code,
            "NOT_AUTHORIZED");
}

}  // namespace
}  // namespace joet
