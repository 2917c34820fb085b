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

// Months as one integer, year * 12 + month - 1, so that ranges are plain integer ranges.
int64_t month_index(const CivilMonth& m) { return int64_t{m.year} * 12 + (m.month - 1); }
int64_t month_index_of_day(int64_t day) {
  const CivilDate d = civil_from_days(day);
  return int64_t{d.year} * 12 + (d.month - 1);
}
CivilMonth month_at(int64_t index) {
  JOET_ASSERT(index >= 0);
  return CivilMonth{static_cast<int32_t>(index / 12), static_cast<int32_t>(index % 12 + 1)};
}

bool in_range(const CivilMonth& m) {
  return m.year >= kMinInputYear && m.year <= kMaxInputYear && m.month >= 1 && m.month <= 12;
}

using CellKey = std::tuple<int64_t, std::string, std::string>;  // month index, kind, institution

struct Samples {
  std::set<std::string> cases;
  std::vector<int64_t> days;
};

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

class Collector {
 public:
  Collector(const CivilMonth& from, const CivilMonth& to) : from_(month_index(from)), to_(month_index(to)) {}

  // A measure that ran from start_day (inclusive) to end_day (exclusive): it runs in month M when
  // start_day < the first day of M + 1 and end_day > the first day of M.
  void running(const std::string& case_id, cv1::MeasureKind kind, const std::string& gi, int64_t start_day,
               int64_t end_day) {
    if (end_day <= start_day) return;  // lifted on its start date: it never ran a day
    const int64_t lo = std::max(from_, month_index_of_day(start_day));
    const int64_t hi = std::min(to_, month_index_of_day(end_day - 1));
    for (int64_t m = lo; m <= hi; ++m) running_[{m, kind_name(kind), gi}].insert(case_id);
  }

  void ended(const cv1::MeasurePeriod& p) {
    const int64_t m = month_index_of_day(p.end_day());
    if (m < from_ || m > to_) return;
    Samples& s = ended_[{m, kind_name(p.kind()), ""}];
    s.cases.insert(p.case_id());
    s.days.push_back(p.end_day() - p.start_day());
  }

  // An OTS / VOTS and its first assignment (first_assigned_day, 0 for none).
  void assignment(const std::string& case_id, cv1::MeasureKind kind, const std::string& gi, int64_t start_day,
                  int64_t first_assigned_day) {
    if (kind == cv1::UHP || first_assigned_day == 0) return;
    const int64_t m = month_index_of_day(start_day);
    if (m < from_ || m > to_) return;
    Samples& s = assignment_[{m, "", gi}];
    s.cases.insert(case_id);
    s.days.push_back(std::max<int64_t>(0, first_assigned_day - start_day));  // assigned before a future start: 0
  }

  // One c/stat/ cell: "<yyyymm>/<metric>/<institution>" after the prefix, a be64 count of cases.
  Status fact(ByteView key, ByteView value, Stuurinformatie& out) const {
    const size_t prefix = state_keys::stat_prefix().size();
    const std::string rest(key.begin() + static_cast<std::ptrdiff_t>(prefix), key.end());
    const size_t a = rest.find('/');
    const size_t b = a == std::string::npos ? a : rest.find('/', a + 1);
    if (b == std::string::npos || rest.find('/', b + 1) != std::string::npos || a != 6 || b == a + 1 ||
        b + 1 == rest.size() || value.size() != 8) {
      return corrupt("a statistics cell that does not parse", key);
    }
    int32_t yyyymm = 0;
    for (size_t i = 0; i < 6; ++i) {
      if (rest[i] < '0' || rest[i] > '9') return corrupt("a statistics month that does not parse", key);
      yyyymm = yyyymm * 10 + (rest[i] - '0');
    }
    const CivilMonth month{yyyymm / 100, yyyymm % 100};
    if (!in_range(month) || month_index(month) < from_ || month_index(month) > to_) {
      return corrupt("a statistics month out of the scanned range", key);
    }
    const std::string metric = rest.substr(a + 1, b - a - 1);
    StatCell cell;
    cell.month = month;
    cell.kind = metric;
    cell.institution = rest.substr(b + 1);
    cell.cases = get_u64_be(value.data());
    if (cell.cases == 0) return corrupt("a statistics cell of zero cases", key);
    suppress(cell);
    switch (fact_table(metric)) {
      case FactTable::kMissedDeadline: out.missed_deadlines.push_back(std::move(cell)); break;
      case FactTable::kSignal: out.signals.push_back(std::move(cell)); break;
      case FactTable::kExtension:
        cell.kind = metric == stat_metrics::kExtensionUhp ? "UHP" : "OTS";
        out.extensions.push_back(std::move(cell));
        break;
      case FactTable::kComplaint:
        cell.kind.clear();
        out.complaints.push_back(std::move(cell));
        break;
    }
    return Status();
  }

