#include "node/home/network_join.h"

#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "ledger/testing/temp_dir.h"
#include "node/home/file_io.h"
#include "node/home/genesis_assembly.h"
#include "node/home/home.h"
#include "node/home/key_file.h"

namespace joet::home {
namespace {

PublicKey key(const std::string& name) { return PrivateKey::from_test_seed(name).public_key(); }

PartFile part(const std::string& id, cv1::Role role, const std::string& address) {
  return {id + ".json", {{id, role, {key(id + "-member")}}, key(id + "-validator"), address}};
}

std::vector<PartFile> four() {
  return {part("rb-amsterdam", cv1::COURT, "10.0.0.1:26656"), part("rvdk", cv1::RVDK, "10.0.0.2:26656"),
          part("gem-amsterdam", cv1::MUNICIPALITY, "10.0.0.3:26656"), part("gi-jbra", cv1::GI, "10.0.0.4:26656")};
}

Genesis genesis_of(const std::vector<PartFile>& parts) {
  auto g = assemble_genesis("joet-net", "2026-03-01T09:00:00Z", parts);
  EXPECT_TRUE(g.ok()) << g.error.to_string();
  return *g.value;
}

TEST(PeersFromParts, AreEveryOtherValidatorAtItsPartsAddressInGenesisOrder) {
  const std::vector<PartFile> parts = four();
  auto peers = peers_from_parts(key("rvdk-validator"), genesis_of(parts), "genesis.json", parts);
  ASSERT_TRUE(peers.ok()) << peers.error.to_string();
  // Genesis order is by institution id: gem-amsterdam, gi-jbra, rb-amsterdam (rvdk is the node itself).
  const std::vector<PeerConfig> expected = {{key("gem-amsterdam-validator"), "10.0.0.3:26656"},
                                            {key("gi-jbra-validator"), "10.0.0.4:26656"},
                                            {key("rb-amsterdam-validator"), "10.0.0.1:26656"}};
  EXPECT_EQ(peers.value->peers, expected);
  EXPECT_TRUE(peers.value->without_address.empty());
}

TEST(PeersFromParts, LeavesOutAPartWithoutAnAddressAndSaysWhich) {
  std::vector<PartFile> parts = four();
  parts[3].part.address = "";
  auto peers = peers_from_parts(key("rvdk-validator"), genesis_of(parts), "genesis.json", parts);
  ASSERT_TRUE(peers.ok()) << peers.error.to_string();
  EXPECT_EQ(peers.value->peers.size(), 2u);
  EXPECT_EQ(peers.value->without_address, std::vector<std::string>{"gi-jbra.json"});
}

TEST(PeersFromParts, RefusesAHomeWhoseValidatorIsNotInTheGenesis) {
  const std::vector<PartFile> parts = four();
  auto peers = peers_from_parts(key("stranger"), genesis_of(parts), "HOME/genesis.json", parts);
  ASSERT_FALSE(peers.ok());
  EXPECT_EQ(peers.error.kind, HomeErrorKind::kBadValue);
  EXPECT_EQ(peers.error.file, "HOME/genesis.json");
  EXPECT_EQ(peers.error.path, "validators");
}

TEST(PeersFromParts, RefusesAPartOfAnotherNetworkAStaleOneAndOneGivenTwice) {
  const std::vector<PartFile> parts = four();
  const Genesis g = genesis_of(parts);
  {
    std::vector<PartFile> with = parts;
    with.push_back(part("gi-elders", cv1::GI, "10.9.0.1:26656"));
    auto peers = peers_from_parts(key("rvdk-validator"), g, "genesis.json", with);
    ASSERT_FALSE(peers.ok());
    EXPECT_EQ(peers.error.kind, HomeErrorKind::kBadValue);
    EXPECT_EQ(peers.error.file, "gi-elders.json");
    EXPECT_EQ(peers.error.path, "validator_key");
  }
  {
    std::vector<PartFile> with = parts;
    with[0].part.institution.id = "rb-utrecht";  // the court's validator, claimed for another institution
    auto peers = peers_from_parts(key("rvdk-validator"), g, "genesis.json", with);
    ASSERT_FALSE(peers.ok());
    EXPECT_EQ(peers.error.kind, HomeErrorKind::kBadValue);
    EXPECT_NE(peers.error.message.find("rb-amsterdam"), std::string::npos) << peers.error.message;
  }
  {
    std::vector<PartFile> with = parts;
    with.push_back(parts[0]);
    with.back().file = "court-copy.json";
    auto peers = peers_from_parts(key("rvdk-validator"), g, "genesis.json", with);
    ASSERT_FALSE(peers.ok());
    EXPECT_EQ(peers.error.kind, HomeErrorKind::kDuplicate);
    EXPECT_EQ(peers.error.file, "court-copy.json");
  }
}

// Four homes made by init, their parts exported and assembled into genesis.json in `dir`.
class FormedNetwork : public ::testing::Test {
 protected:
  FormedNetwork() : dir_("network_join") {
    const char* ids[] = {"rb-amsterdam", "rvdk", "gem-amsterdam", "gi-jbra"};
    const char* roles[] = {"COURT", "RVDK", "MUNICIPALITY", "GI"};
    std::vector<PartFile> parts;
    for (int i = 0; i < 4; ++i) {
      InitOptions init;
      init.home = home(i);
      init.moniker = ids[i];
      init.genesis_time_ms = 1'772'355'600'000;
      auto made = init_home(init);
      EXPECT_TRUE(made.ok()) << made.error.to_string();
      const std::string member = dir_.sub(std::string(ids[i]) + ".key");
      EXPECT_TRUE(create_key_file(member).ok());
      auto p = export_institution_part(
          {home(i), ids[i], roles[i], {member}, "10.0.0." + std::to_string(i + 1) + ":26656"});
      EXPECT_TRUE(p.ok()) << p.error.to_string();
      part_files_.push_back(dir_.sub(std::string(ids[i]) + ".part.json"));
      EXPECT_TRUE(write_file_atomic(part_files_.back(), write_institution_part(*p.value), 0644, Replace::kNo).ok());
      parts.push_back({part_files_.back(), *p.value});
    }
    auto g = assemble_genesis("joet-net", "2026-03-01T09:00:00Z", parts);
    EXPECT_TRUE(g.ok()) << g.error.to_string();
    EXPECT_TRUE(write_file_atomic(genesis(), write_genesis(*g.value), 0644, Replace::kNo).ok());
    hash_ = genesis_state(*g.value)->hash;
  }

