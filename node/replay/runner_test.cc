#include "node/replay/runner.h"

#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace joet::replay {
namespace {

std::vector<Line> run_file(const std::string& name) {
  ParsedScenario p = load_scenario(std::string(JOET_SCENARIOS_DIR) + "/" + name);
  EXPECT_TRUE(p.ok()) << p.error.to_string();
  std::vector<Line> lines;
  if (!p.ok()) return lines;
  auto failure = run_scenario(*p.scenario, [&](const Line& l) { lines.push_back(l); });
  EXPECT_FALSE(failure.has_value()) << failure->message;
  return lines;
}

std::vector<Line> run_text(const std::string& json) {
  ParsedScenario p = parse_scenario(json);
  EXPECT_TRUE(p.ok()) << p.error.to_string();
  std::vector<Line> lines;
  if (!p.ok()) return lines;
  auto failure = run_scenario(*p.scenario, [&](const Line& l) { lines.push_back(l); });
  EXPECT_FALSE(failure.has_value()) << failure->message;
  return lines;
}

std::vector<Line> of(const std::vector<Line>& lines, const std::string& type, const std::string& key = "",
                     const std::string& value = "") {
  std::vector<Line> out;
  for (const Line& l : lines) {
    if (l["type"] != type) continue;
    if (!key.empty() && (!l.contains(key) || l[key] != value)) continue;
    out.push_back(l);
  }
  return out;
}

TEST(Replay, OtsLapsesAtTheFirstBlockOnOrAfterTheEndDateInAmsterdam) {
  const std::vector<Line> lines = run_file("ots-lapse.json");
  ASSERT_FALSE(lines.empty());
  for (const Line& tx : of(lines, "tx")) EXPECT_EQ(tx["result"], "OK") << tx.dump();
  const std::vector<Line> lapses = of(lines, "event", "deadline", "D-LAPSE");
  ASSERT_EQ(lapses.size(), 1u);
  const Line& lapse = lapses[0];
  // Block 6 is the first at or after 2027-03-15 00:00 CET; block 5 is one second earlier.
  EXPECT_EQ(lapse["height"], 6);
  EXPECT_EQ(lapse["time"], "2027-03-14T23:00:00Z");
  EXPECT_EQ(lapse["kind"], "MEASURE_ENDED");
  EXPECT_EQ(lapse["case"], "case-001");
  EXPECT_EQ(lapse["measure"], "OTS");
  EXPECT_EQ(lapse["detail"], "LAPSED");
  EXPECT_EQ(lapse["recipients"], Line::parse(R"(["gi-jbra", "rvdk", "gem-amsterdam"])"));
  EXPECT_FALSE(lapse.contains("tx"));
  EXPECT_EQ(of(lines, "event", "kind", "MEASURE_ENDED").size(), 1u);
  // The key order of a line is fixed.
  EXPECT_EQ(lapse.dump().rfind(R"({"type":"event","height":6,"time":"2027-03-14T23:00:00Z","kind":"MEASURE_ENDED","deadline":"D-LAPSE",)", 0), 0u)
      << lapse.dump();
}

// docs/scenarios/rules-v3.json: under rules version 3 the header commits each tx's result, refusal
// message included (decision 0017), so these roots are consensus: re-executing a committed block must
// give them again. If this fails after a contract's refusal text changed, the change alters what
// version-3 blocks committed: keep the text and give the new one a new rules version instead.
TEST(Replay, UnderRulesVersionThreeTheResultsRootsOfKnownRefusalsStayAsCommitted) {
  const std::vector<Line> lines = run_file("rules-v3.json");
  const std::vector<Line> blocks = of(lines, "block");
  ASSERT_EQ(blocks.size(), 5u);
  for (const Line& b : blocks) EXPECT_EQ(b["rules_version"], 3) << b.dump();
  const std::vector<Line> txs = of(lines, "tx");
  ASSERT_EQ(txs.size(), 8u);
  EXPECT_EQ(txs[1]["result"], "BAD_FIELD");
  EXPECT_EQ(txs[3]["result"], "NOT_AUTHORIZED");
  EXPECT_EQ(txs[4]["result"], "GROUNDS_MISSING");
  EXPECT_EQ(blocks[0]["results_root"], "f98b26ddbef3c7439a134ed98855c14f59e173d1fe22ed2954de0fb88325e7de");
  EXPECT_EQ(blocks[2]["results_root"], "c5dd1859ff610f955b7dad9a693c1c436303a99d3dd482eca48a15bbaed4a820");
  // A block without txs commits the root of no leaves.
  EXPECT_EQ(blocks[4]["results_root"], "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

// docs/scenarios/rules-v2.json: a genesis under rules version 2.
TEST(Replay, AScenarioUnderRulesVersionTwoShowsItsRulesAndEveryCascadedDeadline) {
  const std::vector<Line> lines = run_file("rules-v2.json");
  ASSERT_FALSE(lines.empty());
  for (const Line& b : of(lines, "block")) {
    EXPECT_EQ(b["rules_version"], 2) << b.dump();
    EXPECT_FALSE(b.contains("results_root")) << "version 2 commits no results";
  }
  const std::vector<Line> txs = of(lines, "tx");
  ASSERT_EQ(txs.size(), 7u);
  EXPECT_EQ(txs[1]["result"], "BAD_FIELD") << "c123456782 hides a BSN";
  EXPECT_EQ(txs[3]["result"], "GROUNDS_MISSING");
  for (size_t i : {0u, 2u, 4u, 5u, 6u}) EXPECT_EQ(txs[i]["result"], "OK") << txs[i].dump();
  // The three overdue quarters fire in the one late block, each named with its deadline kind, also the
  // two that the firing of the quarter before queued in that block.
  std::vector<std::string> quarters;
  for (const Line& e : of(lines, "event", "kind", "PROGRESS_MISSED")) {
    EXPECT_EQ(e["height"], 5) << e.dump();
    EXPECT_EQ(e["deadline"], "D-PROGRESS") << e.dump();
    quarters.push_back(e["detail"]);
  }
  EXPECT_EQ(quarters, (std::vector<std::string>{"Q1", "Q2", "Q3"}));
}

TEST(Replay, PrintsTxEventsBlockLinesAndTheFinalStateRoot) {
  const std::vector<Line> lines = run_file("ots-lapse.json");
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines[0].dump(), R"({"type":"tx","height":1,"index":0,"signer":"rvdk","action":"case.open","result":"OK"})");
  const std::vector<Line> blocks = of(lines, "block");
  ASSERT_EQ(blocks.size(), 7u);
  EXPECT_EQ(blocks[4]["time"], "2027-03-14T22:59:59Z");
  EXPECT_EQ(blocks[6]["events"], 0);
  // An empty block's events_root is the RFC 6962 root of no leaves, SHA256("").
  EXPECT_EQ(blocks[6]["events_root"], "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(blocks[6]["state_root"], blocks[5]["state_root"]);  // nothing fired, nothing changed
  EXPECT_NE(blocks[5]["state_root"], blocks[4]["state_root"]);
  const Line& last = lines.back();
  EXPECT_EQ(last["type"], "state_root");
  EXPECT_EQ(last["height"], 7);
  EXPECT_EQ(last["root"], blocks[6]["state_root"]);
  // The grant's events name the tx that caused them.
  const std::vector<Line> granted = of(lines, "event", "kind", "MEASURE_GRANTED");
  ASSERT_FALSE(granted.empty());
  EXPECT_EQ(granted[0]["height"], 3);
  EXPECT_EQ(granted[0]["tx"], 0);
}

TEST(Replay, ExtensionDecidedInTimeMovesTheLapseAYear) {
  const std::vector<Line> lines = run_file("ots-extended.json");
  const std::vector<Line> lapses = of(lines, "event", "deadline", "D-LAPSE");
  ASSERT_EQ(lapses.size(), 1u);
  EXPECT_EQ(lapses[0]["height"], 9);
  EXPECT_EQ(lapses[0]["time"], "2028-03-14T23:00:00Z");  // 2028-03-15 00:00 CET
  EXPECT_EQ(lapses[0]["detail"], "LAPSED");
  const std::vector<Line> txs = of(lines, "tx");
  ASSERT_EQ(txs.size(), 7u);
  for (size_t i = 0; i + 1 < txs.size(); ++i) EXPECT_EQ(txs[i]["result"], "OK") << txs[i].dump();
  EXPECT_EQ(txs.back()["height"], 10);
  EXPECT_NE(txs.back()["result"], "OK");
  EXPECT_TRUE(txs.back().contains("message"));
}

TEST(Replay, UhpNotCarriedOutLapsesThreeMonthsAfterTheDecisionInSummerTime) {
  const std::vector<Line> lines = run_file("uhp-not-carried-out.json");
  // 2026-05-10 + 3 months = 2026-08-10, 00:00 CEST = 2026-08-09T22:00:00Z (block 10, not block 9).
  const std::vector<Line> lapsed = of(lines, "event", "deadline", "D-UHP3M");
  ASSERT_EQ(lapsed.size(), 1u);
  EXPECT_EQ(lapsed[0]["height"], 10);
  EXPECT_EQ(lapsed[0]["time"], "2026-08-09T22:00:00Z");
  EXPECT_EQ(lapsed[0]["kind"], "UHP_LAPSED");
  EXPECT_EQ(lapsed[0]["detail"], "NOT_CARRIED_OUT");
  EXPECT_EQ(lapsed[0]["recipients"], Line::parse(R"(["rb-amsterdam", "rvdk", "gem-amsterdam"])"));
  // The reminder 14 days before: 2026-07-27 00:00 CEST = 2026-07-26T22:00:00Z (block 8).
  const std::vector<Line> reminder = of(lines, "event", "deadline", "R-UHP3M");
  ASSERT_EQ(reminder.size(), 1u);
  EXPECT_EQ(reminder[0]["height"], 8);
  EXPECT_EQ(reminder[0]["recipients"], Line::parse(R"(["gi-jbra"])"));
  // Refusals: an outsider, and a GI member key trying the court's action.
  const std::vector<Line> refused = of(lines, "tx", "result", "NOT_AUTHORIZED");
  ASSERT_EQ(refused.size(), 2u);
  EXPECT_EQ(refused[0]["signer"], "mallory");
  EXPECT_EQ(refused[1]["signer"], "gi-jbra-team-noord");
  EXPECT_EQ(refused[1]["action"], "court.decide");
  EXPECT_EQ(of(lines, "event", "kind", "MEASURE_ENDED").size(), 0u);  // the OTS runs on
}

TEST(Replay, TwoRunsPrintTheSameLines) {
  const std::vector<Line> a = run_file("ots-extended.json");
  const std::vector<Line> b = run_file("ots-extended.json");
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i].dump(), b[i].dump());
}

constexpr const char* kPlanScenario = R"({
  "institutions": [{"id": "rb-amsterdam", "role": "COURT"}, {"id": "rvdk", "role": "RVDK"},
                   {"id": "gem-amsterdam", "role": "MUNICIPALITY"}, {"id": "gi-jbra", "role": "GI"}],
  "outsiders": ["mallory"],
  "policy": {"plan_days": 10},
  "blocks": [
    {"time": "2026-03-10T09:00:00Z", "txs": [
      {"signer": "mallory", "action": "case.open", "args": {"case": "case-001", "majority_date": "2035-01-01", "municipality": "gem-amsterdam"}},
      {"signer": "rvdk", "action": "case.open", "args": {"case": "case-001", "majority_date": "2035-01-01", "municipality": "gem-amsterdam"}},
      {"signer": "rvdk", "action": "case.open", "nonce": 1, "args": {"case": "case-002", "majority_date": "2035-01-01", "municipality": "gem-amsterdam"}}]},
    {"time": "2026-03-11T09:00:00Z", "txs": [
      {"signer": "rvdk", "action": "request.file", "args": {"case": "case-001", "request": "req-ots", "kind": "OTS", "gi": "gi-jbra", "document": {"doc": "v"}}}]},
    {"time": "2026-03-15T09:00:00Z", "txs": [
      {"signer": "rb-amsterdam", "action": "court.decide", "args": {"case": "case-001", "request": "req-ots", "outcome": "GRANTED", "start_date": "2026-03-15", "end_date": "2027-03-15"}}]},
    {"time": "2026-03-24T22:59:59Z"},
    {"time": "2026-03-24T23:00:00Z"}
  ]})";

