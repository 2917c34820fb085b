#include "node/inzicht/dashboard_index.h"

#include <gtest/gtest.h>

#include <random>
#include <set>

#include "contracts/case_parties.h"
#include "contracts/contracts_test_support.h"
#include "contracts/stuurinformatie.h"
#include "node/inzicht/index_keys.h"
#include "node/inzicht/index_queries.h"

namespace joet::inzicht {
namespace {

using testing::Chain;
using testing::hash_arg;
using testing::integer;
using testing::kCourt;
using testing::kGi;
using testing::kMunicipality;
using testing::kOtherGi;
using testing::kRvdk;
using testing::text;
using testing::utc_ms;

constexpr int64_t kDay = 86'400'000;

std::string date_of(int64_t ms) {
  return to_string(civil_from_days(ms / kDay));
}

// The contracts' test chain with the dashboard index kept as the node keeps it: each block's index
// writes computed on the state before it and written in the same batch.
class IndexedChain : public Chain {
 public:
  explicit IndexedChain(uint32_t rules_version = kGenesisRulesVersion) : Chain(rules_version) {
    WriteBatch initial;
    initial_index_writes(initial);
    JOET_ASSERT(store.write(initial, true).ok());
  }

  BlockExecution run_indexed(int64_t time_ms, std::vector<v1::SignedTx> txs) {
    auto out = execute_block(store, config, time_ms, ++height, txs);
    JOET_ASSERT(out.ok());
    WriteBatch batch = out->writes;
    Status s = index_block(store, CommittedBlock{height, time_ms, txs, &*out}, batch);
    EXPECT_TRUE(s.ok()) << s.to_string();
    JOET_ASSERT(store.write(batch, false).ok());
    for (const auto& e : out->events) events.push_back(e);
    return std::move(out).value();
  }
};

// A random but plausible life of `cases` cases over two years, driven by what the state says of each
// case: opened, OTS / VOTS granted (to one GI or the other, so cases change GI when a measure ended),
// extended, lifted, a UHP granted and carried out, jeugdbeschermers assigned, contacts recorded,
// complaints filed; every deadline fires as time passes. Some txs are refused (a request decided after
// its case moved on): they stay in, as on a real chain.
class RandomLife {
 public:
  RandomLife(IndexedChain& chain, uint32_t seed, int cases, bool costs = false)
      : chain_(chain), rng_(seed), cases_(cases), costs_(costs) {}

  BlockExecution step(int64_t t) {
    std::vector<v1::SignedTx> txs;
    if (chain_.height == 0) {
      for (std::string_view gi : {kGi, kOtherGi}) {
        for (int p = 0; p < 3; ++p) {
          txs.push_back(chain_.tx(gi, "professional.register", {text("professional", "jb-" + std::to_string(p)),
                                                                text("skj_valid_until", "2030-01-01")}));
        }
      }
    }
    std::set<std::string> touched;  // one tx per case and block keeps the generator's view of it true
    const int n = pick(0, 8);
    for (int i = 0; i < n; ++i) {
      const std::string c = "case-" + std::to_string(pick(0, cases_ - 1));
      if (!touched.insert(c).second) continue;
      if (auto tx = random_tx(c, t)) txs.push_back(std::move(*tx));
    }
    return chain_.run_indexed(t, std::move(txs));
  }

 private:
  int pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  std::string some_gi() { return pick(0, 2) == 0 ? std::string(kOtherGi) : std::string(kGi); }

  v1::SignedTx file(const std::string& c, std::string_view signer, const std::string& kind, std::string gi = "") {
    const std::string request = "r" + std::to_string(++requests_);
    std::vector<v1::Arg> args = {text("case", c), text("request", request), text("kind", kind),
                                 hash_arg("document", request)};
    if (!gi.empty()) args.push_back(text("gi", gi));
    pending_[c] = {request, kind};
    return chain_.tx(signer, "request.file", std::move(args));
  }

