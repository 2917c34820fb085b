#include "contracts/governance.h"

#include <algorithm>

#include "contracts/notifications.h"
#include "contracts/registry.h"
#include "ledger/codec.h"

namespace joet {
namespace {

Result<cv1::Institution> load_institution(const ContractState& state, const std::string& id) {
  auto inst = find_institution(state, id);
  if (!inst.ok()) return inst.error();
  if (!inst->has_value()) return make_error(ErrorCode::kCorruption, "registry: no institution " + id);
  return **inst;
}

// Writes the institution back, pinning its admin key first (an implicit admin never moves).
void store_institution(ContractState& state, cv1::Institution inst, const Bytes& admin) {
  inst.set_admin_key(to_string(admin));
  JOET_ASSERT(std::is_sorted(inst.member_keys().begin(), inst.member_keys().end()));
  state.put(state_keys::institution(inst.id()), inst);
}

Outcome set_institution_count(ContractState& state, bool add) {
  auto count = state.get_u64(state_keys::institution_count());
  if (!count.ok()) return count.error();
  if (!add && *count == 0) return make_error(ErrorCode::kCorruption, "registry: institution count is 0");
  state.put_u64(state_keys::institution_count(), add ? *count + 1 : *count - 1);
  return Outcome();
}

// One event of `kind` (detail: `detail`) to every registered institution, ascending by id.
Outcome notify_all(TxContext& ctx, std::string kind, std::string detail) {
  auto all = registered_institutions(ctx.state);
  if (!all.ok()) return all.error();
  return notify(ctx.state, ctx.height, *all, tx_event(ctx, std::move(kind), "", std::move(detail)));
}

// Ok for a tx signed by the admin key of the signer's institution; fills `inst`.
Outcome require_admin(const TxContext& ctx, cv1::Institution& inst) {
  auto loaded = load_institution(ctx.state, ctx.signer.institution);
  if (!loaded.ok()) return loaded.error();
  inst = *loaded;
  const Bytes admin = admin_key_of(inst);
  if (!std::equal(admin.begin(), admin.end(), ctx.signer_key.begin(), ctx.signer_key.end())) {
    return refuse("NOT_AUTHORIZED", "only the admin key of " + inst.id() + " manages its members");
  }
  return Outcome();
}

}  // namespace

Result<std::vector<std::string>> registered_institutions(const ContractState& state) {
  std::vector<std::string> ids;
  std::optional<Error> bad;
  Status scanned = state.scan_current(state_keys::institution_prefix(), [&](ByteView, ByteView value) {
    cv1::Institution inst;
    if (!inst.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
      bad = make_error(ErrorCode::kCorruption, "registry: an institution does not parse");
      return false;
    }
    ids.push_back(inst.id());
    return true;
  });
  if (!scanned.ok()) return scanned.error();
  if (bad) return *bad;
  return ids;
}

Bytes admin_key_of(const cv1::Institution& inst) {
  if (!inst.admin_key().empty()) return to_bytes(inst.admin_key());
  JOET_ASSERT(inst.member_keys_size() > 0);  // genesis refuses an institution without members
  return to_bytes(inst.member_keys(0));
}

Outcome institution_add(TxContext& ctx) {
  std::string id;
  std::string role_text;
  Hash32 admin{};
  JOET_CTR_TRY(ctx.args.text("institution", id));
  JOET_CTR_TRY(ctx.args.one_of("role", {"COURT", "RVDK", "MUNICIPALITY", "GI", "AUDITOR"}, role_text));
  JOET_CTR_TRY(ctx.args.hash("admin_key", admin));
  cv1::Role role = cv1::ROLE_UNSPECIFIED;
  for (cv1::Role r : {cv1::COURT, cv1::RVDK, cv1::MUNICIPALITY, cv1::GI, cv1::AUDITOR}) {
    if (role_name(r) == role_text) role = r;
  }
  JOET_ASSERT(role != cv1::ROLE_UNSPECIFIED);
  auto existing = find_institution(ctx.state, id);
  if (!existing.ok()) return existing.error();
  if (existing->has_value()) return refuse("DUPLICATE", "institution " + id + " exists");
  auto removed = ctx.state.get_raw(state_keys::removed_institution(id));
  if (!removed.ok()) return removed.error();
  if (removed->has_value()) return refuse("DUPLICATE", "institution id " + id + " was removed; ids are not reused");
  auto holder = find_signer(ctx.state, admin);
  if (!holder.ok()) return holder.error();
  if (holder->has_value()) return refuse("DUPLICATE", "argument 'admin_key': already signs for " + (*holder)->institution);
  cv1::Institution inst;
  inst.set_id(id);
  inst.set_role(role);
  inst.add_member_keys(to_string(admin));
  store_institution(ctx.state, inst, Bytes(admin.begin(), admin.end()));
  cv1::Member m;
  m.set_institution(id);
  ctx.state.put(state_keys::member(admin), m);
  JOET_CTR_TRY(set_institution_count(ctx.state, true));
  return notify_all(ctx, "INSTITUTION_ADDED", id);
}

Outcome institution_remove(TxContext& ctx) {
  std::string id;
  JOET_CTR_TRY(ctx.args.text("institution", id));
  auto found = find_institution(ctx.state, id);
  if (!found.ok()) return found.error();
  if (!found->has_value()) return refuse("INSTITUTION_UNKNOWN", "no institution " + id);
  const cv1::Institution inst = **found;
  if (inst.role() == cv1::COURT) {
    size_t courts = 0;
    std::optional<Error> bad;
    Status scanned = ctx.state.scan_current(state_keys::institution_prefix(), [&](ByteView, ByteView value) {
      cv1::Institution other;
      if (!other.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
        bad = make_error(ErrorCode::kCorruption, "registry: an institution does not parse");
        return false;
      }
      if (other.role() == cv1::COURT) ++courts;
      return true;
    });
    if (!scanned.ok()) return scanned.error();
    if (bad) return *bad;
    if (courts <= 1) return refuse("LAST_COURT", id + " is the last court");
  }
  if (inst.role() == cv1::GI) {
    std::string running;
    std::optional<Error> bad;
    Status scanned = ctx.state.scan_current(state_keys::case_prefix(), [&](ByteView, ByteView value) {
      cv1::Case c;
      if (!c.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
        bad = make_error(ErrorCode::kCorruption, "cases: a case does not parse");
        return false;
      }
      if (c.gi() == id && (c.measure().state() == cv1::ACTIVE || c.uhp().state() == cv1::ACTIVE)) {
        running = c.id();
        return false;
      }
      return true;
    });
    if (!scanned.ok()) return scanned.error();
    if (bad) return *bad;
    if (!running.empty()) return refuse("GI_HAS_RUNNING_MEASURE", id + " is the GI of a running measure on " + running);
  }
  // Every institution hears of it, the removed one included (its events stay readable in state).
  JOET_CTR_TRY(notify_all(ctx, "INSTITUTION_REMOVED", id));
  for (const std::string& k : inst.member_keys()) ctx.state.del(state_keys::member(as_bytes(k)));
  ctx.state.del(state_keys::institution(id));
  ctx.state.put_u64(state_keys::removed_institution(id), ctx.height);
  return set_institution_count(ctx.state, false);
}

Outcome member_add(TxContext& ctx) {
  cv1::Institution inst;
  JOET_CTR_TRY(require_admin(ctx, inst));
  Hash32 key{};
  JOET_CTR_TRY(ctx.args.hash("key", key));
  auto holder = find_signer(ctx.state, key);
  if (!holder.ok()) return holder.error();
  if (holder->has_value()) return refuse("DUPLICATE", "argument 'key': already signs for " + (*holder)->institution);
  if (static_cast<size_t>(inst.member_keys_size()) >= kMaxMembersPerInstitution) {
    return refuse("BAD_FIELD", "an institution has at most " + std::to_string(kMaxMembersPerInstitution) + " keys");
  }
  const Bytes admin = admin_key_of(inst);
  std::vector<std::string> keys(inst.member_keys().begin(), inst.member_keys().end());
  keys.insert(std::lower_bound(keys.begin(), keys.end(), to_string(key)), to_string(key));
  inst.clear_member_keys();
  for (const std::string& k : keys) inst.add_member_keys(k);
  store_institution(ctx.state, inst, admin);
  cv1::Member m;
  m.set_institution(inst.id());
  ctx.state.put(state_keys::member(key), m);
  return notify(ctx.state, ctx.height, {inst.id()}, tx_event(ctx, "MEMBER_ADDED", "", to_hex(key)));
}

Outcome member_revoke(TxContext& ctx) {
  cv1::Institution inst;
  JOET_CTR_TRY(require_admin(ctx, inst));
  Hash32 key{};
  JOET_CTR_TRY(ctx.args.hash("key", key));
  const Bytes admin = admin_key_of(inst);
  if (std::equal(admin.begin(), admin.end(), key.begin(), key.end())) {
    return refuse("ADMIN_KEY", "the admin key cannot be revoked");
  }
  std::vector<std::string> keys(inst.member_keys().begin(), inst.member_keys().end());
  auto it = std::find(keys.begin(), keys.end(), to_string(key));
  if (it == keys.end()) return refuse("BAD_FIELD", "argument 'key': not a member key of " + inst.id());
  keys.erase(it);
  inst.clear_member_keys();
  for (const std::string& k : keys) inst.add_member_keys(k);
  store_institution(ctx.state, inst, admin);
  ctx.state.del(state_keys::member(key));
  return notify(ctx.state, ctx.height, {inst.id()}, tx_event(ctx, "MEMBER_REVOKED", "", to_hex(key)));
}

}  // namespace joet
