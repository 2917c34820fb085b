// A validator key replaced in a node home (docs/joet-node.md, "Replacing a validator key"): the
// current keys/validator.key, its signing guard (keys/validator.state) and the consensus WAL its
// signatures are in move together to keys/retired/<its public key>/, and a fresh key takes its place.
// The retired key never signs from this home again (the daemon loads keys/validator.key only); the
// fresh one has signed nothing, so it starts with a guard of its own. The institutions then put the
// fresh key into the set with a validator.update (joet-client governance); until that is in force the
// node follows the chain without signing.
#pragma once

#include <string>

#include "ledger/keys.h"
#include "node/home/home_error.h"

namespace joet::home {

struct ReplacedValidatorKey {
  PublicKey retired;
  PublicKey fresh;
  std::string retired_dir;  // HOME/keys/retired/<retired key hex>
  bool wal_moved = false;   // the data dir held a consensus WAL
};

// Only with the node stopped: IN_USE while a node holds the signing guard's lock. ALREADY_EXISTS when
// the key was retired before (its directory is there). Nothing is moved when a check fails; a crash
// part way leaves the moved files in the retired directory and keys/validator.key absent or fresh.
Loaded<ReplacedValidatorKey> replace_validator_key(const std::string& home_root);

}  // namespace joet::home
