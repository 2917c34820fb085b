// Costs of measures (DOMAIN.md, Grounds and costs; rules version 2, Statute::records_costs): the case's
// municipality records what a measure is projected to cost and what was invoiced for it, in integer
// euro cents. The stuurinformatie's costs table aggregates both per month and GI (contracts/stuurinformatie.h).
//
//   cost.project {case, measure: OTS | UHP, basis: PER_DAY | PER_MEASURE, amount_cents}
//       the tariff of the running measure (OTS also names a running VOTS): per day it ran, or once for
//       the measure. A later cost.project replaces it (a corrected tariff). Kept on the Measure and its
//       MeasurePeriod, so the projection follows extensions and early ends.
//   cost.invoice {case, invoice, measure: OTS | UHP, month: YYYY-MM, amount_cents}
//       an amount invoiced for the case's measure of that kind for a month not after the current one;
//       the invoice code is unique within the case (DUPLICATE). Counted for the case's GI now.
// Amounts are 1 .. kMaxCostCents. Both notify the case's GI and municipality (COST_PROJECTED,
// COST_INVOICED).
#pragma once

#include <cstdint>

#include "contracts/outcome.h"
#include "contracts/tx_context.h"

namespace joet {

// 100 million euro: far above any tariff or invoice, and a bound that keeps the sums in an int64 (a
// month's projection of one case is at most 31 times it; a cell would need ~3 * 10^7 such cases).
inline constexpr int64_t kMaxCostCents = 10'000'000'000;

Outcome cost_project(TxContext& ctx);  // the case's MUNICIPALITY
Outcome cost_invoice(TxContext& ctx);  // the case's MUNICIPALITY

}  // namespace joet
