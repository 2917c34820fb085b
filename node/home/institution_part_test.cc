#include "node/home/institution_part.h"

#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "ledger/testing/temp_dir.h"
#include "node/home/file_io.h"
#include "node/home/home.h"
#include "node/home/key_file.h"

namespace joet::home {
namespace {

using nlohmann::json;

PublicKey key(const std::string& name) { return PrivateKey::from_test_seed(name).public_key(); }

InstitutionPart sample() {
  InstitutionPart p;
  p.institution = {"rb-amsterdam", cv1::COURT, {key("court-1"), key("court-2")}};
  p.validator_key = key("court-validator");
  p.address = "10.0.0.1:26656";
  return p;
}

HomeError error_of(const json& doc) {
  auto parsed = parse_institution_part(doc.dump(), "court.part.json");
  EXPECT_FALSE(parsed.ok()) << doc.dump();
  return parsed.error;
}

TEST(InstitutionPart, WrittenAndParsedBackIsTheSamePartWithTheFieldsOfGenesis) {
  const InstitutionPart p = sample();
  const std::string text = write_institution_part(p);
  auto parsed = parse_institution_part(text, "court.part.json");
  ASSERT_TRUE(parsed.ok()) << parsed.error.to_string();
  EXPECT_EQ(*parsed.value, p);
  const json doc = json::parse(text);
  EXPECT_EQ(doc["id"], "rb-amsterdam");
  EXPECT_EQ(doc["role"], "COURT");
  EXPECT_EQ(doc["member_keys"], json::array({key("court-1").hex(), key("court-2").hex()}));
  EXPECT_EQ(doc["validator_key"], key("court-validator").hex());
  EXPECT_EQ(doc["address"], "10.0.0.1:26656");
}

TEST(InstitutionPart, WithoutAnAddressHasNoAddressField) {
  InstitutionPart p = sample();
  p.address = "";
  const std::string text = write_institution_part(p);
  EXPECT_FALSE(json::parse(text).contains("address"));
  auto parsed = parse_institution_part(text);
  ASSERT_TRUE(parsed.ok()) << parsed.error.to_string();
  EXPECT_EQ(*parsed.value, p);
}

TEST(InstitutionPart, RefusesEachBrokenFieldWithItsPathAndTheFile) {
  const json good = json::parse(write_institution_part(sample()));
  struct Case {
    const char* what;
    json doc;
    HomeErrorKind kind;
    const char* path;
  };
  auto with = [&](const char* field, json value) {
    json d = good;
    d[field] = std::move(value);
    return d;
  };
  auto without = [&](const char* field) {
    json d = good;
    d.erase(field);
    return d;
  };
  const Case cases[] = {
      {"a role that is not one", with("role", "GEMEENTE"), HomeErrorKind::kBadRole, "role"},
      {"no validator", without("validator_key"), HomeErrorKind::kMissingField, "validator_key"},
      {"no id", without("id"), HomeErrorKind::kMissingField, "id"},
      {"a BSN-shaped id", with("id", "123456782"), HomeErrorKind::kBadValue, "id"},
      {"no member key", with("member_keys", json::array()), HomeErrorKind::kBadValue, "member_keys"},
      {"a member key twice", with("member_keys", json::array({key("a").hex(), key("a").hex()})),
       HomeErrorKind::kDuplicate, "member_keys[1]"},
      {"the validator key as a member key", with("member_keys", json::array({key("court-validator").hex()})),
       HomeErrorKind::kDuplicate, "validator_key"},
      {"an upper-case key", with("validator_key", [] {
         std::string k = key("v").hex();
         for (char& c : k) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
         return k;
       }()),
       HomeErrorKind::kBadKey, "validator_key"},
      {"an address without a port", with("address", "10.0.0.1"), HomeErrorKind::kBadAddress, "address"},
      {"a wildcard address", with("address", "0.0.0.0:26656"), HomeErrorKind::kBadAddress, "address"},
      {"a wildcard v6 address", with("address", "[::]:26656"), HomeErrorKind::kBadAddress, "address"},
      {"an unknown field", with("power", 2), HomeErrorKind::kUnknownField, "power"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    const HomeError e = error_of(c.doc);
    EXPECT_EQ(e.kind, c.kind) << e.to_string();
    EXPECT_EQ(e.path, c.path) << e.to_string();
    EXPECT_EQ(e.file, "court.part.json");
  }
  auto syntax = parse_institution_part("{\"id\": ", "court.part.json");
  ASSERT_FALSE(syntax.ok());
  EXPECT_EQ(syntax.error.kind, HomeErrorKind::kSyntax);
  EXPECT_EQ(syntax.error.to_string(), "court.part.json: SYNTAX: not valid JSON");
}

TEST(InstitutionPart, LoadingAMissingFileIsNotFoundNamingIt) {
  testing::TempDir dir("part_missing");
  auto parts = load_institution_parts({dir.sub("missing.json")});
  ASSERT_FALSE(parts.ok());
  EXPECT_EQ(parts.error.kind, HomeErrorKind::kNotFound);
  EXPECT_EQ(parts.error.file, dir.sub("missing.json"));
}

class PartExportTest : public ::testing::Test {
 protected:
  PartExportTest() : dir_("part_export") {
    InitOptions init;
    init.home = dir_.sub("home");
    init.moniker = "court";
    init.genesis_time_ms = 1'772'355'600'000;
    auto made = init_home(init);
    EXPECT_TRUE(made.ok()) << made.error.to_string();
    validator_ = made.value->validator_key;
    member_ = *create_key_file(dir_.sub("member.key")).value;
  }

  PartExport options() const {
    PartExport o;
    o.home = dir_.sub("home");
    o.id = "rb-amsterdam";
    o.role = "COURT";
    o.member_key_files = {dir_.sub("member.key")};
    o.address = "10.0.0.1:26656";
    return o;
  }

  testing::TempDir dir_;
  PublicKey validator_;
  PrivateKey member_ = PrivateKey::from_test_seed("unused");
};

TEST_F(PartExportTest, CarriesTheHomesValidatorKeyAndThePublicKeysOfTheMemberKeyFiles) {
  auto part = export_institution_part(options());
  ASSERT_TRUE(part.ok()) << part.error.to_string();
  EXPECT_EQ(part.value->institution.id, "rb-amsterdam");
  EXPECT_EQ(part.value->institution.role, cv1::COURT);
  EXPECT_EQ(part.value->institution.members, std::vector<PublicKey>{member_.public_key()});
  EXPECT_EQ(part.value->validator_key, validator_);
  EXPECT_EQ(part.value->address, "10.0.0.1:26656");
  // The written part holds no secret.
  const std::string text = write_institution_part(*part.value);
  EXPECT_EQ(text.find(to_hex(member_.secret())), std::string::npos);
}

TEST_F(PartExportTest, NamesTheOptionOrTheKeyFileOfABadInput) {
  PartExport o = options();
  o.role = "GEMEENTE";
  auto part = export_institution_part(o);
  ASSERT_FALSE(part.ok());
  EXPECT_EQ(part.error.kind, HomeErrorKind::kBadRole);
  EXPECT_EQ(part.error.path, "--role");

  o = options();
  o.member_key_files.push_back(dir_.sub("member.key"));
  part = export_institution_part(o);
  ASSERT_FALSE(part.ok());
  EXPECT_EQ(part.error.kind, HomeErrorKind::kDuplicate);
  EXPECT_EQ(part.error.file, dir_.sub("member.key"));

  o = options();
  o.member_key_files = {dir_.sub("home/keys/validator.key")};
  part = export_institution_part(o);
  ASSERT_FALSE(part.ok());
  EXPECT_EQ(part.error.kind, HomeErrorKind::kDuplicate);
  EXPECT_EQ(part.error.file, dir_.sub("home/keys/validator.key"));

  o = options();
  o.address = "0.0.0.0:26656";
  part = export_institution_part(o);
  ASSERT_FALSE(part.ok());
  EXPECT_EQ(part.error.kind, HomeErrorKind::kBadAddress);
  EXPECT_EQ(part.error.path, "--address");

  o = options();
  o.member_key_files = {dir_.sub("no-such.key")};
  part = export_institution_part(o);
  ASSERT_FALSE(part.ok());
  EXPECT_EQ(part.error.kind, HomeErrorKind::kNotFound);
  EXPECT_EQ(part.error.file, dir_.sub("no-such.key"));
}

}  // namespace
}  // namespace joet::home
