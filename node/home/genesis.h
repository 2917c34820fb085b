// genesis.json: what every node of one network starts from (docs/joet-node.md). Parsed with typed
// errors naming the JSON path and checked in full (codes, roles, keys, the validator set, the policy),
// then turned into the genesis state writes, the genesis ValidatorSet and the genesis hash, which
// nodes compare so that a node with a different genesis is detected before it joins.
//
//   {
//     "chain_id": "joet-testnet",
//     "genesis_time": "2026-03-01T09:00:00Z",
//     "institutions": [{"id": "rb-amsterdam", "role": "COURT", "member_keys": ["<64 hex>", ...]}, ...],
//     "validators": [{"key": "<64 hex>", "power": 1, "institution": "rb-amsterdam"}, ...],
//     "policy": {"plan_days": 42, ..., "extra_holidays": ["2026-12-24"]},
//     "rules_version": 2
//   }
// "rules_version" (contracts/rules.h) is the rules version in force from height 1; absent means 1, the
// version every genesis written before it existed ran. New networks (init, testnet, genesis assemble)
// start with the latest version this build has.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "contracts/registry.h"
#include "contracts/rules.h"
#include "contracts/tx_context.h"
#include "ledger/hash.h"
#include "ledger/keys.h"
#include "ledger/kv_store.h"
#include "ledger/validator_set.h"
#include "node/home/home_error.h"

namespace joet::home {

class JsonReader;

// The tag of the genesis hash (ledger/hash.h tagged_hash): no other kind of object hashes under it.
inline constexpr std::string_view kGenesisHashTag = tags::kGenesis;

inline constexpr size_t kMaxGenesisBytes = 4 * 1024 * 1024;
inline constexpr size_t kMaxGenesisInstitutions = 1000;
inline constexpr size_t kMaxMemberKeysPerInstitution = 256;

struct GenesisValidator {
  PublicKey key;
  uint64_t power = 1;       // 1 .. 2^50
  std::string institution;  // a registered institution that runs it; "" = none given
};

struct Genesis {
  std::string chain_id;  // 1..64 characters of [A-Za-z0-9._:-]
  int64_t genesis_time_ms = 0;
  std::vector<GenesisInstitution> institutions;  // id, role, members (order kept as written)
  std::vector<GenesisValidator> validators;      // the order is the validator_index order
  Policy policy;                                 // the defaults with the file's overrides
  uint32_t rules_version = kGenesisRulesVersion; // in force from height 1; one this build has
};

bool operator==(const Genesis& a, const Genesis& b);

// What a node starts from.
struct GenesisState {
  std::string chain_id;
  int64_t genesis_time_ms = 0;
  WriteBatch state_writes;  // genesis_registry_writes + genesis_policy_writes + genesis_rules_writes (puts only)
  ValidatorSet validators;
  // tagged_hash(kGenesisHashTag, genesis_hash_bytes(...)): see genesis_hash_bytes.
  Hash32 hash{};
};

// The canonical bytes under the genesis hash: everything the genesis puts into the chain and nothing
// else (no whitespace, no key order, no policy value written or left at its default):
//   u64be(len(chain_id)) || chain_id
//   || u64be(genesis_time_ms, two's complement)
//   || validator_set_hash                       (32 bytes, ValidatorSet::hash(): validators in order)
//   || u64be(number of state writes)
//   || for each write in ascending key order: u64be(len(key)) || key || u64be(len(value)) || value
Bytes genesis_hash_bytes(const std::string& chain_id, int64_t genesis_time_ms, const ValidatorSet& validators,
                         const WriteBatch& state_writes);

// The state, validator set and hash of a genesis. kInvalidArgument for a genesis that fails the checks
// parse_genesis makes (for a Genesis built in code; parse_genesis reports them with their path).
Result<GenesisState> genesis_state(const Genesis& genesis);

// Every check, the first failure with its JSON path; `file` only names the source in errors.
Loaded<Genesis> parse_genesis(std::string_view json_text, const std::string& file = "");
Loaded<Genesis> load_genesis(const std::string& path);

// One institution as genesis.json writes it and an institution part (institution_part.h) carries it:
// "id" (a code, contracts/privacy.h), "role" (COURT, RVDK, MUNICIPALITY, GI or AUDITOR) and
// "member_keys" (1 to kMaxMemberKeysPerInstitution keys). read_genesis_institution reads these three
// fields of the object at `path` (the caller checks which other fields the object may have, and
// duplicates across institutions); institution_json writes them in this order.
GenesisInstitution read_genesis_institution(JsonReader& r, const nlohmann::json& obj, const std::string& path);
nlohmann::ordered_json institution_json(const GenesisInstitution& institution);

// The JSON text (2-space indent, fixed key order, the policy in full, a final newline).
// parse_genesis(write_genesis(g)) == g, and writing that again gives the same bytes.
std::string write_genesis(const Genesis& genesis);

}  // namespace joet::home
