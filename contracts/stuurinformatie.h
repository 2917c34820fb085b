// Stuurinformatie (DOMAIN.md): aggregate management information over a range of civil months, never
// per child. A pure function of the committed state: it reads the facts the contracts recorded
// (contracts/statistics.h: c/stat/, c/period/) and the running measures in c/case/.
//
// Tables, each a list of cells in ascending (month, kind, institution) order:
//   running          OTS / VOTS / UHP running per month and GI (distinct cases)
//   ended            measures ended per month (of the exclusive end day) and kind: count and duration
//   extensions       granted extensions per month, kind (OTS / UHP) and GI (distinct cases)
//   missed_deadlines missed deadlines per month, event kind and the institution that had to act
//   signals          signals per month, event kind and municipality
//   complaints       complaints filed per month and the institution they were filed with
//   assignment       days from the start of an OTS / VOTS to its first gi.assign, per month of the
//                    start and GI (only measures with an assignment while they ran)
//   grounds          grants per month, ground category and GI (rules version 2: court.decide states them)
//   costs            euro cents per month, kind and GI (rules version 2, contracts/costs.h):
//                    PROJECTED  the recorded tariff of each measure: a PER_DAY tariff times the days the
//                               measure runs in the month (to its current end date), a PER_MEASURE
//                               tariff in the month it started;
//                    INVOICED   the amounts cost.invoice recorded for the month, under the case's GI
//                               when recorded.
//
// Suppression: a cell with fewer than kMinCellCases distinct cases is `suppressed`: it carries no number
// (all zero). Cells of zero cases are not listed at all: a zero is not disclosive and the tables stay
// small. No row or column totals are published, so no suppressed cell can be recomputed from them.
#pragma once

#include <compare>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "contracts.pb.h"

#include "ledger/kv_store.h"
#include "ledger/status.h"

namespace joet {

// A calendar month, year 1900..9999 in a report range.
struct CivilMonth {
  int32_t year = 1970;
  int32_t month = 1;  // 1..12

  friend constexpr bool operator==(const CivilMonth&, const CivilMonth&) = default;
  friend constexpr std::strong_ordering operator<=>(const CivilMonth&, const CivilMonth&) = default;
};

// Exactly "YYYY-MM", years 1900..9999: kMalformed for another shape, kInvalidArgument out of range.
Result<CivilMonth> parse_civil_month(std::string_view text);
std::string to_string(const CivilMonth& month);  // "YYYY-MM"

inline constexpr int32_t kMaxReportMonths = 120;
inline constexpr uint64_t kMinCellCases = 5;

// kInvalidArgument unless both months are in 1900..9999, from <= to and the range spans at most
// kMaxReportMonths months (inclusive).
Status check_month_range(const CivilMonth& from, const CivilMonth& to);

struct StatCell {
  CivilMonth month;
  std::string kind;         // measure kind, event kind; "" in the complaints and assignment tables
  std::string institution;  // GI, the institution that had to act, municipality; "" in the ended table
  bool suppressed = false;  // fewer than kMinCellCases cases: every number below is 0 and not published
  uint64_t cases = 0;       // distinct cases
};

// A cell with an amount: the cases counted and the sum of their euro cents (0 when suppressed).
struct AmountCell {
  StatCell cell;
  int64_t cents = 0;
};

// A cell with day counts: durations of ended measures, or days from start to first assignment.
struct DaysCell {
  StatCell cell;
  uint64_t measures = 0;    // measures counted (a case may end two of a kind in one month)
  int64_t mean_days = 0;    // rounded down
  int64_t median_days = 0;  // the middle value; of an even count, the mean of the two middle ones, rounded down
};

struct Stuurinformatie {
  CivilMonth from;
  CivilMonth to;
  std::vector<StatCell> running;
  std::vector<DaysCell> ended;
  std::vector<StatCell> extensions;
  std::vector<StatCell> missed_deadlines;
  std::vector<StatCell> signals;
  std::vector<StatCell> complaints;
  std::vector<DaysCell> assignment;
  std::vector<StatCell> grounds;
  std::vector<AmountCell> costs;
};

inline constexpr std::string_view kProjectedCost = "PROJECTED";
inline constexpr std::string_view kInvoicedCost = "INVOICED";

// Months as one integer, year * 12 + month - 1 (the "month index"), so that ranges are integer ranges.
int64_t month_index(const CivilMonth& month);
int64_t month_index_of_day(int64_t day);  // the month of a day since the epoch
CivilMonth month_at(int64_t index);       // index >= 0

// A cell of `cases` distinct cases, suppressed (every number 0) below kMinCellCases.
StatCell stat_cell(const CivilMonth& month, std::string kind, std::string institution, uint64_t cases);

// An amount cell of `cases` distinct cases, suppressed (no number) below kMinCellCases.
AmountCell amount_cell(const CivilMonth& month, std::string kind, std::string institution, uint64_t cases, int64_t cents);
// Sorts the costs table into (month, kind, institution) order.
void order_costs(std::vector<AmountCell>& costs);

// A days cell from its samples as a histogram (days -> measures): mean and median as the tables define
// them. Suppressed cells carry no numbers. `day_counts` is not empty unless `cases` is 0.
DaysCell days_cell(const CivilMonth& month, std::string kind, std::string institution, uint64_t cases,
                   const std::map<int64_t, uint64_t>& day_counts);

// What one case adds to the running, ended and assignment tables, over all months: its ACTIVE measures
// (OTS / VOTS and UHP, to their current end date) and its ended ones (`periods`, c/period/). The report
// counts a case once per cell; the node's dashboard index (node/inzicht/) keeps these per case and
// applies the difference when a block changes the case, so both compute the cells by this one rule.
struct CaseMeasureCells {
  std::set<std::tuple<int64_t, std::string, std::string>> running;            // month index, kind, GI
  std::map<std::pair<int64_t, std::string>, std::vector<int64_t>> ended;       // (month of end, kind) -> durations
  std::map<std::pair<int64_t, std::string>, std::vector<int64_t>> assignment;  // (month of start, GI) -> days
  std::map<std::pair<int64_t, std::string>, int64_t> projected;                // (month, GI) -> cents

  friend bool operator==(const CaseMeasureCells&, const CaseMeasureCells&) = default;
};
CaseMeasureCells case_measure_cells(const contracts::v1::Case* record,
                                    std::span<const contracts::v1::MeasurePeriod> periods);

// The tables of recorded facts (extensions, missed_deadlines, signals, complaints, grounds) and the
// INVOICED cells of the costs table of the months out.from..out.to, read from the c/stat/ and c/cost/
// cells of those months only, in (month, kind, institution) order (the caller adds the PROJECTED cells
// and calls order_costs). kCorruption for a cell that does not parse.
Status read_fact_tables(const KvStore& state, Stuurinformatie& out);

// The report for the months from..to (inclusive) over the committed contract state `state`.
// kInvalidArgument for a range check_month_range refuses; kCorruption for a stored value or key that
// does not parse.
Result<Stuurinformatie> stuurinformatie(const KvStore& state, const CivilMonth& from, const CivilMonth& to);

}  // namespace joet
