// Submitting a signed tx to a node's RPC and waiting until it is committed: what `joet-client submit`
// and `joet-client governance submit` do. The tx status is read as a member (docs/rpc.md "Access
// control"), signed with `reader`.
#pragma once

#include <cstdint>
#include <string>

#include "client-sdk/http_client.h"
#include "joet.pb.h"

namespace joet::sdk {

// Exit codes of joet-client: 0 committed with OK, 3 committed but refused by the contracts, 2 refused
// on admission (4xx), 4 not committed within wait_ms, 1 a network error, a 5xx or a refused status read.
struct SubmitOutcome {
  int exit_code = 1;
  std::string committed;  // the tx status JSON once committed (exit 0 or 3)
  std::string error;      // what went wrong otherwise
};

SubmitOutcome submit_and_await(const std::string& rpc, const v1::SignedTx& tx, const RequestSigner& reader,
                               uint64_t wait_ms);

}  // namespace joet::sdk
