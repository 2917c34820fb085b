// The institutions of the network (DOMAIN.md, Actors) and the member keys that sign for them.
// Genesis writes the initial set; institution.add/remove and member.add/revoke change it
// (contracts/governance.h), validator.update sets the next validators (contracts/validators.h).
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "contracts/state.h"
#include "contracts/tx_context.h"
#include "ledger/keys.h"
#include "ledger/kv_store.h"

namespace joet {

struct GenesisInstitution {
  std::string id;  // a code (contracts/privacy.h)
  cv1::Role role = cv1::ROLE_UNSPECIFIED;
  std::vector<PublicKey> members;
};

// The state writes of the genesis registry (and c/meta/institution_count). kInvalidArgument for a bad id, an unknown role, a
// duplicate id, an institution without members or a key that signs for two institutions.
Result<WriteBatch> genesis_registry_writes(std::span<const GenesisInstitution> institutions);

std::string_view role_name(cv1::Role role);

// The institution a member key signs for; nullopt for an unknown key.
Result<std::optional<Signer>> find_signer(const ContractState& state, ByteView public_key);
Result<std::optional<cv1::Institution>> find_institution(const ContractState& state, std::string_view id);

// Ok when `id` names an institution of `role`; BAD_FIELD naming `arg` otherwise.
Outcome require_institution_role(const ContractState& state, std::string_view id, cv1::Role role,
                                 std::string_view arg);

}  // namespace joet
