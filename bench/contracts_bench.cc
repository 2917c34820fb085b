// Contract execution benchmarks: the executor alone, with signatures verified beforehand (as the node
// does on all cores), so the figure can be compared with the signature-verification rate.
#include <benchmark/benchmark.h>

#include "contracts/contracts_test_support.h"
#include "contracts/stuurinformatie.h"

namespace joet {
namespace {

using testing::Chain;
using testing::hash_arg;
using testing::kCourt;
using testing::kGi;
using testing::kRvdk;
using testing::text;
using testing::utc_ms;

constexpr int64_t kDay = 86'400'000;

// `cases` cases, each with an OTS 2026-03-15 .. 2027-03-15 granted to the GI on 2026-03-15.
void open_cases_with_ots(Chain& chain, int cases) {
  const int per_block = 500;
  for (int step = 0; step < 3; ++step) {
    for (int first = 0; first < cases; first += per_block) {
      std::vector<v1::SignedTx> txs;
      for (int i = first; i < std::min(cases, first + per_block); ++i) {
        const std::string id = "case-" + std::to_string(i);
        if (step == 0) {
          txs.push_back(chain.tx(kRvdk, "case.open",
                                 {text("case", id), text("majority_date", "2035-01-01"),
                                  text("municipality", std::string(testing::kMunicipality))}));
        } else if (step == 1) {
          txs.push_back(chain.tx(kRvdk, "request.file",
                                 {text("case", id), text("request", "r-" + id), text("kind", "OTS"),
                                  text("gi", std::string(kGi)), hash_arg("document", id)}));
        } else {
          txs.push_back(chain.tx(kCourt, "court.decide",
                                 {text("case", id), text("request", "r-" + id), text("outcome", "GRANTED"),
                                  text("start_date", "2026-03-15"), text("end_date", "2027-03-15")}));
        }
      }
      auto out = chain.run(utc_ms(2026, 3, 15, 8) + step * 60'000 + first, std::move(txs));
      for (const auto& r : out.results) JOET_ASSERT(r.ok);
    }
  }
}

// A realistic block of 1,000 txs against 2,000 running OTS cases: 30% new cases, 30% document
// anchors, 20% progress reports, 20% recorded contacts. Executed again and again on the same state.
void BM_ExecuteRealisticMix(benchmark::State& state) {
  Chain chain;
  open_cases_with_ots(chain, 2000);
  // Fire what falls due before the measured block (D-ASSIGN, reminders), so it measures txs only.
  chain.run(utc_ms(2026, 4, 20, 8));
  const int64_t t = utc_ms(2026, 4, 20, 9);
  std::vector<v1::SignedTx> txs;
  for (int i = 0; i < 1000; ++i) {
    const std::string id = "case-" + std::to_string(i % 2000);
    switch (i % 10) {
      case 0: case 1: case 2:
        txs.push_back(chain.tx(kRvdk, "case.open", {text("case", "new-" + std::to_string(i)), text("majority_date", "2036-05-01"),
                                                     text("municipality", std::string(testing::kMunicipality))}));
        break;
      case 3: case 4: case 5:
        txs.push_back(chain.tx(kGi, "document.anchor", {text("case", id), hash_arg("document", "doc-" + std::to_string(i))}));
        break;
      case 6: case 7:
        txs.push_back(chain.tx(kGi, "gi.progress", {text("case", id), hash_arg("document", "prog-" + std::to_string(i))}));
        break;
      default:
        txs.push_back(chain.tx(kGi, "contact.record", {text("case", id), text("date", "2026-04-19"), text("outcome", "HELD")}));
    }
  }
  const std::vector<uint8_t> verified(txs.size(), 1);
  size_t ok = 0;
  size_t fired_before = 0;
  for (auto _ : state) {
    auto out = execute_block(chain.store, chain.config, t, chain.height + 1, txs, verified);
    JOET_ASSERT(out.ok());
    fired_before = 0;
    for (const auto& e : out->events) fired_before += e.deadline_id() != 0 ? 1 : 0;
    ok = 0;
    for (const auto& r : out->results) ok += r.ok ? 1 : 0;
    if (ok != txs.size()) {
      for (size_t i = 0; i < out->results.size(); ++i) {
        if (!out->results[i].ok) {
          std::fprintf(stderr, "tx %zu refused: %s %s\n", i, out->results[i].code.c_str(), out->results[i].message.c_str());
          break;
        }
      }
    }
    benchmark::DoNotOptimize(out->writes);
  }
  JOET_ASSERT(ok == txs.size());  // every tx of the mix is accepted: we measure real work
  JOET_ASSERT(fired_before == 0);
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(txs.size()));
}
BENCHMARK(BM_ExecuteRealisticMix)->Unit(benchmark::kMillisecond);

// The same block with the executor's own serial signature check, for comparison.
void BM_ExecuteRealisticMixWithSerialSignatureCheck(benchmark::State& state) {
  Chain chain;
  open_cases_with_ots(chain, 200);
  std::vector<v1::SignedTx> txs;
  chain.run(utc_ms(2026, 4, 20, 8));  // fire what is due before the measured block
  for (int i = 0; i < 1000; ++i) {
    txs.push_back(chain.tx(kGi, "document.anchor",
                           {text("case", "case-" + std::to_string(i % 200)), hash_arg("document", "d" + std::to_string(i))}));
  }
  for (auto _ : state) {
    auto out = execute_block(chain.store, chain.config, utc_ms(2026, 4, 20, 9), chain.height + 1, txs);
    JOET_ASSERT(out.ok() && out->results.back().ok);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(txs.size()));
}
BENCHMARK(BM_ExecuteRealisticMixWithSerialSignatureCheck)->Unit(benchmark::kMillisecond);

// Deadline sweeps with ~10^5 pending timers (8,500 OTS cases, a dozen timers each).
struct SweepFixture {
  Chain chain;
  size_t pending = 0;
  SweepFixture() {
    open_cases_with_ots(chain, 8500);
    std::string prefix = to_string(state_keys::deadline_prefix());
    std::string end = prefix;
    end.back() = static_cast<char>(end.back() + 1);
    JOET_ASSERT(chain.store.scan(as_bytes(prefix), as_bytes(end), [&](ByteView, ByteView) {
      ++pending;
      return true;
    }).ok());
  }
};

SweepFixture& sweep_fixture() {
  static SweepFixture f;
  return f;
}

// A block when nothing is due: the cost of looking at the head of a 10^5-timer queue.
void BM_DeadlineSweepNothingDue(benchmark::State& state) {
  SweepFixture& f = sweep_fixture();
  for (auto _ : state) {
    auto out = execute_block(f.chain.store, f.chain.config, utc_ms(2026, 3, 16, 9), f.chain.height + 1, {});
    JOET_ASSERT(out.ok() && out->events.empty());
  }
  state.counters["pending_timers"] = static_cast<double>(f.pending);
}
BENCHMARK(BM_DeadlineSweepNothingDue)->Unit(benchmark::kMicrosecond);

// A block on 2026-04-27: every case's D-ASSIGN and D-PLAN fire (2 x 8,500 deadlines, with events).
void BM_DeadlineSweepMassFiring(benchmark::State& state) {
  SweepFixture& f = sweep_fixture();
  size_t fired_events = 0;
  for (auto _ : state) {
    auto out = execute_block(f.chain.store, f.chain.config, utc_ms(2026, 4, 27, 9), f.chain.height + 1, {});
    JOET_ASSERT(out.ok());
    fired_events = out->events.size();
  }
  state.counters["pending_timers"] = static_cast<double>(f.pending);
  state.counters["events"] = static_cast<double>(fired_events);
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(fired_events));
}
BENCHMARK(BM_DeadlineSweepMassFiring)->Unit(benchmark::kMillisecond);

// The stuurinformatie over two years for 20,000 cases (about a year's OTS in the Netherlands): all
// granted 2026-03-15 .. 2027-03-15 and lapsed, so the report reads 20,000 ended periods, the facts of
// their missed plans, assignments and progress reports, and the case records.
const Chain& lapsed_20k_cases() {
  static const Chain* chain = [] {
    auto* c = new Chain;  // built once for all repetitions; lives as long as the process
    open_cases_with_ots(*c, 20'000);
    // Everything due by then fires, at most 10,000 deadlines a block: about 13 per case.
    for (int block = 0; block < 40; ++block) c->run(utc_ms(2027, 3, 15, 9) + block * 1000);
    return c;
  }();
  return *chain;
}

void BM_StuurinformatieTwoYears20kCases(benchmark::State& state) {
  const Chain& chain = lapsed_20k_cases();
  size_t cells = 0;
  for (auto _ : state) {
    auto report = stuurinformatie(chain.store, CivilMonth{2026, 1}, CivilMonth{2027, 12});
    JOET_ASSERT(report.ok());
    cells = report->running.size() + report->ended.size() + report->missed_deadlines.size() +
            report->extensions.size() + report->signals.size() + report->complaints.size() + report->assignment.size();
    benchmark::DoNotOptimize(cells);
  }
  state.counters["cases"] = 20'000;
  state.counters["cells"] = static_cast<double>(cells);
}
BENCHMARK(BM_StuurinformatieTwoYears20kCases)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace joet

// main: bench/bench_main.cc (--version, then Google Benchmark's flags).
