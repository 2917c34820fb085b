#include "ledger/kv_store.h"

#include <gtest/gtest.h>

#include "ledger/testing/temp_dir.h"
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

namespace joet {
namespace {

std::optional<Bytes> get_or_die(const KvReader& r, std::string_view key) {
  auto got = r.get(as_bytes(key));
  JOET_ASSERT(got.ok());
  return *got;
}

std::optional<Bytes> value(std::string_view v) { return std::optional<Bytes>(to_bytes(v)); }

WriteBatch batch_of(std::initializer_list<std::pair<std::string_view, std::optional<std::string_view>>> ops) {
  WriteBatch b;
  for (const auto& [k, v] : ops) {
    if (v) {
      b.put(as_bytes(k), as_bytes(*v));
    } else {
      b.del(as_bytes(k));
    }
  }
  return b;
}

std::vector<std::pair<Bytes, Bytes>> scan_all(const KvStore& store, ByteView begin, ByteView end, size_t limit = SIZE_MAX) {
  std::vector<std::pair<Bytes, Bytes>> out;
  Status s = store.scan(begin, end, [&](ByteView k, ByteView v) {
    out.emplace_back(Bytes(k.begin(), k.end()), Bytes(v.begin(), v.end()));
    return out.size() < limit;
  });
  JOET_ASSERT(s.ok());
  return out;
}

std::vector<Bytes> keys_of(const std::vector<std::pair<Bytes, Bytes>>& entries) {
  std::vector<Bytes> keys;
  for (const auto& e : entries) keys.push_back(e.first);
  return keys;
}

using testing::TempDir;

std::unique_ptr<LevelDbKvStore> open_or_die(const std::string& path, bool create) {
  LevelDbKvStore::Options options;
  options.create_if_missing = create;
  auto db = LevelDbKvStore::open(path, options);
  JOET_ASSERT(db.ok());
  return std::move(*db);
}

// ------------------------------------------------------------------ WriteBatch and OverlayReader

TEST(WriteBatch, LastWriteToAKeyWinsAndFindTellsDeleteFromUntouched) {
  WriteBatch b;
  b.put(as_bytes("a"), as_bytes("1"));
  b.del(as_bytes("a"));
  b.del(as_bytes("b"));
  b.put(as_bytes("b"), as_bytes("2"));
  EXPECT_EQ(b.size(), 2u);
  ASSERT_TRUE(b.find(as_bytes("a")).has_value());
  EXPECT_FALSE(b.find(as_bytes("a"))->has_value());  // deleted
  EXPECT_EQ(*b.find(as_bytes("b")), value("2"));
  EXPECT_FALSE(b.find(as_bytes("c")).has_value());  // untouched
  b.clear();
  EXPECT_TRUE(b.empty());
}

TEST(OverlayReader, SeesStagedPutsAndDeletesOverTheStore) {
  MemoryKvStore store;
  ASSERT_TRUE(store.write(batch_of({{"kept", "base"}, {"replaced", "base"}, {"deleted", "base"}}), false).ok());
  WriteBatch pending = batch_of({{"replaced", "new"}, {"deleted", std::nullopt}, {"added", "new"}});
  OverlayReader overlay(store, pending);
  EXPECT_EQ(get_or_die(overlay, "kept"), value("base"));
  EXPECT_EQ(get_or_die(overlay, "replaced"), value("new"));
  EXPECT_EQ(get_or_die(overlay, "deleted"), std::nullopt);
  EXPECT_EQ(get_or_die(overlay, "added"), value("new"));
  EXPECT_EQ(get_or_die(overlay, "never"), std::nullopt);
  // The store itself is untouched until the batch is written.
  EXPECT_EQ(get_or_die(store, "replaced"), value("base"));
  EXPECT_EQ(get_or_die(store, "added"), std::nullopt);
  // The overlay reads the batch live, so later staging shows through.
  pending.put(as_bytes("kept"), as_bytes("later"));
  EXPECT_EQ(get_or_die(overlay, "kept"), value("later"));
}

// ------------------------------------------------------------------ MemoryKvStore

TEST(MemoryKvStore, ReadsItsWritesAndDeletes) {
  MemoryKvStore store;
  EXPECT_EQ(get_or_die(store, "a"), std::nullopt);
  ASSERT_TRUE(store.write(batch_of({{"a", "1"}, {"b", "2"}}), false).ok());
  EXPECT_EQ(get_or_die(store, "a"), value("1"));
  ASSERT_TRUE(store.write(batch_of({{"a", std::nullopt}, {"b", "3"}, {"missing", std::nullopt}}), false).ok());
  EXPECT_EQ(get_or_die(store, "a"), std::nullopt);
  EXPECT_EQ(get_or_die(store, "b"), value("3"));
  EXPECT_EQ(store.size(), 1u);
}

TEST(MemoryKvStore, CrashLosesEveryWriteThatWasNotSynced) {
  MemoryKvStore store;
  ASSERT_TRUE(store.write(batch_of({{"durable", "1"}, {"doomed", "1"}}), true).ok());
  ASSERT_TRUE(store.write(batch_of({{"durable", "2"}, {"doomed", std::nullopt}, {"new", "x"}}), false).ok());
  EXPECT_EQ(get_or_die(store, "durable"), value("2"));
  EXPECT_EQ(get_or_die(store, "new"), value("x"));
  store.crash();
  EXPECT_EQ(get_or_die(store, "durable"), value("1"));
  EXPECT_EQ(get_or_die(store, "doomed"), value("1"));  // an unsynced delete is lost too
  EXPECT_EQ(get_or_die(store, "new"), std::nullopt);
  EXPECT_EQ(store.size(), 2u);
}

TEST(MemoryKvStore, ASyncedWriteMakesEarlierUnsyncedWritesDurableAsFsyncDoes) {
  MemoryKvStore store;
  ASSERT_TRUE(store.write(batch_of({{"early", "1"}}), false).ok());
  ASSERT_TRUE(store.write(batch_of({{"synced", "2"}}), true).ok());
  ASSERT_TRUE(store.write(batch_of({{"late", "3"}}), false).ok());
  store.crash();
  EXPECT_EQ(get_or_die(store, "early"), value("1"));
  EXPECT_EQ(get_or_die(store, "synced"), value("2"));
  EXPECT_EQ(get_or_die(store, "late"), std::nullopt);
  store.crash();  // a second crash changes nothing
  EXPECT_EQ(get_or_die(store, "early"), value("1"));
}

// ------------------------------------------------------------------ scan, for both stores

class KvStoreScan : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    if (GetParam()) {
      dir_ = std::make_unique<TempDir>("kv_scan");
      store_ = open_or_die(dir_->sub("db"), true);
    } else {
      store_ = std::make_unique<MemoryKvStore>();
    }
    WriteBatch b;
    for (const Bytes& k : keys_) b.put(k, k);
    JOET_ASSERT(store_->write(b, true).ok());
  }

