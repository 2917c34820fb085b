#include "client-sdk/subscription.h"

#include <sys/stat.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>

#include "ledger/testing/temp_dir.h"
#include "node/rpc/rpc_test_support.h"

namespace joet::sdk {
namespace {

using rpc::testing::FakeBackend;
using rpc::testing::RunningServer;

std::string address(uint16_t port) { return "127.0.0.1:" + std::to_string(port); }

// A port nobody listens on: bound, then closed.
uint16_t closed_port() {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor a(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  return a.local_endpoint().port();
}

SubscriptionConfig config_for(std::vector<std::string> rpc, std::string recipient = "gi-x") {
  SubscriptionConfig c;
  c.rpc = std::move(rpc);
  c.recipient = std::move(recipient);
  c.wait_ms = 0;
  c.limit = 100;
  return c;
}

TEST(Subscription, DeliversEveryEventOfItsRecipientOnceInOrderAcrossPagesAndSavesTheCursor) {
  FakeBackend backend;
  RunningServer server(backend);
  for (uint64_t i = 0; i < 250; ++i) {
    backend.publish("gi-x", 10 + i, "MEASURE_GRANTED");
    if (i % 3 == 0) backend.publish("gem-y", 10 + i, "CASE_OPENED");
  }
  Subscription sub(config_for({address(server.port())}), 0);
  std::vector<uint64_t> seqs;
  std::vector<uint64_t> saved;
  for (int polls = 0; polls < 10; ++polls) {
    auto n = sub.poll_once(
        [&](const Event& e) {
          EXPECT_EQ(e.recipient, "gi-x");
          EXPECT_EQ(e.kind, "MEASURE_GRANTED");
          EXPECT_EQ(e.case_id, "case-1");
          seqs.push_back(e.seq);
          return Status();
        },
        [&](uint64_t c) {
          saved.push_back(c);
          return Status();
        });
    ASSERT_TRUE(n.ok()) << n.error().to_string();
    if (*n == 0) break;
  }
  ASSERT_EQ(seqs.size(), 250u);
  for (size_t i = 0; i < seqs.size(); ++i) EXPECT_EQ(seqs[i], i + 1);
  EXPECT_EQ(saved, (std::vector<uint64_t>{100, 200, 250}));
  EXPECT_EQ(sub.cursor(), 250u);
}

TEST(Subscription, AFailingHandlerStopsBeforeItsEventWhichComesAgainNextTime) {
  FakeBackend backend;
  RunningServer server(backend);
  for (int i = 0; i < 5; ++i) backend.publish("gi-x", 1, "SIGNAL");
  Subscription sub(config_for({address(server.port())}), 0);
  uint64_t saved = 0;
  bool fail_on_3 = true;
  std::vector<uint64_t> seen;
  auto handler = [&](const Event& e) {
    if (e.seq == 3 && fail_on_3) return Status(make_error(ErrorCode::kIoError, "case system down"));
    seen.push_back(e.seq);
    return Status();
  };
  auto saver = [&](uint64_t c) {
    saved = c;
    return Status();
  };
  auto first = sub.poll_once(handler, saver);
  ASSERT_FALSE(first.ok());
  EXPECT_EQ(first.error().message, "case system down");
  EXPECT_EQ(sub.cursor(), 2u);
  EXPECT_EQ(saved, 2u);  // 1 and 2 are done and not delivered again
  fail_on_3 = false;
  ASSERT_TRUE(sub.poll_once(handler, saver).ok());
  EXPECT_EQ(seen, (std::vector<uint64_t>{1, 2, 3, 4, 5}));
  EXPECT_EQ(saved, 5u);
}

TEST(Subscription, ADownNodeIsSkippedAndTheSameCursorContinuesOnTheNextNode) {
  FakeBackend backend;
  RunningServer server(backend);
  for (int i = 0; i < 7; ++i) backend.publish("gi-x", 1, "SIGNAL");
  Subscription sub(config_for({address(closed_port()), address(server.port())}), 4);
  std::vector<uint64_t> seen;
  std::vector<uint64_t> sleeps;
  Status s = sub.run(
      [&](const Event& e) {
        seen.push_back(e.seq);
        return Status();
      },
      {}, [&] { return seen.size() < 3 && sleeps.size() < 5; }, [&](uint64_t ms) { sleeps.push_back(ms); });
  ASSERT_TRUE(s.ok()) << s.to_string();
  EXPECT_EQ(seen, (std::vector<uint64_t>{5, 6, 7}));
  EXPECT_EQ(sleeps, (std::vector<uint64_t>{200}));  // one failure, one back-off, then the other node
  EXPECT_EQ(sub.current_node(), address(server.port()));
}

TEST(Subscription, BackOffDoublesPerFailureUpToItsMaximum) {
  SubscriptionConfig c = config_for({address(closed_port())});
  c.retry_min_ms = 100;
  c.retry_max_ms = 1000;
  Subscription sub(c, 0);
  std::vector<uint64_t> sleeps;
  Status s = sub.run([](const Event&) { return Status(); }, {}, [&] { return sleeps.size() < 6; },
                     [&](uint64_t ms) { sleeps.push_back(ms); });
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(sleeps, (std::vector<uint64_t>{100, 200, 400, 800, 1000, 1000}));
}

TEST(Subscription, ARefusedReadStopsTheRunWithTheNodesCodeInsteadOfRetrying) {
  FakeBackend backend;  // refuses the recipient "forbidden" with 403
  RunningServer server(backend);
  Subscription sub(config_for({address(server.port())}, "forbidden"), 0);
  int sleeps = 0;
  Status s = sub.run([](const Event&) { return Status(); }, {}, [] { return true; }, [&](uint64_t) { ++sleeps; });
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(s.error().message.find("403 FORBIDDEN"), std::string::npos) << s.error().message;
  EXPECT_EQ(sleeps, 0);
}

TEST(Subscription, ALongPollIsAnsweredWhenTheEventArrives) {
  FakeBackend backend;
  RunningServer server(backend);
  SubscriptionConfig c = config_for({address(server.port())});
  c.wait_ms = 20'000;
  Subscription sub(c, 0);
  std::thread publisher([&] {
    for (int i = 0; i < 200 && !backend.has_listener(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    backend.publish("gi-x", 9, "DEADLINE_MISSED");
  });
  std::vector<std::string> kinds;
  auto n = sub.poll_once([&](const Event& e) {
    kinds.push_back(e.kind);
    return Status();
  });
  publisher.join();
  ASSERT_TRUE(n.ok()) << n.error().to_string();
  EXPECT_EQ(kinds, (std::vector<std::string>{"DEADLINE_MISSED"}));
}

TEST(EventPage, AGapARepeatAForeignEventOrAWrongNextIsCorruptionNotSkipped) {
  const std::string ev1 = R"({"recipient":"gi-x","seq":5,"kind":"A"})";
  const std::string ev2 = R"({"recipient":"gi-x","seq":6,"kind":"B"})";
  auto ok = parse_event_page(R"({"events":[)" + ev1 + "," + ev2 + R"(],"next":6})", "gi-x", 4);
  ASSERT_TRUE(ok.ok()) << ok.error().to_string();
  EXPECT_EQ(ok->size(), 2u);
  EXPECT_EQ(parse_event_page(R"({"events":[],"next":4})", "gi-x", 4)->size(), 0u);

  auto gap = parse_event_page(R"({"events":[)" + ev2 + R"(],"next":6})", "gi-x", 4);
  ASSERT_FALSE(gap.ok());
  EXPECT_EQ(gap.error().code, ErrorCode::kCorruption);
  auto repeat = parse_event_page(R"({"events":[)" + ev1 + "," + ev1 + R"(],"next":5})", "gi-x", 4);
  EXPECT_EQ(repeat.error().code, ErrorCode::kCorruption);
  auto foreign = parse_event_page(R"({"events":[)" + ev1 + R"(],"next":5})", "gem-y", 4);
  EXPECT_EQ(foreign.error().code, ErrorCode::kCorruption);
  auto next = parse_event_page(R"({"events":[)" + ev1 + R"(],"next":9})", "gi-x", 4);
  EXPECT_EQ(next.error().code, ErrorCode::kCorruption);
  for (const char* bad : {"", "[]", R"({"events":{}})", R"({"events":[],"next":-1})", R"({"events":[{"seq":5}],"next":5})"}) {
    auto r = parse_event_page(bad, "gi-x", 4);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::kMalformed) << bad;
  }
}

TEST(CursorFile, AMissingFileIsZeroASavedCursorLoadsBackOwnerOnlyAndGarbageIsRefused) {
  testing::TempDir dir("cursor");
  const std::string path = (dir.path() / "gi-x.cursor").string();
  EXPECT_EQ(load_cursor(path).value(), 0u);
  ASSERT_TRUE(save_cursor(path, 41).ok());
  ASSERT_TRUE(save_cursor(path, 42).ok());
  EXPECT_EQ(load_cursor(path).value(), 42u);
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  for (const char* bad : {"", "x1", "12 13", "-1"}) {
    std::ofstream(path, std::ios::trunc) << bad;
    auto r = load_cursor(path);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::kMalformed) << bad;
  }
}

}  // namespace
}  // namespace joet::sdk
