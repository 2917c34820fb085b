#include "node/daemon/rpc_backend.h"

#include <utility>

#include "contracts.pb.h"
#include "contracts/policy.h"
#include "contracts/privacy.h"
#include "contracts/state.h"
#include "ledger/block.h"
#include "ledger/codec.h"
#include "node/daemon/access_registry.h"
#include "node/state_root.h"

namespace joet::daemon {

// The policy of node/rpc/access_policy.h, with the registry read from the committed state at each
// request (a revoked key is refused from the next block on) and the node's wall clock.
rpc::Authorization DaemonRpcBackend::authorize(const rpc::RequestMeta& meta) {
  StateAccessRegistry registry(kv_);
  const rpc::AccessContext context{facts_.chain_id, facts_.now_ms(), rpc::RequestAuthConfig{}};
  return rpc::decide_access(meta, context, registry);
}

Result<rpc::TxAdmission> DaemonRpcBackend::submit_tx(const v1::SignedTx&, ByteView tx_bytes) {
  if (app_.halted()) return make_error(ErrorCode::kConflict, "the node halted: " + app_.halt_status().to_string());
  auto verdict = app_.submit_tx(tx_bytes, static_cast<int64_t>(facts_.now_ms()));
  if (!verdict.ok()) {
    facts_.fatal(verdict.error());  // the store failed or the executor cannot run the next height
    return verdict.error();
  }
  rpc::TxAdmission out;
  out.tx_id = verdict->tx_id;
  out.admitted = verdict->admitted();
  if (out.admitted) {
    facts_.tx_admitted();
  } else {
    out.code = verdict->refused->code;
    out.message = verdict->refused->message;
    refused_by_code_[out.code] += 1;
    out.retry_later = verdict->refused->fault == TxFault::kFull || verdict->refused->fault == TxFault::kSenderLimit;
  }
  return out;
}

Result<rpc::TxStatus> DaemonRpcBackend::tx_status(const Hash32& tx_id) {
  rpc::TxStatus out;
  auto location = blocks_.find_tx(tx_id);
  if (!location.ok()) return location.error();
  if (location->has_value()) {
    out.state = rpc::TxStatus::State::kCommitted;
    out.height = (*location)->height;
    out.index = (*location)->index;
    auto result = app_.tx_result(tx_id);
    if (!result.ok()) return result.error();
    if (!result->has_value()) return make_error(ErrorCode::kCorruption, "a committed tx without its result");
    out.result_code = (*result)->ok ? "OK" : (*result)->code;
    out.result_message = (*result)->message;
  } else if (mempool_.contains(tx_id)) {
    out.state = rpc::TxStatus::State::kPending;
  }
  return out;
}

Result<rpc::NodeStatus> DaemonRpcBackend::status() {
  rpc::NodeStatus out;
  out.chain_id = facts_.chain_id;
  out.height = blocks_.tip().height;
  if (out.height > 0) {
    out.tip_hash = blocks_.tip().block_hash;
    auto header = blocks_.header_at(out.height);
    if (!header.ok()) return header.error();
    out.time_ms = header->time_ms();
    out.rules_version = header->rules_version();
  }
  out.peers = facts_.peers();
  const ContractState state(kv_);
  auto policy = load_policy(state, Policy{});
  if (!policy.ok()) return policy.error();
  for (const PolicyIntParam& p : policy_int_params()) out.policy.emplace_back(std::string(p.name), (*policy).*(p.field));
  return out;
}

Result<std::optional<Bytes>> DaemonRpcBackend::stored_block(uint64_t height) {
  if (height == 0 || height > blocks_.tip().height) return std::optional<Bytes>();
  auto block = blocks_.block_at(height);
  if (!block.ok()) return block.error();
  return std::optional<Bytes>(encode(*block));
}

Result<rpc::EventPage> DaemonRpcBackend::events(std::string_view recipient, uint64_t after, size_t limit) {
  rpc::EventPage page;
  if (after == UINT64_MAX || limit == 0) return page;
  // Not an institution id (e.g. "a/b", which the handler's printable check lets through): no events,
  // and never a state key built from it.
  if (!is_code_charset(recipient)) return page;
  // c/evseq/<recipient>: the last sequence number handed out.
  auto last = kv_.get(state_keys::event_seq(recipient));
  if (!last.ok()) return last.error();
  if (last->has_value() && (*last)->size() != 8) {
    return make_error(ErrorCode::kCorruption, "event sequence " + to_hex(state_keys::event_seq(recipient)) + " does not decode");
  }
  page.last_seq = last->has_value() ? get_u64_be((*last)->data()) : 0;
  // c/ev/<recipient>/<be64 seq>: ascending seq in key order (contracts/state.h).
  const Bytes begin = state_keys::event(recipient, after + 1);
  const Bytes end = state_keys::event(recipient, UINT64_MAX);
  Status bad;
  Status s = kv_.scan(begin, end, [&](ByteView key, ByteView value) {
    contracts::v1::Event event;
    if (!event.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
      bad = make_error(ErrorCode::kCorruption, "event " + to_hex(key) + " does not decode");
      return false;
    }
    page.events.push_back(std::move(event));
    return page.events.size() < limit;
  });
  if (!s.ok()) return s.error();
  if (!bad.ok()) return bad.error();
  // Whether each was acknowledged (c/ack/<recipient>/<be64 seq>: be64 height of the notification.ack).
  for (const contracts::v1::Event& e : page.events) {
    auto ack = kv_.get(state_keys::ack(recipient, e.seq()));
    if (!ack.ok()) return ack.error();
    if (ack->has_value() && (*ack)->size() != 8) {
      return make_error(ErrorCode::kCorruption, "ack " + to_hex(state_keys::ack(recipient, e.seq())) + " does not decode");
    }
    page.acked_heights.push_back(ack->has_value() ? get_u64_be((*ack)->data()) : 0);
  }
  return page;
}

std::vector<rpc::Metric> DaemonRpcBackend::metrics() {
  using rpc::Metric;
  std::vector<Metric> out = {
      {"joet_height", "The height of the last committed block.", Metric::Type::kGauge, {},
       static_cast<double>(blocks_.tip().height)},
      {"joet_mempool_txs", "Txs waiting in the mempool.", Metric::Type::kGauge, {},
       static_cast<double>(mempool_.size())},
      {"joet_mempool_bytes", "Bytes of the txs waiting in the mempool.", Metric::Type::kGauge, {},
       static_cast<double>(mempool_.bytes())},
      {"joet_halted", "1 when the ledger app halted.", Metric::Type::kGauge, {}, app_.halted() ? 1.0 : 0.0},
  };
  for (const auto& [code, count] : refused_by_code_) {
    out.push_back({"joet_txs_refused_total", "Txs refused at admission (RPC), by error code.", Metric::Type::kCounter,
                   {{"code", code}}, static_cast<double>(count)});
  }
  for (Metric& m : facts_.extra_metrics()) out.push_back(std::move(m));
  return out;
}

Result<std::optional<v1::ValidatorSet>> DaemonRpcBackend::validator_set(uint64_t height) {
  // Known up to tip + 2; served up to tip + 1, the last height a certified header names a set for.
  if (height == 0 || height > blocks_.tip().height + 1) return std::optional<v1::ValidatorSet>();
  const ValidatorSet* set = app_.validator_set(height);
  if (set == nullptr) return std::optional<v1::ValidatorSet>();
  return std::optional<v1::ValidatorSet>(set->proto());
}

Result<v1::StateProof> DaemonRpcBackend::prove_state(const Hash32& state_root, ByteView key) {
  // The tree keeps every historical root (no pruning, ledger/smt.h), so any certified height proves.
  return state_tree().prove(kv_, state_root, key);
}

Result<rpc::RpcBackend::KeyNonce> DaemonRpcBackend::key_nonce(const Hash32& public_key) {
  auto w = mempool_.nonce_window(public_key);
  if (!w.ok()) return w.error();
  return KeyNonce{w->last_used, w->pending, w->highest_pending, w->next, w->max_accepted};
}

Result<Stuurinformatie> DaemonRpcBackend::stuurinformatie(const CivilMonth& from, const CivilMonth& to) {
  return inzicht::indexed_stuurinformatie(kv_, from, to);
}

Result<std::vector<std::string>> DaemonRpcBackend::cell_cases(const CivilMonth& month, std::string_view metric,
                                                              std::string_view institution) {
  return inzicht::cell_cases(kv_, month, metric, institution);
}

Result<inzicht::DeadlinePage> DaemonRpcBackend::pending_deadlines(std::string_view institution, std::string_view case_id,
                                                                 int64_t from_ms, int64_t to_ms, size_t limit) {
  return inzicht::pending_deadlines(kv_, institution, case_id, from_ms, to_ms, limit);
}

Result<inzicht::TimelinePage> DaemonRpcBackend::case_timeline(std::string_view case_id, size_t skip, size_t limit) {
  return inzicht::case_timeline(kv_, case_id, skip, limit);
}

Result<std::optional<CaseReading>> DaemonRpcBackend::case_reading(std::string_view case_id, const rpc::NodeStatus& at) {
  return read_case(kv_, case_id, at.height);
}

Result<inzicht::Caseload> DaemonRpcBackend::caseload(std::string_view institution) {
  return inzicht::caseload(kv_, institution);
}

Result<inzicht::RequestPage> DaemonRpcBackend::pending_requests(std::string_view institution, size_t limit) {
  return inzicht::pending_requests(kv_, institution, limit);
}

void DaemonRpcBackend::notify_committed() {
  if (listener_) listener_("");
}

}  // namespace joet::daemon
