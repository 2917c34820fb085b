#include "node/home/home.h"

#include <sys/stat.h>

#include <set>
#include <string>
#include <utility>

#include <gtest/gtest.h>

#include "ledger/testing/temp_dir.h"
#include "node/home/key_file.h"

namespace joet::home {
namespace {

constexpr int64_t kTime = 1'772'355'600'000;  // 2026-03-01T09:00:00Z

mode_t mode_of(const std::string& path) {
  struct stat st{};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 07777;
}

Loaded<Testnet> testnet(const std::string& output, uint32_t n, uint32_t base_port = 26656) {
  TestnetOptions options;
  options.output = output;
  options.validators = n;
  options.base_port = base_port;
  options.genesis_time_ms = kTime;
  return write_testnet(options);
}

TEST(Testnet, OfFourWritesFourLoadableHomesWithOneGenesisWhosePeersAreEachOther) {
  testing::TempDir dir("testnet4");
  auto net = testnet(dir.sub("net"), 4, 30000);
  ASSERT_TRUE(net.ok()) << net.error.to_string();
  ASSERT_EQ(net.value->nodes.size(), 4u);

  std::vector<Home> homes;
  for (uint32_t i = 0; i < 4; ++i) {
    auto home = load_home(dir.sub("net/node" + std::to_string(i)));
    ASSERT_TRUE(home.ok()) << home.error.to_string();
    homes.push_back(std::move(*home.value));
  }
  const Genesis& genesis = homes[0].genesis;
  EXPECT_EQ(genesis.chain_id, "joet-testnet");
  EXPECT_EQ(genesis.genesis_time_ms, kTime);
  ASSERT_EQ(genesis.institutions.size(), 4u);
  const std::pair<std::string, cv1::Role> demo[] = {
      {"rb-amsterdam", cv1::COURT}, {"rvdk", cv1::RVDK}, {"gem-amsterdam", cv1::MUNICIPALITY}, {"gi-jbra", cv1::GI}};
  std::set<std::string> addresses;
  for (uint32_t i = 0; i < 4; ++i) {
    const Home& h = homes[i];
    SCOPED_TRACE("node" + std::to_string(i));
    EXPECT_EQ(h.genesis_state.hash, net.value->genesis_hash);
    EXPECT_EQ(h.genesis, genesis);
    EXPECT_EQ(genesis.institutions[i].id, demo[i].first);
    EXPECT_EQ(genesis.institutions[i].role, demo[i].second);
    // Its validator is validator i, run for institution i, whose member key this home holds.
    EXPECT_EQ(h.genesis_state.validators.index_of(h.validator_key.public_key().bytes()), std::optional<uint32_t>(i));
    EXPECT_EQ(genesis.validators[i].institution, demo[i].first);
    ASSERT_TRUE(h.member_key.has_value());
    EXPECT_EQ(genesis.institutions[i].members, std::vector<PublicKey>{h.member_key->public_key()});
    // Its peers: every other node, by validator key and that node's listen address.
    std::set<std::pair<PublicKey, std::string>> peers, expected;
    for (const PeerConfig& p : h.config.peers) peers.insert({p.key, p.address});
    for (uint32_t k = 0; k < 4; ++k) {
      if (k != i) expected.insert({homes[k].validator_key.public_key(), homes[k].config.listen_address});
    }
    EXPECT_EQ(peers, expected);
    EXPECT_EQ(h.config.moniker, "node" + std::to_string(i));
    EXPECT_EQ(h.config.listen_address, "127.0.0.1:" + std::to_string(30000 + 2 * i));
    addresses.insert(h.config.listen_address);
    addresses.insert(h.config.rpc_address);
    EXPECT_EQ(mode_of(h.paths.validator_key()), 0600u);
    EXPECT_EQ(mode_of(h.paths.member_key()), 0600u);
    EXPECT_EQ(mode_of(h.paths.keys_dir()), 0700u);
    EXPECT_EQ(mode_of(h.paths.data_dir(h.config)), 0700u);
  }
  EXPECT_EQ(addresses.size(), 8u);  // every port distinct
}

TEST(Testnet, RefusesToWriteOverExistingHomes) {
  testing::TempDir dir("testnet_again");
  ASSERT_TRUE(testnet(dir.str(), 2).ok());
  const auto key_before = load_key_file(dir.sub("node0/keys/validator.key"));
  auto again = testnet(dir.str(), 2);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error.kind, HomeErrorKind::kAlreadyExists);
  EXPECT_EQ(again.error.file, dir.sub("node0"));
  const auto key_after = load_key_file(dir.sub("node0/keys/validator.key"));
  ASSERT_TRUE(key_before.ok() && key_after.ok());
  EXPECT_EQ(key_before.value->public_key(), key_after.value->public_key());
}

TEST(Testnet, RefusesOptionsOutOfRange) {
  testing::TempDir dir("testnet_range");
  auto none = testnet(dir.str(), 0);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error.path, "--validators");
  auto many = testnet(dir.str(), kMaxTestnetValidators + 1);
  ASSERT_FALSE(many.ok());
  EXPECT_EQ(many.error.path, "--validators");
  auto ports = testnet(dir.str(), 4, 65530);
  ASSERT_FALSE(ports.ok());
  EXPECT_EQ(ports.error.path, "--base-port");
  EXPECT_TRUE(testnet(dir.str(), 4, 65528).ok());  // 65528 .. 65535
}

