// Four real consensus engines (consensus/engine.h) over four real ledger applications, each on its own
// LevelDB, connected by an in-test message pump: every broadcast goes to the other three in one
// global FIFO order, ValidateBlock outputs are answered by LedgerApp::validate, and timeouts fire in
// deadline order on a fake clock that only moves when nothing else is left to do. Deterministic.
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

#include "consensus/engine.h"
#include "consensus/message.h"
#include "consensus/wal.h"
#include "contracts/state.h"
#include "ledger/codec.h"
#include "ledger/testing/temp_dir.h"
#include "node/app/app_test_support.h"

namespace joet {
namespace {

using namespace joet::testing;  // NOLINT

class Network {
 public:
  static constexpr size_t kNodes = 4;

  Network() : dir_("node_network") {
    config_.chain_id = std::string(kChainId);
    for (size_t i = 0; i < kNodes; ++i) {
      peers_.push_back(Peer{});
      peers_.back().signer = std::make_unique<consensus::KeySigner>(validator_key(i));
      peers_.back().wal = std::make_unique<consensus::MemoryWal>();
    }
  }

  void start() {
    for (size_t i = 0; i < kNodes; ++i) boot(i);
  }

  // Stops node i (engine, app, stores): what is sent to it meanwhile is lost, its timers die with it.
  void stop(size_t i) {
    Peer& p = peers_[i];
    p.engine.reset();
    p.node.reset();  // closes the LevelDB
    p.incarnation += 1;
  }
  // Starts a stopped node again from its LevelDB and its WAL.
  void restart(size_t i) {
    ASSERT_FALSE(up(i));
    boot(i);
  }
  bool up(size_t i) const { return peers_[i].engine != nullptr; }

  AppNode& node(size_t i) { return *peers_[i].node; }
  consensus::Engine& engine(size_t i) { return *peers_[i].engine; }
  uint64_t now_ms() const { return now_ms_; }

  uint64_t min_height() const {
    uint64_t h = UINT64_MAX;
    for (const Peer& p : peers_) {
      if (p.node) h = std::min(h, p.node->app->tip_height());
    }
    return h;
  }

  // One event: a validation answer, else a message, else the earliest timeout. False when idle.
  bool step() {
    if (!validations_.empty()) {
      Pending v = std::move(validations_.front());
      validations_.pop_front();
      Peer& p = peers_[v.to];
      if (v.incarnation != p.incarnation) return true;  // asked before a restart: the engine asks again
      const bool valid = p.node->app->validate(v.request);
      p.engine->on_validation(v.request.height, v.request.block_hash, valid, now_ms_);
      drain(v.to);
      return true;
    }
    if (!messages_.empty()) {
      Pending m = std::move(messages_.front());
      messages_.pop_front();
      Peer& p = peers_[m.to];
      if (!p.engine) return true;  // the node is down: the message is lost
      consensus::Engine& e = *p.engine;
      auto decoded = consensus::verify_and_decode(m.wire, [&e](uint64_t h) { return e.validator_set(h); }, &cache_);
      if (decoded.ok() && std::holds_alternative<consensus::StatusMsg>(*decoded)) {
        // Catch-up (block sync in miniature): a peer behind us gets the certified blocks it lacks.
        const uint64_t behind = std::get<consensus::StatusMsg>(*decoded).height;
        for (uint64_t h = std::max<uint64_t>(behind, 1); h < e.height() && h < behind + 8; ++h) {
          const v1::StoredBlock b = p.node->blocks->block_at(h).value();
          const consensus::CommitMsg commit{b.commit(), encode(b.block())};
          messages_.push_back(Pending{m.from, 0, m.to, consensus::encode_message(commit), {}});
        }
      } else if (decoded.ok()) {
        e.on_message(*decoded, now_ms_);
        drain(m.to);
      }
      return true;
    }
    if (!timers_.empty()) {
      auto it = timers_.begin();
      const auto [deadline, to, seq] = it->first;
      const Timer t = it->second;
      timers_.erase(it);
      Peer& p = peers_[to];
      if (t.incarnation != p.incarnation) return true;
      now_ms_ = std::max(now_ms_, deadline);
      if (t.gossip) {
        // A height without progress since the last tick: re-send what this node has (with a status hint).
        if (p.engine->height() == p.gossip_height) {
          for (const Bytes& w : p.engine->gossip_messages()) broadcast(to, w);
        }
        p.gossip_height = p.engine->height();
        schedule_gossip(to);
        return true;
      }
      timeouts_fired_ += 1;
      p.engine->on_timeout(t.timeout.kind, t.timeout.height, t.timeout.round, now_ms_);
      drain(to);
      return true;
    }
    return false;
  }

