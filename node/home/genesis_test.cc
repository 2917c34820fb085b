#include "node/home/genesis.h"

#include <cctype>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "contracts/policy.h"
#include "contracts/registry.h"
#include "ledger/hash.h"

namespace joet::home {
namespace {

using nlohmann::json;

PublicKey key(const std::string& name) { return PrivateKey::from_test_seed(name).public_key(); }

Genesis sample() {
  Genesis g;
  g.chain_id = "joet-test";
  g.genesis_time_ms = 1'772'355'600'000;  // 2026-03-01T09:00:00Z
  g.institutions.push_back({"rb-amsterdam", cv1::COURT, {key("court-1"), key("court-2")}});
  g.institutions.push_back({"rvdk", cv1::RVDK, {key("rvdk-1")}});
  g.validators.push_back({key("val-0"), 3, "rb-amsterdam"});
  g.validators.push_back({key("val-1"), 1, ""});
  g.policy.plan_days = 30;
  g.policy.extra_holidays = {CivilDate{2026, 12, 24}};
  return g;
}

json sample_json() { return json::parse(write_genesis(sample())); }

Hash32 hash_of(const Genesis& g) {
  auto state = genesis_state(g);
  EXPECT_TRUE(state.ok()) << state.error().to_string();
  return state->hash;
}

TEST(GenesisFile, RoundTripsExactly) {
  const Genesis g = sample();
  const std::string text = write_genesis(g);
  auto parsed = parse_genesis(text, "genesis.json");
  ASSERT_TRUE(parsed.ok()) << parsed.error.to_string();
  EXPECT_EQ(*parsed.value, g);
  EXPECT_EQ(write_genesis(*parsed.value), text);
}

TEST(GenesisFile, WritesTheFieldsInAFixedOrderWithThePolicyInFull) {
  const json doc = json::parse(write_genesis(sample()));
  EXPECT_EQ(doc["genesis_time"], "2026-03-01T09:00:00Z");
  EXPECT_EQ(doc["institutions"][0]["role"], "COURT");
  EXPECT_FALSE(doc["validators"][1].contains("institution"));  // none given: not written
  EXPECT_EQ(doc["policy"].size(), policy_int_params().size() + 1);
  EXPECT_EQ(doc["policy"]["extra_holidays"][0], "2026-12-24");
}

TEST(GenesisFile, TakesThePolicyDefaultsForParametersNotGiven) {
  json doc = sample_json();
  doc["policy"] = json{{"assign_days", 7}};
  auto parsed = parse_genesis(doc.dump());
  ASSERT_TRUE(parsed.ok()) << parsed.error.to_string();
  Policy expected;
  expected.assign_days = 7;
  EXPECT_EQ(parsed.value->policy, expected);
  doc.erase("policy");
  parsed = parse_genesis(doc.dump());
  ASSERT_TRUE(parsed.ok()) << parsed.error.to_string();
  EXPECT_EQ(parsed.value->policy, Policy{});
}

struct BadCase {
  std::string name;
  void (*mutate)(json&);
  HomeErrorKind kind;
  std::string path;
};

TEST(GenesisFile, RefusesEachKindOfBadGenesisNamingItsPath) {
  const std::vector<BadCase> cases = {
      {"top level not an object", [](json& d) { d = json::array(); }, HomeErrorKind::kWrongType, ""},
      {"unknown field", [](json& d) { d["chainid"] = "x"; }, HomeErrorKind::kUnknownField, "chainid"},
      {"no chain id", [](json& d) { d.erase("chain_id"); }, HomeErrorKind::kMissingField, "chain_id"},
      {"chain id a number", [](json& d) { d["chain_id"] = 5; }, HomeErrorKind::kWrongType, "chain_id"},
      {"chain id with a space", [](json& d) { d["chain_id"] = "joet test"; }, HomeErrorKind::kBadValue, "chain_id"},
      {"chain id too long", [](json& d) { d["chain_id"] = std::string(65, 'a'); }, HomeErrorKind::kBadValue, "chain_id"},
      {"no genesis time", [](json& d) { d.erase("genesis_time"); }, HomeErrorKind::kMissingField, "genesis_time"},
      {"month 13", [](json& d) { d["genesis_time"] = "2026-13-01T00:00:00Z"; }, HomeErrorKind::kBadTime, "genesis_time"},
      {"not UTC", [](json& d) { d["genesis_time"] = "2026-03-01T09:00:00+01:00"; }, HomeErrorKind::kBadTime, "genesis_time"},
      {"before 1900", [](json& d) { d["genesis_time"] = "1899-12-31T23:59:59Z"; }, HomeErrorKind::kBadTime, "genesis_time"},
      {"institutions not an array", [](json& d) { d["institutions"] = json::object(); }, HomeErrorKind::kWrongType, "institutions"},
      {"id not a code", [](json& d) { d["institutions"][0]["id"] = "Not A Code!"; }, HomeErrorKind::kBadValue, "institutions[0].id"},
      {"id BSN-shaped", [](json& d) { d["institutions"][1]["id"] = "111222333"; }, HomeErrorKind::kBadValue, "institutions[1].id"},
      {"id twice", [](json& d) { d["institutions"][1]["id"] = "rb-amsterdam"; }, HomeErrorKind::kDuplicate, "institutions[1].id"},
      {"unknown role", [](json& d) { d["institutions"][0]["role"] = "JUDGE"; }, HomeErrorKind::kBadRole, "institutions[0].role"},
      {"unspecified role", [](json& d) { d["institutions"][1]["role"] = "ROLE_UNSPECIFIED"; }, HomeErrorKind::kBadRole, "institutions[1].role"},
      {"unknown institution field", [](json& d) { d["institutions"][0]["name"] = "x"; }, HomeErrorKind::kUnknownField, "institutions[0].name"},
      {"no member keys", [](json& d) { d["institutions"][0]["member_keys"] = json::array(); }, HomeErrorKind::kBadValue, "institutions[0].member_keys"},
      {"member key not hex", [](json& d) { d["institutions"][0]["member_keys"][1] = "zz"; }, HomeErrorKind::kBadKey, "institutions[0].member_keys[1]"},
      {"member key upper case", [](json& d) {
         std::string k = d["institutions"][1]["member_keys"][0];
         for (char& c : k) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
         d["institutions"][1]["member_keys"][0] = k;
       }, HomeErrorKind::kBadKey, "institutions[1].member_keys[0]"},
      {"member key off the curve (x >= p)", [](json& d) { d["institutions"][0]["member_keys"][0] = std::string(64, 'f'); }, HomeErrorKind::kBadKey, "institutions[0].member_keys[0]"},
      {"member key of two institutions", [](json& d) { d["institutions"][1]["member_keys"][0] = d["institutions"][0]["member_keys"][0]; }, HomeErrorKind::kDuplicate, "institutions[1].member_keys[0]"},
      {"no validators", [](json& d) { d["validators"] = json::array(); }, HomeErrorKind::kBadValue, "validators"},
      {"rules version this build lacks", [](json& d) { d["rules_version"] = 99; }, HomeErrorKind::kBadValue, "rules_version"},
      {"rules version 0", [](json& d) { d["rules_version"] = 0; }, HomeErrorKind::kBadValue, "rules_version"},
      {"rules version as text", [](json& d) { d["rules_version"] = "2"; }, HomeErrorKind::kWrongType, "rules_version"},
      {"power 0", [](json& d) { d["validators"][0]["power"] = 0; }, HomeErrorKind::kBadValue, "validators[0].power"},
      {"power over 2^50", [](json& d) { d["validators"][1]["power"] = (uint64_t{1} << 50) + 1; }, HomeErrorKind::kBadValue, "validators[1].power"},
      {"power negative", [](json& d) { d["validators"][0]["power"] = -1; }, HomeErrorKind::kBadValue, "validators[0].power"},
      {"power a string", [](json& d) { d["validators"][0]["power"] = "1"; }, HomeErrorKind::kWrongType, "validators[0].power"},
      {"no validator key", [](json& d) { d["validators"][1].erase("key"); }, HomeErrorKind::kMissingField, "validators[1].key"},
      {"validator key twice", [](json& d) { d["validators"][1]["key"] = d["validators"][0]["key"]; }, HomeErrorKind::kDuplicate, "validators[1].key"},
      {"validator of an unknown institution", [](json& d) { d["validators"][1]["institution"] = "gi-jbra"; }, HomeErrorKind::kUnknownInstitution, "validators[1].institution"},
      {"policy not an object", [](json& d) { d["policy"] = 5; }, HomeErrorKind::kWrongType, "policy"},
      {"unknown policy", [](json& d) { d["policy"]["lunch_days"] = 3; }, HomeErrorKind::kUnknownPolicy, "policy.lunch_days"},
      {"policy 0 days", [](json& d) { d["policy"]["plan_days"] = 0; }, HomeErrorKind::kBadValue, "policy.plan_days"},
      {"policy over a year", [](json& d) { d["policy"]["plan_days"] = 366; }, HomeErrorKind::kBadValue, "policy.plan_days"},
      {"holiday not a date", [](json& d) { d["policy"]["extra_holidays"] = {"christmas"}; }, HomeErrorKind::kBadValue, "policy.extra_holidays[0]"},
      {"holidays descending", [](json& d) { d["policy"]["extra_holidays"] = {"2026-12-25", "2026-12-24"}; }, HomeErrorKind::kBadValue, "policy.extra_holidays[1]"},
  };
  for (const BadCase& c : cases) {
    json doc = sample_json();
    c.mutate(doc);
    auto parsed = parse_genesis(doc.dump(), "g.json");
    ASSERT_FALSE(parsed.ok()) << c.name;
    EXPECT_EQ(parsed.error.kind, c.kind) << c.name << ": " << parsed.error.to_string();
    EXPECT_EQ(parsed.error.path, c.path) << c.name << ": " << parsed.error.to_string();
    EXPECT_EQ(parsed.error.file, "g.json") << c.name;
    EXPECT_EQ(parsed.error.to_string().rfind("g.json: ", 0), 0u) << parsed.error.to_string();
  }
}

TEST(GenesisFile, RefusesTextThatIsNotJson) {
  auto parsed = parse_genesis("{\"chain_id\": ", "g.json");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error.kind, HomeErrorKind::kSyntax);
}

TEST(GenesisFile, LoadNamesAMissingFile) {
  auto loaded = load_genesis("/nonexistent/genesis.json");
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.error.kind, HomeErrorKind::kNotFound);
  EXPECT_EQ(loaded.error.file, "/nonexistent/genesis.json");
  EXPECT_TRUE(loaded.error.is_bad_input());
}

