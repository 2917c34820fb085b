// Test support for node/app: the contracts' test genesis (contracts/contracts_test_support.h keys) with
// four validators, and one validator's state machine side (store, block store, mempool, LedgerApp).
// Header-only; tests only.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "node/testing/local_chain.h"
#include "contracts/contracts_test_support.h"
#include "contracts/policy.h"
#include "contracts/registry.h"
#include "ledger/block.h"
#include "ledger/commit_certificate.h"
#include "ledger/hash.h"
#include "node/app/ledger_app.h"
#include "node/app/mempool.h"

namespace joet::testing {

// validator_key(i) and four_validators(): node/testing/local_chain.h.
inline v1::ValidatorSet four_validator_set() { return four_validators().proto(); }

inline const int64_t kGenesisMs = utc_ms(2026, 3, 10, 8);

// The contracts' test registry (Chain's institutions and keys), the default policy, four validators.
inline Genesis test_genesis() {
  Genesis g;
  g.chain_id = std::string(kChainId);
  g.time_ms = kGenesisMs;
  auto registry = genesis_registry_writes(test_institutions());
  JOET_ASSERT(registry.ok());
  auto policy = genesis_policy_writes(Policy{});
  JOET_ASSERT(policy.ok());
  g.state = std::move(registry).value();
  for (const auto& [key, value] : policy->ops()) {
    JOET_ASSERT(value.has_value());
    g.state.put(key, *value);
  }
  g.validators = four_validator_set();
  return g;
}

inline Bytes tx_bytes(const v1::SignedTx& tx) { return encode(tx); }

// One validator's state machine side over a given store (memory or LevelDB).
struct AppNode {
  AppNode(std::unique_ptr<KvStore> store, size_t validator, MempoolLimits limits = {}, LedgerAppConfig config = {},
          Genesis genesis = test_genesis())
      : kv(std::move(store)) {
    executor.chain_id = std::string(kChainId);
    blocks = std::move(BlockStore::open(*kv, "node-" + std::to_string(validator)).value());
    mempool = std::make_unique<Mempool>(limits, executor, *kv, *blocks);
    config.own_key = validator_key(validator).public_key();
    app = std::make_unique<LedgerApp>(std::move(config), *kv, *blocks, executor, verifier, std::move(genesis), *mempool);
  }

  std::unique_ptr<KvStore> kv;
  ExecutorConfig executor;
  BatchVerifier verifier{1};
  std::unique_ptr<BlockStore> blocks;
  std::unique_ptr<Mempool> mempool;
  std::unique_ptr<LedgerApp> app;
};

// A PRECOMMIT certificate of validators 0..2 (the smallest quorum of the four) for `hash` at `height`.
inline v1::CommitCertificate certify(uint64_t height, const Hash32& hash) {
  return certify_by(four_validators(), height, hash);
}

inline consensus::ValidateBlock validate_request(uint64_t height, const consensus::Value& v) {
  return consensus::ValidateBlock{height, 0, v.hash, v.time_ms, v.bytes};
}

}  // namespace joet::testing
