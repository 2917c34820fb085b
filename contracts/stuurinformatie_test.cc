// Stuurinformatie: the facts the contracts record (contracts/statistics.h) and the report over them
// (contracts/stuurinformatie.h), run through real blocks with hand-computed expectations. Cells of
// fewer than 5 distinct cases are suppressed.
#include "contracts/stuurinformatie.h"

#include <map>
#include <optional>

#include <gtest/gtest.h>

#include "contracts/contracts_test_support.h"
#include "contracts/statistics.h"

namespace joet {
namespace {

using namespace joet::testing;  // NOLINT

constexpr CivilMonth kMar2026{2026, 3};
constexpr CivilMonth kApr2026{2026, 4};
constexpr CivilMonth kMay2026{2026, 5};
constexpr CivilMonth kJun2026{2026, 6};
constexpr CivilMonth kJul2026{2026, 7};

std::string case_name(int i) { return "case-" + std::to_string(100 + i); }

Stuurinformatie report(const Chain& chain, CivilMonth from, CivilMonth to) {
  auto r = stuurinformatie(chain.store, from, to);
  JOET_ASSERT(r.ok());
  return std::move(r).value();
}

const StatCell* find(const std::vector<StatCell>& table, CivilMonth month, std::string_view kind,
                     std::string_view institution) {
  for (const StatCell& c : table) {
    if (c.month == month && c.kind == kind && c.institution == institution) return &c;
  }
  return nullptr;
}

const DaysCell* find(const std::vector<DaysCell>& table, CivilMonth month, std::string_view kind,
                     std::string_view institution) {
  for (const DaysCell& c : table) {
    if (c.cell.month == month && c.cell.kind == kind && c.cell.institution == institution) return &c;
  }
  return nullptr;
}

// Opens case-100 .. case-(100+n-1) on 2026-03-10 and files an OTS request for each on 2026-03-11.
void open_cases(Chain& chain, int n, int64_t open_ms = utc_ms(2026, 3, 10, 9)) {
  std::vector<v1::SignedTx> opens, files;
  for (int i = 0; i < n; ++i) {
    opens.push_back(chain.tx(kRvdk, "case.open",
                             {text("case", case_name(i)), text("majority_date", "2035-01-01"),
                              text("municipality", std::string(kMunicipality))}));
  }
  for (const TxResult& r : chain.run(open_ms, std::move(opens)).results) ASSERT_TRUE(r.ok) << r.message;
  for (int i = 0; i < n; ++i) {
    files.push_back(chain.tx(kRvdk, "request.file",
                             {text("case", case_name(i)), text("request", "req-ots"), text("kind", "OTS"),
                              hash_arg("document", "req-ots"), text("gi", std::string(kGi))}));
  }
  for (const TxResult& r : chain.run(open_ms + kMsPerDay, std::move(files)).results) ASSERT_TRUE(r.ok) << r.message;
}

// Grants case-100 + i an OTS from `start` to ends[i], all decided in one block at `decide_ms`.
void grant_all(Chain& chain, int64_t decide_ms, const std::string& start, const std::vector<std::string>& ends) {
  std::vector<v1::SignedTx> txs;
  for (size_t i = 0; i < ends.size(); ++i) {
    txs.push_back(chain.tx(kCourt, "court.decide",
                           {text("case", case_name(static_cast<int>(i))), text("request", "req-ots"),
                            text("outcome", "GRANTED"), text("start_date", start), text("end_date", ends[i])}));
  }
  for (const TxResult& r : chain.run(decide_ms, std::move(txs)).results) ASSERT_TRUE(r.ok) << r.message;
}

v1::SignedTx complaint(Chain& chain, int i, const std::string& id) {
  return chain.tx(kMunicipality, "complaint.file",
                  {text("case", case_name(i)), text("complaint", id), text("filed_for", "PARENT"),
                   hash_arg("document", id)});
}

uint64_t stored_u64(const Chain& chain, const Bytes& key) {
  ContractState state(chain.store);
  auto v = state.get_u64(key);
  JOET_ASSERT(v.ok());
  return *v;
}

// Complaints filed with the municipality: cases 0..4 in March (case 0 twice), cases 5..8 in April.
TEST(Stuurinformatie, ACellOfFourCasesIsSuppressedAndOneOfFiveIsReported) {
  Chain chain;
  open_cases(chain, 9);
  std::vector<v1::SignedTx> march, april;
  for (int i = 0; i < 5; ++i) march.push_back(complaint(chain, i, "k-1"));
  march.push_back(complaint(chain, 0, "k-2"));  // a second complaint on case 0: still one case
  for (int i = 5; i < 9; ++i) april.push_back(complaint(chain, i, "k-1"));
  for (const TxResult& r : chain.run(utc_ms(2026, 3, 20, 9), std::move(march)).results) ASSERT_TRUE(r.ok);
  for (const TxResult& r : chain.run(utc_ms(2026, 4, 20, 9), std::move(april)).results) ASSERT_TRUE(r.ok);

  const Stuurinformatie s = report(chain, kMar2026, kApr2026);
  ASSERT_EQ(s.complaints.size(), 2u);
  const StatCell* mar = find(s.complaints, kMar2026, "", kMunicipality);
  ASSERT_NE(mar, nullptr);
  EXPECT_FALSE(mar->suppressed);
  EXPECT_EQ(mar->cases, 5u);
  const StatCell* apr = find(s.complaints, kApr2026, "", kMunicipality);
  ASSERT_NE(apr, nullptr);
  EXPECT_TRUE(apr->suppressed);
  EXPECT_EQ(apr->cases, 0u);  // no number behind a suppressed cell
  EXPECT_EQ(stored_u64(chain, state_keys::stat("202604", "COMPLAINT", kMunicipality)), 4u);
}

// D-CONTACT with interval 1 (+ grace 7): an arrangement on 04-01 is missed on 04-09, a new one on
// 04-10 is missed on 04-18. Two CONTACT_MISSED events, one case in the cell.
TEST(Stuurinformatie, TheSameCaseMissingTheSameDeadlineTwiceInAMonthCountsOnce) {
  Chain chain;
  chain.grant_standard_ots();
  const auto arrange = [&](int64_t t) {
    return chain.run_one(t, chain.tx(kCourt, "court.contact_arrangement",
                                     {text("case", "case-001"), integer("interval_days", 1)}));
  };
  ASSERT_TRUE(arrange(utc_ms(2026, 4, 1, 9)).ok);
  chain.run(utc_ms(2026, 4, 9, 9));
  ASSERT_TRUE(arrange(utc_ms(2026, 4, 10, 9)).ok);
  chain.run(utc_ms(2026, 4, 18, 9));
  ASSERT_EQ(chain.count("CONTACT_MISSED"), 2u * 3);  // two misses, each to the GI, municipality, RvdK
  EXPECT_EQ(stored_u64(chain, state_keys::stat("202604", "CONTACT_MISSED", kGi)), 1u);
  EXPECT_EQ(stored_u64(chain, state_keys::stat_case("202604", "CONTACT_MISSED", kGi, "case-001")), 1u);
}

// Six OTS from 2026-03-15 (mid-month) to 06-01, 06-02, 06-03, 06-10, 06-20, 06-30. The one ending on
// 06-01 (exclusive) does not run in June. Durations 78, 79, 80, 87, 97, 107 days: mean 528 / 6 = 88,
// median (80 + 87) / 2 = 83.
class SixShortOts : public ::testing::Test {
 protected:
  void SetUp() override {
    open_cases(chain, 6);
    grant_all(chain, utc_ms(2026, 3, 15, 9), "2026-03-15",
              {"2026-06-01", "2026-06-02", "2026-06-03", "2026-06-10", "2026-06-20", "2026-06-30"});
  }
  void expect_running(const Stuurinformatie& s) {
    for (CivilMonth m : {kMar2026, kApr2026, kMay2026}) {
      const StatCell* c = find(s.running, m, "OTS", kGi);
      ASSERT_NE(c, nullptr) << to_string(m);
      EXPECT_FALSE(c->suppressed);
      EXPECT_EQ(c->cases, 6u) << to_string(m);
    }
    const StatCell* june = find(s.running, kJun2026, "OTS", kGi);
    ASSERT_NE(june, nullptr);
    EXPECT_EQ(june->cases, 5u);
    EXPECT_EQ(find(s.running, kJul2026, "OTS", kGi), nullptr);
    EXPECT_EQ(s.running.size(), 4u);
  }
  Chain chain;
};

TEST_F(SixShortOts, RunningCountsAMidMonthStartAndNotAnEndOnTheFirst) {
  expect_running(report(chain, kMar2026, kJul2026));
  EXPECT_TRUE(report(chain, kMar2026, kJul2026).ended.empty());  // all still ACTIVE
}

TEST_F(SixShortOts, EndedMeasuresGiveTheSameRunningMonthsAndTheirDurations) {
  chain.run(utc_ms(2026, 7, 1, 9));  // every lapse fires
  const Stuurinformatie s = report(chain, kMar2026, kJul2026);
  expect_running(s);
  ASSERT_EQ(s.ended.size(), 1u);
  const DaysCell& ended = s.ended[0];
  EXPECT_EQ(ended.cell.month, kJun2026);
  EXPECT_EQ(ended.cell.kind, "OTS");
  EXPECT_FALSE(ended.cell.suppressed);
  EXPECT_EQ(ended.cell.cases, 6u);
  EXPECT_EQ(ended.measures, 6u);
  EXPECT_EQ(ended.mean_days, 88);
  EXPECT_EQ(ended.median_days, 83);
}

// D-ASSIGN is due 03-20 and D-PLAN 04-26 (start + 5 / + 42 days); they fire in the July block but
// count in the month they were due, for the GI that had to act. D-PROGRESS Q1 (06-15) is missed by
// the two OTS still running then: a suppressed cell.
TEST_F(SixShortOts, AMissedDeadlineCountsInTheMonthItWasDueForTheGi) {
  chain.run(utc_ms(2026, 7, 1, 9));
  const Stuurinformatie s = report(chain, kMar2026, kJul2026);
  const StatCell* assign = find(s.missed_deadlines, kMar2026, "ASSIGN_MISSED", kGi);
  ASSERT_NE(assign, nullptr);
  EXPECT_EQ(assign->cases, 6u);
  const StatCell* plan = find(s.missed_deadlines, kApr2026, "PLAN_MISSED", kGi);
  ASSERT_NE(plan, nullptr);
  EXPECT_EQ(plan->cases, 6u);
  const StatCell* progress = find(s.missed_deadlines, kJun2026, "PROGRESS_MISSED", kGi);
  ASSERT_NE(progress, nullptr);
  EXPECT_TRUE(progress->suppressed);
  EXPECT_EQ(find(s.missed_deadlines, kJul2026, "ASSIGN_MISSED", kGi), nullptr);
}

// Five OTS from 2026-03-15, assigned on 03-16, 03-18, 03-20, 03-25 and 04-04: 1, 3, 5, 10 and 20
// days, mean 39 / 5 = 7, median 5. A later change of jeugdbeschermer does not move the first day. A
// sixth OTS starting in April, assigned: a suppressed cell.
TEST(Stuurinformatie, DaysFromMeasureStartToFirstAssignment) {
  Chain chain;
  open_cases(chain, 6);
  grant_all(chain, utc_ms(2026, 3, 15, 9), "2026-03-15",
            {"2027-03-15", "2027-03-15", "2027-03-15", "2027-03-15", "2027-03-15"});
  ASSERT_TRUE(chain.run_one(utc_ms(2026, 3, 15, 10), chain.tx(kGi, "professional.register",
                                                               {text("professional", "jb-1"),
                                                                text("skj_valid_until", "2030-01-01")}))
                  .ok);
  ASSERT_TRUE(chain.run_one(utc_ms(2026, 3, 15, 11), chain.tx(kGi, "professional.register",
                                                               {text("professional", "jb-2"),
                                                                text("skj_valid_until", "2030-01-01")}))
                  .ok);
  const auto assign = [&](int64_t t, int i, std::string who) {
    return chain.run_one(t, chain.tx(kGi, "gi.assign", {text("case", case_name(i)), text("professional", who)}));
  };
  const int64_t days[] = {utc_ms(2026, 3, 16, 9), utc_ms(2026, 3, 18, 9), utc_ms(2026, 3, 20, 9),
                          utc_ms(2026, 3, 25, 9), utc_ms(2026, 4, 4, 9)};
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(assign(days[i], i, "jb-1").ok);
  ASSERT_TRUE(assign(utc_ms(2026, 4, 5, 9), 0, "jb-2").ok);  // a change: not a first assignment
  ASSERT_TRUE(chain.decide(utc_ms(2026, 4, 6, 9), "req-ots", "2026-04-06", "2027-04-06", case_name(5)).ok);
  ASSERT_TRUE(assign(utc_ms(2026, 4, 7, 9), 5, "jb-1").ok);
  EXPECT_EQ(chain.case_record(case_name(0)).measure().first_assigned_day(), days_from_civil(CivilDate{2026, 3, 16}));

  const Stuurinformatie s = report(chain, kMar2026, kApr2026);
  ASSERT_EQ(s.assignment.size(), 2u);
  const DaysCell* mar = find(s.assignment, kMar2026, "", kGi);
  ASSERT_NE(mar, nullptr);
  EXPECT_EQ(mar->cell.cases, 5u);
  EXPECT_EQ(mar->measures, 5u);
  EXPECT_EQ(mar->mean_days, 7);
  EXPECT_EQ(mar->median_days, 5);
  const DaysCell* apr = find(s.assignment, kApr2026, "", kGi);
  ASSERT_NE(apr, nullptr);
  EXPECT_TRUE(apr->cell.suppressed);
  EXPECT_EQ(apr->mean_days, 0);
  EXPECT_EQ(apr->median_days, 0);
}

// Five OTS extended: the requests (no plan or progress in 6 months) raise SIGNAL_EXTENSION_WITHOUT_REPORT
// for the municipality; the grants count as extensions of the GI.
TEST(Stuurinformatie, ExtensionsAndSignalsAreCountedPerMonth) {
  Chain chain;
  open_cases(chain, 5);
  grant_all(chain, utc_ms(2026, 3, 15, 9), "2026-03-15",
            {"2027-03-15", "2027-03-15", "2027-03-15", "2027-03-15", "2027-03-15"});
  std::vector<v1::SignedTx> requests, grants;
  for (int i = 0; i < 5; ++i) {
    requests.push_back(chain.tx(kGi, "request.file",
                                {text("case", case_name(i)), text("request", "req-ext"), text("kind", "EXTEND_OTS"),
                                 hash_arg("document", "req-ext")}));
    grants.push_back(chain.tx(kCourt, "court.decide",
                              {text("case", case_name(i)), text("request", "req-ext"), text("outcome", "GRANTED"),
                               text("start_date", "2027-03-15"), text("end_date", "2028-03-15")}));
  }
  for (const TxResult& r : chain.run(utc_ms(2027, 1, 10, 9), std::move(requests)).results) ASSERT_TRUE(r.ok);
  for (const TxResult& r : chain.run(utc_ms(2027, 2, 10, 9), std::move(grants)).results) ASSERT_TRUE(r.ok);

  const Stuurinformatie s = report(chain, CivilMonth{2027, 1}, CivilMonth{2027, 2});
  const StatCell* signal = find(s.signals, CivilMonth{2027, 1}, "SIGNAL_EXTENSION_WITHOUT_REPORT", kMunicipality);
  ASSERT_NE(signal, nullptr);
  EXPECT_EQ(signal->cases, 5u);
  ASSERT_EQ(s.extensions.size(), 1u);
  EXPECT_EQ(s.extensions[0].month, (CivilMonth{2027, 2}));
  EXPECT_EQ(s.extensions[0].kind, "OTS");
  EXPECT_EQ(s.extensions[0].institution, kGi);
  EXPECT_EQ(s.extensions[0].cases, 5u);
  // Months outside the range are not read.
  EXPECT_TRUE(report(chain, CivilMonth{2027, 3}, CivilMonth{2027, 3}).extensions.empty());
}

// The UHP granted on 2026-05-10 and never carried out lapses by D-UHP3M on 2026-08-10: its period ends
// there (not on its end date 2027-03-15) and UHP_LAPSED counts for the GI.
TEST(Stuurinformatie, AUhpNotCarriedOutEndsOnItsLapseDayAndCountsForTheGi) {
  Chain chain;
  chain.grant_standard_uhp();
  chain.run(utc_ms(2026, 8, 10, 9));
  ASSERT_EQ(chain.count("UHP_LAPSED"), 3u);  // one lapse, to the court, the RvdK, the municipality
  ContractState state(chain.store);
  auto p = state.get<cv1::MeasurePeriod>(state_keys::measure_period("case-001", 0));
  ASSERT_TRUE(p.ok() && p->has_value());
  EXPECT_EQ((*p)->kind(), cv1::UHP);
  EXPECT_EQ((*p)->gi(), kGi);
  EXPECT_EQ((*p)->start_day(), days_from_civil(CivilDate{2026, 5, 10}));
  EXPECT_EQ((*p)->end_day(), days_from_civil(CivilDate{2026, 8, 10}));
  EXPECT_EQ((*p)->end_reason(), "NOT_CARRIED_OUT");
  EXPECT_EQ(stored_u64(chain, state_keys::stat("202608", "UHP_LAPSED", kGi)), 1u);
}

// A VOTS 2026-03-15 .. 06-15 replaced by an OTS from 04-01: the VOTS's period ends on 04-01.
TEST(Stuurinformatie, AReplacedVotsEndsWhereTheOtsStarts) {
  Chain chain;
  ASSERT_TRUE(chain.open_case(utc_ms(2026, 3, 10, 9)).ok);
  ASSERT_TRUE(chain.file(utc_ms(2026, 3, 11, 9), kRvdk, "req-vots", "VOTS").ok);
  ASSERT_TRUE(chain.decide(utc_ms(2026, 3, 15, 9), "req-vots", "2026-03-15", "2026-06-15").ok);
  ASSERT_TRUE(chain.file(utc_ms(2026, 3, 20, 9), kRvdk, "req-ots", "OTS").ok);
  ASSERT_TRUE(chain.decide(utc_ms(2026, 4, 1, 9), "req-ots", "2026-04-01", "2027-04-01").ok);
  ContractState state(chain.store);
  auto p = state.get<cv1::MeasurePeriod>(state_keys::measure_period("case-001", 0));
  ASSERT_TRUE(p.ok() && p->has_value());
  EXPECT_EQ((*p)->kind(), cv1::VOTS);
  EXPECT_EQ((*p)->end_day(), days_from_civil(CivilDate{2026, 4, 1}));
  EXPECT_EQ((*p)->end_reason(), "REPLACED");
  auto none = state.get_raw(state_keys::measure_period("case-001", 1));
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
}

std::map<Bytes, Bytes> dump(const MemoryKvStore& store) {
  std::map<Bytes, Bytes> out;
  JOET_ASSERT(store.scan(Bytes{}, Bytes{}, [&](ByteView k, ByteView v) {
                     out.emplace(Bytes(k.begin(), k.end()), Bytes(v.begin(), v.end()));
                     return true;
                   }).ok());
  return out;
}

TEST(Stuurinformatie, ARefusedTxRecordsNoFact) {
  Chain chain;
  open_cases(chain, 1);
  const auto before = dump(chain.store);
  // The other GI is neither the case's GI nor its municipality: NOT_AUTHORIZED.
  const TxResult r = chain.run_one(utc_ms(2026, 3, 20, 9),
                                   chain.tx(kOtherGi, "complaint.file",
                                            {text("case", case_name(0)), text("complaint", "k-1"),
                                             text("filed_for", "PARENT"), hash_arg("document", "k-1")}));
  ASSERT_FALSE(r.ok);
  EXPECT_EQ(r.code, "NOT_AUTHORIZED");
  EXPECT_EQ(dump(chain.store), before);
}

TEST(Stuurinformatie, AFactRecordedInAnAbortedUnitLeavesNoWrite) {
  MemoryKvStore store;
  ContractState state(store);
  state.begin_tx();
  ASSERT_TRUE(record_case_fact(state, utc_ms(2026, 3, 20, 9), "COMPLAINT", "gem-amsterdam", "case-1").ok());
  state.abort_tx();
  EXPECT_TRUE(state.block_writes().empty());
  state.begin_tx();
  ASSERT_TRUE(record_case_fact(state, utc_ms(2026, 3, 20, 9), "COMPLAINT", "gem-amsterdam", "case-1").ok());
  ASSERT_TRUE(record_case_fact(state, utc_ms(2026, 3, 31, 21, 59), "COMPLAINT", "gem-amsterdam", "case-1").ok());
  // 2026-03-31T22:00Z is 00:00 CEST on 04-01: April.
  ASSERT_TRUE(record_case_fact(state, utc_ms(2026, 3, 31, 22), "COMPLAINT", "gem-amsterdam", "case-1").ok());
  state.commit_tx();
  EXPECT_EQ(*state.get_u64(state_keys::stat("202603", "COMPLAINT", "gem-amsterdam")), 1u);
  EXPECT_EQ(*state.get_u64(state_keys::stat("202604", "COMPLAINT", "gem-amsterdam")), 1u);
  EXPECT_EQ(state.block_writes().size(), 4u);
}

TEST(Stuurinformatie, AMonthRangeOutOfBoundsIsATypedError) {
  MemoryKvStore store;
  const auto code = [&](CivilMonth from, CivilMonth to) {
    auto r = stuurinformatie(store, from, to);
    return r.ok() ? std::optional<ErrorCode>() : std::optional<ErrorCode>(r.error().code);
  };
  EXPECT_EQ(code(CivilMonth{2026, 5}, CivilMonth{2026, 4}), ErrorCode::kInvalidArgument);  // to before from
  EXPECT_EQ(code(CivilMonth{2020, 1}, CivilMonth{2030, 1}), ErrorCode::kInvalidArgument);  // 121 months
  EXPECT_FALSE(code(CivilMonth{2020, 1}, CivilMonth{2029, 12}).has_value());  // 120 months
  EXPECT_EQ(code(CivilMonth{1899, 12}, CivilMonth{1900, 1}), ErrorCode::kInvalidArgument);
  EXPECT_EQ(code(CivilMonth{2026, 13}, CivilMonth{2026, 13}), ErrorCode::kInvalidArgument);
  EXPECT_EQ(parse_civil_month("2026-13").error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(parse_civil_month("2026-1").error().code, ErrorCode::kMalformed);
  EXPECT_EQ(parse_civil_month("2026/01").error().code, ErrorCode::kMalformed);
  EXPECT_EQ(*parse_civil_month("2026-01"), (CivilMonth{2026, 1}));
  EXPECT_EQ(to_string(CivilMonth{2026, 1}), "2026-01");
}

}  // namespace
}  // namespace joet