TEST(GenesisHash, ChangesWithAnyField) {
  std::vector<Genesis> variants;
  auto vary = [&](auto change) {
    Genesis g = sample();
    change(g);
    variants.push_back(std::move(g));
  };
  vary([](Genesis&) {});
  vary([](Genesis& g) { g.chain_id = "joet-test2"; });
  vary([](Genesis& g) { g.genesis_time_ms += 1; });
  vary([](Genesis& g) { g.institutions[1].id = "rvdk-2"; });
  vary([](Genesis& g) { g.institutions[1].role = cv1::GI; });
  vary([](Genesis& g) { g.institutions[1].members.push_back(key("rvdk-2")); });
  vary([](Genesis& g) { g.institutions[0].members[1] = key("court-3"); });
  vary([](Genesis& g) { g.institutions.push_back({"igj", cv1::AUDITOR, {key("igj")}}); });
  vary([](Genesis& g) { g.validators[0].key = key("val-2"); });
  vary([](Genesis& g) { g.validators[0].power = 4; });
  vary([](Genesis& g) { g.validators[0].institution = "rvdk"; });
  vary([](Genesis& g) { g.validators[0].institution = ""; });
  vary([](Genesis& g) { std::swap(g.validators[0], g.validators[1]); });
  vary([](Genesis& g) { g.validators.push_back({key("val-3"), 1, ""}); });
  for (const PolicyIntParam& p : policy_int_params()) {
    vary([&p](Genesis& g) { g.policy.*(p.field) = g.policy.*(p.field) == 20 ? 21 : 20; });
  }
  vary([](Genesis& g) { g.policy.extra_holidays.push_back(CivilDate{2026, 12, 31}); });
  vary([](Genesis& g) { g.policy.extra_holidays.clear(); });
  vary([](Genesis& g) { g.rules_version = 2; });
  std::set<Hash32> hashes;
  for (const Genesis& g : variants) hashes.insert(hash_of(g));
  EXPECT_EQ(hashes.size(), variants.size());
}

