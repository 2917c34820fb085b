#include "node/daemon/fail_stop_backend.h"

#include <vector>

#include <gtest/gtest.h>

#include "node/rpc/rpc_test_support.h"

namespace joet::daemon {
namespace {

// The fake answers what the test sets; only tx_status and status are exercised.
class Broken : public rpc::testing::FakeBackend {
 public:
  Result<rpc::TxStatus> tx_status(const Hash32&) override {
    return make_error(ErrorCode::kCorruption, "read failed in /data/ledger: Corruption: block checksum mismatch");
  }
};

TEST(FailStopOnCorruption, ACorruptReadStopsTheNodeAndOtherErrorsDoNot) {
  Broken inner;
  std::vector<Error> stops;
  FailStopOnCorruption backend(inner, [&](const Error& e) { stops.push_back(e); });
  auto status = backend.tx_status(Hash32{});
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, ErrorCode::kCorruption);  // the client still gets its 500
  ASSERT_EQ(stops.size(), 1u);
  EXPECT_NE(stops[0].message.find("/data/ledger"), std::string::npos);
  inner.set_unavailable(true);  // an I/O error is no reason to stop
  EXPECT_FALSE(backend.status().ok());
  EXPECT_EQ(stops.size(), 1u);
  inner.set_unavailable(false);
  EXPECT_TRUE(backend.status().ok());
}

// The Inzicht reads reach the daemon's backend through the decorator (a method it does not forward
// answers 501 from RpcBackend's default), and a corrupt index stops the node as any corrupt read does.
class InzichtBackend : public rpc::testing::FakeBackend {
 public:
  Result<Stuurinformatie> stuurinformatie(const CivilMonth&, const CivilMonth&) override { return Stuurinformatie{}; }
  Result<std::vector<std::string>> cell_cases(const CivilMonth&, std::string_view, std::string_view) override {
    return std::vector<std::string>{"c-1"};
  }
  Result<inzicht::DeadlinePage> pending_deadlines(std::string_view, std::string_view, int64_t, int64_t, size_t) override {
    return inzicht::DeadlinePage{};
  }
  Result<inzicht::TimelinePage> case_timeline(std::string_view, size_t, size_t) override {
    return make_error(ErrorCode::kCorruption, "dashboard index: a timeline entry that does not parse");
  }
};

TEST(FailStopOnCorruption, TheInzichtReadsAreForwardedAndACorruptIndexStopsTheNode) {
  InzichtBackend inner;
  std::vector<Error> stops;
  FailStopOnCorruption backend(inner, [&](const Error& e) { stops.push_back(e); });
  EXPECT_TRUE(backend.stuurinformatie(CivilMonth{2026, 1}, CivilMonth{2026, 2}).ok());
  EXPECT_EQ(backend.cell_cases(CivilMonth{2026, 1}, "PLAN_MISSED", "gi").value(), std::vector<std::string>{"c-1"});
  EXPECT_TRUE(backend.pending_deadlines("gi", "", 0, 1, 10).ok());
  EXPECT_TRUE(stops.empty());
  EXPECT_FALSE(backend.case_timeline("c-1", 0, 10).ok());
  EXPECT_EQ(stops.size(), 1u);
}

}  // namespace
}  // namespace joet::daemon
