// Named fault profiles for the runner and the tests: "--faults drop,dup,partition,crash,equivocate".
#pragma once

#include <string>

#include "ledger/status.h"
#include "tests/sim/simulator.h"

namespace joet::sim {

// Applies a comma-separated list of fault names to `config`: network (drop, heavy-drop, dup, delay, partition),
// crash (random times and inside WAL appends), crash-send (right after a message left), crash-lock (right
// after a validator precommitted a value, i.e. locked: 70%), crash-gst (after GST
// too), store (failing commits, a corrupt WAL at restart, a wiped data dir), commit-faults (the failing
// commits alone), no-guard (the signing guard off: the engine's own WAL discipline, unaided; never with a
// lost WAL, where the guard is what keeps it safe), skew, valset (power changes),
// members (validators join and leave), slow-exec (validation answers take up to 400 ms), and byzantine
// kinds (silent, equivocate, other-rounds, garbage, invalid-blocks, twin, time-shift, withhold, fickle;
// each takes one of the f faulty slots), evidence (every offence an honest node saw must end convicted
// in every honest chain; set the heights before calling), or "all" (every fault; the byzantine kinds rotate with the
// seed; set the seed before calling). GST is set when any network fault is on.
Status apply_faults(const std::string& list, SimConfig& config);

}  // namespace joet::sim
