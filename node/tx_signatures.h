// Verifies every signature of a block's txs on all cores before execution: signature checking is the
// throughput limit, and the contracts (pure, single-threaded) take the verdicts as input.
#pragma once

#include <span>
#include <vector>

#include "joet.pb.h"
#include "ledger/batch_verifier.h"

namespace joet {

// verdict[i] == 1 iff txs[i] has at least one signature and every one verifies over its body under
// tags::kTx; exactly what contracts/executor.cc would decide serially.
std::vector<uint8_t> verify_tx_signatures(BatchVerifier& verifier, std::span<const v1::SignedTx> txs);

}  // namespace joet
