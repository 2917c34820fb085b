#include "ledger/block_store.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "ledger/block.h"
#include "ledger/codec.h"
#include "ledger/hash.h"
#include "ledger/merkle.h"
#include "ledger/testing/temp_dir.h"
#include "ledger/testing/test_chain.h"

namespace joet {
namespace {

namespace fs = std::filesystem;

using testing::TempDir;

std::vector<v1::SignedTx> some_txs(size_t n, uint64_t first_nonce) {
  auto signer = PrivateKey::from_test_seed("gi-utrecht");
  std::vector<v1::SignedTx> txs;
  for (size_t i = 0; i < n; ++i) txs.push_back(testing::make_signed_tx(signer, first_nonce + i, 40));
  return txs;
}

TEST(BlockStore, EmptyStoreHasHeightZero) {
  MemoryKvStore kv;
  auto store = BlockStore::open(kv, "mem");
  ASSERT_TRUE(store.ok());
  EXPECT_EQ((*store)->tip().height, 0u);
  EXPECT_EQ((*store)->block_at(1).error().code, ErrorCode::kNotFound);
}

TEST(BlockStore, CommitsIndexesByHeightHashAndTx) {
  MemoryKvStore kv;
  auto store = std::move(BlockStore::open(kv, "mem")).value();
  testing::TestChain chain;
  auto txs = some_txs(3, 1);
  auto c1 = chain.next(txs);
  ASSERT_TRUE(store->commit(c1.block, c1.commit, {}).ok());
  auto c2 = chain.next({});
  ASSERT_TRUE(store->commit(c2.block, c2.commit, {}).ok());

  EXPECT_EQ(store->tip().height, 2u);
  EXPECT_EQ(store->tip().block_hash, block_hash(c2.block));
  EXPECT_EQ(store->block_at(1)->block().SerializeAsString(), c1.block.SerializeAsString());
  EXPECT_EQ(**store->height_of(block_hash(c1.block)), 1u);
  auto loc = store->find_tx(tx_id(txs[2]));
  ASSERT_TRUE(loc.ok() && loc->has_value());
  EXPECT_EQ((*loc)->height, 1u);
  EXPECT_EQ((*loc)->index, 2u);
  EXPECT_FALSE(store->find_tx(sha256("nope"))->has_value());
}

TEST(BlockStore, StateChangesLandInTheSameBatchAsTheBlock) {
  MemoryKvStore kv;
  auto store = std::move(BlockStore::open(kv, "mem")).value();
  testing::TestChain chain;
  auto c1 = chain.next({});
  WriteBatch state;
  state.put(as_bytes("s/case-1"), as_bytes("OTS running"));
  ASSERT_TRUE(store->commit(c1.block, c1.commit, state).ok());
  kv.crash();  // a synced commit survives a crash, state included
  EXPECT_EQ(to_string(**kv.get(as_bytes("s/case-1"))), "OTS running");
}

TEST(BlockStore, RefusesBlocksThatDoNotExtendTheTip) {
  MemoryKvStore kv;
  auto store = std::move(BlockStore::open(kv, "mem")).value();
  testing::TestChain chain;
  auto c1 = chain.next({});
  auto c2 = chain.next({});
  EXPECT_EQ(store->commit(c2.block, c2.commit, {}).error().code, ErrorCode::kConflict);  // gap
  ASSERT_TRUE(store->commit(c1.block, c1.commit, {}).ok());
  EXPECT_EQ(store->commit(c1.block, c1.commit, {}).error().code, ErrorCode::kConflict);  // again

  testing::TestChain fork;  // another chain: height 2 of it links to another height 1
  fork.next(some_txs(1, 100));
  auto f2 = fork.next({});
  EXPECT_EQ(store->commit(f2.block, f2.commit, {}).error().code, ErrorCode::kConflict);
  EXPECT_EQ(store->tip().height, 1u);
}

TEST(BlockStore, RefusesACertificateForAnotherBlockAndChangesNothing) {
  MemoryKvStore kv;
  auto store = std::move(BlockStore::open(kv, "mem")).value();
  testing::TestChain chain, other;
  auto c1 = chain.next({});
  auto o1 = other.next(some_txs(1, 7));
  size_t before = kv.size();
  Status s = store->commit(c1.block, o1.commit, {});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(kv.size(), before);
  EXPECT_EQ(store->tip().height, 0u);
}

TEST(BlockStore, ReopenGivesExactlyTheLastCommittedBlockOnLevelDb) {
  TempDir dir("block_store");
  testing::TestChain chain;
  std::string last_block;
  {
    auto kv = std::move(LevelDbKvStore::open(dir.str(), {.create_if_missing = true})).value();
    auto store = std::move(BlockStore::open(*kv, dir.str())).value();
    for (int h = 1; h <= 20; ++h) {
      auto c = chain.next(some_txs(5, static_cast<uint64_t>(h) * 10));
      ASSERT_TRUE(store->commit(c.block, c.commit, {}).ok());
      last_block = c.block.SerializeAsString();
    }
  }
  auto kv = LevelDbKvStore::open(dir.str(), {});
  ASSERT_TRUE(kv.ok()) << kv.error().to_string();
  auto store = BlockStore::open(**kv, dir.str());
  ASSERT_TRUE(store.ok()) << store.error().to_string();
  EXPECT_EQ((*store)->tip().height, 20u);
  EXPECT_EQ((*store)->block_at(20)->block().SerializeAsString(), last_block);
  auto next = chain.next({});
  EXPECT_TRUE((*store)->commit(next.block, next.commit, {}).ok());
}

TEST(BlockStore, UnsyncedGarbageAfterTheLastCommitIsNotMistakenForABlock) {
  MemoryKvStore kv;
  testing::TestChain chain;
  {
    auto store = std::move(BlockStore::open(kv, "mem")).value();
    auto c1 = chain.next({});
    ASSERT_TRUE(store->commit(c1.block, c1.commit, {}).ok());
  }
  WriteBatch torn;  // a write that never reached the disk
  auto c2 = chain.next({});
  torn.put(as_bytes("Mtip"), as_bytes("partial"));
  ASSERT_TRUE(kv.write(torn, /*sync=*/false).ok());
  kv.crash();
  auto store = BlockStore::open(kv, "mem");
  ASSERT_TRUE(store.ok());
  EXPECT_EQ((*store)->tip().height, 1u);
}

TEST(BlockStore, MissingDatabaseIsAnErrorNamingThePath) {
  TempDir dir("block_store");
  auto kv = LevelDbKvStore::open(dir.str(), {});
  ASSERT_FALSE(kv.ok());
  EXPECT_EQ(kv.error().code, ErrorCode::kNotFound);
  EXPECT_NE(kv.error().message.find(dir.str()), std::string::npos) << kv.error().message;
}

TEST(BlockStore, CorruptBlockRecordIsAnErrorNamingThePathNotAnEmptyChain) {
  TempDir dir("block_store");
  {
    auto kv = std::move(LevelDbKvStore::open(dir.str(), {.create_if_missing = true})).value();
    auto store = std::move(BlockStore::open(*kv, dir.str())).value();
    testing::TestChain chain;
    for (int h = 0; h < 3; ++h) {
      auto c = chain.next({});
      ASSERT_TRUE(store->commit(c.block, c.commit, {}).ok());
    }
    WriteBatch smash;  // the tip's record overwritten with junk (a bad disk, a bad tool)
    Bytes key{'B'};
    put_u64_be(key, 3);
    smash.put(key, as_bytes("\x0a\x03junk"));
    ASSERT_TRUE(kv->write(smash, true).ok());
  }
  auto kv = std::move(LevelDbKvStore::open(dir.str(), {})).value();
  auto store = BlockStore::open(*kv, dir.str());
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().code, ErrorCode::kCorruption);
  EXPECT_NE(store.error().message.find(dir.str()), std::string::npos) << store.error().message;
}

TEST(BlockStore, LostTipRecordIsCorruptionNotAnEmptyChain) {
  MemoryKvStore kv;
  {
    auto store = std::move(BlockStore::open(kv, "db-x")).value();
    testing::TestChain chain;
    auto c = chain.next({});
    ASSERT_TRUE(store->commit(c.block, c.commit, {}).ok());
  }
  WriteBatch lose;
  lose.del(as_bytes("Mtip"));
  ASSERT_TRUE(kv.write(lose, true).ok());
  auto store = BlockStore::open(kv, "db-x");
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().code, ErrorCode::kCorruption);
  EXPECT_NE(store.error().message.find("db-x"), std::string::npos);
}

