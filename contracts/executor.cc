#include "contracts/executor.h"

#include <optional>

#include <algorithm>
#include <string_view>
#include <vector>

#include "contracts/aanwijzing.h"
#include "contracts/amsterdam_time.h"
#include "contracts/cases.h"
#include "contracts/complaints.h"
#include "contracts/contact.h"
#include "contracts/costs.h"
#include "contracts/court.h"
#include "contracts/deadlines.h"
#include "contracts/gi.h"
#include "contracts/governance.h"
#include "contracts/notifications.h"
#include "contracts/policy.h"
#include "contracts/registry.h"
#include "contracts/validators.h"
#include "ledger/block.h"
#include "ledger/codec.h"
#include "ledger/hash.h"
#include "ledger/keys.h"

namespace joet {
namespace {

using Handler = Outcome (*)(TxContext&);

struct ActionEntry {
  std::string_view name;
  Handler handler;
  // The Statute flag an action needs (rules version 2 and later), or nullptr: an action a version
  // does not have is UNKNOWN_ACTION under it, as it was for the builds that ran that version.
  bool Statute::*needs = nullptr;
};

// Sorted by name; the public vocabulary of DOMAIN.md implemented so far.
constexpr ActionEntry kActions[] = {
    {"case.open", &case_open},
    {"complaint.decide", &complaint_decide},
    {"complaint.file", &complaint_file},
    {"contact.record", &contact_record},
    {"cost.invoice", &cost_invoice, &Statute::records_costs},
    {"cost.project", &cost_project, &Statute::records_costs},
    {"court.aanwijzing_review", &court_aanwijzing_review},
    {"court.contact_arrangement", &court_contact_arrangement},
    {"court.decide", &court_decide},
    {"court.hearing", &court_hearing},
    {"court.lift", &court_lift},
    {"document.anchor", &document_anchor},
    {"escalation.answer", &escalation_answer},
    {"escalation.request", &escalation_request},
    {"gi.aanwijzing", &gi_aanwijzing},
    {"gi.assign", &gi_assign},
    {"gi.non_extension", &gi_non_extension},
    {"gi.placement", &gi_placement},
    {"gi.plan", &gi_plan},
    {"gi.progress", &gi_progress},
    {"investigation.start", &investigation_start},
    {"member.add", &member_add},
    {"member.revoke", &member_revoke},
    {"municipality.decision", &municipality_decision},
    {"notification.ack", &notification_ack},
    {"professional.register", &professional_register},
    {"request.file", &request_file},
};

// Governance actions: signed by more than 2/3 of the registered institutions (admit_governance).
constexpr ActionEntry kGovernanceActions[] = {
    {"institution.add", &institution_add},
    {"institution.remove", &institution_remove},
    {"policy.set", &policy_set},
    {"rules.schedule", &rules_schedule},
    {"validator.update", &validator_update},
};

Handler find_handler(std::string_view action, const Statute& statute) {
  for (const ActionEntry& e : kActions) {
    if (e.name == action) return (e.needs == nullptr || statute.*e.needs) ? e.handler : nullptr;
  }
  for (const ActionEntry& e : kGovernanceActions) {
    if (e.name == action) return e.handler;
  }
  return nullptr;
}

bool is_governance(std::string_view action) {
  for (const ActionEntry& e : kGovernanceActions) {
    if (e.name == action) return true;
  }
  return false;
}

// A governance tx: every signature a member key of a different institution, and those institutions
// more than 2/3 of the registered ones (3 * signing > 2 * registered). The first signer is `signer`.
Outcome admit_governance(const ContractState& state, const v1::SignedTx& tx, Signer& signer) {
  if (tx.signatures_size() > static_cast<int>(kMaxGovernanceSignatures)) {
    return refuse("BAD_FIELD", "too many signatures");
  }
  std::vector<std::string> institutions;
  for (const v1::Signature& sig : tx.signatures()) {
    auto found = find_signer(state, as_bytes(sig.public_key()));
    if (!found.ok()) return found.error();
    if (!found->has_value()) return refuse("NOT_AUTHORIZED", "a signing key is not a member");
    const std::string& inst = (*found)->institution;
    if (std::find(institutions.begin(), institutions.end(), inst) != institutions.end()) {
      return refuse("BAD_FIELD", "two signatures for institution " + inst);
    }
    institutions.push_back(inst);
    if (institutions.size() == 1) signer = **found;
  }
  auto registered = state.get_u64(state_keys::institution_count());
  if (!registered.ok()) return registered.error();
  if (3 * institutions.size() <= 2 * *registered) {
    return refuse("NOT_AUTHORIZED", std::to_string(institutions.size()) + " of " + std::to_string(*registered) +
                                        " institutions signed; more than 2/3 must");
  }
  return Outcome();
}

// Everything but the action's own checks; on success fills `signer` and stages the nonce.
Outcome admit(ContractState& state, const ExecutorConfig& config, const Statute& statute, uint64_t height,
              const v1::SignedTx& tx, const v1::TxBody& body, Signer& signer) {
  if (body.chain_id() != config.chain_id) return refuse("WRONG_CHAIN", "chain_id " + body.chain_id());
  if (body.max_height() != 0 && height > body.max_height()) return refuse("EXPIRED", "past max_height");
  TxArgs args(body);
  JOET_CTR_TRY(args.check_all_text_args(statute.refuse_embedded_bsn));
  if (find_handler(body.action(), statute) == nullptr) return refuse("UNKNOWN_ACTION", "no action " + body.action());
  const std::string& key = tx.signatures(0).public_key();
  if (is_governance(body.action())) {
    JOET_CTR_TRY(admit_governance(state, tx, signer));
  } else {
    if (tx.signatures_size() != 1) return refuse("BAD_FIELD", "this action takes exactly one signature");
    auto found = find_signer(state, as_bytes(key));
    if (!found.ok()) return found.error();
    if (!found->has_value()) return refuse("NOT_AUTHORIZED", "the signing key is not a member");
    signer = **found;
  }
  const Bytes nonce_key = state_keys::nonce(as_bytes(key));
  auto last = state.get_u64(nonce_key);
  if (!last.ok()) return last.error();
  if (body.nonce() <= *last) {
    return refuse("BAD_NONCE", "nonce " + std::to_string(body.nonce()) + " not above " + std::to_string(*last));
  }
  state.put_u64(nonce_key, body.nonce());
  return Outcome();
}

}  // namespace

Result<uint64_t> last_nonce(const KvStore& state, ByteView public_key) {
  const ContractState view(state);
  return view.get_u64(state_keys::nonce(public_key));
}

namespace {

Outcome run_tx(ContractState& state, const ExecutorConfig& config, const Policy& policy, const Statute& statute,
               int64_t block_time_ms,
               uint64_t height, const v1::SignedTx& tx, std::optional<bool> signatures_verified) {
  if (!check_signed_tx(tx).ok()) return refuse("BAD_FIELD", "malformed signed tx");
  auto body = decode_tx_body(as_bytes(tx.body()));
  if (!body.ok()) return refuse("BAD_FIELD", "malformed tx body: " + body.error().message);
  if (tx.signatures_size() == 0) return refuse("BAD_SIGNATURE", "no signature");
  if (signatures_verified.has_value()) {
    if (!*signatures_verified) return refuse("BAD_SIGNATURE", "a signature does not verify");
  } else {
    for (const v1::Signature& sig : tx.signatures()) {
      if (!verify_body(as_bytes(sig.public_key()), tags::kTx, as_bytes(tx.body()), as_bytes(sig.signature()))) {
        return refuse("BAD_SIGNATURE", "a signature does not verify");
      }
    }
  }
  Signer signer;
  JOET_CTR_TRY(admit(state, config, statute, height, tx, *body, signer));
  TxArgs args(*body);
  auto key = hash32_from_bytes(as_bytes(tx.signatures(0).public_key()));
  if (!key.ok()) return refuse("BAD_FIELD", "a public key is not 32 bytes");
  TxContext ctx{state, policy, statute, height, block_time_ms, tx_id(tx), signer, args, *key};
  return find_handler(body->action(), statute)(ctx);
}

}  // namespace

Result<BlockExecution> execute_block(const KvStore& store, const ExecutorConfig& config, int64_t block_time_ms,
                                     uint64_t height, std::span<const v1::SignedTx> txs) {
  return execute_block(store, config, block_time_ms, height, txs, {});
}

Result<BlockExecution> execute_block(const KvStore& store, const ExecutorConfig& config, int64_t block_time_ms,
                                     uint64_t height, std::span<const v1::SignedTx> txs,
                                     std::span<const uint8_t> signatures_verified) {
  if (!signatures_verified.empty() && signatures_verified.size() != txs.size()) {
    return make_error(ErrorCode::kInvalidArgument, "one signature verdict per tx, or none");
  }
  if (!is_supported_utc_ms(block_time_ms)) {
    return make_error(ErrorCode::kInvalidArgument, "block time outside the supported range");
  }
  auto version = rules_version_at(store, height);
  if (!version.ok()) return version.error();
  const Statute* statute = find_rules(config.rules, *version);
  if (statute == nullptr) {
    return make_error(ErrorCode::kUnsupported, "rules version " + std::to_string(*version) + " is in force at height " +
                                                   std::to_string(height) + " and this build does not have it: upgrade");
  }
  ContractState state(store);
  auto policy = load_policy(state, config.policy);  // as the block began: policy.set acts from the next block
  if (!policy.ok()) return policy.error();
  BlockExecution out;
  Status fired = fire_due_deadlines(state, *statute, height, block_time_ms, &out.deadlines);
  if (!fired.ok()) return fired.error();
  out.results.reserve(txs.size());
  for (size_t i = 0; i < txs.size(); ++i) {
    const v1::SignedTx& tx = txs[i];
    std::optional<bool> verdict;
    if (!signatures_verified.empty()) verdict = signatures_verified[i] == 1;
    state.begin_tx();
    Outcome o = run_tx(state, config, *policy, *statute, block_time_ms, height, tx, verdict);
    if (o.failed()) {
      state.abort_tx();
      return o.error();
    }
    if (o.refused()) {
      state.abort_tx();
      out.results.push_back(TxResult{false, o.refusal().code, o.refusal().message});
    } else {
      state.commit_tx();
      out.results.push_back(TxResult{});
    }
  }
  out.writes = state.block_writes();
  out.events = state.block_events();
  out.rules_version = *version;
  JOET_ASSERT(out.results.size() == txs.size());
  return out;
}

}  // namespace joet
