#include "node/home/network_commands.h"

#include <iostream>

#include "contracts/registry.h"
#include "ledger/bytes.h"
#include "ledger/status.h"
#include "node/home/cli.h"
#include "node/home/file_io.h"
#include "node/home/genesis_assembly.h"
#include "node/home/institution_part.h"
#include "node/home/key_file.h"
#include "node/home/home.h"
#include "node/home/network_join.h"
#include "node/home/validator_rotation.h"

namespace joet::home::cli {

const std::string_view kKeysNewMemberUsage =
    "usage: joet-node keys new-member --out FILE\n"
    "\n"
    "Writes a fresh member key to FILE (the key-file format of keys/validator.key, mode 0600, never over\n"
    "an existing file): the key an institution signs its txs and signed reads with (joet-client --key).\n"
    "Prints its public key, member_key <hex>; never the secret. Put it into the network's genesis with\n"
    "`joet-node institution export --member-key FILE`.\n";

const std::string_view kKeysNewValidatorUsage =
    "usage: joet-node keys new-validator --home DIR\n"
    "\n"
    "Replaces the validator key of the node home DIR, with the node stopped: keys/validator.key, its\n"
    "signing guard keys/validator.state and the consensus WAL (<data_dir>/consensus.wal) move to\n"
    "keys/retired/<old public key>/ and a fresh key becomes keys/validator.key. From then on this home\n"
    "never signs with the old key. Prints retired_key, validator_key (the fresh one) and retired_dir.\n"
    "The institutions then put the fresh key into the set with a validator.update (joet-client\n"
    "governance, docs/joet-node.md); until it is in force the node follows the chain without signing.\n"
    "Refuses (IN_USE, exit 2) while a node runs from DIR, and a key that was retired before.\n";

const std::string_view kInstitutionUsage =
    "usage: joet-node institution export --home DIR --id ID --role ROLE --member-key FILE\n"
    "                                    [--member-key FILE ...] [--address HOST:PORT] [--out FILE]\n"
    "\n"
    "Prints the institution's part of a new network, one JSON object: its id and role, the public keys\n"
    "of its member key files, the public key of DIR's validator and the p2p address the other validators\n"
    "dial it at. No secret goes into it. Hand it to whoever runs `joet-node genesis assemble`.\n"
    "\n"
    "  --home DIR           the institution's node home (joet-node init); its keys/validator.key\n"
    "  --id ID              the institution's code: 1 to 64 characters of [A-Za-z0-9._:-], not BSN-shaped\n"
    "  --role ROLE          COURT, RVDK, MUNICIPALITY, GI or AUDITOR\n"
    "  --member-key FILE    a member key file (joet-node keys new-member); repeat it for more members\n"
    "  --address HOST:PORT  where the other hosts reach this node's p2p port (config.json listen_address);\n"
    "                       without it the other nodes do not dial it, it dials them\n"
    "  --out FILE           write the part to FILE (mode 0644, never over an existing file), not stdout\n";

const std::string_view kGenesisAssembleUsage =
    "usage: joet-node genesis assemble --chain-id ID --time UTC --out FILE PART...\n"
    "\n"
    "Writes FILE, the genesis of a network of the institutions of the PART files (joet-node institution\n"
    "export): each institution with its member keys, and its validator with power 1, ordered by\n"
    "institution id (the same parts, chain id and time give the same file in any order); the default\n"
    "policy. Refuses, writing nothing, a part that does not parse and an institution id or key in two\n"
    "parts. Never writes over an existing FILE. Prints the chain id, the genesis hash and the institutions.\n"
    "\n"
    "  --chain-id ID   1 to 64 characters of [A-Za-z0-9._:-]\n"
    "  --time UTC      the genesis time, YYYY-MM-DDTHH:MM:SSZ\n"
    "  --out FILE      the genesis.json to write (mode 0644)\n";

const std::string_view kGenesisInstallUsage =
    "usage: joet-node genesis install --home DIR FILE\n"
    "\n"
    "Makes FILE the genesis of the node home DIR: checks it as `genesis validate` does and that DIR's\n"
    "validator key is one of its validators, then writes it to DIR/genesis.json (replacing the one-node\n"
    "genesis of init). Refuses a home whose data dir holds a chain of another genesis. Prints the chain\n"
    "id and genesis hash; `unchanged` when DIR had this genesis already.\n";

const std::string_view kPeersUsage =
    "usage: joet-node peers set --home DIR PART...\n"
    "       joet-node peers add --home DIR --key HEX --address HOST:PORT\n"
    "\n"
    "Sets the peers of DIR/config.json to the validators of the PART files (joet-node institution export)\n"
    "at their addresses, all but DIR's own; every other setting is kept. Each part's validator must be one\n"
    "of DIR/genesis.json, for the part's institution (install the network's genesis first). A part without\n"
    "an address is left out: that validator dials in. Prints one line per peer.\n"
    "\n"
    "add: adds one peer to DIR/config.json (or gives a peer it has a new address), every other setting\n"
    "kept: a validator that joined the set later (a rotated key, a new institution's node). A running node\n"
    "reads the peers again on SIGHUP (kill -HUP PID); it pins the chain's validators by itself, so this is\n"
    "needed only where this node must dial the new one (its key is larger). Prints the peer.\n";

int keys_new_member(const std::vector<std::string>& argv) {
  std::string error;
  auto args = parse_args(argv, {"out"}, error);
  if (!args) return usage_error(kKeysNewMemberUsage, error);
  if (args->help) return help(kKeysNewMemberUsage);
  if (!args->positional.empty()) return usage_error(kKeysNewMemberUsage, "unexpected argument " + args->positional[0]);
  if (!args->options.count("out")) return usage_error(kKeysNewMemberUsage, "--out is required");
  auto key = create_key_file(args->options["out"]);
  if (!key.ok()) return failed(key.error);
  std::cout << "member_key " << key.value->public_key().hex() << "\n";
  return 0;
}

int keys_new_validator(const std::vector<std::string>& argv) {
  std::string error;
  auto args = parse_args(argv, {"home"}, error);
  if (!args) return usage_error(kKeysNewValidatorUsage, error);
  if (args->help) return help(kKeysNewValidatorUsage);
  if (!args->positional.empty()) return usage_error(kKeysNewValidatorUsage, "unexpected argument " + args->positional[0]);
  if (!args->options.count("home")) return usage_error(kKeysNewValidatorUsage, "--home is required");
  auto replaced = replace_validator_key(args->options["home"]);
  if (!replaced.ok()) return failed(replaced.error);
  std::cout << "retired_key " << replaced.value->retired.hex() << "\n"
            << "validator_key " << replaced.value->fresh.hex() << "\n"
            << "retired_dir " << replaced.value->retired_dir << "\n";
  return 0;
}

int institution(const std::vector<std::string>& argv) {
  std::string error;
  auto args = parse_args(argv, {"home", "id", "role", "address", "out"}, error, {"member-key"});
  if (!args) return usage_error(kInstitutionUsage, error);
  if (args->help) return help(kInstitutionUsage);
  if (args->positional.size() != 1 || args->positional[0] != "export") {
    return usage_error(kInstitutionUsage, "expected: institution export");
  }
  for (const char* required : {"home", "id", "role"}) {
    if (!args->options.count(required)) return usage_error(kInstitutionUsage, std::string("--") + required + " is required");
  }
  if (!args->repeated.count("member-key")) return usage_error(kInstitutionUsage, "--member-key is required");
  PartExport options;
  options.home = args->options["home"];
  options.id = args->options["id"];
  options.role = args->options["role"];
  options.member_key_files = args->repeated["member-key"];
  if (args->options.count("address")) options.address = args->options["address"];
  auto part = export_institution_part(options);
  if (!part.ok()) return failed(part.error);
  const std::string text = write_institution_part(*part.value);
  if (!args->options.count("out")) {
    std::cout << text;
    return 0;
  }
  auto written = write_file_atomic(args->options["out"], text, 0644, Replace::kNo);
  if (!written.ok()) return failed(written.error);
  std::cout << "part " << args->options["out"] << "\n"
            << "institution " << part.value->institution.id << " " << cv1::Role_Name(part.value->institution.role)
            << "\n"
            << "validator_key " << part.value->validator_key.hex() << "\n";
  return 0;
}

int genesis_assemble(const std::vector<std::string>& argv) {
  std::string error;
  auto args = parse_args(argv, {"chain-id", "time", "out"}, error);
  if (!args) return usage_error(kGenesisAssembleUsage, error);
  if (args->help) return help(kGenesisAssembleUsage);
  for (const char* required : {"chain-id", "time", "out"}) {
    if (!args->options.count(required)) {
      return usage_error(kGenesisAssembleUsage, std::string("--") + required + " is required");
    }
  }
  if (args->positional.empty()) return usage_error(kGenesisAssembleUsage, "at least one PART file is required");
  auto parts = load_institution_parts(args->positional);
  if (!parts.ok()) return failed(parts.error);
  auto genesis = assemble_genesis(args->options["chain-id"], args->options["time"], *parts.value);
  if (!genesis.ok()) return failed(genesis.error);
  auto state = genesis_state(*genesis.value);
  JOET_ASSERT(state.ok());  // assemble_genesis has checked it
  auto written = write_file_atomic(args->options["out"], write_genesis(*genesis.value), 0644, Replace::kNo);
  if (!written.ok()) return failed(written.error);
  std::cout << "genesis " << args->options["out"] << "\n"
            << "chain_id " << state->chain_id << "\n"
            << "genesis_hash " << to_hex(state->hash) << "\n";
  for (size_t i = 0; i < genesis.value->institutions.size(); ++i) {
    const GenesisInstitution& inst = genesis.value->institutions[i];
    std::cout << "  " << inst.id << " " << cv1::Role_Name(inst.role) << " member_keys " << inst.members.size()
              << " validator " << genesis.value->validators[i].key.hex() << "\n";
  }
  return 0;
}

int genesis_install(const std::vector<std::string>& argv) {
  std::string error;
  auto args = parse_args(argv, {"home"}, error);
  if (!args) return usage_error(kGenesisInstallUsage, error);
  if (args->help) return help(kGenesisInstallUsage);
  if (!args->options.count("home")) return usage_error(kGenesisInstallUsage, "--home is required");
  if (args->positional.size() != 1) return usage_error(kGenesisInstallUsage, "expected one genesis FILE");
  auto installed = install_genesis(args->options["home"], args->positional[0]);
  if (!installed.ok()) return failed(installed.error);
  std::cout << (installed.value->changed ? "installed " : "unchanged ") << HomePaths{args->options["home"]}.genesis()
            << "\n"
            << "chain_id " << installed.value->chain_id << "\n"
            << "genesis_hash " << to_hex(installed.value->genesis_hash) << "\n";
  return 0;
}

int peers(const std::vector<std::string>& argv) {
  std::string error;
  auto args = parse_args(argv, {"home", "key", "address"}, error);
  if (!args) return usage_error(kPeersUsage, error);
  if (args->help) return help(kPeersUsage);
  if (args->positional.empty() || (args->positional[0] != "set" && args->positional[0] != "add")) {
    return usage_error(kPeersUsage, "expected: peers set or peers add");
  }
  if (!args->options.count("home")) return usage_error(kPeersUsage, "--home is required");
  if (args->positional[0] == "add") {
    if (args->positional.size() != 1) return usage_error(kPeersUsage, "unexpected argument " + args->positional[1]);
    if (!args->options.count("key") || !args->options.count("address")) {
      return usage_error(kPeersUsage, "--key and --address are required");
    }
    auto added = add_peer(args->options["home"], args->options["key"], args->options["address"]);
    if (!added.ok()) return failed(added.error);
    std::cout << "peer " << added.value->key.hex() << " " << added.value->address << "\n";
    return 0;
  }
  if (args->options.count("key") || args->options.count("address")) return usage_error(kPeersUsage, "--key and --address are for peers add");
  const std::vector<std::string> part_files(args->positional.begin() + 1, args->positional.end());
  if (part_files.empty()) return usage_error(kPeersUsage, "at least one PART file is required");
  auto set = set_peers(args->options["home"], part_files);
  if (!set.ok()) return failed(set.error);
  std::cout << "peers " << set.value->peers.size() << "\n";
  for (const PeerConfig& p : set.value->peers) std::cout << "  " << p.key.hex() << " " << p.address << "\n";
  for (const std::string& file : set.value->without_address) std::cout << "no_address " << file << "\n";
  return 0;
}

}  // namespace joet::home::cli
