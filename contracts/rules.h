// Rule versions (ARCHITECTURE.md, contracts/): the law changes, so the statute terms the contracts
// apply are versioned. A `Statute` is one version's terms; the executor keeps every version it ever
// ran (built_in_rules) and applies, at each height, the version governance scheduled for it
// (`rules.schedule`, signed by more than 2/3 of the institutions). A node syncing from genesis and an
// auditor re-executing old blocks therefore apply the rules in force then. The block header carries
// the version (v1::BlockHeader.rules_version); BlockExecution.rules_version says which one ran.
//
// Policy terms (sector norms) are not versioned here: they are parameters (contracts/policy.h).
// A change that is not a term (a new check, a new deadline) is a new version too: its code branches on
// `Statute::version`, and the older branch stays.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "contracts/outcome.h"
#include "contracts/state.h"
#include "contracts/tx_context.h"
#include "ledger/kv_store.h"

namespace joet {

// Genesis runs version 1 from height 1.
inline constexpr uint32_t kGenesisRulesVersion = 1;

// A rules.schedule must name a height at least this far above the height of its block, so every
// validator has executed the schedule before it proposes a block under the new version.
inline constexpr uint64_t kMinRulesScheduleLead = 2;

// Every version this executor can run, ascending by version, starting at 1.
std::span<const Statute> built_in_rules();

// The version in force at `height`: the last activation at or below it, else kGenesisRulesVersion.
// kCorruption when c/meta/rules does not parse or is not ascending.
Result<uint32_t> rules_version_at(const KvReader& state, uint64_t height);

// The highest version this build has: what a new network starts with (genesis "rules_version").
uint32_t latest_rules_version();

// The genesis state writes that put `version` in force from height 1: none for version 1 (the
// default of a state without c/meta/rules), else c/meta/rules with that one activation. kInvalidArgument
// for a version this build does not have.
Result<WriteBatch> genesis_rules_writes(uint32_t version);

// The Statute of `version` in `versions`, or nullptr.
const Statute* find_rules(std::span<const Statute> versions, uint32_t version);

// rules.schedule {version integer, from_height integer}: from `from_height` on, the executor applies
// `version`. The version must not be below the one in force now (RULES_VERSION_NOT_NEWER) and
// from_height must be at least height + kMinRulesScheduleLead (BAD_FIELD). A schedule replaces every
// activation not yet in force; scheduling the version in force now only withdraws them, so a mistaken
// schedule can be taken back before its height. Whether this build knows `version` is not checked:
// that would make the tx's result depend on the binary. A node reaching `from_height` without the
// version stops with kUnsupported ("upgrade"), before it executes anything under rules it lacks.
Outcome rules_schedule(TxContext& ctx);

}  // namespace joet
