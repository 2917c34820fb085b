#include "ledger/store_verify.h"

#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "ledger/testing/temp_dir.h"

namespace joet {
namespace {

namespace fs = std::filesystem;

// A store with a table file on disk (a reopen turns the log into one).
std::string make_store(const testing::TempDir& dir) {
  const std::string path = (dir.path() / "ledger").string();
  {
    auto kv = LevelDbKvStore::open(path, {.create_if_missing = true});
    EXPECT_TRUE(kv.ok());
    WriteBatch batch;
    for (int i = 0; i < 3000; ++i) batch.put(as_bytes("key-" + std::to_string(i)), Bytes(100, static_cast<uint8_t>(i)));
    EXPECT_TRUE((*kv)->write(batch, true).ok());
  }
  EXPECT_TRUE(LevelDbKvStore::open(path, {}).ok());
  return path;
}

std::string table_of(const std::string& path) {
  for (const auto& e : fs::directory_iterator(path)) {
    if (e.path().extension() == ".ldb") return e.path().string();
  }
  return "";
}

TEST(VerifyStore, ReadsEveryEntryOfAnIntactStore) {
  testing::TempDir dir("verify");
  const std::string path = make_store(dir);
  auto kv = LevelDbKvStore::open(path, {});
  ASSERT_TRUE(kv.ok());
  auto v = verify_store(**kv);
  ASSERT_TRUE(v.ok()) << v.error().to_string();
  EXPECT_EQ(v->entries, 3000u);
}

// A bit flipped inside a table's data (no read has reached it yet) is found at once, naming the file.
TEST(VerifyStore, AFlippedBitInATableIsCorruptionNamingTheFile) {
  testing::TempDir dir("verify-flip");
  const std::string path = make_store(dir);
  const std::string table = table_of(path);
  ASSERT_FALSE(table.empty());
  {
    std::fstream f(table, std::ios::in | std::ios::out | std::ios::binary);
    f.seekg(1000);
    char c = 0;
    f.get(c);
    f.seekp(1000);
    f.put(static_cast<char>(c ^ 0x10));
  }
  auto kv = LevelDbKvStore::open(path, {});  // the open does not notice
  ASSERT_TRUE(kv.ok()) << kv.error().to_string();
  auto v = verify_store(**kv);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().code, ErrorCode::kCorruption);
  EXPECT_NE(v.error().message.find(table), std::string::npos) << v.error().message;
}

}  // namespace
}  // namespace joet
