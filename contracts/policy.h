// The policy parameters in state (c/meta/policy, DOMAIN.md: sector norms set at genesis and changed
// by governance) and `policy.set`, signed by more than 2/3 of the registered institutions.
// A change takes effect from the next block: every tx of a block sees the policy the block began with.
#pragma once

#include <span>
#include <string_view>

#include "contracts/outcome.h"
#include "contracts/state.h"
#include "contracts/tx_context.h"
#include "ledger/kv_store.h"

namespace joet {

// The bounds a policy value must lie in (days): a legal term is days to months, never years.
inline constexpr int32_t kMaxPolicyDays = 365;

// An integer parameter (days): its name in policy.set and scenarios, its field, its least value
// (the greatest is kMaxPolicyDays).
struct PolicyIntParam {
  std::string_view name;
  int32_t Policy::*field;
  int32_t min;
};
// Every integer parameter, sorted by name; find_policy_int_param gives nullptr for an unknown name.
std::span<const PolicyIntParam> policy_int_params();
const PolicyIntParam* find_policy_int_param(std::string_view name);

// kInvalidArgument for a value outside 1..kMaxPolicyDays (contact_grace_days: 0..kMaxPolicyDays), a
// spoed_hearing_days above kMaxPeriodDays or an extra_holidays list that fails check_extra_holidays.
Status check_policy(const Policy& policy);

cv1::PolicyParams to_params(const Policy& policy);
// kCorruption when stored params fail check_policy.
Result<Policy> from_params(const cv1::PolicyParams& params);

// The genesis write of the policy (after check_policy).
Result<WriteBatch> genesis_policy_writes(const Policy& policy);

// The policy in state, or `fallback` when the state has none (a genesis without c/meta/policy).
Result<Policy> load_policy(const ContractState& state, const Policy& fallback);

// policy.set {name, value (integer) | date (for extra_holidays.add / extra_holidays.remove)}.
// The executor has checked the signatures (> 2/3 of the institutions, executor.h).
Outcome policy_set(TxContext& ctx);

}  // namespace joet
