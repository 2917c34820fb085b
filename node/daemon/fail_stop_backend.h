// The node's RPC backend behind one rule: a read that finds the store corrupt (a damaged table file the
// start check could not see yet: disk rot while running) stops the node, naming the file and the
// remedy, instead of answering 500 and carrying on. Every call is forwarded to the real backend.
#pragma once

#include <functional>
#include <utility>

#include "node/rpc/backend.h"

namespace joet::daemon {

class FailStopOnCorruption final : public rpc::RpcBackend {
 public:
  FailStopOnCorruption(rpc::RpcBackend& inner, std::function<void(const Error&)> stop)
      : inner_(inner), stop_(std::move(stop)) {}

  rpc::Authorization authorize(const rpc::RequestMeta& meta) override { return inner_.authorize(meta); }
  Result<rpc::TxAdmission> submit_tx(const v1::SignedTx& tx, ByteView tx_bytes) override {
    return checked(inner_.submit_tx(tx, tx_bytes));
  }
  Result<rpc::TxStatus> tx_status(const Hash32& tx_id) override { return checked(inner_.tx_status(tx_id)); }
  Result<rpc::NodeStatus> status() override { return checked(inner_.status()); }
  Result<std::optional<Bytes>> stored_block(uint64_t height) override { return checked(inner_.stored_block(height)); }
  Result<rpc::EventPage> events(std::string_view recipient, uint64_t after, size_t limit) override {
    return checked(inner_.events(recipient, after, limit));
  }
  void set_events_listener(rpc::EventsListener listener) override { inner_.set_events_listener(std::move(listener)); }
  std::vector<rpc::Metric> metrics() override { return inner_.metrics(); }
  Result<std::optional<v1::ValidatorSet>> validator_set(uint64_t height) override {
    return checked(inner_.validator_set(height));
  }
  Result<KeyNonce> key_nonce(const Hash32& public_key) override { return checked(inner_.key_nonce(public_key)); }
  Result<v1::StateProof> prove_state(const Hash32& state_root, ByteView key) override {
    return checked(inner_.prove_state(state_root, key));
  }
  Result<Stuurinformatie> stuurinformatie(const CivilMonth& from, const CivilMonth& to) override {
    return checked(inner_.stuurinformatie(from, to));
  }
  Result<std::vector<std::string>> cell_cases(const CivilMonth& month, std::string_view metric,
                                              std::string_view institution) override {
    return checked(inner_.cell_cases(month, metric, institution));
  }
  Result<inzicht::DeadlinePage> pending_deadlines(std::string_view institution, std::string_view case_id,
                                                 int64_t from_ms, int64_t to_ms, size_t limit) override {
    return checked(inner_.pending_deadlines(institution, case_id, from_ms, to_ms, limit));
  }
  Result<inzicht::TimelinePage> case_timeline(std::string_view case_id, size_t skip, size_t limit) override {
    return checked(inner_.case_timeline(case_id, skip, limit));
  }
  Result<std::optional<CaseReading>> case_reading(std::string_view case_id, const rpc::NodeStatus& at) override {
    return checked(inner_.case_reading(case_id, at));
  }
  Result<inzicht::Caseload> caseload(std::string_view institution) override { return checked(inner_.caseload(institution)); }
  Result<inzicht::RequestPage> pending_requests(std::string_view institution, size_t limit) override {
    return checked(inner_.pending_requests(institution, limit));
  }

 private:
  template <typename T>
  Result<T> checked(Result<T> r) {
    if (!r.ok() && r.error().code == ErrorCode::kCorruption) stop_(r.error());
    return r;
  }
  rpc::RpcBackend& inner_;
  std::function<void(const Error&)> stop_;
};

}  // namespace joet::daemon
