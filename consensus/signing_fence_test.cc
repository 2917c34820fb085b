#include "consensus/signing_fence.h"

#include <gtest/gtest.h>

#include "consensus/message.h"

namespace joet::consensus {
namespace {

TEST(SigningFence, NothingIsFencedWhenEverySignedHeightIsCommitted) {
  EXPECT_EQ(signing_fence(0, 1, 0), 0u);   // a new validator
  EXPECT_EQ(signing_fence(9, 10, 0), 0u);  // signed through 9, store holds 9: the WAL may be empty
}

TEST(SigningFence, AWalThatHoldsTheLastSignedHeightIsTrusted) {
  EXPECT_EQ(signing_fence(10, 10, 10), 0u);  // an ordinary crash at height 10
  EXPECT_EQ(signing_fence(10, 8, 10), 0u);   // the store lags (a crash inside a commit), the WAL knows 10
}

TEST(SigningFence, AWipedOrRestoredDataDirFencesEveryHeightUpToTheLastSigned) {
  EXPECT_EQ(signing_fence(10, 1, 0), 10u);  // data dir wiped: the store starts over, no WAL
  EXPECT_EQ(signing_fence(10, 7, 7), 10u);  // restored from a backup taken at height 7
  EXPECT_EQ(signing_fence(10, 10, 0), 10u); // the WAL alone was moved aside (corrupt)
}

TEST(SigningFence, TheWalsHighestHeightCountsSignedMessagesNotLocks) {
  PrivateKey key = PrivateKey::from_test_seed("fence");
  KeySigner signer(key);
  std::vector<Bytes> records;
  EXPECT_EQ(wal_max_height(records), 0u);
  records.push_back(encode_wal_sent(encode_message(make_vote(signer, 0, "c", v1::PREVOTE, 12, 0, ""))));
  EXPECT_EQ(wal_max_height(records), 12u);
  Value v;
  v.bytes = to_bytes("block");
  records.push_back(encode_wal_lock(LockRecord{13, 1, v, {}}));
  EXPECT_EQ(wal_max_height(records), 12u);  // a lock alone: nothing signed at 13
}

}  // namespace
}  // namespace joet::consensus