TEST(Testnet, OfTwoRegistersTheFirstTwoInstitutionsAndOfSixRepeatsThem) {
  testing::TempDir dir("testnet_sizes");
  ASSERT_TRUE(testnet(dir.sub("two"), 2).ok());
  auto two = load_home(dir.sub("two/node1"));
  ASSERT_TRUE(two.ok()) << two.error.to_string();
  ASSERT_EQ(two.value->genesis.institutions.size(), 2u);
  EXPECT_EQ(two.value->genesis.institutions[1].id, "rvdk");

  auto six = testnet(dir.sub("six"), 6);
  ASSERT_TRUE(six.ok()) << six.error.to_string();
  auto node5 = load_home(dir.sub("six/node5"));
  ASSERT_TRUE(node5.ok()) << node5.error.to_string();
  EXPECT_EQ(node5.value->genesis.institutions.size(), 4u);
  EXPECT_EQ(node5.value->genesis.validators[5].institution, "rvdk");
  EXPECT_FALSE(node5.value->member_key.has_value());
  EXPECT_EQ(node5.value->config.peers.size(), 5u);
}

TEST(InitHome, WritesALoadableOneValidatorHomeAndRefusesASecondInit) {
  testing::TempDir dir("init");
  InitOptions options;
  options.home = dir.sub("a/b/home");
  options.moniker = "solo";
  options.chain_id = "joet-dev";
  options.genesis_time_ms = kTime;
  auto init = init_home(options);
  ASSERT_TRUE(init.ok()) << init.error.to_string();
  auto home = load_home(options.home);
  ASSERT_TRUE(home.ok()) << home.error.to_string();
  EXPECT_EQ(home.value->validator_key.public_key(), init.value->validator_key);
  EXPECT_EQ(home.value->genesis_state.hash, init.value->genesis_hash);
  EXPECT_EQ(home.value->genesis.chain_id, "joet-dev");
  EXPECT_TRUE(home.value->genesis.institutions.empty());
  EXPECT_EQ(home.value->genesis_state.validators.size(), 1u);
  EXPECT_EQ(home.value->config.moniker, "solo");
  EXPECT_FALSE(home.value->member_key.has_value());

  auto again = init_home(options);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error.kind, HomeErrorKind::kAlreadyExists);
  auto still = load_home(options.home);
  ASSERT_TRUE(still.ok());
  EXPECT_EQ(still.value->validator_key.public_key(), init.value->validator_key);
}

TEST(InitHome, RefusesAMonikerThatIsNotACode) {
  testing::TempDir dir("init_moniker");
  InitOptions options;
  options.home = dir.str();
  options.moniker = "my node";
  options.genesis_time_ms = kTime;
  auto init = init_home(options);
  ASSERT_FALSE(init.ok());
  EXPECT_EQ(init.error.path, "--moniker");
}

TEST(LoadHome, RefusesAValidatorKeyReadableByOthers) {
  testing::TempDir dir("load_insecure");
  ASSERT_TRUE(testnet(dir.str(), 1).ok());
  const std::string key = dir.sub("node0/keys/validator.key");
  ASSERT_EQ(::chmod(key.c_str(), 0644), 0);
  auto home = load_home(dir.sub("node0"));
  ASSERT_FALSE(home.ok());
  EXPECT_EQ(home.error.kind, HomeErrorKind::kInsecurePermissions);
  EXPECT_EQ(home.error.file, key);
}

}  // namespace
}  // namespace joet::home
