#include "ledger/merkle.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "ledger/hash.h"

namespace joet {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const fs::path kRfc6962Dir = fs::path(JOET_VECTORS_DIR) / "rfc6962";

// ---------------------------------------------------------------------------------------------------
// Helpers: vectors on disk, and a transcription of RFC 6962 section 2.1 that recurses and copies, to
// check the library's iterative code against.

json read_json(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path.string());
  return json::parse(in);
}

Bytes base64_field(const json& value, const fs::path& file) {
  auto bytes = from_base64(value.get<std::string>());
  if (!bytes.ok()) throw std::runtime_error(file.string() + ": bad base64: " + bytes.error().to_string());
  return *bytes;
}

// "proof": null means no hashes.
std::vector<Bytes> base64_list(const json& value, const fs::path& file) {
  std::vector<Bytes> out;
  if (value.is_null()) return out;
  for (const json& item : value) out.push_back(base64_field(item, file));
  return out;
}

Bytes hex_bytes(const std::string& hex) {
  auto bytes = from_hex(hex);
  if (!bytes.ok()) throw std::runtime_error("bad hex: " + hex);
  return *bytes;
}

std::vector<fs::path> vector_files(const std::string& kind) {
  std::vector<fs::path> files;
  const fs::path dir = kRfc6962Dir / "testdata" / kind;
  if (!fs::is_directory(dir)) return files;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file() && entry.path().extension() == ".json") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

bool is_verifier_error(ErrorCode code) {
  return code == ErrorCode::kBadProof || code == ErrorCode::kMalformed || code == ErrorCode::kInvalidArgument;
}

// SHA256(0x01 || left || right) over raw bytes of any length.
Hash32 raw_node_hash(ByteView left, ByteView right) {
  const Bytes prefix = {0x01};
  Sha256 h;
  return h.update(prefix).update(left).update(right).finish();
}

uint64_t ref_split(uint64_t n) {
  uint64_t k = 1;
  while (2 * k < n) k *= 2;
  return k;
}

Hash32 ref_mth(std::vector<Hash32> d) {
  if (d.empty()) return sha256(std::string_view());
  if (d.size() == 1) return d[0];
  const uint64_t k = ref_split(d.size());
  std::vector<Hash32> left(d.begin(), d.begin() + static_cast<std::ptrdiff_t>(k));
  std::vector<Hash32> right(d.begin() + static_cast<std::ptrdiff_t>(k), d.end());
  return raw_node_hash(ref_mth(left), ref_mth(right));
}

std::vector<Hash32> ref_path(uint64_t m, std::vector<Hash32> d) {
  if (d.size() <= 1) return {};
  const uint64_t k = ref_split(d.size());
  std::vector<Hash32> left(d.begin(), d.begin() + static_cast<std::ptrdiff_t>(k));
  std::vector<Hash32> right(d.begin() + static_cast<std::ptrdiff_t>(k), d.end());
  std::vector<Hash32> p = m < k ? ref_path(m, left) : ref_path(m - k, right);
  p.push_back(m < k ? ref_mth(right) : ref_mth(left));
  return p;
}

std::vector<Hash32> ref_subproof(uint64_t m, std::vector<Hash32> d, bool b) {
  if (m == d.size()) return b ? std::vector<Hash32>{} : std::vector<Hash32>{ref_mth(d)};
  const uint64_t k = ref_split(d.size());
  std::vector<Hash32> left(d.begin(), d.begin() + static_cast<std::ptrdiff_t>(k));
  std::vector<Hash32> right(d.begin() + static_cast<std::ptrdiff_t>(k), d.end());
  std::vector<Hash32> p = m <= k ? ref_subproof(m, left, b) : ref_subproof(m - k, right, false);
  p.push_back(m <= k ? ref_mth(right) : ref_mth(left));
  return p;
}

// The shape of PATH(index, D[size]), bottom up: true where the sibling is on the left. Derived from
// the recursive definition, independently of the RFC 9162 bit arithmetic in the verifier.
std::vector<bool> inclusion_shape(uint64_t index, uint64_t size) {
  std::vector<bool> sibling_left;
  while (size > 1) {
    const uint64_t k = std::bit_floor(size - 1);
    if (index < k) {
      sibling_left.push_back(false);
      size = k;
    } else {
      sibling_left.push_back(true);
      index -= k;
      size -= k;
    }
  }
  std::reverse(sibling_left.begin(), sibling_left.end());
  return sibling_left;
}

