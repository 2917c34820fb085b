#include "client-sdk/submit_await.h"

#include <chrono>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "ledger/block.h"
#include "ledger/codec.h"

namespace joet::sdk {

std::vector<std::string> split_endpoints(const std::string& list) {
  std::vector<std::string> out;
  std::stringstream ss(list);
  for (std::string item; std::getline(ss, item, ',');) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

Result<uint64_t> next_nonce(const std::vector<std::string>& rpcs, const PublicKey& key, const RequestSigner& reader) {
  std::string last_error = "no node given";
  for (const std::string& rpc : rpcs) {
    auto r = http_request(rpc, "GET", "/v1/keys/" + key.hex() + "/nonce", "", 5000, reader);
    if (!r.ok()) {
      last_error = rpc + ": " + r.error().to_string();
      continue;
    }
    const nlohmann::json answer = nlohmann::json::parse(r->body, nullptr, false);
    if (r->status != 200 || !answer.is_object() || !answer.contains("next") || !answer["next"].is_number_unsigned()) {
      return make_error(ErrorCode::kInvalidArgument, rpc + ": the nonce route answered " + std::to_string(r->status) + ": " + r->body);
    }
    return answer["next"].get<uint64_t>();
  }
  return make_error(ErrorCode::kIoError, last_error);
}

SubmitOutcome submit_and_await(const std::vector<std::string>& rpcs, const v1::SignedTx& tx,
                               const RequestSigner& reader, uint64_t wait_ms) {
  using json = nlohmann::json;
  using Clock = std::chrono::steady_clock;
  SubmitOutcome out;
  if (rpcs.empty()) {
    out.error = "no node to submit to";
    return out;
  }
  const std::string id = to_hex(tx_id(tx));
  const std::string body = json{{"tx", to_hex(encode(tx))}}.dump();
  const auto deadline = Clock::now() + std::chrono::milliseconds(wait_ms);
  size_t at = 0;
  bool held = false;          // the node in use has admitted the tx (or had it already)
  size_t unreachable_run = 0;  // nodes in a row that could not be reached
  bool answered = false;       // some node took or knew the tx
  auto fail_over = [&](std::string why) {
    out.error = rpcs[at % rpcs.size()] + ": " + std::move(why);
    at += 1;
    held = false;
    out.failovers += 1;
    if (++unreachable_run % rpcs.size() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(200));
  };
  while (Clock::now() < deadline) {
    if (!answered && unreachable_run >= rpcs.size()) {  // none took it: a wrong address, not a failure to wait out
      out.exit_code = 1;
      out.error = "no node reachable (" + out.error + ")";
      return out;
    }
    const std::string& rpc = rpcs[at % rpcs.size()];
    out.rpc = rpc;
    if (!held) {
      auto posted = http_request(rpc, "POST", "/v1/txs", body);
      if (!posted.ok()) {
        fail_over(posted.error().to_string());
        continue;
      }
      if (posted->status >= 500) {  // 503: this node is full; another may take it now
        fail_over("refused (" + std::to_string(posted->status) + "): " + posted->body);
        continue;
      }
      const json answer = json::parse(posted->body, nullptr, false);
      const bool duplicate = answer.is_object() && answer.contains("error") && answer["error"].is_object() &&
                             answer["error"].value("code", "") == "DUPLICATE_TX";
      if (posted->status != 202 && !duplicate) {
        out.exit_code = 2;
        out.error = "refused (" + std::to_string(posted->status) + "): " + posted->body;
        return out;
      }
      held = true;
      answered = true;
    }
    auto status = http_request(rpc, "GET", "/v1/txs/" + id, "", 5000, reader);
    if (!status.ok()) {
      fail_over(status.error().to_string());
      continue;
    }
    if (status->status == 401 || status->status == 403) {
      out.exit_code = 1;
      out.error = "reading the tx status was refused (" + std::to_string(status->status) + "): " + status->body;
      return out;
    }
    if (status->status >= 500) {
      fail_over("tx status (" + std::to_string(status->status) + "): " + status->body);
      continue;
    }
    unreachable_run = 0;
    const json answer = json::parse(status->body, nullptr, false);
    const std::string state = answer.is_object() ? answer.value("status", "") : "";
    if (status->status == 200 && state == "committed") {
      const json& result = answer["result"];
      out.exit_code = result.is_object() && result.value("code", "") == "OK" ? 0 : 3;
      out.committed = answer.dump();
      out.error.clear();
      return out;
    }
    if (state == "unknown") held = false;  // this node lost it (a restart): the same tx again
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  out.exit_code = 4;
  out.error = "tx " + id + " not committed within " + std::to_string(wait_ms) + " ms" +
              (out.error.empty() ? "" : " (last error: " + out.error + ")");
  return out;
}

}  // namespace joet::sdk
