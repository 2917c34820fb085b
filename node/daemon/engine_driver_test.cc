// The output dispatch of EngineDriver: four drivers over four ledger apps (node/app/app_test_support.h)
// wired by queues in place of the transport and asio timers, and the halt rule.
#include "node/daemon/engine_driver.h"

#include "consensus/evidence.h"

#include <deque>
#include <map>
#include <memory>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

#include "consensus/message.h"
#include "consensus/wal.h"
#include "ledger/block.h"
#include "ledger/codec.h"
#include "node/app/app_test_support.h"

namespace joet::daemon {
namespace {

using namespace joet::testing;  // NOLINT

struct Net;

struct QueueIo : DriverIo {
  QueueIo(Net& n, size_t i) : net(n), index(i) {}
  void broadcast(const Bytes& wire) override;
  void schedule(const consensus::ScheduleTimeout& timeout) override;
  void committed(const consensus::Committed& commit) override { commits.push_back(commit); }
  void evidence_found(const consensus::EvidenceFound& found) override { evidence.push_back(found); }
  uint64_t now_ms() override;

  Net& net;
  size_t index;
  size_t broadcasts = 0;
  std::vector<consensus::Committed> commits;
  std::vector<consensus::EvidenceFound> evidence;
};

struct Node {
  std::unique_ptr<AppNode> app;
  std::unique_ptr<consensus::KeySigner> signer;
  consensus::MemoryWal wal;
  std::unique_ptr<consensus::Engine> engine;
  std::unique_ptr<QueueIo> io;
  std::unique_ptr<EngineDriver> driver;
};

struct Net {
  static constexpr size_t kNodes = 4;
  uint64_t now = static_cast<uint64_t>(utc_ms(2026, 3, 10, 9));
  std::vector<std::unique_ptr<Node>> nodes;
  std::deque<std::pair<size_t, Bytes>> messages;  // (to, wire)
  std::map<std::tuple<uint64_t, size_t, uint64_t>, consensus::ScheduleTimeout> timers;
  uint64_t seq = 0;
  consensus::SignatureCache cache;

  Net() {
    consensus::EngineConfig config;
    config.chain_id = std::string(kChainId);
    for (size_t i = 0; i < kNodes; ++i) {
      auto n = std::make_unique<Node>();
      n->app = std::make_unique<AppNode>(std::make_unique<MemoryKvStore>(), i);
      EXPECT_TRUE(n->app->app->init_genesis().ok());
      n->signer = std::make_unique<consensus::KeySigner>(validator_key(i));
      n->engine = std::make_unique<consensus::Engine>(config, *n->app->app, *n->signer, n->wal);
      n->io = std::make_unique<QueueIo>(*this, i);
      n->driver = std::make_unique<EngineDriver>(*n->engine, *n->app->app, *n->io);
      nodes.push_back(std::move(n));
    }
  }

  void start() {
    for (auto& n : nodes) ASSERT_TRUE(n->driver->start(n->app->app->start_state()));
  }

  // A message, else the earliest timer; false when idle.
  bool step() {
    if (!messages.empty()) {
      auto [to, wire] = std::move(messages.front());
      messages.pop_front();
      Node& n = *nodes[to];
      auto m = consensus::verify_and_decode(wire, [&n](uint64_t h) { return n.engine->validator_set(h); }, &cache);
      if (m.ok()) {
        EXPECT_TRUE(n.driver->on_message(*m));
      }
      return true;
    }
    if (timers.empty()) return false;
    auto it = timers.begin();
    const auto [deadline, to, s] = it->first;
    const consensus::ScheduleTimeout t = it->second;
    timers.erase(it);
    now = std::max(now, deadline);
    EXPECT_TRUE(nodes[to]->driver->on_timeout(t));
    return true;
  }

