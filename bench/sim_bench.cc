// Simulated heights per second of the consensus simulator (tests/sim), one core: n = 4, 7 and 10 on a
// good network ("none") and under every fault ("all"), 20 heights a seed, a new seed each iteration.
// Built twice: sim_bench with the real BIP-340 keys, sim_bench_standin with tests/sim/standin_keys.cc
// linked in (the fast stand-in the long run uses for most seeds). Run: scripts/bench.sh.
#include <benchmark/benchmark.h>

#include <string>

#include "tests/sim/faults.h"
#include "tests/sim/simulator.h"

namespace {

void run(benchmark::State& state, const std::string& faults) {
  const auto nodes = static_cast<uint32_t>(state.range(0));
  uint64_t seed = 1, heights = 0, violations = 0;
  for (auto _ : state) {
    joet::sim::SimConfig c;
    c.seed = seed++;
    c.nodes = nodes;
    c.heights = 20;
    if (!joet::sim::apply_faults(faults, c).ok()) state.SkipWithError("bad fault list");
    const joet::sim::SimResult r = joet::sim::run_simulation(c);
    heights += r.heights_committed;
    violations += r.violations.size();
  }
  state.counters["heights_per_s"] = benchmark::Counter(static_cast<double>(heights), benchmark::Counter::kIsRate);
  state.counters["violations"] = static_cast<double>(violations);
}

void BM_SimulatedHeights_GoodNetwork(benchmark::State& state) { run(state, "none"); }
void BM_SimulatedHeights_AllFaults(benchmark::State& state) { run(state, "all"); }

BENCHMARK(BM_SimulatedHeights_GoodNetwork)->Arg(4)->Arg(7)->Arg(10)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SimulatedHeights_AllFaults)->Arg(4)->Arg(7)->Arg(10)->Unit(benchmark::kMillisecond);

}  // namespace

// main: bench/bench_main.cc (--version, then Google Benchmark's flags).
