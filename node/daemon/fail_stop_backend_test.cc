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

}  // namespace
}  // namespace joet::daemon