  // Unsigned byte order: 0x80 and 0xff sort after ASCII, a prefix before its extensions.
  const std::vector<Bytes> keys_ = {Bytes{}, to_bytes("a"), to_bytes("a/1"), to_bytes("a/2"), to_bytes("a0"),
                                    to_bytes("b"), Bytes{'b', 0x00}, Bytes{0x80}, Bytes{0xff}, Bytes{0xff, 0xff}};
  std::unique_ptr<TempDir> dir_;
  std::unique_ptr<KvStore> store_;
};

TEST_P(KvStoreScan, VisitsEveryKeyInUnsignedByteOrder) {
  auto all = scan_all(*store_, ByteView(), ByteView());
  EXPECT_EQ(keys_of(all), keys_);
  for (const auto& [k, v] : all) EXPECT_EQ(k, v);
}

TEST_P(KvStoreScan, BeginIsInclusiveAndEndIsExclusive) {
  EXPECT_EQ(keys_of(scan_all(*store_, as_bytes("a/"), as_bytes("a0"))), (std::vector<Bytes>{to_bytes("a/1"), to_bytes("a/2")}));
  EXPECT_EQ(keys_of(scan_all(*store_, as_bytes("a"), as_bytes("a/2"))), (std::vector<Bytes>{to_bytes("a"), to_bytes("a/1")}));
  EXPECT_EQ(keys_of(scan_all(*store_, as_bytes("b"), Bytes{0xff})), (std::vector<Bytes>{to_bytes("b"), Bytes{'b', 0}, Bytes{0x80}}));
  EXPECT_EQ(keys_of(scan_all(*store_, Bytes{0x80}, ByteView())), (std::vector<Bytes>{Bytes{0x80}, Bytes{0xff}, Bytes{0xff, 0xff}}));
  EXPECT_TRUE(scan_all(*store_, as_bytes("c"), as_bytes("d")).empty());
  EXPECT_TRUE(scan_all(*store_, as_bytes("a/2"), as_bytes("a/2")).empty());
}