// The shape of PROOF(size1, D[size2]): whether root1 is the implicit seed (SUBPROOF's b stays true), and
// bottom up, whether each sibling is on the left.
std::pair<bool, std::vector<bool>> consistency_shape(uint64_t size1, uint64_t size2) {
  bool whole = true;
  std::vector<bool> sibling_left;
  while (size1 != size2) {
    const uint64_t k = std::bit_floor(size2 - 1);
    if (size1 <= k) {
      sibling_left.push_back(false);
      size2 = k;
    } else {
      sibling_left.push_back(true);
      size1 -= k;
      size2 -= k;
      whole = false;
    }
  }
  std::reverse(sibling_left.begin(), sibling_left.end());
  return {whole, sibling_left};
}

Hash32 random_hash(std::mt19937_64& rng) {
  Hash32 h;
  for (uint8_t& b : h) b = static_cast<uint8_t>(rng());
  return h;
}

std::vector<Hash32> random_leaves(std::mt19937_64& rng, size_t n) {
  std::vector<Hash32> leaves;
  leaves.reserve(n);
  for (size_t i = 0; i < n; ++i) leaves.push_back(leaf_hash(random_hash(rng)));
  return leaves;
}

std::vector<Bytes> as_byte_list(const std::vector<Hash32>& hashes) {
  std::vector<Bytes> out;
  for (const Hash32& h : hashes) out.emplace_back(h.begin(), h.end());
  return out;
}

// A number of random magnitude: uniform bits shifted right by 0..63.
uint64_t random_magnitude(std::mt19937_64& rng) {
  const uint64_t bits = rng();
  const unsigned shift = static_cast<unsigned>(rng() % 64);
  return bits >> shift;
}

// Flips bits of one random byte.
Hash32 corrupted(Hash32 h, std::mt19937_64& rng) {
  const size_t pos = rng() % h.size();
  const uint8_t mask = static_cast<uint8_t>(1 + rng() % 255);
  h[pos] ^= mask;
  return h;
}

// Byte `pos` changed by a random non-zero mask; pos == 32 picks a random byte.
Hash32 corrupted_at(Hash32 h, size_t pos, std::mt19937_64& rng) {
  if (pos >= h.size()) return corrupted(h, rng);
  h[pos] ^= static_cast<uint8_t>(1 + rng() % 255);
  return h;
}

// ---------------------------------------------------------------------------------------------------
// Hashing and roots.

TEST(MerkleHasher, MatchesTheRfc6962HasherVectors) {
  const json j = read_json(kRfc6962Dir / "tree-roots.derived.json");
  const json& v = j.at("hasher_vectors_hex");
  EXPECT_EQ(to_hex(merkle_root({})), v.at("empty_tree").get<std::string>());
  EXPECT_EQ(to_hex(leaf_hash({})), v.at("leaf_empty").get<std::string>());
  EXPECT_EQ(to_hex(leaf_hash(as_bytes("L123456"))), v.at("leaf_ascii_L123456").get<std::string>());
  // The upstream vector hashes the 4-byte ASCII strings "N123" and "N456" as children.
  EXPECT_EQ(to_hex(raw_node_hash(as_bytes("N123"), as_bytes("N456"))),
            v.at("children_ascii_N123_N456").get<std::string>());
}

TEST(MerkleHasher, NodeHashIsShaOfOneThenLeftThenRight) {
  const Hash32 left = sha256("left");
  const Hash32 right = sha256("right");
  EXPECT_EQ(node_hash(left, right), raw_node_hash(left, right));
  EXPECT_NE(node_hash(left, right), node_hash(right, left));
  Bytes leaf_pre = {0x00};
  leaf_pre.insert(leaf_pre.end(), left.begin(), left.end());
  EXPECT_EQ(leaf_hash(left), sha256(leaf_pre));
  // Domain separation: a leaf over 64 bytes never equals the node over the same 64 bytes.
  Bytes both(left.begin(), left.end());
  both.insert(both.end(), right.begin(), right.end());
  EXPECT_NE(leaf_hash(both), node_hash(left, right));
}

TEST(MerkleRoot, MatchesTheReferenceRootOfTheFirstNLeavesForEveryListedSize) {
  const json j = read_json(kRfc6962Dir / "tree-roots.derived.json");
  std::vector<Hash32> leaves;
  for (const json& hex : j.at("leaf_inputs_hex")) leaves.push_back(leaf_hash(hex_bytes(hex.get<std::string>())));
  ASSERT_EQ(leaves.size(), 8u);
  const json& roots = j.at("root_by_tree_size_hex");
  ASSERT_EQ(roots.size(), 9u);
  for (const auto& [size_text, root_hex] : roots.items()) {
    const size_t n = std::stoul(size_text);
    ASSERT_LE(n, leaves.size());
    EXPECT_EQ(to_hex(merkle_root(std::span<const Hash32>(leaves).first(n))), root_hex.get<std::string>())
        << "tree size " << n;
  }
}