TEST(GenesisHash, IgnoresLayoutAndPolicyValuesWrittenAtTheirDefaults) {
  Genesis g = sample();
  g.policy = Policy{};
  const std::string pretty = write_genesis(g);
  json doc = json::parse(pretty);
  doc.erase("policy");
  auto compact = parse_genesis(doc.dump());
  auto full = parse_genesis(pretty);
  ASSERT_TRUE(compact.ok() && full.ok());
  EXPECT_EQ(hash_of(*compact.value), hash_of(*full.value));
}

TEST(GenesisHash, IsTheTaggedHashOfTheDocumentedBytes) {
  auto state = genesis_state(sample());
  ASSERT_TRUE(state.ok());
  const Bytes bytes = genesis_hash_bytes(state->chain_id, state->genesis_time_ms, state->validators, state->state_writes);
  EXPECT_EQ(state->hash, tagged_hash(kGenesisHashTag, bytes));
  // u64be(9) "joet-test" u64be(time) ...
  ASSERT_GT(bytes.size(), 8u + 9 + 8 + 32);
  EXPECT_EQ(bytes[7], 9);
  EXPECT_EQ(std::string(bytes.begin() + 8, bytes.begin() + 17), "joet-test");
}

TEST(GenesisState, HoldsTheRegistryAndPolicyWritesAndTheValidatorSet) {
  const Genesis g = sample();
  auto state = genesis_state(g);
  ASSERT_TRUE(state.ok()) << state.error().to_string();
  auto registry = genesis_registry_writes(g.institutions);
  auto policy = genesis_policy_writes(g.policy);
  ASSERT_TRUE(registry.ok() && policy.ok());
  EXPECT_EQ(state->state_writes.size(), registry->size() + policy->size());
  for (const auto& [k, v] : policy->ops()) EXPECT_EQ(state->state_writes.find(k), std::optional(v));
  EXPECT_EQ(state->chain_id, "joet-test");
  EXPECT_EQ(state->validators.size(), 2u);
  EXPECT_EQ(state->validators.total_power(), 4u);
  EXPECT_EQ(state->validators.at(0).institution(), "rb-amsterdam");
  EXPECT_EQ(state->validators.index_of(key("val-1").bytes()), std::optional<uint32_t>(1));
}

