#include "inzicht/node_gateway.h"

#include "client-sdk/http_client.h"
#include "client-sdk/submit_await.h"
#include "client-sdk/tx_builder.h"
#include "ledger/block.h"

namespace joet::inzicht {

const PrivateKey* RpcNodeGateway::key_of(std::string_view institution) const {
  auto it = keys_.find(institution);
  return it == keys_.end() ? nullptr : &it->second;
}

Result<NodeAnswer> RpcNodeGateway::get(std::string_view institution, const std::string& target) {
  const PrivateKey* key = key_of(institution);
  if (key == nullptr) return make_error(ErrorCode::kNotFound, "no member key for " + std::string(institution));
  const sdk::RequestSigner signer{*key, chain_id_};
  std::string last = "no node configured";
  for (const std::string& rpc : rpcs_) {
    auto r = sdk::http_request(rpc, "GET", target, "", 10'000, signer);
    if (!r.ok()) {
      last = r.error().to_string();
      continue;
    }
    if (r->status >= 500 && r->status != 501) {  // this node cannot answer now: the next may
      last = rpc + " answered " + std::to_string(r->status);
      continue;
    }
    NodeAnswer out;
    out.status = r->status;
    out.body = nlohmann::json::parse(r->body, nullptr, /*allow_exceptions=*/false);
    if (out.body.is_discarded()) return make_error(ErrorCode::kIoError, rpc + " answered no JSON");
    return out;
  }
  return make_error(ErrorCode::kIoError, last);
}

Result<Committed> RpcNodeGateway::submit(std::string_view institution, const std::string& action, std::vector<v1::Arg> args) {
  const PrivateKey* key = key_of(institution);
  if (key == nullptr) return make_error(ErrorCode::kNotFound, "no member key for " + std::string(institution));
  const sdk::RequestSigner signer{*key, chain_id_};
  std::lock_guard lock(submit_mu_);
  auto nonce = sdk::next_nonce(rpcs_, key->public_key(), signer);
  if (!nonce.ok()) return nonce.error();
  sdk::TxRequest request{chain_id_, action, *nonce, 0, std::move(args)};
  auto tx = sdk::build_tx(request, *key);
  if (!tx.ok()) return tx.error();
  const sdk::SubmitOutcome outcome = sdk::submit_and_await(rpcs_, *tx, signer, 30'000);
  if (outcome.exit_code == 2) return make_error(ErrorCode::kInvalidArgument, outcome.error);
  if (outcome.exit_code != 0 && outcome.exit_code != 3) return make_error(ErrorCode::kIoError, outcome.error);
  // The tx status JSON (docs/rpc.md GET /v1/txs/{tx_id}): {"height", "result": {"code", "message"}}.
  const nlohmann::json status = nlohmann::json::parse(outcome.committed, nullptr, false);
  Committed out;
  out.tx_id = to_hex(tx_id(*tx));
  if (status.is_object()) {
    if (status.contains("height") && status["height"].is_number_unsigned()) out.height = status["height"].get<uint64_t>();
    if (status.contains("result") && status["result"].is_object()) {
      const nlohmann::json& result = status["result"];
      if (result.contains("code") && result["code"].is_string()) out.result = result["code"].get<std::string>();
      if (result.contains("message") && result["message"].is_string()) out.message = result["message"].get<std::string>();
    }
  }
  if (out.result.empty()) out.result = outcome.exit_code == 0 ? "OK" : "REFUSED";
  return out;
}

}  // namespace joet::inzicht