TEST(Replay, PolicyOverridesReachTheExecutorAndRefusalsCarryTheirCode) {
  const std::vector<Line> lines = run_text(kPlanScenario);
  const std::vector<Line> txs = of(lines, "tx");
  ASSERT_EQ(txs.size(), 5u);
  EXPECT_EQ(txs[0]["result"], "NOT_AUTHORIZED");
  EXPECT_EQ(txs[1]["result"], "OK");
  EXPECT_EQ(txs[2]["result"], "BAD_NONCE");  // the given nonce 1 was used by txs[1]
  // plan_days 10: D-PLAN on 2026-03-25, 00:00 CET = 2026-03-24T23:00:00Z (summer time starts 03-29).
  const std::vector<Line> missed = of(lines, "event", "deadline", "D-PLAN");
  ASSERT_EQ(missed.size(), 1u);
  EXPECT_EQ(missed[0]["height"], 5);
  EXPECT_EQ(missed[0]["kind"], "PLAN_MISSED");
  EXPECT_EQ(missed[0]["recipients"], Line::parse(R"(["gi-jbra", "gem-amsterdam"])"));
}

TEST(Replay, GovernanceTxsCarryTheSignaturesOfSeveralInstitutions) {
  // 4 institutions: 3 signatures are more than 2/3 (9 > 8), 2 are not.
  const std::vector<Line> lines = run_text(R"({
    "institutions": [{"id": "rb-amsterdam", "role": "COURT"}, {"id": "rvdk", "role": "RVDK"},
                     {"id": "gem-amsterdam", "role": "MUNICIPALITY"}, {"id": "gi-jbra", "role": "GI"}],
    "blocks": [{"time": "2026-03-01T09:00:00Z", "txs": [
      {"signers": ["rvdk", "gi-jbra"], "action": "policy.set", "args": {"name": "plan_days", "value": 10}},
      {"signers": ["rvdk", "gi-jbra", "rb-amsterdam"], "action": "policy.set", "args": {"name": "plan_days", "value": 10}}]}]})");
  const std::vector<Line> txs = of(lines, "tx");
  ASSERT_EQ(txs.size(), 2u);
  EXPECT_EQ(txs[0]["result"], "NOT_AUTHORIZED");
  EXPECT_EQ(txs[1]["result"], "OK") << txs[1].dump();
  EXPECT_EQ(txs[1]["signer"], "rvdk");
  EXPECT_EQ(txs[1]["signers"], Line::parse(R"(["rvdk", "gi-jbra", "rb-amsterdam"])"));
}

