#include "client-sdk/audit.h"

#include <algorithm>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <iterator>
#include <map>
#include <mutex>
#include <optional>
#include <span>
#include <thread>
#include <utility>
#include <vector>

#include "consensus/evidence.h"
#include "contracts/validators.h"
#include "ledger/block.h"
#include "ledger/codec.h"
#include "ledger/commit_certificate.h"
#include "ledger/merkle.h"
#include "node/block_assembly.h"
#include "node/block_validity.h"
#include "node/state_root.h"
#include "node/tx_signatures.h"

namespace joet {
namespace {

constexpr std::string_view kTxIndexPrefix = "a/tx/";  // the audit's own index: tx id -> be64 height

Bytes tx_index_key(const Hash32& id) {
  Bytes key(kTxIndexPrefix.size() + id.size());  // sized up front (GCC 12 misjudges insert's bounds)
  std::copy(kTxIndexPrefix.begin(), kTxIndexPrefix.end(), key.begin());
  std::copy(id.begin(), id.end(), key.begin() + static_cast<std::ptrdiff_t>(kTxIndexPrefix.size()));
  return key;
}

// The certificate `cert` commits block `hash` at `height` under `set`; else a finding's message.
std::optional<std::string> certificate_fault(const v1::CommitCertificate& cert, const ValidatorSet& set,
                                             const std::string& chain_id, uint64_t height, const Hash32& hash,
                                             BatchVerifier* verifier) {
  const CertificateVerdict verdict = verify_commit_certificate(cert, set, chain_id, height, verifier);
  if (!verdict.ok()) return std::string(certificate_fault_name(verdict.fault())) + ": " + verdict.message();
  if (verdict.commit().block_hash != hash) return std::string("certifies another block");
  return std::nullopt;
}

// The audit's finding code for a broken validity rule (the node logs block_rule_fault_name).
std::string rule_finding_code(BlockRuleFault fault) {
  switch (fault) {
    case BlockRuleFault::kWrongLastCommit: return "LAST_COMMIT_INVALID";
    case BlockRuleFault::kMalformedTx: return "MALFORMED";
    case BlockRuleFault::kDuplicateTx: return "DUPLICATE_TX";
    case BlockRuleFault::kEvidence: return "EVIDENCE_INVALID";
  }
  return "UNKNOWN";
}

// What the audit knows of the chain so far, beyond its state: the sets and the recent evidence.
class ChainMemory {
 public:
  explicit ChainMemory(ValidatorSet genesis_set) { sets_.emplace(1, std::move(genesis_set)); }

  // The set of `height` >= 1 (the last change at or before it).
  const ValidatorSet& set_at(uint64_t height) const {
    JOET_ASSERT(height >= 1);
    auto it = sets_.upper_bound(height);
    JOET_ASSERT(it != sets_.begin());
    return std::prev(it)->second;
  }
  void set_from(uint64_t height, ValidatorSet set) { sets_.insert_or_assign(height, std::move(set)); }

  bool evidence_committed(const std::string& key) const { return evidence_.count(key) != 0; }
  // After committing block `height`: its evidence joins, evidence too old to matter leaves (as the
  // node's LedgerApp keeps it).
  void commit_evidence(const v1::Block& block, uint64_t height) {
    for (const auto& ev : block_evidence(block)) evidence_[consensus::evidence_key(ev)] = height;
    for (auto it = evidence_.begin(); it != evidence_.end();) {
      it = it->second + kEvidenceMaxAgeHeights <= height ? evidence_.erase(it) : std::next(it);
    }
  }

 private:
  std::map<uint64_t, ValidatorSet> sets_;        // from height -> set (one entry per change)
  std::map<std::string, uint64_t> evidence_;     // evidence_key -> committed height (recent only)
};

// One height, prepared ahead of its re-execution: loaded, its txs decoded and their signatures and the
// stored certificate verified. Facts only, never a finding: the audit loop judges heights in order.
struct PreparedHeight {
  uint64_t height = 0;
  Status load;                                      // not ok: the block could not be read
  v1::StoredBlock stored;
  Hash32 hash{};
  std::optional<std::vector<uint8_t>> tx_verdicts;  // verify_tx_signatures; nullopt: a tx does not decode
  std::vector<Hash32> tx_ids;                       // when every tx decodes
  Hash32 cert_set_hash{};                           // the set the certificate was checked against
  std::optional<std::string> cert_fault;            // certificate_fault under that set
};

PreparedHeight prepare_height(const BlockStore& chain, uint64_t height, const ValidatorSet& set,
                              const std::string& chain_id, BatchVerifier& verifier) {
  PreparedHeight p;
  p.height = height;
  auto stored = chain.block_at(height);
  if (!stored.ok()) {
    p.load = stored.error();
    return p;
  }
  p.stored = std::move(stored).value();
  p.hash = block_hash(p.stored.block());
  p.cert_set_hash = set.hash();
  p.cert_fault = certificate_fault(p.stored.commit(), set, chain_id, height, p.hash, &verifier);
  std::vector<v1::SignedTx> txs;
  txs.reserve(static_cast<size_t>(p.stored.block().txs_size()));
  for (const std::string& bytes : p.stored.block().txs()) {
    auto tx = decode_signed_tx(as_bytes(bytes));
    if (!tx.ok()) return p;
    txs.push_back(std::move(tx).value());
  }
  p.tx_ids.reserve(txs.size());
  for (const v1::SignedTx& tx : txs) p.tx_ids.push_back(tx_id(tx));
  p.tx_verdicts = verify_tx_signatures(verifier, txs);
  return p;
}

// Prepares heights 1 .. tip on its own thread, at most `depth` ahead of the audit loop, with the
// verifier's pool: signature checking of the next heights overlaps the re-execution of this one.
// The set a certificate needs is known only once the height two before it is executed: ahead of
// that, the last set the loop reported is used, and the loop re-checks when it was not the right one.
class Prefetcher {
 public:
  Prefetcher(const BlockStore& chain, uint64_t tip, size_t depth, std::string chain_id, BatchVerifier& verifier,
             const ValidatorSet& first_set)
      : chain_(chain), tip_(tip), depth_(depth), chain_id_(std::move(chain_id)), verifier_(verifier) {
    JOET_ASSERT(depth_ > 0);
    sets_.emplace(1, first_set);
    thread_ = std::thread([this] { run(); });
  }
  ~Prefetcher() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  Prefetcher(const Prefetcher&) = delete;
  Prefetcher& operator=(const Prefetcher&) = delete;

