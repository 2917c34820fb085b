#include "client-sdk/audit.h"

#include <algorithm>
#include <set>
#include <utility>

#include "contracts/validators.h"
#include "ledger/block.h"
#include "ledger/codec.h"
#include "ledger/commit_certificate.h"
#include "ledger/merkle.h"
#include "node/block_assembly.h"
#include "node/state_root.h"

namespace joet {
namespace {

// The certificate `cert` commits block `hash` at `height` under `set`; else a finding's message.
std::optional<std::string> certificate_fault(const v1::CommitCertificate& cert, const ValidatorSet& set,
                                             const std::string& chain_id, uint64_t height, const Hash32& hash,
                                             BatchVerifier& verifier) {
  const CertificateVerdict verdict = verify_commit_certificate(cert, set, chain_id, height, &verifier);
  if (!verdict.ok()) return std::string(certificate_fault_name(verdict.fault())) + ": " + verdict.message();
  if (verdict.commit().block_hash != hash) return std::string("certifies another block");
  return std::nullopt;
}

}  // namespace

Result<AuditReport> audit_chain(const BlockStore& chain, const AuditGenesis& genesis, const ExecutorConfig& config,
                                KvStore& scratch, BatchVerifier& verifier, const AuditProgress& progress) {
  auto first_set = ValidatorSet::create(genesis.validators);
  if (!first_set.ok()) return make_error(ErrorCode::kInvalidArgument, "genesis validators: " + first_set.error().message);
  WriteBatch genesis_writes = genesis.state;
  auto root = commit_state(scratch, genesis_writes, SparseMerkleTree::empty_root());
  if (!root.ok()) return root.error();
  Status written = scratch.write(genesis_writes, false);
  if (!written.ok()) return written.error();

  AuditReport report;
  report.state_root = *root;
  ValidatorSet set = std::move(first_set).value();
  std::optional<ValidatorSet> prev_set;
  MerkleFrontier history;
  std::set<Hash32> seen_txs;
  int64_t prev_time_ms = 0;
  const uint64_t tip = chain.tip().height;
  for (uint64_t h = 1; h <= tip; ++h) {
    auto stored = chain.block_at(h);
    if (!stored.ok()) return stored.error();
    const v1::Block& block = stored->block();
    const Hash32 hash = block_hash(block);
    auto find = [&](std::string code, std::string message) {
      report.finding = AuditFinding{h, std::move(code), std::move(message)};
      return report;
    };
    if (auto fault = certificate_fault(stored->commit(), set, genesis.chain_id, h, hash, verifier)) {
      return find(*fault == "certifies another block" ? "CERTIFICATE_FOR_OTHER_BLOCK" : "CERTIFICATE_INVALID",
                  "the commit of block " + std::to_string(h) + ": " + *fault);
    }
    if (h > 1) {
      if (auto fault = certificate_fault(block.last_commit(), *prev_set, genesis.chain_id, h - 1, report.tip_hash,
                                         verifier)) {
        return find("LAST_COMMIT_INVALID", "the certificate of block " + std::to_string(h - 1) + " it carries: " + *fault);
      }
    }
    BlockContext context;
    context.chain_id = genesis.chain_id;
    context.height = h;
    context.prev_block_hash = report.tip_hash;
    context.prev_time_ms = prev_time_ms;
    context.prev_state_root = report.state_root;
    context.history_root = history.root();
    context.validators = &set;
    auto verdict = check_block(scratch, config, context, block, verifier);
    if (!verdict.ok()) return verdict.error();
    if (verdict->refused) {
      return find(std::string(block_fault_name(verdict->refused->fault)), verdict->refused->message);
    }
    const AssembledBlock& valid = *verdict->valid;
    // A tx is on chain once: the same signed body again would be a replay (check_block cannot see it).
    for (int i = 0; i < block.txs_size(); ++i) {
      const Hash32 id = tx_id(decode_signed_tx(as_bytes(block.txs(i))).value());
      if (!seen_txs.insert(id).second) {
        return find("DUPLICATE_TX", "tx " + std::to_string(i) + " (" + to_hex(id) + ") is on chain already");
      }
    }
    written = scratch.write(valid.state_changes, false);
    if (!written.ok()) return written.error();
    for (const TxResult& r : valid.execution.results) report.refused_txs += r.ok ? 0 : 1;
    report.txs += valid.execution.results.size();
    report.events += valid.execution.events.size();
    report.rules_version = valid.header.rules_version();
    report.state_root = hash32_from_bytes(as_bytes(valid.header.state_root())).value();
    report.tip_hash = hash;
    report.heights = h;
    prev_time_ms = static_cast<int64_t>(valid.header.time_ms());
    history.append(leaf_hash(hash));
    // The set of h + 1: a validator.update of block h - 1 (checked against next_validator_set_hash).
    auto pending = pending_validator_set(scratch, h + 1);
    if (!pending.ok()) return pending.error();
    prev_set = set;
    if (pending->has_value()) {
      auto next = ValidatorSet::create(std::move(**pending));
      if (!next.ok()) return make_error(ErrorCode::kCorruption, "validator.update set: " + next.error().message);
      set = std::move(next).value();
      ++report.validator_set_changes;
    }
    if (progress) progress(h, tip);
  }
  return report;
}

}  // namespace joet
