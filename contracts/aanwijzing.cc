#include "contracts/aanwijzing.h"

#include "contracts/amsterdam_time.h"
#include "contracts/cases.h"
#include "contracts/notifications.h"
#include "contracts/termijnenwet.h"

namespace joet {
namespace {

namespace dk = deadline_kinds;

}  // namespace

Outcome gi_aanwijzing(TxContext& ctx) {
  JOET_CTR_TRY(require_role(ctx, {cv1::GI}));
  std::string case_id, id, kind, addressee;
  Hash32 document{};
  cv1::Case c;
  JOET_CTR_TRY(ctx.args.text("aanwijzing", id));
  JOET_CTR_TRY(ctx.args.one_of("kind", {"GENERAL", "CONTACT_LIMIT"}, kind));
  JOET_CTR_TRY(ctx.args.one_of("addressee", {"PARENT", "CHILD", "CARER"}, addressee));
  JOET_CTR_TRY(ctx.args.hash("document", document));
  JOET_CTR_TRY(load_own_running_case(ctx, case_id, c));
  const Bytes key = state_keys::aanwijzing(case_id, id);
  auto existing = ctx.state.get_raw(key);
  if (!existing.ok()) return existing.error();
  if (existing->has_value()) return refuse("DUPLICATE", "aanwijzing " + id + " exists");
  const CivilDate today = civil_date_of(ctx.block_time_ms);
  // 1:264: the addressee may ask the court to annul it within 14 days (Atw); informational.
  const CivilDate last = period_end_days(today, ctx.statute.aanwijzing_objection_days, ctx.policy.extra_holidays);
  cv1::Aanwijzing a;
  a.set_case_id(case_id);
  a.set_id(id);
  a.set_kind(kind);
  a.set_addressee(addressee);
  a.set_document(to_string(document));
  a.set_issued_day(days_from_civil(today));
  a.set_objection_last_day(days_from_civil(last));
  auto term = schedule_deadline(ctx.state, dk::kAanwijzing, case_id, add_days(last, 1), slots::kCase, id);
  if (!term.ok()) return term.error();
  if (kind == "CONTACT_LIMIT") {
    auto review = schedule_deadline(ctx.state, dk::kContactLimitSignal, case_id,
                                    add_days(today, ctx.policy.contact_limit_review_days), slots::kCase, id);
    if (!review.ok()) return review.error();
    *a.mutable_review_due() = *review;
  }
  ctx.state.put(key, a);
  return notify(ctx.state, ctx.height, {c.rvdk()}, tx_event(ctx, "AANWIJZING_ISSUED", case_id, id));
}

Outcome court_aanwijzing_review(TxContext& ctx) {
  JOET_CTR_TRY(require_role(ctx, {cv1::COURT}));
  std::string case_id, id, outcome;
  Hash32 document{};
  cv1::Case c;
  cv1::Aanwijzing a;
  JOET_CTR_TRY(ctx.args.one_of("outcome", {"UPHELD", "ANNULLED"}, outcome));
  JOET_CTR_TRY(ctx.args.hash("document", document));
  JOET_CTR_TRY(load_case(ctx, case_id, c));
  JOET_CTR_TRY(load_case_item(ctx, "aanwijzing", &state_keys::aanwijzing, case_id, "AANWIJZING_UNKNOWN", id, a));
  if (!a.review().empty()) return refuse("DUPLICATE", "aanwijzing " + id + " was reviewed already");
  a.set_review(outcome);
  a.set_reviewed_day(days_from_civil(civil_date_of(ctx.block_time_ms)));
  cancel_deadline(ctx.state, *a.mutable_review_due());
  ctx.state.put(state_keys::aanwijzing(case_id, id), a);
  c.set_court(ctx.signer.institution);
  ctx.state.put(state_keys::case_record(case_id), c);
  return notify(ctx.state, ctx.height, {c.gi(), c.rvdk(), c.municipality()},
                tx_event(ctx, "AANWIJZING_REVIEWED", case_id, id + ":" + outcome));
}

Result<CaseDeadlineEvent> fire_contact_limit_review(ContractState& state, const cv1::Case& c, const cv1::Deadline& d) {
  JOET_ASSERT(d.kind() == dk::kContactLimitSignal);
  const Bytes key = state_keys::aanwijzing(c.id(), d.detail());
  auto found = state.get<cv1::Aanwijzing>(key);
  if (!found.ok()) return found.error();
  if (!found->has_value()) return make_error(ErrorCode::kCorruption, "S-CONTACTLIMIT of unknown aanwijzing");
  cv1::Aanwijzing a = std::move(**found);
  if (a.review_due().id() != d.id() || !a.review().empty()) return CaseDeadlineEvent{};
  a.clear_review_due();
  state.put(key, a);
  if (c.measure().state() != cv1::ACTIVE) return CaseDeadlineEvent{};
  return CaseDeadlineEvent{"SIGNAL_CONTACT_LIMIT_NO_REVIEW", a.id(), {c.municipality()}, c.municipality()};
}

}  // namespace joet