  // Height `height`, the next in order: waits until it is prepared.
  PreparedHeight take(uint64_t height) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return !ready_.empty(); });
    PreparedHeight p = std::move(ready_.front());
    ready_.pop_front();
    JOET_ASSERT(p.height == height);
    lock.unlock();
    cv_.notify_all();
    return p;
  }

  // The loop learned the set in force from `height`.
  void set_from(uint64_t height, const ValidatorSet& set) {
    std::lock_guard<std::mutex> lock(mu_);
    sets_.insert_or_assign(height, set);
  }

 private:
  void run() {
    for (;;) {
      uint64_t height = 0;
      std::optional<ValidatorSet> set;
      {
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait(lock, [&] { return stop_ || (ready_.size() < depth_ && next_ <= tip_); });
        if (stop_) return;
        height = next_++;
        set = std::prev(sets_.upper_bound(height))->second;  // the right one, or the latest known
      }
      PreparedHeight p = prepare_height(chain_, height, *set, chain_id_, verifier_);
      const bool failed = !p.load.ok();
      {
        std::lock_guard<std::mutex> lock(mu_);
        ready_.push_back(std::move(p));
        if (failed) next_ = tip_ + 1;  // the loop stops at this height
      }
      cv_.notify_all();
    }
  }

  const BlockStore& chain_;
  const uint64_t tip_;
  const size_t depth_;
  const std::string chain_id_;
  BatchVerifier& verifier_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<PreparedHeight> ready_;        // heights in order, at most depth_
  uint64_t next_ = 1;                       // the next height to prepare
  bool stop_ = false;
  std::map<uint64_t, ValidatorSet> sets_;   // as the loop reported them
  std::thread thread_;                      // last: starts after the members it uses
};

// The validity rules' view of the chain before `height`, from what the audit derived itself.
BlockRulesContext rules_context(const std::string& chain_id, uint64_t height, const Hash32& prev_block_hash,
                                const ChainMemory& memory, const KvStore& scratch, BatchVerifier* verifier) {
  BlockRulesContext rules;
  rules.chain_id = chain_id;
  rules.height = height;
  rules.prev_validators = height > 1 ? &memory.set_at(height - 1) : nullptr;
  rules.prev_block_hash = prev_block_hash;
  rules.find_tx = [&scratch](const Hash32& id) -> Result<std::optional<uint64_t>> {
    auto found = scratch.get(tx_index_key(id));
    if (!found.ok()) return found.error();
    if (!found->has_value()) return std::optional<uint64_t>();
    if ((*found)->size() != 8) return make_error(ErrorCode::kCorruption, "audit tx index entry of the wrong size");
    return std::optional<uint64_t>(get_u64_be((*found)->data()));
  };
  rules.validators_at = [&memory](uint64_t at) { return &memory.set_at(at); };
  rules.evidence_committed = [&memory](const std::string& key) { return memory.evidence_committed(key); };
  rules.verifier = verifier;
  return rules;
}

}  // namespace

