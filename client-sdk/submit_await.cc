#include "client-sdk/submit_await.h"

#include <chrono>
#include <thread>

#include <nlohmann/json.hpp>

#include "ledger/block.h"
#include "ledger/codec.h"

namespace joet::sdk {

SubmitOutcome submit_and_await(const std::string& rpc, const v1::SignedTx& tx, const RequestSigner& reader,
                               uint64_t wait_ms) {
  using json = nlohmann::json;
  const std::string id = to_hex(tx_id(tx));
  auto posted = http_request(rpc, "POST", "/v1/txs", json{{"tx", to_hex(encode(tx))}}.dump());
  if (!posted.ok()) return {1, "", posted.error().to_string()};
  if (posted->status != 202) {
    return {posted->status >= 500 ? 1 : 2, "", "refused (" + std::to_string(posted->status) + "): " + posted->body};
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(wait_ms);
  while (std::chrono::steady_clock::now() < deadline) {
    auto status = http_request(rpc, "GET", "/v1/txs/" + id, "", 5000, reader);
    if (!status.ok()) return {1, "", status.error().to_string()};
    if (status->status == 401 || status->status == 403) {
      return {1, "", "reading the tx status was refused (" + std::to_string(status->status) + "): " + status->body};
    }
    const json answer = json::parse(status->body, nullptr, false);
    if (status->status == 200 && answer.is_object() && answer.value("status", "") == "committed") {
      const json& result = answer["result"];
      return {result.is_object() && result.value("code", "") == "OK" ? 0 : 3, answer.dump(), ""};
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return {4, "", "tx " + id + " not committed within " + std::to_string(wait_ms) + " ms"};
}

}  // namespace joet::sdk
