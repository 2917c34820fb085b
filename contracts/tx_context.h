// What an action handler sees: the state, the policy parameters, the block, the tx and its signer.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>

#include "contracts/outcome.h"
#include "contracts/state.h"
#include "contracts/tx_args.h"
#include "ledger/bytes.h"

namespace joet {

// Policy parameters (DOMAIN.md: sector norms, to become governance-set `policy.set` values).
struct Policy {
  int32_t plan_days = 42;              // D-PLAN: gi.plan within this many days of the measure start
  int32_t extension_filing_days = 14;  // D-EXTEND: extension request filed by end - this many days
};

// The institution a tx's first signature speaks for.
struct Signer {
  std::string institution;
  cv1::Role role = cv1::ROLE_UNSPECIFIED;
};

struct TxContext {
  ContractState& state;
  const Policy& policy;
  uint64_t height = 0;
  int64_t block_time_ms = 0;
  Hash32 tx_id{};
  Signer signer;
  const TxArgs& args;
};

// NOT_AUTHORIZED unless the signer's role is one of `roles`.
Outcome require_role(const TxContext& ctx, std::initializer_list<cv1::Role> roles);

}  // namespace joet
