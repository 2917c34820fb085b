#include "node/block_validity.h"

#include <utility>

#include "ledger/block.h"
#include "ledger/codec.h"
#include "ledger/commit_certificate.h"

namespace joet {
namespace {

BlockRuleRefusal refusal(BlockRuleFault fault, std::string message) {
  return BlockRuleRefusal{fault, std::move(message)};
}

}  // namespace

std::string_view block_rule_fault_name(BlockRuleFault fault) {
  switch (fault) {
    case BlockRuleFault::kWrongLastCommit: return "WRONG_LAST_COMMIT";
    case BlockRuleFault::kMalformedTx: return "MALFORMED";
    case BlockRuleFault::kDuplicateTx: return "DUPLICATE_TX";
    case BlockRuleFault::kEvidence: return "EVIDENCE";
  }
  return "UNKNOWN";
}

std::vector<consensus::AnyEvidence> block_evidence(const v1::Block& block) {
  std::vector<consensus::AnyEvidence> all(block.evidence().begin(), block.evidence().end());
  all.insert(all.end(), block.proposal_evidence().begin(), block.proposal_evidence().end());
  return all;
}

std::string block_evidence_problem(const BlockRulesContext& context, const consensus::AnyEvidence& evidence,
                                   std::set<std::string>& seen) {
  const uint64_t height = context.height;
  const uint64_t at = consensus::evidence_height(evidence);
  if (at == 0 || at > height) return "evidence of height " + std::to_string(at) + " in a block of " + std::to_string(height);
  if (height - at > kEvidenceMaxAgeHeights) return "evidence of height " + std::to_string(at) + " is too old";
  JOET_ASSERT(context.validators_at && context.evidence_committed);
  const ValidatorSet* set = context.validators_at(at);
  JOET_ASSERT(set != nullptr);  // 1 <= at <= h
  Status s = consensus::check_any_evidence(evidence, *set, context.chain_id);
  if (!s.ok()) return "evidence does not check: " + s.to_string();
  const std::string key = consensus::evidence_key(evidence);
  if (context.evidence_committed(key)) return "evidence already committed";
  if (!seen.insert(key).second) return "evidence repeated in the block";
  return "";
}

Result<std::optional<BlockRuleRefusal>> check_block_rules(const BlockRulesContext& context, const v1::Block& block) {
  using Verdict = std::optional<BlockRuleRefusal>;
  const uint64_t height = context.height;
  JOET_ASSERT(height >= 1 && context.find_tx);
  if (height > 1 && block.has_last_commit()) {
    JOET_ASSERT(context.prev_validators != nullptr);
    auto verdict = verify_commit_certificate(block.last_commit(), *context.prev_validators, context.chain_id,
                                             height - 1, context.verifier);
    if (!verdict.ok()) return Verdict(refusal(BlockRuleFault::kWrongLastCommit, verdict.message()));
    if (verdict.commit().block_hash != context.prev_block_hash) {
      return Verdict(refusal(BlockRuleFault::kWrongLastCommit, "the certificate is for another block"));
    }
  }
  std::set<Hash32> ids;
  for (int i = 0; i < block.txs_size(); ++i) {
    auto tx = decode_signed_tx(as_bytes(block.txs(i)));
    if (!tx.ok()) return Verdict(refusal(BlockRuleFault::kMalformedTx, "tx " + std::to_string(i) + ": " + tx.error().message));
    const Hash32 id = tx_id(*tx);
    if (!ids.insert(id).second) {
      return Verdict(refusal(BlockRuleFault::kDuplicateTx, "tx " + std::to_string(i) + " repeats an earlier tx of the block"));
    }
    auto found = context.find_tx(id);
    if (!found.ok()) return found.error();
    if (found->has_value()) {
      return Verdict(refusal(BlockRuleFault::kDuplicateTx,
                             "tx " + std::to_string(i) + " is in block " + std::to_string(**found)));
    }
  }
  const auto evidence = block_evidence(block);
  if (evidence.size() > kMaxBlockEvidence) return Verdict(refusal(BlockRuleFault::kEvidence, "too many items"));
  std::set<std::string> seen;
  for (const auto& ev : evidence) {
    std::string problem = block_evidence_problem(context, ev, seen);
    if (!problem.empty()) return Verdict(refusal(BlockRuleFault::kEvidence, std::move(problem)));
  }
  return Verdict();
}

}  // namespace joet