TEST(BlockStore, DamagedLevelDbFilesGiveAnErrorNamingThePath) {
  TempDir dir("block_store");
  {
    auto kv = std::move(LevelDbKvStore::open(dir.str(), {.create_if_missing = true})).value();
    auto store = std::move(BlockStore::open(*kv, dir.str())).value();
    testing::TestChain chain;
    auto c = chain.next(some_txs(20, 1));
    ASSERT_TRUE(store->commit(c.block, c.commit, {}).ok());
  }
  // Overwrite the middle of every file but LOCK/LOG with junk: the write-ahead log and manifest fail
  // their CRCs, and LevelDB with paranoid checks refuses to open.
  for (const auto& entry : fs::directory_iterator(dir.path())) {
    const std::string name = entry.path().filename().string();
    if (name == "LOCK" || name.rfind("LOG", 0) == 0 || name == "CURRENT") continue;
    auto size = fs::file_size(entry.path());
    std::fstream f(entry.path(), std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(size / 2));
    std::string junk(std::min<uintmax_t>(64, size / 2), '\xA5');
    f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
  }
  auto kv = LevelDbKvStore::open(dir.str(), {});
  if (kv.ok()) {
    auto store = BlockStore::open(**kv, dir.str());
    ASSERT_FALSE(store.ok()) << "a damaged database opened as a healthy chain";
    EXPECT_NE(store.error().message.find(dir.str()), std::string::npos) << store.error().message;
  } else {
    EXPECT_NE(kv.error().message.find(dir.str()), std::string::npos) << kv.error().message;
  }
}

