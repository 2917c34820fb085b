// joet-node: the operator's command line (docs/joet-node.md): init, keys show, testnet,
// genesis validate|show, and start (the daemon, node/daemon/daemon.h); forming a network of
// institutions on their own hosts (network_commands.h): keys new-member, institution export,
// genesis assemble|install, peers set.
// Exit codes: 0 ok, 2 usage or bad input (message on stderr naming the file and JSON path), 1 internal.
#include <chrono>
#include <cstdint>
#include <exception>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "contracts/civil_date.h"
#include "contracts/policy.h"
#include "node/daemon/daemon.h"
#include "node/home/cli.h"
#include "node/home/genesis.h"
#include "node/home/home.h"
#include "node/home/key_file.h"
#include "node/home/network_commands.h"
#include "node/utc_time.h"
#include "version/version.h"

namespace {

using namespace joet::home;
using namespace joet::home::cli;

constexpr std::string_view kUsage =
    "usage: joet-node COMMAND [OPTIONS]\n"
    "\n"
    "The operator's side of a Joet Ledger node: its home directory, genesis file and keys\n"
    "(docs/joet-node.md). Commands:\n"
    "  start             run the node (the daemon) from a home\n"
    "  init              create a node home with a fresh validator key\n"
    "  keys show         print the public keys of a home\n"
    "  testnet           write the homes of a ready local network\n"
    "  genesis validate  check a genesis.json and print its hash\n"
    "  genesis show      print a genesis.json: chain id, hash, institutions, validators, policy\n"
    "\n"
    "Forming a network of institutions, each on its own host (docs/joet-node.md):\n"
    "  keys new-member     write a fresh member key file (an institution's tx signing key)\n"
    "  institution export  print an institution's part: id, role, member keys, validator key, address\n"
    "  genesis assemble    write the network's genesis.json from every institution's part\n"
    "  genesis install     make a genesis.json the genesis of a node home\n"
    "  peers set           set a home's peers from the institutions' parts\n"
    "  peers add           add one peer to a home (a validator that joined the set later)\n"
    "  keys new-validator  replace a home's validator key (a lost or rotated key), the old one retired\n"
    "\n"
    "joet-node COMMAND --help describes a command; joet-node --version prints the version and commit.\n"
    "exit status: 0 ok, 2 usage or bad input (message on stderr), 1 internal error\n";

constexpr std::string_view kInitUsage =
    "usage: joet-node init --home DIR --moniker NAME [--chain-id ID] [--empty-block-interval-ms MS]\n"
    "\n"
    "Creates DIR (and its parents) with config.json, genesis.json, keys/validator.key (a fresh key, mode\n"
    "0600) and data/. The genesis has this node as its only validator and registers no institution: to\n"
    "join a network, replace genesis.json with the network's (check it with `joet-node genesis validate`).\n"
    "Refuses a DIR that already has a config.json, genesis.json or keys/validator.key.\n"
    "Prints the home, the validator public key and the genesis hash.\n"
    "\n"
    "  --home DIR       the home directory\n"
    "  --moniker NAME   the node's name in logs: 1 to 64 characters of [A-Za-z0-9._:-]\n"
    "  --chain-id ID    default joet-local\n"
    "  --empty-block-interval-ms MS\n"
    "                   default 60000: an idle chain makes one block per MS, and one by each deadline's\n"
    "                   due time (config.json empty_block_interval_ms); a tx is proposed at once\n";

constexpr std::string_view kStartUsage =
    "usage: joet-node start --home DIR\n"
    "\n"
    "Runs the node from DIR: loads config.json, genesis.json and keys/validator.key, opens the stores in\n"
    "DIR/<data_dir> (refusing stores made for another genesis), connects to the genesis validators\n"
    "(p2p on listen_address) and serves the RPC on rpc_address. Logs one JSON object per line on stderr,\n"
    "one line per committed height. SIGINT or SIGTERM stops it.\n"
    "exit status: 0 stopped by a signal, 1 halted or internal error, 2 bad home\n";

constexpr std::string_view kKeysUsage =
    "usage: joet-node keys show --home DIR\n"
    "       joet-node keys new-member --out FILE\n"
    "       joet-node keys new-validator --home DIR\n"
    "\n"
    "show: prints the public keys of the home's key files: validator_key (keys/validator.key) and, when it\n"
    "exists, member_key (keys/member.key). A key file that group or others may access is refused.\n"
    "new-member: writes a fresh member key file (joet-node keys new-member --help).\n"
    "new-validator: replaces DIR's validator key (joet-node keys new-validator --help).\n";

constexpr std::string_view kTestnetUsage =
    "usage: joet-node testnet --validators N --output DIR [--chain-id ID] [--base-port P]\n"
    "                         [--empty-block-interval-ms MS] [--rules-version V]\n"
    "\n"
    "Writes DIR/node0 .. DIR/node<N-1>: each a home with its own validator key, one shared genesis.json\n"
    "and a config.json whose peers are all the other nodes on 127.0.0.1. The genesis registers the demo\n"
    "institutions rb-amsterdam (COURT), rvdk (RVDK), gem-amsterdam (MUNICIPALITY) and gi-jbra (GI) (the\n"
    "first N when N < 4); node i runs a validator (power 1) for institution i mod 4, and nodes 0..3 hold\n"
    "their institution's member key in keys/member.key. Refuses to write over an existing node<i>.\n"
    "\n"
    "  --validators N   1 to 64\n"
    "  --output DIR     where the homes go (created with its parents)\n"
    "  --chain-id ID    default joet-testnet\n"
    "  --base-port P    default 26656: node i listens on P + 2i (p2p) and P + 2i + 1 (rpc)\n"
    "  --empty-block-interval-ms MS\n"
    "                   default 1000 (a real node's default is 60000): an idle chain makes one block\n"
    "                   per MS (config.json empty_block_interval_ms); a tx is proposed at once. 0 = no wait\n"
    "  --rules-version V  the genesis rules version (default: the latest this build has); an older one\n"
    "                   rehearses an upgrade by rules.schedule (docs/contracts.md \"Rule versions\")\n";

constexpr std::string_view kGenesisUsage =
    "usage: joet-node genesis validate FILE\n"
    "       joet-node genesis show FILE\n"
    "       joet-node genesis assemble --chain-id ID --time UTC --out FILE PART...\n"
    "       joet-node genesis install --home DIR FILE\n"
    "\n"
    "validate: checks FILE in full (the format, codes, roles, keys, the validator set, the policy) and\n"
    "prints its chain id and genesis hash. Nodes with equal genesis hashes start the same chain.\n"
    "show: also prints the institutions, the validators and the policy.\n"
    "assemble: writes the genesis of the institutions' parts (joet-node genesis assemble --help).\n"
    "install: makes FILE the genesis of a node home (joet-node genesis install --help).\n";

// An unsigned decimal option, or nullopt.
std::optional<uint32_t> parse_u32(const std::string& text) {
  if (text.empty() || text.size() > 9) return std::nullopt;
  uint32_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<uint32_t>(c - '0');
  }
  return v;
}