  size_t min_commits() const {
    size_t c = SIZE_MAX;
    for (const auto& n : nodes) c = std::min(c, n->io->commits.size());
    return c;
  }
};

void QueueIo::broadcast(const Bytes& wire) {
  broadcasts += 1;
  for (size_t to = 0; to < Net::kNodes; ++to) {
    if (to != index) net.messages.emplace_back(to, wire);
  }
}
void QueueIo::schedule(const consensus::ScheduleTimeout& timeout) {
  net.timers.emplace(std::make_tuple(net.now + timeout.delay_ms, index, net.seq++), timeout);
}
uint64_t QueueIo::now_ms() { return net.now; }

TEST(EngineDriver, FourDriversDispatchBroadcastsTimeoutsAndValidationsAndCommitTheSameBlocks) {
  Net net;
  net.start();
  for (size_t s = 0; s < 200'000 && net.min_commits() < 3; ++s) ASSERT_TRUE(net.step());
  ASSERT_GE(net.min_commits(), 3u);
  for (size_t h = 0; h < 3; ++h) {
    const auto& first = net.nodes[0]->io->commits[h];
    EXPECT_EQ(first.height, h + 1);
    for (const auto& n : net.nodes) {
      EXPECT_EQ(n->io->commits[h].height, first.height);
      EXPECT_EQ(n->io->commits[h].block_hash, first.block_hash);
      EXPECT_EQ(n->app->blocks->header_at(h + 1).value().state_root(),
                net.nodes[0]->app->blocks->header_at(h + 1).value().state_root());
    }
  }
  for (const auto& n : net.nodes) {
    EXPECT_GT(n->driver->validations(), 0u);  // the blocks of the other proposers were validated
    EXPECT_GT(n->io->broadcasts, 0u);
    EXPECT_FALSE(n->driver->halted());
  }
}

// The daemon hears of double signing (it logs the validator's key and institution): two prevotes of
// one validator for one slot reach the driver's io as evidence against that validator.
TEST(EngineDriver, TwoVotesOfOneValidatorForOneSlotReachTheIoAsEvidence) {
  Net net;
  net.start();
  Node& n = *net.nodes[0];
  consensus::KeySigner byzantine(validator_key(3));
  const ValidatorSet* set = n.engine->validator_set(1);
  ASSERT_NE(set, nullptr);
  const auto index = set->index_of(byzantine.public_key().bytes());
  ASSERT_TRUE(index.has_value());
  for (const char* block : {"block-a", "block-b"}) {
    const std::string key = consensus::hash_key(tagged_hash("joet/test", as_bytes(std::string(block))));
    const auto vote = consensus::make_vote(byzantine, *index, kChainId, v1::PREVOTE, 1, 0, key);
    ASSERT_TRUE(n.driver->on_message(vote));
  }
  ASSERT_EQ(n.io->evidence.size(), 1u);
  EXPECT_EQ(consensus::evidence_offender(n.io->evidence[0].evidence), *index);
  EXPECT_EQ(consensus::evidence_height(n.io->evidence[0].evidence), 1u);
  EXPECT_EQ(n.driver->evidence_found(), 1u);
}

TEST(EngineDriver, AWalThatDoesNotReplayHaltsTheStartBeforeAnythingIsSent) {
  Net net;
  Node& n = *net.nodes[0];
  ASSERT_TRUE(n.wal.append(Bytes{0xff, 0x01, 0x02}).ok());  // not a WalRecord
  EXPECT_FALSE(n.driver->start(n.app->app->start_state()));
  EXPECT_TRUE(n.driver->halted());
  EXPECT_FALSE(n.driver->halt_status().ok());
  EXPECT_EQ(n.io->broadcasts, 0u);
  EXPECT_TRUE(net.timers.empty());
  // Later inputs are refused too.
  EXPECT_FALSE(n.driver->on_timeout(consensus::ScheduleTimeout{consensus::TimeoutKind::kPropose, 1, 0, 0}));
  EXPECT_EQ(n.io->broadcasts, 0u);
}

}  // namespace
}  // namespace joet::daemon
