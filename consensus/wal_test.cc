#include "consensus/wal.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <random>
#include <string>

#include "ledger/hash.h"

namespace joet::consensus {
namespace {

Bytes rec(uint8_t fill, size_t n) { return Bytes(n, fill); }

// Records of different sizes (the empty record too) with distinct contents.
std::vector<Bytes> sample_records() { return {rec(1, 10), rec(2, 0), rec(3, 1), rec(4, 300), rec(5, 12), rec(6, 45)}; }

Bytes log_of(const std::vector<Bytes>& records) {
  Bytes log;
  for (const Bytes& r : records) {
    const Bytes frame = frame_wal_record(r);
    log.insert(log.end(), frame.begin(), frame.end());
  }
  return log;
}

// The byte offset of the frame of records[i] in log_of(records).
size_t offset_of(const std::vector<Bytes>& records, size_t i) {
  size_t at = 0;
  for (size_t k = 0; k < i; ++k) at += kWalFrameHeaderBytes + records[k].size();
  return at;
}

// A header whose check verifies for any length, also one no writer would produce.
std::array<uint8_t, 8> verified_header(uint32_t n) {
  const std::array<uint8_t, 4> length = {static_cast<uint8_t>(n >> 24), static_cast<uint8_t>(n >> 16),
                                         static_cast<uint8_t>(n >> 8), static_cast<uint8_t>(n)};
  const Hash32 check = tagged_hash(kWalFrameHeaderTag, length);
  return {length[0], length[1], length[2], length[3], check[0], check[1], check[2], check[3]};
}

void expect_corruption_at(const Result<std::vector<Bytes>>& records, const std::string& name, size_t offset) {
  ASSERT_FALSE(records.ok()) << "expected corruption at byte " << offset << ", got " << records.value().size()
                             << " records";
  EXPECT_EQ(records.error().code, ErrorCode::kCorruption);
  const std::string& message = records.error().message;
  EXPECT_NE(message.find(name), std::string::npos) << message;
  EXPECT_NE(message.find("at byte " + std::to_string(offset) + " "), std::string::npos) << message;
  EXPECT_NE(message.find("refusing to start"), std::string::npos) << message;
}

TEST(Wal, RecordsReadBackInOrder) {
  MemoryWal wal;
  for (const Bytes& r : sample_records()) ASSERT_TRUE(wal.append(r).ok());
  auto all = wal.read_all();
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(*all, sample_records());
}

TEST(Wal, AFrameIsALengthAHeaderCheckAPayloadCheckAndThePayload) {
  const Bytes payload = rec(7, 300);
  const Bytes frame = frame_wal_record(payload);
  ASSERT_EQ(frame.size(), kWalFrameHeaderBytes + payload.size());
  EXPECT_EQ(Bytes(frame.begin(), frame.begin() + 4), (Bytes{0, 0, 1, 44}));  // 300, big-endian
  const Hash32 header = tagged_hash(kWalFrameHeaderTag, ByteView(frame).first(4));
  EXPECT_EQ(Bytes(frame.begin() + 4, frame.begin() + 8), Bytes(header.begin(), header.begin() + 4));
  const Hash32 body = tagged_hash(kWalFramePayloadTag, {ByteView(frame).first(4), ByteView(payload)});
  EXPECT_EQ(Bytes(frame.begin() + 8, frame.begin() + 12), Bytes(body.begin(), body.begin() + 4));
  EXPECT_EQ(Bytes(frame.begin() + 12, frame.end()), payload);
}

TEST(Wal, ATornTailIsDroppedAtEveryCutPointOfTheLog) {
  const std::vector<Bytes> records = sample_records();
  const Bytes full = log_of(records);
  for (size_t cut = 0; cut <= full.size(); ++cut) {
    size_t whole = 0;
    while (whole < records.size() && offset_of(records, whole + 1) <= cut) ++whole;
    size_t valid = 12345;
    auto parsed = parse_wal(ByteView(full).first(cut), "test", &valid);
    ASSERT_TRUE(parsed.ok()) << "cut at " << cut << ": " << parsed.error().message;
    EXPECT_EQ(*parsed, std::vector<Bytes>(records.begin(), records.begin() + static_cast<std::ptrdiff_t>(whole)))
        << cut;
    EXPECT_EQ(valid, offset_of(records, whole)) << cut;
  }
}

TEST(Wal, FlippingAnyBitOrByteOfTheLogIsCorruptionNamingTheRecordsOffset) {
  const std::vector<Bytes> records = sample_records();
  const Bytes full = log_of(records);
  for (size_t at = 0; at < full.size(); ++at) {
    size_t frame = 0;
    while (frame + 1 < records.size() && offset_of(records, frame + 1) <= at) ++frame;
    for (uint8_t mask : {0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80, 0xff}) {
      Bytes log = full;
      log[at] ^= mask;
      size_t valid = 12345;
      auto parsed = parse_wal(log, "wal-under-test", &valid);
      SCOPED_TRACE("byte " + std::to_string(at) + " mask " + std::to_string(mask));
      expect_corruption_at(parsed, "wal-under-test", offset_of(records, frame));
      EXPECT_EQ(valid, 12345u) << "valid_bytes is left alone on corruption";
    }
  }
}

// The reviewer's case: a larger length in the last, acknowledged record used to read as a torn tail.
TEST(Wal, ACorruptedLengthInTheLastRecordIsCorruptionNotATornTail) {
  MemoryWal wal;
  ASSERT_TRUE(wal.append(rec(1, 20)).ok());
  ASSERT_TRUE(wal.append(rec(2, 20)).ok());
  const size_t last = kWalFrameHeaderBytes + 20;
  wal.image()[last + 2] = 0x10;  // the length now reaches far past the end of the log
  const Bytes before = wal.image();
  expect_corruption_at(wal.read_all(), "memory", last);
  EXPECT_EQ(wal.image(), before) << "a corrupt log is never cut";
}

TEST(Wal, AFlippedBitInTheLastRecordsPayloadIsCorruptionNotATornTail) {
  MemoryWal wal;
  ASSERT_TRUE(wal.append(rec(1, 20)).ok());
  ASSERT_TRUE(wal.append(rec(2, 20)).ok());
  wal.image().back() ^= 0x01;
  const Bytes before = wal.image();
  expect_corruption_at(wal.read_all(), "memory", kWalFrameHeaderBytes + 20);
  EXPECT_EQ(wal.image(), before);
}

TEST(Wal, ACorruptRecordBeforeTheTailStopsTheNode) {
  MemoryWal wal;
  ASSERT_TRUE(wal.append(rec(1, 20)).ok());
  ASSERT_TRUE(wal.append(rec(2, 20)).ok());
  wal.image()[kWalFrameHeaderBytes + 3] ^= 0x01;  // inside the first payload
  const Bytes before = wal.image();
  expect_corruption_at(wal.read_all(), "memory", 0);
  EXPECT_EQ(wal.image(), before);
}

TEST(Wal, ALengthOverTheLimitWithAVerifiedHeaderIsCorruptionEvenAtTheTail) {
  for (uint32_t n : {static_cast<uint32_t>(kMaxWalRecordBytes + 1), 0xffffffffu}) {
    Bytes log = frame_wal_record(rec(1, 5));
    const auto header = verified_header(n);
    log.insert(log.end(), header.begin(), header.end());
    log.insert(log.end(), {0xaa, 0xbb, 0xcc, 0xdd, 0x01});  // a payload check and a byte: the file ends inside
    expect_corruption_at(parse_wal(log, "test", nullptr), "test", kWalFrameHeaderBytes + 5);
  }
}

TEST(Wal, AVerifiedHeaderWhoseFrameRunsPastTheEndIsATornTail) {
  Bytes log = frame_wal_record(rec(1, 5));
  const auto header = verified_header(1000);
  log.insert(log.end(), header.begin(), header.end());
  log.insert(log.end(), {0xaa, 0xbb, 0xcc, 0xdd, 0x01, 0x02});  // the payload check is not checked: the frame is cut
  size_t valid = 0;
  auto parsed = parse_wal(log, "test", &valid);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(*parsed, std::vector<Bytes>{rec(1, 5)});
  EXPECT_EQ(valid, kWalFrameHeaderBytes + 5);
}

TEST(Wal, AZeroFilledTailOfAnyLengthIsATornTail) {
  const std::vector<Bytes> records = sample_records();
  const Bytes full = log_of(records);
  for (size_t zeros : {1, 4, 8, 11, 12, 13, 24, 100, 4096}) {
    Bytes log = full;
    log.resize(full.size() + zeros, 0);
    size_t valid = 0;
    auto parsed = parse_wal(log, "test", &valid);
    ASSERT_TRUE(parsed.ok()) << zeros << ": " << parsed.error().message;
    EXPECT_EQ(*parsed, records) << zeros;
    EXPECT_EQ(valid, full.size()) << zeros;
  }
}

TEST(Wal, AZeroedLastFrameIsATornTailWithOrWithoutZerosAfterIt) {
  const std::vector<Bytes> records = sample_records();
  const size_t last = offset_of(records, records.size() - 1);
  for (size_t extra : {0, 3, 12, 500}) {
    Bytes log = log_of(records);
    std::fill(log.begin() + static_cast<std::ptrdiff_t>(last), log.end(), 0);
    log.resize(log.size() + extra, 0);
    size_t valid = 0;
    auto parsed = parse_wal(log, "test", &valid);
    ASSERT_TRUE(parsed.ok()) << extra << ": " << parsed.error().message;
    EXPECT_EQ(*parsed, std::vector<Bytes>(records.begin(), records.end() - 1)) << extra;
    EXPECT_EQ(valid, last) << extra;
  }
}

TEST(Wal, ZerosFollowedByAnythingButZerosAreCorruption) {
  const Bytes first = frame_wal_record(rec(1, 5));
  for (size_t zeros : {12, 13, 40}) {
    Bytes log = first;
    log.resize(first.size() + zeros, 0);
    log.push_back(0x01);
    expect_corruption_at(parse_wal(log, "test", nullptr), "test", first.size());
    // A whole record after the zeros: nothing torn can be followed by an intact record.
    Bytes with_record = first;
    with_record.resize(first.size() + zeros, 0);
    const Bytes next = frame_wal_record(rec(2, 5));
    with_record.insert(with_record.end(), next.begin(), next.end());
    expect_corruption_at(parse_wal(with_record, "test", nullptr), "test", first.size());
  }
}

TEST(Wal, ACrashAtEveryByteOfAnAppendKeepsTheEarlierRecordsAndRestartAppendsAfterThem) {
  const Bytes frame = frame_wal_record(rec(2, 20));
  for (size_t keep = 0; keep <= frame.size() + 1; ++keep) {
    MemoryWal wal;
    ASSERT_TRUE(wal.append(rec(1, 20)).ok());
    wal.crash_at_append(0, keep);
    EXPECT_FALSE(wal.append(rec(2, 20)).ok());
    EXPECT_TRUE(wal.crashed());
    wal.reset_crash();
    auto records = wal.read_all();
    ASSERT_TRUE(records.ok()) << keep << ": " << records.error().message;
    // The frame lands whole only when every byte of it was written.
    std::vector<Bytes> expected = {rec(1, 20)};
    if (keep >= frame.size()) expected.push_back(rec(2, 20));
    EXPECT_EQ(*records, expected) << keep;
    // Appends after the restart follow the intact prefix, so the log stays parseable.
    ASSERT_TRUE(wal.append(rec(3, 20)).ok());
    auto again = wal.read_all();
    ASSERT_TRUE(again.ok()) << keep;
    expected.push_back(rec(3, 20));
    EXPECT_EQ(*again, expected) << keep;
  }
}

// Random damage with fixed randomness: damage, cuts, zero tails and inserted bytes, several at once.
// The parser never crashes, and what it accepts is always a prefix of the records that were written,
// framed exactly as the intact prefix of the log: it never returns a record nobody appended.
TEST(Wal, ParsingARandomlyDamagedLogReturnsAPrefixOfTheWrittenRecordsOrCorruption) {
  const std::vector<Bytes> records = sample_records();
  const Bytes full = log_of(records);
  std::mt19937_64 rng(20240607);
  auto below = [&](size_t n) { return static_cast<size_t>(rng() % n); };
  size_t accepted = 0;
  size_t refused = 0;
  for (int iteration = 0; iteration < 20000; ++iteration) {
    SCOPED_TRACE("iteration " + std::to_string(iteration));
    Bytes log = full;
    const size_t damages = 1 + below(3);
    for (size_t d = 0; d < damages && !log.empty(); ++d) {
      switch (below(5)) {
        case 0:
          log[below(log.size())] ^= static_cast<uint8_t>(1u << below(8));
          break;
        case 1:
          log[below(log.size())] = static_cast<uint8_t>(rng());
          break;
        case 2:
          log.resize(below(log.size() + 1));
          break;
        case 3:
          std::fill(log.begin() + static_cast<std::ptrdiff_t>(below(log.size())), log.end(), 0);
          break;
        default: {
          Bytes noise(1 + below(20));
          for (uint8_t& b : noise) b = static_cast<uint8_t>(rng());
          log.insert(log.begin() + static_cast<std::ptrdiff_t>(below(log.size() + 1)), noise.begin(), noise.end());
          break;
        }
      }
    }
    size_t valid = 0;
    auto parsed = parse_wal(log, "fuzz", &valid);
    if (!parsed.ok()) {
      ASSERT_EQ(parsed.error().code, ErrorCode::kCorruption);
      ++refused;
      continue;
    }
    ++accepted;
    ASSERT_LE(parsed->size(), records.size());
    const auto kept = static_cast<std::ptrdiff_t>(parsed->size());
    ASSERT_EQ(*parsed, std::vector<Bytes>(records.begin(), records.begin() + kept));
    ASSERT_EQ(valid, offset_of(records, parsed->size()));
    ASSERT_TRUE(std::equal(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(valid), log.begin()));
  }
  EXPECT_GT(accepted, 1000u);  // both outcomes are exercised
  EXPECT_GT(refused, 1000u);
}

TEST(Wal, TruncateDropsEverything) {
  MemoryWal wal;
  ASSERT_TRUE(wal.append(rec(1, 5)).ok());
  ASSERT_TRUE(wal.truncate().ok());
  EXPECT_TRUE(wal.read_all()->empty());
}

}  // namespace
}  // namespace joet::consensus
