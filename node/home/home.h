// The home directory of a node (docs/joet-node.md):
//   HOME/config.json           this node's settings (config.h)
//   HOME/genesis.json          the network's genesis (genesis.h), the same bytes on every node
//   HOME/keys/                 mode 0700
//   HOME/keys/validator.key    the consensus key, mode 0600 (key_file.h)
//   HOME/keys/validator.state  the signing guard's last signed slot, mode 0600 (node/signing_guard.h),
//                              created by the daemon on its first start
//   HOME/keys/member.key       testnet only: the member key of the institution this node runs
//   HOME/<data_dir>/           mode 0700, for the daemon's stores (config data_dir, default "data")
// init_home writes a one-node home; write_testnet writes a ready local network of N homes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ledger/keys.h"
#include "node/home/config.h"
#include "node/home/genesis.h"
#include "node/home/home_error.h"

namespace joet::home {

struct HomePaths {
  std::string root;

  std::string config() const { return root + "/config.json"; }
  std::string genesis() const { return root + "/genesis.json"; }
  std::string keys_dir() const { return root + "/keys"; }
  std::string validator_key() const { return root + "/keys/validator.key"; }
  std::string validator_state() const { return root + "/keys/validator.state"; }
  std::string member_key() const { return root + "/keys/member.key"; }
  std::string data_dir(const NodeConfig& config) const { return root + "/" + config.data_dir; }
};

struct InitOptions {
  std::string home;
  std::string moniker;
  std::string chain_id = "joet-local";
  int64_t genesis_time_ms = 0;
  uint64_t empty_block_interval_ms = kDefaultEmptyBlockIntervalMs;  // into config.json
};

struct InitResult {
  PublicKey validator_key;
  Hash32 genesis_hash{};
};

// Creates the home (and its parents) with a fresh validator key and a genesis in which this node is the
// only validator (power 1) and no institution is registered: a network replaces genesis.json with its
// shared one. ALREADY_EXISTS when the home has a config.json, genesis.json or keys/validator.key.
Loaded<InitResult> init_home(const InitOptions& options);

// A home as the daemon starts from it: every file parsed and checked.
struct Home {
  HomePaths paths;
  NodeConfig config;
  Genesis genesis;
  GenesisState genesis_state;
  PrivateKey validator_key;
  std::optional<PrivateKey> member_key;  // keys/member.key when present
};

// The config, genesis and keys (mode 0600 enforced); BAD_VALUE (config.json peers[i].key) when a peer is
// this node itself.
Loaded<Home> load_home(const std::string& root);

inline constexpr uint32_t kMaxTestnetValidators = 64;
inline constexpr uint32_t kDefaultBasePort = 26656;

struct TestnetOptions {
  std::string output;
  uint32_t validators = 4;  // 1..kMaxTestnetValidators
  std::string chain_id = "joet-testnet";
  uint32_t base_port = kDefaultBasePort;  // node i: p2p base + 2i, rpc base + 2i + 1, on 127.0.0.1
  int64_t genesis_time_ms = 0;
  uint64_t empty_block_interval_ms = kTestnetEmptyBlockIntervalMs;  // into every config.json
  uint32_t rules_version = 0;  // the genesis rules version; 0 = the latest this build has
};

struct TestnetNode {
  std::string home;  // OUTPUT/node<i>
  std::string moniker;
  PublicKey validator_key;
  std::string institution;                // the demo institution it runs
  std::optional<PublicKey> member_key;    // nodes 0..3: that institution's member key
  std::string listen_address;
  std::string rpc_address;
};

struct Testnet {
  Hash32 genesis_hash{};
  std::vector<TestnetNode> nodes;
};

// The demo institutions: rb-amsterdam (COURT), rvdk (RVDK), gem-amsterdam (MUNICIPALITY), gi-jbra (GI).
// The genesis registers the first min(N, 4); node i runs a validator (power 1) for institution i mod 4,
// node i < 4 holds that institution's member key. Every config lists all the other nodes as peers.
// BAD_VALUE (path "--validators" / "--base-port" / "--chain-id") for options out of range;
// ALREADY_EXISTS when any OUTPUT/node<i> exists.
Loaded<Testnet> write_testnet(const TestnetOptions& options);

}  // namespace joet::home
