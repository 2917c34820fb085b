#include "node/home/config.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace joet::home {
namespace {

using nlohmann::json;

NodeConfig sample() {
  NodeConfig c;
  c.moniker = "node0";
  c.listen_address = "0.0.0.0:26656";
  c.rpc_address = "127.0.0.1:26657";
  c.peers.push_back({PrivateKey::from_test_seed("peer-1").public_key(), "10.0.0.2:26656"});
  c.peers.push_back({PrivateKey::from_test_seed("peer-2").public_key(), "[fd00::3]:26656"});
  c.data_dir = "data/chain";
  c.log_level = "debug";
  c.empty_block_interval_ms = 5000;
  c.rpc_max_connections = 1000;
  c.rpc_max_connections_per_client = 200;
  return c;
}

TEST(ConfigFile, RoundTripsExactly) {
  const std::string text = write_config(sample());
  auto parsed = parse_config(text, "config.json");
  ASSERT_TRUE(parsed.ok()) << parsed.error.to_string();
  EXPECT_EQ(*parsed.value, sample());
  EXPECT_EQ(write_config(*parsed.value), text);
}

TEST(ConfigFile, DefaultsThePeersDataDirAndLogLevel) {
  auto parsed = parse_config(R"({"moniker": "n", "listen_address": "h:1", "rpc_address": "h:2"})");
  ASSERT_TRUE(parsed.ok()) << parsed.error.to_string();
  EXPECT_TRUE(parsed.value->peers.empty());
  EXPECT_EQ(parsed.value->data_dir, "data");
  EXPECT_EQ(parsed.value->log_level, "info");
  EXPECT_EQ(parsed.value->empty_block_interval_ms, 60000u);  // a real node: a block a minute, and by each deadline
  EXPECT_EQ(parsed.value->rpc_max_connections, 256u);
  EXPECT_EQ(parsed.value->rpc_max_connections_per_client, 32u);
}

TEST(ConfigFile, RefusesEachKindOfBadConfigNamingItsPath) {
  struct Case {
    void (*mutate)(json&);
    HomeErrorKind kind;
    std::string path;
  };
  const std::vector<Case> cases = {
      {[](json& d) { d["port"] = 1; }, HomeErrorKind::kUnknownField, "port"},
      {[](json& d) { d.erase("moniker"); }, HomeErrorKind::kMissingField, "moniker"},
      {[](json& d) { d["moniker"] = "my node"; }, HomeErrorKind::kBadValue, "moniker"},
      {[](json& d) { d["listen_address"] = "localhost"; }, HomeErrorKind::kBadAddress, "listen_address"},
      {[](json& d) { d["listen_address"] = "localhost:0"; }, HomeErrorKind::kBadAddress, "listen_address"},
      {[](json& d) { d["listen_address"] = "localhost:65536"; }, HomeErrorKind::kBadAddress, "listen_address"},
      {[](json& d) { d["rpc_address"] = ":26657"; }, HomeErrorKind::kBadAddress, "rpc_address"},
      {[](json& d) { d["rpc_address"] = d["listen_address"]; }, HomeErrorKind::kBadAddress, "rpc_address"},
      {[](json& d) { d["peers"] = "10.0.0.2:26656"; }, HomeErrorKind::kWrongType, "peers"},
      {[](json& d) { d["peers"][1]["key"] = "abc"; }, HomeErrorKind::kBadKey, "peers[1].key"},
      {[](json& d) { d["peers"][1]["key"] = d["peers"][0]["key"]; }, HomeErrorKind::kDuplicate, "peers[1].key"},
      {[](json& d) { d["peers"][0]["address"] = "10.0.0.2"; }, HomeErrorKind::kBadAddress, "peers[0].address"},
      {[](json& d) { d["peers"][0].erase("address"); }, HomeErrorKind::kMissingField, "peers[0].address"},
      {[](json& d) { d["data_dir"] = "/var/lib/joet"; }, HomeErrorKind::kBadValue, "data_dir"},
      {[](json& d) { d["data_dir"] = "data/../../etc"; }, HomeErrorKind::kBadValue, "data_dir"},
      {[](json& d) { d["log_level"] = "loud"; }, HomeErrorKind::kBadValue, "log_level"},
      {[](json& d) { d["empty_block_interval_ms"] = -1; }, HomeErrorKind::kBadValue, "empty_block_interval_ms"},
      {[](json& d) { d["empty_block_interval_ms"] = "1s"; }, HomeErrorKind::kWrongType, "empty_block_interval_ms"},
      {[](json& d) { d["empty_block_interval_ms"] = 3'600'001; }, HomeErrorKind::kBadValue, "empty_block_interval_ms"},
      {[](json& d) { d["rpc_max_connections"] = 0; }, HomeErrorKind::kBadValue, "rpc_max_connections"},
      {[](json& d) { d["rpc_max_connections"] = 65'537; }, HomeErrorKind::kBadValue, "rpc_max_connections"},
      {[](json& d) { d["rpc_max_connections_per_client"] = "many"; }, HomeErrorKind::kWrongType, "rpc_max_connections_per_client"},
      {[](json& d) {
         d["rpc_max_connections"] = 100;
         d["rpc_max_connections_per_client"] = 300;
       }, HomeErrorKind::kBadValue, "rpc_max_connections_per_client"},
  };
  for (size_t i = 0; i < cases.size(); ++i) {
    json doc = json::parse(write_config(sample()));
    cases[i].mutate(doc);
    auto parsed = parse_config(doc.dump(), "config.json");
    ASSERT_FALSE(parsed.ok()) << "case " << i;
    EXPECT_EQ(parsed.error.kind, cases[i].kind) << "case " << i << ": " << parsed.error.to_string();
    EXPECT_EQ(parsed.error.path, cases[i].path) << "case " << i << ": " << parsed.error.to_string();
  }
}

TEST(HostPort, ParsesNamesV4AndBracketedV6) {
  HostPort hp;
  ASSERT_TRUE(parse_host_port("127.0.0.1:26656", hp));
  EXPECT_EQ(hp.host, "127.0.0.1");
  EXPECT_EQ(hp.port, 26656);
  ASSERT_TRUE(parse_host_port("[::1]:1", hp));
  EXPECT_EQ(hp.host, "::1");
  EXPECT_TRUE(parse_host_port("validator-3.rvdk.example:65535", hp));
  EXPECT_FALSE(parse_host_port("::1:26656", hp));
  EXPECT_FALSE(parse_host_port("host:026656", hp));
  EXPECT_FALSE(parse_host_port("host:+1", hp));
  EXPECT_FALSE(parse_host_port("[]:1", hp));
}

}  // namespace
}  // namespace joet::home
