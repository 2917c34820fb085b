// config.json: one node's own settings (docs/joet-node.md). Everything the network must agree on is
// in genesis.json; this file is the operator's.
//
//   {
//     "moniker": "node0",
//     "listen_address": "0.0.0.0:26656",           p2p, host:port
//     "rpc_address": "127.0.0.1:26657",            HTTP/JSON RPC, host:port
//     "peers": [{"key": "<64 hex>", "address": "10.0.0.2:26656"}],
//     "data_dir": "data",                          relative to the home directory
//     "log_level": "info"                          trace, debug, info, warn or error
//   }
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/keys.h"
#include "node/home/home_error.h"

namespace joet::home {

inline constexpr size_t kMaxConfigBytes = 1024 * 1024;
inline constexpr size_t kMaxPeers = 256;

struct PeerConfig {
  PublicKey key;        // the peer's validator key, pinned (ARCHITECTURE.md: unknown peers are refused)
  std::string address;  // host:port

  friend bool operator==(const PeerConfig&, const PeerConfig&) = default;
};

// A real network's heartbeat: an idle chain makes one block a minute, and a block by every deadline's
// due time (consensus::Application::next_due_ms), so no deadline fires late (decision 0011).
inline constexpr uint64_t kDefaultEmptyBlockIntervalMs = 60'000;
// A local testnet's (joet-node testnet, the demo, the tests): one a second, so heights move visibly.
inline constexpr uint64_t kTestnetEmptyBlockIntervalMs = 1000;
inline constexpr uint64_t kMaxEmptyBlockIntervalMs = 3'600'000;

struct NodeConfig {
  std::string moniker;         // required: 1..64 characters of [A-Za-z0-9._:-]
  std::string listen_address;  // required
  std::string rpc_address;     // required, not the listen address
  std::vector<PeerConfig> peers;
  std::string data_dir = "data";
  std::string log_level = "info";
  // consensus::EngineConfig::empty_block_interval_ms: an idle chain makes one block per this (its
  // deadlines fire at the first block on or after their due time, so at most this late); a tx is
  // proposed at once. 0 = no wait (a block per consensus round trip). At most one hour.
  uint64_t empty_block_interval_ms = kDefaultEmptyBlockIntervalMs;
  // The RPC server's connection limits (rpc::RpcServerConfig): at rpc_max_connections a new connection
  // closes the longest idle one (or is refused when none is idle); one client address holds at most
  // rpc_max_connections_per_client. 1..kMaxRpcConnections each, per-client at most the total.
  uint64_t rpc_max_connections = 256;
  uint64_t rpc_max_connections_per_client = 32;

  friend bool operator==(const NodeConfig&, const NodeConfig&) = default;
};

inline constexpr uint64_t kMaxRpcConnections = 65'536;

struct HostPort {
  std::string host;  // a name, an IPv4 address, or an IPv6 address without its brackets
  uint16_t port = 0;
};
// "host:port" or "[v6]:port", port 1..65535, host of [A-Za-z0-9.-] (or hex digits and ':' in brackets).
bool parse_host_port(std::string_view text, HostPort& out);

Loaded<NodeConfig> parse_config(std::string_view json_text, const std::string& file = "");
Loaded<NodeConfig> load_config(const std::string& path);
// The JSON text (2-space indent, fixed key order, every field, a final newline).
std::string write_config(const NodeConfig& config);

}  // namespace joet::home