TEST_P(KvStoreScan, StopsWhenTheVisitorSaysSo) {
  EXPECT_EQ(keys_of(scan_all(*store_, as_bytes("a"), ByteView(), 2)), (std::vector<Bytes>{to_bytes("a"), to_bytes("a/1")}));
}

TEST_P(KvStoreScan, SeesDeletesAndOverwrites) {
  WriteBatch b;
  b.del(as_bytes("a/1"));
  b.put(as_bytes("a/2"), as_bytes("new"));
  ASSERT_TRUE(store_->write(b, false).ok());
  auto entries = scan_all(*store_, as_bytes("a/"), as_bytes("a0"));
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].first, to_bytes("a/2"));
  EXPECT_EQ(entries[0].second, to_bytes("new"));
}

INSTANTIATE_TEST_SUITE_P(MemoryAndLevelDb, KvStoreScan, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& param_info) { return param_info.param ? "LevelDb" : "Memory"; });

// ------------------------------------------------------------------ LevelDbKvStore

TEST(LevelDbKvStore, OpeningAMissingDatabaseIsNotFoundNamingThePath) {
  TempDir dir("kv_missing");
  const std::string path = dir.sub("nothing-here");
  auto db = LevelDbKvStore::open(path, LevelDbKvStore::Options{});
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.error().code, ErrorCode::kNotFound);
  EXPECT_NE(db.error().message.find(path), std::string::npos) << db.error().message;
  EXPECT_FALSE(std::filesystem::exists(path));  // and it did not create one
}

TEST(LevelDbKvStore, ReopenKeepsSyncedData) {
  TempDir dir("kv_reopen");
  const std::string path = dir.sub("db");
  {
    auto db = open_or_die(path, true);
    EXPECT_EQ(db->path(), path);
    ASSERT_TRUE(db->write(batch_of({{"a", "1"}, {"b", "2"}}), true).ok());
    ASSERT_TRUE(db->write(batch_of({{"a", std::nullopt}, {"c", "3"}}), true).ok());
  }
  auto db = open_or_die(path, false);
  EXPECT_EQ(get_or_die(*db, "a"), std::nullopt);
  EXPECT_EQ(get_or_die(*db, "b"), value("2"));
  EXPECT_EQ(get_or_die(*db, "c"), value("3"));
  EXPECT_EQ(keys_of(scan_all(*db, ByteView(), ByteView())), (std::vector<Bytes>{to_bytes("b"), to_bytes("c")}));
}

TEST(LevelDbKvStore, StoresBinaryKeysAndValuesExactly) {
  TempDir dir("kv_binary");
  auto db = open_or_die(dir.sub("db"), true);
  Bytes key{0x00, 0xff, 0x00, 0x7f};
  Bytes val(100000, 0);
  for (size_t i = 0; i < val.size(); ++i) val[i] = static_cast<uint8_t>(i * 31);
  WriteBatch b;
  b.put(key, val);
  b.put(Bytes{}, Bytes{});
  ASSERT_TRUE(db->write(b, false).ok());
  auto got = db->get(key);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(*got, std::optional<Bytes>(val));
  auto empty = db->get(Bytes{});
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(*empty, std::optional<Bytes>(Bytes{}));
}

TEST(LevelDbKvStore, ASecondOpenOfALockedDatabaseIsAnErrorNotACrash) {
  TempDir dir("kv_locked");
  const std::string path = dir.sub("db");
  auto first = open_or_die(path, true);
  auto second = LevelDbKvStore::open(path, LevelDbKvStore::Options{});
  ASSERT_FALSE(second.ok());
  EXPECT_NE(second.error().message.find(path), std::string::npos) << second.error().message;
}

TEST(LevelDbKvStore, ACorruptCurrentFileIsCorruptionNamingThePath) {
  TempDir dir("kv_corrupt");
  const std::string path = dir.sub("db");
  {
    auto db = open_or_die(path, true);
    ASSERT_TRUE(db->write(batch_of({{"a", "1"}}), true).ok());
  }
  {
    std::ofstream current(std::filesystem::path(path) / "CURRENT", std::ios::trunc);
    current << "no-such-manifest";  // no trailing newline: LevelDB calls this corruption
  }
  auto db = LevelDbKvStore::open(path, LevelDbKvStore::Options{});
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.error().code, ErrorCode::kCorruption);
  EXPECT_NE(db.error().message.find(path), std::string::npos) << db.error().message;
}

}  // namespace
}  // namespace joet