  void finish(Stuurinformatie& out) const {
    for (const auto& [key, cases] : running_) {
      StatCell cell = make_cell(key, cases.size());
      out.running.push_back(std::move(cell));
    }
    for (const auto& [key, samples] : ended_) out.ended.push_back(days_cell(key, samples));
    for (const auto& [key, samples] : assignment_) out.assignment.push_back(days_cell(key, samples));
    // The c/stat/ keys sort by month, then metric, then institution, but an extension's metric is
    // renamed to its kind: sort every table to (month, kind, institution) order.
    for (auto* table : {&out.extensions, &out.missed_deadlines, &out.signals, &out.complaints}) {
      std::stable_sort(table->begin(), table->end(), [](const StatCell& x, const StatCell& y) {
        return std::tie(x.month, x.kind, x.institution) < std::tie(y.month, y.kind, y.institution);
      });
    }
  }

 private:
  static std::string kind_name(cv1::MeasureKind kind) {
    switch (kind) {
      case cv1::OTS: return "OTS";
      case cv1::VOTS: return "VOTS";
      case cv1::UHP: return "UHP";
      default: return "UNSPECIFIED";
    }
  }

  static void suppress(StatCell& cell) {
    if (cell.cases >= kMinCellCases) return;
    cell.suppressed = true;
    cell.cases = 0;
  }

  static StatCell make_cell(const CellKey& key, uint64_t cases) {
    StatCell cell;
    cell.month = month_at(std::get<0>(key));
    cell.kind = std::get<1>(key);
    cell.institution = std::get<2>(key);
    cell.cases = cases;
    suppress(cell);
    return cell;
  }

  static DaysCell days_cell(const CellKey& key, const Samples& samples) {
    DaysCell out;
    out.cell = make_cell(key, samples.cases.size());
    if (out.cell.suppressed) return out;
    std::vector<int64_t> days = samples.days;
    JOET_ASSERT(!days.empty());
    std::sort(days.begin(), days.end());
    int64_t sum = 0;
    for (int64_t d : days) {
      JOET_ASSERT(d >= 0);
      sum += d;  // at most ~10^6 measures of at most ~10^6 days: far from overflow
    }
    const size_t n = days.size();
    out.measures = n;
    out.mean_days = sum / static_cast<int64_t>(n);
    out.median_days = n % 2 == 1 ? days[n / 2] : (days[n / 2 - 1] + days[n / 2]) / 2;
    return out;
  }

  int64_t from_;
  int64_t to_;
  std::map<CellKey, std::set<std::string>> running_;
  std::map<CellKey, Samples> ended_;
  std::map<CellKey, Samples> assignment_;
};

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

Result<Stuurinformatie> stuurinformatie(const KvStore& state, const CivilMonth& from, const CivilMonth& to) {
  Status checked = check_month_range(from, to);
  if (!checked.ok()) return checked.error();
  Stuurinformatie out;
  out.from = from;
  out.to = to;
  Collector collect(from, to);

  // The running measures: ACTIVE in the case record (to their current end date; a month after the
  // last block counts what is planned), the ended ones in c/period/.
  Status s = scan_table<cv1::Case>(state, state_keys::case_prefix(), "a case", [&](ByteView, const cv1::Case& c) {
    for (const cv1::Measure* m : {&c.measure(), &c.uhp()}) {
      if (m->state() != cv1::ACTIVE) continue;
      collect.running(c.id(), m->kind(), c.gi(), m->start_day(), m->end_day());
      collect.assignment(c.id(), m->kind(), c.gi(), m->start_day(), m->first_assigned_day());
    }
    return Status();
  });
  if (!s.ok()) return s.error();

  s = scan_table<cv1::MeasurePeriod>(
      state, state_keys::period_prefix(), "a measure period", [&](ByteView key, const cv1::MeasurePeriod& p) {
        const Bytes case_prefix = state_keys::measure_period(p.case_id(), 0);  // "c/period/<case>/" + 4 bytes
        if (p.case_id().empty() || key.size() != case_prefix.size() ||
            !std::equal(case_prefix.begin(), case_prefix.end() - 4, key.begin()) || p.start_day() > p.end_day()) {
          return Status(corrupt("a measure period of another case", key));
        }
        collect.running(p.case_id(), p.kind(), p.gi(), p.start_day(), p.end_day());
        collect.ended(p);
        collect.assignment(p.case_id(), p.kind(), p.gi(), p.start_day(), p.first_assigned_day());
        return Status();
      });
  if (!s.ok()) return s.error();

  // The recorded facts: only the cells of the months asked for.
  const std::string first = month_code(CivilDate{from.year, from.month, 1});
  const std::string last = month_code(CivilDate{to.year, to.month, 1});
  Bytes begin = state_keys::stat_prefix();
  begin.insert(begin.end(), first.begin(), first.end());
  begin.push_back('/');
  Bytes end = state_keys::stat_prefix();
  end.insert(end.end(), last.begin(), last.end());
  end.push_back('/' + 1);  // after every "<last>/..." key
  std::optional<Error> failed;
  s = state.scan(begin, end, [&](ByteView key, ByteView value) {
    Status f = collect.fact(key, value, out);
    if (!f.ok()) failed = f.error();
    return f.ok();
  });
  if (!s.ok()) return s.error();
  if (failed) return *failed;

  collect.finish(out);
  return out;
}

}  // namespace joet
