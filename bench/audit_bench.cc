// joet-audit's throughput (client-sdk/audit.h): a chain of 500 certified blocks × 200 signed txs
// (node/testing/local_chain.h: the real block assembly, certificates and block store), audited from
// genesis. Counters: heights/s and txs/s of the whole audit (load, certificates, validity rules,
// signature checks, re-execution, state tree, scratch writes), and `x_verify_core`: txs/s over the
// single-core BIP-340 verify rate measured in this process (ledger_bench BM_SchnorrVerify): how many
// cores' worth of bare signature checking the audit keeps up with.
//   Args: {lookahead heights (0: sequential), scratch (0 memory, 1 LevelDB in a temporary directory)}
#include <benchmark/benchmark.h>

#include <chrono>
#include <string>
#include <vector>

#include "client-sdk/audit.h"
#include "client-sdk/audit_scratch.h"
#include "ledger/hash.h"
#include "ledger/keys.h"
#include "node/testing/local_chain.h"

namespace joet {
namespace {

constexpr int kBlocks = 500;
constexpr int kTxsPerBlock = 200;

struct BenchChain {
  testing::LocalChain chain;
  testing::Chain txs;
  BenchChain() {
    const int64_t start = testing::utc_ms(2026, 3, 10, 9);
    for (int b = 0; b < kBlocks; ++b) {
      std::vector<v1::SignedTx> block;
      block.reserve(kTxsPerBlock);
      for (int i = 0; i < kTxsPerBlock; ++i) {
        block.push_back(testing::open_case_tx(txs, "case-" + std::to_string(b * kTxsPerBlock + i)));
      }
      // Assembled and certified (not checked a second time: the audit does that).
      const AssembledBlock assembled = chain.assemble(start + int64_t{b} * 1'000, std::move(block));
      chain.commit(assembled, chain.certify(assembled));
    }
  }
};

const BenchChain& bench_chain() {
  static const BenchChain chain;
  return chain;
}

// One core's BIP-340 verify rate, signatures per second.
double single_core_verify_rate() {
  static const double rate = [] {
    const PrivateKey key = PrivateKey::from_test_seed("audit-bench");
    std::vector<Hash32> msgs;
    std::vector<Signature64> sigs;
    for (int i = 0; i < 2'000; ++i) {
      msgs.push_back(sha256(std::to_string(i)));
      sigs.push_back(key.sign(msgs.back()));
    }
    const Hash32 pub = key.public_key().bytes();
    const auto t0 = std::chrono::steady_clock::now();
    size_t ok = 0;
    for (int round = 0; round < 3; ++round) {
      for (size_t i = 0; i < msgs.size(); ++i) ok += verify_item({pub, msgs[i], sigs[i]}) ? 1 : 0;
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    JOET_ASSERT(ok == 3 * msgs.size());
    return static_cast<double>(ok) / seconds;
  }();
  return rate;
}

void BM_AuditChain(benchmark::State& state) {
  const BenchChain& c = bench_chain();
  const double verify_rate = single_core_verify_rate();
  const auto lookahead = static_cast<size_t>(state.range(0));
  const bool leveldb = state.range(1) != 0;
  const AuditGenesis genesis{std::string(testing::kChainId), c.chain.genesis_, testing::four_validators().proto()};
  BatchVerifier verifier;  // every core
  for (auto _ : state) {
    state.PauseTiming();
    auto scratch = leveldb ? AuditScratch::temporary() : Result<std::unique_ptr<AuditScratch>>(AuditScratch::in_memory());
    JOET_ASSERT(scratch.ok());
    state.ResumeTiming();
    auto report = audit_chain(*c.chain.blocks_, genesis, c.chain.config_, (*scratch)->store(), verifier, {}, lookahead);
    JOET_ASSERT(report.ok() && !report->finding.has_value());
    JOET_ASSERT(report->heights == kBlocks && report->txs == uint64_t{kBlocks} * kTxsPerBlock);
    state.PauseTiming();
    scratch->reset();  // closing and removing a LevelDB is not the audit's work
    state.ResumeTiming();
  }
  const double txs = double{kBlocks} * kTxsPerBlock;
  state.counters["heights/s"] = benchmark::Counter(kBlocks, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["txs/s"] = benchmark::Counter(txs, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["verify_core/s"] = verify_rate;
  // Filled in by the rate counters above: txs/s divided by verify_core/s, as a rate over the verify rate.
  state.counters["x_verify_core"] =
      benchmark::Counter(txs / verify_rate, benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_AuditChain)
    ->Args({0, 0})
    ->Args({kAuditLookaheadHeights, 0})
    ->Args({kAuditLookaheadHeights, 1})
    ->ArgNames({"lookahead", "leveldb"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MeasureProcessCPUTime();

}  // namespace
}  // namespace joet

// main: bench/bench_main.cc (--version, then Google Benchmark's flags).