TEST(BlockStoreHistory, EveryOldBlockIsProvenAgainstALaterCertifiedHeader) {
  MemoryKvStore kv;
  auto store = std::move(BlockStore::open(kv, "mem")).value();
  testing::TestChain chain;
  std::vector<Hash32> hashes;
  for (int h = 1; h <= 37; ++h) {
    auto c = chain.next({});
    ASSERT_TRUE(store->commit(c.block, c.commit, {}).ok());
    hashes.push_back(block_hash(c.block));
  }
  // An auditor holding the certified header of height 30 proves each of blocks 1..29.
  auto h30 = std::move(store->header_at(30)).value();
  for (uint64_t h = 1; h <= 29; ++h) {
    auto proof = store->history_inclusion_proof(h, 29);
    ASSERT_TRUE(proof.ok()) << proof.error().to_string();
    std::vector<Bytes> path;
    for (const auto& x : proof->hashes()) path.push_back(to_bytes(x));
    EXPECT_TRUE(verify_inclusion(proof->leaf_index(), proof->tree_size(), leaf_hash(hashes[h - 1]), path,
                                 as_bytes(h30.history_root()))
                    .ok())
        << h;
    // The proof does not vouch for another block at that height.
    EXPECT_FALSE(verify_inclusion(proof->leaf_index(), proof->tree_size(), leaf_hash(hashes[h % 29]), path,
                                  as_bytes(h30.history_root()))
                     .ok());
  }
}

TEST(BlockStoreHistory, TwoCheckpointsAreProvenConsistent) {
  MemoryKvStore kv;
  auto store = std::move(BlockStore::open(kv, "mem")).value();
  testing::TestChain chain;
  for (int h = 1; h <= 20; ++h) {
    auto c = chain.next({});
    ASSERT_TRUE(store->commit(c.block, c.commit, {}).ok());
  }
  for (uint64_t a = 1; a <= 19; ++a) {
    auto proof = store->history_consistency_proof(a, 19);
    ASSERT_TRUE(proof.ok());
    std::vector<Bytes> hashes;
    for (const auto& x : proof->hashes()) hashes.push_back(to_bytes(x));
    auto old_header = std::move(store->header_at(a + 1)).value();
    auto new_header = std::move(store->header_at(20)).value();
    EXPECT_TRUE(verify_consistency(a, 19, hashes, as_bytes(old_header.history_root()), as_bytes(new_header.history_root())).ok()) << a;
  }
  EXPECT_EQ(store->history_inclusion_proof(21, 21).error().code, ErrorCode::kInvalidArgument);
}

TEST(BlockStoreHistory, RefusesAHeaderWhoseHistoryRootIsWrong) {
  MemoryKvStore kv;
  auto store = std::move(BlockStore::open(kv, "mem")).value();
  testing::TestChain chain, other;
  auto c1 = chain.next({});
  ASSERT_TRUE(store->commit(c1.block, c1.commit, {}).ok());
  // A forged height 2: right link, but a history root that leaves block 1 out.
  auto c2 = chain.next({});
  v1::BlockHeader h;
  ASSERT_TRUE(h.ParseFromString(c2.block.header()));
  h.set_history_root(to_string(merkle_root({})));
  c2.block.set_header(to_string(encode(h)));
  Status s = store->commit(c2.block, c2.commit, {});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kConflict);
}

TEST(BlockStoreHistory, HistorySurvivesReopen) {
  MemoryKvStore kv;
  testing::TestChain chain;
  Hash32 root;
  {
    auto store = std::move(BlockStore::open(kv, "mem")).value();
    for (int h = 1; h <= 5; ++h) {
      auto c = chain.next({});
      ASSERT_TRUE(store->commit(c.block, c.commit, {}).ok());
    }
    root = store->history_root();
  }
  auto store = std::move(BlockStore::open(kv, "mem")).value();
  EXPECT_EQ(store->history_root(), root);
  auto c6 = chain.next({});
  EXPECT_TRUE(store->commit(c6.block, c6.commit, {}).ok());
}

}  // namespace
}  // namespace joet
