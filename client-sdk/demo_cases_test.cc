// The demo plan on the contracts' in-memory chain, on "today" (the real network commits a wave within
// seconds): a wave in one block, or every tx in a block of its own, each block followed by the blocks
// that fire what fell due (a network proposes one at once when a deadline is due:
// Application::next_due_ms). Every tx must be accepted, and the stuurinformatie of the last 12 months
// must have data in every table.
#include "client-sdk/demo_cases.h"

#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "contracts/amsterdam_time.h"
#include "contracts/contracts_test_support.h"
#include "contracts/deadlines.h"
#include "contracts/stuurinformatie.h"

namespace joet::sdk {
namespace {

using joet::testing::Chain;

constexpr std::string_view kNewMunicipality = "gem-utrecht";

// The test chain registers rb-amsterdam, rvdk, gem-amsterdam, gi-jbra, gi-wsg and igj (auditor), each
// signing with PrivateKey::from_test_seed(id); the plan adds gem-utrecht with such a key too.
DemoOptions options_for(const CivilDate& today, uint64_t seed = 7, uint32_t cases = 300) {
  DemoOptions o;
  o.seed = seed;
  o.cases = cases;
  o.today = today;
  o.institutions.court = std::string(joet::testing::kCourt);
  o.institutions.rvdk = std::string(joet::testing::kRvdk);
  o.institutions.municipalities = {std::string(joet::testing::kMunicipality), std::string(kNewMunicipality)};
  o.institutions.gis = {std::string(joet::testing::kGi), std::string(joet::testing::kOtherGi)};
  o.add = {{std::string(kNewMunicipality), "MUNICIPALITY", Chain::key(kNewMunicipality).public_key()}};
  // 5 of the 6 registered institutions: more than 2/3.
  o.governance_signers = {std::string(joet::testing::kCourt), std::string(joet::testing::kRvdk),
                          std::string(joet::testing::kMunicipality), std::string(joet::testing::kGi),
                          std::string(joet::testing::kOtherGi)};
  return o;
}

struct PlanRun {
  size_t txs = 0;
  std::vector<std::string> refused;  // "wave 4 gi.assign c-2026-0012: CODE message"
};

// Blocks with no txs while a deadline is due at `t`, as a network makes them right after a commit.
void fire_what_is_due(Chain& chain, int64_t& t) {
  for (int i = 0; i < 64; ++i) {
    auto due = next_deadline_due_ms(chain.store);
    ASSERT_TRUE(due.ok());
    if (!due->has_value() || **due > t) return;
    t += 200;
    chain.run(t);
  }
  FAIL() << "deadlines still due after 64 blocks";
}

// Each wave in blocks of at most `block_txs` txs in plan order (so each signer's nonces ascend), the
// deadlines that fell due fired between them: a network commits a wave over several blocks, in an
// order of its own, so no step may depend on another step of its wave.
PlanRun run_plan(Chain& chain, const DemoPlan& plan, const CivilDate& today, size_t block_txs) {
  PlanRun out;
  int64_t t = start_of_day_utc_ms(today) + 9 * kMsPerHour;
  for (uint32_t wave = 0; wave < plan.waves; ++wave) {
    std::vector<const DemoStep*> steps;
    for (const DemoStep& s : plan.steps) {
      if (s.wave == wave) steps.push_back(&s);
    }
    t += 3000;
    for (size_t first = 0; first < steps.size(); first += block_txs) {
      const size_t last = std::min(steps.size(), first + block_txs);
      std::vector<v1::SignedTx> txs;
      for (size_t i = first; i < last; ++i) {
        const DemoStep& s = *steps[i];
        if (s.signers.size() == 1) {
          txs.push_back(chain.tx(s.signers[0], s.action, s.args));
        } else {
          std::vector<std::string_view> signers(s.signers.begin(), s.signers.end());
          txs.push_back(chain.multi_tx(signers, s.action, s.args));
        }
      }
      t += 200;
      const BlockExecution block = chain.run(t, std::move(txs));
      for (size_t i = 0; i < block.results.size(); ++i) {
        if (block.results[i].ok) continue;
        const DemoStep& s = *steps[first + i];
        out.refused.push_back("wave " + std::to_string(wave) + " " + s.action + " " + s.case_id + ": " +
                              block.results[i].code + " " + block.results[i].message);
      }
      fire_what_is_due(chain, t);
    }
    out.txs += steps.size();
  }
  return out;
}

std::string refusals(const PlanRun& run) {
  std::ostringstream s;
  s << run.refused.size() << " of " << run.txs << " txs refused:\n";
  for (const std::string& r : run.refused) s << "  " << r << "\n";
  return s.str();
}

CivilMonth month_of(const CivilDate& d) { return CivilMonth{d.year, d.month}; }

Stuurinformatie last_12_months(const Chain& chain, const CivilDate& today) {
  const CivilMonth to = month_of(today);
  auto report = stuurinformatie(chain.store, month_at(month_index(to) - 11), to);
  JOET_ASSERT(report.ok());
  return std::move(report).value();
}

template <typename Cell>
size_t shown(const std::vector<Cell>& cells) {
  size_t n = 0;
  for (const Cell& c : cells) {
    if constexpr (std::is_same_v<Cell, DaysCell>) {
      n += c.cell.suppressed ? 0 : 1;
    } else {
      n += c.suppressed ? 0 : 1;
    }
  }
  return n;
}

std::string describe(const std::vector<StatCell>& cells) {
  std::ostringstream s;
  for (const StatCell& c : cells) {
    s << "  " << to_string(c.month) << " " << c.kind << " " << c.institution << ": "
      << (c.suppressed ? std::string("<5") : std::to_string(c.cases)) << "\n";
  }
  return s.str();
}

uint64_t cases_in(const std::vector<StatCell>& cells, const CivilMonth& month, std::string_view kind,
                  std::string_view institution) {
  for (const StatCell& c : cells) {
    if (c.month == month && c.kind == kind && c.institution == institution) return c.cases;
  }
  return 0;
}

TEST(DemoCases, EveryTxOfThePlanIsAcceptedAndEveryTableHasData) {
  const CivilDate today{2026, 3, 18};
  auto plan = plan_demo_cases(options_for(today));
  ASSERT_TRUE(plan.ok()) << plan.error().message;
  Chain chain(latest_rules_version());  // a new network runs the latest rules (grounds, costs)
  const PlanRun run = run_plan(chain, *plan, today, 1);  // every tx in a block of its own
  EXPECT_GT(run.txs, 3000u);
  EXPECT_TRUE(run.refused.empty()) << refusals(run);

  const Stuurinformatie r = last_12_months(chain, today);
  EXPECT_GT(shown(r.running), 0u);
  EXPECT_GT(shown(r.ended), 0u);
  EXPECT_GT(shown(r.extensions), 0u);
  EXPECT_GT(shown(r.missed_deadlines), 0u) << describe(r.missed_deadlines);
  EXPECT_GT(shown(r.signals), 0u) << describe(r.signals);
  EXPECT_GT(shown(r.complaints), 0u) << describe(r.complaints);
  EXPECT_GT(shown(r.assignment), 0u);
  EXPECT_GT(shown(r.grounds), 0u) << describe(r.grounds);
  size_t projected = 0, invoiced = 0;
  for (const AmountCell& c : r.costs) {
    if (c.cell.suppressed) continue;
    (c.cell.kind == kProjectedCost ? projected : invoiced) += 1;
  }
  EXPECT_GT(projected, 0u);
  EXPECT_GT(invoiced, 0u);

  // The founders' first ask: ten children or more without contact for two weeks, this month or last.
  const CivilMonth now = month_of(today);
  const CivilMonth last = month_at(month_index(now) - 1);
  const uint64_t no_contact = std::max(cases_in(r.signals, now, "NO_CONTACT_SIGNAL", joet::testing::kMunicipality),
                                       cases_in(r.signals, last, "NO_CONTACT_SIGNAL", joet::testing::kMunicipality));
  EXPECT_GE(no_contact, 10u) << describe(r.signals);
  // And only those: a placement and its contacts commit in either order without a signal in between.
  for (const StatCell& c : r.signals) {
    if (c.kind == "NO_CONTACT_SIGNAL") {
      EXPECT_EQ(c.month, now) << describe(r.signals);
    }
  }

  // A benchmark between the GIs, and the second municipality has its own figures.
  for (std::string_view gi : {joet::testing::kGi, joet::testing::kOtherGi}) {
    bool found = false;
    for (const StatCell& c : r.running) found = found || (c.institution == gi && !c.suppressed);
    EXPECT_TRUE(found) << gi << " has no running cell of 5 cases or more\n" << describe(r.running);
  }
  bool utrecht = false;
  for (const StatCell& c : r.signals) utrecht = utrecht || (c.institution == kNewMunicipality);
  EXPECT_TRUE(utrecht) << describe(r.signals);
}

TEST(DemoCases, EveryTxIsAcceptedOnAwkwardDays) {
  // The first of a month (the signal's month has one day), a year's end, a leap day, a summer date.
  for (const CivilDate today : {CivilDate{2026, 4, 1}, CivilDate{2026, 12, 31}, CivilDate{2028, 2, 29},
                                CivilDate{2027, 7, 14}}) {
    SCOPED_TRACE(to_string(today));
    auto plan = plan_demo_cases(options_for(today, 11, 150));
    ASSERT_TRUE(plan.ok()) << plan.error().message;
    Chain chain(latest_rules_version());
    const PlanRun run = run_plan(chain, *plan, today, 100'000);  // one block per wave
    EXPECT_TRUE(run.refused.empty()) << refusals(run);
  }
}

std::string fingerprint(const DemoPlan& plan) {
  std::string out;
  for (const DemoStep& s : plan.steps) {
    out += std::to_string(s.wave) + s.action + s.case_id;
    for (const std::string& signer : s.signers) out += signer;
    for (const v1::Arg& a : s.args) out += a.SerializeAsString();
    out += "\n";
  }
  return out;
}

TEST(DemoCases, ThePlanIsAFunctionOfSeedAndToday) {
  const CivilDate today{2026, 3, 18};
  auto a = plan_demo_cases(options_for(today, 7));
  auto b = plan_demo_cases(options_for(today, 7));
  auto c = plan_demo_cases(options_for(today, 8));
  auto d = plan_demo_cases(options_for(CivilDate{2026, 3, 19}, 7));
  ASSERT_TRUE(a.ok() && b.ok() && c.ok() && d.ok());
  EXPECT_EQ(fingerprint(*a), fingerprint(*b));
  EXPECT_NE(fingerprint(*a), fingerprint(*c));
  EXPECT_NE(fingerprint(*a), fingerprint(*d));
  // Waves ascend; governance first; case ids are pseudonyms c-YYYY-NNNN.
  for (size_t i = 1; i < a->steps.size(); ++i) ASSERT_LE(a->steps[i - 1].wave, a->steps[i].wave);
  EXPECT_EQ(a->steps.front().action, "institution.add");
  EXPECT_EQ(a->steps.front().signers.size(), 5u);
  for (const DemoStep& s : a->steps) {
    if (!s.case_id.empty()) {
      EXPECT_TRUE(s.case_id.starts_with("c-2026-") && s.case_id.size() == 11) << s.case_id;
    }
  }
  uint32_t total = 0;
  for (const auto& [name, n] : a->profiles) total += n;
  EXPECT_EQ(total, 300u);
}

// Six registered, five signers: two adds pass in wave 0 (15 > 12, 15 > 14); the third needs more than
// 2/3 of eight, so it waits for wave 1 and the two added before sign it too (21 > 16).
TEST(DemoCases, AnAddTheSignersAreTooFewForWaitsAWaveAndTheNewInstitutionsSignIt) {
  const CivilDate today{2026, 5, 12};
  DemoOptions o = options_for(today, 3, 20);
  o.add.push_back({"igj-2", "AUDITOR", Chain::key("igj-2").public_key()});
  o.add.push_back({"igj-3", "AUDITOR", Chain::key("igj-3").public_key()});
  o.registered_before = 6;
  auto plan = plan_demo_cases(o);
  ASSERT_TRUE(plan.ok()) << plan.error().message;
  std::vector<std::pair<uint32_t, size_t>> adds;  // (wave, signers)
  for (const DemoStep& s : plan->steps) {
    if (s.action == "institution.add") adds.emplace_back(s.wave, s.signers.size());
  }
  EXPECT_EQ(adds, (std::vector<std::pair<uint32_t, size_t>>{{0, 5}, {0, 5}, {1, 7}}));
  Chain chain(latest_rules_version());
  const PlanRun run = run_plan(chain, *plan, today, 1);
  EXPECT_TRUE(run.refused.empty()) << refusals(run);
}

TEST(DemoCases, RefusesOptionsOutOfRange) {
  const CivilDate today{2026, 3, 18};
  DemoOptions o = options_for(today);
  o.cases = 0;
  EXPECT_FALSE(plan_demo_cases(o).ok());
  o = options_for(today);
  o.cases = kMaxDemoCases + 1;
  EXPECT_FALSE(plan_demo_cases(o).ok());
  o = options_for(today);
  o.institutions.gis.clear();
  EXPECT_FALSE(plan_demo_cases(o).ok());
  o = options_for(today);
  o.institutions.court = "rb amsterdam";  // not a code
  EXPECT_FALSE(plan_demo_cases(o).ok());
  o = options_for(today);
  o.governance_signers.clear();
  EXPECT_FALSE(plan_demo_cases(o).ok());
}

TEST(DemoCases, AdminKeysAreDeterministicPerSeedAndInstitution) {
  EXPECT_EQ(demo_admin_key(1, "gi-wsg").public_key(), demo_admin_key(1, "gi-wsg").public_key());
  EXPECT_NE(demo_admin_key(1, "gi-wsg").public_key(), demo_admin_key(2, "gi-wsg").public_key());
  EXPECT_NE(demo_admin_key(1, "gi-wsg").public_key(), demo_admin_key(1, "gem-utrecht").public_key());
}

}  // namespace
}  // namespace joet::sdk
