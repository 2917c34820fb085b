#include "contracts/validators.h"

#include <algorithm>
#include <string>
#include <vector>

#include "contracts/governance.h"
#include "contracts/notifications.h"
#include "contracts/registry.h"
#include "ledger/codec.h"

namespace joet {
namespace {

Result<std::optional<ValidatorUpdate>> parse_update(const std::optional<Bytes>& raw) {
  if (!raw.has_value()) return std::optional<ValidatorUpdate>();
  cv1::NextValidators stored;
  if (!stored.ParseFromArray(raw->data(), static_cast<int>(raw->size()))) {
    return make_error(ErrorCode::kCorruption, "contract state: c/meta/next_validators does not parse");
  }
  auto set = decode_validator_set(as_bytes(stored.validator_set()));
  if (!set.ok()) return make_error(ErrorCode::kCorruption, "c/meta/next_validators: " + set.error().message);
  return std::optional<ValidatorUpdate>(ValidatorUpdate{stored.effective_height(), std::move(*set)});
}

}  // namespace

Outcome validator_update(TxContext& ctx) {
  auto raw = ctx.state.get_raw(state_keys::next_validators());
  if (!raw.ok()) return raw.error();
  auto last = parse_update(*raw);
  if (!last.ok()) return last.error();
  if (last->has_value() && (*last)->effective_height > ctx.height) {
    return refuse("VALIDATOR_UPDATE_PENDING",
                  "the last validator.update takes effect at height " + std::to_string((*last)->effective_height));
  }
  v1::ValidatorSet set;
  size_t consumed = 0;
  for (size_t i = 0; i < limits::kMaxValidators; ++i) {
    const std::string prefix = "validator." + std::to_string(i) + ".";
    if (!ctx.args.has(prefix + "key")) break;
    Hash32 key{};
    int64_t power = 0;
    JOET_CTR_TRY(ctx.args.hash(prefix + "key", key));
    JOET_CTR_TRY(ctx.args.integer(prefix + "power", power));
    consumed += 2;
    if (power <= 0 || power > kMaxValidatorPower) {
      return refuse("BAD_FIELD", "argument '" + prefix + "power': out of range 1..2^50");
    }
    for (const v1::Validator& v : set.validators()) {
      if (as_bytes(v.public_key()).size() == key.size() &&
          std::equal(key.begin(), key.end(), as_bytes(v.public_key()).begin())) {
        return refuse("DUPLICATE", "argument '" + prefix + "key': listed twice");
      }
    }
    v1::Validator* v = set.add_validators();
    v->set_public_key(to_string(key));
    v->set_power(static_cast<uint64_t>(power));
    if (ctx.args.has(prefix + "institution")) {
      std::string inst;
      JOET_CTR_TRY(ctx.args.text(prefix + "institution", inst));
      auto found = find_institution(ctx.state, inst);
      if (!found.ok()) return found.error();
      if (!found->has_value()) return refuse("BAD_FIELD", "argument '" + prefix + "institution': not an institution");
      v->set_institution(inst);
      ++consumed;
    }
  }
  if (set.validators_size() == 0) return refuse("BAD_FIELD", "argument 'validator.0.key': missing");
  if (ctx.args.count_with_prefix("validator.") != consumed) {
    return refuse("BAD_FIELD", "validator arguments must be validator.<i>.key/power/institution for i = 0..n-1");
  }
  Status ok = check_validator_set(set);
  if (!ok.ok()) return refuse("BAD_FIELD", ok.error().message);
  cv1::NextValidators next;
  next.set_effective_height(ctx.height + 2);
  next.set_validator_set(to_string(encode(set)));
  ctx.state.put(state_keys::next_validators(), next);
  auto all = registered_institutions(ctx.state);
  if (!all.ok()) return all.error();
  return notify(ctx.state, ctx.height, *all,
                tx_event(ctx, "VALIDATORS_UPDATED", "", "effective-" + std::to_string(ctx.height + 2)));
}

Result<std::optional<ValidatorUpdate>> last_validator_update(const KvReader& state) {
  auto raw = state.get(state_keys::next_validators());
  if (!raw.ok()) return raw.error();
  return parse_update(*raw);
}

Result<std::optional<v1::ValidatorSet>> pending_validator_set(const KvReader& state, uint64_t height) {
  auto last = last_validator_update(state);
  if (!last.ok()) return last.error();
  if (!last->has_value() || (*last)->effective_height != height) return std::optional<v1::ValidatorSet>();
  return std::optional<v1::ValidatorSet>(std::move((*last)->set));
}

}  // namespace joet