TEST(Replay, APolicyTheContractsRefuseIsABadScenario) {
  ParsedScenario p = parse_scenario(R"({"institutions": [{"id": "rvdk", "role": "RVDK"}],
                                        "policy": {"plan_days": 0}, "blocks": []})");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error.kind, ScenarioErrorKind::kBadValue);
  EXPECT_EQ(p.error.path, "policy");
}

TEST(Replay, AnInstitutionIdThatIsNotACodeIsABadScenario) {
  ParsedScenario p = parse_scenario(R"({"institutions": [{"id": "Jan Jansen", "role": "GI"}], "blocks": []})");
  ASSERT_TRUE(p.ok());
  auto failure = run_scenario(*p.scenario, [](const Line&) {});
  ASSERT_TRUE(failure.has_value());
  EXPECT_TRUE(failure->bad_scenario) << failure->message;
}

// docs/scenarios/stuurinformatie.json: seven OTS of gi-jbra from 2026-03-16 (six end in September, one
// on 09-01 exclusive: six run in September) and three of gi-wsg (under 5: suppressed, no number).
TEST(Replay, TheStuurinformatieLineFollowsTheStateRootAndSuppressesSmallCells) {
  ParsedScenario p = load_scenario(std::string(JOET_SCENARIOS_DIR) + "/stuurinformatie.json");
  ASSERT_TRUE(p.ok()) << p.error.to_string();
  ReplayOptions options;
  options.stuurinformatie = std::make_pair(CivilMonth{2026, 3}, CivilMonth{2026, 10});
  std::vector<Line> lines;
  auto failure = run_scenario(*p.scenario, [&](const Line& l) { lines.push_back(l); }, options);
  ASSERT_FALSE(failure.has_value()) << failure->message;
  ASSERT_GE(lines.size(), 2u);
  EXPECT_EQ(lines[lines.size() - 2]["type"], "state_root");
  const Line& last = lines.back();
  ASSERT_EQ(last["type"], "stuurinformatie");
  const Line& report = last["stuurinformatie"];
  EXPECT_EQ(report["from"], "2026-03");
  EXPECT_EQ(report["to"], "2026-10");
  const Line& running = report["running"];
  ASSERT_GE(running.size(), 2u);
  EXPECT_EQ(running[0], Line::parse(R"({"month":"2026-03","kind":"OTS","institution":"gi-jbra","cases":7})"));
  EXPECT_EQ(running[1], Line::parse(R"({"month":"2026-03","kind":"OTS","institution":"gi-wsg","suppressed":true})"));
  // Durations 169, 176, 184, 188, 193, 198 days: mean 1108 / 6 = 184, median (184 + 188) / 2 = 186.
  EXPECT_EQ(report["ended"], Line::parse(R"([{"month": "2026-09", "kind": "OTS", "cases": 6, "measures": 6,
                                                "mean_days": 184, "median_days": 186}])"));
}

}  // namespace
}  // namespace joet::replay

