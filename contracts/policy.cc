#include "contracts/policy.h"

#include <algorithm>
#include <utility>

#include "contracts/termijnenwet.h"
#include "ledger/codec.h"

namespace joet {
namespace {

// Sorted by name.
constexpr PolicyIntParam kIntParams[] = {
    {"assign_days", &Policy::assign_days, 1},
    {"complaint_decision_days", &Policy::complaint_decision_days, 1},
    {"complaint_postpone_days", &Policy::complaint_postpone_days, 0},
    {"contact_grace_days", &Policy::contact_grace_days, 0},
    {"contact_limit_review_days", &Policy::contact_limit_review_days, 1},
    {"escalation_days", &Policy::escalation_days, 1},
    {"extension_filing_days", &Policy::extension_filing_days, 1},
    {"no_contact_signal_days", &Policy::no_contact_signal_days, 1},
    {"non_extension_notice_days", &Policy::non_extension_notice_days, 1},
    {"plan_days", &Policy::plan_days, 1},
    {"spoed_hearing_days", &Policy::spoed_hearing_days, 1},
};

}  // namespace

std::span<const PolicyIntParam> policy_int_params() { return kIntParams; }

const PolicyIntParam* find_policy_int_param(std::string_view name) {
  for (const PolicyIntParam& p : kIntParams) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

Status check_policy(const Policy& policy) {
  for (const PolicyIntParam& p : kIntParams) {
    const int32_t v = policy.*p.field;
    if (v < p.min || v > kMaxPolicyDays) {
      return make_error(ErrorCode::kInvalidArgument, "policy: " + std::string(p.name) + " out of range");
    }
  }
  if (policy.spoed_hearing_days > kMaxPeriodDays) {
    return make_error(ErrorCode::kInvalidArgument, "policy: spoed_hearing_days out of range");
  }
  for (const CivilDate& d : policy.extra_holidays) {
    if (!is_input_date(d)) return make_error(ErrorCode::kInvalidArgument, "policy: extra holiday not a date");
  }
  return check_extra_holidays(policy.extra_holidays);
}

cv1::PolicyParams to_params(const Policy& policy) {
  cv1::PolicyParams p;
  p.set_plan_days(policy.plan_days);
  p.set_extension_filing_days(policy.extension_filing_days);
  p.set_assign_days(policy.assign_days);
  p.set_spoed_hearing_days(policy.spoed_hearing_days);
  p.set_non_extension_notice_days(policy.non_extension_notice_days);
  p.set_contact_grace_days(policy.contact_grace_days);
  p.set_no_contact_signal_days(policy.no_contact_signal_days);
  p.set_escalation_days(policy.escalation_days);
  p.set_complaint_decision_days(policy.complaint_decision_days);
  p.set_complaint_postpone_days(policy.complaint_postpone_days);
  p.set_contact_limit_review_days(policy.contact_limit_review_days);
  for (const CivilDate& d : policy.extra_holidays) p.add_extra_holidays(days_from_civil(d));
  return p;
}

Result<Policy> from_params(const cv1::PolicyParams& p) {
  Policy policy;
  policy.plan_days = p.plan_days();
  policy.extension_filing_days = p.extension_filing_days();
  policy.assign_days = p.assign_days();
  policy.spoed_hearing_days = p.spoed_hearing_days();
  policy.non_extension_notice_days = p.non_extension_notice_days();
  policy.contact_grace_days = p.contact_grace_days();
  policy.no_contact_signal_days = p.no_contact_signal_days();
  policy.escalation_days = p.escalation_days();
  policy.complaint_decision_days = p.complaint_decision_days();
  policy.complaint_postpone_days = p.complaint_postpone_days();
  policy.contact_limit_review_days = p.contact_limit_review_days();
  if (p.extra_holidays_size() > static_cast<int>(kMaxExtraHolidays)) {
    return make_error(ErrorCode::kCorruption, "stored policy: too many extra holidays");
  }
  for (int64_t day : p.extra_holidays()) {
    // Bound the day count before converting: a corrupt value must not reach the calendar's asserts.
    if (day < days_from_civil(CivilDate{kMinInputYear, 1, 1}) || day > days_from_civil(CivilDate{kMaxInputYear, 12, 31})) {
      return make_error(ErrorCode::kCorruption, "stored policy: extra holiday out of range");
    }
    policy.extra_holidays.push_back(civil_from_days(day));
  }
  Status ok = check_policy(policy);
  if (!ok.ok()) return make_error(ErrorCode::kCorruption, "stored " + ok.error().message);
  return policy;
}

Result<WriteBatch> genesis_policy_writes(const Policy& policy) {
  Status ok = check_policy(policy);
  if (!ok.ok()) return ok.error();
  WriteBatch batch;
  batch.put(state_keys::policy(), encode(to_params(policy)));
  return batch;
}

Result<Policy> load_policy(const ContractState& state, const Policy& fallback) {
  auto stored = state.get<cv1::PolicyParams>(state_keys::policy());
  if (!stored.ok()) return stored.error();
  if (!stored->has_value()) return fallback;
  return from_params(**stored);
}

Outcome policy_set(TxContext& ctx) {
  std::string name;
  JOET_CTR_TRY(ctx.args.text("name", name));
  Policy next = ctx.policy;
  if (name == "extra_holidays.add" || name == "extra_holidays.remove") {
    CivilDate date;
    JOET_CTR_TRY(ctx.args.date("date", date));
    auto& days = next.extra_holidays;
    auto it = std::lower_bound(days.begin(), days.end(), date);
    const bool present = it != days.end() && *it == date;
    if (name == "extra_holidays.add") {
      if (present) return refuse("DUPLICATE", to_string(date) + " is already an extra holiday");
      days.insert(it, date);
    } else {
      if (!present) return refuse("BAD_FIELD", "argument 'date': not an extra holiday");
      days.erase(it);
    }
  } else {
    const PolicyIntParam* param = find_policy_int_param(name);
    if (param == nullptr) return refuse("BAD_FIELD", "argument 'name': no policy parameter " + name);
    int64_t value = 0;
    JOET_CTR_TRY(ctx.args.integer("value", value));
    if (value < param->min || value > kMaxPolicyDays) {
      return refuse("BAD_FIELD", "argument 'value': out of range " + std::to_string(param->min) + ".." +
                                     std::to_string(kMaxPolicyDays));
    }
    next.*(param->field) = static_cast<int32_t>(value);
  }
  Status ok = check_policy(next);
  if (!ok.ok()) return refuse("BAD_FIELD", ok.error().message);
  ctx.state.put(state_keys::policy(), to_params(next));
  return Outcome();
}

}  // namespace joet
