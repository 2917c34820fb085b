// The JSON shapes of the RPC's answers (docs/rpc.md): ledger and contract objects with bytes as
// lowercase hex. Pure functions; the handler (node/rpc/handler.h) composes them into responses.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "contracts.pb.h"
#include "joet.pb.h"
#include "ledger/status.h"
#include "node/rpc/backend.h"

namespace joet::rpc {

// {"error": {"code": ..., "message": ...}}
nlohmann::json error_json(std::string_view code, std::string_view message);

nlohmann::json header_json(const v1::BlockHeader& header);
// vote_body as hex, and decoded as "vote" when it decodes; signers bitmap and signatures as hex.
nlohmann::json certificate_json(const v1::CommitCertificate& cert);
// {"height", "hash", "header", "txs", "tx_ids", "last_commit", "certificate", "evidence_count"}.
// A StoredBlock whose header does not decode is corruption: an Error (kCorruption).
Result<nlohmann::json> stored_block_json(const v1::StoredBlock& stored);

nlohmann::json event_json(const contracts::v1::Event& event);
nlohmann::json status_json(const NodeStatus& status);
nlohmann::json tx_status_json(const Hash32& tx_id, const TxStatus& status);

}  // namespace joet::rpc