namespace joet::replay {
namespace {

// Decoder robustness with fixed randomness (STYLE.md): mutated scenarios parse to a scenario or a
// typed error, and whatever parses runs to the end or reports a bad scenario; nothing crashes.
TEST(ReplayRobustness, MutatedScenariosNeverCrashTheParserOrTheRunner) {
  std::ifstream in(std::string(JOET_SCENARIOS_DIR) + "/ots-extended.json");
  const std::string original((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_FALSE(original.empty());
  std::mt19937_64 rng(20260315);  // fixed seed: a failure replays exactly
  const std::string alphabet = "{}[]\",:0123456789-TZ.ab \\";
  size_t parsed = 0, ran = 0;
  for (int i = 0; i < 3000; ++i) {
    std::string text = original;
    const int edits = 1 + static_cast<int>(rng() % 3);
    for (int e = 0; e < edits && !text.empty(); ++e) {
      const size_t at = rng() % text.size();
      switch (rng() % 3) {
        case 0: text[at] = alphabet[rng() % alphabet.size()]; break;
        case 1: text.erase(at, 1 + rng() % 8); break;
        default: text.insert(at, 1, alphabet[rng() % alphabet.size()]); break;
      }
    }
    ParsedScenario p = parse_scenario(text);
    if (!p.ok()) {
      EXPECT_FALSE(p.error.to_string().empty()) << "iteration " << i;
      continue;
    }
    ++parsed;
    if (ran >= 100) continue;
    ++ran;
    size_t lines = 0;
    auto failure = run_scenario(*p.scenario, [&](const Line&) { ++lines; });
    if (failure) {
      EXPECT_TRUE(failure->bad_scenario) << "iteration " << i << ": " << failure->message;
    } else {
      EXPECT_GT(lines, 0u);
    }
  }
  EXPECT_GT(parsed, 0u);  // some mutations (inside strings) still parse and run
}

}  // namespace
}  // namespace joet::replay
