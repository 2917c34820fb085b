#include "node/app/ledger_app.h"

#include <cstdio>
#include <set>
#include <utility>

#include "consensus/evidence.h"
#include "contracts/deadlines.h"
#include "contracts/validators.h"
#include "ledger/block.h"
#include "ledger/codec.h"
#include "ledger/commit_certificate.h"
#include "ledger/smt.h"
#include "node/inzicht/dashboard_index.h"
#include "node/state_root.h"
#include "node/tx_signatures.h"

namespace joet {
namespace {

constexpr std::string_view kGenesisRootKey = "Agenesis_root";
constexpr std::string_view kSetPrefix = "Avset";
constexpr std::string_view kResultPrefix = "Aresult";
constexpr size_t kMaxCachedBlocks = 32;

Bytes result_key(const Hash32& tx_id) {
  std::string k(kResultPrefix);
  k.append(reinterpret_cast<const char*>(tx_id.data()), tx_id.size());
  return to_bytes(k);
}

Bytes set_key(uint64_t height) {
  Bytes k = to_bytes(kSetPrefix);
  put_u64_be(k, height);
  return k;
}

std::vector<consensus::AnyEvidence> evidence_of(const v1::Block& block) { return block_evidence(block); }

}  // namespace

LedgerApp::LedgerApp(LedgerAppConfig config, KvStore& kv, BlockStore& blocks, const ExecutorConfig& executor,
                     BatchVerifier& verifier, Genesis genesis, Mempool& mempool)
    : config_(std::move(config)),
      kv_(kv),
      blocks_(blocks),
      executor_(executor),
      verifier_(verifier),
      genesis_(std::move(genesis)),
      mempool_(mempool) {
  JOET_ASSERT(executor_.chain_id == genesis_.chain_id);
  JOET_ASSERT(&blocks_.kv() == &kv_);
  JOET_ASSERT(config_.max_block_txs > 0 && config_.max_block_txs <= limits::kMaxBlockTxs);
  JOET_ASSERT(config_.max_block_bytes > 0 && config_.max_block_bytes <= limits::kMaxBlockBytes / 2);
}

void LedgerApp::halt(Status status) {
  JOET_ASSERT(!status.ok());
  if (!halt_.ok()) return;
  std::fprintf(stderr, "joet ledger app HALTED at height %llu: %s\n",
               static_cast<unsigned long long>(blocks_.tip().height), status.to_string().c_str());
  halt_ = std::move(status);
}

void LedgerApp::fail_stop(const std::string& why) {
  std::fprintf(stderr, "joet ledger app HALTED at height %llu, stopping the node: %s\n",
               static_cast<unsigned long long>(blocks_.tip().height), why.c_str());
  std::fflush(stderr);
  std::abort();
}

// ---------------------------------------------------------------- genesis and restart

Status LedgerApp::init_genesis() {
  JOET_ASSERT(!initialized_);
  auto set = ValidatorSet::create(genesis_.validators);
  if (!set.ok()) return make_error(ErrorCode::kInvalidArgument, "genesis validator set: " + set.error().message);
  // The genesis root, derived on a scratch store: the same on every start.
  for (const auto& [key, value] : genesis_.state.ops()) {
    if (!key.empty() && key[0] == 'A') return make_error(ErrorCode::kInvalidArgument, "genesis writes an app key");
  }
  MemoryKvStore scratch;
  WriteBatch batch = genesis_.state;
  auto root = commit_state(scratch, batch, SparseMerkleTree::empty_root());
  if (!root.ok()) return root.error();

  auto stored = kv_.get(as_bytes(kGenesisRootKey));
  if (!stored.ok()) return stored.error();
  if (!stored->has_value()) {
    if (blocks_.tip().height != 0) {
      return make_error(ErrorCode::kCorruption, "the store holds blocks but no genesis");
    }
    batch.put(as_bytes(kGenesisRootKey), *root);
    batch.put(set_key(1), encode(genesis_.validators));
    inzicht::initial_index_writes(batch);
    Status s = kv_.write(batch, /*sync=*/true);
    if (!s.ok()) return s;
  } else if (**stored != Bytes(root->begin(), root->end())) {
    return make_error(ErrorCode::kConflict, "the store was created with another genesis (state root " +
                                                to_hex(**stored) + ", this genesis gives " + to_hex(*root) + ")");
  }
  genesis_root_ = *root;
  // A store written before the dashboard index (or by an older version of it) gets it now.
  auto indexed = inzicht::has_index(kv_);
  if (!indexed.ok()) return indexed.error();
  if (!*indexed) {
    Status rebuilt = inzicht::rebuild_index(kv_, blocks_, config_.on_index_rebuild);
    if (!rebuilt.ok()) return rebuilt;
  }
  Status s = load();
  if (!s.ok()) return s;
  auto first = sets_.find(1);
  if (first == sets_.end() || first->second.hash() != set->hash()) {
    return make_error(ErrorCode::kConflict, "the store's validator set of height 1 is not the genesis set");
  }
  initialized_ = true;
  check_invariants();
  return Status();
}

Status LedgerApp::load() {
  sets_.clear();
  const Bytes begin = to_bytes(kSetPrefix);
  Bytes end = begin;
  end.back() += 1;
  Status failed;
  Status s = kv_.scan(begin, end, [&](ByteView key, ByteView value) {
    if (key.size() != begin.size() + 8) {
      failed = make_error(ErrorCode::kCorruption, "validator set key of the wrong length");
      return false;
    }
    const uint64_t height = get_u64_be(key.data() + begin.size());
    auto proto = decode_validator_set(value);
    if (!proto.ok()) {
      failed = make_error(ErrorCode::kCorruption, "validator set of height " + std::to_string(height) + ": " +
                                                      proto.error().message);
      return false;
    }
    auto set = ValidatorSet::create(std::move(proto).value());
    if (!set.ok()) {
      failed = make_error(ErrorCode::kCorruption, "validator set of height " + std::to_string(height) + ": " +
                                                      set.error().message);
      return false;
    }
    sets_.emplace(height, std::move(set).value());
    return true;
  });
  if (!s.ok()) return s;
  if (!failed.ok()) return failed;
  if (sets_.empty() || sets_.begin()->first != 1) {
    return make_error(ErrorCode::kCorruption, "the store has no validator set of height 1");
  }

  const uint64_t tip = blocks_.tip().height;
  committed_evidence_.clear();
  if (tip == 0) {
    state_root_ = genesis_root_;
    tip_time_ms_ = 0;
    tip_cert_.reset();
    return Status();
  }
  auto stored = blocks_.block_at(tip);
  if (!stored.ok()) return stored.error();
  auto header = decode_block_header(as_bytes(stored->block().header()));
  if (!header.ok()) return make_error(ErrorCode::kCorruption, "tip header: " + header.error().message);
  auto root = hash32_from_bytes(as_bytes(header->state_root()));
  if (!root.ok()) return make_error(ErrorCode::kCorruption, "tip state root: " + root.error().message);
  state_root_ = *root;
  tip_time_ms_ = static_cast<int64_t>(header->time_ms());
  tip_cert_ = stored->commit();
  const uint64_t first = tip > kEvidenceMaxAgeHeights ? tip - kEvidenceMaxAgeHeights + 1 : 1;
  for (uint64_t h = first; h <= tip; ++h) {
    auto b = h == tip ? stored : blocks_.block_at(h);
    if (!b.ok()) return b.error();
    for (const auto& ev : evidence_of(b->block())) committed_evidence_[consensus::evidence_key(ev)] = h;
  }
  return Status();
}

consensus::StartState LedgerApp::start_state() const {
  JOET_ASSERT(initialized_);
  const uint64_t tip = blocks_.tip().height;
  consensus::StartState s;
  s.height = tip + 1;
  s.validator_set = validator_set(tip + 1)->proto();
  s.next_validator_set = validator_set(tip + 2)->proto();
  s.prev_block_time_ms = static_cast<uint64_t>(tip == 0 ? genesis_.time_ms : tip_time_ms_);
  return s;
}

const ValidatorSet* LedgerApp::validator_set(uint64_t height) const {
  if (height == 0 || sets_.empty() || height > blocks_.tip().height + 2) return nullptr;
  auto it = sets_.upper_bound(height);
  JOET_ASSERT(it != sets_.begin());  // sets_ starts at height 1
  return &std::prev(it)->second;
}

BlockContext LedgerApp::context() const {
  BlockContext c;
  c.chain_id = genesis_.chain_id;
  c.height = blocks_.tip().height + 1;
  c.prev_block_hash = blocks_.tip().block_hash;
  c.prev_time_ms = tip_time_ms_;
  c.prev_state_root = state_root_;
  c.history_root = blocks_.history_root();
  c.validators = validator_set(c.height);
  JOET_ASSERT(c.validators != nullptr);
  return c;
}

// ---------------------------------------------------------------- the Application

std::optional<consensus::BlockId> LedgerApp::identify_block(ByteView bytes) {
  auto block = decode_block(bytes);
  if (!block.ok()) return std::nullopt;
  auto header = decode_block_header(as_bytes(block->header()));
  if (!header.ok() || !header_binds_body(*block, *header)) return std::nullopt;
  return consensus::BlockId{block_hash(*block), header->time_ms()};
}

std::vector<uint8_t> LedgerApp::signature_verdicts(std::span<const v1::SignedTx> txs) {
  std::vector<uint8_t> out(txs.size(), 1);
  std::vector<v1::SignedTx> unchecked;
  std::vector<size_t> where;
  for (size_t i = 0; i < txs.size(); ++i) {
    if (mempool_.holds_verified(txs[i])) continue;
    unchecked.push_back(txs[i]);
    where.push_back(i);
    signature_checks_ += static_cast<uint64_t>(txs[i].signatures_size());
  }
  const std::vector<uint8_t> checked = verify_tx_signatures(verifier_, unchecked);
  for (size_t k = 0; k < where.size(); ++k) out[where[k]] = checked[k];
  return out;
}

BlockRulesContext LedgerApp::rules_context(uint64_t height) const {
  JOET_ASSERT(height == blocks_.tip().height + 1);
  BlockRulesContext c;
  c.chain_id = genesis_.chain_id;
  c.height = height;
  c.prev_validators = height > 1 ? validator_set(height - 1) : nullptr;
  c.prev_block_hash = blocks_.tip().block_hash;
  c.find_tx = [this](const Hash32& id) -> Result<std::optional<uint64_t>> {
    auto found = blocks_.find_tx(id);
    if (!found.ok()) return found.error();
    if (!found->has_value()) return std::optional<uint64_t>();
    return std::optional<uint64_t>((*found)->height);
  };
  c.validators_at = [this](uint64_t h) { return validator_set(h); };  // 1 <= h <= tip + 1
  c.evidence_committed = [this](const std::string& key) { return committed_evidence_.count(key) != 0; };
  return c;
}

std::string LedgerApp::evidence_problem(const consensus::AnyEvidence& evidence, uint64_t height,
                                        std::set<std::string>& seen) const {
  return block_evidence_problem(rules_context(height), evidence, seen);
}

consensus::Value LedgerApp::prepare_proposal(uint64_t height, uint32_t round, uint64_t time_ms,
                                             const std::vector<consensus::AnyEvidence>& evidence) {
  (void)round;
  JOET_ASSERT(initialized_);
  // The engine signs and sends whatever we return: after a halt (e.g. a failed commit in the same
  // engine call) the only safe answer is to stop the process.
  if (halted()) fail_stop("asked for a proposal after halting: " + halt_.to_string());
  JOET_ASSERT(height == blocks_.tip().height + 1);  // the engine proposes on our tip
  const BlockContext ctx = context();
  JOET_ASSERT(config_.own_key.has_value());          // only validators propose
  const auto proposer = ctx.validators->index_of(config_.own_key->bytes());
  JOET_ASSERT(proposer.has_value());
  BlockInputs inputs;
  inputs.time_ms = static_cast<int64_t>(time_ms);
  inputs.proposer = *proposer;
  inputs.txs = mempool_.reap(config_.max_block_txs, config_.max_block_bytes);
  inputs.last_commit = tip_cert_;
  std::set<std::string> seen;
  size_t taken = 0;
  for (const auto& ev : evidence) {
    if (taken == kMaxBlockEvidence || !evidence_problem(ev, height, seen).empty()) continue;
    if (const auto* v = std::get_if<v1::Evidence>(&ev)) {
      inputs.evidence.push_back(*v);
    } else {
      inputs.proposal_evidence.push_back(std::get<v1::ProposalEvidence>(ev));
    }
    taken += 1;
  }
  auto assembled = assemble_block(kv_, executor_, ctx, std::move(inputs),
                                  [this](std::span<const v1::SignedTx> txs) { return signature_verdicts(txs); });
  if (!assembled.ok()) {
    fail_stop("assembling block " + std::to_string(height) + ": " + assembled.error().to_string());
  }
  consensus::Value value;
  value.bytes = encode(assembled->block);
  value.hash = block_hash(assembled->block);
  value.time_ms = time_ms;
  cache_put(value.hash, std::move(assembled).value());
  check_invariants();
  return value;
}

Result<std::string> LedgerApp::check_extras(const v1::Block& block, uint64_t height) const {
  auto refused = check_block_rules(rules_context(height), block);
  if (!refused.ok()) return refused.error();
  if (!refused->has_value()) return std::string();
  return std::string(block_rule_fault_name((*refused)->fault)) + ": " + (*refused)->message;
}

Result<std::optional<AssembledBlock>> LedgerApp::check(ByteView bytes, const Hash32& hash, uint64_t time_ms,
                                                       std::string* reason) {
  const uint64_t height = blocks_.tip().height + 1;
  auto block = decode_block(bytes);
  if (!block.ok()) {
    *reason = "MALFORMED: " + block.error().message;
    return std::optional<AssembledBlock>();
  }
  if (block_hash(*block) != hash) {
    *reason = "MALFORMED: the bytes do not hash to the block hash";
    return std::optional<AssembledBlock>();
  }
  auto header = decode_block_header(as_bytes(block->header()));
  if (!header.ok()) {
    *reason = "MALFORMED: header: " + header.error().message;
    return std::optional<AssembledBlock>();
  }
  if (header->time_ms() != time_ms) {  // the engine's values carry their header's time (identify_block)
    *reason = "WRONG_TIME: the header time is not the proposal's";
    return std::optional<AssembledBlock>();
  }
  auto extras = check_extras(*block, height);
  if (!extras.ok()) return extras.error();
  if (!extras->empty()) {
    *reason = std::move(extras).value();
    return std::optional<AssembledBlock>();
  }
  auto verdict = check_block(kv_, executor_, context(), *block,
                             [this](std::span<const v1::SignedTx> txs) { return signature_verdicts(txs); });
  if (!verdict.ok()) return verdict.error();
  if (verdict->refused) {
    *reason = std::string(block_fault_name(verdict->refused->fault)) + ": " + verdict->refused->message;
    return std::optional<AssembledBlock>();
  }
  JOET_ASSERT(verdict->valid.has_value());
  return std::move(verdict->valid);
}

LedgerApp::Verdict LedgerApp::judge(const consensus::ValidateBlock& request) {
  JOET_ASSERT(initialized_);
  if (halted()) return Verdict{false, "HALTED: " + halt_.to_string()};
  if (request.height != blocks_.tip().height + 1) {
    return Verdict{false, "WRONG_HEIGHT: " + std::to_string(request.height) + " is not the next height"};
  }
  auto cached = cache_.find(request.block_hash);
  if (cached != cache_.end() && encode(cached->second.block) == request.bytes &&
      cached->second.header.time_ms() == request.time_ms) {
    return Verdict{true, ""};
  }
  std::string reason;
  auto checked = check(request.bytes, request.block_hash, request.time_ms, &reason);
  if (!checked.ok()) {
    halt(make_error(checked.error().code, "checking block " + std::to_string(request.height) + ": " +
                                              checked.error().message));
    return Verdict{false, "HALTED: " + halt_.to_string()};
  }
  if (!checked->has_value()) return Verdict{false, reason};
  cache_put(request.block_hash, std::move(**checked));
  check_invariants();
  return Verdict{true, ""};
}

void LedgerApp::cache_put(const Hash32& hash, AssembledBlock block) {
  if (cache_.size() >= kMaxCachedBlocks && cache_.count(hash) == 0) cache_.erase(cache_.begin());
  cache_.insert_or_assign(hash, std::move(block));
}

Result<consensus::FinalizeResult> LedgerApp::finalize_block(uint64_t height, const consensus::Value& value,
                                                            const v1::CommitCertificate& cert) {
  JOET_ASSERT(initialized_);
  // Every failure halts the app and returns its reason: the engine then halts at this height with its
  // WAL intact, and the node stops before it acts.
  auto unchanged = [this]() -> Result<consensus::FinalizeResult> { return halt_.error(); };
  if (halted()) return unchanged();
  JOET_ASSERT(height == blocks_.tip().height + 1);  // the engine finalizes on our tip

  // The certificate, as the engine built or verified it, certifies this value at this height.
  auto cert_ok = verify_commit_certificate(cert, *validator_set(height), genesis_.chain_id, height, &verifier_);
  if (!cert_ok.ok() || cert_ok.commit().block_hash != value.hash) {
    halt(make_error(ErrorCode::kInvalidArgument, "finalize " + std::to_string(height) +
                                                     ": the certificate does not certify the value"));
    return unchanged();
  }

  std::optional<AssembledBlock> assembled;
  auto cached = cache_.find(value.hash);
  if (cached != cache_.end() && encode(cached->second.block) == value.bytes) {
    assembled = std::move(cached->second);
  } else {
    std::string reason;
    auto checked = check(value.bytes, value.hash, value.time_ms, &reason);
    if (!checked.ok()) {
      halt(make_error(checked.error().code, "finalize " + std::to_string(height) + ": " + checked.error().message));
      return unchanged();
    }
    if (!checked->has_value()) {
      // More than 2/3 of the power certified a block our rules refuse: never continue on it.
      halt(make_error(ErrorCode::kCorruption, "finalize " + std::to_string(height) +
                                                  ": a certified block fails our checks: " + reason));
      return unchanged();
    }
    assembled = std::move(**checked);
  }
  cache_.clear();

  // The set of height + 2, from the state after this block; written in the block's batch.
  WriteBatch writes = assembled->state_changes;
  std::optional<ValidatorSet> new_set;
  {
    OverlayReader after(kv_, writes);
    auto pending = pending_validator_set(after, height + 2);
    if (!pending.ok()) {
      halt(pending.error());
      return unchanged();
    }
    if (pending->has_value()) {
      auto set = ValidatorSet::create(**pending);
      if (!set.ok()) {
        halt(make_error(ErrorCode::kCorruption, "validator set of height " + std::to_string(height + 2) + ": " +
                                                    set.error().message));
        return unchanged();
      }
      new_set = std::move(set).value();
    }
  }
  if (new_set) writes.put(set_key(height + 2), encode(new_set->proto()));
  // The block's txs, decoded once (checked above) for the results, the index and the mempool.
  std::vector<v1::SignedTx> txs;
  std::vector<Hash32> ids;
  txs.reserve(static_cast<size_t>(assembled->block.txs_size()));
  ids.reserve(txs.capacity());
  for (const std::string& tx : assembled->block.txs()) {
    txs.push_back(decode_signed_tx(as_bytes(tx)).value());
    ids.push_back(tx_id(txs.back()));
  }
  // Each tx's result (the executor's, deterministic), for clients awaiting their tx.
  for (size_t i = 0; i < txs.size(); ++i) {
    const TxResult& r = assembled->execution.results.at(i);
    writes.put(result_key(ids[i]), to_bytes(r.ok ? std::string("OK") : r.code + "\n" + r.message));
  }

  // The dashboard index of this block (node/inzicht/dashboard_index.h), in the same batch.
  Status indexed = inzicht::index_block(
      kv_, inzicht::CommittedBlock{height, static_cast<int64_t>(assembled->header.time_ms()), txs, &assembled->execution},
      writes);
  if (!indexed.ok()) {
    halt(make_error(indexed.error().code, "indexing block " + std::to_string(height) + ": " + indexed.error().message));
    return unchanged();
  }

  Status s = blocks_.commit(assembled->block, cert, writes);
  if (!s.ok()) {
    halt(make_error(s.error().code, "committing block " + std::to_string(height) + ": " + s.error().message));
    return unchanged();
  }
  // Read back what the store now says the tip is.
  JOET_ASSERT(blocks_.tip().height == height && blocks_.tip().block_hash == value.hash);
  auto stored_header = blocks_.header_at(height);
  if (!stored_header.ok() || stored_header->state_root() != assembled->header.state_root()) {
    halt(make_error(ErrorCode::kCorruption, "block " + std::to_string(height) + " does not read back as written"));
    return unchanged();
  }

  state_root_ = hash32_from_bytes(as_bytes(assembled->header.state_root())).value();
  tip_time_ms_ = static_cast<int64_t>(assembled->header.time_ms());
  tip_cert_ = cert;
  if (new_set) sets_.insert_or_assign(height + 2, std::move(*new_set));
  std::vector<std::string> convicted;
  for (const auto& ev : evidence_of(assembled->block)) {
    convicted.push_back(consensus::evidence_key(ev));
    committed_evidence_[convicted.back()] = height;
  }
  for (auto it = committed_evidence_.begin(); it != committed_evidence_.end();) {
    it = it->second + kEvidenceMaxAgeHeights <= height ? committed_evidence_.erase(it) : std::next(it);
  }

  mempool_.remove_committed(ids);
  auto dropped = mempool_.recheck(tip_time_ms_ + 1);
  if (!dropped.ok()) halt(make_error(dropped.error().code, "mempool recheck: " + dropped.error().message));
  check_invariants();
  if (halted()) return unchanged();  // committed and durable, but the mempool recheck failed: stop here
  return consensus::FinalizeResult{validator_set(height + 2)->proto(), assembled->header.time_ms(), std::move(convicted)};
}

std::optional<uint64_t> LedgerApp::next_due_ms() {
  auto due = next_deadline_due_ms(kv_);
  if (!due.ok()) {
    halt(due.status());
    return std::nullopt;
  }
  if (!due->has_value() || **due < 0) return std::nullopt;
  return static_cast<uint64_t>(**due);
}

void LedgerApp::check_invariants() const {
  JOET_ASSERT(!sets_.empty() && sets_.begin()->first == 1);
  JOET_ASSERT(cache_.size() <= kMaxCachedBlocks);
  for (const auto& [hash, b] : cache_) JOET_ASSERT(b.header.height() == blocks_.tip().height + 1);
  JOET_ASSERT((blocks_.tip().height == 0) == !tip_cert_.has_value());
}

Result<std::optional<TxResult>> LedgerApp::tx_result(const Hash32& tx_id) const {
  auto raw = kv_.get(result_key(tx_id));
  if (!raw.ok()) return raw.error();
  if (!raw->has_value()) return std::optional<TxResult>();
  const std::string text(reinterpret_cast<const char*>((*raw)->data()), (*raw)->size());
  if (text == "OK") return std::optional<TxResult>(TxResult{});
  const size_t nl = text.find('\n');
  if (nl == std::string::npos) return make_error(ErrorCode::kCorruption, "stored tx result does not parse");
  return std::optional<TxResult>(TxResult{false, text.substr(0, nl), text.substr(nl + 1)});
}

}  // namespace joet
