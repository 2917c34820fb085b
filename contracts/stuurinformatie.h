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
//
// Suppression: a cell with fewer than kMinCellCases distinct cases is `suppressed`: it carries no number
// (all zero). Cells of zero cases are not listed at all: a zero is not disclosive and the tables stay
// small. No row or column totals are published, so no suppressed cell can be recomputed from them.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

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
};

// The report for the months from..to (inclusive) over the committed contract state `state`.
// kInvalidArgument for a range check_month_range refuses; kCorruption for a stored value or key that
// does not parse.
Result<Stuurinformatie> stuurinformatie(const KvStore& state, const CivilMonth& from, const CivilMonth& to);

}  // namespace joet
