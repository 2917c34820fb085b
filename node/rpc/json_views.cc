#include "node/rpc/json_views.h"

#include "node/utc_time.h"

#include <chrono>
#include <cstdio>

#include "ledger/block.h"
#include "ledger/codec.h"

namespace joet::rpc {

namespace {

std::string hex(const std::string& bytes) { return to_hex(as_bytes(bytes)); }

std::string_view vote_type_name(v1::VoteType type) {
  switch (type) {
    case v1::PREVOTE: return "PREVOTE";
    case v1::PRECOMMIT: return "PRECOMMIT";
    default: return "VOTE_TYPE_UNSPECIFIED";
  }
}

std::string_view tx_state_name(TxStatus::State state) {
  switch (state) {
    case TxStatus::State::kPending: return "pending";
    case TxStatus::State::kCommitted: return "committed";
    case TxStatus::State::kUnknown: return "unknown";
  }
  return "unknown";
}

}  // namespace

nlohmann::json error_json(std::string_view code, std::string_view message) {
  return {{"error", {{"code", code}, {"message", message}}}};
}

nlohmann::json header_json(const v1::BlockHeader& header) {
  return {
      {"chain_id", header.chain_id()},
      {"height", header.height()},
      {"time_ms", header.time_ms()},
      {"rules_version", header.rules_version()},
      {"prev_block_hash", hex(header.prev_block_hash())},
      {"tx_root", hex(header.tx_root())},
      {"state_root", hex(header.state_root())},
      {"events_root", hex(header.events_root())},
      {"history_root", hex(header.history_root())},
      {"validator_set_hash", hex(header.validator_set_hash())},
      {"next_validator_set_hash", hex(header.next_validator_set_hash())},
      {"proposer", header.proposer()},
      {"last_commit_hash", hex(header.last_commit_hash())},
      {"evidence_root", hex(header.evidence_root())},
      {"results_root", hex(header.results_root())},
  };
}

nlohmann::json certificate_json(const v1::CommitCertificate& cert) {
  nlohmann::json out = {{"vote_body", hex(cert.vote_body())}, {"signers", hex(cert.signers())}};
  nlohmann::json signatures = nlohmann::json::array();
  for (const std::string& s : cert.signatures()) signatures.push_back(hex(s));
  out["signatures"] = std::move(signatures);
  Result<v1::VoteBody> vote = decode_vote_body(as_bytes(cert.vote_body()));
  if (vote.ok()) {
    out["vote"] = {{"chain_id", vote->chain_id()},
                   {"type", vote_type_name(vote->type())},
                   {"height", vote->height()},
                   {"round", vote->round()},
                   {"block_hash", hex(vote->block_hash())}};
  } else {
    out["vote"] = nullptr;
  }
  return out;
}

Result<nlohmann::json> stored_block_json(const v1::StoredBlock& stored) {
  const v1::Block& block = stored.block();
  Result<v1::BlockHeader> header = decode_block_header(as_bytes(block.header()));
  if (!header.ok()) {
    return make_error(ErrorCode::kCorruption, "stored block header: " + header.error().message);
  }
  nlohmann::json txs = nlohmann::json::array();
  nlohmann::json tx_ids = nlohmann::json::array();
  for (const std::string& tx : block.txs()) {
    txs.push_back(hex(tx));
    Result<v1::SignedTx> signed_tx = decode_signed_tx(as_bytes(tx));
    tx_ids.push_back(signed_tx.ok() ? nlohmann::json(to_hex(tx_id(*signed_tx))) : nlohmann::json(nullptr));
  }
  return nlohmann::json{
      {"height", header->height()},
      {"hash", to_hex(block_hash(block))},
      {"header", header_json(*header)},
      {"txs", std::move(txs)},
      {"tx_ids", std::move(tx_ids)},
      {"last_commit", block.has_last_commit() ? certificate_json(block.last_commit()) : nlohmann::json(nullptr)},
      {"certificate", stored.has_commit() ? certificate_json(stored.commit()) : nlohmann::json(nullptr)},
      {"evidence_count", block.evidence_size() + block.proposal_evidence_size()},
  };
}

nlohmann::json event_json(const contracts::v1::Event& event) {
  return {
      {"recipient", event.recipient()},
      {"seq", event.seq()},
      {"height", event.height()},
      {"kind", event.kind()},
      {"case_id", event.case_id()},
      {"detail", event.detail()},
      {"tx_id", hex(event.tx_id())},
      {"deadline_id", event.deadline_id()},
      {"measure", event.measure()},
  };
}

nlohmann::json status_json(const NodeStatus& status) {
  nlohmann::json peers = nlohmann::json::array();
  for (const PeerInfo& p : status.peers) {
    peers.push_back({{"id", p.id}, {"address", p.address}, {"height", p.height}});
  }
  const bool has_tip = status.height > 0;
  nlohmann::json out = {
      {"chain_id", status.chain_id},
      {"height", status.height},
      {"tip_hash", has_tip ? nlohmann::json(to_hex(status.tip_hash)) : nlohmann::json(nullptr)},
      {"time", has_tip ? nlohmann::json(format_utc_time(static_cast<int64_t>(status.time_ms))) : nlohmann::json(nullptr)},
      {"time_ms", status.time_ms},
      {"rules_version", status.rules_version},
      {"peers", std::move(peers)},
      {"catching_up", status.catching_up},
  };
  if (!status.policy.empty()) {
    nlohmann::json policy = nlohmann::json::object();
    for (const auto& [name, value] : status.policy) policy[name] = value;
    out["policy"] = std::move(policy);
  }
  return out;
}

nlohmann::json tx_status_json(const Hash32& tx_id, const TxStatus& status) {
  nlohmann::json out = {{"tx_id", to_hex(tx_id)}, {"status", tx_state_name(status.state)}};
  if (status.state == TxStatus::State::kCommitted) {
    out["height"] = status.height;
    out["index"] = status.index;
    out["result"] = {{"code", status.result_code}, {"message", status.result_message}};
  } else {
    out["height"] = nullptr;
    out["index"] = nullptr;
    out["result"] = nullptr;
  }
  return out;
}

}  // namespace joet::rpc
