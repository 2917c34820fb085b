// Events addressed to institutions, numbered per recipient from 1 (c/evseq/<recipient>), stored at
// c/ev/<recipient>/<seq> and staged with the current tx; `notification.ack` records receipt.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "contracts/outcome.h"
#include "contracts/state.h"
#include "contracts/tx_context.h"

namespace joet {

struct EventSpec {
  std::string kind;     // MEASURE_GRANTED, MEASURE_ENDED, ...
  std::string case_id;
  std::string detail;   // a code
  Hash32 tx_id{};       // zero for deadline events
  bool has_tx = false;
  uint64_t deadline_id = 0;
  std::string measure;  // OTS, VOTS, UHP or ""
};

// The spec of an event caused by the tx of `ctx`.
EventSpec tx_event(const TxContext& ctx, std::string kind, const std::string& case_id, std::string detail,
                   std::string measure = "");

// One event to each recipient, in the given order, skipping empty ids and repeats (the first wins).
Outcome notify(ContractState& state, uint64_t height, const std::vector<std::string>& recipients,
               const EventSpec& spec);

// notification.ack {seq}: the signer's institution acknowledges its event `seq`.
Outcome notification_ack(TxContext& ctx);

}  // namespace joet
