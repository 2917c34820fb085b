#include "node/replay/scenario.h"

#include <string>

#include <gtest/gtest.h>

#include "ledger/hash.h"

namespace joet::replay {
namespace {

// A valid scenario with `blocks` spliced in.
std::string with_blocks(const std::string& blocks, const std::string& extra = "") {
  return R"({"institutions": [{"id": "rvdk", "role": "RVDK"},
                               {"id": "gi-jbra", "role": "GI", "signers": ["gi-jbra-1", "gi-jbra-2"]}],)" +
         extra + R"("blocks": )" + blocks + "}";
}

ScenarioError error_of(const std::string& json) {
  ParsedScenario p = parse_scenario(json);
  EXPECT_FALSE(p.ok()) << json;
  return p.error;
}

void expect_error(const std::string& json, ScenarioErrorKind kind, const std::string& path) {
  const ScenarioError e = error_of(json);
  EXPECT_EQ(scenario_error_name(e.kind), scenario_error_name(kind)) << e.to_string();
  EXPECT_EQ(e.path, path) << e.to_string();
}

TEST(ScenarioParse, ReadsInstitutionsPolicyBlocksAndArgsOfEveryType) {
  ParsedScenario p = parse_scenario(with_blocks(
      R"([{"time": "2026-03-10T09:00:00Z", "txs": [
            {"signer": "rvdk", "action": "case.open",
             "args": {"z": "text", "a": 42, "m": true, "h": {"hash": "00000000000000000000000000000000000000000000000000000000000000ff"},
                      "d": {"doc": "verzoekschrift"}, "n": -7}},
            {"signer": "rvdk", "action": "case.open"},
            {"signer": "gi-jbra-2", "action": "gi.plan", "nonce": 9},
            {"signer": "gi-jbra-2", "action": "gi.plan"}]},
          {"time": "2026-03-10T09:00:00.001Z"}])",
      R"("chain_id": "test-chain", "policy": {"plan_days": 10, "extra_holidays": ["2026-12-24", "2026-12-31"]},)"));
  ASSERT_TRUE(p.ok()) << p.error.to_string();
  const Scenario& s = *p.scenario;
  EXPECT_EQ(s.chain_id, "test-chain");
  ASSERT_EQ(s.institutions.size(), 2u);
  EXPECT_EQ(s.institutions[0].signers, std::vector<std::string>{"rvdk"});
  EXPECT_EQ(s.institutions[1].role, contracts::v1::GI);
  EXPECT_EQ(s.institutions[1].signers, (std::vector<std::string>{"gi-jbra-1", "gi-jbra-2"}));
  EXPECT_EQ(s.policy.plan_days, 10);
  EXPECT_EQ(s.policy.assign_days, Policy{}.assign_days);
  ASSERT_EQ(s.policy.extra_holidays.size(), 2u);
  EXPECT_EQ(s.policy.extra_holidays[1], (CivilDate{2026, 12, 31}));
  ASSERT_EQ(s.blocks.size(), 2u);
  EXPECT_EQ(s.blocks[0].time_ms, 1'773'133'200'000);  // 2026-03-10T09:00:00Z
  EXPECT_EQ(s.blocks[1].time_ms, 1'773'133'200'001);
  const auto& args = s.blocks[0].txs[0].args;
  ASSERT_EQ(args.size(), 6u);  // sorted by name
  EXPECT_EQ(args[0].name(), "a");
  EXPECT_EQ(args[0].integer(), 42);
  EXPECT_EQ(args[1].name(), "d");
  EXPECT_EQ(args[1].hash(), to_string(sha256(std::string_view("verzoekschrift"))));
  EXPECT_EQ(args[2].name(), "h");
  EXPECT_EQ(static_cast<uint8_t>(args[2].hash()[31]), 0xff);
  EXPECT_EQ(args[3].name(), "m");
  EXPECT_TRUE(args[3].flag());
  EXPECT_EQ(args[4].integer(), -7);
  EXPECT_EQ(args[5].text(), "text");
  // Nonces per signer: 1, 2 for rvdk; the given 9, then 10 for gi-jbra-2.
  EXPECT_EQ(s.blocks[0].txs[0].nonce, 1u);
  EXPECT_EQ(s.blocks[0].txs[1].nonce, 2u);
  EXPECT_EQ(s.blocks[0].txs[2].nonce, 9u);
  EXPECT_EQ(s.blocks[0].txs[3].nonce, 10u);
}

