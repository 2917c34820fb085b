// Runs a Scenario through the real executor (contracts/executor.h) on a MemoryKvStore, committing the
// state of every block with node/state_root.h, and reports what happened as JSON lines
// (docs/joet-replay.md, "Output"):
//   per block, in this order: one "tx" line per tx, one "event" line per event group (the events one
//   notify emitted to several recipients: same kind, case, detail, cause and measure), then the
//   "block" line with its state_root and events_root; and at the end one "state_root" line, followed,
//   when asked, by one "stuurinformatie" line: the report (contracts/stuurinformatie.h) over the final state.
// Deterministic: the same scenario gives the same lines, byte for byte (signatures use BIP-340 with
// zero auxiliary randomness, so even the signed txs are identical).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "contracts/stuurinformatie.h"
#include "node/replay/scenario.h"

namespace joet::replay {

using Line = nlohmann::ordered_json;
using LineSink = std::function<void(const Line&)>;

struct ReplayFailure {
  bool bad_scenario = false;  // the scenario is wrong (exit 2); otherwise an internal error (exit 1)
  std::string message;
};

struct ReplayOptions {
  // The months (from, to; inclusive) of the "stuurinformatie" line; none: no such line.
  std::optional<std::pair<CivilMonth, CivilMonth>> stuurinformatie;
};

// Calls `sink` with every line, in order. nullopt on success.
std::optional<ReplayFailure> run_scenario(const Scenario& scenario, const LineSink& sink,
                                          const ReplayOptions& options = {});

}  // namespace joet::replay
