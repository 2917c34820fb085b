#include "tests/sim/ledger_sim_app.h"

#include <algorithm>
#include <utility>

#include "consensus/evidence.h"
#include "ledger/block.h"
#include "ledger/codec.h"
#include "ledger/hash.h"
#include "node/app/app_test_support.h"
#include "node/block_validity.h"
#include "node/state_root.h"

namespace joet::sim {

// The node's data dir: a MemoryKvStore whose next write can be made to fail (a store fault inside a
// commit: nothing of the batch lands).
class FaultyKvStore : public KvStore {
 public:
  Result<std::optional<Bytes>> get(ByteView key) const override { return memory_.get(key); }
  Status write(const WriteBatch& batch, bool sync) override {
    if (fail_next_write_) {
      fail_next_write_ = false;
      return make_error(ErrorCode::kIoError, "simulated store write failure");
    }
    return memory_.write(batch, sync);
  }
  Status scan(ByteView begin, ByteView end,
              const std::function<bool(ByteView key, ByteView value)>& visit) const override {
    return memory_.scan(begin, end, visit);
  }
  void set_fail_next_write(bool fail) { fail_next_write_ = fail; }
  MemoryKvStore& memory() { return memory_; }

 private:
  MemoryKvStore memory_;
  bool fail_next_write_ = false;
};

namespace {

constexpr size_t kMaxBlockTxs = 2'000;        // LedgerAppConfig's defaults
constexpr size_t kMaxBlockBytes = 8u << 20;

Genesis sim_genesis(uint64_t genesis_time_ms) {
  Genesis g = testing::test_genesis();
  g.time_ms = static_cast<int64_t>(genesis_time_ms);  // not part of the genesis root
  return g;
}

uint64_t header_time(const v1::Block& block) {
  auto header = decode_block_header(as_bytes(block.header()));
  JOET_ASSERT(header.ok());  // a block the store committed
  return header->time_ms();
}

}  // namespace

std::string LedgerSimApp::chain_id() { return std::string(testing::kChainId); }
v1::ValidatorSet LedgerSimApp::genesis_validators() { return testing::four_validator_set(); }
PrivateKey LedgerSimApp::validator_key(uint32_t validator) { return testing::validator_key(validator); }

LedgerSimApp::LedgerSimApp(uint32_t validator, uint64_t genesis_time_ms)
    : validator_(validator), genesis_time_ms_(genesis_time_ms) {
  JOET_ASSERT(validator < 4);  // the test genesis has four validators
  start();
}

LedgerSimApp::~LedgerSimApp() = default;

void LedgerSimApp::start() {
  std::unique_ptr<KvStore> kv;
  if (node_) kv = std::move(node_->kv);  // the data dir survives the process
  node_.reset();
  if (!kv) kv = std::make_unique<FaultyKvStore>();
  store_ = static_cast<FaultyKvStore*>(kv.get());
  store_->set_fail_next_write(false);
  node_ = std::make_unique<testing::AppNode>(std::move(kv), validator_, MempoolLimits{}, LedgerAppConfig{},
                                             sim_genesis(genesis_time_ms_));
  // A memory store never fails a read, and every block landed in one synced batch: a start that
  // fails is a defect of the app or the store, not a fault the simulator injected.
  Status s = node_->app->init_genesis();
  JOET_ASSERT(s.ok());
  JOET_ASSERT(node_->app->start_state().prev_block_time_ms == tip_time_ms());
  committed_evidence_.clear();
  convicted_keys_.clear();
  for (uint64_t h = 1; h < next_height(); ++h) {
    auto stored = node_->blocks->block_at(h);
    JOET_ASSERT(stored.ok());
    track_evidence(stored->block());
  }
}

void LedgerSimApp::track_evidence(const v1::Block& block) {
  for (const auto& ev : block_evidence(block)) {
    committed_evidence_.insert(consensus::evidence_key(ev));
    const ValidatorSet* set = node_->app->validator_set(consensus::evidence_height(ev));
    const uint32_t offender = consensus::evidence_offender(ev);
    if (set != nullptr && offender < set->size()) convicted_keys_.insert(set->at(offender).public_key());
  }
}

void LedgerSimApp::crash() {
  store_->memory().crash();
  start();
}

void LedgerSimApp::wipe() {
  node_.reset();
  store_ = nullptr;
  roots_.clear();
  fail_next_ = Fail::kNone;
  start();
}

// ---------------------------------------------------------------- the Application

std::optional<consensus::BlockId> LedgerSimApp::identify_block(ByteView bytes) {
  return node_->app->identify_block(bytes);
}

consensus::Value LedgerSimApp::prepare_proposal(uint64_t height, uint32_t round, uint64_t time_ms,
                                                const std::vector<consensus::AnyEvidence>& evidence) {
  return node_->app->prepare_proposal(height, round, time_ms, evidence);
}

bool LedgerSimApp::has_work(uint64_t height) { return node_->app->has_work(height); }

bool LedgerSimApp::validate(uint64_t height, const consensus::Value& value) {
  return node_->app->judge(consensus::ValidateBlock{height, 0, value.hash, value.time_ms, value.bytes}).valid;
}

Result<consensus::FinalizeResult> LedgerSimApp::finalize_block(uint64_t height, const consensus::Value& value,
                                                               const v1::CommitCertificate& cert) {
  const Fail fail = fail_next_;
  fail_next_ = Fail::kNone;
  store_->set_fail_next_write(fail == Fail::kBeforeDurable);
  auto result = node_->app->finalize_block(height, value, cert);
  store_->set_fail_next_write(false);
  // Committed iff the store's tip moved to this block (LedgerApp may fail after the commit, e.g. in
  // its mempool recheck: the block is durable all the same).
  const bool durable = node_->blocks->tip().height == height && node_->blocks->tip().block_hash == value.hash;
  JOET_ASSERT(durable || !result.ok());
  JOET_ASSERT(fail != Fail::kBeforeDurable || !durable);
  if (!durable) return result;
  auto block = decode_block(value.bytes);
  JOET_ASSERT(block.ok());
  track_evidence(*block);
  roots_[height] = node_->app->state_root();
  if (on_commit) on_commit(height, value.hash, true, cert);
  if (fail == Fail::kAfterDurable) {
    return make_error(ErrorCode::kIoError, "simulated crash after the block was durable");
  }
  return result;
}

// ---------------------------------------------------------------- the block store side

uint64_t LedgerSimApp::next_height() const { return node_->blocks->tip().height + 1; }

uint64_t LedgerSimApp::tip_time_ms() const {
  const uint64_t tip = node_->blocks->tip().height;
  if (tip == 0) return genesis_time_ms_;
  auto header = node_->blocks->header_at(tip);
  JOET_ASSERT(header.ok());
  return header->time_ms();
}

CommittedBlock LedgerSimApp::committed(uint64_t height) const {
  JOET_ASSERT(height >= 1 && height < next_height());
  auto stored = node_->blocks->block_at(height);
  JOET_ASSERT(stored.ok());
  CommittedBlock b;
  b.bytes = encode(stored->block());
  b.hash = block_hash(stored->block());
  b.cert = stored->commit();
  b.time_ms = header_time(stored->block());
  return b;
}

consensus::Value LedgerSimApp::make_block(uint64_t height, uint64_t time_ms, const Hash32& salt,
                                          const std::vector<consensus::AnyEvidence>& evidence) {
  const LedgerApp& app = *node_->app;
  const BlockStore& blocks = *node_->blocks;
  consensus::Value value;
  value.time_ms = time_ms;
  // Not on our tip (or after a halt): bytes that are no block at all, which every node refuses.
  auto not_a_block = [&] {
    value.bytes = Bytes(salt.begin(), salt.end());
    value.hash = tagged_hash("joet/sim/not-a-block", value.bytes);
    return value;
  };
  const uint64_t tip = blocks.tip().height;
  if (height != tip + 1 || app.halted()) return not_a_block();

  BlockContext ctx;
  ctx.chain_id = chain_id();
  ctx.height = height;
  ctx.prev_block_hash = blocks.tip().block_hash;
  ctx.prev_time_ms = tip == 0 ? 0 : static_cast<int64_t>(tip_time_ms());
  ctx.prev_state_root = app.state_root();
  ctx.history_root = blocks.history_root();
  ctx.validators = app.validator_set(height);
  JOET_ASSERT(ctx.validators != nullptr);
  const auto proposer = ctx.validators->index_of(validator_key(validator_).public_key().bytes());
  JOET_ASSERT(proposer.has_value());

  BlockInputs inputs;
  inputs.time_ms = static_cast<int64_t>(time_ms);
  inputs.proposer = *proposer;
  // The salt's bits choose which pending txs go in (the mempool is only read).
  const std::vector<v1::SignedTx> pending = node_->mempool->reap(kMaxBlockTxs, kMaxBlockBytes);
  for (size_t i = 0; i < pending.size(); ++i) {
    if (((salt[i % salt.size()] >> (i / salt.size() % 8)) & 1) != 0) inputs.txs.push_back(pending[i]);
  }
  if (tip > 0) inputs.last_commit = blocks.block_at(tip).value().commit();
  for (const auto& ev : evidence) {
    if (committed_evidence_.count(consensus::evidence_key(ev)) != 0) continue;
    if (const auto* v = std::get_if<v1::Evidence>(&ev)) {
      inputs.evidence.push_back(*v);
    } else {
      inputs.proposal_evidence.push_back(std::get<v1::ProposalEvidence>(ev));
    }
  }
  auto assembled = assemble_block(*node_->kv, node_->executor, ctx, std::move(inputs), node_->verifier);
  if (!assembled.ok()) return not_a_block();  // e.g. a time not after the tip's

  v1::Block block = std::move(assembled->block);
  if (salt == poison_salt()) {
    v1::BlockHeader header = assembled->header;
    std::string root = header.state_root();
    JOET_ASSERT(!root.empty());
    root[0] = static_cast<char>(root[0] ^ 0x01);
    header.set_state_root(root);
    block.set_header(to_string(encode(header)));
  }
  value.bytes = encode(block);
  value.hash = block_hash(block);
  return value;
}

// ---------------------------------------------------------------- for the simulator and its tests

std::optional<v1::ValidatorSet> LedgerSimApp::validator_set_of(uint64_t height) const {
  const ValidatorSet* set = node_->app->validator_set(height);
  if (set == nullptr) return std::nullopt;
  return set->proto();
}

std::string LedgerSimApp::submit(ByteView tx_bytes, uint64_t now_ms) {
  auto verdict = node_->app->submit_tx(tx_bytes, static_cast<int64_t>(now_ms));
  if (!verdict.ok()) return verdict.error().to_string();
  return verdict->admitted() ? std::string() : verdict->refused->code;
}

Hash32 LedgerSimApp::state_root() const { return node_->app->state_root(); }

Hash32 LedgerSimApp::state_root_at(uint64_t height) const {
  JOET_ASSERT(height >= 1 && height < next_height());
  auto it = roots_.find(height);
  JOET_ASSERT(it != roots_.end());
  return it->second;
}

Result<Hash32> LedgerSimApp::stored_state_root() const {
  // Every contract key of the store (under "c/"), into a fresh tree on a scratch store.
  WriteBatch state;
  Status s = node_->kv->scan(as_bytes("c/"), as_bytes("c0"), [&state](ByteView key, ByteView value) {
    state.put(key, value);
    return true;
  });
  if (!s.ok()) return s.error();
  MemoryKvStore scratch;
  return commit_state(scratch, state, SparseMerkleTree::empty_root());
}

uint64_t LedgerSimApp::committed_txs() const {
  uint64_t txs = 0;
  for (uint64_t h = 1; h < next_height(); ++h) {
    txs += static_cast<uint64_t>(node_->blocks->block_at(h).value().block().txs_size());
  }
  return txs;
}

bool LedgerSimApp::halted() const { return node_->app->halted(); }

// ---------------------------------------------------------------- the workload

Bytes TxWorkload::sign(std::vector<std::string_view> signers, std::string_view action, std::vector<v1::Arg> args) {
  JOET_ASSERT(!signers.empty());
  v1::TxBody body;
  body.set_chain_id(std::string(testing::kChainId));
  body.set_action(std::string(action));
  std::sort(args.begin(), args.end(), [](const v1::Arg& a, const v1::Arg& b) { return a.name() < b.name(); });
  for (auto& a : args) *body.add_args() = std::move(a);
  body.set_nonce(++nonces_[std::string(signers.front())]);
  const Bytes body_bytes = encode(body);
  v1::SignedTx tx;
  tx.set_body(to_string(body_bytes));
  for (std::string_view signer : signers) {
    const PrivateKey key = testing::Chain::key(signer);
    v1::Signature* s = tx.add_signatures();
    s->set_public_key(to_string(key.public_key().bytes()));
    // Zero auxiliary randomness, as consensus::KeySigner: the same seed gives the same bytes.
    s->set_signature(to_string(key.sign(tagged_hash(tags::kTx, body_bytes), Hash32{})));
  }
  made_ += 1;
  return encode(tx);
}

Bytes TxWorkload::validator_update(const std::vector<uint64_t>& powers) {
  std::vector<v1::Arg> args;
  for (size_t i = 0; i < powers.size(); ++i) {
    const std::string p = "validator." + std::to_string(i) + ".";
    args.push_back(testing::key_arg(p + "key", "validator-" + std::to_string(i)));
    args.push_back(testing::integer(p + "power", static_cast<int64_t>(powers[i])));
  }
  return sign({testing::kCourt, testing::kRvdk, testing::kMunicipality, testing::kGi, testing::kOtherGi}, "validator.update",
              std::move(args));
}

Bytes TxWorkload::next(uint64_t pick) {
  using testing::text;
  const std::string n = std::to_string(made_ + 1);
  switch (pick % 4) {
    case 0:
    case 1:
      cases_ += 1;
      return sign({testing::kRvdk}, "case.open",
                  {text("case", "sim-case-" + std::to_string(cases_)), text("majority_date", "2035-01-01"),
                   text("municipality", std::string(testing::kMunicipality))});
    case 2:
      return sign({testing::kGi}, "professional.register",
                  {text("professional", "sim-prof-" + n), text("skj_valid_until", "2030-01-01")});
    default: {
      // An OTS request on a case opened earlier (refused while that case is not committed yet).
      const std::string case_id = "sim-case-" + std::to_string(std::max<uint64_t>(cases_ / 2, 1));
      return sign({testing::kRvdk}, "request.file",
                  {text("case", case_id), text("request", "sim-req-" + n), text("kind", "OTS"),
                   testing::hash_arg("document", "sim-doc-" + n), text("gi", std::string(testing::kGi))});
    }
  }
}

}  // namespace joet::sim
