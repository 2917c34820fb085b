// Rules version 2 (docs/decisions/0016-rules-version-2.md): what it changes, each pinned against
// version 1 running the same blocks, so that old blocks keep re-executing as they ran.
#include <gtest/gtest.h>

#include "contracts/contracts_test_support.h"
#include "contracts/court.h"
#include "contracts/deadlines.h"
#include "contracts/privacy.h"
#include "contracts/stuurinformatie.h"

namespace joet {
namespace {

using namespace joet::testing;  // NOLINT

using Names = std::vector<std::string>;

TEST(RulesV2, ANewGenesisCanStartUnderVersionTwoAndTheHeaderSaysSo) {
  Chain chain(2);
  EXPECT_EQ(rules_version_at(chain.store, 1).value(), 2u);
  EXPECT_EQ(chain.run(utc_ms(2026, 3, 10, 9)).rules_version, 2u);
  auto unknown = genesis_rules_writes(latest_rules_version() + 1);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, ErrorCode::kInvalidArgument);
  EXPECT_TRUE(genesis_rules_writes(1).value().empty()) << "version 1 is the state without c/meta/rules";
}

// Version 3 changes no contract: it is version 2 with the results under the header (decision 0017),
// so every handler runs under it as under version 2.
TEST(RulesV3, VersionThreeIsVersionTwoWithTheResultsCommitted) {
  EXPECT_EQ(latest_rules_version(), 3u);
  const Statute* v2 = find_rules(built_in_rules(), 2);
  const Statute* v3 = find_rules(built_in_rules(), 3);
  ASSERT_TRUE(v2 != nullptr && v3 != nullptr);
  EXPECT_FALSE(v2->commits_results);
  EXPECT_TRUE(v3->commits_results);
  Statute as_v2 = *v3;
  as_v2.version = 2;
  as_v2.commits_results = false;
  EXPECT_EQ(as_v2, *v2);
}

// The quarterly progress deadlines of an OTS 2026-01-31 .. 2027-01-31 are due 2026-04-30, 2026-07-31
// and 2026-10-31 (00:00 Amsterdam). A first block after them all on 2026-11-02: each queued the next
// when it fired.
std::vector<std::string> progress_quarters_fired_in_one_late_block(uint32_t version) {
  Chain chain(version);
  EXPECT_TRUE(chain.open_case(utc_ms(2026, 1, 20)).ok);
  EXPECT_TRUE(chain.file(utc_ms(2026, 1, 21), kRvdk, "req-ots", "OTS").ok);
  EXPECT_TRUE(chain.decide(utc_ms(2026, 1, 31, 9), "req-ots", "2026-01-31", "2027-01-31").ok);
  const size_t before = chain.events.size();
  chain.run(utc_ms(2026, 11, 2, 9));
  std::vector<std::string> quarters;
  for (size_t i = before; i < chain.events.size(); ++i) {
    const cv1::Event& e = chain.events[i];
    if (e.kind() == "PROGRESS_MISSED" && e.recipient() == kGi) quarters.push_back(e.detail());
  }
  return quarters;
}

TEST(RulesV2, DeadlinesThatComeDueWhileOthersFireAllFireInTheFirstBlockAfterThem) {
  EXPECT_EQ(progress_quarters_fired_in_one_late_block(2), (Names{"Q1", "Q2", "Q3"}));
}

// BlockExecution.deadlines names what begin-block took from the queue, cascaded ones included.
TEST(RulesV2, TheBlockSaysWhichDeadlinesItFired) {
  Chain chain(2);
  ASSERT_TRUE(chain.open_case(utc_ms(2026, 1, 20)).ok);
  ASSERT_TRUE(chain.file(utc_ms(2026, 1, 21), kRvdk, "req-ots", "OTS").ok);
  ASSERT_TRUE(chain.decide(utc_ms(2026, 1, 31, 9), "req-ots", "2026-01-31", "2027-01-31").ok);
  const BlockExecution late = chain.run(utc_ms(2026, 11, 2, 9));
  size_t progress = 0;
  for (const cv1::Deadline& d : late.deadlines) progress += d.kind() == "D-PROGRESS" ? 1 : 0;
  EXPECT_EQ(progress, 3u);
  EXPECT_TRUE(chain.run(utc_ms(2026, 11, 3, 9)).deadlines.empty());
}

TEST(RulesV2, VersionOneStillFiresOneQuarterPerBlockAsItsBlocksDid) {
  EXPECT_EQ(progress_quarters_fired_in_one_late_block(1), (Names{"Q1"}));
}

// A deadline queued by a firing one takes its (due, id) place among the deadlines queued before the
// block: D-PLAN (due 2026-03-14, queued at the grant) fires first, then Q1, and Q2 and Q3 as each is
// queued by the one before.
TEST(RulesV2, CascadedDeadlinesFireInDueOrderAmongTheQueuedOnes) {
  Chain chain(2);
  ASSERT_TRUE(chain.open_case(utc_ms(2026, 1, 20)).ok);
  ASSERT_TRUE(chain.file(utc_ms(2026, 1, 21), kRvdk, "req-ots", "OTS").ok);
  ASSERT_TRUE(chain.decide(utc_ms(2026, 1, 31, 9), "req-ots", "2026-01-31", "2027-01-31").ok);
  const size_t before = chain.events.size();
  chain.run(utc_ms(2027, 1, 10, 9));  // past the filing reminders and the non-extension notice too
  std::vector<std::string> order;
  for (size_t i = before; i < chain.events.size(); ++i) {
    if (chain.events[i].recipient() == kGi) order.push_back(chain.events[i].kind() + ":" + chain.events[i].detail());
  }
  auto at = [&](const std::string& what) {
    auto it = std::find(order.begin(), order.end(), what);
    EXPECT_NE(it, order.end()) << what << " did not fire; fired: " << ::testing::PrintToString(order);
    return it - order.begin();
  };
  const auto plan = at("PLAN_MISSED:D-PLAN");
  EXPECT_LT(plan, at("PROGRESS_MISSED:Q1"));
  EXPECT_LT(at("PROGRESS_MISSED:Q1"), at("PROGRESS_MISSED:Q2"));
  EXPECT_LT(at("PROGRESS_MISSED:Q2"), at("PROGRESS_MISSED:Q3"));
}

TEST(RulesV2, ACodeWithAnEmbeddedBsnIsRefusedAndVersionOneAcceptedIt) {
  for (uint32_t version : {1u, 2u}) {
    Chain chain(version);
    const TxResult r = chain.open_case(utc_ms(2026, 3, 10, 9), "c123456782");
    if (version == 1) {
      EXPECT_TRUE(r.ok) << "version 1 checked only whole 9-digit codes";
    } else {
      EXPECT_EQ(r.code, "BAD_FIELD");
      EXPECT_NE(r.message.find("argument 'case'"), std::string::npos) << r.message;
      EXPECT_NE(r.message.find("BSN"), std::string::npos) << r.message;
    }
  }
  Chain chain(2);
  EXPECT_TRUE(chain.open_case(utc_ms(2026, 3, 10, 9), "c123456789").ok) << "9 digits that fail the elfproef are no BSN";
  const TxResult in_name = chain.run_one(utc_ms(2026, 3, 10, 10),
                                         chain.tx(kRvdk, "document.anchor",
                                                  {text("case", "c123456789"), hash_arg("document", "d"),
                                                   text("x123456782", "y")}));
  EXPECT_EQ(in_name.code, "BAD_FIELD");
  EXPECT_NE(in_name.message.find("argument name"), std::string::npos) << in_name.message;
}

// The standard OTS filed; a grant with the given ground args.
TxResult grant_with(Chain& chain, std::vector<v1::Arg> grounds) {
  EXPECT_TRUE(chain.open_case(utc_ms(2026, 3, 10, 9)).ok);
  EXPECT_TRUE(chain.file(utc_ms(2026, 3, 11, 9), kRvdk, "req-ots", "OTS").ok);
  std::vector<v1::Arg> args = {text("case", "case-001"), text("request", "req-ots"), text("outcome", "GRANTED"),
                               text("start_date", "2026-03-15"), text("end_date", "2027-03-15")};
  for (v1::Arg& g : grounds) args.push_back(std::move(g));
  return chain.run_one(utc_ms(2026, 3, 15, 9), chain.tx(kCourt, "court.decide", std::move(args)));
}

TEST(RulesV2, AGrantWithoutGroundsIsRefused) {
  Chain chain(2);
  const TxResult r = grant_with(chain, {});
  EXPECT_EQ(r.code, "GROUNDS_MISSING");
  EXPECT_NE(r.message.find("1:255"), std::string::npos) << r.message;
  EXPECT_EQ(chain.case_record().measure().kind(), cv1::MEASURE_KIND_UNSPECIFIED) << "a refusal changes nothing";
}

TEST(RulesV2, GroundsMustBeKnownCategoriesNumberedFromZeroWithoutRepeats) {
  struct Bad {
    std::vector<v1::Arg> args;
    std::string why;
  };
  const std::vector<Bad> bad = {
      {{text("ground.0", "ARMOEDE")}, "unknown value"},
      {{text("ground.0", "ACUUT_ONTWIKKELINGSGEVAAR"), text("ground.2", "ONGUNSTIGE_THUISSITUATIE")}, "ground.0 .. ground.1"},
      {{text("ground.0", "ACUUT_ONTWIKKELINGSGEVAAR"), text("ground.1", "ACUUT_ONTWIKKELINGSGEVAAR")}, "twice"},
      {{integer("ground.0", 1)}, "not text"},
  };
  for (const Bad& b : bad) {
    Chain chain(2);
    const TxResult r = grant_with(chain, b.args);
    EXPECT_EQ(r.code, "BAD_FIELD") << b.why;
    EXPECT_NE(r.message.find(b.why), std::string::npos) << r.message;
  }
}

TEST(RulesV2, AGrantKeepsItsGroundsAscendingAndAnExtensionReplacesThem) {
  Chain chain(2);
  ASSERT_TRUE(grant_with(chain, {text("ground.0", "ONGUNSTIGE_THUISSITUATIE"), text("ground.1", "ACUUT_ONTWIKKELINGSGEVAAR")}).ok);
  const cv1::Case c = chain.case_record();
  ASSERT_EQ(c.measure().grounds_size(), 2);
  EXPECT_EQ(c.measure().grounds(0), "ACUUT_ONTWIKKELINGSGEVAAR");
  EXPECT_EQ(c.measure().grounds(1), "ONGUNSTIGE_THUISSITUATIE");
  chain.grounds = {"GEBREKKIGE_OUDERLIJKE_VAARDIGHEDEN"};
  ASSERT_TRUE(chain.file(utc_ms(2027, 2, 1, 9), kGi, "req-ext", "EXTEND_OTS").ok);
  ASSERT_TRUE(chain.decide(utc_ms(2027, 2, 10, 9), "req-ext", "2027-03-15", "2028-03-15").ok);
  ASSERT_EQ(chain.case_record().measure().grounds_size(), 1);
  EXPECT_EQ(chain.case_record().measure().grounds(0), "GEBREKKIGE_OUDERLIJKE_VAARDIGHEDEN");
}

TEST(RulesV2, VersionOneIgnoresGroundArgsAsItsBuildsDid) {
  Chain chain(1);
  ASSERT_TRUE(grant_with(chain, {text("ground.0", "ACUUT_ONTWIKKELINGSGEVAAR")}).ok);
  EXPECT_EQ(chain.case_record().measure().grounds_size(), 0);
  const Stuurinformatie r = stuurinformatie(chain.store, {2026, 3}, {2026, 3}).value();
  EXPECT_TRUE(r.grounds.empty());
}

// Five cases granted in March 2026 on ACUUT_ONTWIKKELINGSGEVAAR, four of them also on
// ONGUNSTIGE_THUISSITUATIE: the first cell is reported (5), the second suppressed (4).
TEST(RulesV2, TheGroundsTableCountsGrantsPerMonthGroundAndGiAndSuppressesSmallCells) {
  Chain chain(2);
  const int64_t t = utc_ms(2026, 3, 15, 9);
  auto id = [](int i) { return "case-" + std::to_string(100 + i); };
  std::vector<v1::SignedTx> txs;
  for (int i = 0; i < 5; ++i) txs.push_back(open_case_tx(chain, id(i)));
  for (const TxResult& r : chain.run(t, std::move(txs)).results) ASSERT_TRUE(r.ok) << r.message;
  txs.clear();
  for (int i = 0; i < 5; ++i) {
    txs.push_back(chain.tx(kRvdk, "request.file", {text("case", id(i)), text("request", "r"), text("kind", "OTS"),
                                                   hash_arg("document", "r"), text("gi", std::string(kGi))}));
  }
  for (const TxResult& r : chain.run(t, std::move(txs)).results) ASSERT_TRUE(r.ok) << r.message;
  txs.clear();
  for (int i = 0; i < 5; ++i) {
    std::vector<v1::Arg> args = {text("case", id(i)), text("request", "r"), text("outcome", "GRANTED"),
                                 text("start_date", "2026-03-15"), text("end_date", "2027-03-15"),
                                 text("ground.0", "ACUUT_ONTWIKKELINGSGEVAAR")};
    if (i < 4) args.push_back(text("ground.1", "ONGUNSTIGE_THUISSITUATIE"));
    txs.push_back(chain.tx(kCourt, "court.decide", std::move(args)));
  }
  for (const TxResult& r : chain.run(t, std::move(txs)).results) ASSERT_TRUE(r.ok) << r.message;
  const Stuurinformatie r = stuurinformatie(chain.store, {2026, 3}, {2026, 4}).value();
  ASSERT_EQ(r.grounds.size(), 2u);
  EXPECT_EQ(r.grounds[0].kind, "ACUUT_ONTWIKKELINGSGEVAAR");
  EXPECT_EQ(r.grounds[0].institution, kGi);
  EXPECT_EQ(r.grounds[0].cases, 5u);
  EXPECT_FALSE(r.grounds[0].suppressed);
  EXPECT_EQ(r.grounds[1].kind, "ONGUNSTIGE_THUISSITUATIE");
  EXPECT_TRUE(r.grounds[1].suppressed);
  EXPECT_EQ(r.grounds[1].cases, 0u);
  EXPECT_TRUE(r.missed_deadlines.empty()) << "a ground is not a missed deadline";
}

// The standard OTS of 2026-03-15 without a jeugdbeschermer: D-ASSIGN (start + 5 days) fires missed.
TEST(RulesV2, AMissedAssignmentIsAlsoTheMunicipalitysSignal) {
  for (uint32_t version : {1u, 2u}) {
    Chain chain(version);
    chain.grant_standard_ots();
    chain.run(utc_ms(2026, 3, 21, 9));
    ASSERT_EQ(chain.count("ASSIGN_MISSED"), 2u) << "to the municipality and the GI, in both versions";
    ContractState state(chain.store);
    const uint64_t gi_fact = state.get_u64(state_keys::stat("202603", "ASSIGN_MISSED", kGi)).value();
    const uint64_t signal =
        state.get_u64(state_keys::stat("202603", kNoJeugdbeschermerSignal, kMunicipality)).value();
    EXPECT_EQ(gi_fact, 1u);
    EXPECT_EQ(signal, version >= 2 ? 1u : 0u) << "version " << version;
  }
}

}  // namespace
}  // namespace joet
