#include "client-sdk/submit_await.h"

#include <chrono>
#include <optional>
#include <thread>

#include <gtest/gtest.h>

#include "ledger/block.h"
#include "ledger/codec.h"
#include "client-sdk/tx_builder.h"
#include "node/rpc/rpc_test_support.h"

namespace joet::sdk {
namespace {

using rpc::testing::FakeBackend;
using rpc::testing::RunningServer;
using namespace std::chrono_literals;

const PrivateKey& key() {
  static const PrivateKey k = PrivateKey::from_test_seed("submit-await");
  return k;
}

v1::SignedTx a_tx() {
  TxRequest req;
  req.chain_id = "joet-test";
  req.action = "case.open";
  req.nonce = 1;
  return build_tx(req, key()).value();
}

RequestSigner reader() { return RequestSigner{key(), "joet-test"}; }

std::string at(const RunningServer& s) { return "127.0.0.1:" + std::to_string(s.port()); }

// A port nobody listens on (bound, then closed).
std::string dead_endpoint() {
  FakeBackend b;
  std::string address;
  {
    RunningServer gone(b);
    address = at(gone);
  }
  return address;
}

// Once the backend holds the tx (bounded wait), it commits it `after` later (a node committing it), on
// another thread.
std::thread commit_later(FakeBackend& b, const Hash32& id, std::chrono::milliseconds after) {
  return std::thread([&b, id, after] {
    const auto give_up = std::chrono::steady_clock::now() + 10s;
    while (b.tx_status(id)->state != rpc::TxStatus::State::kPending && std::chrono::steady_clock::now() < give_up) {
      std::this_thread::sleep_for(10ms);
    }
    std::this_thread::sleep_for(after);
    rpc::TxStatus s;
    s.state = rpc::TxStatus::State::kCommitted;
    s.height = 7;
    s.result_code = "OK";
    b.set_tx(id, s);
  });
}

TEST(SubmitAndAwait, ANodeThatCannotBeReachedIsPassedOverForTheNext) {
  FakeBackend b;
  RunningServer second(b);
  const v1::SignedTx tx = a_tx();
  std::thread committer = commit_later(b, tx_id(tx), 100ms);
  const SubmitOutcome done = submit_and_await({dead_endpoint(), at(second)}, tx, reader(), 10'000);
  committer.join();
  EXPECT_EQ(done.exit_code, 0) << done.error;
  EXPECT_EQ(done.rpc, at(second));
  EXPECT_GE(done.failovers, 1u);
}

// The node that took the tx dies while the client waits: the same signed tx goes to the next node (one
// tx id on both), and is awaited there. No second tx is ever built.
TEST(SubmitAndAwait, WhenTheNodeDiesDuringTheWaitTheSameTxGoesToTheNext) {
  FakeBackend first_backend, second_backend;
  std::optional<RunningServer> first(std::in_place, first_backend);
  RunningServer second(second_backend);
  const v1::SignedTx tx = a_tx();
  const Hash32 id = tx_id(tx);
  std::thread killer([&] {
    std::this_thread::sleep_for(400ms);
    first.reset();  // the node goes down with the tx in its mempool
  });
  std::thread committer = commit_later(second_backend, id, 100ms);
  const SubmitOutcome done = submit_and_await({at(*first), at(second)}, tx, reader(), 10'000);
  killer.join();
  committer.join();
  EXPECT_EQ(done.exit_code, 0) << done.error;
  EXPECT_EQ(done.rpc, at(second));
  EXPECT_EQ(first_backend.tx_status(id)->state, rpc::TxStatus::State::kPending);  // it held the very tx
}

TEST(SubmitAndAwait, ANodeThatHasTheTxAlreadyCountsAsSubmitted) {
  FakeBackend b;
  b.refuse_with("DUPLICATE_TX");
  RunningServer node(b);
  const v1::SignedTx tx = a_tx();
  rpc::TxStatus committed;
  committed.state = rpc::TxStatus::State::kCommitted;
  committed.result_code = "OK";
  b.set_tx(tx_id(tx), committed);
  const SubmitOutcome done = submit_and_await({at(node)}, tx, reader(), 5'000);
  EXPECT_EQ(done.exit_code, 0) << done.error;
}

TEST(SubmitAndAwait, ARefusalOnAdmissionEndsAtOnceWithoutTryingOtherNodes) {
  FakeBackend b, other;
  b.refuse_with("BAD_NONCE");
  RunningServer node(b), second(other);
  const v1::SignedTx tx = a_tx();
  const SubmitOutcome done = submit_and_await({at(node), at(second)}, tx, reader(), 5'000);
  EXPECT_EQ(done.exit_code, 2);
  EXPECT_NE(done.error.find("BAD_NONCE"), std::string::npos) << done.error;
  EXPECT_EQ(other.tx_status(tx_id(tx))->state, rpc::TxStatus::State::kUnknown);
}

TEST(SubmitAndAwait, WithNoNodeReachableItEndsAtOnceWithExit1) {
  const auto start = std::chrono::steady_clock::now();
  const SubmitOutcome done = submit_and_await({dead_endpoint(), dead_endpoint()}, a_tx(), reader(), 30'000);
  EXPECT_EQ(done.exit_code, 1);
  EXPECT_NE(done.error.find("no node reachable"), std::string::npos) << done.error;
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
}

TEST(SplitEndpoints, DropsEmptyEntries) {
  EXPECT_EQ(split_endpoints("a:1,,b:2,"), (std::vector<std::string>{"a:1", "b:2"}));
  EXPECT_TRUE(split_endpoints("").empty());
}

}  // namespace
}  // namespace joet::sdk
