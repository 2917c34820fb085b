#include "tests/sim/simulator.h"

#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <tuple>

#include "consensus/engine.h"
#include "consensus/message.h"
#include "consensus/signing_fence.h"
#include "consensus/wal.h"
#include "ledger/commit_certificate.h"
#include "ledger/hash.h"
#include "ledger/keys.h"
#include "tests/sim/ledger_sim_app.h"
#include "tests/sim/sim_app.h"

namespace joet::sim {

const char* byzantine_name(Byzantine b) {
  switch (b) {
    case Byzantine::kSilent: return "silent";
    case Byzantine::kEquivocate: return "equivocate";
    case Byzantine::kOtherRounds: return "other-rounds";
    case Byzantine::kGarbage: return "garbage";
    case Byzantine::kInvalidBlocks: return "invalid-blocks";
    case Byzantine::kTwin: return "twin";
    case Byzantine::kTimeShift: return "time-shift";
    case Byzantine::kWithhold: return "withhold";
    case Byzantine::kFickle: return "fickle";
    case Byzantine::kTwoBodies: return "two-bodies";
    case Byzantine::kFalsePolka: return "false-polka";
  }
  return "?";
}

namespace {

using namespace consensus;

constexpr std::string_view kChain = "joet-sim";
constexpr uint64_t kGenesisMs = 1'000'000'000;  // virtual UTC ms; clocks are offset from it
constexpr uint64_t kGossipMs = 1500;
constexpr size_t kTraceKeep = 400;

// The node's signing guard in miniature (node/signing_guard.h keeps the same record in a file beside
// the key): the highest height with a durable signature survives crashes and wiped data dirs, and a
// fence computed at start (consensus/signing_fence.h) keeps the node silent where its WAL was lost.
class SimGuard : public Signer {
 public:
  SimGuard(Signer& key, uint64_t& signed_height, uint64_t fence, bool enabled)
      : key_(key), signed_height_(signed_height), fence_(fence), enabled_(enabled) {}
  const PublicKey& public_key() const override { return key_.public_key(); }
  Signature64 sign(std::string_view tag, ByteView body) override { return key_.sign(tag, body); }
  Status authorize(uint64_t height, uint32_t /*round*/, Step /*step*/) override {
    if (enabled_ && height <= fence_) return make_error(ErrorCode::kConflict, "fenced: the WAL of this height was lost");
    return Status();
  }
  Status signed_durably(uint64_t height) override {
    signed_height_ = std::max(signed_height_, height);
    return Status();
  }

 private:
  Signer& key_;
  uint64_t& signed_height_;
  uint64_t fence_;
  bool enabled_;
};

struct Node {
  uint32_t id = 0;
  uint32_t validator = 0;
  bool honest = true;
  std::optional<Byzantine> mode;
  std::unique_ptr<KeySigner> signer;
  uint64_t signed_height = 0;  // the guard's record, outside the data dir
  std::unique_ptr<SimGuard> guard;
  std::optional<std::pair<size_t, uint8_t>> wal_flip;  // a bit of its WAL flipped while it was down
  bool wal_move_aside = false;                         // the operator's remedy: move it aside (else repair)
  bool crash_requested = false;
  std::unique_ptr<NodeApp> app;
  std::unique_ptr<MemoryWal> wal;
  std::unique_ptr<Engine> engine;
  bool up = false;
  uint64_t incarnation = 0;
  int64_t offset_ms = 0;
  int64_t drift_ppm = 0;
  uint64_t gossip_height = 0;
  uint64_t last_progress_ms = 0;
  std::map<uint64_t, CommitMsg> future_commits;
  std::map<std::pair<uint64_t, uint32_t>, std::set<std::string>> seen_proposals;  // byzantine: what to vote for
  std::set<std::string> split_blocks;  // two-bodies: the hashes it sent with a second body
  std::map<uint64_t, Value> stale_blocks;  // time-shift: a block someone proposed at each height
  std::map<std::pair<uint64_t, uint32_t>, std::vector<Value>> seen_values;  // equivocate: blocks of each round, its own too
  // false-polka: the height it lures at. Locking: its round-`round` block (`value`) went to two honest
  // validators, `decider` and `locked`; luring: its precommit went to the decider alone, and at that
  // height it signs only what false_polka_react forges, once per round (`handled`).
  struct Lure {
    uint64_t height = 0;
    uint32_t round = 0;
    std::string value;
    uint32_t decider = 0;
    uint32_t locked = 0;
    bool luring = false;
    bool released = false;  // its nil precommit of `round` went to the others
    std::set<uint32_t> handled;
    std::vector<Bytes> forged;  // what it signed there, sent again with its engine's gossip (drops)
    uint64_t resent_at = 0;
  };
  std::optional<Lure> lure;
  // The simulator's own equivocation detector, independent of the engine: the first vote of each
  // (round, type, validator) and the first proposal of each round this honest node accepted at its
  // height (cleared when the height changes).
  uint64_t observed_height = 0;
  std::map<std::tuple<uint32_t, uint8_t, uint32_t>, v1::SignedVote> observed_votes;
  std::map<uint32_t, v1::SignedProposal> observed_proposals;
};

enum class Kind : uint8_t { kDeliver, kTimeout, kGossip, kCrash, kWalCrash, kRestart, kPartition, kHeal, kValidated, kStoreFault, kTxs };

// One sent message, shared by every delivery of it and decoded once, at its first delivery (the
// signature is still checked per recipient, against the set that recipient knows, through the cache).
struct Frame {
  explicit Frame(Bytes w) : wire(std::move(w)) {}
  const Result<Message>& message() const {
    if (!decoded) decoded = decode_message(wire);
    return *decoded;
  }
  Bytes wire;
  mutable std::optional<Result<Message>> decoded;
};

struct Event {
  Kind kind = Kind::kDeliver;
  uint32_t node = 0;
  uint64_t incarnation = 0;
  uint32_t from = 0;
  std::shared_ptr<const Frame> frame;  // kDeliver
  Bytes wire;                          // kValidated: the block
  TimeoutKind timeout = TimeoutKind::kPropose;
  uint64_t height = 0;
  uint32_t round = 0;
  Hash32 hash{};        // kValidated: the block asked about (its bytes in wire)
  uint64_t time_ms = 0;
};

class Simulation {
 public:
  explicit Simulation(const SimConfig& config)
      : c_(config), rng_(config.seed), chain_id_(config.real_app ? LedgerSimApp::chain_id() : std::string(kChain)) {}
  SimResult run();

 private:
  uint64_t rand(uint64_t n) { return n == 0 ? 0 : rng_() % n; }
  bool chance(uint32_t permille) { return rand(1000) < permille; }
  bool before_gst() const { return now_ < c_.gst_ms; }
  uint64_t local(const Node& n) const { return local_at(n, now_); }
  uint64_t local_at(const Node& n, uint64_t global) const {
    const int64_t elapsed = static_cast<int64_t>(global - kGenesisMs);
    int64_t t = static_cast<int64_t>(global) + n.offset_ms + elapsed * n.drift_ppm / 1'000'000;
    return static_cast<uint64_t>(t);
  }
  uint64_t to_global(const Node& n, uint64_t local_delay) const {
    return local_delay * 1'000'000 / static_cast<uint64_t>(1'000'000 + n.drift_ppm);
  }
  void push(uint64_t delay, Event e) { queue_.emplace(std::make_pair(now_ + delay, seq_++), std::move(e)); }
  void trace(const std::string& line);
  void violation(const std::string& what);

  v1::ValidatorSet set_at(uint64_t height);
  v1::ValidatorSet chain_set_at(uint64_t height);
  uint32_t key_id(uint64_t height, uint32_t index);  // the node (key) behind an index of a height's set
  bool convicted_everywhere(uint32_t key_id) const;
  bool offence_convicted_everywhere(const std::string& evidence_key) const;
  PrivateKey node_key(uint32_t validator) const;
  void build();
  void submit_txs();
  void check_app_state(Node& n);
  void restart(Node& n);
  void crash(Node& n, const std::string& why);
  void process_outputs(Node& n);
  void send_from(Node& n, const std::shared_ptr<const Frame>& frame);
  void byzantine_send(Node& n, const std::shared_ptr<const Frame>& frame);
  void net_send(uint32_t from, uint32_t to, const Bytes& wire) { net_send(from, to, std::make_shared<const Frame>(wire)); }
  void net_send(uint32_t from, uint32_t to, const std::shared_ptr<const Frame>& frame);
  void send_to_all(uint32_t from, const Bytes& wire);
  void send_to_all(uint32_t from, const std::shared_ptr<const Frame>& frame);
  void deliver(Node& n, uint32_t from, const Frame& frame);
  void on_commit(Node& n, uint64_t height, const Hash32& hash, bool valid, const v1::CommitCertificate& cert);
  void check_block_time(uint64_t height, uint32_t round, uint64_t time_ms);
  void observe_equivocation(Node& n, const Message& m);
  void note_offence(const Node& n, const std::string& key);
  static void remember_value(Node& n, uint64_t height, uint32_t round, const Value& v);
  void store_fault(Node& n);
  bool misbehaves(const Message& m) const;
  void time_shift_send(Node& n, const ProposalMsg& p, const Bytes& wire);
  void false_polka_send(Node& n, const Message& m, const std::shared_ptr<const Frame>& frame);
  void false_polka_react(Node& n, const Message& m);
  std::optional<uint32_t> index_in(uint64_t height, uint32_t key_id);
  void check_signed(const Node& n, const Message& m);
  void check_liveness();
  bool done() const;

