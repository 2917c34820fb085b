#include "node/state_root.h"

#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "contracts/contracts_test_support.h"

namespace joet {
namespace {

using Kv = std::vector<std::pair<std::string, std::string>>;

// Writes `puts` and `dels` as one block and returns the new state root.
Hash32 commit(MemoryKvStore& store, const Hash32& root, const Kv& puts, const std::vector<std::string>& dels = {}) {
  WriteBatch batch;
  for (const auto& [k, v] : puts) batch.put(as_bytes(k), as_bytes(v));
  for (const auto& k : dels) batch.del(as_bytes(k));
  auto next = commit_state(store, batch, root);
  JOET_ASSERT(next.ok());
  JOET_ASSERT(store.write(batch, false).ok());
  return *next;
}

// The root over the contract keys ("c/") of `store`, built from nothing in a fresh store.
Hash32 root_from_scratch(const KvStore& store) {
  std::vector<SmtChange> changes;
  const Bytes begin = to_bytes("c/");
  const Bytes end = to_bytes("c0");  // '0' follows '/'
  JOET_ASSERT(store
                  .scan(begin, end,
                        [&](ByteView k, ByteView v) {
                          changes.emplace_back(Bytes(k.begin(), k.end()), Bytes(v.begin(), v.end()));
                          return true;
                        })
                  .ok());
  MemoryKvStore fresh;
  WriteBatch nodes;
  auto root = state_tree().update(fresh, nodes, SparseMerkleTree::empty_root(), changes);
  JOET_ASSERT(root.ok());
  return *root;
}

TEST(StateRoot, EmptyBlockKeepsTheRoot) {
  MemoryKvStore store;
  const Hash32 r1 = commit(store, SparseMerkleTree::empty_root(), {{"c/a", "1"}});
  EXPECT_EQ(commit(store, r1, {}), r1);
  EXPECT_NE(r1, SparseMerkleTree::empty_root());
}

TEST(StateRoot, RootDependsOnlyOnTheFinalStateNotOnHowItWasReached) {
  MemoryKvStore a;
  Hash32 ra = commit(a, SparseMerkleTree::empty_root(), {{"c/a", "1"}, {"c/b", "2"}, {"c/c", "3"}});
  ra = commit(a, ra, {{"c/c", "4"}, {"c/d", "5"}}, {"c/b"});
  ra = commit(a, ra, {{"c/e", "6"}}, {"c/never-there"});

  MemoryKvStore b;  // the same final state in one block
  const Hash32 rb = commit(b, SparseMerkleTree::empty_root(), {{"c/e", "6"}, {"c/d", "5"}, {"c/c", "4"}, {"c/a", "1"}});

  MemoryKvStore c;  // one key per block, with a detour
  Hash32 rc = SparseMerkleTree::empty_root();
  for (const auto& kv : Kv{{"c/d", "x"}, {"c/a", "1"}, {"c/z", "gone"}, {"c/c", "4"}, {"c/d", "5"}, {"c/e", "6"}}) {
    rc = commit(c, rc, {kv});
  }
  rc = commit(c, rc, {}, {"c/z"});

  EXPECT_EQ(ra, rb);
  EXPECT_EQ(rb, rc);
  EXPECT_EQ(ra, root_from_scratch(a));
  EXPECT_EQ(rc, root_from_scratch(c));
}

TEST(StateRoot, DeletingEverythingGivesTheEmptyRoot) {
  MemoryKvStore store;
  Hash32 r = commit(store, SparseMerkleTree::empty_root(), {{"c/a", "1"}, {"c/b", "2"}});
  r = commit(store, r, {}, {"c/a", "c/b"});
  EXPECT_EQ(r, SparseMerkleTree::empty_root());
}

TEST(StateRoot, AfterRealBlocksEqualsTheRootComputedFromScratchOverTheContractState) {
  using namespace joet::testing;  // NOLINT
  Chain chain;  // genesis is written straight to the store: commit it from scratch first
  Hash32 root = root_from_scratch(chain.store);
  const std::vector<std::pair<int64_t, std::vector<v1::SignedTx>>> blocks = [&] {
    std::vector<std::pair<int64_t, std::vector<v1::SignedTx>>> out;
    out.push_back({utc_ms(2026, 3, 10, 9),
                   {chain.tx(kRvdk, "case.open",
                             {text("case", "case-001"), text("majority_date", "2035-01-01"),
                              text("municipality", std::string(kMunicipality))})}});
    out.push_back({utc_ms(2026, 3, 11, 9),
                   {chain.tx(kRvdk, "request.file",
                             {text("case", "case-001"), text("request", "req-ots"), text("kind", "OTS"),
                              hash_arg("document", "req-ots"), text("gi", std::string(kGi))})}});
    out.push_back({utc_ms(2026, 3, 15, 9),
                   {chain.tx(kCourt, "court.decide",
                             {text("case", "case-001"), text("request", "req-ots"), text("outcome", "GRANTED"),
                              text("start_date", "2026-03-15"), text("end_date", "2027-03-15")})}});
    out.push_back({utc_ms(2027, 3, 14, 23), {}});  // deadlines fire, the OTS lapses
    return out;
  }();
  MemoryKvStore tree_store;  // the executor's state plus the tree, as the node keeps it
  {
    WriteBatch genesis;
    JOET_ASSERT(chain.store.scan(to_bytes("c/"), to_bytes("c0"), [&](ByteView k, ByteView v) {
      genesis.put(k, v);
      return true;
    }).ok());
    auto r = commit_state(tree_store, genesis, SparseMerkleTree::empty_root());
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(*r, root);
    ASSERT_TRUE(tree_store.write(genesis, false).ok());
  }
  uint64_t height = 0;
  for (const auto& [time_ms, txs] : blocks) {
    auto out = execute_block(tree_store, chain.config, time_ms, ++height, txs);
    ASSERT_TRUE(out.ok());
    for (const TxResult& r : out->results) EXPECT_TRUE(r.ok) << r.code << ": " << r.message;
    auto next = commit_state(tree_store, out->writes, root);
    ASSERT_TRUE(next.ok());
    EXPECT_NE(*next, root);
    root = *next;
    ASSERT_TRUE(tree_store.write(out->writes, false).ok());
    EXPECT_EQ(root, root_from_scratch(tree_store)) << "height " << height;
  }
}

}  // namespace
}  // namespace joet