Result<AuditReport> audit_chain(const BlockStore& chain, const AuditGenesis& genesis, const ExecutorConfig& config,
                                KvStore& scratch, BatchVerifier& verifier, const AuditProgress& progress,
                                size_t lookahead_heights) {
  auto first_set = ValidatorSet::create(genesis.validators);
  if (!first_set.ok()) return make_error(ErrorCode::kInvalidArgument, "genesis validators: " + first_set.error().message);
  WriteBatch genesis_writes = genesis.state;
  auto root = commit_state(scratch, genesis_writes, SparseMerkleTree::empty_root());
  if (!root.ok()) return root.error();
  Status written = scratch.write(genesis_writes, false);
  if (!written.ok()) return written.error();

  AuditReport report;
  report.state_root = *root;
  ChainMemory memory(std::move(first_set).value());
  MerkleFrontier history;
  int64_t prev_time_ms = 0;
  const uint64_t tip = chain.tip().height;
  // Pipelined, the verifier's pool belongs to the prefetcher: the loop verifies its few signatures
  // (carried certificate, evidence) on its own thread.
  std::optional<Prefetcher> prefetcher;
  if (lookahead_heights > 0 && tip > 1) {
    prefetcher.emplace(chain, tip, lookahead_heights, genesis.chain_id, verifier, memory.set_at(1));
  }
  BatchVerifier* loop_verifier = prefetcher ? nullptr : &verifier;
  for (uint64_t h = 1; h <= tip; ++h) {
    const ValidatorSet& set = memory.set_at(h);
    PreparedHeight prepared =
        prefetcher ? prefetcher->take(h) : prepare_height(chain, h, set, genesis.chain_id, verifier);
    if (!prepared.load.ok()) return prepared.load.error();
    const v1::Block& block = prepared.stored.block();
    const Hash32 hash = prepared.hash;
    auto find = [&](std::string code, std::string message) {
      report.finding = AuditFinding{h, std::move(code), std::move(message)};
      return report;
    };
    if (prepared.cert_set_hash != set.hash()) {  // prepared before the set of h was known
      prepared.cert_fault = certificate_fault(prepared.stored.commit(), set, genesis.chain_id, h, hash, loop_verifier);
    }
    if (const auto& fault = prepared.cert_fault) {
      return find(*fault == "certifies another block" ? "CERTIFICATE_FOR_OTHER_BLOCK" : "CERTIFICATE_INVALID",
                  "the commit of block " + std::to_string(h) + ": " + *fault);
    }
    auto broken =
        check_block_rules(rules_context(genesis.chain_id, h, report.tip_hash, memory, scratch, loop_verifier), block);
    if (!broken.ok()) return broken.error();
    if (broken->has_value()) {
      const BlockRuleRefusal& r = **broken;
      if (r.fault == BlockRuleFault::kWrongLastCommit) {
        return find(rule_finding_code(r.fault),
                    "the certificate of block " + std::to_string(h - 1) + " it carries: " + r.message);
      }
      return find(rule_finding_code(r.fault), r.message);
    }
    BlockContext context;
    context.chain_id = genesis.chain_id;
    context.height = h;
    context.prev_block_hash = report.tip_hash;
    context.prev_time_ms = prev_time_ms;
    context.prev_state_root = report.state_root;
    context.history_root = history.root();
    context.validators = &set;
    auto verdict = check_block(scratch, config, context, block, [&](std::span<const v1::SignedTx> txs) {
      JOET_ASSERT(prepared.tx_verdicts.has_value());  // every tx decoded: check_block_rules passed
      JOET_ASSERT(prepared.tx_verdicts->size() == txs.size());
      return *prepared.tx_verdicts;
    });
    if (!verdict.ok()) return verdict.error();
    if (verdict->refused) {
      return find(std::string(block_fault_name(verdict->refused->fault)), verdict->refused->message);
    }
    AssembledBlock& valid = *verdict->valid;
    // The block's state, tree and tx ids in one write.
    Bytes at_height;
    put_u64_be(at_height, h);
    JOET_ASSERT(prepared.tx_ids.size() == static_cast<size_t>(block.txs_size()));
    for (const Hash32& id : prepared.tx_ids) valid.state_changes.put(tx_index_key(id), at_height);
    written = scratch.write(valid.state_changes, false);
    if (!written.ok()) return written.error();
    memory.commit_evidence(block, h);
    for (const TxResult& r : valid.execution.results) report.refused_txs += r.ok ? 0 : 1;
    report.txs += valid.execution.results.size();
    report.events += valid.execution.events.size();
    report.evidence += static_cast<uint64_t>(block.evidence_size() + block.proposal_evidence_size());
    report.rules_version = valid.header.rules_version();
    report.state_root = hash32_from_bytes(as_bytes(valid.header.state_root())).value();
    report.tip_hash = hash;
    report.heights = h;
    prev_time_ms = static_cast<int64_t>(valid.header.time_ms());
    history.append(leaf_hash(hash));
    // The set of h + 1: a validator.update of block h - 1 (checked against next_validator_set_hash).
    auto pending = pending_validator_set(scratch, h + 1);
    if (!pending.ok()) return pending.error();
    if (pending->has_value()) {
      auto next = ValidatorSet::create(std::move(**pending));
      if (!next.ok()) return make_error(ErrorCode::kCorruption, "validator.update set: " + next.error().message);
      if (prefetcher) prefetcher->set_from(h + 1, *next);
      memory.set_from(h + 1, std::move(next).value());
      ++report.validator_set_changes;
    }
    if (progress) progress(report, tip);
  }
  return report;
}

}  // namespace joet
