// A joet-replay scenario (docs/joet-replay.md): genesis institutions, policy overrides and blocks of
// txs, parsed from JSON into plain values. Bad input is a ScenarioError naming the JSON path of the
// offending value; nothing here asserts on the input.
#pragma once

#include "node/utc_time.h"  // the scenario's time format

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "contracts/tx_context.h"
#include "joet.pb.h"

namespace joet::replay {

enum class ScenarioErrorKind {
  kIo,                 // the file cannot be read
  kSyntax,             // not JSON
  kMissingField,       // a required field is absent
  kUnknownField,       // a field the format does not have (a typo, usually)
  kWrongType,          // a field of the wrong JSON type
  kBadValue,           // a value out of range or not of the expected form
  kBadRole,            // an institution role that is not COURT, RVDK, MUNICIPALITY, GI or AUDITOR
  kDuplicate,          // an institution id or signer name given twice
  kUnknownSigner,      // a tx signer that no institution (or outsider) has
  kBadTime,            // a block time that is not YYYY-MM-DDTHH:MM:SS[.mmm]Z or out of range
  kTimeNotIncreasing,  // a block time not after the previous block's
  kUnknownArgType,     // an arg value that is not a string, integer, boolean, {"hash"} or {"doc"}
  kBadHash,            // {"hash": ...} that is not 64 hex digits
  kUnknownPolicy,      // a policy override the executor does not have
};

std::string_view scenario_error_name(ScenarioErrorKind kind);  // e.g. "UNKNOWN_SIGNER"

struct ScenarioError {
  ScenarioErrorKind kind = ScenarioErrorKind::kSyntax;
  std::string path;  // e.g. "blocks[2].txs[0].signer"; "" for the whole document
  std::string message;

  std::string to_string() const;  // "<path>: <NAME>: <message>"
};

struct ScenarioInstitution {
  std::string id;
  contracts::v1::Role role = contracts::v1::ROLE_UNSPECIFIED;
  std::vector<std::string> signers;  // names of the member keys: from_test_seed(name); [id] by default
};

struct ScenarioTx {
  // The names of the signing keys (PrivateKey::from_test_seed(name)): one, or several for governance
  // (policy.set: more than 2/3 of the institutions). The nonce is the first signer's.
  std::vector<std::string> signers;
  std::string action;
  std::vector<v1::Arg> args;  // sorted by name
  uint64_t nonce = 0;         // given, or the signer's previous nonce in the scenario + 1
  uint64_t max_height = 0;    // 0 = none
};

struct ScenarioBlock {
  int64_t time_ms = 0;  // UTC, strictly increasing over the blocks
  std::vector<ScenarioTx> txs;
};

struct Scenario {
  std::string chain_id = "joet-replay";
  std::vector<ScenarioInstitution> institutions;
  std::vector<std::string> outsiders;  // key names that belong to no institution (to test refusals)
  Policy policy;                       // the defaults with the overrides; passes check_policy
  uint32_t rules_version = 1;          // in force from height 1 (contracts/rules.h); absent = 1
  std::vector<ScenarioBlock> blocks;   // heights 1, 2, ...
};

// Either a scenario or the first error found.
struct ParsedScenario {
  std::optional<Scenario> scenario;
  ScenarioError error;
  bool ok() const { return scenario.has_value(); }
};

ParsedScenario parse_scenario(std::string_view json_text);
ParsedScenario load_scenario(const std::string& path);

}  // namespace joet::replay
