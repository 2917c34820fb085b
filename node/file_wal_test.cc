#include "node/file_wal.h"

#include <fcntl.h>
#include <grp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <iterator>

#include <gtest/gtest.h>

#include "ledger/hash.h"
#include "ledger/testing/temp_dir.h"

namespace joet {
namespace {

Bytes bytes(std::string_view s) { return Bytes(s.begin(), s.end()); }

Bytes read_file(const std::string& path) { return testing::read_file_bytes(path); }
void write_file(const std::string& path, const Bytes& data) { testing::write_file_bytes(path, data); }

// Records of different sizes, the empty one too.
std::vector<Bytes> sample_records() {
  return {bytes("prevote h7 r0"), Bytes{}, Bytes(1, 0x5a), Bytes(12, 0x33), Bytes(100, 0xc4), Bytes(300, 0x71)};
}

// Writes sample_records() into `path` with FileWal::append and returns them.
std::vector<Bytes> write_sample_log(const std::string& path) {
  const std::vector<Bytes> records = sample_records();
  auto wal = FileWal::open(path).value();
  for (const Bytes& r : records) EXPECT_TRUE(wal->append(r).ok());
  return records;
}

// The byte offset of the frame of records[i] in the file.
size_t offset_of(const std::vector<Bytes>& records, size_t i) {
  size_t at = 0;
  for (size_t k = 0; k < i; ++k) at += consensus::kWalFrameHeaderBytes + records[k].size();
  return at;
}

std::vector<Bytes> first(const std::vector<Bytes>& records, size_t n) {
  return std::vector<Bytes>(records.begin(), records.begin() + static_cast<std::ptrdiff_t>(n));
}

// Runs `check` as an unprivileged user, so directory modes apply: as root (which ignores them), in a
// forked child that becomes nobody (uid and gid 65534) and owns `dir`.
void expect_as_unprivileged(const std::string& dir, const std::function<bool()>& check) {
  if (::geteuid() != 0) {
    EXPECT_TRUE(check());
    return;
  }
  ASSERT_EQ(::chown(dir.c_str(), 65534, 65534), 0);
  EXPECT_EXIT(
      {
        if (::setgroups(0, nullptr) != 0 || ::setgid(65534) != 0 || ::setuid(65534) != 0) {
          std::cerr << "cannot drop root privileges\n";
          std::_Exit(2);
        }
        std::_Exit(check() ? 0 : 1);
      },
      ::testing::ExitedWithCode(0), "");
}

TEST(FileWal, RecordsSurviveReopeningInOrder) {
  testing::TempDir dir("file_wal");
  const std::string path = (dir.path() / "wal").string();
  {
    auto wal = FileWal::open(path).value();
    ASSERT_TRUE(wal->append(bytes("vote 1")).ok());
    ASSERT_TRUE(wal->append(bytes("vote 2")).ok());
  }
  auto wal = FileWal::open(path).value();
  auto records = wal->read_all();
  ASSERT_TRUE(records.ok());
  EXPECT_EQ(*records, (std::vector<Bytes>{bytes("vote 1"), bytes("vote 2")}));
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

// A crash in the middle of an append leaves part of a frame at the end: it is dropped, the file is cut
// there, and the next append follows the last intact record.
TEST(FileWal, ATornTailIsCutAndAppendsContinueAfterTheLastIntactRecord) {
  testing::TempDir dir("file_wal");
  const std::string path = (dir.path() / "wal").string();
  {
    auto wal = FileWal::open(path).value();
    ASSERT_TRUE(wal->append(bytes("precommit h5")).ok());
  }
  const size_t intact = read_file(path).size();
  Bytes torn = read_file(path);
  const Bytes next = consensus::frame_wal_record(bytes("prevote h6"));
  torn.insert(torn.end(), next.begin(), next.begin() + 5);
  write_file(path, torn);
  auto wal = FileWal::open(path).value();
  EXPECT_EQ(wal->read_all().value(), std::vector<Bytes>{bytes("precommit h5")});
  EXPECT_EQ(read_file(path).size(), intact);
  ASSERT_TRUE(wal->append(bytes("prevote h6 again")).ok());
  EXPECT_EQ(wal->read_all().value(), (std::vector<Bytes>{bytes("precommit h5"), bytes("prevote h6 again")}));
}

TEST(FileWal, CorruptionBeforeTheTailStopsTheNodeNamingTheFile) {
  testing::TempDir dir("file_wal");
  const std::string path = (dir.path() / "wal").string();
  {
    auto wal = FileWal::open(path).value();
    ASSERT_TRUE(wal->append(bytes("first")).ok());
    ASSERT_TRUE(wal->append(bytes("second")).ok());
  }
  Bytes image = read_file(path);
  image[consensus::kWalFrameHeaderBytes + 1] ^= 0x01;  // inside the first record's payload: a record follows
  write_file(path, image);
  auto wal = FileWal::open(path).value();
  auto records = wal->read_all();
  ASSERT_FALSE(records.ok());
  EXPECT_EQ(records.error().code, ErrorCode::kCorruption);
  EXPECT_NE(records.error().message.find(path), std::string::npos);
  EXPECT_NE(records.error().message.find("at byte 0 "), std::string::npos) << records.error().message;
  EXPECT_EQ(read_file(path), image) << "a corrupt log is left as it is, for inspection";
}

// A damaged byte anywhere, the last acknowledged record included, stops the node: never a shorter list.
TEST(FileWal, FlippingAnyByteOfTheFileIsCorruptionNamingTheFileAndOffsetAndLeavesTheFileAlone) {
  testing::TempDir dir("file_wal");
  const std::string path = (dir.path() / "wal").string();
  const std::vector<Bytes> records = write_sample_log(path);
  const Bytes good = read_file(path);
  ASSERT_EQ(good.size(), offset_of(records, records.size()));
  for (size_t at = 0; at < good.size(); ++at) {
    size_t frame = 0;
    while (frame + 1 < records.size() && offset_of(records, frame + 1) <= at) ++frame;
    for (uint8_t mask : {uint8_t{0x01}, uint8_t{0x80}, uint8_t{0xff}}) {
      SCOPED_TRACE("byte " + std::to_string(at) + " mask " + std::to_string(mask));
      Bytes image = good;
      image[at] ^= mask;
      write_file(path, image);
      auto read = FileWal::open(path).value()->read_all();
      ASSERT_FALSE(read.ok()) << read.value().size() << " records";
      EXPECT_EQ(read.error().code, ErrorCode::kCorruption);
      EXPECT_NE(read.error().message.find(path), std::string::npos) << read.error().message;
      EXPECT_NE(read.error().message.find("at byte " + std::to_string(offset_of(records, frame)) + " "),
                std::string::npos)
          << read.error().message;
      EXPECT_EQ(read_file(path), image) << "a corrupt log is never cut";
    }
  }
}

TEST(FileWal, ACutAtEveryOffsetKeepsTheWholeRecordsBeforeItCutsTheFileThereAndAppendsFollowThem) {
  testing::TempDir dir("file_wal");
  const std::string path = (dir.path() / "wal").string();
  const std::vector<Bytes> records = write_sample_log(path);
  const Bytes good = read_file(path);
  for (size_t cut = 0; cut <= good.size(); ++cut) {
    SCOPED_TRACE("cut at " + std::to_string(cut));
    size_t whole = 0;
    while (whole < records.size() && offset_of(records, whole + 1) <= cut) ++whole;
    write_file(path, Bytes(good.begin(), good.begin() + static_cast<std::ptrdiff_t>(cut)));
    auto wal = FileWal::open(path).value();
    auto read = wal->read_all();
    ASSERT_TRUE(read.ok()) << read.error().message;
    EXPECT_EQ(*read, first(records, whole));
    const auto kept_bytes = static_cast<std::ptrdiff_t>(offset_of(records, whole));
    EXPECT_EQ(read_file(path), Bytes(good.begin(), good.begin() + kept_bytes)) << "cut after the last whole record";
    ASSERT_TRUE(wal->append(bytes("after the restart")).ok());
    std::vector<Bytes> expected = first(records, whole);
    expected.push_back(bytes("after the restart"));
    EXPECT_EQ(FileWal::open(path).value()->read_all().value(), expected);
  }
}

// The file grew (its size is on disk) but the data never landed: zeros where a frame should be.
TEST(FileWal, AZeroFilledTailOfAnyLengthIsCutAsATornTail) {
  testing::TempDir dir("file_wal");
  const std::string path = (dir.path() / "wal").string();
  const std::vector<Bytes> records = write_sample_log(path);
  const Bytes good = read_file(path);
  for (size_t zeros : {size_t{1}, size_t{11}, size_t{12}, size_t{13}, size_t{312}, size_t{4096}}) {
    SCOPED_TRACE(std::to_string(zeros) + " zeros");
    Bytes image = good;
    image.resize(good.size() + zeros, 0);
    write_file(path, image);
    auto read = FileWal::open(path).value()->read_all();
    ASSERT_TRUE(read.ok()) << read.error().message;
    EXPECT_EQ(*read, records);
    EXPECT_EQ(read_file(path), good);
  }
}

TEST(FileWal, AZeroedLastFrameIsCutAsATornTailWithOrWithoutZerosAfterIt) {
  testing::TempDir dir("file_wal");
  const std::string path = (dir.path() / "wal").string();
  const std::vector<Bytes> records = write_sample_log(path);
  const Bytes good = read_file(path);
  const size_t last = offset_of(records, records.size() - 1);
  for (size_t extra : {size_t{0}, size_t{5}, size_t{12}, size_t{1000}}) {
    SCOPED_TRACE(std::to_string(extra) + " more zeros");
    Bytes image = good;
    std::fill(image.begin() + static_cast<std::ptrdiff_t>(last), image.end(), 0);
    image.resize(image.size() + extra, 0);
    write_file(path, image);
    auto wal = FileWal::open(path).value();
    auto read = wal->read_all();
    ASSERT_TRUE(read.ok()) << read.error().message;
    EXPECT_EQ(*read, first(records, records.size() - 1));
    EXPECT_EQ(read_file(path), Bytes(good.begin(), good.begin() + static_cast<std::ptrdiff_t>(last)));
    ASSERT_TRUE(wal->append(bytes("re-signed after the restart")).ok());
    std::vector<Bytes> expected = first(records, records.size() - 1);
    expected.push_back(bytes("re-signed after the restart"));
    EXPECT_EQ(wal->read_all().value(), expected);
  }
}

TEST(FileWal, TruncateEmptiesTheLogDurably) {
  testing::TempDir dir("file_wal");
  const std::string path = (dir.path() / "wal").string();
  auto wal = FileWal::open(path).value();
  ASSERT_TRUE(wal->append(bytes("old height")).ok());
  ASSERT_TRUE(wal->truncate().ok());
  EXPECT_TRUE(read_file(path).empty());
  ASSERT_TRUE(wal->append(bytes("new height")).ok());
  EXPECT_EQ(FileWal::open(path).value()->read_all().value(), std::vector<Bytes>{bytes("new height")});
}

TEST(FileWal, ATruncateAfterTruncateKeepsTheLogEmptyAndAnAppendAfterItIsKeptAndCutNextTime) {
  testing::TempDir dir("file_wal");
  const std::string path = (dir.path() / "wal").string();
  write_file(path, {});
  auto wal = FileWal::open(path).value();
  ASSERT_TRUE(wal->append(bytes("h1 vote")).ok());
  ASSERT_TRUE(wal->truncate().ok());
  ASSERT_TRUE(wal->truncate().ok());  // nothing appended since: no work, still empty
  EXPECT_TRUE(read_file(path).empty());
  ASSERT_TRUE(wal->append(bytes("h3 vote")).ok());
  EXPECT_EQ(FileWal::open(path).value()->read_all().value(), std::vector<Bytes>{bytes("h3 vote")});
  ASSERT_TRUE(wal->truncate().ok());  // the append cleared the "empty" mark: this one truncates
  EXPECT_TRUE(read_file(path).empty());
}

TEST(FileWal, AFreshlyOpenedLogIsTruncatedEvenIfItWasNeverWrittenByThisObject) {
  testing::TempDir dir("file_wal");
  const std::string path = (dir.path() / "wal").string();
  ASSERT_TRUE(FileWal::open(path).value()->append(bytes("before the restart")).ok());
  auto wal = FileWal::open(path).value();
  ASSERT_TRUE(wal->truncate().ok());
  EXPECT_TRUE(read_file(path).empty());
}

TEST(FileWal, OpenCreatesAnEmptyFileWithMode0600BeforeAnyAppend) {
  testing::TempDir dir("file_wal");
  const std::string path = (dir.path() / "wal").string();
  ASSERT_FALSE(std::filesystem::exists(path));
  auto wal = FileWal::open(path);
  ASSERT_TRUE(wal.ok()) << wal.error().message;
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_TRUE(S_ISREG(st.st_mode));
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(st.st_size, 0);
  EXPECT_TRUE(wal.value()->read_all().value().empty());
  // Opening it again finds the same file (no second create).
  ASSERT_TRUE(wal.value()->append(bytes("vote")).ok());
  EXPECT_EQ(FileWal::open(path).value()->read_all().value(), std::vector<Bytes>{bytes("vote")});
}

TEST(FileWal, ARelativePathIsCreatedAndItsDirectorySynced) {
  testing::TempDir dir("file_wal");
  const auto cwd = std::filesystem::current_path();
  std::filesystem::current_path(dir.path());
  auto wal = FileWal::open("wal");
  std::filesystem::current_path(cwd);
  ASSERT_TRUE(wal.ok()) << wal.error().message;
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "wal"));
}

TEST(FileWal, AnUnopenablePathIsAnIoErrorNamingIt) {
  auto wal = FileWal::open("/nonexistent-dir/wal");
  ASSERT_FALSE(wal.ok());
  EXPECT_EQ(wal.error().code, ErrorCode::kIoError);
  EXPECT_NE(wal.error().message.find("/nonexistent-dir/wal"), std::string::npos);
}

TEST(FileWal, APathUnderARegularFileIsAnIoErrorNamingIt) {
  testing::TempDir dir("file_wal");
  const std::string file = (dir.path() / "not-a-dir").string();
  write_file(file, bytes("x"));
  const std::string path = file + "/wal";
  auto wal = FileWal::open(path);
  ASSERT_FALSE(wal.ok());
  EXPECT_EQ(wal.error().code, ErrorCode::kIoError);
  EXPECT_NE(wal.error().message.find(path), std::string::npos) << wal.error().message;
}

TEST(FileWal, AnUnwritableDirectoryIsAnIoErrorNamingThePath) {
  testing::TempDir dir("file_wal");
  const std::string locked = (dir.path() / "locked").string();
  std::filesystem::create_directory(locked);
  const std::string path = locked + "/wal";
  ASSERT_EQ(::chmod(locked.c_str(), 0500), 0);
  expect_as_unprivileged(locked, [&] {
    auto wal = FileWal::open(path);
    if (wal.ok()) return false;
    std::cerr << wal.error().message << "\n";
    return wal.error().code == ErrorCode::kIoError && wal.error().message.find(path) != std::string::npos &&
           !std::filesystem::exists(path);
  });
  ASSERT_EQ(::chmod(locked.c_str(), 0700), 0);
}

// Write and search permission but no read: the file can be created, its directory cannot be opened
// to be synced. The open fails naming the directory, and the file it created is gone again, so the
// next open creates it and syncs once more.
TEST(FileWal, ADirectoryThatCannotBeSyncedFailsTheOpenNamingItAndLeavesNoFile) {
  testing::TempDir dir("file_wal");
  const std::string unreadable = (dir.path() / "unreadable").string();
  std::filesystem::create_directory(unreadable);
  const std::string path = unreadable + "/wal";
  ASSERT_EQ(::chmod(unreadable.c_str(), 0300), 0);
  expect_as_unprivileged(unreadable, [&] {
    auto wal = FileWal::open(path);
    if (wal.ok()) return false;
    std::cerr << wal.error().message << "\n";
    const std::string& message = wal.error().message;
    return wal.error().code == ErrorCode::kIoError && message.find(path) != std::string::npos &&
           message.find("directory " + unreadable + ":") != std::string::npos && ::access(path.c_str(), F_OK) != 0;
  });
  ASSERT_EQ(::chmod(unreadable.c_str(), 0700), 0);
  EXPECT_FALSE(std::filesystem::exists(path));
  // Readable again: the open creates the file and succeeds.
  EXPECT_TRUE(FileWal::open(path).ok());
}

}  // namespace
}  // namespace joet

