// Costs (rules version 2, contracts/costs.h): who may record them, what is refused, and the costs table
// of the stuurinformatie with hand-computed amounts. Cells of fewer than 5 distinct cases are suppressed.
#include "contracts/costs.h"

#include <gtest/gtest.h>

#include "contracts/contracts_test_support.h"
#include "contracts/stuurinformatie.h"

namespace joet {
namespace {

using namespace joet::testing;  // NOLINT

std::string case_name(int i) { return "case-" + std::to_string(100 + i); }

// n cases with an OTS 2026-03-15 .. 2027-03-15 of kGi, granted on 2026-03-15.
void grant_cases(Chain& chain, int n) {
  const int64_t t = utc_ms(2026, 3, 15, 9);
  std::vector<v1::SignedTx> txs;
  for (int i = 0; i < n; ++i) txs.push_back(open_case_tx(chain, case_name(i)));
  for (const TxResult& r : chain.run(t, std::move(txs)).results) ASSERT_TRUE(r.ok) << r.message;
  txs.clear();
  for (int i = 0; i < n; ++i) {
    txs.push_back(chain.tx(kRvdk, "request.file", {text("case", case_name(i)), text("request", "r"), text("kind", "OTS"),
                                                   hash_arg("document", "r"), text("gi", std::string(kGi))}));
  }
  for (const TxResult& r : chain.run(t, std::move(txs)).results) ASSERT_TRUE(r.ok) << r.message;
  txs.clear();
  for (int i = 0; i < n; ++i) {
    std::vector<v1::Arg> args = {text("case", case_name(i)), text("request", "r"), text("outcome", "GRANTED"),
                                 text("start_date", "2026-03-15"), text("end_date", "2027-03-15")};
    for (v1::Arg& g : chain.ground_args()) args.push_back(std::move(g));
    txs.push_back(chain.tx(kCourt, "court.decide", std::move(args)));
  }
  for (const TxResult& r : chain.run(t, std::move(txs)).results) ASSERT_TRUE(r.ok) << r.message;
}

v1::SignedTx project(Chain& chain, int i, std::string basis, int64_t cents, std::string_view signer = kMunicipality,
                     std::string measure = "OTS") {
  return chain.tx(signer, "cost.project", {text("case", case_name(i)), text("measure", measure),
                                           text("basis", basis), integer("amount_cents", cents)});
}

v1::SignedTx invoice(Chain& chain, int i, std::string id, std::string month, int64_t cents, std::string measure = "OTS") {
  return chain.tx(kMunicipality, "cost.invoice", {text("case", case_name(i)), text("invoice", id), text("measure", measure),
                                                  text("month", month), integer("amount_cents", cents)});
}

const AmountCell* find(const Stuurinformatie& r, CivilMonth month, std::string_view kind) {
  for (const AmountCell& c : r.costs) {
    if (c.cell.month == month && c.cell.kind == kind && c.cell.institution == kGi) return &c;
  }
  return nullptr;
}

TEST(Costs, VersionOneHasNoCostActions) {
  Chain chain(1);
  grant_cases(chain, 1);
  const TxResult r = chain.run_one(utc_ms(2026, 3, 16, 9), project(chain, 0, "PER_DAY", 100));
  EXPECT_EQ(r.code, "UNKNOWN_ACTION");
}

TEST(Costs, OnlyTheCasesMunicipalityRecordsAndOnlyForAMeasureItHas) {
  Chain chain(2);
  grant_cases(chain, 1);
  const int64_t t = utc_ms(2026, 3, 16, 9);
  EXPECT_EQ(chain.run_one(t, project(chain, 0, "PER_DAY", 100, kGi)).code, "NOT_AUTHORIZED");
  EXPECT_EQ(chain.run_one(t, project(chain, 0, "PER_DAY", 100, kMunicipality, "UHP")).code, "NO_MEASURE");
  EXPECT_EQ(chain.run_one(t, invoice(chain, 0, "inv-1", "2026-03", 100, "UHP")).code, "NO_MEASURE");
  EXPECT_EQ(chain.run_one(t, chain.tx(kMunicipality, "cost.project",
                                      {text("case", "case-999"), text("measure", "OTS"), text("basis", "PER_DAY"),
                                       integer("amount_cents", 1)})).code,
            "CASE_UNKNOWN");
  EXPECT_TRUE(chain.run_one(t, project(chain, 0, "PER_DAY", 100)).ok);
  EXPECT_EQ(chain.case_record(case_name(0)).measure().cost_basis(), "PER_DAY");
  EXPECT_EQ(chain.case_record(case_name(0)).measure().cost_cents(), 100);
  EXPECT_EQ(chain.of_kind("COST_PROJECTED").size(), 2u) << "to the GI and the municipality";
}

TEST(Costs, BadAmountsMonthsAndDuplicatesAreRefusedAndChangeNothing) {
  Chain chain(2);
  grant_cases(chain, 1);
  const int64_t t = utc_ms(2026, 3, 16, 9);
  for (int64_t cents : {int64_t{0}, int64_t{-5}, kMaxCostCents + 1}) {
    EXPECT_EQ(chain.run_one(t, project(chain, 0, "PER_DAY", cents)).code, "BAD_FIELD") << cents;
    EXPECT_EQ(chain.run_one(t, invoice(chain, 0, "inv-x", "2026-03", cents)).code, "BAD_FIELD") << cents;
  }
  EXPECT_EQ(chain.run_one(t, project(chain, 0, "PER_WEEK", 100)).code, "BAD_FIELD");
  EXPECT_EQ(chain.run_one(t, invoice(chain, 0, "inv-x", "2026-04", 100)).code, "BAD_FIELD") << "a month not begun";
  EXPECT_EQ(chain.run_one(t, invoice(chain, 0, "inv-x", "2026-3", 100)).code, "BAD_FIELD");
  EXPECT_EQ(chain.case_record(case_name(0)).measure().cost_cents(), 0);
  EXPECT_TRUE(stuurinformatie(chain.store, {2026, 3}, {2026, 4}).value().costs.empty());
  EXPECT_TRUE(chain.run_one(t, invoice(chain, 0, "inv-1", "2026-03", 100)).ok);
  EXPECT_EQ(chain.run_one(t, invoice(chain, 0, "inv-1", "2026-03", 100)).code, "DUPLICATE");
}

// Five cases at 100.00 euro a day from 2026-03-15: March has 17 days (15..31), April 30. A sixth
// case's PER_MEASURE tariff of 5,000.00 counts in March only. Case 0 is lifted on 2026-04-10: it ran
// nine April days.
TEST(Costs, TheProjectionIsTheTariffTimesTheDaysRunPerMonthAndFollowsAnEarlyEnd) {
  Chain chain(2);
  grant_cases(chain, 6);
  std::vector<v1::SignedTx> txs;
  for (int i = 0; i < 5; ++i) txs.push_back(project(chain, i, "PER_DAY", 10'000));
  txs.push_back(project(chain, 5, "PER_MEASURE", 500'000));
  for (const TxResult& r : chain.run(utc_ms(2026, 3, 16, 9), txs).results) ASSERT_TRUE(r.ok) << r.message;
  Stuurinformatie r = stuurinformatie(chain.store, {2026, 3}, {2026, 4}).value();
  const AmountCell* march = find(r, {2026, 3}, kProjectedCost);
  ASSERT_NE(march, nullptr);
  EXPECT_EQ(march->cell.cases, 6u);
  EXPECT_EQ(march->cents, 5 * 17 * 10'000 + 500'000);
  const AmountCell* april = find(r, {2026, 4}, kProjectedCost);
  ASSERT_NE(april, nullptr);
  EXPECT_EQ(april->cell.cases, 5u);
  EXPECT_EQ(april->cents, 5 * 30 * 10'000);

  ASSERT_TRUE(chain.run_one(utc_ms(2026, 4, 1, 9), chain.tx(kCourt, "court.lift",
                                                           {text("case", case_name(0)), text("date", "2026-04-10")})).ok);
  chain.run(utc_ms(2026, 4, 10, 9));  // the lapse on the lift date ends it
  r = stuurinformatie(chain.store, {2026, 3}, {2026, 5}).value();
  EXPECT_EQ(find(r, {2026, 4}, kProjectedCost)->cents, 4 * 30 * 10'000 + 9 * 10'000);
  EXPECT_EQ(find(r, {2026, 3}, kProjectedCost)->cents, 5 * 17 * 10'000 + 500'000) << "the ended measure keeps its tariff";
  const AmountCell* may = find(r, {2026, 5}, kProjectedCost);
  ASSERT_NE(may, nullptr);
  EXPECT_TRUE(may->cell.suppressed) << "four cases run in May";
  EXPECT_EQ(may->cents, 0);
}

// Invoices for March 2026: five cases, case 0 twice; then four cases for April.
TEST(Costs, InvoicedAmountsAreSummedPerMonthAndGiAndEachCaseCountsOnce) {
  Chain chain(2);
  grant_cases(chain, 5);
  std::vector<v1::SignedTx> txs;
  for (int i = 0; i < 5; ++i) txs.push_back(invoice(chain, i, "inv-mar", "2026-03", 12'345));
  txs.push_back(invoice(chain, 0, "inv-mar-2", "2026-03", 55));
  for (const TxResult& r : chain.run(utc_ms(2026, 4, 2, 9), txs).results) ASSERT_TRUE(r.ok) << r.message;
  txs.clear();
  for (int i = 0; i < 4; ++i) txs.push_back(invoice(chain, i, "inv-apr", "2026-04", 1'000));
  for (const TxResult& r : chain.run(utc_ms(2026, 5, 2, 9), txs).results) ASSERT_TRUE(r.ok) << r.message;
  const Stuurinformatie r = stuurinformatie(chain.store, {2026, 3}, {2026, 4}).value();
  const AmountCell* march = find(r, {2026, 3}, kInvoicedCost);
  ASSERT_NE(march, nullptr);
  EXPECT_EQ(march->cell.cases, 5u);
  EXPECT_EQ(march->cents, 5 * 12'345 + 55);
  const AmountCell* april = find(r, {2026, 4}, kInvoicedCost);
  ASSERT_NE(april, nullptr);
  EXPECT_TRUE(april->cell.suppressed);
  EXPECT_EQ(april->cents, 0);
  for (size_t i = 1; i < r.costs.size(); ++i) {
    const auto& a = r.costs[i - 1].cell;
    const auto& b = r.costs[i].cell;
    EXPECT_LE(std::tie(a.month, a.kind, a.institution), std::tie(b.month, b.kind, b.institution)) << "in table order";
  }
}

}  // namespace
}  // namespace joet
