#include "contracts/rules.h"

#include <string>

#include "contracts/governance.h"
#include "contracts/notifications.h"
#include "ledger/codec.h"

namespace joet {
namespace {

// Version 1: the law as DOMAIN.md states it (BW Boek 1 and Rv as of 2026). Never edit a version that
// has run on a chain: add the next one below it.
constexpr Statute kBuiltInRules[] = {
    Statute{.version = 1},
    // Version 2 (docs/decisions/0016-rules-version-2.md): the same terms; codes with an embedded BSN
    // refused, deadlines due within one block all fire in it, grounds on grants, costs recorded, a
    // missed assignment counted as the municipality's signal.
    Statute{.version = 2,
            .refuse_embedded_bsn = true,
            .fire_deadlines_in_cascade = true,
            .grants_state_grounds = true,
            .records_costs = true,
            .signals_unassigned_to_municipality = true},
    // Version 3 (docs/decisions/0017-results-under-the-header.md): version 2's rules, and the header
    // commits every tx's result, so a light client proves a refusal and its reason.
    Statute{.version = 3,
            .refuse_embedded_bsn = true,
            .fire_deadlines_in_cascade = true,
            .grants_state_grounds = true,
            .records_costs = true,
            .signals_unassigned_to_municipality = true,
            .commits_results = true},
};

Result<cv1::RulesSchedule> parse_schedule(const std::optional<Bytes>& raw) {
  cv1::RulesSchedule schedule;
  if (!raw.has_value()) return schedule;
  if (!schedule.ParseFromArray(raw->data(), static_cast<int>(raw->size()))) {
    return make_error(ErrorCode::kCorruption, "contract state: c/meta/rules does not parse");
  }
  uint64_t last_height = 0;
  uint32_t last_version = kGenesisRulesVersion;
  for (const cv1::RulesActivation& a : schedule.activations()) {
    if (a.from_height() <= last_height || a.version() <= last_version) {
      return make_error(ErrorCode::kCorruption, "contract state: c/meta/rules is not ascending");
    }
    last_height = a.from_height();
    last_version = a.version();
  }
  return schedule;
}

uint32_t version_at(const cv1::RulesSchedule& schedule, uint64_t height) {
  uint32_t version = kGenesisRulesVersion;
  for (const cv1::RulesActivation& a : schedule.activations()) {
    if (a.from_height() <= height) version = a.version();
  }
  return version;
}

}  // namespace

std::span<const Statute> built_in_rules() { return kBuiltInRules; }

uint32_t latest_rules_version() { return built_in_rules().back().version; }

Result<WriteBatch> genesis_rules_writes(uint32_t version) {
  if (find_rules(built_in_rules(), version) == nullptr) {
    return make_error(ErrorCode::kInvalidArgument, "rules version " + std::to_string(version) + " is not one of 1.." +
                                                       std::to_string(latest_rules_version()));
  }
  WriteBatch out;
  if (version == kGenesisRulesVersion) return out;
  cv1::RulesSchedule schedule;
  cv1::RulesActivation* a = schedule.add_activations();
  a->set_from_height(1);
  a->set_version(version);
  out.put(state_keys::rules_schedule(), encode(schedule));
  return out;
}

const Statute* find_rules(std::span<const Statute> versions, uint32_t version) {
  for (const Statute& s : versions) {
    if (s.version == version) return &s;
  }
  return nullptr;
}

Result<uint32_t> rules_version_at(const KvReader& state, uint64_t height) {
  auto raw = state.get(state_keys::rules_schedule());
  if (!raw.ok()) return raw.error();
  auto schedule = parse_schedule(*raw);
  if (!schedule.ok()) return schedule.error();
  return version_at(*schedule, height);
}

Outcome rules_schedule(TxContext& ctx) {
  int64_t version = 0, from_height = 0;
  JOET_CTR_TRY(ctx.args.integer("version", version));
  JOET_CTR_TRY(ctx.args.integer("from_height", from_height));
  auto raw = ctx.state.get_raw(state_keys::rules_schedule());
  if (!raw.ok()) return raw.error();
  auto schedule = parse_schedule(*raw);
  if (!schedule.ok()) return schedule.error();
  const uint32_t in_force = version_at(*schedule, ctx.height);
  if (version < in_force || version > int64_t{UINT32_MAX}) {
    return refuse("RULES_VERSION_NOT_NEWER", "argument 'version': version " + std::to_string(in_force) +
                                                 " is in force; schedule a later one (or it, to withdraw)");
  }
  if (from_height < 0 || static_cast<uint64_t>(from_height) < ctx.height + kMinRulesScheduleLead) {
    return refuse("BAD_FIELD", "argument 'from_height': at least " + std::to_string(ctx.height + kMinRulesScheduleLead));
  }
  // Keep what is in force; drop what is pending; add the new activation unless this is a withdrawal.
  cv1::RulesSchedule next;
  for (const cv1::RulesActivation& a : schedule->activations()) {
    if (a.from_height() <= ctx.height) *next.add_activations() = a;
  }
  std::string detail = "withdrawn";
  if (static_cast<uint32_t>(version) != in_force) {
    cv1::RulesActivation* a = next.add_activations();
    a->set_from_height(static_cast<uint64_t>(from_height));
    a->set_version(static_cast<uint32_t>(version));
    detail = "v" + std::to_string(version) + "-from-" + std::to_string(from_height);
  }
  ctx.state.put(state_keys::rules_schedule(), next);
  auto all = registered_institutions(ctx.state);
  if (!all.ok()) return all.error();
  return notify(ctx.state, ctx.height, *all, tx_event(ctx, "RULES_SCHEDULED", "", detail));
}

}  // namespace joet