  // Steps until every node has committed `height` (or the budget runs out).
  bool run_until(uint64_t height, size_t max_steps) {
    for (size_t s = 0; s < max_steps; ++s) {
      if (min_height() >= height) return true;
      if (!step()) return false;
    }
    return min_height() >= height;
  }

  size_t timeouts_fired() const { return timeouts_fired_; }
  size_t commits() const { return commits_; }

 private:
  struct Peer {
    std::unique_ptr<consensus::KeySigner> signer;
    std::unique_ptr<consensus::MemoryWal> wal;
    std::unique_ptr<AppNode> node;
    std::unique_ptr<consensus::Engine> engine;
    uint64_t incarnation = 0;
    uint64_t gossip_height = 0;
  };
  struct Pending {
    size_t to = 0;
    uint64_t incarnation = 0;
    size_t from = 0;
    Bytes wire;
    consensus::ValidateBlock request;
  };
  struct Timer {
    uint64_t incarnation = 0;
    consensus::ScheduleTimeout timeout;
    bool gossip = false;
  };
  static constexpr uint64_t kGossipMs = 500;

  void schedule_gossip(size_t i) {
    timers_.emplace(std::make_tuple(now_ms_ + kGossipMs, i, timer_seq_++), Timer{peers_[i].incarnation, {}, true});
  }

  void broadcast(size_t from, const Bytes& wire) {
    for (size_t to = 0; to < kNodes; ++to) {
      if (to != from) messages_.push_back(Pending{to, 0, from, wire, {}});
    }
  }

  void boot(size_t i) {
    Peer& p = peers_[i];
    p.incarnation += 1;
    LevelDbKvStore::Options options;
    options.create_if_missing = true;
    options.block_cache_bytes = 1u << 20;
    auto kv = LevelDbKvStore::open(dir_.sub("node-" + std::to_string(i)), options);
    ASSERT_TRUE(kv.ok()) << kv.error().to_string();
    p.node = std::make_unique<AppNode>(std::move(kv).value(), i);
    Status s = p.node->app->init_genesis();
    ASSERT_TRUE(s.ok()) << s.to_string();
    p.engine = std::make_unique<consensus::Engine>(config_, *p.node->app, *p.signer, *p.wal);
    s = p.engine->start(p.node->app->start_state(), now_ms_);
    ASSERT_TRUE(s.ok()) << s.to_string();
    p.gossip_height = 0;
    schedule_gossip(i);
    drain(i);
  }

  void drain(size_t from) {
    Peer& p = peers_[from];
    std::vector<consensus::Output> outputs = p.engine->take_outputs();
    // The node's rule: a halted app or engine stops the node before anything leaves it.
    ASSERT_FALSE(p.node->app->halted()) << "node " << from << ": " << p.node->app->halt_status().to_string();
    ASSERT_FALSE(p.engine->halted()) << "node " << from << ": " << p.engine->halt_status().to_string();
    for (consensus::Output& out : outputs) {
      if (auto* b = std::get_if<consensus::Broadcast>(&out)) {
        broadcast(from, b->wire);
      } else if (auto* t = std::get_if<consensus::ScheduleTimeout>(&out)) {
        timers_.emplace(std::make_tuple(now_ms_ + t->delay_ms, from, timer_seq_++), Timer{p.incarnation, *t, false});
      } else if (auto* v = std::get_if<consensus::ValidateBlock>(&out)) {
        validations_.push_back(Pending{from, p.incarnation, from, {}, std::move(*v)});
      } else if (std::holds_alternative<consensus::Committed>(out)) {
        commits_ += 1;
      }
      // EvidenceFound: none among honest validators (the node would gossip it).
    }
  }