TEST(ScenarioParse, NamesTheJsonPathOfEveryBadInput) {
  expect_error("{not json", ScenarioErrorKind::kSyntax, "");
  expect_error("[]", ScenarioErrorKind::kWrongType, "");
  expect_error(R"({"blocks": []})", ScenarioErrorKind::kMissingField, "institutions");
  expect_error(with_blocks("[]", R"("polcy": {},)"), ScenarioErrorKind::kUnknownField, "polcy");
  expect_error(with_blocks("{}"), ScenarioErrorKind::kWrongType, "blocks");
  expect_error(R"({"institutions": [{"id": "x", "role": "JUDGE"}], "blocks": []})", ScenarioErrorKind::kBadRole,
               "institutions[0].role");
  expect_error(R"({"institutions": [{"id": "x", "role": "GI"}, {"id": "x", "role": "GI"}], "blocks": []})",
               ScenarioErrorKind::kDuplicate, "institutions[1].id");
  expect_error(R"({"institutions": [{"id": "x", "role": "GI", "signers": ["k"]}, {"id": "y", "role": "GI", "signers": ["k"]}],
                   "blocks": []})",
               ScenarioErrorKind::kDuplicate, "institutions[1].signers[0]");
  expect_error(with_blocks("[]", R"("policy": {"plan_dayz": 3},)"), ScenarioErrorKind::kUnknownPolicy,
               "policy.plan_dayz");
  expect_error(with_blocks("[]", R"("policy": {"plan_days": -3},)"), ScenarioErrorKind::kBadValue, "policy.plan_days");
  expect_error(with_blocks("[]", R"("rules_version": 99,)"), ScenarioErrorKind::kBadValue, "rules_version");
  expect_error(with_blocks("[]", R"("rules_version": "2",)"), ScenarioErrorKind::kWrongType, "rules_version");
  expect_error(with_blocks("[]", R"("policy": {"extra_holidays": ["2026-12-31", "2026-12-24"]},)"),
               ScenarioErrorKind::kBadValue, "policy.extra_holidays[1]");
  expect_error(with_blocks(R"([{"txs": []}])"), ScenarioErrorKind::kMissingField, "blocks[0].time");
  expect_error(with_blocks(R"([{"time": "2026-03-10 09:00:00"}])"), ScenarioErrorKind::kBadTime, "blocks[0].time");
  expect_error(with_blocks(R"([{"time": "2026-02-29T09:00:00Z"}])"), ScenarioErrorKind::kBadTime, "blocks[0].time");
  expect_error(with_blocks(R"([{"time": "2026-03-10T24:00:00Z"}])"), ScenarioErrorKind::kBadTime, "blocks[0].time");
  expect_error(with_blocks(R"([{"time": "2026-03-10T09:00:00+01:00"}])"), ScenarioErrorKind::kBadTime,
               "blocks[0].time");
  expect_error(with_blocks(R"([{"time": "1899-12-31T23:59:59Z"}])"), ScenarioErrorKind::kBadTime, "blocks[0].time");
  expect_error(with_blocks(R"([{"time": "2026-03-10T09:00:00Z"}, {"time": "2026-03-10T09:00:00Z"}])"),
               ScenarioErrorKind::kTimeNotIncreasing, "blocks[1].time");
  expect_error(with_blocks(R"([{"time": "2026-03-10T09:00:00Z"}, {"time": "2026-03-09T09:00:00Z"}])"),
               ScenarioErrorKind::kTimeNotIncreasing, "blocks[1].time");
  expect_error(with_blocks(R"([{"time": "2026-03-10T09:00:00Z", "txs": [{"signer": "gi-jbra", "action": "gi.plan"}]}])"),
               ScenarioErrorKind::kUnknownSigner, "blocks[0].txs[0].signer");
  expect_error(with_blocks(R"([{"time": "2026-03-10T09:00:00Z", "txs": [{"signer": "rvdk"}]}])"),
               ScenarioErrorKind::kMissingField, "blocks[0].txs[0].action");
  expect_error(with_blocks(R"([{"time": "2026-03-10T09:00:00Z", "txs": [{"action": "a"}]}])"),
               ScenarioErrorKind::kMissingField, "blocks[0].txs[0].signer");
  expect_error(with_blocks(R"([{"time": "2026-03-10T09:00:00Z", "txs": [{"signer": "rvdk", "signers": ["rvdk"], "action": "a"}]}])"),
               ScenarioErrorKind::kBadValue, "blocks[0].txs[0].signer");
  expect_error(with_blocks(R"([{"time": "2026-03-10T09:00:00Z", "txs": [{"signers": ["rvdk", "nobody"], "action": "a"}]}])"),
               ScenarioErrorKind::kUnknownSigner, "blocks[0].txs[0].signers[1]");
  expect_error(with_blocks(R"([{"time": "2026-03-10T09:00:00Z", "txs": [{"signer": "rvdk", "action": "a", "args": {"x": 1.5}}]}])"),
               ScenarioErrorKind::kUnknownArgType, "blocks[0].txs[0].args.x");
  expect_error(with_blocks(R"([{"time": "2026-03-10T09:00:00Z", "txs": [{"signer": "rvdk", "action": "a", "args": {"x": null}}]}])"),
               ScenarioErrorKind::kUnknownArgType, "blocks[0].txs[0].args.x");
  expect_error(with_blocks(R"([{"time": "2026-03-10T09:00:00Z", "txs": [{"signer": "rvdk", "action": "a", "args": {"x": ["a"]}}]}])"),
               ScenarioErrorKind::kUnknownArgType, "blocks[0].txs[0].args.x");
  expect_error(with_blocks(R"([{"time": "2026-03-10T09:00:00Z", "txs": [{"signer": "rvdk", "action": "a", "args": {"x": {"sha": "ab"}}}]}])"),
               ScenarioErrorKind::kUnknownArgType, "blocks[0].txs[0].args.x");
  expect_error(with_blocks(R"([{"time": "2026-03-10T09:00:00Z", "txs": [{"signer": "rvdk", "action": "a", "args": {"x": {"hash": "abc"}}}]}])"),
               ScenarioErrorKind::kBadHash, "blocks[0].txs[0].args.x.hash");
  expect_error(with_blocks(R"([{"time": "2026-03-10T09:00:00Z", "txs": [{"signer": "rvdk", "action": "a", "nonce": -1}]}])"),
               ScenarioErrorKind::kBadValue, "blocks[0].txs[0].nonce");
  expect_error(with_blocks(R"([{"time": "2026-03-10T09:00:00Z", "txs": [{"signer": "rvdk", "action": "a", "args": {"x": 18446744073709551615}}]}])"),
               ScenarioErrorKind::kBadValue, "blocks[0].txs[0].args.x");
}

