#include "contracts/contact.h"

#include <algorithm>

#include "contracts/amsterdam_time.h"
#include "contracts/cases.h"
#include "contracts/deadlines.h"
#include "contracts/notifications.h"

namespace joet {
namespace {

namespace dk = deadline_kinds;

inline constexpr int64_t kMaxContactIntervalDays = 365;

Status schedule_contact(ContractState& state, const Policy& policy, cv1::Case& c, const CivilDate& from) {
  const CivilDate due = add_days(from, int64_t{c.contact_interval_days()} + policy.contact_grace_days);
  return schedule_timer(state, *c.mutable_measure()->mutable_timers(), dk::kContact, c.id(), slots::kMain, due);
}

}  // namespace

Status schedule_no_contact_signal(ContractState& state, const Policy& policy, cv1::Case& c) {
  cv1::Measure& uhp = *c.mutable_uhp();
  JOET_ASSERT(uhp.state() == cv1::ACTIVE && uhp.placed());
  int64_t from = uhp.placed_day();
  if (c.has_contact()) from = std::max(from, c.last_contact_day());
  const CivilDate due = add_days(civil_from_days(from), policy.no_contact_signal_days);
  return schedule_timer(state, *uhp.mutable_timers(), dk::kNoContactSignal, c.id(), slots::kUhp, due);
}

Outcome court_contact_arrangement(TxContext& ctx) {
  JOET_CTR_TRY(require_role(ctx, {cv1::COURT}));
  std::string case_id;
  int64_t interval = 0;
  cv1::Case c;
  JOET_CTR_TRY(ctx.args.integer("interval_days", interval));
  if (interval < 0 || interval > kMaxContactIntervalDays) {
    return refuse("BAD_FIELD", "argument 'interval_days': 0 (no arrangement) .. 365");
  }
  JOET_CTR_TRY(load_case(ctx, case_id, c));
  JOET_CTR_TRY(require_active_measure(c));
  c.set_contact_interval_days(static_cast<int32_t>(interval));
  cancel_timer(ctx.state, *c.mutable_measure()->mutable_timers(), dk::kContact);
  if (interval > 0) JOET_CTR_TRY(schedule_contact(ctx.state, ctx.policy, c, civil_date_of(ctx.block_time_ms)));
  c.set_court(ctx.signer.institution);
  ctx.state.put(state_keys::case_record(case_id), c);
  return notify(ctx.state, ctx.height, {c.gi(), c.rvdk(), c.municipality()},
                tx_event(ctx, "CONTACT_ARRANGEMENT_SET", case_id, std::to_string(interval)));
}

Outcome contact_record(TxContext& ctx) {
  JOET_CTR_TRY(require_role(ctx, {cv1::GI}));
  std::string case_id, outcome, cancelled_by, reason;
  CivilDate date;
  cv1::Case c;
  JOET_CTR_TRY(ctx.args.date("date", date));
  JOET_CTR_TRY(ctx.args.one_of("outcome", {"HELD", "CANCELLED"}, outcome));
  JOET_CTR_TRY(ctx.args.optional_text("cancelled_by", cancelled_by));
  JOET_CTR_TRY(ctx.args.optional_text("reason", reason));
  if (outcome == "CANCELLED") {
    JOET_CTR_TRY(ctx.args.one_of("cancelled_by", {"GI", "CARER", "PARENT", "CHILD"}, cancelled_by));
  } else if (!cancelled_by.empty()) {
    return refuse("BAD_FIELD", "argument 'cancelled_by': only for a CANCELLED contact");
  }
  JOET_CTR_TRY(load_own_running_case(ctx, case_id, c));
  const int64_t day = days_from_civil(date);
  if (day < c.measure().start_day() || day > days_from_civil(civil_date_of(ctx.block_time_ms))) {
    return refuse("BAD_FIELD", "argument 'date': not a day of the measure up to today");
  }
  // Counted for the current D-PROGRESS quarter when dated in it (a late record of an earlier quarter
  // is not counted).
  cv1::Measure& m = *c.mutable_measure();
  if (m.progress_quarter() >= 1) {
    const CivilDate from = add_months(civil_from_days(m.start_day()), static_cast<int32_t>(3 * (m.progress_quarter() - 1)));
    if (day >= days_from_civil(from)) {
      m.set_quarter_contacts(m.quarter_contacts() + 1);
      if (cancelled_by == "GI" || cancelled_by == "CARER") {
        m.set_quarter_contacts_cancelled_gi_carer(m.quarter_contacts_cancelled_gi_carer() + 1);
      }
    }
  }
  cv1::ContactRecord record;
  record.set_day(day);
  record.set_outcome(outcome);
  record.set_cancelled_by(cancelled_by);
  record.set_reason(reason);
  record.set_height(ctx.height);
  ctx.state.put(state_keys::contact(case_id, c.contact_records()), record);
  c.set_contact_records(c.contact_records() + 1);
  if (outcome == "HELD" && (!c.has_contact() || day > c.last_contact_day())) {
    c.set_has_contact(true);
    c.set_last_contact_day(day);
    if (c.contact_interval_days() > 0) JOET_CTR_TRY(schedule_contact(ctx.state, ctx.policy, c, date));
    if (c.uhp().state() == cv1::ACTIVE && c.uhp().placed()) {
      JOET_CTR_TRY(schedule_no_contact_signal(ctx.state, ctx.policy, c));
    }
  }
  ctx.state.put(state_keys::case_record(case_id), c);
  return Outcome();
}

}  // namespace joet