  std::optional<v1::SignedTx> random_tx(const std::string& c, int64_t t) {
    ContractState state(chain_.store);
    auto found = state.get<cv1::Case>(state_keys::case_record(c));
    JOET_ASSERT(found.ok());
    if (!found->has_value()) {
      return chain_.tx(kRvdk, "case.open", {text("case", c), text("majority_date", "2036-01-01"),
                                            text("municipality", std::string(kMunicipality))});
    }
    const cv1::Case& record = **found;
    const int64_t today = t / kDay;
    const cv1::Measure& ots = record.measure();
    const cv1::Measure& uhp = record.uhp();
    const bool ots_runs = ots.state() == cv1::ACTIVE;
    const bool uhp_runs = uhp.state() == cv1::ACTIVE;

    // A filed request is decided first (granted mostly).
    if (auto it = pending_.find(c); it != pending_.end()) {
      const auto [request, kind] = it->second;
      pending_.erase(it);
      int64_t start = today + pick(0, 5);
      int64_t end = start + pick(15, kind == "VOTS" ? 90 : 360);
      if (kind == "EXTEND_OTS" || kind == "EXTEND_UHP") {
        start = kind == "EXTEND_OTS" ? ots.end_day() : uhp.end_day();
        end = start + pick(30, 360);
      }
      if (kind == "UHP" || kind == "EXTEND_UHP") end = std::min(end, ots.end_day());
      std::vector<v1::Arg> args = {text("case", c), text("request", request),
                                   text("outcome", pick(0, 9) == 0 ? "REFUSED" : "GRANTED"),
                                   text("start_date", to_string(civil_from_days(start))),
                                   text("end_date", to_string(civil_from_days(std::max(end, start + 1))))};
      for (v1::Arg& g : chain_.ground_args()) args.push_back(std::move(g));  // rules version 2
      return chain_.tx(kCourt, "court.decide", std::move(args));
    }
    if (!ots_runs) return file(c, kRvdk, pick(0, 2) == 0 ? "VOTS" : "OTS", some_gi());
    const std::string gi = record.gi();
    switch (pick(0, 9)) {
      case 0:
        if (ots.kind() == cv1::OTS && ots.end_day() - today < 60) return file(c, gi, "EXTEND_OTS");
        return file(c, gi, "UHP");
      case 1:
        return chain_.tx(gi, "gi.assign", {text("case", c), text("professional", "jb-" + std::to_string(pick(0, 2)))});
      case 2:
        if (uhp_runs && !uhp.placed()) return chain_.tx(gi, "gi.placement", {text("case", c), text("date", date_of(t))});
        return chain_.tx(gi, "contact.record", {text("case", c), text("date", date_of(t)), text("outcome", "HELD")});
      case 3:
        if (pick(0, 2) == 0) {
          return chain_.tx(kCourt, "court.lift", {text("case", c), text("date", to_string(civil_from_days(today + pick(1, 20))))});
        }
        return chain_.tx(gi, "gi.plan", {text("case", c), hash_arg("document", c + std::to_string(t))});
      case 4: {
        const std::string complaint = "k" + std::to_string(++requests_);
        return chain_.tx(kMunicipality, "complaint.file", {text("case", c), text("complaint", complaint),
                                                           text("filed_for", "PARENT"), hash_arg("document", complaint)});
      }
      case 5:
        if (uhp_runs && uhp.end_day() - today < 60) return file(c, gi, "EXTEND_UHP");
        return chain_.tx(gi, "gi.progress", {text("case", c), hash_arg("document", c + std::to_string(t))});
      case 6:  // costs (rules version 2)
      case 7:
      case 8:
        if (!costs_) return std::nullopt;
        if (pick(0, 1) == 0) {
          return chain_.tx(kMunicipality, "cost.project",
                           {text("case", c), text("measure", uhp_runs && pick(0, 1) == 0 ? "UHP" : "OTS"),
                            text("basis", pick(0, 4) == 0 ? "PER_MEASURE" : "PER_DAY"), integer("amount_cents", pick(1, 90'000))});
        }
        return chain_.tx(kMunicipality, "cost.invoice",
                         {text("case", c), text("invoice", "f" + std::to_string(++requests_)), text("measure", "OTS"),
                          text("month", date_of(t - pick(0, 60) * kDay).substr(0, 7)), integer("amount_cents", pick(1, 2'000'000))});
      default: return std::nullopt;  // a quiet block for this case: time passes, deadlines fire
    }
  }

  IndexedChain& chain_;
  std::mt19937 rng_;
  int cases_;
  bool costs_;
  int requests_ = 0;
  std::map<std::string, std::pair<std::string, std::string>> pending_;  // case -> (request, kind)
};

void expect_same_cells(const std::vector<StatCell>& a, const std::vector<StatCell>& b, const char* table) {
  ASSERT_EQ(a.size(), b.size()) << table;
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].month, b[i].month) << table << " " << i;
    EXPECT_EQ(a[i].kind, b[i].kind) << table << " " << i;
    EXPECT_EQ(a[i].institution, b[i].institution) << table << " " << i;
    EXPECT_EQ(a[i].suppressed, b[i].suppressed) << table << " " << i;
    EXPECT_EQ(a[i].cases, b[i].cases) << table << " " << i;
  }
}

void expect_same_days(const std::vector<DaysCell>& a, const std::vector<DaysCell>& b, const char* table) {
  ASSERT_EQ(a.size(), b.size()) << table;
  std::vector<StatCell> ca, cb;
  for (size_t i = 0; i < a.size(); ++i) {
    ca.push_back(a[i].cell);
    cb.push_back(b[i].cell);
    EXPECT_EQ(a[i].measures, b[i].measures) << table << " " << i;
    EXPECT_EQ(a[i].mean_days, b[i].mean_days) << table << " " << i;
    EXPECT_EQ(a[i].median_days, b[i].median_days) << table << " " << i;
  }
  expect_same_cells(ca, cb, table);
}

void expect_report_from_index_equals_reference(const KvStore& store, CivilMonth from, CivilMonth to) {
  auto reference = stuurinformatie(store, from, to);
  auto indexed = indexed_stuurinformatie(store, from, to);
  ASSERT_TRUE(reference.ok()) << reference.error().to_string();
  ASSERT_TRUE(indexed.ok()) << indexed.error().to_string();
  expect_same_cells(indexed->running, reference->running, "running");
  expect_same_days(indexed->ended, reference->ended, "ended");
  expect_same_days(indexed->assignment, reference->assignment, "assignment");
  expect_same_cells(indexed->extensions, reference->extensions, "extensions");
  expect_same_cells(indexed->missed_deadlines, reference->missed_deadlines, "missed_deadlines");
  expect_same_cells(indexed->signals, reference->signals, "signals");
  expect_same_cells(indexed->complaints, reference->complaints, "complaints");
  expect_same_cells(indexed->grounds, reference->grounds, "grounds");
  ASSERT_EQ(indexed->costs.size(), reference->costs.size()) << "costs";
  for (size_t i = 0; i < indexed->costs.size(); ++i) {
    expect_same_cells({indexed->costs[i].cell}, {reference->costs[i].cell}, "costs");
    EXPECT_EQ(indexed->costs[i].cents, reference->costs[i].cents) << "costs " << i;
  }
}

// Every pending deadline (c/dl/) under each party of its case as the case is now, and nothing else.
void expect_deadlines_filed_under_current_parties(const KvStore& store) {
  std::map<std::string, std::set<uint64_t>> want;
  ContractState state(store);
  const Bytes prefix = state_keys::deadline_prefix();
  Bytes end = prefix;
  ++end.back();
  ASSERT_TRUE(store.scan(prefix, end, [&](ByteView, ByteView value) {
    cv1::Deadline d;
    JOET_ASSERT(d.ParseFromArray(value.data(), static_cast<int>(value.size())));
    auto c = state.get<cv1::Case>(state_keys::case_record(d.case_id()));
    JOET_ASSERT(c.ok());
    if (c->has_value()) {
      for (const std::string& p : case_parties(**c)) want[p].insert(d.id());
    }
    return true;
  }).ok());
  for (std::string_view inst : {kCourt, kRvdk, kMunicipality, kGi, kOtherGi}) {
    auto page = pending_deadlines(store, inst, "", INT64_MIN / 2, INT64_MAX / 2, 1'000'000);
    ASSERT_TRUE(page.ok());
    std::set<uint64_t> got;
    int64_t last_due = INT64_MIN;
    for (const auto& d : page->deadlines) {
      got.insert(d.id());
      EXPECT_GE(d.due_ms(), last_due) << "ascending by due time";
      last_due = d.due_ms();
    }
    EXPECT_EQ(got, want[std::string(inst)]) << inst;
  }
}

// The case load and the pending requests the index answers, against a scan of every case and request.
void expect_caseload_and_requests_match_a_scan(const KvStore& store) {
  std::map<std::string, std::map<std::string, uint64_t>> gi_load;       // gi -> jeugdbeschermer -> cases
  std::map<std::string, std::map<std::string, std::pair<uint64_t, uint64_t>>> mun_load;  // mun -> gi -> (with, without)
  auto scan = [&](std::string_view prefix, auto visit) {
    const Bytes p = to_bytes(prefix);
    ASSERT_TRUE(store.scan(p, index_keys::prefix_end(p), [&](ByteView, ByteView v) {
      visit(v);
      return true;
    }).ok());
  };
  scan("c/case/", [&](ByteView v) {
    cv1::Case c;
    JOET_ASSERT(c.ParseFromArray(v.data(), static_cast<int>(v.size())));
    if (c.measure().state() != cv1::ACTIVE || (c.measure().kind() != cv1::OTS && c.measure().kind() != cv1::VOTS)) return;
    ++gi_load[c.gi()][c.jeugdbeschermer()];
    auto& m = mun_load[c.municipality()][c.gi()];
    ++(c.jeugdbeschermer().empty() ? m.second : m.first);
  });
  for (std::string_view gi : {kGi, kOtherGi}) {
    auto load = caseload(store, gi).value();
    std::map<std::string, uint64_t> got;
    for (const auto& p : load.professionals) {
      if (p.cases > 0) got[p.professional] = p.cases;
    }
    if (load.unassigned > 0) got[""] = load.unassigned;
    EXPECT_EQ(got, gi_load[std::string(gi)]) << gi;
  }
  auto mun = caseload(store, kMunicipality).value();
  std::map<std::string, std::pair<uint64_t, uint64_t>> got;
  for (const auto& g : mun.gis) got[g.gi] = {g.assigned, g.unassigned};
  EXPECT_EQ(got, mun_load[std::string(kMunicipality)]);

  std::vector<std::string> pending;
  scan("c/req/", [&](ByteView v) {
    cv1::Request r;
    JOET_ASSERT(r.ParseFromArray(v.data(), static_cast<int>(v.size())));
    if (r.state() == cv1::PENDING) pending.push_back(r.case_id() + "/" + r.id());
  });
  std::vector<std::string> listed;
  const RequestPage page = pending_requests(store, kCourt, 100000).value();
  for (const auto& r : page.requests) listed.push_back(r.case_id() + "/" + r.id());
  std::sort(pending.begin(), pending.end());
  EXPECT_EQ(listed, pending);
}

// Seeds 1..3 under rules version 1, 4 and 5 under version 2 (grounds on grants, costs recorded).
TEST(DashboardIndex, TheReportFromTheIndexEqualsTheReferenceReportAfterEveryBlock) {
  for (uint32_t seed : {1u, 2u, 3u, 4u, 5u}) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    const uint32_t version = seed <= 3 ? 1 : 2;
    IndexedChain chain(version);
    RandomLife life(chain, seed, 40, version >= 2);
    int64_t t = utc_ms(2026, 1, 5, 9);
    for (int block = 0; block < 150; ++block) {
      life.step(t);
      t += (1 + block % 9) * kDay;
      expect_report_from_index_equals_reference(chain.store, CivilMonth{2025, 6}, CivilMonth{2028, 12});
      if (::testing::Test::HasFailure()) return;
    }
    // A narrow range reads only its months.
    expect_report_from_index_equals_reference(chain.store, CivilMonth{2026, 7}, CivilMonth{2026, 9});
    expect_deadlines_filed_under_current_parties(chain.store);
    expect_caseload_and_requests_match_a_scan(chain.store);
    auto full = indexed_stuurinformatie(chain.store, CivilMonth{2025, 6}, CivilMonth{2028, 12});
    ASSERT_TRUE(full.ok());
    // The run is not vacuous: measures ran, ended and were assigned, and facts were recorded.
    EXPECT_GT(full->running.size(), 10u);
    EXPECT_GT(full->ended.size(), 3u);
    EXPECT_GT(full->assignment.size(), 0u);
    EXPECT_GT(full->missed_deadlines.size(), 0u);
    if (version >= 2) {
      auto shown = [](const auto& cells) {
        return std::count_if(cells.begin(), cells.end(), [](const auto& c) { return !c.cell.suppressed; });
      };
      EXPECT_GT(full->grounds.size(), 3u);
      EXPECT_GT(shown(full->costs), 3) << "projected and invoiced cells of 5 or more cases";
    }
    const Caseload load = caseload(chain.store, kGi).value();
    EXPECT_TRUE(std::any_of(load.professionals.begin(), load.professionals.end(), [](const auto& p) { return p.cases > 0; }));
  }
}

// One case at 100.00 euro a day from 2026-03-15 to 2027-03-15: March has 17 days of it.
TEST(DashboardIndex, AProjectedCostIsKeptPerMonthAndGiAndFollowsAnEarlyEnd) {
  IndexedChain chain(2);
  chain.run_indexed(utc_ms(2026, 3, 10, 9), {testing::open_case_tx(chain, "case-001")});
  chain.run_indexed(utc_ms(2026, 3, 11, 9), {chain.tx(kRvdk, "request.file",
                                                      {text("case", "case-001"), text("request", "r"), text("kind", "OTS"),
                                                       hash_arg("document", "r"), text("gi", std::string(kGi))})});
  ASSERT_TRUE(chain.run_indexed(utc_ms(2026, 3, 15, 9), {chain.tx(kCourt, "court.decide",
                                                                 {text("case", "case-001"), text("request", "r"),
                                                                  text("outcome", "GRANTED"), text("start_date", "2026-03-15"),
                                                                  text("end_date", "2027-03-15"),
                                                                  text("ground.0", "ONGUNSTIGE_THUISSITUATIE")})})
                  .results.at(0).ok);
  ASSERT_TRUE(chain.run_indexed(utc_ms(2026, 3, 16, 9), {chain.tx(kMunicipality, "cost.project",
                                                                 {text("case", "case-001"), text("measure", "OTS"),
                                                                  text("basis", "PER_DAY"), integer("amount_cents", 10'000)})})
                  .results.at(0).ok);
  auto march = chain.store.get(index_keys::projected_cost(month_index(CivilMonth{2026, 3}), kGi));
  ASSERT_TRUE(march.ok() && march->has_value());
  const auto a = index_keys::decode_amount(**march);
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->cases, 1u);
  EXPECT_EQ(a->cents, 17 * 10'000);
  // Lifted on 2026-04-10: nine April days, and no cell for May.
  chain.run_indexed(utc_ms(2026, 4, 1, 9), {chain.tx(kCourt, "court.lift", {text("case", "case-001"), text("date", "2026-04-10")})});
  chain.run_indexed(utc_ms(2026, 4, 10, 9), {});
  auto april = chain.store.get(index_keys::projected_cost(month_index(CivilMonth{2026, 4}), kGi));
  ASSERT_TRUE(april.ok() && april->has_value());
  EXPECT_EQ(index_keys::decode_amount(**april)->cents, 9 * 10'000);
  auto may = chain.store.get(index_keys::projected_cost(month_index(CivilMonth{2026, 5}), kGi));
  ASSERT_TRUE(may.ok());
  EXPECT_FALSE(may->has_value());
}

TEST(DashboardIndex, PendingRequestsAreTheCourtsAllAndAPartysOwn) {
  IndexedChain chain;
  chain.run_indexed(utc_ms(2026, 3, 10, 9), {testing::open_case_tx(chain, "case-001")});
  chain.run_indexed(utc_ms(2026, 3, 11, 9), {chain.tx(kRvdk, "request.file",
                                                      {text("case", "case-001"), text("request", "r1"), text("kind", "OTS"),
                                                       text("gi", std::string(kGi)), hash_arg("document", "r1")})});
  EXPECT_EQ(pending_requests(chain.store, kCourt, 10)->requests.size(), 1u);  // any court may decide
  EXPECT_EQ(pending_requests(chain.store, kMunicipality, 10)->requests.size(), 1u);  // a party of the case
  EXPECT_EQ(pending_requests(chain.store, kOtherGi, 10)->requests.size(), 0u);  // not involved
  EXPECT_EQ(pending_requests(chain.store, "no-such", 10).error().code, ErrorCode::kNotFound);
  chain.run_indexed(utc_ms(2026, 3, 15, 9), {chain.tx(kCourt, "court.decide",
                                                      {text("case", "case-001"), text("request", "r1"),
                                                       text("outcome", "GRANTED"), text("start_date", "2026-03-15"),
                                                       text("end_date", "2027-03-15")})});
  EXPECT_TRUE(pending_requests(chain.store, kCourt, 10)->requests.empty());  // decided: gone
  const Caseload gi = caseload(chain.store, kGi).value();
  EXPECT_EQ(gi.unassigned, 1u);
  chain.run_indexed(utc_ms(2026, 3, 16, 9), {chain.tx(kGi, "professional.register",
                                                      {text("professional", "jb-1"), text("skj_valid_until", "2026-12-31")})});
  chain.run_indexed(utc_ms(2026, 3, 17, 9), {chain.tx(kGi, "gi.assign", {text("case", "case-001"), text("professional", "jb-1")})});
  const Caseload after = caseload(chain.store, kGi).value();
  ASSERT_EQ(after.professionals.size(), 1u);
  EXPECT_EQ(after.professionals[0].cases, 1u);
  EXPECT_EQ(after.professionals[0].skj_valid_until_day, days_from_civil(CivilDate{2026, 12, 31}));
  EXPECT_EQ(after.unassigned, 0u);
  const Caseload municipality = caseload(chain.store, kMunicipality).value();
  ASSERT_EQ(municipality.gis.size(), 1u);
  EXPECT_EQ(municipality.gis[0].assigned, 1u);
}

TEST(DashboardIndex, DeadlinesFollowTheCaseWhenAnotherGiTakesItOver) {
  IndexedChain chain;
  chain.run_indexed(utc_ms(2026, 3, 10, 9), {testing::open_case_tx(chain, "case-001")});
  auto grant = [&](const std::string& request, const std::string& gi, int64_t t, const std::string& start) {
    chain.run_indexed(t, {chain.tx(kRvdk, "request.file", {text("case", "case-001"), text("request", request),
                                                           text("kind", "OTS"), text("gi", gi),
                                                           hash_arg("document", request)})});
    chain.run_indexed(t + kDay, {chain.tx(kCourt, "court.decide",
                                          {text("case", "case-001"), text("request", request),
                                           text("outcome", "GRANTED"), text("start_date", start),
                                           text("end_date", "2027-03-15")})});
  };
  grant("req-1", std::string(kGi), utc_ms(2026, 3, 11, 9), "2026-03-15");
  const int64_t from = utc_ms(2026, 3, 1);
  const int64_t to = utc_ms(2040, 1, 1);
  EXPECT_FALSE(pending_deadlines(chain.store, kGi, "", from, to, 100)->deadlines.empty());
  EXPECT_TRUE(pending_deadlines(chain.store, kOtherGi, "", from, to, 100)->deadlines.empty());
  // The OTS is lifted and ends; a new one goes to the other GI. The case's own deadlines (D-18, R-18 and
  // the appeal terms) outlive the measure: they move to the new GI, none stays with the old one.
  chain.run_indexed(utc_ms(2026, 3, 19, 9),
                    {chain.tx(kCourt, "court.lift", {text("case", "case-001"), text("date", "2026-03-20")})});
  chain.run_indexed(utc_ms(2026, 3, 21, 9), {});
  ASSERT_EQ(chain.case_record().measure().state(), cv1::ENDED);
  grant("req-2", std::string(kOtherGi), utc_ms(2026, 4, 1, 9), "2026-04-02");
  ASSERT_EQ(chain.case_record().gi(), kOtherGi);
  EXPECT_TRUE(pending_deadlines(chain.store, kGi, "", from, to, 100)->deadlines.empty());
  auto moved = pending_deadlines(chain.store, kOtherGi, "", from, to, 100).value();
  EXPECT_TRUE(std::any_of(moved.deadlines.begin(), moved.deadlines.end(), [](const auto& d) { return d.kind() == "D-18"; }));
  expect_deadlines_filed_under_current_parties(chain.store);

  // The window and the limit: ascending, at most `limit`, `more` when cut.
  auto all = pending_deadlines(chain.store, kOtherGi, "", from, to, 100).value();
  ASSERT_GE(all.deadlines.size(), 3u);
  auto two = pending_deadlines(chain.store, kOtherGi, "", from, to, 2).value();
  EXPECT_EQ(two.deadlines.size(), 2u);
  EXPECT_TRUE(two.more);
  const int64_t due0 = all.deadlines[0].due_ms();
  auto after_first = pending_deadlines(chain.store, kOtherGi, "", due0 + 1, to, 100).value();
  EXPECT_EQ(after_first.deadlines.size() + 1, all.deadlines.size() -
                                                  static_cast<size_t>(std::count_if(all.deadlines.begin() + 1, all.deadlines.end(),
                                                                                    [&](const auto& d) { return d.due_ms() == due0; })));

  // One case's deadlines: the same list, read from the case's own entries; none for a GI that is no
  // party of it any more, none for another case.
  ASSERT_TRUE(chain.run_indexed(utc_ms(2026, 4, 5, 9), {testing::open_case_tx(chain, "case-002")}).results.at(0).ok);
  auto of_case = pending_deadlines(chain.store, kOtherGi, "case-001", from, to, 100).value();
  ASSERT_EQ(of_case.deadlines.size(), all.deadlines.size());
  for (size_t i = 0; i < all.deadlines.size(); ++i) EXPECT_EQ(of_case.deadlines[i].id(), all.deadlines[i].id());
  EXPECT_TRUE(pending_deadlines(chain.store, kGi, "case-001", from, to, 100)->deadlines.empty());
  EXPECT_TRUE(pending_deadlines(chain.store, kOtherGi, "case-002", from, to, 100)->deadlines.empty());
  auto case_two = pending_deadlines(chain.store, kOtherGi, "case-001", due0 + 1, to, 2).value();
  EXPECT_LE(case_two.deadlines.size(), 2u);
  for (const auto& d : case_two.deadlines) EXPECT_GT(d.due_ms(), due0);
  EXPECT_EQ(case_two.more, after_first.deadlines.size() > 2);
}

TEST(DashboardIndex, ACaseTimelineHoldsItsTxsWithResultsAndTheEventsAboutIt) {
  IndexedChain chain;
  chain.run_indexed(utc_ms(2026, 3, 10, 9), {testing::open_case_tx(chain, "case-001"), testing::open_case_tx(chain, "case-002")});
  chain.run_indexed(utc_ms(2026, 3, 11, 9),
                    {chain.tx(kRvdk, "request.file", {text("case", "case-001"), text("request", "req-ots"),
                                                      text("kind", "OTS"), text("gi", std::string(kGi)),
                                                      hash_arg("document", "x")}),
                     // Refused: the GI may not open a case.
                     chain.tx(kGi, "case.open", {text("case", "case-001"), text("majority_date", "2035-01-01"),
                                                 text("municipality", std::string(kMunicipality))})});
  chain.run_indexed(utc_ms(2026, 3, 15, 9), {chain.tx(kCourt, "court.decide",
                                                      {text("case", "case-001"), text("request", "req-ots"),
                                                       text("outcome", "GRANTED"), text("start_date", "2026-03-15"),
                                                       text("end_date", "2027-03-15")})});
  chain.run_indexed(utc_ms(2026, 3, 25, 9), {});  // D-ASSIGN fires: an event caused by a deadline

  auto page = case_timeline(chain.store, "case-001", 0, 100).value();
  std::vector<std::string> seen;
  for (const auto& e : page.entries) {
    seen.push_back(e["type"] == "tx" ? e["action"].get<std::string>() + ":" + e["result"].get<std::string>()
                                     : e["kind"].get<std::string>() + "->" + e["recipient"].get<std::string>());
  }
  EXPECT_EQ(page.entries.at(0)["signer_institution"], kRvdk);
  auto at = [&](const std::string& what) { return std::find(seen.begin(), seen.end(), what) - seen.begin(); };
  const auto n = static_cast<std::ptrdiff_t>(seen.size());
  // Block order, and within a block each tx before the events it caused.
  EXPECT_EQ(at("case.open:OK"), 0);
  EXPECT_LT(at("case.open:OK"), at("CASE_OPENED->" + std::string(kMunicipality)));
  EXPECT_LT(at("CASE_OPENED->" + std::string(kMunicipality)), at("request.file:OK"));
  EXPECT_LT(at("request.file:OK"), at("case.open:NOT_AUTHORIZED"));
  EXPECT_LT(at("case.open:NOT_AUTHORIZED"), at("court.decide:OK"));
  EXPECT_LT(at("court.decide:OK"), at("ASSIGN_MISSED->" + std::string(kMunicipality)));
  EXPECT_LT(at("ASSIGN_MISSED->" + std::string(kMunicipality)), n);
  for (const auto& e : page.entries) EXPECT_FALSE(e.contains("case")) << "the case id is the key, not repeated";
  // case-002's timeline holds only its own open and the events of it.
  const TimelinePage other = case_timeline(chain.store, "case-002", 0, 100).value();
  for (const auto& e : other.entries) {
    EXPECT_TRUE(e["type"] == "tx" ? e["action"] == "case.open" : e["kind"] == "CASE_OPENED") << e.dump();
  }
  // Paging.
  auto first_two = case_timeline(chain.store, "case-001", 0, 2).value();
  EXPECT_EQ(first_two.entries.size(), 2u);
  EXPECT_TRUE(first_two.more);
  const TimelinePage third = case_timeline(chain.store, "case-001", 2, 1).value();
  ASSERT_EQ(third.entries.size(), 1u);
  EXPECT_EQ(third.entries[0], page.entries.at(2));
}

TEST(DashboardIndex, ACountBelowZeroIsCorruptionNotANegativeNumber) {
  IndexedChain chain;
  chain.run_indexed(utc_ms(2026, 3, 10, 9), {testing::open_case_tx(chain, "case-001")});
  chain.run_indexed(utc_ms(2026, 3, 11, 9), {chain.tx(kRvdk, "request.file",
                                                      {text("case", "case-001"), text("request", "r"), text("kind", "OTS"),
                                                       text("gi", std::string(kGi)), hash_arg("document", "x")})});
  chain.run_indexed(utc_ms(2026, 3, 15, 9), {chain.tx(kCourt, "court.decide",
                                                      {text("case", "case-001"), text("request", "r"),
                                                       text("outcome", "GRANTED"), text("start_date", "2026-03-15"),
                                                       text("end_date", "2027-03-15")})});
  // Lose the running cells, then lift: taking the case out of a cell that is not there is refused.
  WriteBatch lose;
  const Bytes prefix = to_bytes("Irun/");
  ASSERT_TRUE(chain.store.scan(prefix, index_keys::prefix_end(prefix), [&](ByteView k, ByteView) {
    lose.del(k);
    return true;
  }).ok());
  ASSERT_FALSE(lose.empty());
  ASSERT_TRUE(chain.store.write(lose, false).ok());
  auto lift = chain.tx(kCourt, "court.lift", {text("case", "case-001"), text("date", "2026-06-01")});
  std::vector<v1::SignedTx> txs{lift};
  auto out = execute_block(chain.store, chain.config, utc_ms(2026, 5, 1, 9), chain.height + 1, txs);
  ASSERT_TRUE(out.ok());
  WriteBatch batch;
  Status s = index_block(chain.store, CommittedBlock{chain.height + 1, utc_ms(2026, 5, 1, 9), txs, &*out}, batch);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kCorruption);
  EXPECT_NE(s.error().message.find("below zero"), std::string::npos) << s.error().message;
}

}  // namespace
}  // namespace joet::inzicht