TEST(ScenarioParse, AnOutsiderMaySignButNotBeAMember) {
  ParsedScenario p = parse_scenario(with_blocks(
      R"([{"time": "2026-03-10T09:00:00Z", "txs": [{"signer": "mallory", "action": "case.open"}]}])",
      R"("outsiders": ["mallory"],)"));
  ASSERT_TRUE(p.ok()) << p.error.to_string();
  EXPECT_EQ(p.scenario->outsiders, std::vector<std::string>{"mallory"});
}

TEST(ScenarioParse, MissingFileIsAnIoError) {
  ParsedScenario p = load_scenario("/nonexistent/scenario.json");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error.kind, ScenarioErrorKind::kIo);
}

TEST(UtcTime, ParsesAndFormatsIso8601Utc) {
  EXPECT_EQ(parse_utc_time("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(parse_utc_time("2027-03-14T23:00:00Z"), 1'805'065'200'000);
  EXPECT_EQ(parse_utc_time("1969-12-31T23:59:59.999Z"), -1);
  EXPECT_EQ(parse_utc_time("2024-02-29T12:00:00Z"), 1'709'208'000'000);
  EXPECT_EQ(parse_utc_time("2027-03-14T23:00:00"), std::nullopt);
  EXPECT_EQ(parse_utc_time("2027-03-14T23:00:00.5Z"), std::nullopt);
  EXPECT_EQ(format_utc_time(1'805'065'200'000), "2027-03-14T23:00:00Z");
  EXPECT_EQ(format_utc_time(-1), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(format_utc_time(1'773'133'200'001), "2026-03-10T09:00:00.001Z");
}

}  // namespace
}  // namespace joet::replay