TEST(MerkleRoot, EqualsTheRecursiveDefinitionForEverySizeUpTo300) {
  std::mt19937_64 rng(6962);
  const std::vector<Hash32> leaves = random_leaves(rng, 300);
  for (size_t n = 0; n <= leaves.size(); ++n) {
    std::vector<Hash32> d(leaves.begin(), leaves.begin() + static_cast<std::ptrdiff_t>(n));
    ASSERT_EQ(merkle_root(d), ref_mth(d)) << "tree size " << n;
  }
}

TEST(MerkleRoot, OfOneLeafIsThatLeafHash) {
  const Hash32 leaf = leaf_hash(as_bytes("only"));
  EXPECT_EQ(merkle_root(std::span<const Hash32>(&leaf, 1)), leaf);
}

// ---------------------------------------------------------------------------------------------------
// Inclusion proofs.

// Runs `verify` on every vector file of testdata/<kind>: exactly 98 files, each verdict as wantErr
// says, every refusal a verifier error, and exactly 6 happy paths.
void check_vector_files(const char* kind, const std::function<Status(const json&, const fs::path&)>& verify) {
  const std::vector<fs::path> files = vector_files(kind);
  ASSERT_EQ(files.size(), 98u) << "expected the 98 vectors under " << (kRfc6962Dir / "testdata" / kind);
  int ok_count = 0;
  for (const fs::path& file : files) {
    const json j = read_json(file);
    const Status s = verify(j, file);
    const bool want_err = j.at("wantErr").get<bool>();
    EXPECT_EQ(!s.ok(), want_err) << file.string() << " (" << j.value("desc", "") << "): " << s.to_string();
    if (!s.ok()) {
      EXPECT_TRUE(is_verifier_error(s.error().code)) << file.string() << ": " << s.to_string();
    }
    ok_count += s.ok() ? 1 : 0;
  }
  EXPECT_EQ(ok_count, 6);  // the happy paths
}

TEST(MerkleInclusion, AgreesWithEveryTransparencyDevVector) {
  check_vector_files("inclusion", [](const json& j, const fs::path& file) {
    return verify_inclusion(j.at("leafIdx").get<uint64_t>(), j.at("treeSize").get<uint64_t>(),
                            base64_field(j.at("leafHash"), file), base64_list(j.at("proof"), file),
                            base64_field(j.at("root"), file));
  });
}

TEST(MerkleInclusion, EveryLeafProofVerifiesForEveryTreeSizeUpTo300) {
  std::mt19937_64 rng(0x6a6f6574);
  const std::vector<Hash32> leaves = random_leaves(rng, 300);
  for (uint64_t n = 1; n <= leaves.size(); ++n) {
    const auto tree = std::span<const Hash32>(leaves).first(n);
    const Hash32 root = merkle_root(tree);
    for (uint64_t i = 0; i < n; ++i) {
      auto proof = inclusion_proof(tree, i);
      ASSERT_TRUE(proof.ok()) << proof.error().to_string();
      const Status s = verify_inclusion(i, n, leaves[i], *proof, root);
      ASSERT_TRUE(s.ok()) << "leaf " << i << " of " << n << ": " << s.to_string();
    }
  }
}

TEST(MerkleInclusion, GeneratedPathEqualsTheRecursiveDefinition) {
  std::mt19937_64 rng(2013);
  const std::vector<Hash32> leaves = random_leaves(rng, 70);
  for (uint64_t n = 1; n <= leaves.size(); ++n) {
    std::vector<Hash32> d(leaves.begin(), leaves.begin() + static_cast<std::ptrdiff_t>(n));
    for (uint64_t i = 0; i < n; ++i) {
      auto proof = inclusion_proof(d, i);
      ASSERT_TRUE(proof.ok());
      ASSERT_EQ(*proof, ref_path(i, d)) << "leaf " << i << " of " << n;
    }
  }
}

TEST(MerkleInclusion, ByteAndHashProofsVerifyAlike) {
  std::mt19937_64 rng(17);
  const std::vector<Hash32> leaves = random_leaves(rng, 21);
  const Hash32 root = merkle_root(leaves);
  for (uint64_t i = 0; i < leaves.size(); ++i) {
    auto proof = inclusion_proof(leaves, i);
    ASSERT_TRUE(proof.ok());
    EXPECT_TRUE(verify_inclusion(i, leaves.size(), leaves[i], as_byte_list(*proof), root).ok());
    EXPECT_TRUE(verify_inclusion(i, leaves.size(), leaves[i], *proof, root).ok());
  }
}

