#include "contracts/costs.h"

#include <string>

#include "contracts/amsterdam_time.h"
#include "contracts/cases.h"
#include "contracts/deadlines.h"
#include "contracts/measures.h"
#include "contracts/notifications.h"
#include "contracts/statistics.h"
#include "contracts/stuurinformatie.h"

namespace joet {
namespace {

// The case named by "case", signed for by its own municipality.
Outcome load_own_case(const TxContext& ctx, std::string& case_id, cv1::Case& c) {
  JOET_CTR_TRY(require_role(ctx, {cv1::MUNICIPALITY}));
  JOET_CTR_TRY(load_case(ctx, case_id, c));
  if (ctx.signer.institution != c.municipality()) {
    return refuse("NOT_AUTHORIZED", "only the case's municipality records its costs");
  }
  return Outcome();
}

Outcome amount(const TxContext& ctx, int64_t& cents) {
  JOET_CTR_TRY(ctx.args.integer("amount_cents", cents));
  if (cents < 1 || cents > kMaxCostCents) {
    return refuse("BAD_FIELD", "argument 'amount_cents': 1 to " + std::to_string(kMaxCostCents) + " euro cents");
  }
  return Outcome();
}

// "OTS" is the case's main slot (an OTS or a voorlopige OTS), "UHP" its UHP.
Outcome slot_of(const TxContext& ctx, std::string_view& slot, std::string& which) {
  JOET_CTR_TRY(ctx.args.one_of("measure", {"OTS", "UHP"}, which));
  slot = which == "UHP" ? slots::kUhp : slots::kMain;
  return Outcome();
}

}  // namespace

Outcome cost_project(TxContext& ctx) {
  std::string case_id, which, basis;
  std::string_view slot;
  int64_t cents = 0;
  cv1::Case c;
  JOET_CTR_TRY(slot_of(ctx, slot, which));
  JOET_CTR_TRY(ctx.args.one_of("basis", {"PER_DAY", "PER_MEASURE"}, basis));
  JOET_CTR_TRY(amount(ctx, cents));
  JOET_CTR_TRY(load_own_case(ctx, case_id, c));
  cv1::Measure& m = measure_in(c, slot);
  if (m.state() != cv1::ACTIVE) return refuse("NO_MEASURE", "the case has no running " + which);
  m.set_cost_basis(basis);
  m.set_cost_cents(cents);
  ctx.state.put(state_keys::case_record(case_id), c);
  return notify(ctx.state, ctx.height, {c.gi(), c.municipality()},
                tx_event(ctx, "COST_PROJECTED", case_id, basis, std::string(measure_name(m.kind()))));
}

Outcome cost_invoice(TxContext& ctx) {
  std::string case_id, which, invoice_id, month_text;
  std::string_view slot;
  int64_t cents = 0;
  cv1::Case c;
  JOET_CTR_TRY(ctx.args.text("invoice", invoice_id));
  JOET_CTR_TRY(slot_of(ctx, slot, which));
  JOET_CTR_TRY(ctx.args.text("month", month_text));
  auto month = parse_civil_month(month_text);
  if (!month.ok()) return refuse("BAD_FIELD", "argument 'month': not a month YYYY-MM");
  const CivilDate today = civil_date_of(ctx.block_time_ms);
  if (*month > CivilMonth{today.year, today.month}) {
    return refuse("BAD_FIELD", "argument 'month': " + month_text + " is after the current month");
  }
  JOET_CTR_TRY(amount(ctx, cents));
  JOET_CTR_TRY(load_own_case(ctx, case_id, c));
  const cv1::Measure& m = measure_in(c, slot);
  if (m.kind() == cv1::MEASURE_KIND_UNSPECIFIED) return refuse("NO_MEASURE", "the case never had a " + which);
  const Bytes key = state_keys::invoice(case_id, invoice_id);
  auto existing = ctx.state.get_raw(key);
  if (!existing.ok()) return existing.error();
  if (existing->has_value()) return refuse("DUPLICATE", "invoice " + invoice_id + " exists");
  const std::string code = month_code(CivilDate{month->year, month->month, 1});
  auto cell = ctx.state.get<cv1::CostCell>(state_keys::cost(code, c.gi()));
  if (!cell.ok()) return cell.error();
  if (cell->has_value() && (*cell)->cents() > INT64_MAX - cents) {
    return refuse("BAD_FIELD", "argument 'amount_cents': the month's total for the GI would overflow");
  }
  cv1::Invoice inv;
  inv.set_case_id(case_id);
  inv.set_id(invoice_id);
  inv.set_kind(m.kind());
  inv.set_gi(c.gi());
  inv.set_month(code);
  inv.set_cents(cents);
  inv.set_municipality(c.municipality());
  ctx.state.put(key, inv);
  JOET_CTR_TRY(record_invoice_amount(ctx.state, code, c.gi(), case_id, cents));
  return notify(ctx.state, ctx.height, {c.gi(), c.municipality()},
                tx_event(ctx, "COST_INVOICED", case_id, invoice_id, std::string(measure_name(m.kind()))));
}

}  // namespace joet
