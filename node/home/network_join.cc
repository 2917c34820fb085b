#include "node/home/network_join.h"

#include <sys/stat.h>

#include <algorithm>
#include <map>
#include <utility>

#include "ledger/bytes.h"

#include "node/home/file_io.h"
#include "node/home/home.h"
#include "node/home/key_file.h"

namespace joet::home {
namespace {

constexpr mode_t kPublicFileMode = 0644;

template <typename T, typename U>
Loaded<T> pass(const Loaded<U>& failed) {
  return Loaded<T>::failure(failed.error);
}

// Writes `config` over HOME/config.json, after checking it reads back as itself (what the daemon reads).
Loaded<bool> replace_config(const HomePaths& paths, const NodeConfig& config) {
  const std::string text = write_config(config);
  auto check = parse_config(text, paths.config());
  if (!check.ok()) return pass<bool>(check);
  JOET_ASSERT(*check.value == config);
  return write_file_atomic(paths.config(), text, kPublicFileMode, Replace::kYes);
}

HomeError not_a_validator(const std::string& genesis_file, const PublicKey& key) {
  return {HomeErrorKind::kBadValue, genesis_file, "validators",
          "this home's validator key " + key.hex() +
              " is not one of them: install the network's genesis first (joet-node genesis install)"};
}

bool has_validator(const Genesis& genesis, const PublicKey& key) {
  for (const GenesisValidator& v : genesis.validators) {
    if (v.key == key) return true;
  }
  return false;
}

}  // namespace

Loaded<PeersFromParts> peers_from_parts(const PublicKey& own_key, const Genesis& genesis,
                                        const std::string& genesis_file, const std::vector<PartFile>& parts) {
  using R = Loaded<PeersFromParts>;
  if (!has_validator(genesis, own_key)) return R::failure(not_a_validator(genesis_file, own_key));
  std::map<PublicKey, const GenesisValidator*> validators;
  for (const GenesisValidator& v : genesis.validators) validators.emplace(v.key, &v);
  std::map<PublicKey, const PartFile*> part_of;
  for (const PartFile& p : parts) {
    const PublicKey& key = p.part.validator_key;
    auto v = validators.find(key);
    if (v == validators.end()) {
      return R::failure({HomeErrorKind::kBadValue, p.file, "validator_key",
                         "validator " + key.hex() + " is not in " + genesis_file +
                             " (install the network's genesis first: joet-node genesis install; or is this a part "
                             "of another network?)"});
    }
    if (v->second->institution != p.part.institution.id) {
      return R::failure({HomeErrorKind::kBadValue, p.file, "validator_key",
                         "validator " + key.hex() + " runs for institution '" + v->second->institution + "' in " +
                             genesis_file + ", not for " + p.part.institution.id});
    }
    auto [it, fresh] = part_of.emplace(key, &p);
    if (!fresh) {
      return R::failure({HomeErrorKind::kDuplicate, p.file, "validator_key",
                         "validator " + key.hex() + " is also in " + it->second->file});
    }
  }
  PeersFromParts out;
  for (const GenesisValidator& v : genesis.validators) {
    auto p = part_of.find(v.key);
    if (p == part_of.end() || v.key == own_key) continue;
    if (p->second->part.address.empty()) {
      out.without_address.push_back(p->second->file);
    } else {
      out.peers.push_back({v.key, p->second->part.address});
    }
  }
  return R{std::move(out), {}};
}

Loaded<PeersFromParts> set_peers(const std::string& home, const std::vector<std::string>& part_files) {
  auto loaded = load_home(home);
  if (!loaded.ok()) return pass<PeersFromParts>(loaded);
  auto parts = load_institution_parts(part_files);
  if (!parts.ok()) return pass<PeersFromParts>(parts);
  Home& h = *loaded.value;
  auto peers = peers_from_parts(h.validator_key.public_key(), h.genesis, h.paths.genesis(), *parts.value);
  if (!peers.ok()) return peers;
  NodeConfig config = h.config;
  config.peers = peers.value->peers;
  auto written = replace_config(h.paths, config);
  if (!written.ok()) return pass<PeersFromParts>(written);
  return peers;
}

Loaded<PeerConfig> add_peer(const std::string& home, const std::string& key_hex, const std::string& address) {
  using R = Loaded<PeerConfig>;
  auto loaded = load_home(home);
  if (!loaded.ok()) return pass<PeerConfig>(loaded);
  Home& h = *loaded.value;
  auto bytes = hash32_from_hex(key_hex);
  auto key = bytes.ok() ? PublicKey::from_bytes(*bytes) : Result<PublicKey>(bytes.error());
  if (!key.ok()) return R::failure({HomeErrorKind::kBadKey, "", "--key", "not a public key (64 hex digits): " + key_hex});
  HostPort parsed;
  if (!parse_host_port(address, parsed)) return R::failure({HomeErrorKind::kBadAddress, "", "--address", "not host:port: " + address});
  if (*key == h.validator_key.public_key()) {
    return R::failure({HomeErrorKind::kBadValue, h.paths.validator_key(), "", "the key is this home's own validator"});
  }
  NodeConfig config = h.config;
  const PeerConfig peer{*key, address};
  auto known = std::find_if(config.peers.begin(), config.peers.end(), [&](const PeerConfig& p) { return p.key == *key; });
  if (known != config.peers.end()) {
    known->address = address;
  } else {
    config.peers.push_back(peer);
  }
  auto written = replace_config(h.paths, config);
  if (!written.ok()) return pass<PeerConfig>(written);
  return R{peer, {}};
}

Loaded<InstalledGenesis> install_genesis(const std::string& home, const std::string& genesis_file) {
  using R = Loaded<InstalledGenesis>;
  const HomePaths paths{home};
  auto file = read_file_limited(genesis_file, kMaxGenesisBytes);
  if (!file.ok()) return pass<InstalledGenesis>(file);
  auto genesis = parse_genesis(file.value->text, genesis_file);
  if (!genesis.ok()) return pass<InstalledGenesis>(genesis);
  auto state = genesis_state(*genesis.value);
  JOET_ASSERT(state.ok());  // parse_genesis has checked everything genesis_state checks
  auto config = load_config(paths.config());
  if (!config.ok()) return pass<InstalledGenesis>(config);
  auto key = load_key_file(paths.validator_key());
  if (!key.ok()) return pass<InstalledGenesis>(key);
  const PublicKey own = key.value->public_key();
  if (!has_validator(*genesis.value, own)) {
    return R::failure({HomeErrorKind::kBadValue, genesis_file, "validators",
                       "this home's validator key " + own.hex() + " (" + paths.validator_key() +
                           ") is not one of them: a node of this network runs one of its validator keys"});
  }
  InstalledGenesis out{state->chain_id, state->hash, true};
  auto current = load_genesis(paths.genesis());
  if (current.ok()) {
    auto current_state = genesis_state(*current.value);
    JOET_ASSERT(current_state.ok());
    if (current_state->hash == state->hash) {
      out.changed = false;
      return R{out, {}};
    }
  }
  const std::string ledger = paths.data_dir(*config.value) + "/ledger";
  struct stat st{};
  if (::lstat(ledger.c_str(), &st) == 0) {
    return R::failure({HomeErrorKind::kAlreadyExists, ledger, "",
                       "this home has a chain of another genesis (a home belongs to one network: make a new one "
                       "with joet-node init)"});
  }
  auto written = write_file_atomic(paths.genesis(), file.value->text, kPublicFileMode, Replace::kYes);
  if (!written.ok()) return pass<InstalledGenesis>(written);
  return R{out, {}};
}

}  // namespace joet::home