int64_t now_seconds_ms() {
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  return std::chrono::duration_cast<std::chrono::seconds>(now).count() * 1000;
}

int cmd_init(const std::vector<std::string>& argv) {
  std::string error;
  auto args = parse_args(argv, {"home", "moniker", "chain-id", "empty-block-interval-ms"}, error);
  if (!args) return usage_error(kInitUsage, error);
  if (args->help) return help(kInitUsage);
  if (!args->positional.empty()) return usage_error(kInitUsage, "unexpected argument " + args->positional[0]);
  if (!args->options.count("home") || !args->options.count("moniker")) {
    return usage_error(kInitUsage, "--home and --moniker are required");
  }
  InitOptions options;
  options.home = args->options["home"];
  options.moniker = args->options["moniker"];
  if (args->options.count("chain-id")) options.chain_id = args->options["chain-id"];
  if (args->options.count("empty-block-interval-ms")) {
    const auto ms = parse_u32(args->options["empty-block-interval-ms"]);
    if (!ms) {
      return usage_error(kInitUsage, "--empty-block-interval-ms: not a number: " + args->options["empty-block-interval-ms"]);
    }
    options.empty_block_interval_ms = *ms;
  }
  options.genesis_time_ms = now_seconds_ms();
  auto result = init_home(options);
  if (!result.ok()) return failed(result.error);
  std::cout << "home " << options.home << "\n"
            << "validator_key " << result.value->validator_key.hex() << "\n"
            << "genesis_hash " << joet::to_hex(result.value->genesis_hash) << "\n";
  return 0;
}

