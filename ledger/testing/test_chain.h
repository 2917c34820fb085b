// Builds well-formed, really signed chains for tests and benchmarks: txs signed by test keys, headers
// that link, and PRECOMMIT certificates signed by 4 test validators. Not for production code.
#pragma once

#include <string>
#include <vector>

#include "joet.pb.h"
#include "ledger/bytes.h"
#include "ledger/keys.h"
#include "ledger/merkle.h"

namespace joet::testing {

inline constexpr std::string_view kTestChainId = "joet-test";

// A signed tx with `payload_bytes` of argument text (document-hash args would be 32 bytes each).
v1::SignedTx make_signed_tx(const PrivateKey& signer, uint64_t nonce, size_t payload_bytes = 0);

class TestChain {
 public:
  explicit TestChain(size_t validators = 4);

  // The next block (height tip+1) with these txs, and the certificate of > 2/3 of the validators.
  struct Certified {
    v1::Block block;
    v1::CommitCertificate commit;
  };
  Certified next(const std::vector<v1::SignedTx>& txs);

  const std::vector<PrivateKey>& validator_keys() const { return keys_; }
  v1::ValidatorSet validator_set() const;

 private:
  std::vector<PrivateKey> keys_;
  uint64_t height_ = 0;
  Hash32 prev_hash_{};
  v1::CommitCertificate last_commit_;
  MerkleFrontier history_;
};

}  // namespace joet::testing
