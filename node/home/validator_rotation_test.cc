#include "node/home/validator_rotation.h"

#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "ledger/testing/temp_dir.h"
#include "node/home/home.h"
#include "node/home/key_file.h"
#include "node/signing_guard.h"

namespace joet::home {
namespace {

namespace fs = std::filesystem;

// A home as a node leaves it: its key, its signing guard at height 7, and a WAL.
struct StoppedNode {
  testing::TempDir dir{"rotation"};
  std::string root = dir.path().string() + "/node";
  PublicKey key;

  StoppedNode() {
    auto init = init_home({root, "node3", "joet-local", 0});
    EXPECT_TRUE(init.ok()) << init.error.to_string();
    key = init.value->validator_key;
    auto signer = GuardedSigner::open(root + "/keys/validator.state", *load_key_file(root + "/keys/validator.key").value, 1, 0);
    EXPECT_TRUE(signer.ok());
    EXPECT_TRUE((*signer)->signed_durably(7).ok());
    std::ofstream(root + "/data/consensus.wal") << "the old key's records";
  }
};

TEST(ReplaceValidatorKey, RetiresTheKeyItsGuardAndItsWalTogetherAndWritesAFreshKey) {
  StoppedNode node;
  auto replaced = replace_validator_key(node.root);
  ASSERT_TRUE(replaced.ok()) << replaced.error.to_string();
  EXPECT_EQ(replaced.value->retired, node.key);
  EXPECT_NE(replaced.value->fresh, node.key);
  EXPECT_TRUE(replaced.value->wal_moved);
  const std::string retired = node.root + "/keys/retired/" + node.key.hex();
  EXPECT_EQ(replaced.value->retired_dir, retired);
  EXPECT_EQ(load_key_file(retired + "/validator.key").value->public_key(), node.key);
  EXPECT_TRUE(fs::exists(retired + "/validator.state"));
  EXPECT_TRUE(fs::exists(retired + "/consensus.wal"));
  EXPECT_FALSE(fs::exists(node.root + "/data/consensus.wal"));
  EXPECT_FALSE(fs::exists(node.root + "/keys/validator.state"));
  EXPECT_EQ(load_key_file(node.root + "/keys/validator.key").value->public_key(), replaced.value->fresh);
  EXPECT_EQ(fs::status(retired).permissions() & fs::perms::all, fs::perms::owner_all);
  // The fresh key has signed nothing: its guard starts at zero, the old record is the retired key's.
  auto guard = GuardedSigner::open(node.root + "/keys/validator.state", *load_key_file(node.root + "/keys/validator.key").value, 1, 0);
  ASSERT_TRUE(guard.ok());
  EXPECT_EQ((*guard)->last_signed_height(), 0u);
}

TEST(ReplaceValidatorKey, RefusesWhileANodeHoldsTheSigningGuardAndMovesNothing) {
  StoppedNode node;
  auto running = GuardedSigner::open(node.root + "/keys/validator.state", *load_key_file(node.root + "/keys/validator.key").value, 1, 0);
  ASSERT_TRUE(running.ok());
  auto replaced = replace_validator_key(node.root);
  ASSERT_FALSE(replaced.ok());
  EXPECT_EQ(replaced.error.kind, HomeErrorKind::kInUse) << replaced.error.to_string();
  EXPECT_EQ(load_key_file(node.root + "/keys/validator.key").value->public_key(), node.key);
  EXPECT_TRUE(fs::exists(node.root + "/data/consensus.wal"));
  EXPECT_FALSE(fs::exists(node.root + "/keys/retired"));
  EXPECT_FALSE(fs::exists(node.root + "/keys/validator.key.fresh"));
}

TEST(ReplaceValidatorKey, ReplacesAKeyTwiceButNeverRetiresOneKeyTwice) {
  StoppedNode node;
  auto first = replace_validator_key(node.root);
  ASSERT_TRUE(first.ok());
  auto second = replace_validator_key(node.root);  // the fresh key replaced in turn (no WAL, no guard yet)
  ASSERT_TRUE(second.ok()) << second.error.to_string();
  EXPECT_EQ(second.value->retired, first.value->fresh);
  EXPECT_FALSE(second.value->wal_moved);
  // A retired key put back by hand is not retired over its own directory.
  fs::copy_file(first.value->retired_dir + "/validator.key", node.root + "/keys/validator.key",
                fs::copy_options::overwrite_existing);
  auto again = replace_validator_key(node.root);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error.kind, HomeErrorKind::kAlreadyExists);
  EXPECT_EQ(again.error.file, first.value->retired_dir);
  EXPECT_FALSE(fs::exists(node.root + "/keys/validator.key.fresh"));
}

TEST(ReplaceValidatorKey, RefusesADirectoryThatIsNoHome) {
  testing::TempDir dir("rotation-empty");
  auto replaced = replace_validator_key(dir.path().string());
  ASSERT_FALSE(replaced.ok());
  EXPECT_EQ(replaced.error.kind, HomeErrorKind::kNotFound) << replaced.error.to_string();
}

}  // namespace
}  // namespace joet::home