  TempDir dir_;
  consensus::EngineConfig config_;
  std::vector<Peer> peers_;
  std::deque<Pending> messages_;
  std::deque<Pending> validations_;
  std::map<std::tuple<uint64_t, size_t, uint64_t>, Timer> timers_;  // (deadline, node, seq)
  uint64_t timer_seq_ = 0;
  uint64_t now_ms_ = static_cast<uint64_t>(utc_ms(2026, 3, 10, 9));
  consensus::SignatureCache cache_;
  size_t timeouts_fired_ = 0;
  size_t commits_ = 0;
};

// Blocks 1..height are the same on every node: hash, state root, and the state root the app holds.
void expect_same_chain(Network& net, uint64_t height) {
  for (uint64_t h = 1; h <= height; ++h) {
    const auto first = net.node(0).blocks->header_at(h);
    ASSERT_TRUE(first.ok()) << first.error().to_string();
    const Hash32 hash = block_hash(encode(*first));
    for (size_t i = 1; i < Network::kNodes; ++i) {
      const auto header = net.node(i).blocks->header_at(h);
      ASSERT_TRUE(header.ok()) << header.error().to_string();
      EXPECT_EQ(block_hash(encode(*header)), hash) << "node " << i << " height " << h;
      EXPECT_EQ(header->state_root(), first->state_root()) << "node " << i << " height " << h;
    }
  }
}

bool case_exists(AppNode& node, const std::string& id) {
  ContractState state(*node.kv);
  return state.get<cv1::Case>(state_keys::case_record(id)).value().has_value();
}

TEST(Network, FourEnginesOverFourLedgersCommitTheSameBlocksAndTheTxsTakeEffect) {
  Network net;
  net.start();
  Chain chain;
  std::vector<v1::SignedTx> txs = {open_case_tx(chain, "case-001"), open_case_tx(chain, "case-002"),
                                   chain.tx(kGi, "professional.register",
                                            {text("professional", "prof-1"), text("skj_valid_until", "2030-01-01")})};
  for (const auto& tx : txs) {
    auto v = net.node(0).app->submit_tx(tx_bytes(tx), static_cast<int64_t>(net.now_ms()));
    ASSERT_TRUE(v.ok() && v->admitted()) << (v.ok() ? v->refused->message : v.error().to_string());
  }
  ASSERT_TRUE(net.run_until(5, 200'000)) << "stuck below height 5 at height " << net.min_height();
  expect_same_chain(net, 5);
  for (size_t i = 0; i < Network::kNodes; ++i) {
    EXPECT_TRUE(case_exists(net.node(i), "case-001")) << "node " << i;
    EXPECT_TRUE(case_exists(net.node(i), "case-002")) << "node " << i;
    for (const auto& tx : txs) {
      auto loc = net.node(i).blocks->find_tx(tx_id(tx));
      ASSERT_TRUE(loc.ok());
      EXPECT_TRUE(loc->has_value()) << "node " << i;
    }
    EXPECT_FALSE(net.node(i).app->halted());
  }
  EXPECT_EQ(net.node(0).mempool->size(), 0u);
  // Honest, synchronous, in order: every height decided in round 0.
  for (size_t i = 0; i < Network::kNodes; ++i) EXPECT_EQ(net.engine(i).round(), 0u) << "node " << i;
}

// Node 3 stops after height 1; the others go on without it (3 of 4 are a quorum, and its turns to
// propose time out); it restarts from its LevelDB and WAL, catches up through certified blocks
// (status hint, then commits it re-executes), and a tx submitted to it is committed by everyone.
TEST(Network, AValidatorThatWasDownCatchesUpFromItsLevelDbAndWalAndProposesAgain) {
  Network net;
  net.start();
  Chain chain;
  ASSERT_TRUE(net.run_until(1, 100'000));
  net.stop(3);
  const uint64_t stopped_at = net.node(0).app->tip_height();
  ASSERT_TRUE(net.run_until(stopped_at + 4, 200'000)) << "three validators stuck at " << net.min_height();
  EXPECT_GT(net.timeouts_fired(), 0u);  // node 3's turn to propose timed out
  net.restart(3);
  EXPECT_LT(net.node(3).app->tip_height(), net.node(0).app->tip_height());
  const v1::SignedTx tx = open_case_tx(chain, "case-after-restart");
  auto v = net.node(3).app->submit_tx(tx_bytes(tx), static_cast<int64_t>(net.now_ms()));
  ASSERT_TRUE(v.ok() && v->admitted());
  // Only node 3 has the tx: it is committed once node 3 has caught up and its turn comes.
  const auto committed_everywhere = [&] {
    for (size_t i = 0; i < Network::kNodes; ++i) {
      if (!net.node(i).blocks->find_tx(tx_id(tx)).value().has_value()) return false;
    }
    return true;
  };
  for (size_t steps = 0; steps < 400'000 && !committed_everywhere(); ++steps) ASSERT_TRUE(net.step());
  ASSERT_TRUE(committed_everywhere()) << "node 3's tx not committed; heights " << net.min_height();
  const uint64_t location = net.node(0).blocks->find_tx(tx_id(tx)).value()->height;
  EXPECT_EQ(net.node(0).blocks->header_at(location).value().proposer(), 3u);  // node 3 proposed it
  expect_same_chain(net, net.min_height());
  for (size_t i = 0; i < Network::kNodes; ++i) {
    EXPECT_TRUE(case_exists(net.node(i), "case-after-restart")) << "node " << i;
    EXPECT_FALSE(net.node(i).app->halted());
  }
  EXPECT_EQ(net.node(3).mempool->size(), 0u);
}

}  // namespace
}  // namespace joet