int cmd_start(const std::vector<std::string>& argv) {
  std::string error;
  auto args = parse_args(argv, {"home"}, error);
  if (!args) return usage_error(kStartUsage, error);
  if (args->help) return help(kStartUsage);
  if (!args->positional.empty()) return usage_error(kStartUsage, "unexpected argument " + args->positional[0]);
  if (!args->options.count("home")) return usage_error(kStartUsage, "--home is required");
  return joet::daemon::run_node(args->options["home"]);
}

int cmd_keys(const std::vector<std::string>& argv) {
  if (!argv.empty() && argv[0] == "new-member") return keys_new_member({argv.begin() + 1, argv.end()});
  if (!argv.empty() && argv[0] == "new-validator") return keys_new_validator({argv.begin() + 1, argv.end()});
  std::string error;
  auto args = parse_args(argv, {"home"}, error);
  if (!args) return usage_error(kKeysUsage, error);
  if (args->help) return help(kKeysUsage);
  if (args->positional.size() != 1 || args->positional[0] != "show") return usage_error(kKeysUsage, "expected: keys show");
  if (!args->options.count("home")) return usage_error(kKeysUsage, "--home is required");
  const HomePaths paths{args->options["home"]};
  auto validator = load_key_file(paths.validator_key());
  if (!validator.ok()) return failed(validator.error);
  std::cout << "validator_key " << validator.value->public_key().hex() << "\n";
  auto member = load_key_file(paths.member_key());
  if (member.ok()) {
    std::cout << "member_key " << member.value->public_key().hex() << "\n";
  } else if (member.error.kind != HomeErrorKind::kNotFound) {
    return failed(member.error);
  }
  return 0;
}

int cmd_testnet(const std::vector<std::string>& argv) {
  std::string error;
  auto args = parse_args(argv, {"validators", "output", "chain-id", "base-port", "empty-block-interval-ms", "rules-version"},
                         error);
  if (!args) return usage_error(kTestnetUsage, error);
  if (args->help) return help(kTestnetUsage);
  if (!args->positional.empty()) return usage_error(kTestnetUsage, "unexpected argument " + args->positional[0]);
  if (!args->options.count("validators") || !args->options.count("output")) {
    return usage_error(kTestnetUsage, "--validators and --output are required");
  }
  TestnetOptions options;
  options.output = args->options["output"];
  const auto n = parse_u32(args->options["validators"]);
  if (!n) return usage_error(kTestnetUsage, "--validators: not a number: " + args->options["validators"]);
  options.validators = *n;
  if (args->options.count("chain-id")) options.chain_id = args->options["chain-id"];
  if (args->options.count("base-port")) {
    const auto port = parse_u32(args->options["base-port"]);
    if (!port) return usage_error(kTestnetUsage, "--base-port: not a number: " + args->options["base-port"]);
    options.base_port = *port;
  }
  if (args->options.count("empty-block-interval-ms")) {
    const auto ms = parse_u32(args->options["empty-block-interval-ms"]);
    if (!ms) {
      return usage_error(kTestnetUsage, "--empty-block-interval-ms: not a number: " + args->options["empty-block-interval-ms"]);
    }
    options.empty_block_interval_ms = *ms;
  }
  if (args->options.count("rules-version")) {
    const auto v = parse_u32(args->options["rules-version"]);
    if (!v || *v == 0 || *v > joet::latest_rules_version()) {
      return usage_error(kTestnetUsage, "--rules-version: 1 to " + std::to_string(joet::latest_rules_version()) + ", not " +
                                            args->options["rules-version"]);
    }
    options.rules_version = *v;
  }
  options.genesis_time_ms = now_seconds_ms();
  auto result = write_testnet(options);
  if (!result.ok()) return failed(result.error);
  std::cout << "genesis_hash " << joet::to_hex(result.value->genesis_hash) << "\n";
  for (const TestnetNode& node : result.value->nodes) {
    std::cout << node.moniker << " home " << node.home << " validator_key " << node.validator_key.hex()
              << " institution " << node.institution << " p2p " << node.listen_address << " rpc "
              << node.rpc_address << "\n";
  }
  return 0;
}

