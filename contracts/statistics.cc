#include "contracts/statistics.h"

#include <algorithm>

#include "contracts/amsterdam_time.h"

namespace joet {

FactTable fact_table(std::string_view metric) {
  if (metric.starts_with("SIGNAL_") || metric == "NO_CONTACT_SIGNAL") return FactTable::kSignal;
  if (metric == stat_metrics::kExtensionOts || metric == stat_metrics::kExtensionUhp) return FactTable::kExtension;
  if (metric == stat_metrics::kComplaint) return FactTable::kComplaint;
  if (metric.starts_with(stat_metrics::kGroundPrefix)) return FactTable::kGround;
  return FactTable::kMissedDeadline;
}

std::string month_code(const CivilDate& date) {
  JOET_ASSERT(date.year >= 0 && date.month >= 1 && date.month <= 12);
  std::string out = std::to_string(date.year * 100 + date.month);
  if (out.size() < 6) out.insert(0, 6 - out.size(), '0');
  return out;
}

Status record_case_fact(ContractState& state, int64_t at_ms, std::string_view metric, std::string_view institution,
                        std::string_view case_id) {
  JOET_ASSERT(state.in_tx());
  JOET_ASSERT(!metric.empty() && !case_id.empty());
  if (institution.empty()) return Status();
  const std::string month = month_code(civil_date_of(at_ms));
  const Bytes marker = state_keys::stat_case(month, metric, institution, case_id);
  auto counted = state.get_raw(marker);
  if (!counted.ok()) return counted.error();
  if (counted->has_value()) return Status();
  const Bytes cell = state_keys::stat(month, metric, institution);
  auto cases = state.get_u64(cell);
  if (!cases.ok()) return cases.error();
  JOET_ASSERT(*cases < UINT64_MAX);
  state.put_u64(marker, 1);
  state.put_u64(cell, *cases + 1);
  return Status();
}

Status record_invoice_amount(ContractState& state, std::string_view yyyymm, std::string_view gi,
                             std::string_view case_id, int64_t cents) {
  JOET_ASSERT(state.in_tx());
  JOET_ASSERT(!gi.empty() && !case_id.empty() && cents > 0);
  const Bytes marker = state_keys::cost_case(yyyymm, gi, case_id);
  auto counted = state.get_raw(marker);
  if (!counted.ok()) return counted.error();
  const Bytes key = state_keys::cost(yyyymm, gi);
  auto found = state.get<cv1::CostCell>(key);
  if (!found.ok()) return found.status();
  cv1::CostCell cell = found->value_or(cv1::CostCell());
  if (!counted->has_value()) {
    cell.set_cases(cell.cases() + 1);
    state.put_u64(marker, 1);
  }
  JOET_ASSERT(cell.cents() <= INT64_MAX - cents);  // cost.invoice bounds each amount and the months
  cell.set_cents(cell.cents() + cents);
  state.put(key, cell);
  return Status();
}

Status record_measure_period(ContractState& state, std::string_view case_id, std::string_view gi,
                             const cv1::Measure& m, int64_t ended_day) {
  JOET_ASSERT(state.in_tx());
  JOET_ASSERT(m.state() == cv1::ENDED && !m.end_reason().empty());
  JOET_ASSERT(m.start_day() <= m.end_day());  // equal for a measure lifted on its start date
  cv1::MeasurePeriod p;
  p.set_case_id(std::string(case_id));
  p.set_kind(m.kind());
  p.set_gi(std::string(gi));
  p.set_start_day(m.start_day());
  p.set_end_day(std::clamp(ended_day, m.start_day(), m.end_day()));
  p.set_extensions(m.extensions());
  p.set_end_reason(m.end_reason());
  p.set_decided_day(m.decided_day());
  p.set_first_assigned_day(m.first_assigned_day());
  p.set_spoed(m.spoed());
  *p.mutable_grounds() = m.grounds();
  p.set_cost_basis(m.cost_basis());
  p.set_cost_cents(m.cost_cents());
  // The next free n: a case ends a handful of measures in its life, so probing is cheap.
  for (uint32_t n = 0;; ++n) {
    JOET_ASSERT(n < UINT32_MAX);
    const Bytes key = state_keys::measure_period(case_id, n);
    auto existing = state.get_raw(key);
    if (!existing.ok()) return existing.error();
    if (existing->has_value()) continue;
    state.put(key, p);
    return Status();
  }
}

}  // namespace joet
