#include "client-sdk/audit_progress.h"

#include <string>

#include <gtest/gtest.h>

namespace joet {
namespace {

size_t count_of(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

TEST(AuditProgress, OffATerminalALineIsWrittenEveryFiveSecondsOfWallTimeAndAtTheTip) {
  AuditProgressMeter meter(/*terminal=*/false, 0);
  std::string out;
  // 100 heights, one every 200 ms: 20 s in all.
  for (uint64_t h = 1; h <= 100; ++h) out += meter.update(h, 100, h * 10, static_cast<int64_t>(h) * 200);
  out += meter.finish(20'000);
  EXPECT_EQ(count_of(out, "\n"), 4u) << out;  // at 5, 10, 15 s and the tip (20 s)
  EXPECT_EQ(out.find('\r'), std::string::npos);
  EXPECT_NE(out.find("joet-audit: 25/100 heights  25.0%  5 heights/s  50 txs/s  ETA 15s\n"), std::string::npos) << out;
  EXPECT_NE(out.find("joet-audit: 100/100 heights 100.0%"), std::string::npos) << out;
}

TEST(AuditProgress, OnATerminalOneLineIsRedrawnInPlaceAndEndedOnce) {
  AuditProgressMeter meter(/*terminal=*/true, 0);
  std::string out;
  for (uint64_t h = 1; h <= 50; ++h) out += meter.update(h, 100, h, static_cast<int64_t>(h) * 50);
  out += meter.finish(2'600);  // a finding stopped it at 50 of 100
  EXPECT_EQ(count_of(out, "\n"), 1u);
  EXPECT_EQ(out.back(), '\n');
  EXPECT_EQ(count_of(out, "\r"), 25u) << out;  // every 100 ms: heights 2, 4, ..., 50
  EXPECT_NE(out.find("[##########..........] 50/100 heights  50.0%"), std::string::npos) << out;
}

TEST(AuditProgress, AStopBetweenTwoLinesStillReportsWhereItStopped) {
  AuditProgressMeter meter(/*terminal=*/false, 0);
  std::string out = meter.update(1, 10, 3, 1'000);
  EXPECT_EQ(out, "");
  out = meter.finish(2'000);
  EXPECT_EQ(out.rfind("joet-audit: 1/10 heights  10.0%", 0), 0u) << out;
  EXPECT_EQ(meter.finish(3'000), "");
}

TEST(AuditProgress, TheEtaIsTheRemainingHeightsAtTheRateSoFar) {
  EXPECT_EQ(AuditProgressMeter::figures(1'000, 4'600, 200'000, 10'000),
            "1000/4600 heights  21.7%  100 heights/s  20000 txs/s  ETA 36s");
  EXPECT_EQ(AuditProgressMeter::figures(10, 100'000, 0, 10'000),
            "10/100000 heights   0.0%  1 heights/s  0 txs/s  ETA 27h46m");
}

}  // namespace
}  // namespace joet
