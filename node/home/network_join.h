// Joining a node home to a network formed from institution parts (docs/joet-node.md, "Forming a
// network"): `joet-node genesis install` puts the network's genesis.json into the home, and
// `joet-node peers set` fills config.json peers with the other validators' addresses from their parts.
#pragma once

#include <string>
#include <vector>

#include "ledger/hash.h"
#include "ledger/keys.h"
#include "node/home/config.h"
#include "node/home/genesis.h"
#include "node/home/home_error.h"
#include "node/home/institution_part.h"

namespace joet::home {

struct PeersFromParts {
  std::vector<PeerConfig> peers;            // in the genesis' validator order
  std::vector<std::string> without_address;  // the files of parts that give none (they dial in)
};

// The peers of the node whose validator key is `own_key`: every part's validator but its own, at the
// part's address. BAD_VALUE (`genesis_file`, "validators") when own_key is not a validator of
// `genesis`; for a part: BAD_VALUE ("validator_key") when its validator is not one of the genesis or
// runs for another institution there (a part of another network, or a stale one), DUPLICATE when an
// earlier part has the same validator key. Pure.
Loaded<PeersFromParts> peers_from_parts(const PublicKey& own_key, const Genesis& genesis,
                                        const std::string& genesis_file, const std::vector<PartFile>& parts);

// Loads the home (load_home) and the parts, and rewrites HOME/config.json with the peers of
// peers_from_parts, every other setting kept. Nothing is written on an error.
Loaded<PeersFromParts> set_peers(const std::string& home, const std::vector<std::string>& part_files);

// Adds one peer to HOME/config.json, or gives a peer it has a new address, every other setting kept: a
// validator that joined the set later (a validator.update: a rotated key, a new institution's node),
// which the running node pins and dials once it reads the file again (SIGHUP). BAD_KEY ("--key") for
// anything but 64 hex digits of a valid key, BAD_ADDRESS ("--address") for anything but host:port,
// BAD_VALUE when the key is the home's own validator. Nothing is written on an error.
Loaded<PeerConfig> add_peer(const std::string& home, const std::string& key_hex, const std::string& address);

struct InstalledGenesis {
  std::string chain_id;
  Hash32 genesis_hash{};
  bool changed = false;  // false: the home had this genesis already (same hash); nothing written
};

// Checks `genesis_file` in full, and that the home's validator key is one of its validators (BAD_VALUE,
// path "validators"), then writes its bytes to HOME/genesis.json. ALREADY_EXISTS (HOME/<data_dir>/ledger)
// when the home has a ledger and its genesis.json had another hash: a home belongs to one chain.
Loaded<InstalledGenesis> install_genesis(const std::string& home, const std::string& genesis_file);

}  // namespace joet::home