  std::string home(int i) const { return dir_.sub("home" + std::to_string(i)); }
  std::string genesis() const { return dir_.sub("genesis.json"); }
  static std::string text(const std::string& path) {
    const Bytes b = testing::read_file_bytes(path);
    return std::string(b.begin(), b.end());
  }

  testing::TempDir dir_;
  std::vector<std::string> part_files_;
  Hash32 hash_{};
};

TEST_F(FormedNetwork, InstallAndPeersSetMakeEveryHomeLoadWithTheNetworksGenesisAndTheOtherThreeAsPeers) {
  for (int i = 0; i < 4; ++i) {
    SCOPED_TRACE("home" + std::to_string(i));
    const NodeConfig before = *load_config(home(i) + "/config.json").value;
    auto installed = install_genesis(home(i), genesis());
    ASSERT_TRUE(installed.ok()) << installed.error.to_string();
    EXPECT_TRUE(installed.value->changed);
    EXPECT_EQ(installed.value->genesis_hash, hash_);
    EXPECT_EQ(text(home(i) + "/genesis.json"), text(genesis()));
    auto set = set_peers(home(i), part_files_);
    ASSERT_TRUE(set.ok()) << set.error.to_string();
    auto loaded = load_home(home(i));
    ASSERT_TRUE(loaded.ok()) << loaded.error.to_string();
    EXPECT_EQ(loaded.value->genesis_state.hash, hash_);
    ASSERT_EQ(loaded.value->config.peers.size(), 3u);
    for (const PeerConfig& p : loaded.value->config.peers) {
      EXPECT_NE(p.key, loaded.value->validator_key.public_key());
      EXPECT_NE(p.address, "10.0.0." + std::to_string(i + 1) + ":26656");
    }
    NodeConfig expected = before;  // everything but the peers kept
    expected.peers = loaded.value->config.peers;
    EXPECT_EQ(loaded.value->config, expected);
  }
  // Installing it again changes nothing.
  auto again = install_genesis(home(0), genesis());
  ASSERT_TRUE(again.ok()) << again.error.to_string();
  EXPECT_FALSE(again.value->changed);
}

TEST_F(FormedNetwork, InstallRefusesAGenesisWithoutTheHomesValidatorAndWritesNothing) {
  InitOptions init;
  init.home = dir_.sub("stranger");
  init.moniker = "stranger";
  ASSERT_TRUE(init_home(init).ok());
  const std::string before = text(dir_.sub("stranger/genesis.json"));
  auto installed = install_genesis(dir_.sub("stranger"), genesis());
  ASSERT_FALSE(installed.ok());
  EXPECT_EQ(installed.error.kind, HomeErrorKind::kBadValue);
  EXPECT_EQ(installed.error.file, genesis());
  EXPECT_EQ(installed.error.path, "validators");
  EXPECT_EQ(text(dir_.sub("stranger/genesis.json")), before);
}

TEST_F(FormedNetwork, InstallRefusesAHomeWithAChainOfAnotherGenesis) {
  std::filesystem::create_directories(home(0) + "/data/ledger");
  const std::string before = text(home(0) + "/genesis.json");
  auto installed = install_genesis(home(0), genesis());
  ASSERT_FALSE(installed.ok());
  EXPECT_EQ(installed.error.kind, HomeErrorKind::kAlreadyExists);
  EXPECT_EQ(installed.error.file, home(0) + "/data/ledger");
  EXPECT_EQ(text(home(0) + "/genesis.json"), before);
}

TEST_F(FormedNetwork, PeersSetBeforeTheGenesisIsInstalledIsRefusedAndWritesNothing) {
  const std::string before = text(home(1) + "/config.json");
  auto set = set_peers(home(1), part_files_);
  ASSERT_FALSE(set.ok());
  EXPECT_EQ(set.error.kind, HomeErrorKind::kBadValue);  // the parts' validators are not in init's genesis
  EXPECT_EQ(text(home(1) + "/config.json"), before);
}

TEST_F(FormedNetwork, PeersSetWithAMalformedPartWritesNothing) {
  ASSERT_TRUE(install_genesis(home(1), genesis()).ok());
  const std::string before = text(home(1) + "/config.json");
  std::vector<std::string> files = part_files_;
  files.push_back(dir_.sub("broken.json"));
  ASSERT_TRUE(write_file_atomic(files.back(), "{\"id\": \"x\",", 0644, Replace::kNo).ok());
  auto set = set_peers(home(1), files);
  ASSERT_FALSE(set.ok());
  EXPECT_EQ(set.error.kind, HomeErrorKind::kSyntax);
  EXPECT_EQ(set.error.file, dir_.sub("broken.json"));
  EXPECT_EQ(text(home(1) + "/config.json"), before);
}

}  // namespace
}  // namespace joet::home

