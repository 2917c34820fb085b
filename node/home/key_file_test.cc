#include "node/home/key_file.h"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "ledger/testing/temp_dir.h"

namespace joet::home {
namespace {

mode_t mode_of(const std::string& path) {
  struct stat st{};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 07777;
}

std::string read_all(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_text(const std::string& path, const std::string& text, mode_t mode) {
  std::ofstream(path) << text;
  ASSERT_EQ(::chmod(path.c_str(), mode), 0);
}

// Runs with the given umask and restores the previous one.
struct ScopedUmask {
  explicit ScopedUmask(mode_t mask) : old(::umask(mask)) {}
  ~ScopedUmask() { ::umask(old); }
  mode_t old;
};

TEST(KeyFile, IsCreatedWithMode0600WhateverTheUmask) {
  testing::TempDir dir("key_mode");
  for (mode_t mask : {mode_t{0}, mode_t{022}, mode_t{0277}}) {
    ScopedUmask umask(mask);
    const std::string path = dir.sub("validator-" + std::to_string(mask) + ".key");
    auto created = create_key_file(path);
    ASSERT_TRUE(created.ok()) << created.error.to_string();
    EXPECT_EQ(mode_of(path), 0600u) << "umask " << mask;
  }
}

TEST(KeyFile, LoadsTheKeyItSaved) {
  testing::TempDir dir("key_load");
  const std::string path = dir.sub("validator.key");
  auto created = create_key_file(path);
  ASSERT_TRUE(created.ok()) << created.error.to_string();
  auto loaded = load_key_file(path);
  ASSERT_TRUE(loaded.ok()) << loaded.error.to_string();
  EXPECT_EQ(loaded.value->secret(), created.value->secret());
  EXPECT_EQ(loaded.value->public_key(), created.value->public_key());
  EXPECT_EQ(read_all(path), key_file_json(*loaded.value));
  EXPECT_NE(read_all(path).find("\"type\": \"bip340\""), std::string::npos);
}

TEST(KeyFile, IsNeverOverwritten) {
  testing::TempDir dir("key_overwrite");
  const std::string path = dir.sub("validator.key");
  ASSERT_TRUE(create_key_file(path).ok());
  const std::string before = read_all(path);
  auto again = create_key_file(path);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error.kind, HomeErrorKind::kAlreadyExists);
  EXPECT_EQ(again.error.file, path);
  auto saved = save_key_file(path, PrivateKey::from_test_seed("other"));
  ASSERT_FALSE(saved.ok());
  EXPECT_EQ(saved.error.kind, HomeErrorKind::kAlreadyExists);
  EXPECT_EQ(read_all(path), before);
}

TEST(KeyFile, LeavesNoTempFileBehind) {
  testing::TempDir dir("key_tmp");
  ASSERT_TRUE(create_key_file(dir.sub("validator.key")).ok());
  ASSERT_FALSE(create_key_file(dir.sub("validator.key")).ok());
  size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    EXPECT_EQ(entry.path().filename(), "validator.key");
    ++files;
  }
  EXPECT_EQ(files, 1u);
}

TEST(KeyFile, ReadableByGroupOrOthersIsRefusedWithTheChmodFix) {
  testing::TempDir dir("key_insecure");
  const std::string path = dir.sub("validator.key");
  ASSERT_TRUE(create_key_file(path).ok());
  for (mode_t mode : {mode_t{0644}, mode_t{0640}, mode_t{0604}, mode_t{0660}}) {
    ASSERT_EQ(::chmod(path.c_str(), mode), 0);
    auto loaded = load_key_file(path);
    ASSERT_FALSE(loaded.ok()) << "mode " << mode;
    EXPECT_EQ(loaded.error.kind, HomeErrorKind::kInsecurePermissions);
    EXPECT_EQ(loaded.error.file, path);
    EXPECT_NE(loaded.error.message.find("chmod 600 " + path), std::string::npos) << loaded.error.message;
  }
  ASSERT_EQ(::chmod(path.c_str(), 0400), 0);
  EXPECT_TRUE(load_key_file(path).ok());
}

TEST(KeyFile, RefusesADamagedFileNamingTheField) {
  testing::TempDir dir("key_damaged");
  const PrivateKey key = PrivateKey::from_test_seed("k");
  const std::string secret = to_hex(key.secret());
  const std::string other = PrivateKey::from_test_seed("other").public_key().hex();
  struct Case {
    std::string text;
    HomeErrorKind kind;
    std::string path;
  };
  const Case cases[] = {
      {"not json", HomeErrorKind::kSyntax, ""},
      {R"({"type": "ed25519", "secret": ")" + secret + R"(", "public": ")" + key.public_key().hex() + "\"}",
       HomeErrorKind::kBadValue, "type"},
      {R"({"type": "bip340", "secret": ")" + std::string(64, '0') + R"(", "public": ")" + other + "\"}",
       HomeErrorKind::kBadKey, "secret"},
      {R"({"type": "bip340", "secret": "abcd", "public": ")" + other + "\"}", HomeErrorKind::kBadKey, "secret"},
      {R"({"type": "bip340", "secret": ")" + secret + R"(", "public": ")" + other + "\"}", HomeErrorKind::kBadKey,
       "public"},
      {R"({"type": "bip340", "secret": ")" + secret + "\"}", HomeErrorKind::kMissingField, "public"},
  };
  for (const Case& c : cases) {
    const std::string path = dir.sub("damaged.key");
    std::filesystem::remove(path);
    write_text(path, c.text, 0600);
    auto loaded = load_key_file(path);
    ASSERT_FALSE(loaded.ok()) << c.text;
    EXPECT_EQ(loaded.error.kind, c.kind) << loaded.error.to_string();
    EXPECT_EQ(loaded.error.path, c.path) << loaded.error.to_string();
    EXPECT_EQ(loaded.error.file, path);
  }
}

TEST(KeyFile, MissingIsNotFound) {
  auto loaded = load_key_file("/nonexistent/validator.key");
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.error.kind, HomeErrorKind::kNotFound);
}

}  // namespace
}  // namespace joet::home
