#include "node/daemon/access_registry.h"

#include "contracts/privacy.h"
#include "contracts/registry.h"
#include "contracts/state.h"

namespace joet::daemon {

Result<std::optional<rpc::Reader>> StateAccessRegistry::reader(const PublicKey& key) {
  const ContractState state(state_);
  auto signer = find_signer(state, key.bytes());
  if (!signer.ok()) return signer.error();
  if (!signer->has_value()) return std::optional<rpc::Reader>();
  return std::optional<rpc::Reader>(rpc::Reader{(*signer)->institution, (*signer)->role});
}

Result<std::optional<contracts::v1::Case>> StateAccessRegistry::find_case(std::string_view case_id) {
  // Case ids are codes (contracts/privacy.h); anything else names no case and must not become a key.
  if (!is_allowed_code(case_id)) return std::optional<contracts::v1::Case>();
  const ContractState state(state_);
  return state.get<contracts::v1::Case>(state_keys::case_record(case_id));
}

}  // namespace joet::daemon
