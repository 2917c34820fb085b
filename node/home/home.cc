#include "node/home/home.h"

#include <sys/stat.h>

#include <array>
#include <filesystem>
#include <system_error>
#include <utility>

#include "contracts/privacy.h"
#include "node/home/file_io.h"
#include "node/home/key_file.h"

namespace joet::home {
namespace {

constexpr mode_t kDirMode = 0755;
constexpr mode_t kPrivateDirMode = 0700;
constexpr mode_t kPublicFileMode = 0644;

struct DemoInstitution {
  std::string_view id;
  cv1::Role role;
};
constexpr std::array<DemoInstitution, 4> kDemoInstitutions = {{
    {"rb-amsterdam", cv1::COURT},
    {"rvdk", cv1::RVDK},
    {"gem-amsterdam", cv1::MUNICIPALITY},
    {"gi-jbra", cv1::GI},
}};

template <typename T, typename U>
Loaded<T> pass(const Loaded<U>& failed) {
  return Loaded<T>::failure(failed.error);
}

bool exists(const std::string& path) {
  struct stat st{};
  return ::lstat(path.c_str(), &st) == 0;
}

Loaded<bool> make_parents(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Loaded<bool>::failure({HomeErrorKind::kIo, dir, "", "cannot create the directory: " + ec.message()});
  return Loaded<bool>{true, {}};
}

// The directories of a home, then its files; keys before anything that names them.
Loaded<bool> write_home(const HomePaths& paths, const NodeConfig& config, const std::string& genesis_json,
                        const PrivateKey& validator_key, const std::optional<PrivateKey>& member_key) {
  for (const auto& [dir, mode] : {std::pair{paths.root, kDirMode}, std::pair{paths.keys_dir(), kPrivateDirMode},
                                  std::pair{paths.data_dir(config), kPrivateDirMode}}) {
    auto made = make_directory(dir, mode);
    if (!made.ok()) return made;
  }
  auto saved = save_key_file(paths.validator_key(), validator_key);
  if (!saved.ok()) return saved;
  if (member_key) {
    saved = save_key_file(paths.member_key(), *member_key);
    if (!saved.ok()) return saved;
  }
  saved = write_file_atomic(paths.genesis(), genesis_json, kPublicFileMode, Replace::kNo);
  if (!saved.ok()) return saved;
  return write_file_atomic(paths.config(), write_config(config), kPublicFileMode, Replace::kNo);
}

std::string local_address(uint32_t port) { return "127.0.0.1:" + std::to_string(port); }

}  // namespace

Loaded<InitResult> init_home(const InitOptions& options) {
  using R = Loaded<InitResult>;
  if (!is_code_charset(options.moniker)) {
    return R::failure({HomeErrorKind::kBadValue, "", "--moniker", "1 to 64 characters of [A-Za-z0-9._:-]"});
  }
  if (!is_code_charset(options.chain_id)) {
    return R::failure({HomeErrorKind::kBadValue, "", "--chain-id", "1 to 64 characters of [A-Za-z0-9._:-]"});
  }
  const HomePaths paths{options.home};
  for (const std::string& file : {paths.config(), paths.genesis(), paths.validator_key()}) {
    if (exists(file)) return R::failure({HomeErrorKind::kAlreadyExists, file, "", "the home is already initialised"});
  }
  auto parents = make_parents(paths.root);
  if (!parents.ok()) return pass<InitResult>(parents);

  const PrivateKey key = PrivateKey::generate();
  Genesis genesis;
  genesis.chain_id = options.chain_id;
  genesis.genesis_time_ms = options.genesis_time_ms;
  genesis.rules_version = latest_rules_version();
  genesis.validators.push_back({key.public_key(), 1, ""});
  auto state = genesis_state(genesis);
  if (!state.ok()) return R::failure({HomeErrorKind::kBadValue, "", "genesis", state.error().message});

  if (options.empty_block_interval_ms > kMaxEmptyBlockIntervalMs) {
    return R::failure({HomeErrorKind::kBadValue, "", "empty_block_interval_ms", "at most 3600000 (one hour)"});
  }
  NodeConfig config;
  config.moniker = options.moniker;
  config.listen_address = "0.0.0.0:" + std::to_string(kDefaultBasePort);
  config.rpc_address = local_address(kDefaultBasePort + 1);
  config.empty_block_interval_ms = options.empty_block_interval_ms;
  auto written = write_home(paths, config, write_genesis(genesis), key, std::nullopt);
  if (!written.ok()) return pass<InitResult>(written);
  return R{InitResult{key.public_key(), state->hash}, {}};
}

Loaded<Home> load_home(const std::string& root) {
  using R = Loaded<Home>;
  const HomePaths paths{root};
  auto config = load_config(paths.config());
  if (!config.ok()) return pass<Home>(config);
  auto genesis = load_genesis(paths.genesis());
  if (!genesis.ok()) return pass<Home>(genesis);
  auto state = genesis_state(*genesis.value);
  JOET_ASSERT(state.ok());  // parse_genesis has checked everything genesis_state checks
  auto key = load_key_file(paths.validator_key());
  if (!key.ok()) return pass<Home>(key);
  std::optional<PrivateKey> member;
  if (exists(paths.member_key())) {
    auto m = load_key_file(paths.member_key());
    if (!m.ok()) return pass<Home>(m);
    member = *m.value;
  }
  for (size_t i = 0; i < config.value->peers.size(); ++i) {
    if (config.value->peers[i].key == key.value->public_key()) {
      return R::failure({HomeErrorKind::kBadValue, paths.config(), "peers[" + std::to_string(i) + "].key",
                         "is this node's own validator key"});
    }
  }
  return R{Home{paths, std::move(*config.value), std::move(*genesis.value), std::move(*state), *key.value, member}, {}};
}

Loaded<Testnet> write_testnet(const TestnetOptions& options) {
  using R = Loaded<Testnet>;
  const uint32_t n = options.validators;
  if (n < 1 || n > kMaxTestnetValidators) {
    return R::failure({HomeErrorKind::kBadValue, "", "--validators", "1 to " + std::to_string(kMaxTestnetValidators)});
  }
  if (options.empty_block_interval_ms > kMaxEmptyBlockIntervalMs) {
    return R::failure({HomeErrorKind::kBadValue, "", "--empty-block-interval-ms", "at most 3600000 (one hour)"});
  }
  if (options.base_port < 1 || options.base_port + 2 * n - 1 > 65535) {
    return R::failure({HomeErrorKind::kBadValue, "", "--base-port",
                       "the ports base .. base + " + std::to_string(2 * n - 1) + " must lie in 1..65535"});
  }
  if (!is_code_charset(options.chain_id)) {
    return R::failure({HomeErrorKind::kBadValue, "", "--chain-id", "1 to 64 characters of [A-Za-z0-9._:-]"});
  }
  std::vector<HomePaths> homes;
  for (uint32_t i = 0; i < n; ++i) {
    homes.push_back({options.output + "/node" + std::to_string(i)});
    if (exists(homes.back().root)) {
      return R::failure({HomeErrorKind::kAlreadyExists, homes.back().root, "", "exists; testnet writes new homes only"});
    }
  }
  auto parents = make_parents(options.output);
  if (!parents.ok()) return pass<Testnet>(parents);

  // Every key first, then the genesis that names them, then the homes.
  std::vector<PrivateKey> validator_keys;
  std::vector<PrivateKey> member_keys;
  Genesis genesis;
  genesis.chain_id = options.chain_id;
  genesis.genesis_time_ms = options.genesis_time_ms;
  genesis.rules_version = options.rules_version == 0 ? latest_rules_version() : options.rules_version;
  for (uint32_t i = 0; i < std::min<uint32_t>(n, kDemoInstitutions.size()); ++i) {
    member_keys.push_back(PrivateKey::generate());
    genesis.institutions.push_back(
        {std::string(kDemoInstitutions[i].id), kDemoInstitutions[i].role, {member_keys.back().public_key()}});
  }
  for (uint32_t i = 0; i < n; ++i) {
    validator_keys.push_back(PrivateKey::generate());
    genesis.validators.push_back(
        {validator_keys.back().public_key(), 1, std::string(kDemoInstitutions[i % kDemoInstitutions.size()].id)});
  }
  auto state = genesis_state(genesis);
  if (!state.ok()) return R::failure({HomeErrorKind::kBadValue, "", "genesis", state.error().message});
  const std::string genesis_json = write_genesis(genesis);

  Testnet out;
  out.genesis_hash = state->hash;
  for (uint32_t i = 0; i < n; ++i) {
    TestnetNode node;
    node.home = homes[i].root;
    node.moniker = "node" + std::to_string(i);
    node.validator_key = validator_keys[i].public_key();
    node.institution = genesis.validators[i].institution;
    if (i < member_keys.size()) node.member_key = member_keys[i].public_key();
    node.listen_address = local_address(options.base_port + 2 * i);
    node.rpc_address = local_address(options.base_port + 2 * i + 1);
    out.nodes.push_back(std::move(node));
  }
  for (uint32_t i = 0; i < n; ++i) {
    NodeConfig config;
    config.moniker = out.nodes[i].moniker;
    config.listen_address = out.nodes[i].listen_address;
    config.rpc_address = out.nodes[i].rpc_address;
    config.empty_block_interval_ms = options.empty_block_interval_ms;
    for (uint32_t k = 0; k < n; ++k) {
      if (k != i) config.peers.push_back({out.nodes[k].validator_key, out.nodes[k].listen_address});
    }
    std::optional<PrivateKey> member;
    if (i < member_keys.size()) member = member_keys[i];
    auto written = write_home(homes[i], config, genesis_json, validator_keys[i], member);
    if (!written.ok()) return pass<Testnet>(written);
  }
  return R{std::move(out), {}};
}

}  // namespace joet::home