  SimConfig c_;
  std::mt19937_64 rng_;
  std::string chain_id_;  // the one every node signs and verifies with
  TxWorkload workload_;   // real_app: the clients' txs
  uint64_t now_ = kGenesisMs;
  uint64_t seq_ = 0;
  uint64_t liveness_bound_ms_ = 0;
  std::multimap<std::pair<uint64_t, uint64_t>, Event> queue_;
  std::vector<Node> nodes_;
  std::vector<Hash32> keys_;
  std::set<uint32_t> faulty_;
  std::set<uint32_t> offenders_found_;
  std::vector<uint8_t> side_;
  bool partitioned_ = false;
  std::set<uint32_t> held_;  // nodes whose messages the network holds (drops) until GST: false-polka's deciders
  bool wal_lost_ = false;  // one node per run loses its WAL (corrupt or wiped): it counts as faulty there
  std::map<uint64_t, Hash32> decided_;
  std::map<uint64_t, uint64_t> decided_at_;  // height -> global time of its first honest commit
  std::map<uint64_t, uint64_t> block_time_;  // height -> committed block time
  struct Offence {
    uint64_t height = 0;
    uint64_t seen_at = 0;        // sim time an honest node first received both messages
    uint32_t found_by = 0;       // honest engines that reported it (EvidenceFound)
    // Some honest engine reported it, or received it with room in its pool for it (counting only
    // offences its own chain has not convicted: a correct engine has let those go). Only these must
    // end convicted: a pool full of offences still to be proposed may drop one (counted).
    bool required = false;
  };
  std::map<std::string, Offence> offences_;  // evidence_key -> what honest nodes saw of it
  std::map<std::tuple<uint32_t, uint64_t, uint32_t, uint8_t>, std::string> honest_signed_;
  std::map<uint64_t, v1::ValidatorSet> set_cache_;
  std::map<uint64_t, v1::ValidatorSet> chain_sets_;  // real_app: each height's set, as the chain has it
  std::map<uint64_t, ValidatorSet> certifying_sets_;  // on_commit: the recent heights' sets
  uint64_t set_updates_ = 0;                         // real_app: validator.update txs submitted
  EngineConfig engine_config_;
  SignatureCache cache_{1 << 15};
  SimResult r_;
  std::deque<std::string> trace_;
};

void Simulation::trace(const std::string& line) {
  trace_.push_back("t=" + std::to_string(now_ - kGenesisMs) + " " + line);
  if (!c_.trace && trace_.size() > kTraceKeep) trace_.pop_front();
}

void Simulation::violation(const std::string& what) {
  trace("VIOLATION " + what);
  r_.violations.push_back(what);
}

v1::ValidatorSet Simulation::set_at(uint64_t height) {
  if (c_.real_app) return chain_set_at(height);
  uint64_t epoch = 0;
  if ((c_.validator_set_changes || c_.membership_changes) && height >= 3) epoch = (height - 3) / 4 + 1;  // changes land at h + 2
  auto it = set_cache_.find(epoch);
  if (it != set_cache_.end()) return it->second;
  const uint32_t n = c_.nodes;
  std::vector<uint32_t> members;
  for (uint32_t i = 0; i < n; ++i) members.push_back(i);
  if (c_.membership_changes) {
    const uint64_t phase = epoch % 4;
    if (phase != 0) members.push_back(n);                            // node n joins (phases 1-3)
    if (phase == 2) members.erase(members.begin() + 1);               // node 1 leaves: indexes shift
  }
  v1::ValidatorSet set;
  for (uint32_t i : members) {
    auto* v = set.add_validators();
    v->set_public_key(std::string(keys_[i].begin(), keys_[i].end()));
    // Faulty validators keep power 1; honest ones move between 1 and 2, so faulty power stays < 1/3.
    const uint64_t power = c_.validator_set_changes ? 1 + (epoch + i) % 2 : 1;
    v->set_power(faulty_.count(i) != 0 ? 1 : power);
    v->set_institution("inst-" + std::to_string(i));
  }
  set_cache_.emplace(epoch, set);
  return set;
}

// The real app's sets come from the chain (validator.update txs): the first honest node that knows a
// height's set fixes it, and every other honest node must come to hold the same (on_commit checks).
v1::ValidatorSet Simulation::chain_set_at(uint64_t height) {
  auto it = chain_sets_.find(height);
  if (it != chain_sets_.end()) return it->second;
  for (const Node& n : nodes_) {
    if (!n.honest) continue;
    if (auto set = n.app->validator_set_of(height)) return chain_sets_.emplace(height, *set).first->second;
  }
  // Not known yet: the latest one known (for statistics only, never cached).
  auto below = chain_sets_.upper_bound(height);
  return below == chain_sets_.begin() ? LedgerSimApp::genesis_validators() : std::prev(below)->second;
}

std::optional<uint32_t> Simulation::index_in(uint64_t height, uint32_t id) {
  v1::ValidatorSet set = set_at(height);
  const std::string pk(keys_[id].begin(), keys_[id].end());
  for (int i = 0; i < set.validators_size(); ++i) {
    if (set.validators(i).public_key() == pk) return static_cast<uint32_t>(i);
  }
  return std::nullopt;
}

uint32_t Simulation::key_id(uint64_t height, uint32_t index) {
  v1::ValidatorSet set = set_at(height);
  if (index >= static_cast<uint32_t>(set.validators_size())) return UINT32_MAX;
  const std::string& pk = set.validators(static_cast<int>(index)).public_key();
  for (uint32_t i = 0; i < keys_.size(); ++i) {
    if (std::string(keys_[i].begin(), keys_[i].end()) == pk) return i;
  }
  return UINT32_MAX;
}

bool Simulation::convicted_everywhere(uint32_t id) const {
  const std::string pk(keys_[id].begin(), keys_[id].end());
  for (const Node& n : nodes_) {
    if (n.honest && n.app->convicted_keys().count(pk) == 0) return false;
  }
  return true;
}

// The real app's genesis holds the test validators; the fake's schedule uses the simulator's own keys.
PrivateKey Simulation::node_key(uint32_t validator) const {
  if (c_.real_app) return LedgerSimApp::validator_key(validator);
  return PrivateKey::from_test_seed("sim-validator-" + std::to_string(validator));
}

void Simulation::build() {
  const uint32_t f = (c_.nodes - 1) / 3;
  JOET_ASSERT(c_.byzantine.size() <= f);
  // The test genesis has four validators and no set changes.
  JOET_ASSERT(!c_.real_app || (c_.nodes == 4 && !c_.membership_changes));
  const uint32_t key_count = c_.nodes + (c_.membership_changes ? 1 : 0);
  for (uint32_t i = 0; i < key_count; ++i) keys_.push_back(node_key(i).public_key().bytes());
  for (size_t b = 0; b < c_.byzantine.size(); ++b) faulty_.insert(c_.nodes - 1 - static_cast<uint32_t>(b));
  engine_config_.chain_id = chain_id_;
  engine_config_.timeouts = TimeoutConfig{300, 150, 200, 100, 200, 100};
  engine_config_.precision_ms = 500;
  engine_config_.message_delay_ms = std::max<uint64_t>(200, c_.max_delay_after_gst_ms * 2);
  engine_config_.max_pending_evidence = c_.max_pending_evidence;
  uint64_t bound = 0;
  for (uint32_t r = 0; r <= 2 * key_count + 4; ++r) {
    bound += engine_config_.timeouts.duration_ms(TimeoutKind::kPropose, r) +
             engine_config_.timeouts.duration_ms(TimeoutKind::kPrevote, r) +
             engine_config_.timeouts.duration_ms(TimeoutKind::kPrecommit, r) + 4 * c_.max_delay_after_gst_ms;
  }
  liveness_bound_ms_ = bound + 6 * kGossipMs;

  std::vector<std::pair<uint32_t, std::optional<Byzantine>>> plan;
  for (uint32_t i = 0; i < key_count; ++i) {
    std::optional<Byzantine> mode;
    if (faulty_.count(i) != 0) mode = c_.byzantine[c_.nodes - 1 - i];
    plan.emplace_back(i, mode);
  }
  for (uint32_t i = 0; i < key_count; ++i) {
    if (plan[i].second == Byzantine::kTwin) plan.emplace_back(i, Byzantine::kTwin);
  }
  nodes_.resize(plan.size());
  for (uint32_t id = 0; id < plan.size(); ++id) {
    Node& n = nodes_[id];
    n.id = id;
    n.validator = plan[id].first;
    n.mode = plan[id].second;
    n.honest = faulty_.count(n.validator) == 0;
    n.signer = std::make_unique<KeySigner>(node_key(n.validator));
    if (c_.real_app) {
      n.app = std::make_unique<LedgerSimApp>(n.validator, kGenesisMs);
    } else {
      n.app = std::make_unique<SimApp>(std::string(kChain), [this](uint64_t h) { return set_at(h); }, id, kGenesisMs);
    }
    n.app->on_commit = [this, id](uint64_t h, const Hash32& hash, bool valid, const v1::CommitCertificate& cert) {
      on_commit(nodes_[id], h, hash, valid, cert);
    };
    n.wal = std::make_unique<MemoryWal>();
    if (c_.clock_skew) {
      n.offset_ms = static_cast<int64_t>(rand(201)) - 100;
      n.drift_ppm = static_cast<int64_t>(rand(401)) - 200;
    }
  }
  side_.assign(nodes_.size(), 0);
  r_.signed_by_node.assign(nodes_.size(), 0);
}

// The clients: one or two signed txs to a random up honest node's mempool.
void Simulation::submit_txs() {
  std::vector<uint32_t> up;
  for (const Node& n : nodes_) {
    if (n.honest && n.up) up.push_back(n.id);
  }
  std::string line;  // one trace line per batch: a stalled run's trace is not all txs
  // Governance: now and then a validator.update moves the honest validators' power between 1 and 2
  // (the faulty ones keep 1, so their power stays under a third), to every up honest node.
  if (c_.validator_set_changes && !up.empty() && rand(8) == 0) {
    set_updates_ += 1;
    std::vector<uint64_t> powers;
    for (uint32_t i = 0; i < c_.nodes; ++i) powers.push_back(faulty_.count(i) != 0 ? 1 : 1 + (set_updates_ + i) % 2);
    const Bytes tx = workload_.validator_update(powers);
    r_.txs_submitted += 1;
    for (uint32_t id : up) {
      const std::string refused = static_cast<LedgerSimApp&>(*nodes_[id].app).submit(tx, local(nodes_[id]));
      r_.txs_admitted += refused.empty() ? 1 : 0;
      line += " validator.update->node " + std::to_string(id) + (refused.empty() ? "" : " refused " + refused);
    }
  }
  const uint64_t count = 1 + rand(2);
  for (uint64_t k = 0; k < count; ++k) {
    const Bytes tx = workload_.next(rand(4));
    r_.txs_submitted += 1;
    if (up.empty()) continue;
    Node& to = nodes_[up[rand(up.size())]];
    const std::string refused = static_cast<LedgerSimApp&>(*to.app).submit(tx, local(to));
    r_.txs_admitted += refused.empty() ? 1 : 0;
    line += " " + std::to_string(workload_.made()) + "->node " + std::to_string(to.id) + (refused.empty() ? "" : " refused " + refused);
  }
  if (!line.empty()) trace("txs" + line);
}

// The real app's store hashes to the state root its app holds (at every start and at the end): a crash
// that kept part of a block, or lost part of one, shows here.
void Simulation::check_app_state(Node& n) {
  if (!c_.real_app || !n.honest) return;
  const auto& app = static_cast<const LedgerSimApp&>(*n.app);
  auto stored = app.stored_state_root();
  if (!stored.ok() || *stored != app.state_root()) {
    violation("state: node " + std::to_string(n.id) + " at height " + std::to_string(app.committed_height()) +
              ": the store's state does not hash to the app's state root " + to_hex(app.state_root()).substr(0, 8) +
              (stored.ok() ? " (it gives " + to_hex(*stored).substr(0, 8) + ")" : " (" + stored.error().to_string() + ")"));
  }
}

void Simulation::restart(Node& n) {
  check_app_state(n);
  n.wal->reset_crash();
  StartState s;
  s.height = n.app->next_height();
  if (c_.real_app) {  // what the node's own store holds, as the daemon starts
    s.validator_set = *n.app->validator_set_of(s.height);
    s.next_validator_set = *n.app->validator_set_of(s.height + 1);
  } else {
    s.validator_set = set_at(s.height);
    s.next_validator_set = set_at(s.height + 1);
  }
  s.prev_block_time_ms = n.app->tip_time_ms();
  // The guard's fence, as the node computes it: the WAL is read once more by Engine::start.
  auto records = n.wal->read_all();
  const uint64_t wal_height = records.ok() ? wal_max_height(*records) : 0;
  const uint64_t fence = records.ok() ? signing_fence(n.signed_height, s.height, wal_height) : 0;
  // As the node's guard does at open: a WAL ahead of the record (a crash between the WAL append and the
  // record) raises the record, so a later loss of this WAL still fences that height.
  n.signed_height = std::max(n.signed_height, wal_height);
  if (fence != 0) trace("node " + std::to_string(n.id) + " fenced through height " + std::to_string(fence));
  if (n.engine) r_.signatures_refused += n.engine->signatures_refused();
  n.guard = std::make_unique<SimGuard>(*n.signer, n.signed_height, fence, c_.signing_guard);
  n.engine = std::make_unique<Engine>(engine_config_, *n.app, *n.guard, *n.wal);
  // The restarted engine has forgotten the messages others sent it: an offence whose two halves straddle
  // the crash is not one it could see, so the simulator's own detector starts afresh too.
  n.observed_height = 0;
  n.observed_votes.clear();
  n.observed_proposals.clear();
  n.incarnation += 1;
  n.up = true;
  n.future_commits.clear();
  Status st = n.engine->start(s, local(n));
  trace("node " + std::to_string(n.id) + " start at height " + std::to_string(s.height) + " round " +
        std::to_string(n.engine->round()) + (st.ok() ? "" : " FAILED " + st.to_string()));
  if (n.wal_flip) {
    const auto [at, mask] = *n.wal_flip;
    n.wal_flip.reset();
    if (st.ok() || st.error().code != ErrorCode::kCorruption) {
      return violation("node " + std::to_string(n.id) + " started on a corrupt WAL: " + st.to_string());
    }
    // The operator's remedy (docs/joet-node.md): move the corrupt WAL aside, the signing guard then
    // keeps the node silent at the heights whose signatures that WAL held; or restore its good bytes.
    r_.corrupt_wals_refused += 1;
    if (n.wal_move_aside) {
      n.wal = std::make_unique<MemoryWal>();
    } else {
      n.wal->image()[at] ^= mask;
    }
    n.engine.reset();
    return restart(n);
  }
  if (!st.ok() && n.wal->crashed()) return crash(n, "inside a WAL append of the start");  // restarts again later
  if (!st.ok()) violation("node " + std::to_string(n.id) + " cannot restart: " + st.to_string());
  n.last_progress_ms = std::max(n.last_progress_ms, now_);
  process_outputs(n);
  Event g;
  g.kind = Kind::kGossip;
  g.node = n.id;
  g.incarnation = n.incarnation;
  push(to_global(n, kGossipMs), g);
}

void Simulation::crash(Node& n, const std::string& why) {
  if (!n.up) return;
  trace("node " + std::to_string(n.id) + " CRASH (" + why + ") at height " + std::to_string(n.engine->height()));
  n.up = false;
  r_.signatures_refused += n.engine->signatures_refused();
  n.engine.reset();
  n.app->crash();  // the store loses what it had not synced
  n.incarnation += 1;
  r_.restarts += 1;
  Event e;
  e.kind = Kind::kRestart;
  e.node = n.id;
  push(100 + rand(2000), e);
}

bool is_value_precommit(const Result<Message>& m) {
  const auto* v = m.ok() ? std::get_if<VoteMsg>(&*m) : nullptr;
  return v != nullptr && v->body.type() == v1::PRECOMMIT && !v->key().empty();
}

std::string describe_hash(const Message& m) {
  std::string h;
  if (const auto* p = std::get_if<ProposalMsg>(&m)) h = p->body.block_hash() + "";
  if (const auto* v = std::get_if<VoteMsg>(&m)) h = v->key();
  if (h.empty()) return "nil";
  return to_hex(as_bytes(h)).substr(0, 8);
}

void Simulation::check_signed(const Node& n, const Message& message) {
  if (!n.honest && n.mode != Byzantine::kTwin) return;
  const Message* m = &message;
  std::tuple<uint32_t, uint64_t, uint32_t, uint8_t> slot;
  std::string body;
  if (const auto* p = std::get_if<ProposalMsg>(&*m)) {
    slot = {n.validator, p->body.height(), p->body.round(), 0};
    body = p->signed_proposal.body();
  } else if (const auto* v = std::get_if<VoteMsg>(&*m)) {
    slot = {n.validator, v->body.height(), v->body.round(), static_cast<uint8_t>(v->body.type())};
    body = v->signed_vote.body();
  } else {
    return;
  }
  trace("node " + std::to_string(n.id) + " sends " + (std::get<3>(slot) == 0 ? "proposal" : std::get<3>(slot) == 1 ? "prevote" : "precommit") +
        " h=" + std::to_string(std::get<1>(slot)) + " r=" + std::to_string(std::get<2>(slot)) + " " + describe_hash(*m));
  if (!n.honest) return;
  r_.signed_by_node[n.id] += 1;
  const uint32_t index = std::holds_alternative<ProposalMsg>(*m) ? std::get<ProposalMsg>(*m).signed_proposal.proposer_index()
                                                                 : std::get<VoteMsg>(*m).signed_vote.validator_index();
  if (index_in(std::get<1>(slot), n.validator) != index) {
    violation("node " + std::to_string(n.id) + " signed for height " + std::to_string(std::get<1>(slot)) +
              " as index " + std::to_string(index) + " but is not that member of the height's set");
  }
  auto [it, fresh] = honest_signed_.emplace(slot, body);
  if (!fresh && it->second != body) {
    violation("honest validator " + std::to_string(n.validator) + " signed two different messages for height " +
              std::to_string(std::get<1>(slot)) + " round " + std::to_string(std::get<2>(slot)) + " step " +
              std::to_string(std::get<3>(slot)));
  }
}

void Simulation::process_outputs(Node& n) {
  if (!n.engine) return;
  for (Output& out : n.engine->take_outputs()) {
    if (auto* b = std::get_if<Broadcast>(&out)) {
      // Decoded once here, for the checks and for every delivery of it.
      const auto frame = std::make_shared<const Frame>(std::move(b->wire));
      JOET_ASSERT(frame->message().ok());
      check_signed(n, *frame->message());
      send_from(n, frame);
      // A power cut right after the message left: the rest of this step's outputs never happen. A
      // precommit for a value is the moment a validator has just locked: cut there more often.
      const bool cuts = c_.crash_after_send_permille != 0 || c_.crash_after_lock_permille != 150;
      const bool locked_now = cuts && is_value_precommit(frame->message());
      if (n.honest && before_gst() && cuts && chance(locked_now ? c_.crash_after_lock_permille : c_.crash_after_send_permille)) {
        n.crash_requested = true;
        break;
      }
    } else if (auto* t = std::get_if<ScheduleTimeout>(&out)) {
      Event e;
      e.kind = Kind::kTimeout;
      e.node = n.id;
      e.incarnation = n.incarnation;
      e.timeout = t->kind;
      e.height = t->height;
      e.round = t->round;
      push(to_global(n, t->delay_ms), e);
    } else if (auto* c = std::get_if<Committed>(&out)) {
      trace("node " + std::to_string(n.id) + " commit h=" + std::to_string(c->height) + " r=" + std::to_string(c->round) +
            " " + to_hex(c->block_hash).substr(0, 8));
      if (n.honest) r_.max_round = std::max<uint64_t>(r_.max_round, c->round);
      n.last_progress_ms = now_;
    } else if (auto* v = std::get_if<ValidateBlock>(&out)) {
      // The executor runs off the consensus thread: its answer arrives after a seeded delay, and is
      // lost with a crash (the restarted engine asks again).
      Event e;
      e.kind = Kind::kValidated;
      e.node = n.id;
      e.incarnation = n.incarnation;
      e.height = v->height;
      e.round = v->round;
      e.hash = v->block_hash;
      e.time_ms = v->time_ms;
      e.wire = std::move(v->bytes);
      push(rand(c_.max_validation_delay_ms + 1), std::move(e));
    } else if (auto* ev = std::get_if<EvidenceFound>(&out)) {
      const uint64_t h = evidence_height(ev->evidence);
      const uint32_t offender = key_id(h, evidence_offender(ev->evidence));
      trace("node " + std::to_string(n.id) + " evidence (" +
            (std::holds_alternative<v1::Evidence>(ev->evidence) ? "votes" : "proposals") + ") against validator " +
            std::to_string(offender) + " at height " + std::to_string(h));
      if (faulty_.count(offender) == 0) violation("evidence against an honest validator " + std::to_string(offender));
      if (n.honest) {
        offenders_found_.insert(offender);
        auto& o = offences_[evidence_key(ev->evidence)];
        if (o.height == 0) o = Offence{h, now_, 0, false};
        o.found_by += 1;
        o.required = true;
      }
    }
  }
  if (n.crash_requested) {
    n.crash_requested = false;
    crash(n, "power cut after a send");
  } else if (n.engine->halted()) {
    crash(n, n.engine->halt_status().to_string());
  }
}

void Simulation::on_commit(Node& n, uint64_t height, const Hash32& hash, bool valid, const v1::CommitCertificate& cert) {
  if (!n.honest) return;
  if (c_.real_app) {
    // The set this commit put in force at height + 2 is the one every other honest chain has.
    auto mine = n.app->validator_set_of(height + 2);
    const v1::ValidatorSet chain = chain_set_at(height + 2);
    if (!mine || encode(*mine) != encode(chain)) {
      violation("node " + std::to_string(n.id) + " holds another validator set for height " + std::to_string(height + 2) +
                " than the other honest nodes");
    }
  }
  // Every certificate is checked against the set of its own height (made once per height).
  auto known = certifying_sets_.find(height);
  if (known == certifying_sets_.end()) {
    auto set = ValidatorSet::create(set_at(height));
    JOET_ASSERT(set.ok());
    if (certifying_sets_.size() >= 64) certifying_sets_.erase(certifying_sets_.begin());
    known = certifying_sets_.emplace(height, std::move(set).value()).first;
  }
  auto verdict = verify_commit_certificate(cert, known->second, chain_id_, height);
  if (!verdict.ok() || verdict.commit().block_hash != hash) {
    violation("node " + std::to_string(n.id) + " committed height " + std::to_string(height) +
              " with a certificate the set of that height does not verify: " + verdict.message());
  }
  if (!valid) violation("validity: node " + std::to_string(n.id) + " committed an invalid block at height " + std::to_string(height));
  if (decided_.count(height) == 0) {
    decided_at_[height] = now_;
    check_block_time(height, verdict.ok() ? verdict.commit().body.round() : 0, n.app->committed(height).time_ms);
  }
  auto [it, fresh] = decided_.emplace(height, hash);
  if (!fresh && it->second != hash) {
    violation("agreement: node " + std::to_string(n.id) + " committed " + to_hex(hash).substr(0, 8) + " at height " +
              std::to_string(height) + " where another honest node committed " + to_hex(it->second).substr(0, 8));
  }
}

// What the engine must turn into evidence, seen by the simulator itself: two different signed votes of
// one validator for one (round, type), or two different proposals of a round's proposer, delivered to
// an honest node at its current height within the rounds it keeps. With require_evidence every such
// offence must end convicted in every honest chain (an engine that drops evidence fails the run).
void Simulation::observe_equivocation(Node& n, const Message& m) {
  const Engine& e = *n.engine;
  if (n.observed_height != e.height()) {
    n.observed_height = e.height();
    n.observed_votes.clear();
    n.observed_proposals.clear();
  }
  const ValidatorSet* set = e.validator_set(e.height());
  if (set == nullptr || message_height(m) != e.height()) return;
  if (const auto* v = std::get_if<VoteMsg>(&m)) {
    if (v->body.round() > e.round() + engine_config_.max_future_rounds) return;
    const auto slot = std::make_tuple(v->body.round(), static_cast<uint8_t>(v->body.type()), v->signed_vote.validator_index());
    auto [it, fresh] = n.observed_votes.emplace(slot, v->signed_vote);
    if (fresh || it->second.body() == v->signed_vote.body()) return;
    v1::Evidence ev;
    *ev.mutable_vote_a() = it->second;
    *ev.mutable_vote_b() = v->signed_vote;
    note_offence(n, evidence_key(AnyEvidence(ev)));
  } else if (const auto* p = std::get_if<ProposalMsg>(&m)) {
    const uint32_t r = p->body.round();
    if (r > e.round() + engine_config_.max_future_rounds || p->signed_proposal.proposer_index() != set->proposer(e.height(), r)) return;
    auto [it, fresh] = n.observed_proposals.emplace(r, p->signed_proposal);
    if (fresh || it->second.body() == p->signed_proposal.body()) return;
    v1::ProposalEvidence ev;
    *ev.mutable_proposal_a() = it->second;
    *ev.mutable_proposal_b() = p->signed_proposal;
    note_offence(n, evidence_key(AnyEvidence(ev)));
  }
}

void Simulation::remember_value(Node& n, uint64_t height, uint32_t round, const Value& v) {
  auto& values = n.seen_values[{height, round}];
  for (const Value& known : values) {
    if (known.hash == v.hash) return;
  }
  if (values.size() < 4) values.push_back(v);
  while (n.seen_values.size() > 64) n.seen_values.erase(n.seen_values.begin());
}

void Simulation::note_offence(const Node& n, const std::string& key) {
  auto& o = offences_[key];
  if (o.height == 0) o = Offence{n.engine->height(), now_, 0, false};
  size_t open = 0;
  for (const std::string& pending : n.engine->pending_evidence_keys()) {
    if (n.app->committed_evidence().count(pending) == 0) ++open;
  }
  if (open < engine_config_.max_pending_evidence) o.required = true;
}

// PBTS bounds on a committed block time T (first honest commit of `height`, decided in `round`): some
// honest validator found the value timely on receipt, after the height began and before now, so
//   T <= max honest clock now + precision, and
//   T >= min honest clock when height - 1 was first committed - precision - delay(round);
// and T is after the previous block's time.
void Simulation::check_block_time(uint64_t height, uint32_t round, uint64_t time_ms) {
  const uint64_t began = height == 1 ? kGenesisMs : decided_at_.at(height - 1);
  uint64_t latest = 0, earliest = UINT64_MAX;
  for (const Node& n : nodes_) {
    if (!n.honest) continue;
    latest = std::max(latest, local(n));
    earliest = std::min(earliest, local_at(n, began));
  }
  const uint64_t delay = engine_config_.message_delay_ms * (10 + std::min<uint64_t>(round, 1000)) / 10;
  r_.max_block_time_ahead_ms = std::max(r_.max_block_time_ahead_ms, static_cast<int64_t>(time_ms) - static_cast<int64_t>(latest));
  if (time_ms > latest + engine_config_.precision_ms) {
    violation("block time: height " + std::to_string(height) + " is dated " + std::to_string(time_ms - latest) +
              " ms ahead of every honest clock (precision " + std::to_string(engine_config_.precision_ms) + " ms)");
  } else if (time_ms + engine_config_.precision_ms + delay < earliest) {
    violation("block time: height " + std::to_string(height) + " is dated " + std::to_string(earliest - time_ms) +
              " ms before its height began on the honest clocks");
  }
  auto prev = block_time_.find(height - 1);
  if (prev != block_time_.end() && time_ms <= prev->second) {
    violation("block time: height " + std::to_string(height) + " is not after height " + std::to_string(height - 1));
  }
  block_time_[height] = time_ms;
}

void Simulation::net_send(uint32_t from, uint32_t to, const std::shared_ptr<const Frame>& frame) {
  r_.messages += 1;
  uint64_t delay;
  if (before_gst()) {
    if (partitioned_ && side_[from] != side_[to]) return;
    if (held_.count(from) != 0) return;
    if (chance(c_.drop_permille)) return;
    delay = c_.min_delay_ms + rand(c_.max_delay_ms - c_.min_delay_ms + 1);
  } else {
    delay = c_.min_delay_ms + rand(c_.max_delay_after_gst_ms - c_.min_delay_ms + 1);
  }
  Event e;
  e.kind = Kind::kDeliver;
  e.node = to;
  e.from = from;
  e.frame = frame;
  if (before_gst() && chance(c_.duplicate_permille)) push(delay + rand(c_.max_delay_ms + 1), e);
  push(delay, std::move(e));
}

void Simulation::send_to_all(uint32_t from, const Bytes& wire) { send_to_all(from, std::make_shared<const Frame>(wire)); }

void Simulation::send_to_all(uint32_t from, const std::shared_ptr<const Frame>& frame) {
  for (uint32_t to = 0; to < nodes_.size(); ++to) {
    if (to != from) net_send(from, to, frame);
  }
}

// Whether a byzantine node's message is about a height it still misbehaves at.
bool Simulation::misbehaves(const Message& m) const {
  return message_height(m) <= c_.byzantine_until_height;
}

void Simulation::send_from(Node& n, const std::shared_ptr<const Frame>& frame) {
  if (n.mode == Byzantine::kTwin && n.id >= c_.nodes + (c_.membership_changes ? 1u : 0u)) {
    // The second twin stops once the run only waits for convictions.
    const auto& m = frame->message();
    if (m.ok() && !misbehaves(*m)) return;
  }
  if (n.mode && *n.mode != Byzantine::kTwin) return byzantine_send(n, frame);
  send_to_all(n.id, frame);
}

void Simulation::byzantine_send(Node& n, const std::shared_ptr<const Frame>& frame) {
  const Bytes& wire = frame->wire;
  const auto& m = frame->message();
  JOET_ASSERT(m.ok());
  if (!misbehaves(*m)) return send_to_all(n.id, frame);
  switch (*n.mode) {
    case Byzantine::kSilent:
      return;
    case Byzantine::kFickle:
      if (!before_gst()) return;  // silent after GST
      [[fallthrough]];
    case Byzantine::kEquivocate: {
      Bytes other;
      if (auto* v = std::get_if<VoteMsg>(&*m)) {
        // The other vote is for a value someone really proposed in this round when there is one: that
        // is what can split honest processes (and what a broken lock rule lets through).
        std::string key;
        for (const auto& seen : n.seen_proposals[{v->body.height(), v->body.round()}]) {
          if (seen != v->key()) key = seen;
        }
        if (key.empty() && v->key().empty()) key = hash_key(tagged_hash("joet/sim/fake", wire));
        other = encode_message(make_vote(*n.signer, v->signed_vote.validator_index(), chain_id_, v->body.type(), v->body.height(), v->body.round(), key));
      } else if (auto* p = std::get_if<ProposalMsg>(&*m)) {
        // Amnesia, now and then: re-propose a block an earlier round saw, with that round as pol_round,
        // backed only by its own (possibly second) prevote there: line 28 must see no polka in that.
        const uint64_t h = p->body.height();
        const uint32_t r = p->body.round();
        if (r > 0 && rand(2) == 0) {
          std::vector<std::pair<uint32_t, Value>> earlier;
          for (auto it = n.seen_values.lower_bound({h, 0}); it != n.seen_values.end() && it->first.first == h; ++it) {
            if (it->first.second >= r) break;
            for (const Value& seen : it->second) earlier.emplace_back(it->first.second, seen);
          }
          if (!earlier.empty()) {
            const auto& [vr, old] = earlier[rand(earlier.size())];
            const uint32_t me = p->signed_proposal.proposer_index();
            const std::string key = hash_key(old.hash);
            send_to_all(n.id, encode_message(make_vote(*n.signer, me, chain_id_, v1::PREVOTE, h, vr, key)));
            send_to_all(n.id, encode_message(make_proposal(*n.signer, me, chain_id_, h, r, static_cast<int32_t>(vr), old)));
            // And it backs its re-proposal in this round at once, whatever its own engine votes later.
            send_to_all(n.id, encode_message(make_vote(*n.signer, me, chain_id_, v1::PREVOTE, h, r, key)));
            return send_to_all(n.id, encode_message(make_vote(*n.signer, me, chain_id_, v1::PRECOMMIT, h, r, key)));
          }
        }
        Hash32 salt = tagged_hash("joet/sim/equivocate", wire);
        Value second = n.app->make_block(p->body.height(), p->body.time_ms() + 1, salt, {});
        auto first = n.app->identify_block(p->block);
        if (first) remember_value(n, h, r, Value{first->hash, first->time_ms, p->block});
        remember_value(n, h, r, second);
        // Its votes of this round then back either block, to either half (the split a lock must survive).
        n.seen_proposals[{h, r}].insert(p->body.block_hash());
        n.seen_proposals[{h, r}].insert(hash_key(second.hash));
        other = encode_message(make_proposal(*n.signer, p->signed_proposal.proposer_index(), chain_id_, p->body.height(), p->body.round(), -1, second));
      } else {
        return send_to_all(n.id, wire);
      }
      for (uint32_t to = 0; to < nodes_.size(); ++to) {
        if (to != n.id) net_send(n.id, to, rand(2) == 0 ? wire : other);
      }
      return;
    }
    case Byzantine::kOtherRounds: {
      send_to_all(n.id, wire);
      if (auto* v = std::get_if<VoteMsg>(&*m)) {
        uint64_t h = v->body.height() + rand(3);
        h = h > 1 ? h - 1 : 1;
        uint32_t r = v->body.round() + static_cast<uint32_t>(rand(3));
        Hash32 fake = tagged_hash("joet/sim/fake", wire);
        auto type = rand(2) == 0 ? v1::PREVOTE : v1::PRECOMMIT;
        const auto index = index_in(h, n.validator);
        if (index) send_to_all(n.id, encode_message(make_vote(*n.signer, *index, chain_id_, type, h, r, rand(2) == 0 ? hash_key(fake) : "")));
      }
      return;
    }
    case Byzantine::kGarbage: {
      send_to_all(n.id, wire);
      Bytes junk(rand(64));
      for (auto& b : junk) b = static_cast<uint8_t>(rng_());
      send_to_all(n.id, junk);
      Bytes flipped = wire;
      flipped[rand(flipped.size())] ^= static_cast<uint8_t>(1u << rand(8));
      send_to_all(n.id, flipped);
      return;
    }
    case Byzantine::kTwoBodies: {
      // It never precommits a block it split, nor shows anyone a certificate: those who kept the good
      // body lock on it, and only the ones who kept the bad body can complete its quorum.
      if (auto* v = std::get_if<VoteMsg>(&*m); v != nullptr && v->body.type() == v1::PRECOMMIT && n.split_blocks.count(v->key()) != 0) {
        return;
      }
      if (std::holds_alternative<CommitMsg>(*m)) return;
      auto* p = std::get_if<ProposalMsg>(&*m);
      v1::Block block;
      if (p == nullptr || !block.ParseFromArray(p->block.data(), static_cast<int>(p->block.size()))) return send_to_all(n.id, wire);
      n.split_blocks.insert(p->body.block_hash());
      // The same signed proposal (so the same hash) with a well-formed body its header does not bind:
      // one tx fewer, or evidence of its own two votes with one signature broken. Judged on its own
      // it is invalid; a node that kept it as "the block of this hash" would refuse for the whole
      // height the block the other half locks on.
      if (block.txs_size() > 0) {
        block.mutable_txs()->RemoveLast();
      } else {
        const uint32_t me = p->signed_proposal.proposer_index();
        const uint64_t h = p->body.height();
        const uint32_t r = p->body.round();
        v1::Evidence* bogus = block.add_evidence();
        *bogus->mutable_vote_a() = make_vote(*n.signer, me, chain_id_, v1::PREVOTE, h, r, "").signed_vote;
        *bogus->mutable_vote_b() = make_vote(*n.signer, me, chain_id_, v1::PREVOTE, h, r, p->body.block_hash()).signed_vote;
        std::string& sig = *bogus->mutable_vote_b()->mutable_signature();
        sig[rand(sig.size())] ^= static_cast<char>(1u << rand(8));
      }
      const Bytes other = encode_message(ProposalMsg{p->signed_proposal, p->body, encode(block)});
      ++r_.bodies_split;
      for (uint32_t to = 0; to < nodes_.size(); ++to) {
        if (to != n.id) net_send(n.id, to, rand(2) == 0 ? wire : other);
      }
      return;
    }
    case Byzantine::kInvalidBlocks: {
      if (auto* p = std::get_if<ProposalMsg>(&*m); p != nullptr && p->body.pol_round() == -1) {
        Value bad = n.app->make_block(p->body.height(), p->body.time_ms(), NodeApp::poison_salt(), {});
        return send_to_all(n.id, encode_message(make_proposal(*n.signer, p->signed_proposal.proposer_index(), chain_id_, p->body.height(),
                                                              p->body.round(), -1, bad)));
      }
      return send_to_all(n.id, wire);
    }
    case Byzantine::kTwin:
      return send_to_all(n.id, wire);
    case Byzantine::kFalsePolka:
      return false_polka_send(n, *m, frame);
    case Byzantine::kTimeShift: {
      if (auto* p = std::get_if<ProposalMsg>(&*m); p != nullptr && p->body.pol_round() == -1) {
        return time_shift_send(n, *p, wire);
      }
      return send_to_all(n.id, wire);
    }
    case Byzantine::kWithhold: {
      // A random part of the network (at least one other node) gets it; the rest never does.
      const uint32_t lucky = static_cast<uint32_t>(rand(nodes_.size()));
      for (uint32_t to = 0; to < nodes_.size(); ++to) {
        if (to != n.id && (to == lucky || rand(2) == 0)) net_send(n.id, to, wire);
      }
      return;
    }
  }
}

// The false polka (Algorithm 1, lines 28-29: a validator locked on A since round lr prevotes another
// value v only on 2f+1 prevotes for v in a round vr >= lr). Before GST, as proposer of round lr of a
// height, it shows its block A to two honest validators only, with its prevote, and its precommit to
// one of them, the decider, whose messages the network then holds until GST: the decider commits A;
// the other stays locked on A; the third saw no polka. From then on its engine's messages of that
// height and above are dropped (no certificate either), and false_polka_react signs in their place.
void Simulation::false_polka_send(Node& n, const Message& m, const std::shared_ptr<const Frame>& frame) {
  const uint64_t h = message_height(m);
  if (!before_gst()) {
    n.lure.reset();
    return send_to_all(n.id, frame);
  }
  if (n.lure) {
    Node::Lure& l = *n.lure;
    if (h < l.height) return send_to_all(n.id, frame);
    if (l.luring) {
      // Its engine keeps sending (timeouts, gossip): instead, at most once per gossip interval, what it
      // forged, as an honest node's gossip would, so a lossy network does not end the lure.
      if (now_ >= l.resent_at + kGossipMs) {
        l.resent_at = now_;
        for (const Bytes& wire : l.forged) send_to_all(n.id, wire);
      }
      return;
    }
    const auto* v = std::get_if<VoteMsg>(&m);
    const auto* p = std::get_if<ProposalMsg>(&m);
    // Each of the round's messages goes to its targets twice over (a lossy network would end the lure).
    auto twice = [&](uint32_t to) {
      net_send(n.id, to, frame);
      net_send(n.id, to, frame);
    };
    if (h == l.height && p != nullptr && p->body.round() == l.round && p->body.block_hash() == l.value) {
      twice(l.decider);  // its engine sends its proposal again now and then
      return twice(l.locked);
    }
    if (h == l.height && v != nullptr && v->body.round() == l.round && v->key() == l.value) {
      twice(l.decider);
      if (v->body.type() == v1::PREVOTE) return twice(l.locked);
      held_.insert(l.decider);
      l.luring = true;
      trace("node " + std::to_string(n.id) + " false-polka: height " + std::to_string(h) + " round " + std::to_string(l.round) +
            " decided by node " + std::to_string(l.decider) + " alone (held until GST), node " + std::to_string(l.locked) + " locked");
      return;
    }
    n.lure.reset();  // its round went another way (no polka): no lure at this height
    return send_to_all(n.id, frame);
  }
  const auto* p = std::get_if<ProposalMsg>(&m);
  if (p == nullptr || p->body.pol_round() != -1 || !misbehaves(m)) return send_to_all(n.id, frame);
  // Two honest validators waiting for this round's proposal (a copy its engine sends again later, or a
  // proposer behind them, lures nobody), and a third at the height or below.
  std::vector<uint32_t> waiting;
  size_t honest = 0;
  for (const Node& o : nodes_) {
    if (!o.honest || !o.up || held_.count(o.id) != 0 || !index_in(h, o.validator) || o.engine->height() > h) continue;
    ++honest;
    const Engine& e = *o.engine;
    if (e.height() == h && e.round() == p->body.round() && e.step() == Step::kPropose) waiting.push_back(o.id);
  }
  if (honest < 3 || waiting.size() < 2) return send_to_all(n.id, frame);
  const size_t a = rand(waiting.size());
  const size_t b = (a + 1 + rand(waiting.size() - 1)) % waiting.size();
  n.lure = Node::Lure{h, p->body.round(), p->body.block_hash(), waiting[a], waiting[b], false, false, {}, {}, now_};
  trace("node " + std::to_string(n.id) + " false-polka: proposes height " + std::to_string(h) + " round " + std::to_string(p->body.round()) +
        " to nodes " + std::to_string(waiting[a]) + " and " + std::to_string(waiting[b]) + " only");
  for (int copy = 0; copy < 2; ++copy) {
    net_send(n.id, waiting[a], frame);
    net_send(n.id, waiting[b], frame);
  }
}

// What it signs at the lure's height, driven by the honest messages of that height it receives:
// - round lr: a nil precommit to all but the decider, so the others can leave the round;
// - a round whose proposer brings a fresh block B: a prevote for B, a nil precommit, and, for its next
//   round of its own, B re-proposed with that round as pol_round, prevoted and precommitted at once
//   (f+1 prevotes for B at pol_round: its own and the honest proposer's);
// - any other round: nil votes, once the round's honest proposer showed it has nothing fresh (or at
//   the round's first message, when the proposer is itself or the held decider), so rounds move on.
// Every one of these is a message a byzantine validator may sign; several are equivocations.
void Simulation::false_polka_react(Node& n, const Message& m) {
  Node::Lure& l = *n.lure;
  const uint64_t h = l.height;
  const auto* p = std::get_if<ProposalMsg>(&m);
  const auto* v = std::get_if<VoteMsg>(&m);
  if ((p == nullptr && v == nullptr) || message_height(m) != h) return;
  const ValidatorSet* set = n.engine->validator_set(h);
  const auto me = index_in(h, n.validator);
  if (set == nullptr || !me) return;
  auto send = [&](Bytes wire) {
    send_to_all(n.id, wire);
    l.forged.push_back(std::move(wire));
  };
  auto vote = [&](v1::VoteType type, uint32_t round, const std::string& key) {
    send(encode_message(make_vote(*n.signer, *me, chain_id_, type, h, round, key)));
  };
  const uint32_t r = p != nullptr ? p->body.round() : v->body.round();
  if (r == l.round) {
    if (l.released) return;
    l.released = true;
    const Bytes nil = encode_message(make_vote(*n.signer, *me, chain_id_, v1::PRECOMMIT, h, r, ""));
    for (uint32_t to = 0; to < nodes_.size(); ++to) {
      if (to != n.id && to != l.decider) net_send(n.id, to, nil);
    }
    return;
  }
  if (r < l.round || l.handled.count(r) != 0) return;
  const uint32_t proposer = set->proposer(h, r);
  const uint32_t sender = p != nullptr ? p->signed_proposal.proposer_index() : v->signed_vote.validator_index();
  if (p != nullptr && sender == proposer && p->body.pol_round() == -1 && p->body.block_hash() != l.value) {
    auto id = n.app->identify_block(p->block);
    if (!id) return;
    l.handled.insert(r);
    const Value b{id->hash, id->time_ms, p->block};
    const std::string key = hash_key(b.hash);
    vote(v1::PREVOTE, r, key);
    vote(v1::PRECOMMIT, r, "");
    for (uint32_t own = r + 1; own <= r + 2 * set->size(); ++own) {
      if (set->proposer(h, own) != *me) continue;
      if (!l.handled.insert(own).second) return;
      ++r_.false_polkas;
      trace("node " + std::to_string(n.id) + " false-polka: re-proposes at round " + std::to_string(own) + " the block of round " +
            std::to_string(r) + " backed by f+1 prevotes");
      send(encode_message(make_proposal(*n.signer, *me, chain_id_, h, own, static_cast<int32_t>(r), b)));
      vote(v1::PREVOTE, own, key);
      return vote(v1::PRECOMMIT, own, key);
    }
    return;
  }
  // A free honest proposer's round gets nil votes only once that proposer showed it has nothing fresh:
  // a re-proposal, or its nil prevote (its prevote for a block arrives, now and then, before the block).
  const uint32_t proposer_key = key_id(h, proposer);
  bool free_proposer = proposer != *me && proposer_key < nodes_.size() && faulty_.count(proposer_key) == 0;
  for (uint32_t held : held_) free_proposer = free_proposer && nodes_[held].validator != proposer_key;
  const bool nothing_fresh = sender == proposer && (p != nullptr || (v->body.type() == v1::PREVOTE && v->key().empty()));
  if (free_proposer && !nothing_fresh) return;
  l.handled.insert(r);
  vote(v1::PREVOTE, r, "");
  vote(v1::PRECOMMIT, r, "");
}

// The proposer that lies about time. Its engine proposed block B at its clock (time t); it sends one of:
void Simulation::time_shift_send(Node& n, const ProposalMsg& p, const Bytes& wire) {
  const uint64_t h = p.body.height();
  const uint32_t r = p.body.round();
  const uint32_t index = p.signed_proposal.proposer_index();
  const uint64_t t = p.body.time_ms();
  const uint64_t hour = 3'600'000;
  const Hash32 salt = tagged_hash("joet/sim/time-shift", wire);
  auto proposal = [&](uint32_t round, const Value& v) {
    return encode_message(make_proposal(*n.signer, index, chain_id_, h, round, -1, v));
  };
  switch (rand(6)) {
    case 0:  // a block dated an hour (or more) ahead
      return send_to_all(n.id, proposal(r, n.app->make_block(h, t + hour * (1 + rand(3)), salt, {})));
    case 1:  // a block dated just after the previous one, long ago
      return send_to_all(n.id, proposal(r, n.app->make_block(h, n.app->tip_time_ms() + 1, salt, {})));
    case 2: {
      // The reproduced attack: block X dated an hour ahead, proposed truthfully in a later round of its
      // own, and claimed "now" in this round (a proposal whose time is not its block's).
      Value x = n.app->make_block(h, t + hour, salt, {});
      const ValidatorSet* set = n.engine ? n.engine->validator_set(h) : nullptr;
      if (set != nullptr) {
        for (uint32_t later = r + 1; later <= r + 16; ++later) {
          if (set->proposer(h, later) == index) {
            send_to_all(n.id, proposal(later, x));
            break;
          }
        }
      }
      Value lie = x;
      lie.time_ms = t;
      return send_to_all(n.id, proposal(r, lie));
    }
    case 3: {  // one block, two times, to two halves
      Value b = n.app->make_block(h, t, salt, {});
      Value other = b;
      other.time_ms = t + engine_config_.precision_ms / 2;
      const Bytes a = proposal(r, b), c = proposal(r, other);
      for (uint32_t to = 0; to < nodes_.size(); ++to) {
        if (to != n.id) net_send(n.id, to, rand(2) == 0 ? a : c);
      }
      return;
    }
    case 4: {  // a block seen earlier at this height, re-proposed as new under a fresh-looking time
      auto seen = n.stale_blocks.find(h);
      if (seen != n.stale_blocks.end()) {
        Value stale = seen->second;
        Value fresh_looking = stale;
        fresh_looking.time_ms = t;
        send_to_all(n.id, proposal(r, rand(2) == 0 ? stale : fresh_looking));
        return;
      }
      return send_to_all(n.id, wire);
    }
    default:  // honest, now and then
      return send_to_all(n.id, wire);
  }
}

void Simulation::deliver(Node& n, uint32_t from, const Frame& frame) {
  if (!n.up) return;
  Engine& e = *n.engine;
  // verify_and_decode, with the decoding shared by every recipient of the frame.
  const Result<Message>& m = frame.message();
  if (!m.ok() || !verify_in_its_set(*m, [&e](uint64_t h) { return e.validator_set(h); }, &cache_).ok()) return;
  if (const auto* p = std::get_if<ProposalMsg>(&*m); p != nullptr && n.mode == Byzantine::kTimeShift) {
    auto id = n.app->identify_block(p->block);
    if (id) n.stale_blocks.emplace(p->body.height(), Value{id->hash, id->time_ms, p->block});
    while (n.stale_blocks.size() > 8) n.stale_blocks.erase(n.stale_blocks.begin());
  }
  if (const auto* p = std::get_if<ProposalMsg>(&*m);
      p != nullptr && (n.mode == Byzantine::kEquivocate || n.mode == Byzantine::kFickle)) {
    auto& seen = n.seen_proposals[{p->body.height(), p->body.round()}];
    if (seen.size() < 4) seen.insert(p->body.block_hash());
    while (n.seen_proposals.size() > 64) n.seen_proposals.erase(n.seen_proposals.begin());
    auto id = n.app->identify_block(p->block);
    if (id) remember_value(n, p->body.height(), p->body.round(), Value{id->hash, id->time_ms, p->block});
  }
  if (n.lure && before_gst()) {
    if (n.lure->luring) false_polka_react(n, *m);
    // Its own engine never decides the lure's block (it would leave the height, and with it the blocks
    // it re-proposes there).
    const auto* v = std::get_if<VoteMsg>(&*m);
    if (v != nullptr && v->body.type() == v1::PRECOMMIT && v->body.height() == n.lure->height && v->key() == n.lure->value) return;
  }
  if (n.honest) observe_equivocation(n, *m);
  if (const auto* s = std::get_if<StatusMsg>(&*m)) {
    // Catch-up: a peer behind us gets the certified blocks it lacks (block sync, in miniature). A
    // two-bodies node shows no certificate of the blocks it split.
    if (n.mode == Byzantine::kTwoBodies && misbehaves(*m)) return;
    // A false-polka node shows none of the height it lures at, nor above.
    uint64_t end = n.app->next_height();
    if (n.lure && n.lure->luring && before_gst()) end = std::min(end, n.lure->height);
    for (uint64_t h = std::max<uint64_t>(s->height, 1); h < end && h < s->height + 8; ++h) {
      const CommittedBlock b = n.app->committed(h);
      net_send(n.id, from, encode_message(CommitMsg{b.cert, b.bytes}));
    }
    return;
  }
  if (const auto* cm = std::get_if<CommitMsg>(&*m)) {
    uint64_t h = message_height(*m);
    if (h > e.height() && n.future_commits.size() < 64) n.future_commits.emplace(h, *cm);
    if (h != e.height()) return;
  }
  e.on_message(*m, local(n));
  process_outputs(n);
  while (n.up && !n.future_commits.empty()) {
    auto it = n.future_commits.begin();
    if (it->first < n.engine->height()) {
      n.future_commits.erase(it);
      continue;
    }
    if (it->first != n.engine->height()) break;
    CommitMsg cm = it->second;
    n.future_commits.erase(it);
    n.engine->on_message(cm, local(n));
    process_outputs(n);
  }
}

bool Simulation::done() const {
  for (const Node& n : nodes_) {
    if (n.honest && n.app->committed_height() < c_.heights) return false;
  }
  if (c_.require_evidence) {
    for (const auto& [key, offence] : offences_) {
      if (offence.required && !offence_convicted_everywhere(key)) return false;
    }
  }
  return true;
}

bool Simulation::offence_convicted_everywhere(const std::string& key) const {
  for (const Node& n : nodes_) {
    if (n.honest && n.app->committed_evidence().count(key) == 0) return false;
  }
  return true;
}

void Simulation::store_fault(Node& n) {
  r_.store_faults += 1;
  const uint32_t f = (c_.nodes - 1) / 3;
  switch (rand(4)) {
    case 0:
      trace("node " + std::to_string(n.id) + " store fault: the next commit fails before it is durable");
      return n.app->fail_next_finalize(false);
    case 1:
      trace("node " + std::to_string(n.id) + " store fault: a crash inside the next commit, once durable");
      return n.app->fail_next_finalize(true);
    case 2: {
      // A bit of the WAL flips while the node is down: the restart must refuse it. The operator then
      // moves it aside (a lost WAL, when the byzantine validators leave room for one more faulty
      // node, see below), or puts the good bytes back (a mirror, a backup of that file).
      Bytes& image = n.wal->image();
      crash(n, "store fault");
      if (image.empty()) return;
      const size_t at = static_cast<size_t>(rand(image.size()));
      const uint8_t mask = static_cast<uint8_t>(1u << rand(8));
      image[at] ^= mask;
      n.wal_flip = std::make_pair(at, mask);
      n.wal_move_aside = c_.wal_loss && c_.byzantine.size() < f && !wal_lost_;
      if (n.wal_move_aside) wal_lost_ = true;
      trace("node " + std::to_string(n.id) + " WAL byte " + std::to_string(at) + " flipped while down");
      return;
    }
    default:
      // A wiped node cannot vote at the heights it may have signed at: it counts as faulty there, so only
      // when the byzantine validators leave room for one more.
      if (!c_.wal_loss || c_.byzantine.size() >= f || wal_lost_) return;
      wal_lost_ = true;
      crash(n, "data dir wiped");
      n.app->wipe();
      n.wal = std::make_unique<MemoryWal>();
      return;
  }
}

void Simulation::check_liveness() {
  if (before_gst()) return;
  if (c_.require_evidence) {
    // An offence an honest engine had to keep is proposed by every honest proposer until committed:
    // after GST, a few liveness bounds are plenty for every honest chain to convict it.
    for (const auto& [key, o] : offences_) {
      if (!o.required || now_ <= std::max(o.seen_at, c_.gst_ms) + 3 * liveness_bound_ms_) continue;
      if (offence_convicted_everywhere(key)) continue;
      violation("evidence: an offence at height " + std::to_string(o.height) + " seen at t=" +
                std::to_string(o.seen_at - kGenesisMs) + " (reported by " + std::to_string(o.found_by) +
                " honest engines) is not convicted on every honest node " +
                std::to_string((now_ - std::max(o.seen_at, c_.gst_ms)) / 1000) + " s after GST");
      return;
    }
  }
  for (const Node& n : nodes_) {
    if (!n.honest || !n.up || n.app->committed_height() >= c_.heights) continue;
    uint64_t since = std::max(n.last_progress_ms, c_.gst_ms);
    if (now_ > since + liveness_bound_ms_) {
      violation("liveness: node " + std::to_string(n.id) + " made no progress at height " +
                std::to_string(n.engine->height()) + " (round " + std::to_string(n.engine->round()) + ") for " +
                std::to_string(now_ - since) + " ms after GST");
      return;
    }
  }
}

SimResult Simulation::run() {
  r_.seed = c_.seed;
  c_.gst_ms += kGenesisMs;
  build();
  const uint64_t limit = kGenesisMs + (c_.max_sim_time_ms != 0 ? c_.max_sim_time_ms
                                                               : c_.gst_ms - kGenesisMs + (c_.heights + 4) * liveness_bound_ms_);
  // Faults before GST: crashes, WAL crashes, partitions.
  if (c_.gst_ms > kGenesisMs) {
    const uint64_t span = c_.gst_ms - kGenesisMs;
    if (c_.crashes) {
      for (int k = 0; k < 6; ++k) {
        Event e;
        e.kind = k % 2 == 0 ? Kind::kCrash : Kind::kWalCrash;
        e.node = static_cast<uint32_t>(rand(c_.nodes));
        push(rand(span), e);
      }
    }
    if (c_.partitions) {
      for (int k = 0; k < 3; ++k) {
        Event e;
        e.kind = Kind::kPartition;
        push(rand(span), e);
      }
    }
    if (c_.store_faults) {
      for (int k = 0; k < 6; ++k) {
        Event e;
        e.kind = Kind::kStoreFault;
        e.node = static_cast<uint32_t>(rand(c_.nodes));
        push(rand(span), e);
      }
    }
  }
  if (c_.crashes_after_gst) {
    // After GST too, one node at a time with a short downtime: liveness must survive restarts.
    for (int k = 0; k < 3; ++k) {
      Event e;
      e.kind = Kind::kCrash;
      e.node = static_cast<uint32_t>(rand(c_.nodes));
      e.height = 1;  // kCrash with height 1: a post-GST crash (for the trace)
      push(c_.gst_ms - kGenesisMs + static_cast<uint64_t>(k) * liveness_bound_ms_ / 4 + rand(liveness_bound_ms_ / 8), e);
    }
  }
  if (c_.real_app) {
    Event e;
    e.kind = Kind::kTxs;
    push(rand(100), e);
  }
  if (c_.crash_node0_at_wal_append != UINT64_MAX) nodes_[0].wal->crash_at_append(c_.crash_node0_at_wal_append, (c_.crash_node0_at_wal_append * 37) % 300);
  for (Node& n : nodes_) restart(n);

  while (!queue_.empty() && r_.violations.empty()) {
    if (done()) break;
    auto it = queue_.begin();
    now_ = it->first.first;
    Event ev = std::move(it->second);
    queue_.erase(it);
    if (now_ > limit) {
      std::string why;
      if (c_.require_evidence) {
        for (const auto& [key, o] : offences_) {
          if (!o.required || offence_convicted_everywhere(key)) continue;
          why = ": an offence at height " + std::to_string(o.height) + " seen at t=" + std::to_string(o.seen_at - kGenesisMs) +
                " (reported by " + std::to_string(o.found_by) + " honest engines) was never convicted on every honest node";
          break;
        }
      }
      violation("liveness: simulation time limit reached" + why);
      break;
    }
    r_.events += 1;
    Node& n = nodes_[ev.node];
    switch (ev.kind) {
      case Kind::kDeliver:
        deliver(n, ev.from, *ev.frame);
        break;
      case Kind::kTimeout:
        if (n.up && ev.incarnation == n.incarnation) {
          n.engine->on_timeout(ev.timeout, ev.height, ev.round, local(n));
          process_outputs(n);
        }
        break;
      case Kind::kValidated:
        if (n.up && ev.incarnation == n.incarnation) {
          const bool valid = n.app->validate(ev.height, Value{ev.hash, ev.time_ms, ev.wire});
          n.engine->on_validation(ev.height, ev.hash, valid, local(n));
          process_outputs(n);
        }
        break;
      case Kind::kGossip:
        if (n.up && ev.incarnation == n.incarnation) {
          if (n.engine->height() == n.gossip_height) {
            for (Bytes& w : n.engine->gossip_messages()) send_from(n, std::make_shared<const Frame>(std::move(w)));
          }
          n.gossip_height = n.engine->height();
          push(to_global(n, kGossipMs), ev);
        }
        break;
      case Kind::kCrash:
        if (n.honest && n.up) crash(n, ev.height == 1 ? "power cut after GST" : "power cut");
        break;
      case Kind::kStoreFault:
        if (n.honest && n.up) store_fault(n);
        break;
      case Kind::kWalCrash:
        if (n.honest && n.up) n.wal->crash_at_append(rand(6), rand(400));
        break;
      case Kind::kRestart:
        if (!n.up) restart(n);
        break;
      case Kind::kPartition: {
        partitioned_ = true;
        for (auto& s : side_) s = static_cast<uint8_t>(rand(2));
        trace("partition");
        Event heal;
        heal.kind = Kind::kHeal;
        push(rand(c_.gst_ms - std::min(c_.gst_ms, now_)) + 1, heal);
        break;
      }
      case Kind::kHeal:
        partitioned_ = false;
        trace("heal");
        break;
      case Kind::kTxs:
        submit_txs();
        push(100 + rand(200), ev);
        break;
    }
    check_liveness();
  }
  if (r_.violations.empty() && !done()) violation("liveness: run ended before every honest node committed");
  r_.heights_committed = UINT64_MAX;
  for (const Node& n : nodes_) {
    if (n.honest) r_.heights_committed = std::min<uint64_t>(r_.heights_committed, n.app->committed_height());
  }
  r_.evidence_committed = decided_.empty() ? 0 : nodes_[0].app->committed_evidence().size();
  r_.offenders_found = offenders_found_.size();
  r_.min_validators = UINT64_MAX;
  Bytes previous;
  for (uint64_t h = 1; h <= std::max<uint64_t>(1, r_.heights_committed); ++h) {
    const v1::ValidatorSet set = set_at(h);
    const uint64_t size = static_cast<uint64_t>(set.validators_size());
    r_.min_validators = std::min(r_.min_validators, size);
    r_.max_validators = std::max(r_.max_validators, size);
    Bytes bytes = encode(set);
    if (h > 1 && bytes != previous) r_.set_changes += 1;
    previous = std::move(bytes);
  }
  for (uint32_t id : offenders_found_) r_.offenders_convicted += convicted_everywhere(id) ? 1 : 0;
  for (const auto& [key, offence] : offences_) {
    if (!offence.required) continue;
    r_.offences_found += 1;
    r_.offences_convicted += offence_convicted_everywhere(key) ? 1 : 0;
  }
  for (const Node& n : nodes_) {
    if (n.engine) r_.signatures_refused += n.engine->signatures_refused();
  }
  if (c_.real_app) {
    r_.state_roots.resize(nodes_.size());
    for (Node& n : nodes_) {
      if (!n.honest) continue;
      const auto& app = static_cast<const LedgerSimApp&>(*n.app);
      for (uint64_t h = 1; h <= app.committed_height(); ++h) r_.state_roots[n.id].push_back(to_hex(app.state_root_at(h)));
      if (r_.txs_committed == 0) r_.txs_committed = app.committed_txs();
      check_app_state(n);
    }
  }
  r_.sim_time_ms = now_ - kGenesisMs;
  r_.wal_appends_node0 = nodes_[0].wal->appends();
  r_.trace.assign(trace_.begin(), trace_.end());
  return r_;
}

}  // namespace

SimResult run_simulation(const SimConfig& config) {
  Simulation sim(config);
  return sim.run();
}

}  // namespace joet::sim