TEST(MerkleInclusion, FlippingAnyByteOfAProofHashTheLeafOrTheRootFails) {
  std::mt19937_64 rng(0xb10c);
  const std::vector<Hash32> leaves = random_leaves(rng, 130);
  for (uint64_t n = 1; n <= leaves.size(); ++n) {
    const auto tree = std::span<const Hash32>(leaves).first(n);
    const Hash32 root = merkle_root(tree);
    for (uint64_t i = 0; i < n; ++i) {
      const std::vector<Hash32> proof = *inclusion_proof(tree, i);
      // Every byte position for small trees, one random byte per hash for the larger ones.
      const size_t positions = n <= 20 ? 32 : 1;
      for (size_t k = 0; k < positions; ++k) {
        auto flip = [&](const Hash32& h) { return corrupted_at(h, positions == 1 ? h.size() : k, rng); };
        for (size_t j = 0; j < proof.size(); ++j) {
          std::vector<Hash32> bad = proof;
          bad[j] = flip(bad[j]);
          const Status s = verify_inclusion(i, n, leaves[i], bad, root);
          ASSERT_FALSE(s.ok()) << "proof hash " << j << ", leaf " << i << " of " << n;
          ASSERT_EQ(s.error().code, ErrorCode::kBadProof);
        }
        ASSERT_FALSE(verify_inclusion(i, n, flip(leaves[i]), proof, root).ok()) << "leaf " << i << " of " << n;
        ASSERT_FALSE(verify_inclusion(i, n, leaves[i], proof, flip(root)).ok()) << "leaf " << i << " of " << n;
      }
    }
  }
}

// A proof carries no tree size: it verifies under another (index, size) exactly when the leaf's path
// has the same shape there (e.g. leaf 4 in trees of 7 and of 8 leaves). So an index or a size that is
// wrong is caught unless the shapes agree; the root, which a signed tree head binds to its size, is
// what pins the tree down.
TEST(MerkleInclusion, VerifiesUnderAnotherIndexOrSizeOnlyWhenThePathHasTheSameShape) {
  std::mt19937_64 rng(77);
  const std::vector<Hash32> leaves = random_leaves(rng, 32);
  int same_shape_elsewhere = 0;
  for (uint64_t n = 1; n <= leaves.size(); ++n) {
    const auto tree = std::span<const Hash32>(leaves).first(n);
    const Hash32 root = merkle_root(tree);
    for (uint64_t i = 0; i < n; ++i) {
      const std::vector<Hash32> proof = *inclusion_proof(tree, i);
      const std::vector<bool> shape = inclusion_shape(i, n);
      for (uint64_t n2 = 1; n2 <= 70; ++n2) {
        for (uint64_t i2 : {i, i ^ 1, i + 1, i - 1, uint64_t{0}, n2 - 1, n2, n2 + 3}) {
          const Status s = verify_inclusion(i2, n2, leaves[i], proof, root);
          if (i2 >= n2) {
            ASSERT_FALSE(s.ok());
            ASSERT_EQ(s.error().code, ErrorCode::kInvalidArgument);
            continue;
          }
          const bool same = inclusion_shape(i2, n2) == shape;
          ASSERT_EQ(s.ok(), same) << "proof of leaf " << i << " of " << n << " checked as leaf " << i2 << " of "
                                  << n2 << ": " << s.to_string();
          if (same && n2 == n && i2 != i) ADD_FAILURE() << "two leaves of one tree share a path shape";
          if (same && n2 != n) ++same_shape_elsewhere;
        }
      }
    }
  }
  EXPECT_GT(same_shape_elsewhere, 0);  // the caveat above is real
}

TEST(MerkleInclusion, VerifiesSyntheticProofsInTreesOfUpTo2To64MinusOneLeaves) {
  std::mt19937_64 rng(0xfeedface);
  std::vector<std::pair<uint64_t, uint64_t>> cases = {
      {0, UINT64_MAX}, {UINT64_MAX - 1, UINT64_MAX}, {uint64_t{1} << 63, (uint64_t{1} << 63) + 1},
      {(uint64_t{1} << 63) - 1, uint64_t{1} << 63}, {0, uint64_t{1} << 63}, {12345, (uint64_t{1} << 63) + 1}};
  for (int r = 0; r < 2000; ++r) {
    const uint64_t size = std::max<uint64_t>(1, random_magnitude(rng));
    cases.emplace_back(rng() % size, size);
  }
  for (const auto& [index, size] : cases) {
    // Build a proof and its root from the recursive shape, not from the verifier's bit arithmetic.
    const std::vector<bool> shape = inclusion_shape(index, size);
    const Hash32 leaf = random_hash(rng);
    std::vector<Hash32> proof;
    Hash32 root = leaf;
    for (bool sibling_left : shape) {
      proof.push_back(random_hash(rng));
      root = sibling_left ? node_hash(proof.back(), root) : node_hash(root, proof.back());
    }
    const Status s = verify_inclusion(index, size, leaf, proof, root);
    ASSERT_TRUE(s.ok()) << "leaf " << index << " of " << size << ": " << s.to_string();
    ASSERT_FALSE(verify_inclusion(index, size, leaf, proof, corrupted(root, rng)).ok());
    // One hash too many or too few is a bad proof, never a crash.
    std::vector<Hash32> longer = proof;
    longer.push_back(random_hash(rng));
    ASSERT_EQ(verify_inclusion(index, size, leaf, longer, root).error().code, ErrorCode::kBadProof);
    if (!proof.empty()) {
      std::vector<Hash32> shorter(proof.begin(), proof.end() - 1);
      ASSERT_EQ(verify_inclusion(index, size, leaf, shorter, root).error().code, ErrorCode::kBadProof);
    }
  }
}

