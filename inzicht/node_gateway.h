// joet-inzicht's way to the node: signed reads (docs/rpc.md "Access control") and the two txs people
// send from a page, each as one of the institutions the server holds a member key for. The web routes
// (inzicht/web_app.h) see only this interface, so tests give them a fake; RpcNodeGateway is the real one
// over the node's RPC (client-sdk), trying the configured nodes in turn.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "joet.pb.h"
#include "ledger/keys.h"
#include "ledger/status.h"

namespace joet::inzicht {

struct NodeAnswer {
  int status = 0;
  nlohmann::json body;  // the node's JSON (an error object for a 4xx / 5xx)
};

struct Committed {
  std::string tx_id;   // hex
  uint64_t height = 0;
  std::string result;  // "OK" or the contract's refusal code
  std::string message;
};

class NodeGateway {
 public:
  virtual ~NodeGateway() = default;
  // GET `target` signed with `institution`'s member key. kIoError when no node answers.
  virtual Result<NodeAnswer> get(std::string_view institution, const std::string& target) = 0;
  // `action` with `args`, signed by `institution`'s key with its next nonce, submitted and awaited until
  // committed. kIoError when no node answers or it is not committed in time; kInvalidArgument when the
  // node refuses it at admission (the message has the code).
  virtual Result<Committed> submit(std::string_view institution, const std::string& action, std::vector<v1::Arg> args) = 0;
};

class RpcNodeGateway : public NodeGateway {
 public:
  RpcNodeGateway(std::vector<std::string> rpcs, std::string chain_id, std::map<std::string, PrivateKey, std::less<>> keys)
      : rpcs_(std::move(rpcs)), chain_id_(std::move(chain_id)), keys_(std::move(keys)) {}

  Result<NodeAnswer> get(std::string_view institution, const std::string& target) override;
  Result<Committed> submit(std::string_view institution, const std::string& action, std::vector<v1::Arg> args) override;

 private:
  const PrivateKey* key_of(std::string_view institution) const;

  std::vector<std::string> rpcs_;
  std::string chain_id_;
  std::map<std::string, PrivateKey, std::less<>> keys_;
  std::mutex submit_mu_;  // one tx at a time: each takes the next nonce of its key
};

}  // namespace joet::inzicht
