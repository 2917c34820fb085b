#include "node/file_wal.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <iterator>

#include <gtest/gtest.h>

#include "ledger/testing/temp_dir.h"

namespace joet {
namespace {

Bytes bytes(std::string_view s) { return Bytes(s.begin(), s.end()); }

Bytes read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void write_file(const std::string& path, const Bytes& data) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
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
  image[9] ^= 0x01;  // inside the first record's payload: its checksum fails, a record follows
  write_file(path, image);
  auto wal = FileWal::open(path).value();
  auto records = wal->read_all();
  ASSERT_FALSE(records.ok());
  EXPECT_EQ(records.error().code, ErrorCode::kCorruption);
  EXPECT_NE(records.error().message.find(path), std::string::npos);
  EXPECT_EQ(read_file(path), image) << "a corrupt log is left as it is, for inspection";
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

TEST(FileWal, AnUnopenablePathIsAnIoErrorNamingIt) {
  auto wal = FileWal::open("/nonexistent-dir/wal");
  ASSERT_FALSE(wal.ok());
  EXPECT_EQ(wal.error().code, ErrorCode::kIoError);
  EXPECT_NE(wal.error().message.find("/nonexistent-dir/wal"), std::string::npos);
}

}  // namespace
}  // namespace joet