TEST(MerkleInclusion, RejectsArgumentsOutsideTheContractWithTypedErrors) {
  std::mt19937_64 rng(5);
  const std::vector<Hash32> leaves = random_leaves(rng, 5);
  const Hash32 root = merkle_root(leaves);
  EXPECT_EQ(inclusion_proof(leaves, 5).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(inclusion_proof({}, 0).error().code, ErrorCode::kInvalidArgument);
  const std::vector<Bytes> proof = as_byte_list(*inclusion_proof(leaves, 2));
  ASSERT_TRUE(verify_inclusion(2, 5, leaves[2], proof, root).ok());

  EXPECT_EQ(verify_inclusion(5, 5, leaves[2], proof, root).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(verify_inclusion(0, 0, leaves[2], std::vector<Bytes>{}, root).error().code,
            ErrorCode::kInvalidArgument);
  const Bytes short_leaf(leaves[2].begin(), leaves[2].end() - 1);
  EXPECT_EQ(verify_inclusion(2, 5, short_leaf, proof, root).error().code, ErrorCode::kMalformed);
  Bytes long_root(root.begin(), root.end());
  long_root.push_back(0);
  EXPECT_EQ(verify_inclusion(2, 5, leaves[2], proof, long_root).error().code, ErrorCode::kMalformed);
  std::vector<Bytes> bad_hash = proof;
  bad_hash[1].pop_back();
  EXPECT_EQ(verify_inclusion(2, 5, leaves[2], bad_hash, root).error().code, ErrorCode::kMalformed);
  std::vector<Bytes> extra = proof;
  extra.push_back(Bytes(32, 0));
  EXPECT_EQ(verify_inclusion(2, 5, leaves[2], extra, root).error().code, ErrorCode::kBadProof);
  std::vector<Bytes> huge(10'000, Bytes(32, 0));
  EXPECT_EQ(verify_inclusion(2, 5, leaves[2], huge, root).error().code, ErrorCode::kBadProof);
}

// ---------------------------------------------------------------------------------------------------
// Consistency proofs.

TEST(MerkleConsistency, AgreesWithEveryTransparencyDevVector) {
  check_vector_files("consistency", [](const json& j, const fs::path& file) {
    return verify_consistency(j.at("size1").get<uint64_t>(), j.at("size2").get<uint64_t>(),
                              base64_list(j.at("proof"), file), base64_field(j.at("root1"), file),
                              base64_field(j.at("root2"), file));
  });
}

TEST(MerkleConsistency, EveryProofBetweenEveryPairOfSizesUpTo130Verifies) {
  std::mt19937_64 rng(0xc0ffee);
  const std::vector<Hash32> leaves = random_leaves(rng, 130);
  std::vector<Hash32> roots(leaves.size() + 1);
  for (size_t n = 0; n <= leaves.size(); ++n) roots[n] = merkle_root(std::span<const Hash32>(leaves).first(n));
  for (uint64_t n = 1; n <= leaves.size(); ++n) {
    const auto tree = std::span<const Hash32>(leaves).first(n);
    for (uint64_t m = 1; m <= n; ++m) {
      auto proof = consistency_proof(tree, m);
      ASSERT_TRUE(proof.ok()) << proof.error().to_string();
      ASSERT_EQ(proof->empty(), m == n);
      const Status s = verify_consistency(m, n, *proof, roots[m], roots[n]);
      ASSERT_TRUE(s.ok()) << m << " to " << n << ": " << s.to_string();
    }
  }
}

TEST(MerkleConsistency, GeneratedProofEqualsTheRecursiveDefinition) {
  std::mt19937_64 rng(9162);
  const std::vector<Hash32> leaves = random_leaves(rng, 70);
  for (uint64_t n = 1; n <= leaves.size(); ++n) {
    std::vector<Hash32> d(leaves.begin(), leaves.begin() + static_cast<std::ptrdiff_t>(n));
    for (uint64_t m = 1; m <= n; ++m) {
      auto proof = consistency_proof(d, m);
      ASSERT_TRUE(proof.ok());
      ASSERT_EQ(*proof, ref_subproof(m, d, true)) << m << " to " << n;
    }
  }
}

TEST(MerkleConsistency, FlippingAnyByteOfAProofHashOrEitherRootFails) {
  std::mt19937_64 rng(0x5eed);
  const std::vector<Hash32> leaves = random_leaves(rng, 64);
  std::vector<Hash32> roots(leaves.size() + 1);
  for (size_t n = 0; n <= leaves.size(); ++n) roots[n] = merkle_root(std::span<const Hash32>(leaves).first(n));
  for (uint64_t n = 1; n <= leaves.size(); ++n) {
    const auto tree = std::span<const Hash32>(leaves).first(n);
    for (uint64_t m = 1; m <= n; ++m) {
      const std::vector<Hash32> proof = *consistency_proof(tree, m);
      const size_t positions = n <= 16 ? 32 : 1;
      for (size_t k = 0; k < positions; ++k) {
        auto flip = [&](const Hash32& h) { return corrupted_at(h, positions == 1 ? h.size() : k, rng); };
        for (size_t j = 0; j < proof.size(); ++j) {
          std::vector<Hash32> bad = proof;
          bad[j] = flip(bad[j]);
          const Status s = verify_consistency(m, n, bad, roots[m], roots[n]);
          ASSERT_FALSE(s.ok()) << "proof hash " << j << ", " << m << " to " << n;
          ASSERT_EQ(s.error().code, ErrorCode::kBadProof);
        }
        ASSERT_FALSE(verify_consistency(m, n, proof, flip(roots[m]), roots[n]).ok()) << m << " to " << n;
        ASSERT_FALSE(verify_consistency(m, n, proof, roots[m], flip(roots[n])).ok()) << m << " to " << n;
      }
      if (m < n) {
        ASSERT_FALSE(verify_consistency(m, n, proof, roots[n], roots[m]).ok()) << "swapped roots";
      }
    }
  }
}

// As for inclusion: a consistency proof verifies under other sizes exactly when PROOF has the same
// shape there (e.g. the one-hash proof from 4 to 8 also "proves" 4 to 5 against the root of 8).
TEST(MerkleConsistency, VerifiesUnderOtherSizesOnlyWhenTheProofHasTheSameShape) {
  std::mt19937_64 rng(88);
  const std::vector<Hash32> leaves = random_leaves(rng, 40);
  std::vector<Hash32> roots(leaves.size() + 1);
  for (size_t n = 0; n <= leaves.size(); ++n) roots[n] = merkle_root(std::span<const Hash32>(leaves).first(n));
  int same_shape_elsewhere = 0;
  for (uint64_t n = 1; n <= leaves.size(); ++n) {
    const auto tree = std::span<const Hash32>(leaves).first(n);
    for (uint64_t m = 1; m <= n; ++m) {
      const std::vector<Hash32> proof = *consistency_proof(tree, m);
      const auto shape = consistency_shape(m, n);
      for (uint64_t n2 : {n - 2, n - 1, n, n + 1, n + 2, 2 * n, n / 2}) {
        for (uint64_t m2 : {m - 2, m - 1, m, m + 1, m + 2, m / 2, 2 * m}) {
          if (m2 == 0 || n2 == 0 || m2 > n2 || n2 > (uint64_t{1} << 32)) continue;
          const Status s = verify_consistency(m2, n2, proof, roots[m], roots[n]);
          const bool same = consistency_shape(m2, n2) == shape;
          ASSERT_EQ(s.ok(), same) << "proof of " << m << " to " << n << " checked as " << m2 << " to " << n2 << ": "
                                  << s.to_string();
          if (same && (m2 != m || n2 != n)) ++same_shape_elsewhere;
        }
      }
    }
  }
  EXPECT_GT(same_shape_elsewhere, 0);  // the caveat above is real
}

TEST(MerkleConsistency, VerifiesSyntheticProofsBetweenSizesUpTo2To64MinusOne) {
  std::mt19937_64 rng(0xdecaf);
  std::vector<std::pair<uint64_t, uint64_t>> cases = {
      {1, UINT64_MAX}, {UINT64_MAX - 1, UINT64_MAX}, {uint64_t{1} << 63, UINT64_MAX},
      {(uint64_t{1} << 63) - 1, uint64_t{1} << 63}, {3, (uint64_t{1} << 63) + 1}};
  for (int r = 0; r < 2000; ++r) {
    const uint64_t size2 = std::max<uint64_t>(2, random_magnitude(rng));
    cases.emplace_back(1 + rng() % (size2 - 1), size2);
  }
  for (const auto& [size1, size2] : cases) {
    // Build the proof and both roots from the recursive shape, not from the verifier's bit arithmetic.
    const auto [whole, shape] = consistency_shape(size1, size2);
    std::vector<Hash32> proof;
    const Hash32 seed = random_hash(rng);
    if (!whole) proof.push_back(seed);
    Hash32 fr = seed;
    Hash32 sr = seed;
    for (bool sibling_left : shape) {
      const Hash32 c = random_hash(rng);
      proof.push_back(c);
      if (sibling_left) fr = node_hash(c, fr);
      sr = sibling_left ? node_hash(c, sr) : node_hash(sr, c);
    }
    const Status s = verify_consistency(size1, size2, proof, fr, sr);
    ASSERT_TRUE(s.ok()) << size1 << " to " << size2 << ": " << s.to_string();
    ASSERT_FALSE(verify_consistency(size1, size2, proof, corrupted(fr, rng), sr).ok());
    ASSERT_FALSE(verify_consistency(size1, size2, proof, fr, corrupted(sr, rng)).ok());
    std::vector<Hash32> longer = proof;
    longer.push_back(random_hash(rng));
    ASSERT_EQ(verify_consistency(size1, size2, longer, fr, sr).error().code, ErrorCode::kBadProof);
    std::vector<Hash32> shorter(proof.begin(), proof.end() - 1);
    ASSERT_EQ(verify_consistency(size1, size2, shorter, fr, sr).error().code, ErrorCode::kBadProof);
  }
}

TEST(MerkleConsistency, RejectsArgumentsOutsideTheContractWithTypedErrors) {
  std::mt19937_64 rng(6);
  const std::vector<Hash32> leaves = random_leaves(rng, 7);
  const Hash32 root3 = merkle_root(std::span<const Hash32>(leaves).first(3));
  const Hash32 root7 = merkle_root(leaves);
  EXPECT_EQ(consistency_proof(leaves, 0).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(consistency_proof(leaves, 8).error().code, ErrorCode::kInvalidArgument);
  EXPECT_TRUE(consistency_proof(leaves, 7)->empty());
  const std::vector<Bytes> proof = as_byte_list(*consistency_proof(leaves, 3));
  ASSERT_TRUE(verify_consistency(3, 7, proof, root3, root7).ok());

  EXPECT_EQ(verify_consistency(7, 3, proof, root3, root7).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(verify_consistency(0, 7, std::vector<Bytes>{}, root3, root7).error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(verify_consistency(0, 0, std::vector<Bytes>{}, root3, root3).error().code,
            ErrorCode::kInvalidArgument);
  const Bytes short_root(root3.begin(), root3.end() - 1);
  EXPECT_EQ(verify_consistency(3, 7, proof, short_root, root7).error().code, ErrorCode::kMalformed);
  EXPECT_EQ(verify_consistency(3, 7, proof, root3, short_root).error().code, ErrorCode::kMalformed);
  std::vector<Bytes> bad_hash = proof;
  bad_hash[0].push_back(0);
  EXPECT_EQ(verify_consistency(3, 7, bad_hash, root3, root7).error().code, ErrorCode::kMalformed);
  EXPECT_EQ(verify_consistency(3, 7, std::vector<Bytes>{}, root3, root7).error().code, ErrorCode::kBadProof);
  EXPECT_EQ(verify_consistency(7, 7, proof, root7, root7).error().code, ErrorCode::kBadProof);
  EXPECT_EQ(verify_consistency(7, 7, std::vector<Bytes>{}, root3, root7).error().code, ErrorCode::kBadProof);
  EXPECT_TRUE(verify_consistency(7, 7, std::vector<Bytes>{}, root7, root7).ok());
}

// ---------------------------------------------------------------------------------------------------
// MerkleFrontier.

TEST(MerkleFrontier, RootEqualsTheBatchRootAtEverySizeUpTo1000) {
  std::mt19937_64 rng(1000);
  const std::vector<Hash32> leaves = random_leaves(rng, 1000);
  MerkleFrontier f;
  EXPECT_EQ(f.root(), sha256(std::string_view()));
  for (size_t n = 0; n <= leaves.size(); ++n) {
    ASSERT_EQ(f.size(), n);
    ASSERT_EQ(f.hashes().size(), static_cast<size_t>(std::popcount(n)));
    ASSERT_EQ(f.root(), merkle_root(std::span<const Hash32>(leaves).first(n))) << "size " << n;
    if (n < leaves.size()) f.append(leaves[n]);
  }
}

TEST(MerkleFrontier, SerializeThenParseRoundTripsAndKeepsAppendingAlike) {
  std::mt19937_64 rng(1001);
  const std::vector<Hash32> leaves = random_leaves(rng, 1000);
  MerkleFrontier f;
  EXPECT_EQ(f.serialize(), Bytes(8, 0));
  for (size_t n = 0; n < leaves.size(); ++n) {
    const Bytes bytes = f.serialize();
    ASSERT_EQ(bytes.size(), 8 + 32 * f.hashes().size());
    auto parsed = MerkleFrontier::parse(bytes);
    ASSERT_TRUE(parsed.ok()) << "size " << n << ": " << parsed.error().to_string();
    ASSERT_EQ(*parsed, f);
    ASSERT_EQ(parsed->serialize(), bytes);
    parsed->append(leaves[n]);
    f.append(leaves[n]);
    ASSERT_EQ(parsed->root(), f.root());
  }
}

TEST(MerkleFrontier, ParseRejectsEveryTruncationAndTrailingBytes) {
  std::mt19937_64 rng(1002);
  MerkleFrontier f;
  for (const Hash32& leaf : random_leaves(rng, 1000)) f.append(leaf);
  const Bytes bytes = f.serialize();
  ASSERT_EQ(bytes.size(), 8u + 32u * 6u);  // 1000 = 0b1111101000
  for (size_t len = 0; len < bytes.size(); ++len) {
    auto parsed = MerkleFrontier::parse(ByteView(bytes).first(len));
    ASSERT_FALSE(parsed.ok()) << "truncated to " << len;
    ASSERT_EQ(parsed.error().code, ErrorCode::kMalformed);
  }
  Bytes longer = bytes;
  longer.push_back(0);
  EXPECT_EQ(MerkleFrontier::parse(longer).error().code, ErrorCode::kMalformed);
  Bytes wrong_size = bytes;
  wrong_size[7] ^= 0x01;  // 1001 has seven set bits, so the hashes no longer match the size
  EXPECT_EQ(MerkleFrontier::parse(wrong_size).error().code, ErrorCode::kMalformed);
}

TEST(MerkleFrontier, ParseOfRandomBytesFailsOrRoundTripsExactly) {
  std::mt19937_64 rng(1003);
  int parsed_count = 0;
  for (int r = 0; r < 20000; ++r) {
    Bytes bytes;
    put_u64_be(bytes, random_magnitude(rng));
    // Half the time the length fits the size field, so parsing can succeed.
    const size_t fitting = 32 * static_cast<size_t>(std::popcount(get_u64_be(bytes.data())));
    const size_t extra = r % 2 == 0 ? fitting : rng() % (2 * 32 * 64);
    for (size_t i = 0; i < extra; ++i) bytes.push_back(static_cast<uint8_t>(rng()));
    if (r % 7 == 0) bytes.resize(rng() % (bytes.size() + 1));
    auto parsed = MerkleFrontier::parse(bytes);
    if (!parsed.ok()) {
      ASSERT_EQ(parsed.error().code, ErrorCode::kMalformed);
      continue;
    }
    ++parsed_count;
    ASSERT_EQ(parsed->serialize(), bytes);
    ASSERT_LE(parsed->hashes().size(), MerkleFrontier::kMaxHashes);
    (void)parsed->root();
  }
  EXPECT_GT(parsed_count, 5000);
}

TEST(MerkleFrontier, HoldsSixtyFourHashesAtTheLargestSizeAndRefusesToGrowPastIt) {
  std::mt19937_64 rng(1004);
  Bytes bytes;
  put_u64_be(bytes, UINT64_MAX);
  std::vector<Hash32> hashes;
  for (int i = 0; i < 64; ++i) {
    hashes.push_back(random_hash(rng));
    bytes.insert(bytes.end(), hashes.back().begin(), hashes.back().end());
  }
  auto parsed = MerkleFrontier::parse(bytes);
  ASSERT_TRUE(parsed.ok()) << parsed.error().to_string();
  EXPECT_EQ(parsed->size(), UINT64_MAX);
  ASSERT_EQ(parsed->hashes().size(), 64u);
  Hash32 want = hashes.back();
  for (size_t i = hashes.size() - 1; i > 0; --i) want = node_hash(hashes[i - 1], want);
  EXPECT_EQ(parsed->root(), want);
  EXPECT_DEATH(parsed->append(random_hash(rng)), "invariant violated");
}

}  // namespace
}  // namespace joet