namespace joet {
namespace {

// The frame an earlier version wrote (format 1): u32 length | first 4 bytes of SHA-256(payload) | payload.
Bytes format1_log(const std::vector<Bytes>& records) {
  Bytes out;
  for (const Bytes& r : records) {
    const uint32_t n = static_cast<uint32_t>(r.size());
    for (int i = 3; i >= 0; --i) out.push_back(static_cast<uint8_t>(n >> (8 * i)));
    const Hash32 h = sha256(r);
    out.insert(out.end(), h.begin(), h.begin() + 4);
    out.insert(out.end(), r.begin(), r.end());
  }
  return out;
}

TEST(FileWal, ALogOfTheEarlierFormatIsReadAndRewrittenInThisFormatSoNoSignatureIsForgotten) {
  testing::TempDir dir("file_wal");
  const std::string path = (dir.path() / "wal").string();
  const std::vector<Bytes> records = {bytes("prevote h9 r0"), bytes("lock h9 r1"), bytes("precommit h9 r1")};
  write_file(path, format1_log(records));
  {
    auto wal = FileWal::open(path).value();
    auto read = wal->read_all();
    ASSERT_TRUE(read.ok()) << read.error().to_string();
    EXPECT_EQ(*read, records);
    ASSERT_TRUE(wal->append(bytes("prevote h9 r2")).ok());
  }
  EXPECT_EQ(read_file(path), consensus::frame_wal_records({records[0], records[1], records[2], bytes("prevote h9 r2")}));
  EXPECT_FALSE(std::filesystem::exists(path + ".rewrite"));
  auto again = FileWal::open(path).value()->read_all();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->size(), 4u);
}

TEST(FileWal, AnEarlierFormatLogWithADamagedFrameIsStillCorruption) {
  testing::TempDir dir("file_wal");
  const std::string path = (dir.path() / "wal").string();
  Bytes log = format1_log({bytes("prevote h9 r0"), bytes("precommit h9 r0")});
  log[10] ^= 0x01;  // inside the first payload
  write_file(path, log);
  auto read = FileWal::open(path).value()->read_all();
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.error().code, ErrorCode::kCorruption);
  EXPECT_EQ(read_file(path), log);
}

}  // namespace
}  // namespace joet
