// The Inzicht routes (docs/rpc.md "Inzicht") at 20,000 cases and two years of history, through the RPC
// handler (routing, parameter checks, the backend's reads, JSON) over a real LevelDB store holding the
// state and the dashboard index as the node keeps them. The socket is left out: a signed request adds
// one signature check (ledger_bench BM_SchnorrVerify) and the TCP round trip.
//
// The world: 20,000 cases opened and granted an OTS through 2026 (about 55 a day, half to each GI, the
// terms 6 to 12 months), a third assigned a jeugdbeschermer within days; daily blocks to the end of 2027,
// so plans, assignments and progress reports are missed, measures lapse and end. The reference report
// (contracts/stuurinformatie.h, which scans every case) runs on the same store as the peer.
#include <benchmark/benchmark.h>

#include <filesystem>

#include "contracts/contracts_test_support.h"
#include "contracts/court.h"
#include "contracts/stuurinformatie.h"
#include "ledger/testing/temp_dir.h"
#include "node/inzicht/dashboard_index.h"
#include "node/inzicht/index_queries.h"
#include "ledger/tx_result.h"
#include "node/block_assembly.h"
#include "node/rpc/handler.h"

namespace joet {
namespace {

using testing::Chain;
using testing::hash_arg;
using testing::integer;
using testing::kCourt;
using testing::kGi;
using testing::kOtherGi;
using testing::kRvdk;
using testing::text;
using testing::utc_ms;

constexpr int kCases = 20'000;
constexpr int64_t kDayMs = 86'400'000;

std::string date_of_day(int64_t day) { return to_string(civil_from_days(day)); }

struct World {
  testing::TempDir dir{"inzicht_bench"};
  std::unique_ptr<LevelDbKvStore> store;
  uint64_t height = 0;
  int64_t tip_ms = 0;
};

// Runs the block on the chain's memory store with its index writes, as the node commits it.
void commit(Chain& chain, int64_t time_ms, std::vector<v1::SignedTx> txs) {
  auto out = execute_block(chain.store, chain.config, time_ms, ++chain.height, txs);
  JOET_ASSERT(out.ok());
  for (const TxResult& r : out->results) {
    if (!r.ok) std::fprintf(stderr, "inzicht_bench: a tx of the world was refused: %s %s\n", r.code.c_str(), r.message.c_str());
    JOET_ASSERT(r.ok);  // every tx counts: the figures are of the world described above
  }
  WriteBatch batch = out->writes;
  JOET_ASSERT(inzicht::index_block(chain.store, inzicht::CommittedBlock{chain.height, time_ms, txs, &*out}, batch).ok());
  JOET_ASSERT(chain.store.write(batch, false).ok());
}

const World& world() {
  static World* w = [] {
    auto* out = new World;  // built once; lives as long as the process
    Chain chain(latest_rules_version());  // as a new network: grounds on grants, costs recorded
    WriteBatch initial;
    inzicht::initial_index_writes(initial);
    JOET_ASSERT(chain.store.write(initial, false).ok());
    std::vector<v1::SignedTx> professionals;
    for (std::string_view gi : {kGi, kOtherGi}) {
      for (int p = 0; p < 40; ++p) {
        professionals.push_back(chain.tx(gi, "professional.register",
                                         {text("professional", "jb-" + std::to_string(p)), text("skj_valid_until", "2030-01-01")}));
      }
    }
    commit(chain, utc_ms(2026, 1, 1, 7), std::move(professionals));
    const int64_t first_day = utc_ms(2026, 1, 1) / kDayMs;
    struct Assignment {
      std::string gi;
      std::string case_id;
      std::string professional;
    };
    std::map<int64_t, std::vector<Assignment>> assign_on;  // day -> assignments, signed when committed
    // Each signer's nonces must ascend in block order: sign a block's txs when it is committed.
    auto assignments = [&](const std::vector<Assignment>& list) {
      std::vector<v1::SignedTx> txs;
      for (const Assignment& a : list) {
        txs.push_back(chain.tx(a.gi, "gi.assign", {text("case", a.case_id), text("professional", a.professional)}));
      }
      return txs;
    };
    int next_case = 0;
    for (int64_t day = first_day; day < first_day + 365; ++day) {
      const int count = static_cast<int>((day - first_day + 1) * kCases / 365) - next_case;
      std::vector<v1::SignedTx> open, file, decide, project;
      auto id = [](int i) { return "c-" + std::to_string(i); };
      auto gi = [](int i) { return std::string(i % 2 == 0 ? kGi : kOtherGi); };
      const int last = next_case + count;
      for (int i = next_case; i < last; ++i) {
        open.push_back(chain.tx(kRvdk, "case.open", {text("case", id(i)), text("majority_date", "2038-01-01"),
                                                     text("municipality", std::string(testing::kMunicipality))}));
      }
      for (int i = next_case; i < last; ++i) {
        file.push_back(chain.tx(kRvdk, "request.file", {text("case", id(i)), text("request", "r"), text("kind", "OTS"),
                                                        text("gi", gi(i)), hash_arg("document", id(i))}));
      }
      for (int i = next_case; i < last; ++i) {
        project.push_back(chain.tx(testing::kMunicipality, "cost.project",
                                   {text("case", id(i)), text("measure", "OTS"), text("basis", "PER_DAY"),
                                    integer("amount_cents", 4'000 + (i % 21) * 100)}));
      }
      for (int i = next_case; i < last; ++i) {
        decide.push_back(chain.tx(kCourt, "court.decide",
                                  {text("case", id(i)), text("request", "r"), text("outcome", "GRANTED"),
                                   text("start_date", date_of_day(day)),
                                   text("end_date", date_of_day(day + 182 + (i * 7919) % 183)),
                                   text("ground.0", std::string(kGroundCategories[i % 3]))}));
        if (i % 3 == 0) assign_on[day + 1 + i % 9].push_back({gi(i), id(i), "jb-" + std::to_string(i % 40)});
      }
      next_case = last;
      const int64_t t = day * kDayMs + 7 * 3'600'000;
      commit(chain, t, std::move(open));
      commit(chain, t + 3'600'000, std::move(file));
      commit(chain, t + 2 * 3'600'000, std::move(decide));
      commit(chain, t + 2 * 3'600'000 + 1'800'000, std::move(project));
      if (auto it = assign_on.find(day); it != assign_on.end()) commit(chain, t + 3 * 3'600'000, assignments(it->second));
    }
    // Time passes to the end of 2027: every deadline falls due and fires (at most 10,000 a block).
    for (int64_t day = first_day + 365; day < first_day + 730; ++day) {
      commit(chain, day * kDayMs + 7 * 3'600'000, {});
      if (auto it = assign_on.find(day); it != assign_on.end()) commit(chain, day * kDayMs + 8 * 3'600'000, assignments(it->second));
    }
    out->height = chain.height;
    out->tip_ms = (first_day + 729) * kDayMs + 7 * 3'600'000;
    // The same keys in LevelDB, as a node's store holds them.
    out->store = std::move(LevelDbKvStore::open(out->dir.sub("db"), {true, 64u << 20}).value());
    WriteBatch batch;
    JOET_ASSERT(chain.store.scan({}, {}, [&](ByteView k, ByteView v) {
      batch.put(k, v);
      if (batch.size() == 100'000) {
        JOET_ASSERT(out->store->write(batch, false).ok());
        batch.clear();
      }
      return true;
    }).ok());
    JOET_ASSERT(out->store->write(batch, true).ok());
    return out;
  }();
  return *w;
}

// The RPC backend of the Inzicht routes over the world's store, allowing every request.
class StoreBackend : public rpc::RpcBackend {
 public:
  explicit StoreBackend(const World& w) : w_(w) {}
  rpc::Authorization authorize(const rpc::RequestMeta&) override { return rpc::Authorization::allow(); }
  Result<rpc::TxAdmission> submit_tx(const v1::SignedTx&, ByteView) override { return make_error(ErrorCode::kUnsupported, "read only"); }
  Result<rpc::TxStatus> tx_status(const Hash32&) override { return rpc::TxStatus{}; }
  Result<rpc::NodeStatus> status() override {
    rpc::NodeStatus s;
    s.height = w_.height;
    s.time_ms = static_cast<uint64_t>(w_.tip_ms);
    return s;
  }
  Result<std::optional<Bytes>> stored_block(uint64_t) override { return std::optional<Bytes>(); }
  Result<rpc::EventPage> events(std::string_view, uint64_t, size_t) override { return rpc::EventPage{}; }
  void set_events_listener(rpc::EventsListener) override {}
  std::vector<rpc::Metric> metrics() override { return {}; }
  Result<Stuurinformatie> stuurinformatie(const CivilMonth& from, const CivilMonth& to) override {
    return inzicht::indexed_stuurinformatie(*w_.store, from, to);
  }
  Result<std::vector<std::string>> cell_cases(const CivilMonth& m, std::string_view metric, std::string_view inst) override {
    return inzicht::cell_cases(*w_.store, m, metric, inst);
  }
  Result<inzicht::DeadlinePage> pending_deadlines(std::string_view inst, std::string_view case_id, int64_t from, int64_t to,
                                                 size_t limit) override {
    return inzicht::pending_deadlines(*w_.store, inst, case_id, from, to, limit);
  }
  Result<inzicht::TimelinePage> case_timeline(std::string_view c, size_t skip, size_t limit) override {
    return inzicht::case_timeline(*w_.store, c, skip, limit);
  }
  Result<std::optional<CaseReading>> case_reading(std::string_view c, const rpc::NodeStatus& at) override {
    return read_case(*w_.store, c, at.height);
  }

 private:
  const World& w_;
};

void run_route(benchmark::State& state, const std::string& target) {
  const World& w = world();
  StoreBackend backend(w);
  rpc::ServerMetrics metrics;
  rpc::RpcHandler handler(backend, rpc::HandlerLimits{}, metrics);
  size_t bytes = 0;
  for (auto _ : state) {
    rpc::HttpRequest request{rpc::http::verb::get, target, 11};
    rpc::Reply reply = handler.handle(request, "127.0.0.1:9");
    JOET_ASSERT(reply.response.has_value() && reply.response->result_int() == 200);
    bytes = reply.response->body().size();
    benchmark::DoNotOptimize(bytes);
  }
  state.counters["cases"] = kCases;
  state.counters["answer_bytes"] = static_cast<double>(bytes);
}

void BM_Route_Stuurinformatie_TwoYears(benchmark::State& state) {
  run_route(state, "/v1/stuurinformatie?from=2026-01&to=2027-12");
}
BENCHMARK(BM_Route_Stuurinformatie_TwoYears)->Unit(benchmark::kMillisecond);

// The peer: the reference report, which scans every case and period, on the same store.
void BM_ReferenceReportScanningAllCases_TwoYears(benchmark::State& state) {
  const World& w = world();
  for (auto _ : state) {
    auto report = stuurinformatie(*w.store, CivilMonth{2026, 1}, CivilMonth{2027, 12});
    JOET_ASSERT(report.ok());
    benchmark::DoNotOptimize(report->running.size());
  }
  state.counters["cases"] = kCases;
}
BENCHMARK(BM_ReferenceReportScanningAllCases_TwoYears)->Unit(benchmark::kMillisecond);

// The largest drill-down: the GI's missed plans of a month (every case granted that month, ~850).
void BM_Route_CellCases_LargestMonth(benchmark::State& state) {
  run_route(state, "/v1/stuurinformatie/cases?month=2026-07&metric=PLAN_MISSED&institution=" + std::string(kGi));
}
BENCHMARK(BM_Route_CellCases_LargestMonth)->Unit(benchmark::kMillisecond);

// A GI's pending deadlines in the 42 days around its 10,000 cases' majority reminders (R-18 and D-18 of
// every case fall due then; the measures' own deadlines all fired by the tip): a full page of 1,000.
void BM_Route_Deadlines_FullPage(benchmark::State& state) {
  run_route(state, "/v1/deadlines?institution=" + std::string(kGi) + "&from_ms=" + std::to_string(utc_ms(2037, 9, 1)) +
                       "&to_ms=" + std::to_string(utc_ms(2037, 10, 13)) + "&limit=1000");
}
BENCHMARK(BM_Route_Deadlines_FullPage)->Unit(benchmark::kMillisecond);

void BM_Route_CaseTimeline(benchmark::State& state) { run_route(state, "/v1/cases/c-9999/timeline"); }
BENCHMARK(BM_Route_CaseTimeline)->Unit(benchmark::kMillisecond);

// The legal quickscan and the rights explainer of one case (its records read from the 20k-case state).
void BM_Route_CaseQuickscan(benchmark::State& state) { run_route(state, "/v1/cases/c-9999/quickscan"); }
BENCHMARK(BM_Route_CaseQuickscan)->Unit(benchmark::kMillisecond);
void BM_Route_CaseExplanation(benchmark::State& state) { run_route(state, "/v1/cases/c-9999/explanation"); }
BENCHMARK(BM_Route_CaseExplanation)->Unit(benchmark::kMillisecond);

// What the index costs at commit: a realistic block of 1,000 txs against 2,000 running OTS cases (30%
// new cases, 30% document anchors, 20% progress reports, 20% recorded contacts, as contracts_bench's
// BM_ExecuteRealisticMix), executed alone and executed then indexed (index_block, as finalize_block
// does before the batch is written). The ratio of the two is the commit path's added work.
struct MixBlock {
  Chain chain{latest_rules_version()};
  std::vector<v1::SignedTx> txs;
  int64_t time_ms = utc_ms(2026, 4, 20, 9);
};
const MixBlock& mix_block() {
  static MixBlock* m = [] {
    auto* out = new MixBlock;
    Chain& chain = out->chain;
    WriteBatch initial;
    inzicht::initial_index_writes(initial);
    JOET_ASSERT(chain.store.write(initial, false).ok());
    std::vector<v1::SignedTx> open, file, decide;
    for (int i = 0; i < 2000; ++i) {
      open.push_back(chain.tx(kRvdk, "case.open", {text("case", "case-" + std::to_string(i)), text("majority_date", "2035-01-01"),
                                                   text("municipality", std::string(testing::kMunicipality))}));
    }
    for (int i = 0; i < 2000; ++i) {
      file.push_back(chain.tx(kRvdk, "request.file", {text("case", "case-" + std::to_string(i)), text("request", "r"),
                                                      text("kind", "OTS"), text("gi", std::string(kGi)),
                                                      hash_arg("document", std::to_string(i))}));
    }
    for (int i = 0; i < 2000; ++i) {
      decide.push_back(chain.tx(kCourt, "court.decide", {text("case", "case-" + std::to_string(i)), text("request", "r"),
                                                         text("outcome", "GRANTED"), text("start_date", "2026-03-15"),
                                                         text("end_date", "2027-03-15"), text("ground.0", "ONGUNSTIGE_THUISSITUATIE")}));
    }
    commit(chain, utc_ms(2026, 3, 15, 8), std::move(open));
    commit(chain, utc_ms(2026, 3, 15, 9), std::move(file));
    commit(chain, utc_ms(2026, 3, 15, 10), std::move(decide));
    commit(chain, utc_ms(2026, 4, 20, 8), {});  // what falls due before the measured block fires here
    for (int i = 0; i < 1000; ++i) {
      const std::string id = "case-" + std::to_string(i % 2000);
      switch (i % 10) {
        case 0: case 1: case 2:
          out->txs.push_back(chain.tx(kRvdk, "case.open", {text("case", "new-" + std::to_string(i)), text("majority_date", "2036-05-01"),
                                                           text("municipality", std::string(testing::kMunicipality))}));
          break;
        case 3: case 4: case 5:
          out->txs.push_back(chain.tx(kGi, "document.anchor", {text("case", id), hash_arg("document", "doc-" + std::to_string(i))}));
          break;
        case 6: case 7:
          out->txs.push_back(chain.tx(kGi, "gi.progress", {text("case", id), hash_arg("document", "prog-" + std::to_string(i))}));
          break;
        default:
          out->txs.push_back(chain.tx(kGi, "contact.record", {text("case", id), text("date", "2026-04-19"), text("outcome", "HELD")}));
      }
    }
    return out;
  }();
  return *m;
}

void BM_CommitPath_ExecuteMixBlock(benchmark::State& state) {
  const MixBlock& m = mix_block();
  for (auto _ : state) {
    auto out = execute_block(m.chain.store, m.chain.config, m.time_ms, m.chain.height + 1, m.txs);
    JOET_ASSERT(out.ok());
    benchmark::DoNotOptimize(out->writes);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(m.txs.size()));
}
BENCHMARK(BM_CommitPath_ExecuteMixBlock)->Unit(benchmark::kMillisecond);

void BM_CommitPath_ExecuteAndIndexMixBlock(benchmark::State& state) {
  const MixBlock& m = mix_block();
  size_t index_writes = 0;
  for (auto _ : state) {
    auto out = execute_block(m.chain.store, m.chain.config, m.time_ms, m.chain.height + 1, m.txs);
    JOET_ASSERT(out.ok());
    for (const TxResult& r : out->results) JOET_ASSERT(r.ok);
    // The index's own writes (finalize_block adds them to the batch it already copies for the block).
    WriteBatch batch;
    JOET_ASSERT(inzicht::index_block(m.chain.store, inzicht::CommittedBlock{m.chain.height + 1, m.time_ms, m.txs, &*out}, batch).ok());
    index_writes = batch.size();
    benchmark::DoNotOptimize(batch);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(m.txs.size()));
  state.counters["index_writes"] = static_cast<double>(index_writes);
}
BENCHMARK(BM_CommitPath_ExecuteAndIndexMixBlock)->Unit(benchmark::kMillisecond);

// What rules version 3 adds to a block: executed, then its results_root (one leaf per tx: the tx id
// hashed, the leaf encoded and hashed, the RFC 6962 root), as block assembly computes it.
void BM_CommitPath_ExecuteAndResultsRootMixBlock(benchmark::State& state) {
  const MixBlock& m = mix_block();
  for (auto _ : state) {
    auto out = execute_block(m.chain.store, m.chain.config, m.time_ms, m.chain.height + 1, m.txs);
    JOET_ASSERT(out.ok());
    benchmark::DoNotOptimize(results_root(result_leaves(m.txs, out->results)));
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(m.txs.size()));
}
BENCHMARK(BM_CommitPath_ExecuteAndResultsRootMixBlock)->Unit(benchmark::kMillisecond);

// The results_root alone, over the results of the same block.
void BM_CommitPath_ResultsRootOfMixBlock(benchmark::State& state) {
  const MixBlock& m = mix_block();
  auto out = execute_block(m.chain.store, m.chain.config, m.time_ms, m.chain.height + 1, m.txs);
  JOET_ASSERT(out.ok());
  for (auto _ : state) benchmark::DoNotOptimize(results_root(result_leaves(m.txs, out->results)));
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(m.txs.size()));
}
BENCHMARK(BM_CommitPath_ResultsRootOfMixBlock)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace joet
