// The simulator running the node's real application (SimConfig::real_app: LedgerApp over a
// MemoryKvStore that loses unsynced writes on a crash), not its fake: the same engine, network and
// faults, with the block assembly, execution, state roots and block store of the shipped node. First
// LedgerSimApp on its own (what the simulator relies on), then whole simulations.
#include "tests/sim/ledger_sim_app.h"

#include <gtest/gtest.h>

#include "node/app/app_test_support.h"
#include "tests/sim/faults.h"
#include "tests/sim/simulator.h"

namespace joet::sim {
namespace {

constexpr uint64_t kGenesisMs = 1'000'000'000;

Hash32 salt_of(uint8_t b) {
  Hash32 h;
  h.fill(b);
  return h;
}

// Two pending txs on `app` (case.open and professional.register).
void submit_two(LedgerSimApp& app, TxWorkload& workload) {
  ASSERT_EQ(app.submit(workload.next(0), kGenesisMs), "");
  ASSERT_EQ(app.submit(workload.next(2), kGenesisMs), "");
}

TEST(LedgerSimApp, AByzantineBlockIsValidUnlessPoisonedAndBuildingItChangesNothing) {
  LedgerSimApp app(0, kGenesisMs);
  LedgerSimApp other(1, kGenesisMs);
  TxWorkload workload;
  submit_two(app, workload);
  const Hash32 root = app.state_root();
  const consensus::Value honest = app.prepare_proposal(1, 0, kGenesisMs + 10, {});
  const consensus::Value second = app.make_block(1, kGenesisMs + 11, salt_of(0x01), {});
  const consensus::Value poisoned = app.make_block(1, kGenesisMs + 10, NodeApp::poison_salt(), {});
  EXPECT_NE(second.hash, honest.hash);
  EXPECT_NE(poisoned.hash, honest.hash);
  for (LedgerSimApp* judge : {&app, &other}) {
    EXPECT_TRUE(judge->validate(1, honest));
    EXPECT_TRUE(judge->validate(1, second));
    EXPECT_FALSE(judge->validate(1, poisoned));
    EXPECT_FALSE(judge->halted());
  }
  // Two salts choose two tx subsets: two blocks at the same time.
  EXPECT_NE(app.make_block(1, kGenesisMs + 12, salt_of(0x00), {}).hash,
            app.make_block(1, kGenesisMs + 12, salt_of(0x03), {}).hash);
  EXPECT_EQ(app.next_height(), 1u);
  EXPECT_EQ(app.state_root(), root);
  EXPECT_TRUE(app.has_work(1));  // the mempool still holds both txs
}

TEST(LedgerSimApp, AFailedCommitLeavesNothingACrashInsideOneKeepsTheBlockAndAWipeForgetsAll) {
  LedgerSimApp app(0, kGenesisMs);
  std::vector<uint64_t> commits;
  app.on_commit = [&commits](uint64_t h, const Hash32&, bool valid, const v1::CommitCertificate&) {
    EXPECT_TRUE(valid);
    commits.push_back(h);
  };
  TxWorkload workload;
  submit_two(app, workload);
  const consensus::Value b1 = app.prepare_proposal(1, 0, kGenesisMs + 10, {});
  const auto cert1 = testing::certify(1, b1.hash);

  // Before durable: an error, nothing committed, the app halted until the node restarts.
  app.fail_next_finalize(false);
  EXPECT_FALSE(app.finalize_block(1, b1, cert1).ok());
  EXPECT_TRUE(app.halted());
  EXPECT_EQ(app.next_height(), 1u);
  app.crash();
  EXPECT_FALSE(app.halted());
  EXPECT_EQ(app.next_height(), 1u);
  ASSERT_TRUE(app.finalize_block(1, b1, cert1).ok());  // re-checked: the restart lost the app's cache
  EXPECT_EQ(app.next_height(), 2u);
  EXPECT_EQ(app.committed_txs(), 2u);

  // After durable: an error, but the block is committed and survives the crash.
  const consensus::Value b2 = app.prepare_proposal(2, 0, kGenesisMs + 20, {});
  app.fail_next_finalize(true);
  EXPECT_FALSE(app.finalize_block(2, b2, testing::certify(2, b2.hash)).ok());
  EXPECT_EQ(app.next_height(), 3u);
  app.crash();
  EXPECT_EQ(app.next_height(), 3u);
  EXPECT_EQ(app.committed(2).hash, b2.hash);
  EXPECT_EQ(app.committed(2).time_ms, kGenesisMs + 20);
  EXPECT_EQ(app.tip_time_ms(), kGenesisMs + 20);
  EXPECT_EQ(app.state_root_at(2), app.state_root());
  EXPECT_NE(app.state_root_at(1), LedgerSimApp(1, kGenesisMs).state_root());  // the txs changed the state
  auto stored = app.stored_state_root();
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(*stored, app.state_root());
  EXPECT_EQ(commits, (std::vector<uint64_t>{1, 2}));

  app.wipe();
  EXPECT_EQ(app.next_height(), 1u);
  EXPECT_EQ(app.tip_time_ms(), kGenesisMs);
  EXPECT_EQ(app.state_root(), LedgerSimApp(1, kGenesisMs).state_root());
}

// ---------------------------------------------------------------- simulations

std::string describe(const SimResult& r) {
  std::string s = "seed " + std::to_string(r.seed) + ":\n";
  for (const auto& v : r.violations) s += "  " + v + "\n";
  for (const auto& line : r.trace) s += "    " + line + "\n";
  return s;
}

SimConfig real_config(uint64_t seed, uint64_t heights, const std::string& faults) {
  SimConfig c;
  c.seed = seed;
  c.nodes = 4;
  c.heights = heights;
  c.real_app = true;
  EXPECT_TRUE(apply_faults(faults, c).ok());
  return c;
}

// Every honest node computed the same state root at every height it committed.
void expect_same_state_roots(const SimResult& r) {
  const std::vector<std::string>* first = nullptr;
  for (size_t id = 0; id < r.state_roots.size(); ++id) {
    const auto& roots = r.state_roots[id];
    if (roots.empty()) continue;
    if (first == nullptr) first = &roots;
    for (size_t h = 0; h < std::min(roots.size(), first->size()); ++h) {
      EXPECT_EQ(roots[h], (*first)[h]) << "seed " << r.seed << " node " << id << " height " << h + 1;
    }
  }
  ASSERT_NE(first, nullptr) << "no honest node reported its state roots";
}

// Runs seeds first..last: no violation, every height committed, the same roots everywhere.
void expect_clean(uint64_t first, uint64_t last, uint64_t heights, const std::string& faults, SimResult* total = nullptr) {
  for (uint64_t seed = first; seed <= last; ++seed) {
    SimResult r = run_simulation(real_config(seed, heights, faults));
    ASSERT_TRUE(r.violations.empty()) << faults << " " << describe(r);
    EXPECT_GE(r.heights_committed, heights);
    expect_same_state_roots(r);
    if (total != nullptr) {
      total->store_faults += r.store_faults;
      total->restarts += r.restarts;
      total->corrupt_wals_refused += r.corrupt_wals_refused;
      total->signatures_refused += r.signatures_refused;
      total->txs_committed += r.txs_committed;
      total->set_changes += r.set_changes;
    }
  }
}

TEST(LedgerSimulation, FourNodesOnAGoodNetworkCommitTxsAndComputeTheSameStateRootAtEveryHeight) {
  SimResult r = run_simulation(real_config(1, 10, "none"));
  ASSERT_TRUE(r.violations.empty()) << describe(r);
  EXPECT_GE(r.heights_committed, 10u);
  EXPECT_EQ(r.max_round, 0u);
  EXPECT_GT(r.txs_admitted, 0u);
  EXPECT_GT(r.txs_committed, 0u) << "the blocks carried no tx";
  ASSERT_EQ(r.state_roots.size(), 4u);
  for (const auto& roots : r.state_roots) ASSERT_GE(roots.size(), 10u);
  expect_same_state_roots(r);
  EXPECT_NE(r.state_roots[0].front(), r.state_roots[0].back()) << "the txs did not change the state";
}

TEST(LedgerSimulation, StaysSafeAndLiveUnderDropsPartitionsCrashesStoreFaultsAndAnEquivocator) {
  SimResult total;
  expect_clean(1, 30, 12, "drop,dup,partition,crash,store,equivocate", &total);
  expect_clean(1, 12, 12, "drop,dup,delay,crash,crash-send,crash-gst,store,skew,slow-exec,twin", &total);
  EXPECT_GT(total.store_faults, 0u);
  EXPECT_GT(total.restarts, 0u);
  EXPECT_GT(total.txs_committed, 0u);
}

// Without a byzantine validator the store faults also corrupt a WAL or wipe a data dir: the node
// rejoins (a wiped one re-executing the chain from genesis) and computes the same roots.
TEST(LedgerSimulation, ANodeThatLostItsWalOrItsDataDirRejoinsWithTheSameStateRoots) {
  SimResult total;
  expect_clean(1, 24, 12, "drop,crash,store", &total);
  EXPECT_GT(total.corrupt_wals_refused, 0u) << "no seed corrupted a WAL";
  EXPECT_GT(total.signatures_refused, 0u) << "no seed fenced a node that lost its WAL";
}

// validator.update txs, signed by five of the six institutions, move the honest validators' power
// under crashes, store faults and an equivocator: every honest chain puts the same set in force at
// height + 2 (checked at every commit), and the engines follow it.
TEST(LedgerSimulation, GovernanceTxsChangeTheValidatorSetAndEveryHonestChainFollows) {
  SimResult total;
  expect_clean(1, 10, 30, "drop,dup,partition,crash,crash-send,store,skew,equivocate,valset", &total);
  EXPECT_GE(total.set_changes, 10u) << "the governance txs hardly ever changed the set";
  EXPECT_GT(total.restarts, 0u);
}

// Blocks a byzantine proposer builds on purpose are judged by the real executor.
TEST(LedgerSimulation, TheRealExecutorJudgesEveryByzantineBehavioursBlocks) {
  for (const char* b : {"silent", "equivocate", "other-rounds", "garbage", "invalid-blocks", "twin", "time-shift",
                        "withhold", "fickle", "two-bodies", "false-polka"}) {
    expect_clean(1, 4, 10, std::string("drop,dup,partition,skew,") + b);
  }
}

// The evidence goes through the real block assembly and LedgerApp's evidence rules.
TEST(LedgerSimulation, EveryOffenceIsConvictedOnceInEveryHonestRealChain) {
  for (uint64_t seed = 1; seed <= 3; ++seed) {
    SimConfig c = real_config(seed, 20, "drop,dup,equivocate");
    c.require_evidence = true;
    c.byzantine_until_height = 16;
    SimResult r = run_simulation(c);
    ASSERT_TRUE(r.violations.empty()) << describe(r);
    EXPECT_GT(r.offences_found, 0u);
    EXPECT_EQ(r.offences_convicted, r.offences_found) << "seed " << seed;
  }
}

TEST(LedgerSimulation, ASeedReplaysExactlyWithTheRealApp) {
  SimConfig c = real_config(7, 10, "drop,dup,partition,crash,store,equivocate");
  c.trace = true;
  SimResult a = run_simulation(c);
  SimResult b = run_simulation(c);
  ASSERT_TRUE(a.violations.empty()) << describe(a);
  EXPECT_EQ(a.trace, b.trace);
  EXPECT_EQ(a.messages, b.messages);
  EXPECT_EQ(a.events, b.events);
  EXPECT_EQ(a.state_roots, b.state_roots);
  EXPECT_EQ(a.txs_committed, b.txs_committed);
}

}  // namespace
}  // namespace joet::sim
