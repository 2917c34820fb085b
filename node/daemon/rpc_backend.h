// The daemon's RpcBackend (node/rpc/backend.h) over its ledger app, block store, mempool and peers.
// Every call runs on the daemon's one io_context thread (the RPC server shares it with the engine and
// the transport), so it reads the stores directly and takes no locks.
//
// authorize() enforces the signed-request policy of node/rpc/access_policy.h (docs/rpc.md "Access
// control"): member keys and case parties come from the committed state (node/daemon/access_registry.h).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "ledger/block_store.h"
#include "ledger/keys.h"
#include "ledger/kv_store.h"
#include "node/app/ledger_app.h"
#include "node/app/mempool.h"
#include "node/rpc/backend.h"

namespace joet::daemon {

// What the backend reads of the node besides the stores; the daemon fills it in.
struct NodeFacts {
  std::string chain_id;
  std::function<uint64_t()> now_ms;
  std::function<void()> tx_admitted;  // a client's tx is in the mempool: announce it to the peers (decision 0014)
  std::function<std::vector<rpc::PeerInfo>()> peers;          // connected peers with their heights
  std::function<std::vector<rpc::Metric>()> extra_metrics;    // transport and engine counters
  std::function<void(const Error&)> fatal;                    // the mempool failed: the node stops
};

class DaemonRpcBackend : public rpc::RpcBackend {
 public:
  DaemonRpcBackend(LedgerApp& app, BlockStore& blocks, const KvStore& kv, const Mempool& mempool, NodeFacts facts)
      : app_(app), blocks_(blocks), kv_(kv), mempool_(mempool), facts_(std::move(facts)) {}

  rpc::Authorization authorize(const rpc::RequestMeta& meta) override;
  Result<rpc::TxAdmission> submit_tx(const v1::SignedTx& tx, ByteView tx_bytes) override;
  Result<rpc::TxStatus> tx_status(const Hash32& tx_id) override;
  Result<rpc::NodeStatus> status() override;
  Result<std::optional<Bytes>> stored_block(uint64_t height) override;
  Result<rpc::EventPage> events(std::string_view recipient, uint64_t after, size_t limit) override;
  void set_events_listener(rpc::EventsListener listener) override { listener_ = std::move(listener); }
  std::vector<rpc::Metric> metrics() override;
  Result<std::optional<v1::ValidatorSet>> validator_set(uint64_t height) override;
  Result<v1::StateProof> prove_state(const Hash32& state_root, ByteView key) override;
  Result<KeyNonce> key_nonce(const Hash32& public_key) override;
  Result<Stuurinformatie> stuurinformatie(const CivilMonth& from, const CivilMonth& to) override;
  Result<std::vector<std::string>> cell_cases(const CivilMonth& month, std::string_view metric,
                                              std::string_view institution) override;
  Result<inzicht::DeadlinePage> pending_deadlines(std::string_view institution, std::string_view case_id,
                                                 int64_t from_ms, int64_t to_ms, size_t limit) override;
  Result<inzicht::TimelinePage> case_timeline(std::string_view case_id, size_t skip, size_t limit) override;
  Result<std::optional<CaseReading>> case_reading(std::string_view case_id, const rpc::NodeStatus& at) override;
  Result<inzicht::Caseload> caseload(std::string_view institution) override;
  Result<inzicht::RequestPage> pending_requests(std::string_view institution, size_t limit) override;

  // The daemon calls it after each commit (the listener wakes long-polls of any recipient).
  void notify_committed();

 private:
  LedgerApp& app_;
  BlockStore& blocks_;
  const KvStore& kv_;
  const Mempool& mempool_;
  NodeFacts facts_;
  rpc::EventsListener listener_;
  std::map<std::string, uint64_t> refused_by_code_;  // txs refused at admission, by error code
};

}  // namespace joet::daemon
