// The planted bug: this binary links an engine built with JOET_MUTANT_IGNORE_LOCK (lines 23 and 29
// ignore the lock). The simulator must find a violation within the CI budget, or it proves nothing.
#include <gtest/gtest.h>

#include "tests/sim/faults.h"
#include "tests/sim/simulator.h"

namespace joet::sim {
namespace {

TEST(PlantedBug, SimulatorCatchesAnEngineThatIgnoresItsLock) {
  uint64_t found_at = 0;
  for (uint64_t seed = 1; seed <= 100 && found_at == 0; ++seed) {
    SimConfig c;
    c.seed = seed;
    c.nodes = 4;
    c.heights = 20;
    ASSERT_TRUE(apply_faults("heavy-drop,equivocate", c).ok());
    SimResult r = run_simulation(c);
    for (const auto& v : r.violations) {
      if (v.rfind("agreement", 0) == 0) found_at = seed;
    }
  }
  EXPECT_NE(found_at, 0u) << "no seed in 1..100 caught the mutant";
  std::printf("mutant caught at seed %llu\n", static_cast<unsigned long long>(found_at));
}

}  // namespace
}  // namespace joet::sim