// A genesis written before "rules_version" existed runs version 1 and keeps its hash; one that names
// version 2 puts it in force from height 1, under the genesis hash.
TEST(GenesisState, ARulesVersionAbsentIsOneAndAnotherIsInStateFromHeightOne) {
  json old = sample_json();
  old.erase("rules_version");
  auto parsed = parse_genesis(old.dump(), "genesis.json");
  ASSERT_TRUE(parsed.ok()) << parsed.error.to_string();
  EXPECT_EQ(parsed.value->rules_version, 1u);
  EXPECT_EQ(hash_of(*parsed.value), hash_of(sample()));
  auto v1_state = genesis_state(sample());
  ASSERT_TRUE(v1_state.ok());
  EXPECT_FALSE(v1_state->state_writes.find(state_keys::rules_schedule()).has_value());

  Genesis g = sample();
  g.rules_version = 2;
  auto state = genesis_state(g);
  ASSERT_TRUE(state.ok());
  MemoryKvStore store;
  ASSERT_TRUE(store.write(state->state_writes, true).ok());
  EXPECT_EQ(rules_version_at(store, 1).value(), 2u);
  EXPECT_EQ(json::parse(write_genesis(g))["rules_version"], 2);
}

TEST(GenesisState, RefusesAGenesisBuiltInCodeThatParsingWouldRefuse) {
  Genesis g = sample();
  g.validators[1].institution = "nobody";
  EXPECT_FALSE(genesis_state(g).ok());
  g = sample();
  g.validators.clear();
  EXPECT_FALSE(genesis_state(g).ok());
  g = sample();
  g.institutions[1].members = g.institutions[0].members;
  EXPECT_FALSE(genesis_state(g).ok());
  g = sample();
  g.chain_id = "";
  EXPECT_FALSE(genesis_state(g).ok());
}

}  // namespace
}  // namespace joet::home
