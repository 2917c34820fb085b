#include "client-sdk/ledger_snapshot.h"

#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "ledger/hash.h"
#include "ledger/kv_store.h"
#include "ledger/testing/temp_dir.h"

namespace joet {
namespace {

namespace fs = std::filesystem;

// name -> SHA-256 of the bytes, for every file of `dir`.
std::map<std::string, std::string> fingerprint(const fs::path& dir) {
  std::map<std::string, std::string> out;
  for (const auto& entry : fs::directory_iterator(dir)) {
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    const std::string s = bytes.str();
    out[entry.path().filename().string()] = to_hex(sha256(as_bytes(s)));
  }
  return out;
}

// A ledger as a stopped node leaves it: tables on disk, and recent writes only in its log.
fs::path make_ledger(const testing::TempDir& dir) {
  const fs::path path = dir.path() / "ledger";
  auto kv = LevelDbKvStore::open(path.string(), {.create_if_missing = true});
  EXPECT_TRUE(kv.ok());
  for (int round = 0; round < 3; ++round) {
    WriteBatch batch;
    for (int i = 0; i < 2000; ++i) batch.put(as_bytes("k" + std::to_string(round) + "-" + std::to_string(i)), Bytes(200, static_cast<uint8_t>(i)));
    EXPECT_TRUE((*kv)->write(batch, true).ok());
  }
  return path;
}

TEST(LedgerSnapshot, OpeningTheCopyReadsEverythingAndTheLedgerKeepsEveryByte) {
  testing::TempDir dir("snapshot");
  const fs::path ledger = make_ledger(dir);
  const auto before = fingerprint(ledger);
  std::string copy_dir;
  {
    auto snap = LedgerSnapshot::take(ledger.string());
    ASSERT_TRUE(snap.ok()) << snap.error().to_string();
    copy_dir = (*snap)->dir();
    EXPECT_NE(copy_dir, ledger.string());
    auto kv = LevelDbKvStore::open(copy_dir, {});  // LevelDB recovers its log here, in the copy
    ASSERT_TRUE(kv.ok()) << kv.error().to_string();
    auto v = (*kv)->get(as_bytes("k2-1999"));
    ASSERT_TRUE(v.ok() && v->has_value());
    EXPECT_EQ(**v, Bytes(200, static_cast<uint8_t>(1999)));
    WriteBatch batch;  // even a write to the copy leaves the ledger alone
    batch.put(as_bytes("audit"), as_bytes("scratch"));
    ASSERT_TRUE((*kv)->write(batch, true).ok());
  }
  EXPECT_FALSE(fs::exists(copy_dir)) << "the copy outlived its snapshot";
  EXPECT_EQ(fingerprint(ledger), before);
}

TEST(LedgerSnapshot, IsRefusedWhileANodeHasTheLedgerOpen) {
  testing::TempDir dir("snapshot-busy");
  const fs::path ledger = make_ledger(dir);
  int ready[2], done[2];
  ASSERT_EQ(::pipe(ready), 0);
  ASSERT_EQ(::pipe(done), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {  // the "node": holds the ledger open until told to stop
    auto kv = LevelDbKvStore::open(ledger.string(), {});
    const char c = kv.ok() ? 'y' : 'n';
    (void)!::write(ready[1], &c, 1);
    char stop;
    (void)!::read(done[0], &stop, 1);
    ::_exit(0);
  }
  char c = 0;
  ASSERT_EQ(::read(ready[0], &c, 1), 1);
  ASSERT_EQ(c, 'y');
  auto snap = LedgerSnapshot::take(ledger.string());
  EXPECT_FALSE(snap.ok());
  if (!snap.ok()) {
    EXPECT_EQ(snap.error().code, ErrorCode::kConflict) << snap.error().to_string();
  }
  (void)!::write(done[1], "x", 1);
  int status = 0;
  ::waitpid(child, &status, 0);
  auto after = LedgerSnapshot::take(ledger.string());  // the node stopped
  EXPECT_TRUE(after.ok()) << after.error().to_string();
}

TEST(LedgerSnapshot, ADirectoryWithoutALedgerIsNotFound) {
  testing::TempDir dir("snapshot-empty");
  auto snap = LedgerSnapshot::take(dir.path().string());
  ASSERT_FALSE(snap.ok());
  EXPECT_EQ(snap.error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace joet
