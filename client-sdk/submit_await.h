// Submitting a signed tx to a node's RPC and waiting until it is committed: what `joet-client submit`
// and `joet-client governance submit` do. The tx status is read as a member (docs/rpc.md "Access
// control"), signed with `reader`.
//
// Several nodes may be given: when the one in use cannot be reached (or answers 5xx, or has forgotten
// the tx, e.g. after a restart), the same signed tx, byte for byte, is submitted to the next one and
// awaited there. Never a new tx: a case system that retried with a new nonce after a node died could
// get its decision on chain twice; the same tx has one id, which a chain holds at most once
// (DUPLICATE_TX from a node that has it already counts as submitted).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "client-sdk/http_client.h"
#include "joet.pb.h"

namespace joet::sdk {

// Exit codes of joet-client: 0 committed with OK, 3 committed but refused by the contracts, 2 refused
// on admission (4xx), 4 not committed within wait_ms, 1 no node reachable (the last error), a refused
// status read.
struct SubmitOutcome {
  int exit_code = 1;
  std::string committed;  // the tx status JSON once committed (exit 0 or 3)
  std::string error;      // what went wrong otherwise
  std::string rpc;        // the node it was committed through, or last tried
  size_t failovers = 0;   // times it moved to the next node
};

SubmitOutcome submit_and_await(const std::vector<std::string>& rpcs, const v1::SignedTx& tx,
                               const RequestSigner& reader, uint64_t wait_ms);

// The nonce `key` should sign its next tx with, as the first node of `rpcs` that answers sees it
// (GET /v1/keys/{key}/nonce: above the last used on chain and the node's pending ones), the request
// signed with `reader` (any member). kIoError when no node answers; kInvalidArgument with its answer
// when one refuses.
Result<uint64_t> next_nonce(const std::vector<std::string>& rpcs, const PublicKey& key, const RequestSigner& reader);

// "HOST:PORT[,HOST:PORT...]": the nodes in order; empty entries are dropped.
std::vector<std::string> split_endpoints(const std::string& list);

}  // namespace joet::sdk
