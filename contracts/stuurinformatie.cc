#include "contracts/stuurinformatie.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <tuple>

#include "contracts/civil_date.h"
#include "contracts/state.h"
#include "contracts/statistics.h"

namespace joet {
namespace {

bool in_range(const CivilMonth& m) {
  return m.year >= kMinInputYear && m.year <= kMaxInputYear && m.month >= 1 && m.month <= 12;
}

Error corrupt(std::string what, ByteView key) {
  return make_error(ErrorCode::kCorruption, "stuurinformatie: " + what + " at key " + to_hex(key));
}

// The end of a table's key range: the prefix with its final '/' raised to '0'.
Bytes table_end(Bytes prefix) {
  JOET_ASSERT(!prefix.empty() && prefix.back() == '/');
  prefix.back() = '/' + 1;
  return prefix;
}

template <typename Msg>
bool parse(ByteView value, Msg& out) {
  return out.ParseFromArray(value.data(), static_cast<int>(value.size()));
}

std::string kind_name(cv1::MeasureKind kind) {
  switch (kind) {
    case cv1::OTS: return "OTS";
    case cv1::VOTS: return "VOTS";
    case cv1::UHP: return "UHP";
    default: return "UNSPECIFIED";
  }
}

// One measure's part of a case's cells: it ran from start_day (inclusive) to end_day (exclusive), so it
// runs in month M when start_day < the first day of M + 1 and end_day > the first day of M; an OTS /
// VOTS with a first assignment counts in the assignment table of its start month.
int64_t first_day_of(int64_t month) {
  const CivilMonth m = month_at(month);
  return days_from_civil(CivilDate{m.year, m.month, 1});
}

// A measure's projected cost (contracts/costs.h): a PER_DAY tariff for each day it runs, per month; a
// PER_MEASURE tariff in its start month. Nothing without a tariff.
void add_projection(CaseMeasureCells& cells, const std::string& gi, int64_t start_day, int64_t end_day,
                    const std::string& basis, int64_t cents) {
  if (cents <= 0 || basis.empty()) return;
  if (basis != "PER_DAY") {
    cells.projected[{month_index_of_day(start_day), gi}] += cents;
    return;
  }
  if (end_day <= start_day) return;
  const int64_t hi = month_index_of_day(end_day - 1);
  for (int64_t m = month_index_of_day(start_day); m <= hi; ++m) {
    const int64_t days = std::min(end_day, first_day_of(m + 1)) - std::max(start_day, first_day_of(m));
    cells.projected[{m, gi}] += cents * days;
  }
}

void add_measure(CaseMeasureCells& cells, cv1::MeasureKind kind, const std::string& gi, int64_t start_day,
                 int64_t end_day, int64_t first_assigned_day) {
  if (end_day > start_day) {  // lifted on its start date: it never ran a day
    const int64_t hi = month_index_of_day(end_day - 1);
    for (int64_t m = month_index_of_day(start_day); m <= hi; ++m) cells.running.emplace(m, kind_name(kind), gi);
  }
  if (kind != cv1::UHP && first_assigned_day != 0) {
    // Assigned before a future start: 0 days.
    cells.assignment[{month_index_of_day(start_day), gi}].push_back(std::max<int64_t>(0, first_assigned_day - start_day));
  }
}

// The month of a c/stat/ or c/cost/ key, whose part after the prefix starts with "yyyymm/": within
// the scanned range out.from..out.to, or kCorruption naming the table (`what`).
Result<CivilMonth> month_of_cell(const std::string& rest, ByteView key, const Stuurinformatie& out, const char* what) {
  int32_t yyyymm = 0;
  for (size_t i = 0; i < 6; ++i) {
    if (i >= rest.size() || rest[i] < '0' || rest[i] > '9') return corrupt(std::string(what) + " month that does not parse", key);
    yyyymm = yyyymm * 10 + (rest[i] - '0');
  }
  const CivilMonth month{yyyymm / 100, yyyymm % 100};
  if (!in_range(month) || month < out.from || out.to < month) {
    return corrupt(std::string(what) + " month out of the scanned range", key);
  }
  return month;
}

// One c/stat/ cell: "<yyyymm>/<metric>/<institution>" after the prefix, a be64 count of cases.
Status read_fact(ByteView key, ByteView value, Stuurinformatie& out) {
  const size_t prefix = state_keys::stat_prefix().size();
  const std::string rest(key.begin() + static_cast<std::ptrdiff_t>(prefix), key.end());
  const size_t a = rest.find('/');
  const size_t b = a == std::string::npos ? a : rest.find('/', a + 1);
  if (b == std::string::npos || rest.find('/', b + 1) != std::string::npos || a != 6 || b == a + 1 ||
      b + 1 == rest.size() || value.size() != 8) {
    return corrupt("a statistics cell that does not parse", key);
  }
  auto found = month_of_cell(rest, key, out, "a statistics");
  if (!found.ok()) return found.error();
  const CivilMonth month = *found;
  const std::string metric = rest.substr(a + 1, b - a - 1);
  const uint64_t cases = get_u64_be(value.data());
  if (cases == 0) return corrupt("a statistics cell of zero cases", key);
  std::string institution = rest.substr(b + 1);
  switch (fact_table(metric)) {
    case FactTable::kMissedDeadline: out.missed_deadlines.push_back(stat_cell(month, metric, std::move(institution), cases)); break;
    case FactTable::kSignal: out.signals.push_back(stat_cell(month, metric, std::move(institution), cases)); break;
    case FactTable::kExtension:
      out.extensions.push_back(
          stat_cell(month, metric == stat_metrics::kExtensionUhp ? "UHP" : "OTS", std::move(institution), cases));
      break;
    case FactTable::kComplaint: out.complaints.push_back(stat_cell(month, "", std::move(institution), cases)); break;
    case FactTable::kGround:
      out.grounds.push_back(
          stat_cell(month, metric.substr(stat_metrics::kGroundPrefix.size()), std::move(institution), cases));
      break;
  }
  return Status();
}

// One c/cost/ cell: "<yyyymm>/<gi>" after the prefix, a CostCell.
Status read_cost(ByteView key, ByteView value, Stuurinformatie& out) {
  const size_t prefix = state_keys::cost_prefix().size();
  const std::string rest(key.begin() + static_cast<std::ptrdiff_t>(prefix), key.end());
  cv1::CostCell cell;
  if (rest.size() < 8 || rest[6] != '/' || rest.find('/', 7) != std::string::npos || !parse(value, cell) ||
      cell.cases() == 0 || cell.cents() <= 0) {
    return corrupt("a cost cell that does not parse", key);
  }
  auto month = month_of_cell(rest, key, out, "a cost");
  if (!month.ok()) return month.error();
  out.costs.push_back(amount_cell(*month, std::string(kInvoicedCost), rest.substr(7), cell.cases(), cell.cents()));
  return Status();
}

// The keys of `prefix` for the months from..to: [prefix "<from yyyymm>/", prefix "<to yyyymm>0").
std::pair<Bytes, Bytes> month_range(const Bytes& prefix, const CivilMonth& from, const CivilMonth& to) {
  const std::string first = month_code(CivilDate{from.year, from.month, 1});
  const std::string last = month_code(CivilDate{to.year, to.month, 1});
  Bytes begin = prefix;
  begin.insert(begin.end(), first.begin(), first.end());
  begin.push_back('/');
  Bytes end = prefix;
  end.insert(end.end(), last.begin(), last.end());
  end.push_back('/' + 1);  // after every "<last>/..." key
  return {begin, end};
}

// Visits every key of a table, parsing the values as Msg; stops at the first error.
template <typename Msg, typename Visit>
Status scan_table(const KvStore& state, const Bytes& prefix, const char* what, Visit visit) {
  std::optional<Error> failed;
  Status scanned = state.scan(prefix, table_end(prefix), [&](ByteView key, ByteView value) {
    Msg msg;
    if (!parse(value, msg)) {
      failed = corrupt(std::string(what) + " that does not parse", key);
      return false;
    }
    Status s = visit(key, msg);
    if (!s.ok()) {
      failed = s.error();
      return false;
    }
    return true;
  });
  if (!scanned.ok()) return scanned;
  if (failed) return *failed;
  return Status();
}

}  // namespace

Result<CivilMonth> parse_civil_month(std::string_view text) {
  if (text.size() != 7 || text[4] != '-') return make_error(ErrorCode::kMalformed, "a month is YYYY-MM");
  int32_t year = 0;
  int32_t month = 0;
  for (size_t i = 0; i < 7; ++i) {
    if (i == 4) continue;
    if (text[i] < '0' || text[i] > '9') return make_error(ErrorCode::kMalformed, "a month is YYYY-MM");
    (i < 4 ? year : month) = (i < 4 ? year : month) * 10 + (text[i] - '0');
  }
  const CivilMonth out{year, month};
  if (!in_range(out)) {
    return make_error(ErrorCode::kInvalidArgument, "month " + std::string(text) + " not in 1900-01..9999-12");
  }
  return out;
}

std::string to_string(const CivilMonth& month) {
  std::string out = to_string(CivilDate{month.year, month.month, 1});
  return out.substr(0, out.size() - 3);
}

Status check_month_range(const CivilMonth& from, const CivilMonth& to) {
  if (!in_range(from) || !in_range(to)) {
    return make_error(ErrorCode::kInvalidArgument, "months must lie in 1900-01..9999-12");
  }
  if (to < from) return make_error(ErrorCode::kInvalidArgument, to_string(to) + " is before " + to_string(from));
  if (month_index(to) - month_index(from) + 1 > kMaxReportMonths) {
    return make_error(ErrorCode::kInvalidArgument,
                      "a report spans at most " + std::to_string(kMaxReportMonths) + " months");
  }
  return Status();
}

int64_t month_index(const CivilMonth& m) { return int64_t{m.year} * 12 + (m.month - 1); }
int64_t month_index_of_day(int64_t day) {
  const CivilDate d = civil_from_days(day);
  return int64_t{d.year} * 12 + (d.month - 1);
}
CivilMonth month_at(int64_t index) {
  JOET_ASSERT(index >= 0);
  return CivilMonth{static_cast<int32_t>(index / 12), static_cast<int32_t>(index % 12 + 1)};
}

StatCell stat_cell(const CivilMonth& month, std::string kind, std::string institution, uint64_t cases) {
  StatCell cell;
  cell.month = month;
  cell.kind = std::move(kind);
  cell.institution = std::move(institution);
  cell.suppressed = cases < kMinCellCases;
  cell.cases = cell.suppressed ? 0 : cases;
  return cell;
}

AmountCell amount_cell(const CivilMonth& month, std::string kind, std::string institution, uint64_t cases, int64_t cents) {
  AmountCell out;
  out.cell = stat_cell(month, std::move(kind), std::move(institution), cases);
  out.cents = out.cell.suppressed ? 0 : cents;
  return out;
}

void order_costs(std::vector<AmountCell>& costs) {
  std::stable_sort(costs.begin(), costs.end(), [](const AmountCell& x, const AmountCell& y) {
    return std::tie(x.cell.month, x.cell.kind, x.cell.institution) < std::tie(y.cell.month, y.cell.kind, y.cell.institution);
  });
}

DaysCell days_cell(const CivilMonth& month, std::string kind, std::string institution, uint64_t cases,
                   const std::map<int64_t, uint64_t>& day_counts) {
  DaysCell out;
  out.cell = stat_cell(month, std::move(kind), std::move(institution), cases);
  if (out.cell.suppressed) return out;
  JOET_ASSERT(!day_counts.empty());
  uint64_t n = 0;
  int64_t sum = 0;  // at most ~10^6 measures of at most ~10^6 days: far from overflow
  for (const auto& [days, count] : day_counts) {
    JOET_ASSERT(days >= 0 && count > 0);
    n += count;
    sum += days * static_cast<int64_t>(count);
  }
  // The values at sorted positions lo and hi (equal for an odd count).
  const uint64_t hi = n / 2;
  const uint64_t lo = n % 2 == 1 ? hi : hi - 1;
  std::optional<int64_t> at_lo;
  std::optional<int64_t> at_hi;
  uint64_t seen = 0;
  for (const auto& [days, count] : day_counts) {
    seen += count;  // positions seen - count .. seen - 1 hold `days`
    if (!at_lo && lo < seen) at_lo = days;
    if (!at_hi && hi < seen) at_hi = days;
  }
  JOET_ASSERT(at_lo && at_hi);
  out.measures = n;
  out.mean_days = sum / static_cast<int64_t>(n);
  out.median_days = (*at_lo + *at_hi) / 2;
  return out;
}

CaseMeasureCells case_measure_cells(const cv1::Case* record, std::span<const cv1::MeasurePeriod> periods) {
  CaseMeasureCells cells;
  if (record != nullptr) {
    for (const cv1::Measure* m : {&record->measure(), &record->uhp()}) {
      if (m->state() != cv1::ACTIVE) continue;
      add_measure(cells, m->kind(), record->gi(), m->start_day(), m->end_day(), m->first_assigned_day());
      add_projection(cells, record->gi(), m->start_day(), m->end_day(), m->cost_basis(), m->cost_cents());
    }
  }
  for (const cv1::MeasurePeriod& p : periods) {
    add_measure(cells, p.kind(), p.gi(), p.start_day(), p.end_day(), p.first_assigned_day());
    add_projection(cells, p.gi(), p.start_day(), p.end_day(), p.cost_basis(), p.cost_cents());
    cells.ended[{month_index_of_day(p.end_day()), kind_name(p.kind())}].push_back(p.end_day() - p.start_day());
  }
  return cells;
}

Status read_fact_tables(const KvStore& state, Stuurinformatie& out) {
  std::optional<Error> failed;
  const auto [begin, end] = month_range(state_keys::stat_prefix(), out.from, out.to);
  Status s = state.scan(begin, end, [&](ByteView key, ByteView value) {
    Status f = read_fact(key, value, out);
    if (!f.ok()) failed = f.error();
    return f.ok();
  });
  if (!s.ok()) return s;
  if (failed) return *failed;
  const auto [cost_begin, cost_end] = month_range(state_keys::cost_prefix(), out.from, out.to);
  s = state.scan(cost_begin, cost_end, [&](ByteView key, ByteView value) {
    Status f = read_cost(key, value, out);
    if (!f.ok()) failed = f.error();
    return f.ok();
  });
  if (!s.ok()) return s;
  if (failed) return *failed;
  // The c/stat/ keys sort by month, then metric, then institution, but an extension's metric is renamed
  // to its kind and a ground's loses its prefix: sort every table to (month, kind, institution) order.
  for (auto* table : {&out.extensions, &out.missed_deadlines, &out.signals, &out.complaints, &out.grounds}) {
    std::stable_sort(table->begin(), table->end(), [](const StatCell& x, const StatCell& y) {
      return std::tie(x.month, x.kind, x.institution) < std::tie(y.month, y.kind, y.institution);
    });
  }
  return Status();
}

Result<Stuurinformatie> stuurinformatie(const KvStore& state, const CivilMonth& from, const CivilMonth& to) {
  Status checked = check_month_range(from, to);
  if (!checked.ok()) return checked.error();
  Stuurinformatie out;
  out.from = from;
  out.to = to;
  const int64_t lo = month_index(from);
  const int64_t hi = month_index(to);

  // The ended measures of every case (c/period/<case>/<be32 n>, so each case's are contiguous).
  std::map<std::string, std::vector<cv1::MeasurePeriod>> periods;
  Status s = scan_table<cv1::MeasurePeriod>(
      state, state_keys::period_prefix(), "a measure period", [&](ByteView key, const cv1::MeasurePeriod& p) {
        const Bytes case_prefix = state_keys::measure_period(p.case_id(), 0);  // "c/period/<case>/" + 4 bytes
        if (p.case_id().empty() || key.size() != case_prefix.size() ||
            !std::equal(case_prefix.begin(), case_prefix.end() - 4, key.begin()) || p.start_day() > p.end_day()) {
          return Status(corrupt("a measure period of another case", key));
        }
        periods[p.case_id()].push_back(p);
        return Status();
      });
  if (!s.ok()) return s.error();

  using CellKey = std::tuple<int64_t, std::string, std::string>;  // month index, kind, institution
  struct Samples {
    uint64_t cases = 0;
    std::map<int64_t, uint64_t> days;
  };
  std::map<CellKey, uint64_t> running;
  std::map<CellKey, Samples> ended;
  std::map<CellKey, Samples> assignment;
  struct Amount {
    uint64_t cases = 0;
    int64_t cents = 0;
  };
  std::map<CellKey, Amount> projected;
  auto add_case = [&](const cv1::Case* record, const std::vector<cv1::MeasurePeriod>& of_case) {
    const CaseMeasureCells cells = case_measure_cells(record, of_case);
    for (const auto& key : cells.running) {
      if (std::get<0>(key) >= lo && std::get<0>(key) <= hi) ++running[key];
    }
    auto add_samples = [&](auto& table, const auto& samples, bool kind_is_second) {
      for (const auto& [cell, days] : samples) {
        if (cell.first < lo || cell.first > hi) continue;
        Samples& out_cell = table[kind_is_second ? CellKey{cell.first, cell.second, ""} : CellKey{cell.first, "", cell.second}];
        ++out_cell.cases;
        for (int64_t d : days) ++out_cell.days[d];
      }
    };
    add_samples(ended, cells.ended, true);
    add_samples(assignment, cells.assignment, false);
    for (const auto& [cell, cents] : cells.projected) {
      if (cell.first < lo || cell.first > hi) continue;
      Amount& a = projected[CellKey{cell.first, std::string(kProjectedCost), cell.second}];
      ++a.cases;
      a.cents += cents;
    }
  };
  // Every case record, with its periods; then periods of a case without a record (none in a state the
  // contracts wrote, but the report counts what is stored).
  s = scan_table<cv1::Case>(state, state_keys::case_prefix(), "a case", [&](ByteView, const cv1::Case& c) {
    auto it = periods.find(c.id());
    add_case(&c, it == periods.end() ? std::vector<cv1::MeasurePeriod>{} : it->second);
    if (it != periods.end()) periods.erase(it);
    return Status();
  });
  if (!s.ok()) return s.error();
  for (const auto& [case_id, of_case] : periods) add_case(nullptr, of_case);

  for (const auto& [key, cases] : running) {
    out.running.push_back(stat_cell(month_at(std::get<0>(key)), std::get<1>(key), std::get<2>(key), cases));
  }
  for (const auto& [key, samples] : ended) {
    out.ended.push_back(days_cell(month_at(std::get<0>(key)), std::get<1>(key), std::get<2>(key), samples.cases, samples.days));
  }
  for (const auto& [key, samples] : assignment) {
    out.assignment.push_back(
        days_cell(month_at(std::get<0>(key)), std::get<1>(key), std::get<2>(key), samples.cases, samples.days));
  }
  s = read_fact_tables(state, out);
  if (!s.ok()) return s.error();
  for (const auto& [key, a] : projected) {
    out.costs.push_back(amount_cell(month_at(std::get<0>(key)), std::get<1>(key), std::get<2>(key), a.cases, a.cents));
  }
  order_costs(out.costs);
  return out;
}

}  // namespace joet
