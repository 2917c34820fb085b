// The RPC access policy's registry lookups (node/rpc/access_policy.h) over the node's committed state:
// member keys and case records as of the last committed block, read at each request, so a key that
// member.revoke or institution.remove took away is refused from the next block on.
#pragma once

#include <optional>
#include <string_view>

#include "ledger/kv_store.h"
#include "node/rpc/access_policy.h"

namespace joet::daemon {

class StateAccessRegistry : public rpc::AccessRegistry {
 public:
  explicit StateAccessRegistry(const KvStore& state) : state_(state) {}

  Result<std::optional<rpc::Reader>> reader(const PublicKey& key) override;
  Result<std::optional<contracts::v1::Case>> find_case(std::string_view case_id) override;

 private:
  const KvStore& state_;
};

}  // namespace joet::daemon