namespace joet::home {
namespace {

TEST(AddPeer, AddsAPeerOrMovesOneAndKeepsEveryOtherSetting) {
  testing::TempDir dir("add-peer");
  const std::string root = dir.path().string() + "/node";
  ASSERT_TRUE(init_home({root, "node0", "joet-local", 0}).ok());
  const std::string newcomer = key("newcomer").hex();
  auto added = add_peer(root, newcomer, "10.0.0.9:26656");
  ASSERT_TRUE(added.ok()) << added.error.to_string();
  auto moved = add_peer(root, newcomer, "10.0.0.10:26656");
  ASSERT_TRUE(moved.ok()) << moved.error.to_string();
  ASSERT_TRUE(add_peer(root, key("other").hex(), "[::1]:7000").ok());
  auto home = load_home(root);
  ASSERT_TRUE(home.ok()) << home.error.to_string();
  const std::vector<PeerConfig> expected = {{key("newcomer"), "10.0.0.10:26656"}, {key("other"), "[::1]:7000"}};
  EXPECT_EQ(home.value->config.peers, expected);
  EXPECT_EQ(home.value->config.moniker, "node0");
}

TEST(AddPeer, RefusesABadKeyABadAddressAndItsOwnKeyWritingNothing) {
  testing::TempDir dir("add-peer-bad");
  const std::string root = dir.path().string() + "/node";
  auto init = init_home({root, "node0", "joet-local", 0});
  ASSERT_TRUE(init.ok());
  const std::string before = read_file_limited(root + "/config.json", 1 << 20).value->text;
  struct Case {
    std::string key, address;
    HomeErrorKind kind;
  };
  for (const Case& c : {Case{"abc", "10.0.0.1:1", HomeErrorKind::kBadKey},
                        Case{std::string(64, 'f'), "10.0.0.1:1", HomeErrorKind::kBadKey},  // not on the curve
                        Case{key("x").hex(), "10.0.0.1", HomeErrorKind::kBadAddress},
                        Case{init.value->validator_key.hex(), "10.0.0.1:1", HomeErrorKind::kBadValue}}) {
    auto added = add_peer(root, c.key, c.address);
    ASSERT_FALSE(added.ok()) << c.key << " " << c.address;
    EXPECT_EQ(added.error.kind, c.kind) << added.error.to_string();
  }
  EXPECT_EQ(read_file_limited(root + "/config.json", 1 << 20).value->text, before);
}

}  // namespace
}  // namespace joet::home
