#include "consensus/wal.h"

#include <gtest/gtest.h>

namespace joet::consensus {
namespace {

Bytes rec(uint8_t fill, size_t n) { return Bytes(n, fill); }

TEST(Wal, RecordsReadBackInOrder) {
  MemoryWal wal;
  ASSERT_TRUE(wal.append(rec(1, 10)).ok());
  ASSERT_TRUE(wal.append(rec(2, 0)).ok());
  ASSERT_TRUE(wal.append(rec(3, 300)).ok());
  auto all = wal.read_all();
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(*all, (std::vector<Bytes>{rec(1, 10), rec(2, 0), rec(3, 300)}));
}

TEST(Wal, ATornTailIsDroppedAtEveryCutPoint) {
  Bytes full = frame_wal_record(rec(1, 20));
  Bytes second = frame_wal_record(rec(2, 20));
  for (size_t cut = 0; cut < second.size(); ++cut) {
    Bytes log = full;
    log.insert(log.end(), second.begin(), second.begin() + static_cast<std::ptrdiff_t>(cut));
    size_t valid = 0;
    auto records = parse_wal(log, "test", &valid);
    ASSERT_TRUE(records.ok()) << cut;
    EXPECT_EQ(records->size(), 1u);
    EXPECT_EQ(valid, full.size());
  }
}

TEST(Wal, ACorruptRecordBeforeTheTailStopsTheNode) {
  MemoryWal wal;
  ASSERT_TRUE(wal.append(rec(1, 20)).ok());
  ASSERT_TRUE(wal.append(rec(2, 20)).ok());
  wal.image()[10] ^= 0x01;  // inside the first payload
  auto records = wal.read_all();
  ASSERT_FALSE(records.ok());
  EXPECT_EQ(records.error().code, ErrorCode::kCorruption);
  EXPECT_NE(records.error().message.find("refusing to start"), std::string::npos);
}

TEST(Wal, AGarbledLastRecordIsATornWriteNotCorruption) {
  MemoryWal wal;
  ASSERT_TRUE(wal.append(rec(1, 20)).ok());
  ASSERT_TRUE(wal.append(rec(2, 20)).ok());
  wal.image().back() ^= 0x01;
  auto records = wal.read_all();
  ASSERT_TRUE(records.ok());
  EXPECT_EQ(records->size(), 1u);
}

TEST(Wal, CrashMidAppendFailsTheAppendAndRestartCutsTheTornTail) {
  MemoryWal wal;
  ASSERT_TRUE(wal.append(rec(1, 20)).ok());
  wal.crash_at_append(0, 13);
  EXPECT_FALSE(wal.append(rec(2, 20)).ok());
  EXPECT_TRUE(wal.crashed());
  wal.reset_crash();
  auto records = wal.read_all();
  ASSERT_TRUE(records.ok());
  EXPECT_EQ(records->size(), 1u);
  // Appends after the restart follow the intact prefix, so the log stays parseable.
  ASSERT_TRUE(wal.append(rec(3, 20)).ok());
  auto again = wal.read_all();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, (std::vector<Bytes>{rec(1, 20), rec(3, 20)}));
}

TEST(Wal, TruncateDropsEverything) {
  MemoryWal wal;
  ASSERT_TRUE(wal.append(rec(1, 5)).ok());
  ASSERT_TRUE(wal.truncate().ok());
  EXPECT_TRUE(wal.read_all()->empty());
}

}  // namespace
}  // namespace joet::consensus
