#include "ledger/smt.h"

#include <gtest/gtest.h>

#include "ledger/testing/temp_dir.h"
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "ledger/hash.h"

namespace joet {
namespace {

using Model = std::map<Bytes, Bytes>;

Bytes key_of(uint64_t i) { return to_bytes("key/" + std::to_string(i)); }
Bytes value_of(uint64_t i, uint64_t version) { return to_bytes("value/" + std::to_string(i) + "/" + std::to_string(version)); }

Hash32 key_hash(const Bytes& key) { return tagged_hash(tags::kSmtKey, key); }
Hash32 leaf_hash(const Bytes& key, const Bytes& value) {
  return tagged_hash(tags::kSmtLeaf, {key_hash(key), tagged_hash(tags::kSmtValue, value)});
}
Hash32 node_hash(const Hash32& l, const Hash32& r) { return tagged_hash(tags::kSmtNode, {l, r}); }

// Applies one update and commits it.
Hash32 commit(const SparseMerkleTree& tree, KvStore& store, const Hash32& root, const std::vector<SmtChange>& changes) {
  WriteBatch batch;
  auto next = tree.update(store, batch, root, changes);
  JOET_ASSERT(next.ok());
  JOET_ASSERT(store.write(batch, false).ok());
  return *next;
}

// The root of a model built from scratch, all keys in one update.
Hash32 root_of(const Model& model) {
  MemoryKvStore store;
  std::vector<SmtChange> puts;
  for (const auto& [k, v] : model) puts.emplace_back(k, v);
  return commit(SparseMerkleTree(), store, SparseMerkleTree::empty_root(), puts);
}

// A random history of puts, overwrites and deletes over `keys` keys.
std::vector<SmtChange> random_changes(std::mt19937_64& rng, uint64_t keys, size_t count) {
  std::vector<SmtChange> changes;
  for (size_t i = 0; i < count; ++i) {
    uint64_t k = rng() % keys;
    if (rng() % 4 == 0) {
      changes.emplace_back(key_of(k), std::nullopt);
    } else {
      changes.emplace_back(key_of(k), value_of(k, rng() % 1000));
    }
  }
  return changes;
}

void apply_to_model(Model& model, const std::vector<SmtChange>& changes) {
  for (const auto& [k, v] : changes) {
    if (v) {
      model[k] = *v;
    } else {
      model.erase(k);
    }
  }
}

// A tree of `keys` keys with value version 0, committed to `store`.
Hash32 filled_tree(const SparseMerkleTree& tree, KvStore& store, uint64_t keys, Model* model = nullptr) {
  std::vector<SmtChange> puts;
  for (uint64_t i = 0; i < keys; ++i) puts.emplace_back(key_of(i), value_of(i, 0));
  if (model) apply_to_model(*model, puts);
  return commit(tree, store, SparseMerkleTree::empty_root(), puts);
}

Bytes node_key(const std::string& prefix, const Hash32& h) {
  Bytes k = to_bytes(prefix);
  k.insert(k.end(), h.begin(), h.end());
  return k;
}

using testing::TempDir;

// ------------------------------------------------------------------ shape and hashing

TEST(SparseMerkleTree, EmptyTreeHasTheZeroRootAndProvesEveryKeyAbsent) {
  EXPECT_EQ(SparseMerkleTree::empty_root(), Hash32{});
  MemoryKvStore store;
  SparseMerkleTree tree;
  auto got = tree.get(store, SparseMerkleTree::empty_root(), key_of(1));
  ASSERT_TRUE(got.ok());
  EXPECT_FALSE(got->has_value());
  auto proof = tree.prove(store, SparseMerkleTree::empty_root(), key_of(1));
  ASSERT_TRUE(proof.ok());
  EXPECT_FALSE(proof->present());
  EXPECT_EQ(proof->siblings_size(), 0);
  EXPECT_TRUE(verify_state_proof(SparseMerkleTree::empty_root(), *proof).ok());
}

TEST(SparseMerkleTree, SingleKeyRootIsThatKeysLeafHash) {
  MemoryKvStore store;
  Hash32 root = commit(SparseMerkleTree(), store, SparseMerkleTree::empty_root(), {{to_bytes("k"), to_bytes("v")}});
  EXPECT_EQ(root, leaf_hash(to_bytes("k"), to_bytes("v")));
  // Empty keys and values hash like any other bytes.
  EXPECT_EQ(commit(SparseMerkleTree(), store, SparseMerkleTree::empty_root(), {{Bytes{}, Bytes{}}}), leaf_hash(Bytes{}, Bytes{}));
}

TEST(SparseMerkleTree, TwoKeysMeetAtTheirFirstDifferingBitWithEmptySiblingsAbove) {
  // Find keys whose hashes differ at bit 0, and keys whose hashes agree at bit 0 but differ at bit 1.
  std::vector<Bytes> by_prefix[4];
  for (uint64_t i = 0; i < 64; ++i) {
    Hash32 h = key_hash(key_of(i));
    by_prefix[h[0] >> 6].push_back(key_of(i));
  }
  for (const auto& keys : by_prefix) ASSERT_FALSE(keys.empty());
  Bytes v = to_bytes("v");

  const Bytes& a = by_prefix[0][0];  // bits 00
  const Bytes& b = by_prefix[2][0];  // bits 10
  EXPECT_EQ(root_of({{a, v}, {b, v}}), node_hash(leaf_hash(a, v), leaf_hash(b, v)));

  const Bytes& c = by_prefix[3][0];  // bits 11: shares bit 0 with b
  Hash32 inner = node_hash(leaf_hash(b, v), leaf_hash(c, v));
  EXPECT_EQ(root_of({{b, v}, {c, v}}), node_hash(Hash32{}, inner));
  EXPECT_EQ(root_of({{a, v}, {b, v}, {c, v}}), node_hash(leaf_hash(a, v), inner));
}

TEST(SparseMerkleTree, RootDependsOnlyOnFinalKeyValueSet) {
  std::mt19937_64 rng(20240611);
  SparseMerkleTree tree;
  auto history = random_changes(rng, 2000, 6000);
  Model model;
  apply_to_model(model, history);
  const Hash32 expected = root_of(model);

  {  // all changes in one update
    MemoryKvStore store;
    EXPECT_EQ(commit(tree, store, SparseMerkleTree::empty_root(), history), expected);
  }
  {  // one change per update, chained in one batch before a single commit
    MemoryKvStore store;
    WriteBatch batch;
    Hash32 root = SparseMerkleTree::empty_root();
    for (const auto& change : history) {
      auto next = tree.update(store, batch, root, {change});
      ASSERT_TRUE(next.ok()) << next.error().to_string();
      root = *next;
    }
    EXPECT_EQ(root, expected);
  }
  {  // random batch sizes, each committed
    MemoryKvStore store;
    Hash32 root = SparseMerkleTree::empty_root();
    for (size_t i = 0; i < history.size();) {
      size_t n = std::min<size_t>(1 + rng() % 300, history.size() - i);
      root = commit(tree, store, root,
                    std::vector<SmtChange>(history.begin() + static_cast<long>(i), history.begin() + static_cast<long>(i + n)));
      i += n;
    }
    EXPECT_EQ(root, expected);
  }
  {  // the final set in another order, one key at a time
    std::vector<SmtChange> puts;
    for (const auto& [k, v] : model) puts.emplace_back(k, v);
    std::shuffle(puts.begin(), puts.end(), rng);
    MemoryKvStore store;
    Hash32 root = SparseMerkleTree::empty_root();
    for (const auto& p : puts) root = commit(tree, store, root, {p});
    EXPECT_EQ(root, expected);
  }
}

// The canonical compressed tree of a set, computed directly: the storage layout must not matter.
Hash32 reference_root(std::vector<std::pair<Hash32, Hash32>>::const_iterator begin,
                      std::vector<std::pair<Hash32, Hash32>>::const_iterator end, size_t depth) {
  if (begin == end) return Hash32{};
  if (end - begin == 1) return tagged_hash(tags::kSmtLeaf, {begin->first, begin->second});
  auto mid = std::partition_point(begin, end, [depth](const auto& e) { return ((e.first[depth / 8] >> (7 - depth % 8)) & 1) == 0; });
  return node_hash(reference_root(begin, mid, depth + 1), reference_root(mid, end, depth + 1));
}

Hash32 reference_root(const Model& model) {
  std::vector<std::pair<Hash32, Hash32>> leaves;
  for (const auto& [k, v] : model) leaves.emplace_back(key_hash(k), tagged_hash(tags::kSmtValue, v));
  std::sort(leaves.begin(), leaves.end());
  return reference_root(leaves.begin(), leaves.end(), 0);
}

TEST(SparseMerkleTree, RootIsTheCanonicalCompressedTreeOfTheSet) {
  std::mt19937_64 rng(4242);
  SparseMerkleTree tree;
  MemoryKvStore store;
  Model model;
  Hash32 root = SparseMerkleTree::empty_root();
  for (int round = 0; round < 6; ++round) {
    auto changes = random_changes(rng, 3000, 1000);
    apply_to_model(model, changes);
    root = commit(tree, store, root, changes);
    ASSERT_EQ(root, reference_root(model)) << "round " << round;
  }
}

// Pairs of keys whose hashes share 1 to ~28 leading bits: chains of one-sided internal nodes that
// cross the storage's block boundaries at every offset.
std::vector<Bytes> keys_with_shared_prefixes() {
  std::vector<std::pair<Hash32, uint64_t>> hashes;
  for (uint64_t i = 0; i < 200000; ++i) hashes.emplace_back(key_hash(key_of(i)), i);
  std::sort(hashes.begin(), hashes.end());
  auto shared_bits = [](const Hash32& a, const Hash32& b) {
    size_t n = 0;
    while (n < 256 && ((a[n / 8] ^ b[n / 8]) & (0x80 >> (n % 8))) == 0) ++n;
    return n;
  };
  std::map<size_t, std::pair<uint64_t, uint64_t>> by_length;
  for (size_t i = 0; i + 1 < hashes.size(); ++i) {
    by_length.emplace(shared_bits(hashes[i].first, hashes[i + 1].first), std::make_pair(hashes[i].second, hashes[i + 1].second));
  }
  std::vector<Bytes> keys;
  for (const auto& [bits, pair] : by_length) {
    if (bits < 10) continue;  // pairs that share few bits are not neighbours in a small tree
    keys.push_back(key_of(pair.first));
    keys.push_back(key_of(pair.second));
  }
  return keys;
}

TEST(SparseMerkleTree, KeysSharingLongHashPrefixesWorkAcrossBlockBoundaries) {
  const std::vector<Bytes> keys = keys_with_shared_prefixes();
  ASSERT_GE(keys.size(), 2u * 15);  // shared prefixes of 10 to at least 24 bits
  SparseMerkleTree tree;
  MemoryKvStore store;
  Model model;
  Hash32 root = SparseMerkleTree::empty_root();
  // One pair at a time: each pair alone is a long chain below the root, then pairs pile up.
  for (size_t i = 0; i < keys.size(); ++i) {
    model[keys[i]] = value_of(i, 0);
    root = commit(tree, store, root, {{keys[i], value_of(i, 0)}});
    ASSERT_EQ(root, reference_root(model)) << i;
  }
  for (const Bytes& k : keys) {
    auto proof = tree.prove(store, root, k);
    ASSERT_TRUE(proof.ok());
    EXPECT_TRUE(proof->present());
    EXPECT_TRUE(verify_state_proof(root, *proof).ok());
  }
  // Deleting one key of each pair lifts its partner back up across the blocks.
  for (size_t i = 0; i < keys.size(); i += 2) {
    model.erase(keys[i]);
    root = commit(tree, store, root, {{keys[i], std::nullopt}});
    ASSERT_EQ(root, reference_root(model)) << i;
    auto absent = tree.prove(store, root, keys[i]);
    ASSERT_TRUE(absent.ok());
    EXPECT_FALSE(absent->present());
    EXPECT_TRUE(verify_state_proof(root, *absent).ok());
  }
  // And a single pair on its own, from the empty tree, in one update and back.
  Hash32 pair = commit(tree, store, SparseMerkleTree::empty_root(), {{keys.back(), to_bytes("a")}, {keys[keys.size() - 2], to_bytes("b")}});
  EXPECT_EQ(pair, reference_root({{keys.back(), to_bytes("a")}, {keys[keys.size() - 2], to_bytes("b")}}));
  EXPECT_EQ(commit(tree, store, pair, {{keys.back(), std::nullopt}}), leaf_hash(keys[keys.size() - 2], to_bytes("b")));
}

TEST(SparseMerkleTree, DeletingEveryKeyReturnsTheEmptyRoot) {
  std::mt19937_64 rng(7);
  SparseMerkleTree tree;
  MemoryKvStore store;
  Model model;
  Hash32 root = filled_tree(tree, store, 2000, &model);
  std::vector<Bytes> keys;
  for (const auto& [k, v] : model) keys.push_back(k);
  std::shuffle(keys.begin(), keys.end(), rng);
  // Delete in uneven batches, checking canonical form (re-compression) after each.
  for (size_t i = 0; i < keys.size();) {
    size_t n = std::min<size_t>(1 + rng() % 500, keys.size() - i);
    std::vector<SmtChange> dels;
    for (size_t j = i; j < i + n; ++j) {
      dels.emplace_back(keys[j], std::nullopt);
      model.erase(keys[j]);
    }
    root = commit(tree, store, root, dels);
    ASSERT_EQ(root, root_of(model)) << "after deleting " << i + n << " keys";
    i += n;
  }
  EXPECT_EQ(root, SparseMerkleTree::empty_root());
}

TEST(SparseMerkleTree, LastChangeToAKeyInOneUpdateWins) {
  SparseMerkleTree tree;
  MemoryKvStore store;
  Bytes k = to_bytes("k");
  Hash32 root = commit(tree, store, SparseMerkleTree::empty_root(),
                       {{k, to_bytes("1")}, {k, std::nullopt}, {k, to_bytes("3")}});
  EXPECT_EQ(root, leaf_hash(k, to_bytes("3")));
  root = commit(tree, store, root, {{k, to_bytes("4")}, {k, std::nullopt}});
  EXPECT_EQ(root, SparseMerkleTree::empty_root());
}

TEST(SparseMerkleTree, DeletingAnAbsentKeyOrRewritingAValueWritesNothing) {
  SparseMerkleTree tree;
  MemoryKvStore store;
  Hash32 root = filled_tree(tree, store, 500);
  WriteBatch batch;
  auto same = tree.update(store, batch, root, {{key_of(100000), std::nullopt}, {key_of(7), value_of(7, 0)}});
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(*same, root);
  EXPECT_TRUE(batch.empty());
  auto from_empty = tree.update(store, batch, SparseMerkleTree::empty_root(), {{key_of(1), std::nullopt}});
  ASSERT_TRUE(from_empty.ok());
  EXPECT_EQ(*from_empty, SparseMerkleTree::empty_root());
  EXPECT_TRUE(batch.empty());
}

TEST(SparseMerkleTree, EmptyKeysAndEmptyValuesAreOrdinaryEntries) {
  SparseMerkleTree tree;
  MemoryKvStore store;
  Hash32 root = commit(tree, store, SparseMerkleTree::empty_root(), {{Bytes{}, Bytes{}}, {to_bytes("x"), Bytes{}}});
  auto got = tree.get(store, root, Bytes{});
  ASSERT_TRUE(got.ok());
  ASSERT_TRUE(got->has_value());
  EXPECT_TRUE((*got)->empty());
  auto proof = tree.prove(store, root, Bytes{});
  ASSERT_TRUE(proof.ok());
  EXPECT_TRUE(proof->present());
  EXPECT_TRUE(verify_state_proof(root, *proof).ok());
}

TEST(SparseMerkleTree, RefusesOversizedKeysWithATypedError) {
  SparseMerkleTree tree;
  MemoryKvStore store;
  WriteBatch batch;
  Bytes big(SparseMerkleTree::kMaxKeyBytes + 1, 'k');
  auto r = tree.update(store, batch, SparseMerkleTree::empty_root(), {{big, to_bytes("v")}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kTooLarge);
  EXPECT_TRUE(batch.empty());
}

TEST(SparseMerkleTree, NodesLiveOnlyUnderTheirPrefix) {
  SparseMerkleTree a("a/");
  SparseMerkleTree b("b/");
  MemoryKvStore store;
  Hash32 ra = filled_tree(a, store, 100);
  Hash32 rb = filled_tree(b, store, 100);
  EXPECT_EQ(ra, rb);  // the root is independent of where the nodes are stored
  size_t under_a = 0;
  ASSERT_TRUE(store.scan(as_bytes("a/"), as_bytes("a0"), [&](ByteView k, ByteView) {
    EXPECT_EQ(k.size(), 2u + 32u);
    ++under_a;
    return true;
  }).ok());
  EXPECT_EQ(under_a * 2, store.size());
  // A tree reads only its own prefix.
  MemoryKvStore only_b;
  WriteBatch copy;
  ASSERT_TRUE(store.scan(as_bytes("b/"), as_bytes("b0"), [&](ByteView k, ByteView v) {
    copy.put(k, v);
    return true;
  }).ok());
  ASSERT_TRUE(only_b.write(copy, true).ok());
  EXPECT_TRUE(b.get(only_b, rb, key_of(3)).ok());
  EXPECT_EQ(a.get(only_b, ra, key_of(3)).error().code, ErrorCode::kNotFound);
}

// ------------------------------------------------------------------ reads

TEST(SparseMerkleTree, GetReturnsTheValueAtEveryHistoricalRoot) {
  std::mt19937_64 rng(99);
  SparseMerkleTree tree;
  MemoryKvStore store;
  std::vector<std::pair<Hash32, Model>> history;
  Hash32 root = SparseMerkleTree::empty_root();
  Model model;
  for (int round = 0; round < 8; ++round) {
    auto changes = random_changes(rng, 400, 300);
    root = commit(tree, store, root, changes);
    apply_to_model(model, changes);
    history.emplace_back(root, model);
  }
  for (const auto& [r, m] : history) {
    for (uint64_t i = 0; i < 420; ++i) {  // includes keys never written
      auto got = tree.get(store, r, key_of(i));
      ASSERT_TRUE(got.ok()) << got.error().to_string();
      auto it = m.find(key_of(i));
      if (it == m.end()) {
        EXPECT_FALSE(got->has_value()) << i;
      } else {
        ASSERT_TRUE(got->has_value()) << i;
        EXPECT_EQ(**got, it->second);
      }
    }
  }
}

TEST(SparseMerkleTree, ARootNotInTheStoreIsNotFoundForEveryOperation) {
  SparseMerkleTree tree;
  MemoryKvStore store;
  const Hash32 unknown = leaf_hash(to_bytes("never"), to_bytes("stored"));
  WriteBatch batch;
  EXPECT_EQ(tree.update(store, batch, unknown, {{key_of(1), value_of(1, 0)}}).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(tree.get(store, unknown, key_of(1)).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(tree.prove(store, unknown, key_of(1)).error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(batch.empty());
}

TEST(SparseMerkleTree, ChainedUpdatesInOneBatchReadTheirOwnNodes) {
  SparseMerkleTree tree;
  MemoryKvStore store;
  WriteBatch batch;
  auto r1 = tree.update(store, batch, SparseMerkleTree::empty_root(), {{key_of(1), value_of(1, 1)}, {key_of(2), value_of(2, 1)}});
  ASSERT_TRUE(r1.ok());
  auto r2 = tree.update(store, batch, *r1, {{key_of(3), value_of(3, 1)}, {key_of(1), std::nullopt}});
  ASSERT_TRUE(r2.ok());
  EXPECT_EQ(*r2, root_of({{key_of(2), value_of(2, 1)}, {key_of(3), value_of(3, 1)}}));
  EXPECT_EQ(tree.get(store, *r2, key_of(2)).error().code, ErrorCode::kNotFound);  // nothing committed yet
  ASSERT_TRUE(store.write(batch, false).ok());
  EXPECT_EQ(*tree.get(store, *r2, key_of(3)), std::optional<Bytes>(value_of(3, 1)));
  EXPECT_EQ(*tree.get(store, *r1, key_of(1)), std::optional<Bytes>(value_of(1, 1)));
}

// ------------------------------------------------------------------ proofs

TEST(StateProof, EveryKeyProvesInclusionAndAbsentKeysProveNonInclusionOfBothKinds) {
  SparseMerkleTree tree;
  MemoryKvStore store;
  Model model;
  Hash32 root = filled_tree(tree, store, 1000, &model);
  for (const auto& [k, v] : model) {
    auto proof = tree.prove(store, root, k);
    ASSERT_TRUE(proof.ok());
    EXPECT_TRUE(proof->present());
    EXPECT_EQ(proof->value(), to_string(v));
    EXPECT_LE(proof->siblings_size(), 30);  // compressed: about log2(1000), not 256
    Status s = verify_state_proof(root, *proof);
    EXPECT_TRUE(s.ok()) << s.to_string();
  }
  int ends_empty = 0;
  int ends_in_other_leaf = 0;
  for (uint64_t i = 1000; i < 3000; ++i) {
    auto proof = tree.prove(store, root, key_of(i));
    ASSERT_TRUE(proof.ok());
    EXPECT_FALSE(proof->present());
    (proof->other_key_hash().empty() ? ends_empty : ends_in_other_leaf)++;
    Status s = verify_state_proof(root, *proof);
    EXPECT_TRUE(s.ok()) << s.to_string();
  }
  EXPECT_GT(ends_empty, 0);
  EXPECT_GT(ends_in_other_leaf, 0);
}

TEST(StateProof, ProofsDoNotVerifyAgainstAnotherRoot) {
  SparseMerkleTree tree;
  MemoryKvStore store;
  Hash32 r1 = filled_tree(tree, store, 200);
  Hash32 r2 = commit(tree, store, r1, {{key_of(5), value_of(5, 1)}});
  for (uint64_t i : {5u, 6u, 500u}) {
    auto p1 = tree.prove(store, r1, key_of(i));
    ASSERT_TRUE(p1.ok());
    EXPECT_TRUE(verify_state_proof(r1, *p1).ok());
    EXPECT_EQ(verify_state_proof(r2, *p1).error().code, ErrorCode::kBadProof) << i;
    EXPECT_EQ(verify_state_proof(SparseMerkleTree::empty_root(), *p1).error().code, ErrorCode::kBadProof);
  }
}

// Every single-bit change of every byte the verifier reads must break the proof.
// A non-inclusion proof stays valid for any other key on the same path to the same end: such a changed
// key may verify, but only when it really is absent (`truthful`).
void expect_every_tamper_fails(const Hash32& root, const joet::v1::StateProof& proof,
                               const std::function<bool(const joet::v1::StateProof&)>& truthful) {
  ASSERT_TRUE(verify_state_proof(root, proof).ok());
  auto rejected_or_true = [&](const joet::v1::StateProof& t) {
    if (!verify_state_proof(root, t).ok()) return true;
    return !proof.present() && t.key() != proof.key() && truthful(t);
  };
  auto flip_each = [&](auto get, auto set, const char* what) {
    std::string original = get(proof);
    for (size_t i = 0; i < original.size(); ++i) {
      for (int b = 0; b < 8; b += 3) {
        joet::v1::StateProof t = proof;
        std::string s = original;
        s[i] = static_cast<char>(s[i] ^ (1 << b));
        set(t, s);
        EXPECT_TRUE(rejected_or_true(t)) << what << " byte " << i;
      }
    }
  };
  flip_each([](const auto& p) { return p.key(); }, [](auto& p, const std::string& s) { p.set_key(s); }, "key");
  flip_each([](const auto& p) { return p.value(); }, [](auto& p, const std::string& s) { p.set_value(s); }, "value");
  flip_each([](const auto& p) { return p.other_key_hash(); },
            [](auto& p, const std::string& s) { p.set_other_key_hash(s); }, "other_key_hash");
  flip_each([](const auto& p) { return p.other_value_hash(); },
            [](auto& p, const std::string& s) { p.set_other_value_hash(s); }, "other_value_hash");
  for (int j = 0; j < proof.siblings_size(); ++j) {
    flip_each([j](const auto& p) { return p.siblings(j); },
              [j](auto& p, const std::string& s) { p.set_siblings(j, s); }, "sibling");
  }
  {  // the key grows by a byte
    joet::v1::StateProof t = proof;
    t.set_key(proof.key() + "x");
    EXPECT_TRUE(rejected_or_true(t));
  }
  {  // the value changes or appears
    joet::v1::StateProof t = proof;
    t.set_value(proof.value() + "x");
    EXPECT_FALSE(verify_state_proof(root, t).ok());
  }
  {  // present flips
    joet::v1::StateProof t = proof;
    t.set_present(!proof.present());
    EXPECT_FALSE(verify_state_proof(root, t).ok());
  }
  for (int j = 0; j < proof.siblings_size(); ++j) {  // a sibling goes missing
    joet::v1::StateProof t = proof;
    t.mutable_siblings()->DeleteSubrange(j, 1);
    EXPECT_FALSE(verify_state_proof(root, t).ok()) << "without sibling " << j;
  }
  for (const std::string& extra : {std::string(32, '\0'), std::string(32, '\x5a'), proof.siblings_size() > 0 ? proof.siblings(0) : std::string(32, '\1')}) {
    joet::v1::StateProof at_end = proof;
    at_end.add_siblings(extra);
    EXPECT_FALSE(verify_state_proof(root, at_end).ok()) << "extra sibling at the end";
    joet::v1::StateProof at_start = proof;
    at_start.add_siblings(extra);
    std::rotate(at_start.mutable_siblings()->rbegin(), at_start.mutable_siblings()->rbegin() + 1,
                at_start.mutable_siblings()->rend());
    EXPECT_FALSE(verify_state_proof(root, at_start).ok()) << "extra sibling at the start";
  }
  {  // siblings swapped
    if (proof.siblings_size() >= 2 && proof.siblings(0) != proof.siblings(1)) {
      joet::v1::StateProof t = proof;
      t.mutable_siblings()->SwapElements(0, 1);
      EXPECT_FALSE(verify_state_proof(root, t).ok());
    }
  }
}

TEST(StateProof, AnyTamperedByteOrSiblingFailsVerification) {
  SparseMerkleTree tree;
  MemoryKvStore store;
  Hash32 root = filled_tree(tree, store, 300);
  auto truthful = [&](const joet::v1::StateProof& p) {
    auto got = tree.get(store, root, as_bytes(p.key()));
    return got.ok() && got->has_value() == p.present();
  };
  int absent_keys_still_valid = 0;
  auto count_truthful = [&](const joet::v1::StateProof& p) { return truthful(p) && ++absent_keys_still_valid > 0; };
  bool saw_empty_end = false;
  bool saw_leaf_end = false;
  for (uint64_t i : {0u, 1u, 150u, 299u}) {
    auto proof = tree.prove(store, root, key_of(i));
    ASSERT_TRUE(proof.ok());
    ASSERT_TRUE(proof->present());
    expect_every_tamper_fails(root, *proof, count_truthful);
  }
  for (uint64_t i = 300; i < 400 && !(saw_empty_end && saw_leaf_end); ++i) {
    auto proof = tree.prove(store, root, key_of(i));
    ASSERT_TRUE(proof.ok());
    bool empty_end = proof->other_key_hash().empty();
    if (empty_end ? saw_empty_end : saw_leaf_end) continue;
    (empty_end ? saw_empty_end : saw_leaf_end) = true;
    expect_every_tamper_fails(root, *proof, count_truthful);
  }
  EXPECT_TRUE(saw_empty_end && saw_leaf_end);
  EXPECT_LT(absent_keys_still_valid, 50);  // rare: the changed key must share the (short) path
}

TEST(StateProof, NonInclusionOfAPresentKeyCannotBeMadeToVerify) {
  SparseMerkleTree tree;
  MemoryKvStore store;
  Model model;
  Hash32 root = filled_tree(tree, store, 300, &model);
  for (uint64_t i = 0; i < 300; i += 7) {
    auto real = tree.prove(store, root, key_of(i));
    ASSERT_TRUE(real.ok());
    const Hash32 kh = key_hash(key_of(i));
    const Hash32 vh = tagged_hash(tags::kSmtValue, value_of(i, 0));
    // Every prefix of the real path, ended as empty, as the key's own leaf, or as any other key's leaf.
    std::vector<std::pair<std::string, std::string>> others = {{to_string(kh), to_string(vh)}};
    for (uint64_t j = 0; j < 300; j += 13) {
      others.emplace_back(to_string(key_hash(key_of(j))), to_string(tagged_hash(tags::kSmtValue, value_of(j, 0))));
    }
    for (int depth = 0; depth <= real->siblings_size(); ++depth) {
      joet::v1::StateProof forged;
      forged.set_key(real->key());
      forged.set_present(false);
      for (int j = 0; j < depth; ++j) forged.add_siblings(real->siblings(j));
      EXPECT_FALSE(verify_state_proof(root, forged).ok()) << "empty end at depth " << depth;
      for (const auto& [okh, ovh] : others) {
        forged.set_other_key_hash(okh);
        forged.set_other_value_hash(ovh);
        EXPECT_FALSE(verify_state_proof(root, forged).ok()) << "other-leaf end at depth " << depth;
      }
    }
    // The absent-key proofs of neighbours, relabelled with this key.
    for (uint64_t j = 300; j < 340; ++j) {
      auto absent = tree.prove(store, root, key_of(j));
      ASSERT_TRUE(absent.ok());
      absent->set_key(real->key());
      EXPECT_FALSE(verify_state_proof(root, *absent).ok());
    }
  }
}

TEST(StateProof, MalformedProofsAreRejectedWithATypedErrorNeverACrash) {
  SparseMerkleTree tree;
  MemoryKvStore store;
  Hash32 root = filled_tree(tree, store, 50);
  auto present = *tree.prove(store, root, key_of(1));
  joet::v1::StateProof absent_leaf;
  for (uint64_t i = 50;; ++i) {
    absent_leaf = *tree.prove(store, root, key_of(i));
    if (!absent_leaf.other_key_hash().empty()) break;
  }
  ASSERT_TRUE(verify_state_proof(root, absent_leaf).ok());
  auto code = [&](const joet::v1::StateProof& p) {
    Status s = verify_state_proof(root, p);
    return s.ok() ? std::optional<ErrorCode>() : std::optional<ErrorCode>(s.error().code);
  };

  auto t = present;
  t.set_siblings(0, std::string(31, 'x'));
  EXPECT_EQ(code(t), ErrorCode::kMalformed) << "short sibling";
  t = present;
  t.set_siblings(0, std::string(33, 'x'));
  EXPECT_EQ(code(t), ErrorCode::kMalformed) << "long sibling";
  t = present;
  while (t.siblings_size() <= 256) t.add_siblings(std::string(32, 'x'));
  EXPECT_EQ(code(t), ErrorCode::kMalformed) << "257 siblings";
  t = present;
  t.set_other_key_hash(absent_leaf.other_key_hash());
  t.set_other_value_hash(absent_leaf.other_value_hash());
  EXPECT_EQ(code(t), ErrorCode::kMalformed) << "present and another leaf";
  t = absent_leaf;
  t.set_other_key_hash(std::string(31, 'x'));
  EXPECT_EQ(code(t), ErrorCode::kMalformed) << "short other_key_hash";
  t = absent_leaf;
  t.clear_other_value_hash();
  EXPECT_EQ(code(t), ErrorCode::kMalformed) << "other_key_hash without other_value_hash";
  t = absent_leaf;
  t.clear_other_key_hash();
  EXPECT_EQ(code(t), ErrorCode::kMalformed) << "other_value_hash without other_key_hash";
  t = absent_leaf;
  t.set_value("v");
  EXPECT_EQ(code(t), ErrorCode::kMalformed) << "absent with a value";
  t = absent_leaf;
  t.set_other_key_hash(to_string(key_hash(to_bytes(absent_leaf.key()))));
  EXPECT_EQ(code(t), ErrorCode::kBadProof) << "other leaf is the key itself";
  t = absent_leaf;
  std::string off_path = absent_leaf.other_key_hash();
  off_path[0] = static_cast<char>(off_path[0] ^ 0x80);  // first bit differs: never on the path below the root
  t.set_other_key_hash(off_path);
  if (t.siblings_size() > 0) {
    EXPECT_EQ(code(t), ErrorCode::kBadProof) << "other leaf off the path";
  }
  t = present;
  t.add_siblings(std::string(32, '\0'));
  EXPECT_EQ(code(t), ErrorCode::kBadProof) << "an empty deepest sibling is not canonical";
}

TEST(StateProof, RandomBytesDecodeAndVerifyWithoutCrashing) {
  std::mt19937_64 rng(0x5eed);
  SparseMerkleTree tree;
  MemoryKvStore store;
  Hash32 root = filled_tree(tree, store, 64);
  auto seed_proof = *tree.prove(store, root, key_of(3));
  std::string seed = seed_proof.SerializeAsString();
  int accepted = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string bytes = seed;
    int mutations = 1 + static_cast<int>(rng() % 4);
    for (int m = 0; m < mutations; ++m) {
      switch (rng() % 3) {
        case 0:
          if (!bytes.empty()) bytes[rng() % bytes.size()] = static_cast<char>(rng());
          break;
        case 1:
          if (!bytes.empty()) bytes.erase(rng() % bytes.size(), 1 + rng() % 8);
          break;
        default:
          bytes.insert(rng() % (bytes.size() + 1), 1, static_cast<char>(rng()));
      }
    }
    joet::v1::StateProof p;
    if (!p.ParseFromString(bytes)) continue;
    if (verify_state_proof(root, p).ok()) {
      ++accepted;
      // Only a mutation that left the verified content intact may pass (e.g. an unknown field added).
      EXPECT_EQ(p.key(), seed_proof.key());
      EXPECT_EQ(p.value(), seed_proof.value());
      EXPECT_TRUE(p.present());
    }
  }
  EXPECT_LT(accepted, 2000);
}

// ------------------------------------------------------------------ storage

TEST(SparseMerkleTree, WorksOnLevelDbAcrossReopen) {
  TempDir dir("smt_leveldb");
  const std::string path = dir.sub("state");
  SparseMerkleTree tree;
  Model model;
  std::mt19937_64 rng(1234);
  std::vector<Hash32> roots;
  std::vector<Model> models;
  {
    LevelDbKvStore::Options options;
    options.create_if_missing = true;
    auto db = LevelDbKvStore::open(path, options);
    ASSERT_TRUE(db.ok()) << db.error().to_string();
    Hash32 root = SparseMerkleTree::empty_root();
    for (int round = 0; round < 5; ++round) {
      auto changes = random_changes(rng, 500, 400);
      WriteBatch batch;
      auto next = tree.update(**db, batch, root, changes);
      ASSERT_TRUE(next.ok());
      ASSERT_TRUE((*db)->write(batch, true).ok());
      root = *next;
      apply_to_model(model, changes);
      roots.push_back(root);
      models.push_back(model);
    }
    EXPECT_EQ(root, root_of(model));
  }
  auto db = LevelDbKvStore::open(path, LevelDbKvStore::Options{});
  ASSERT_TRUE(db.ok()) << db.error().to_string();
  for (size_t r = 0; r < roots.size(); ++r) {
    for (uint64_t i = 0; i < 520; i += 3) {
      auto got = tree.get(**db, roots[r], key_of(i));
      ASSERT_TRUE(got.ok()) << got.error().to_string();
      auto it = models[r].find(key_of(i));
      EXPECT_EQ(got->has_value(), it != models[r].end());
      if (got->has_value() && it != models[r].end()) {
        EXPECT_EQ(**got, it->second);
      }
      auto proof = tree.prove(**db, roots[r], key_of(i));
      ASSERT_TRUE(proof.ok());
      EXPECT_EQ(proof->present(), got->has_value());
      EXPECT_TRUE(verify_state_proof(roots[r], *proof).ok());
    }
  }
  // And it keeps updating on top of the reopened state.
  WriteBatch batch;
  auto next = tree.update(**db, batch, roots.back(), {{key_of(1), std::nullopt}});
  ASSERT_TRUE(next.ok());
  model.erase(key_of(1));
  EXPECT_EQ(*next, root_of(model));
}

// Damages one stored entry, then reads every key: each read either succeeds or fails with
// `code` naming the damaged entry; at least `min_failures` fail. Never a crash.
size_t expect_damage_detected(const SparseMerkleTree& tree, const MemoryKvStore& store, const Hash32& root,
                              const Hash32& damaged, uint64_t keys, ErrorCode code) {
  size_t failures = 0;
  for (uint64_t i = 0; i < keys; ++i) {
    auto got = tree.get(store, root, key_of(i));
    auto proof = tree.prove(store, root, key_of(i));
    EXPECT_EQ(got.ok(), proof.ok()) << i;
    if (got.ok()) {
      EXPECT_EQ(**got, value_of(i, 0));
      continue;
    }
    ++failures;
    EXPECT_EQ(got.error().code, code) << got.error().to_string();
    EXPECT_NE(got.error().message.find(to_hex(damaged)), std::string::npos) << got.error().message;
  }
  return failures;
}

TEST(SparseMerkleTree, CorruptedStoredEntryIsCorruptionNamingItNotACrash) {
  constexpr uint64_t kKeys = 300;
  SparseMerkleTree tree;
  MemoryKvStore store;
  const Hash32 root = filled_tree(tree, store, kKeys);
  std::map<Hash32, Bytes> blocks;  // every block but the root's
  ASSERT_TRUE(store.scan(as_bytes("n/"), as_bytes("n0"), [&](ByteView k, ByteView v) {
    Hash32 h;
    std::copy_n(k.begin() + 2, 32, h.begin());
    if (v[0] == 0x01 && h != root) blocks.emplace(h, Bytes(v.begin(), v.end()));
    return true;
  }).ok());
  ASSERT_FALSE(blocks.empty());
  const auto& [inner, inner_good] = *blocks.begin();
  const Hash32 leaf = leaf_hash(key_of(9), value_of(9, 0));
  const Bytes leaf_good = **store.get(node_key("n/", leaf));
  const Bytes root_good = **store.get(node_key("n/", root));

  auto overwrite = [&](const Hash32& h, std::optional<Bytes> bytes) {
    WriteBatch b;
    if (bytes) {
      b.put(node_key("n/", h), *bytes);
    } else {
      b.del(node_key("n/", h));
    }
    JOET_ASSERT(store.write(b, false).ok());
  };
  auto update_fails = [&](const Hash32& damaged) {
    std::vector<SmtChange> all;
    for (uint64_t i = 0; i < kKeys; ++i) all.emplace_back(key_of(i), to_bytes("new"));
    WriteBatch batch;
    auto r = tree.update(store, batch, root, all);
    return !r.ok() && r.error().code == ErrorCode::kCorruption && r.error().message.find(to_hex(damaged)) != std::string::npos;
  };

  // Any changed byte of a block below the root, and a block cut short, emptied or gone.
  std::vector<Bytes> bad_blocks;
  for (size_t i = 0; i < inner_good.size(); i += 3) {
    Bytes bad = inner_good;
    bad[i] ^= 0x21;
    bad_blocks.push_back(bad);
  }
  bad_blocks.push_back(Bytes(inner_good.begin(), inner_good.end() - 1));
  bad_blocks.push_back(Bytes{});
  bad_blocks.push_back(leaf_good);  // a leaf where a block belongs
  for (const Bytes& bad : bad_blocks) {
    overwrite(inner, bad);
    EXPECT_GT(expect_damage_detected(tree, store, root, inner, kKeys, ErrorCode::kCorruption), 0u);
    EXPECT_TRUE(update_fails(inner));
  }
  overwrite(inner, std::nullopt);
  EXPECT_GT(expect_damage_detected(tree, store, root, inner, kKeys, ErrorCode::kCorruption), 0u);
  EXPECT_TRUE(update_fails(inner));
  overwrite(inner, inner_good);

  // The root block: every key fails.
  for (size_t i = 0; i < root_good.size(); i += 11) {
    Bytes bad = root_good;
    bad[i] ^= 0x01;
    overwrite(root, bad);
    EXPECT_EQ(expect_damage_detected(tree, store, root, root, kKeys, ErrorCode::kCorruption), kKeys);
  }
  overwrite(root, std::nullopt);  // the root itself absent: a root this store does not have
  EXPECT_EQ(expect_damage_detected(tree, store, root, root, kKeys, ErrorCode::kNotFound), kKeys);
  overwrite(root, root_good);

  // A leaf: only its own key fails (other keys' proofs end in blocks, not in this entry).
  Bytes long_key = leaf_good;
  long_key[1] = 0xff;  // the key size runs past the end
  Bytes wrong_tag = leaf_good;
  wrong_tag[0] = 0x07;
  for (const Bytes& bad : {Bytes(leaf_good.begin(), leaf_good.end() - 1), long_key, wrong_tag, inner_good}) {
    overwrite(leaf, bad);
    EXPECT_EQ(expect_damage_detected(tree, store, root, leaf, kKeys, ErrorCode::kCorruption), 1u);
  }
  overwrite(leaf, std::nullopt);
  EXPECT_EQ(expect_damage_detected(tree, store, root, leaf, kKeys, ErrorCode::kCorruption), 1u);
  overwrite(leaf, leaf_good);
  EXPECT_EQ(expect_damage_detected(tree, store, root, leaf, kKeys, ErrorCode::kCorruption), 0u);
}

}  // namespace
}  // namespace joet
