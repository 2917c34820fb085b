// The case extract (issue 11): one self-contained file a parent's lawyer can check offline against the
// network's genesis.json alone. It holds a case's record at a certified height, every tx and event the
// node's timeline names for the case (a tx with its result, proven from rules version 3), the records the
// quickscan reads (requests, aanwijzingen, complaints, escalations, the jeugdbeschermer's registration,
// the policy and rules schedule), the quickscan and the rights explanation computed from those proven
// records, and the RPC answers that prove all of it.
//
// How a file proves itself: building an extract runs the light client (decision 0009) over a
// transport that keeps every answer, reduced to the bytes the light client verifies. Verifying runs the
// very same build over those kept answers only (no network) and compares the result with the file
// byte for byte. So a changed proof byte fails the light client at the item that used it, and any
// other changed byte (a result code, a date in the quickscan, a sentence) differs from what the proofs
// give, at the item it is in. Pseudonymous ids and document hashes only: the chain holds nothing else.
//
// What it cannot prove: that the node's timeline named every tx of the case, or that the case has no
// further request or aanwijzing than its txs name (the state tree proves keys, not the absence of
// keys one does not ask for). docs/case-extract.md says so to its reader.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "client-sdk/light_client_rpc.h"

namespace joet::sdk {

inline constexpr std::string_view kExtractFormat = "joet-case-extract/1";

// What an extract covers: a case, at a certified height, with these txs. The height is part of every
// proof's RPC target, so the verifier asks exactly what the extractor asked.
struct ExtractPlan {
  std::string case_id;
  uint64_t height = 0;
  std::vector<Hash32> tx_ids;
  std::vector<std::pair<std::string, uint64_t>> events;  // (recipient, seq) of the events about the case
};

// The plan the node's timeline of the case gives (GET /v1/cases/{case_id}/timeline: its "entries"): its
// txs, once each, and its events, in timeline order.
ExtractPlan plan_from_timeline(std::string case_id, uint64_t height, const nlohmann::json& entries);

// Why an extract could not be built, or does not verify: the item ("case", "txs[3]",
// "records[c/req/case-001/r1]", "quickscan[2]", "proofs[/v1/headers/7]", ...) and the fault (a
// LightFault name, or MISMATCH, NOT_OF_CASE, CASE_UNKNOWN, MALFORMED).
struct ExtractFault {
  std::string item;
  std::string code;
  std::string message;
  std::string to_string() const;  // "txs[3]: MISMATCH: ..."
};

// The answers an extract carries, by RPC target, each reduced to the fields the light client verifies.
using ProofAnswers = std::map<std::string, nlohmann::ordered_json>;

// Passes `inner`'s answers through and keeps each 200 answer in `kept`, reduced as above.
RpcGet recording_get(RpcGet inner, ProofAnswers& kept);
// Answers only from `answers` (offline); a target it lacks is a 404 MISSING_PROOF.
RpcGet replay_get(const ProofAnswers& answers);

// The extract of `plan` through `client`, whose transport records into `kept`: every answer verified
// on the way. The JSON's "proofs" is `kept` as it stands at the end.
ValueOr<nlohmann::ordered_json, ExtractFault> build_case_extract(LightClient& client, const ExtractPlan& plan,
                                                                  const ProofAnswers& kept);

// The text of an extract file: the JSON with one-space indents and a final newline.
std::string extract_text(const nlohmann::ordered_json& extract);

// Verifies the text of an extract file offline, trusting only `genesis`: nullopt when it verifies.
std::optional<ExtractFault> verify_case_extract(std::string_view text, const TrustedValidators& genesis);

// A readable, self-contained HTML page (Dutch) of an extract: what the file says, for people.
std::string extract_html(const nlohmann::ordered_json& extract);

// Protobuf JSON with the .proto field names and every primitive printed (64-bit integers as strings).
nlohmann::ordered_json proto_json(const google::protobuf::Message& message);

}  // namespace joet::sdk
