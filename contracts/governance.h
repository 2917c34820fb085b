// Registry changes (DOMAIN.md, Governance): institution.add / institution.remove, signed by more than
// 2/3 of the registered institutions (the executor checks the signatures, executor.h), and
// member.add / member.revoke, signed by the institution's admin key. docs/contracts.md has the args,
// codes and events.
#pragma once

#include <string>
#include <vector>

#include "contracts/outcome.h"
#include "contracts/state.h"
#include "contracts/tx_context.h"

namespace joet {

// The most member keys one institution holds.
inline constexpr size_t kMaxMembersPerInstitution = 64;

// The ids of the registered institutions, ascending, as the current tx sees them.
Result<std::vector<std::string>> registered_institutions(const ContractState& state);

// The key that signs member.add / member.revoke for `inst`: admin_key, or member_keys[0] while unset.
Bytes admin_key_of(const cv1::Institution& inst);

// institution.add {institution text, role COURT|RVDK|MUNICIPALITY|GI|AUDITOR, admin_key hash}.
Outcome institution_add(TxContext& ctx);
// institution.remove {institution text}.
Outcome institution_remove(TxContext& ctx);
// member.add {key hash} / member.revoke {key hash}: signed by the signer institution's admin key.
Outcome member_add(TxContext& ctx);
Outcome member_revoke(TxContext& ctx);

}  // namespace joet