void print_genesis(const Genesis& g, const GenesisState& state) {
  std::cout << "genesis_time " << joet::format_utc_time(g.genesis_time_ms) << "\n"
            << "validator_set_hash " << joet::to_hex(state.validators.hash()) << "\n"
            << "institutions " << g.institutions.size() << "\n";
  for (const auto& i : g.institutions) {
    std::cout << "  " << i.id << " " << joet::contracts::v1::Role_Name(i.role) << " member_keys";
    for (const auto& k : i.members) std::cout << " " << k.hex();
    std::cout << "\n";
  }
  std::cout << "validators " << g.validators.size() << " total_power " << state.validators.total_power()
            << " quorum_power " << state.validators.quorum_power() << "\n";
  for (size_t i = 0; i < g.validators.size(); ++i) {
    const auto& v = g.validators[i];
    std::cout << "  " << i << " " << v.key.hex() << " power " << v.power;
    if (!v.institution.empty()) std::cout << " institution " << v.institution;
    std::cout << "\n";
  }
  std::cout << "policy";
  for (const auto& p : joet::policy_int_params()) std::cout << " " << p.name << "=" << g.policy.*(p.field);
  std::cout << " extra_holidays=";
  for (size_t i = 0; i < g.policy.extra_holidays.size(); ++i) {
    std::cout << (i ? "," : "") << joet::to_string(g.policy.extra_holidays[i]);
  }
  std::cout << "\n";
}

int cmd_genesis(const std::vector<std::string>& argv) {
  if (!argv.empty() && argv[0] == "assemble") return genesis_assemble({argv.begin() + 1, argv.end()});
  if (!argv.empty() && argv[0] == "install") return genesis_install({argv.begin() + 1, argv.end()});
  std::string error;
  auto args = parse_args(argv, {}, error);
  if (!args) return usage_error(kGenesisUsage, error);
  if (args->help) return help(kGenesisUsage);
  if (args->positional.size() != 2 || (args->positional[0] != "validate" && args->positional[0] != "show")) {
    return usage_error(kGenesisUsage, "expected: genesis validate|show FILE, genesis assemble or genesis install");
  }
  const std::string& file = args->positional[1];
  auto genesis = load_genesis(file);
  if (!genesis.ok()) return failed(genesis.error);
  auto state = genesis_state(*genesis.value);
  if (!state.ok()) {
    std::cerr << "joet-node: internal error: " << file << " parsed but " << state.error().to_string() << "\n";
    return 1;
  }
  if (args->positional[0] == "validate") {
    std::cout << "ok " << file << "\n";
  }
  std::cout << "chain_id " << state->chain_id << "\n"
            << "genesis_hash " << joet::to_hex(state->hash) << "\n";
  if (args->positional[0] == "show") print_genesis(*genesis.value, *state);
  return 0;
}

int run(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) return usage_error(kUsage, "a command is required");
  const std::string command = args.front();
  args.erase(args.begin());
  if (command == "--help" || command == "-h" || command == "help") return help(kUsage);
  int rc = 2;
  if (command == "start") {
    rc = cmd_start(args);
  } else if (command == "init") {
    rc = cmd_init(args);
  } else if (command == "keys") {
    rc = cmd_keys(args);
  } else if (command == "testnet") {
    rc = cmd_testnet(args);
  } else if (command == "genesis") {
    rc = cmd_genesis(args);
  } else if (command == "institution") {
    rc = institution(args);
  } else if (command == "peers") {
    rc = peers(args);
  } else {
    return usage_error(kUsage, "unknown command " + command);
  }
  std::cout.flush();
  if (rc == 0 && !std::cout) {
    std::cerr << "joet-node: cannot write the output\n";
    return 1;
  }
  return rc;
}

}  // namespace

int main(int argc, char** argv) {
  if (joet::version::is_version_request(argc, argv)) return joet::version::print_version(argv[0]);
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "joet-node: internal error: " << e.what() << "\n";
    return 1;
  }
}
