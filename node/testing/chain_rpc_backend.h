// Test support: an RpcBackend (node/rpc/backend.h) over a LocalChain, so the RPC's proof routes and
// the light client run against real blocks, certificates and state trees. It records the validator
// set of every height as the chain follows validator.update. Header-only; tests only.
#pragma once

#include <atomic>
#include <map>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "ledger/block.h"
#include "ledger/codec.h"
#include "node/rpc/backend.h"
#include "node/state_root.h"
#include "node/testing/local_chain.h"

namespace joet::testing {

class ChainRpcBackend : public rpc::RpcBackend {
 public:
  explicit ChainRpcBackend(LocalChain& chain) : chain_(chain) { record_next_set(); }

  // Commits the chain's next block (LocalChain::next) and records the set of the height after it.
  AssembledBlock next(int64_t time_ms, std::vector<v1::SignedTx> txs = {}) {
    std::vector<Hash32> ids;
    for (const v1::SignedTx& tx : txs) ids.push_back(tx_id(tx));
    AssembledBlock b = chain_.next(time_ms, std::move(txs));
    for (size_t i = 0; i < ids.size(); ++i) results_.insert_or_assign(ids[i], b.execution.results.at(i));
    record_next_set();
    return b;
  }

  // The result the node's index holds for a committed tx, for tests that make the node lie about it.
  TxResult& result_of(const Hash32& id) { return results_.at(id); }

  // Allows everything; counts the requests, and those that came signed (an X-Joet-Signature header).
  rpc::Authorization authorize(const rpc::RequestMeta& meta) override {
    ++requests_;
    for (const auto& [name, value] : meta.headers) {
      if (name == "x-joet-signature" && !value.empty()) ++signed_requests_;
    }
    return rpc::Authorization::allow();
  }
  size_t signed_requests() const { return signed_requests_.load(); }
  size_t requests() const { return requests_.load(); }
  Result<rpc::TxAdmission> submit_tx(const v1::SignedTx&, ByteView) override {
    return make_error(ErrorCode::kConflict, "the chain backend admits no txs");
  }
  Result<rpc::TxStatus> tx_status(const Hash32& id) override {
    rpc::TxStatus out;
    auto at = chain_.blocks_->find_tx(id);
    if (!at.ok()) return at.error();
    if (at->has_value()) {
      out.state = rpc::TxStatus::State::kCommitted;
      out.height = (*at)->height;
      out.index = (*at)->index;
      const TxResult& r = results_.at(id);
      out.result_code = r.ok ? "OK" : r.code;
      out.result_message = r.message;
    }
    return out;
  }
  Result<rpc::NodeStatus> status() override {
    rpc::NodeStatus s;
    s.chain_id = std::string(kChainId);
    s.height = chain_.blocks_->tip().height;
    s.tip_hash = chain_.blocks_->tip().block_hash;
    s.time_ms = static_cast<uint64_t>(chain_.prev_time_ms_);
    return s;
  }
  Result<std::optional<Bytes>> stored_block(uint64_t height) override {
    if (height == 0 || height > chain_.blocks_->tip().height) return std::optional<Bytes>();
    auto b = chain_.blocks_->block_at(height);
    if (!b.ok()) return b.error();
    return std::optional<Bytes>(encode(*b));
  }
  Result<rpc::EventPage> events(std::string_view, uint64_t, size_t) override { return rpc::EventPage{}; }
  void set_events_listener(rpc::EventsListener) override {}
  std::vector<rpc::Metric> metrics() override { return {}; }

  Result<std::optional<v1::ValidatorSet>> validator_set(uint64_t height) override {
    auto it = sets_.find(height);
    if (it == sets_.end()) return std::optional<v1::ValidatorSet>();
    return std::optional<v1::ValidatorSet>(it->second.proto());
  }
  Result<v1::StateProof> prove_state(const Hash32& state_root, ByteView key) override {
    return state_tree().prove(chain_.kv_, state_root, key);
  }
  Result<Stuurinformatie> stuurinformatie(const CivilMonth& from, const CivilMonth& to) override {
    return inzicht::indexed_stuurinformatie(chain_.kv_, from, to);
  }
  Result<std::vector<std::string>> cell_cases(const CivilMonth& month, std::string_view metric,
                                              std::string_view institution) override {
    return inzicht::cell_cases(chain_.kv_, month, metric, institution);
  }
  Result<inzicht::DeadlinePage> pending_deadlines(std::string_view institution, std::string_view case_id,
                                                 int64_t from_ms, int64_t to_ms, size_t limit) override {
    return inzicht::pending_deadlines(chain_.kv_, institution, case_id, from_ms, to_ms, limit);
  }
  Result<inzicht::TimelinePage> case_timeline(std::string_view case_id, size_t skip, size_t limit) override {
    return inzicht::case_timeline(chain_.kv_, case_id, skip, limit);
  }
  Result<std::optional<CaseReading>> case_reading(std::string_view case_id, const rpc::NodeStatus& at) override {
    return read_case(chain_.kv_, case_id, at.height);
  }
  Result<inzicht::Caseload> caseload(std::string_view institution) override {
    return inzicht::caseload(chain_.kv_, institution);
  }
  Result<inzicht::RequestPage> pending_requests(std::string_view institution, size_t limit) override {
    return inzicht::pending_requests(chain_.kv_, institution, limit);
  }

  // The set that certifies `height` (recorded up to tip + 1).
  const ValidatorSet& set_of(uint64_t height) const { return sets_.at(height); }

 private:
  void record_next_set() { sets_.insert_or_assign(chain_.blocks_->tip().height + 1, chain_.set_); }

  LocalChain& chain_;
  std::map<uint64_t, ValidatorSet> sets_;
  std::map<Hash32, TxResult> results_;
  std::atomic<size_t> requests_{0};         // the server's thread writes, the test's reads
  std::atomic<size_t> signed_requests_{0};
};

}  // namespace joet::testing
