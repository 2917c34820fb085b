// Named fault profiles for the runner and the tests: "--faults drop,dup,partition,crash,equivocate".
#pragma once

#include <string>

#include "ledger/status.h"
#include "tests/sim/simulator.h"

namespace joet::sim {

// Applies a comma-separated list of fault names to `config`: network (drop, heavy-drop, dup, delay, partition),
// crash, skew, valset (power changes), members (validators join and leave), slow-exec (validation
// answers take up to 400 ms), and byzantine kinds (silent, equivocate, other-rounds, garbage, invalid-blocks,
// twin; each takes one of the f faulty slots), or "all". GST is set when any network fault is on.
Status apply_faults(const std::string& list, SimConfig& config);

}  // namespace joet::sim
