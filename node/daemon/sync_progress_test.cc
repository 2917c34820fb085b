#include "node/daemon/sync_progress.h"

#include <gtest/gtest.h>

namespace joet::daemon {
namespace {

TEST(SyncProgress, AFirstBlockFromAPeerStartsASyncAndReachingTheTargetEndsIt) {
  SyncProgress p(2000);
  p.peer_height(500);
  auto r = p.caught_up(100, 101, 10'000);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->msg, "sync started");
  EXPECT_EQ(r->height, 100u);
  EXPECT_EQ(r->target, 500u);
  EXPECT_TRUE(p.syncing());
  EXPECT_FALSE(p.caught_up(101, 200, 10'500).has_value());  // within the report interval
  r = p.caught_up(200, 500, 11'000);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->msg, "synced");
  EXPECT_EQ(r->heights, 400u);
  EXPECT_EQ(r->elapsed_ms, 1000u);
  EXPECT_DOUBLE_EQ(r->heights_per_s, 400.0);
  EXPECT_FALSE(p.syncing());
}

TEST(SyncProgress, ReportsRateAndEtaAtMostOncePerInterval) {
  SyncProgress p(2000);
  p.peer_height(10'100);
  ASSERT_TRUE(p.caught_up(0, 1, 0).has_value());  // started at height 0, time 0
  EXPECT_FALSE(p.caught_up(1, 50, 1999).has_value());
  auto r = p.caught_up(50, 100, 2000);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->msg, "syncing");
  EXPECT_EQ(r->height, 100u);
  EXPECT_DOUBLE_EQ(r->heights_per_s, 50.0);
  ASSERT_TRUE(r->eta_s.has_value());
  EXPECT_EQ(*r->eta_s, 200u);  // 10,000 heights to go at 50/s
  EXPECT_FALSE(p.caught_up(100, 150, 3999).has_value());
  EXPECT_TRUE(p.caught_up(150, 200, 4000).has_value());
}

TEST(SyncProgress, ATargetNeverGoesDownAndACertifiedBlockRaisesIt) {
  SyncProgress p;
  p.peer_height(300);
  p.peer_height(200);  // a slower peer
  EXPECT_EQ(p.target(), 300u);
  ASSERT_TRUE(p.caught_up(10, 11, 0).has_value());
  auto r = p.caught_up(11, 400, 1);  // blocks up to 399 prove a peer got that far
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->msg, "synced");
  EXPECT_EQ(p.target(), 400u);
}

TEST(SyncProgress, ABlockFromAPeerThatLeavesNothingToFetchIsNoSync) {
  SyncProgress p;
  p.peer_height(12);
  EXPECT_FALSE(p.caught_up(11, 12, 0).has_value());
  EXPECT_FALSE(p.syncing());
  EXPECT_FALSE(p.caught_up(12, 13, 1).has_value());  // a block beyond what peers reported: still in step
  EXPECT_FALSE(p.syncing());
}

TEST(SyncProgress, ConsensusInStepEndsASyncAndIsSilentOtherwise) {
  SyncProgress p;
  EXPECT_FALSE(p.in_step(5, 0).has_value());
  p.peer_height(1000);
  ASSERT_TRUE(p.caught_up(5, 6, 0).has_value());
  auto r = p.in_step(7, 100);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->msg, "synced");
  EXPECT_FALSE(p.syncing());
  EXPECT_FALSE(p.caught_up(7, 7, 200).has_value());  // no progress: nothing
}

}  // namespace
}  // namespace joet::daemon
