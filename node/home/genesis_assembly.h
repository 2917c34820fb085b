// `joet-node genesis assemble`: the genesis of a network formed from its institutions' parts
// (institution_part.h; docs/joet-node.md, "Forming a network"). Pure: the parts are read by the caller.
//
// The genesis registers each part's institution and runs its validator (power 1, institution = its
// id). Institutions and validators are ordered by institution id, not by the order of the parts, so
// anyone who assembles the same parts with the same chain id and time gets the same bytes and hash.
// The policy is the default one (contracts/tx_context.h), written in full; the rules version is the
// latest this build has (contracts/rules.h).
#pragma once

#include <string>
#include <vector>

#include "node/home/genesis.h"
#include "node/home/home_error.h"
#include "node/home/institution_part.h"

namespace joet::home {

// The first error, naming the part file and its JSON path where it is about a part:
//   DUPLICATE           an institution id, member key or validator key that an earlier part also has
//                       (the message names that part), a key that is a member key in one part and a
//                       validator key in another
//   BAD_VALUE           --chain-id not 1 to 64 characters of [A-Za-z0-9._:-]; no part, or more than
//                       the validator limit (path "PART")
//   BAD_TIME            --time not YYYY-MM-DDTHH:MM:SS[.mmm]Z in 1900..9999
// The result passes parse_genesis(write_genesis(...)) (checked again before it is returned).
Loaded<Genesis> assemble_genesis(const std::string& chain_id, const std::string& genesis_time,
                                 const std::vector<PartFile>& parts);

}  // namespace joet::home
