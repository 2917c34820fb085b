#include "node/home/config.h"

#include <algorithm>
#include <array>
#include <set>

#include <nlohmann/json.hpp>

#include "contracts/privacy.h"
#include "node/home/file_io.h"
#include "node/home/json_reader.h"

namespace joet::home {
namespace {

using nlohmann::json;

constexpr std::array<std::string_view, 5> kLogLevels = {"trace", "debug", "info", "warn", "error"};

bool is_host_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
}
bool is_v6_char(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' || c == '.'; }

// A relative path that stays inside the home: no leading '/', no "..", no empty components.
bool is_inside_home(std::string_view dir) {
  if (dir.empty() || dir.size() > 255 || dir.front() == '/') return false;
  size_t start = 0;
  while (start <= dir.size()) {
    const size_t slash = std::min(dir.find('/', start), dir.size());
    const std::string_view part = dir.substr(start, slash - start);
    if (part.empty() || part == "..") return false;
    if (!std::all_of(part.begin(), part.end(), [](char c) { return is_host_char(c) || c == '_'; })) return false;
    start = slash + 1;
  }
  return true;
}

class ConfigReader {
 public:
  explicit ConfigReader(JsonReader& r) : r_(r) {}

  NodeConfig read(const json& doc) {
    r_.require_object(doc, "", {"moniker", "listen_address", "rpc_address", "peers", "data_dir", "log_level",
                                  "empty_block_interval_ms", "rpc_max_connections", "rpc_max_connections_per_client"});
    NodeConfig c;
    c.moniker = r_.string_value(r_.field(doc, "", "moniker"), "moniker");
    if (!is_code_charset(c.moniker)) r_.fail(HomeErrorKind::kBadValue, "moniker", "1 to 64 characters of [A-Za-z0-9._:-]");
    c.listen_address = address(r_.field(doc, "", "listen_address"), "listen_address");
    c.rpc_address = address(r_.field(doc, "", "rpc_address"), "rpc_address");
    if (c.rpc_address == c.listen_address) {
      r_.fail(HomeErrorKind::kBadAddress, "rpc_address", "the same as listen_address");
    }
    if (doc.contains("peers")) {
      const json& peers = r_.array_value(doc["peers"], "peers", kMaxPeers);
      std::set<PublicKey> keys;
      for (size_t i = 0; i < peers.size(); ++i) {
        const std::string p = JsonReader::index("peers", i);
        r_.require_object(peers[i], p, {"key", "address"});
        PeerConfig peer;
        peer.key = r_.public_key_value(r_.field(peers[i], p, "key"), JsonReader::join(p, "key"));
        if (!keys.insert(peer.key).second) r_.fail(HomeErrorKind::kDuplicate, JsonReader::join(p, "key"), "peer given twice");
        peer.address = address(r_.field(peers[i], p, "address"), JsonReader::join(p, "address"));
        c.peers.push_back(std::move(peer));
      }
    }
    if (doc.contains("data_dir")) {
      c.data_dir = r_.string_value(doc["data_dir"], "data_dir");
      if (!is_inside_home(c.data_dir)) {
        r_.fail(HomeErrorKind::kBadValue, "data_dir",
                "a relative path inside the home (no leading /, no .., characters [A-Za-z0-9._-]): " + c.data_dir);
      }
    }
    if (doc.contains("log_level")) {
      c.log_level = r_.string_value(doc["log_level"], "log_level");
      if (std::find(kLogLevels.begin(), kLogLevels.end(), c.log_level) == kLogLevels.end()) {
        r_.fail(HomeErrorKind::kBadValue, "log_level", "one of trace, debug, info, warn, error; not " + c.log_level);
      }
    }
    if (doc.contains("empty_block_interval_ms")) {
      c.empty_block_interval_ms = r_.unsigned_value(doc["empty_block_interval_ms"], "empty_block_interval_ms");
      if (c.empty_block_interval_ms > kMaxEmptyBlockIntervalMs) {
        r_.fail(HomeErrorKind::kBadValue, "empty_block_interval_ms", "at most 3600000 (one hour)");
      }
    }
    for (auto [name, field] : {std::pair<const char*, uint64_t*>{"rpc_max_connections", &c.rpc_max_connections},
                               {"rpc_max_connections_per_client", &c.rpc_max_connections_per_client}}) {
      if (!doc.contains(name)) continue;
      *field = r_.unsigned_value(doc[name], name);
      if (*field == 0 || *field > kMaxRpcConnections) r_.fail(HomeErrorKind::kBadValue, name, "1 to 65536");
    }
    if (c.rpc_max_connections_per_client > c.rpc_max_connections) {
      r_.fail(HomeErrorKind::kBadValue, "rpc_max_connections_per_client", "at most rpc_max_connections");
    }
    return c;
  }

 private:
  std::string address(const json& j, const std::string& path) {
    const std::string text = r_.string_value(j, path);
    HostPort hp;
    if (!parse_host_port(text, hp)) r_.fail(HomeErrorKind::kBadAddress, path, "not host:port (port 1..65535): " + text);
    return text;
  }

  JsonReader& r_;
};

}  // namespace

bool parse_host_port(std::string_view text, HostPort& out) {
  const size_t colon = text.rfind(':');
  if (colon == std::string_view::npos || text.size() > 300) return false;
  std::string_view host = text.substr(0, colon);
  const std::string_view port = text.substr(colon + 1);
  if (port.empty() || port.size() > 5 || !std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return false;
  }
  const unsigned long number = std::stoul(std::string(port));
  if (number == 0 || number > 65535 || port.front() == '0') return false;
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
    if (host.empty() || !std::all_of(host.begin(), host.end(), is_v6_char)) return false;
  } else if (host.empty() || !std::all_of(host.begin(), host.end(), is_host_char)) {
    return false;
  }
  out.host = std::string(host);
  out.port = static_cast<uint16_t>(number);
  return true;
}

Loaded<NodeConfig> parse_config(std::string_view json_text, const std::string& file) {
  JsonReader r(file);
  ConfigReader reader(r);
  return r.parse<NodeConfig>(json_text, [&reader](const json& doc) { return reader.read(doc); });
}

Loaded<NodeConfig> load_config(const std::string& path) {
  auto file = read_file_limited(path, kMaxConfigBytes);
  if (!file.ok()) return Loaded<NodeConfig>::failure(file.error);
  return parse_config(file.value->text, path);
}

std::string write_config(const NodeConfig& c) {
  using ojson = nlohmann::ordered_json;
  ojson peers = ojson::array();
  for (const PeerConfig& p : c.peers) peers.push_back(ojson{{"key", p.key.hex()}, {"address", p.address}});
  ojson doc = ojson::object();
  doc["moniker"] = c.moniker;
  doc["listen_address"] = c.listen_address;
  doc["rpc_address"] = c.rpc_address;
  doc["peers"] = std::move(peers);
  doc["data_dir"] = c.data_dir;
  doc["log_level"] = c.log_level;
  doc["empty_block_interval_ms"] = c.empty_block_interval_ms;
  doc["rpc_max_connections"] = c.rpc_max_connections;
  doc["rpc_max_connections_per_client"] = c.rpc_max_connections_per_client;
  return doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace joet::home
