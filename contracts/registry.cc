#include "contracts/registry.h"

#include <algorithm>
#include <set>

#include "contracts/privacy.h"
#include "ledger/codec.h"

namespace joet {

std::string_view role_name(cv1::Role role) {
  switch (role) {
    case cv1::COURT: return "COURT";
    case cv1::RVDK: return "RVDK";
    case cv1::MUNICIPALITY: return "MUNICIPALITY";
    case cv1::GI: return "GI";
    case cv1::AUDITOR: return "AUDITOR";
    default: return "UNSPECIFIED";
  }
}

Outcome require_role(const TxContext& ctx, std::initializer_list<cv1::Role> roles) {
  for (cv1::Role r : roles) {
    if (ctx.signer.role == r) return Outcome();
  }
  return refuse("NOT_AUTHORIZED", "role " + std::string(role_name(ctx.signer.role)) + " may not do this");
}

Result<WriteBatch> genesis_registry_writes(std::span<const GenesisInstitution> institutions) {
  WriteBatch batch;
  std::set<std::string> ids;
  std::set<PublicKey> keys;
  for (const GenesisInstitution& g : institutions) {
    if (!is_allowed_code(g.id)) return make_error(ErrorCode::kInvalidArgument, "genesis: bad institution id");
    if (role_name(g.role) == "UNSPECIFIED") {
      return make_error(ErrorCode::kInvalidArgument, "genesis: institution " + g.id + " has no role");
    }
    if (!ids.insert(g.id).second) return make_error(ErrorCode::kInvalidArgument, "genesis: duplicate " + g.id);
    if (g.members.empty()) return make_error(ErrorCode::kInvalidArgument, "genesis: " + g.id + " has no members");
    std::vector<PublicKey> members = g.members;
    std::sort(members.begin(), members.end());
    cv1::Institution inst;
    inst.set_id(g.id);
    inst.set_role(g.role);
    for (const PublicKey& k : members) {
      if (!keys.insert(k).second) {
        return make_error(ErrorCode::kInvalidArgument, "genesis: key " + k.hex() + " signs for two institutions");
      }
      inst.add_member_keys(to_string(k.bytes()));
      cv1::Member m;
      m.set_institution(g.id);
      batch.put(state_keys::member(k.bytes()), encode(m));
    }
    batch.put(state_keys::institution(g.id), encode(inst));
  }
  Bytes count;
  put_u64_be(count, ids.size());
  batch.put(state_keys::institution_count(), count);
  return batch;
}

Result<std::optional<cv1::Institution>> find_institution(const ContractState& state, std::string_view id) {
  if (!is_allowed_code(id)) return std::optional<cv1::Institution>();
  return state.get<cv1::Institution>(state_keys::institution(id));
}

Result<std::optional<Signer>> find_signer(const ContractState& state, ByteView public_key) {
  if (public_key.size() != 32) return std::optional<Signer>();
  auto member = state.get<cv1::Member>(state_keys::member(public_key));
  if (!member.ok()) return member.error();
  if (!member->has_value()) return std::optional<Signer>();
  auto inst = find_institution(state, (*member)->institution());
  if (!inst.ok()) return inst.error();
  if (!inst->has_value()) {
    return make_error(ErrorCode::kCorruption, "registry: member of unknown institution " + (*member)->institution());
  }
  return std::optional<Signer>(Signer{(*inst)->id(), (*inst)->role()});
}

Outcome require_institution_role(const ContractState& state, std::string_view id, cv1::Role role,
                                 std::string_view arg) {
  auto inst = find_institution(state, id);
  if (!inst.ok()) return inst.error();
  if (!inst->has_value() || (*inst)->role() != role) {
    return refuse("BAD_FIELD", "argument '" + std::string(arg) + "': not an institution of role " +
                                   std::string(role_name(role)));
  }
  return Outcome();
}

}  // namespace joet
