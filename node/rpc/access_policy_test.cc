#include "node/rpc/access_policy.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "node/rpc/handler.h"

namespace joet::rpc {
namespace {

namespace cv1 = contracts::v1;
using Verdict = Authorization::Verdict;

constexpr uint64_t kNow = 1'700'000'000'000;
constexpr std::string_view kChain = "joet-test";

// The registry as the policy sees it: the keys and cases of the current state, and how often it was asked.
class FakeRegistry : public AccessRegistry {
 public:
  Result<std::optional<Reader>> reader(const PublicKey& key) override {
    ++reader_lookups;
    if (failing) return make_error(ErrorCode::kIoError, "disk on fire");
    auto it = members.find(key);
    if (it == members.end()) return std::optional<Reader>();
    return std::optional<Reader>(it->second);
  }
  Result<std::optional<cv1::Case>> find_case(std::string_view case_id) override {
    ++case_lookups;
    if (failing) return make_error(ErrorCode::kIoError, "disk on fire");
    auto it = cases.find(std::string(case_id));
    if (it == cases.end()) return std::optional<cv1::Case>();
    return std::optional<cv1::Case>(it->second);
  }

  std::map<PublicKey, Reader> members;
  std::map<std::string, cv1::Case> cases;
  bool failing = false;
  int reader_lookups = 0;
  int case_lookups = 0;
};

struct Who {
  std::string name;               // the column of the table
  std::optional<PrivateKey> key;  // nullopt: an unsigned request
};

class AccessPolicyTest : public ::testing::Test {
 protected:
  AccessPolicyTest() {
    add("court", "rb-amsterdam", cv1::COURT);
    add("rvdk", "rvdk", cv1::RVDK);
    add("municipality", "gem-amsterdam", cv1::MUNICIPALITY);
    add("gi", "gi-jbra", cv1::GI);
    add("other-gi", "gi-utrecht", cv1::GI);
    add("other-municipality", "gem-utrecht", cv1::MUNICIPALITY);
    add("auditor", "inspectie", cv1::AUDITOR);
    cv1::Case c;
    c.set_id("case-1");
    c.set_municipality("gem-amsterdam");
    c.set_rvdk("rvdk");
    c.set_gi("gi-jbra");
    c.set_court("rb-amsterdam");
    registry_.cases["case-1"] = c;
  }

  void add(const std::string& who, const std::string& institution, cv1::Role role) {
    const PrivateKey key = PrivateKey::from_test_seed(who);
    registry_.members[key.public_key()] = Reader{institution, role};
    keys_.emplace(who, key);
  }
  const PrivateKey& key(const std::string& who) const { return keys_.at(who); }

  static RequestMeta meta(std::string method, std::string route, std::string target, std::string body = "") {
    RequestMeta m;
    m.method = std::move(method);
    m.route = std::move(route);
    m.target = std::move(target);
    m.body = std::move(body);
    m.remote = "127.0.0.1:5000";
    m.headers = {{"host", "127.0.0.1"}};
    // What the handler puts in `recipient`: the events' recipient, the Inzicht routes' institution.
    const std::string param = m.route == "/v1/events" ? "recipient=" : "institution=";
    if (m.route == "/v1/events" || m.route == "/v1/deadlines" || m.route == "/v1/stuurinformatie/cases" ||
        m.route == "/v1/caseload" || m.route == "/v1/requests/pending") {
      const size_t at = m.target.find(param);
      if (at != std::string::npos) {
        m.recipient = m.target.substr(at + param.size(), m.target.find('&', at) - at - param.size());
      }
    }
    return m;
  }

  // Signs `m` as a client would (sign_request, header names lower-cased as the server passes them).
  static RequestMeta signed_by(RequestMeta m, const PrivateKey& key, uint64_t time_ms = kNow,
                               std::string_view chain = kChain) {
    for (auto [name, value] : sign_request(key, {chain, m.method, m.target, m.body, time_ms})) {
      std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
      m.headers.emplace_back(std::move(name), std::move(value));
    }
    return m;
  }

  Authorization decide(const RequestMeta& m) {
    return decide_access(m, AccessContext{kChain, kNow, RequestAuthConfig{}}, registry_);
  }
  Authorization decide_as(const RequestMeta& m, const std::string& who) {
    return decide(who == "unsigned" ? m : signed_by(m, key(who)));
  }

  FakeRegistry registry_;
  std::map<std::string, PrivateKey> keys_;
};

char letter(Verdict v) {
  switch (v) {
    case Verdict::kAllow: return 'A';
    case Verdict::kUnauthenticated: return 'U';
    case Verdict::kForbidden: return 'F';
  }
  return '?';
}

TEST_F(AccessPolicyTest, EveryRouteAgainstEveryKindOfReader) {
  // A allow, U 401 UNAUTHENTICATED, F 403 FORBIDDEN. Columns:
  //   court rvdk municipality gi other-gi other-municipality auditor stranger(signed, no member) unsigned
  add("stranger", "", cv1::ROLE_UNSPECIFIED);
  registry_.members.erase(key("stranger").public_key());
  const std::vector<std::string> columns = {"court",   "rvdk",    "municipality", "gi",      "other-gi",
                                            "other-municipality", "auditor", "stranger",     "unsigned"};
  struct Row {
    RequestMeta meta;
    std::string want;
  };
  const std::string tx = std::string(64, 'a');
  const std::vector<Row> table = {
      {meta("GET", "/v1/status", "/v1/status"), "AAAAAAAAA"},
      {meta("GET", "/metrics", "/metrics"), "AAAAAAAAA"},
      {meta("POST", "/v1/txs", "/v1/txs", R"({"tx":"00"})"), "AAAAAAAAA"},
      {meta("GET", "/v1/txs/{tx_id}", "/v1/txs/" + tx), "AAAAAAAFU"},
      {meta("GET", "/v1/txs/{tx_id}/proof", "/v1/txs/" + tx + "/proof"), "AAAAAAAFU"},
      {meta("GET", "/v1/blocks/{height}", "/v1/blocks/7"), "AAAAAAAFU"},
      {meta("GET", "/v1/blocks/{height}/raw", "/v1/blocks/7/raw"), "AAAAAAAFU"},
      {meta("GET", "/v1/headers/{height}", "/v1/headers/7"), "AAAAAAAFU"},
      {meta("GET", "/v1/validators/{height}", "/v1/validators/7"), "AAAAAAAFU"},
      {meta("GET", "/v1/events", "/v1/events?recipient=gem-amsterdam&after=0"), "FFAFFFAFU"},
      {meta("GET", "/v1/events", "/v1/events?recipient=gi-jbra&limit=5"), "FFFAFFAFU"},
      {meta("GET", "/v1/events", "/v1/events?after=0"), "FFFFFFAFU"},  // no recipient (the handler then says 400)
      {meta("GET", "/v1/cases/{case_id}", "/v1/cases/case-1"), "AAAAFFAFU"},
      {meta("GET", "/v1/cases/{case_id}", "/v1/cases/case-1?height=3"), "AAAAFFAFU"},
      {meta("GET", "/v1/cases/{case_id}", "/v1/cases/no-such-case"), "FFFFFFAFU"},
      {meta("GET", "/v1/state/{key_hex}", "/v1/state/632f636173652f"), "FFFFFFAFU"},
      {meta("GET", "/v1/stuurinformatie", "/v1/stuurinformatie?from=2026-01&to=2026-12"), "AAAAAAAFU"},
      {meta("GET", "/v1/stuurinformatie/cases", "/v1/stuurinformatie/cases?month=2026-03&metric=NO_CONTACT_SIGNAL&institution=gem-amsterdam"),
       "FFAFFFAFU"},
      {meta("GET", "/v1/deadlines", "/v1/deadlines?institution=gi-jbra&limit=5"), "FFFAFFAFU"},
      {meta("GET", "/v1/deadlines", "/v1/deadlines?limit=5"), "FFFFFFAFU"},  // no institution (the handler then says 400)
      {meta("GET", "/v1/cases/{case_id}/timeline", "/v1/cases/case-1/timeline"), "AAAAFFAFU"},
      {meta("GET", "/v1/caseload", "/v1/caseload?institution=gi-jbra"), "FFFAFFAFU"},
      {meta("GET", "/v1/requests/pending", "/v1/requests/pending?institution=rb-amsterdam"), "AFFFFFAFU"},
      {meta("GET", "/v1/cases/{case_id}/timeline", "/v1/cases/no-such-case/timeline"), "FFFFFFAFU"},
      {meta("GET", "/v1/some-future-route", "/v1/some-future-route"), "FFFFFFAFU"},
      {meta("DELETE", "/v1/status", "/v1/status"), "FFFFFFAFU"},  // a method the table does not name
  };
  for (const Row& row : table) {
    ASSERT_EQ(row.want.size(), columns.size());
    std::string got;
    for (const std::string& who : columns) got += letter(decide_as(row.meta, who).verdict);
    EXPECT_EQ(got, row.want) << row.meta.method << " " << row.meta.target;
  }
}

TEST_F(AccessPolicyTest, OpenRoutesIgnoreSignaturesAndAskTheRegistryNothing) {
  RequestMeta m = meta("POST", "/v1/txs", "/v1/txs", R"({"tx":"00"})");
  m.headers.emplace_back("x-joet-key", "garbage");
  EXPECT_EQ(decide(m).verdict, Verdict::kAllow);
  EXPECT_EQ(registry_.reader_lookups, 0);
}

TEST_F(AccessPolicyTest, AKeyRemovedFromTheRegistryStopsWorkingAtOnce) {
  const RequestMeta m = meta("GET", "/v1/events", "/v1/events?recipient=gem-amsterdam");
  EXPECT_EQ(decide_as(m, "municipality").verdict, Verdict::kAllow);
  registry_.members.erase(key("municipality").public_key());  // member.revoke committed
  const Authorization after = decide_as(m, "municipality");
  EXPECT_EQ(after.verdict, Verdict::kForbidden);
  EXPECT_NE(after.message.find("not a registered member key"), std::string::npos) << after.message;
  EXPECT_EQ(decide_as(meta("GET", "/v1/blocks/{height}", "/v1/blocks/1"), "municipality").verdict,
            Verdict::kForbidden);
}

TEST_F(AccessPolicyTest, AKeyMovedToAnotherInstitutionReadsAsThatInstitution) {
  const RequestMeta m = meta("GET", "/v1/events", "/v1/events?recipient=gem-amsterdam");
  registry_.members[key("municipality").public_key()] = Reader{"gem-utrecht", cv1::MUNICIPALITY};
  EXPECT_EQ(decide_as(m, "municipality").verdict, Verdict::kForbidden);
}

TEST_F(AccessPolicyTest, RefusalsSayWhy) {
  const RequestMeta events = meta("GET", "/v1/events", "/v1/events?recipient=gem-amsterdam");
  const Authorization unsigned_read = decide(events);
  EXPECT_EQ(unsigned_read.verdict, Verdict::kUnauthenticated);
  EXPECT_NE(unsigned_read.message.find("MISSING_HEADER"), std::string::npos) << unsigned_read.message;

  const Authorization stale = decide(signed_by(events, key("municipality"), kNow - kDefaultRequestWindowMs - 1));
  EXPECT_EQ(stale.verdict, Verdict::kUnauthenticated);
  EXPECT_NE(stale.message.find("STALE_TIME"), std::string::npos) << stale.message;

  const Authorization future = decide(signed_by(events, key("municipality"), kNow + kDefaultRequestWindowMs + 1));
  EXPECT_EQ(future.verdict, Verdict::kUnauthenticated);
  EXPECT_NE(future.message.find("FUTURE_TIME"), std::string::npos) << future.message;

  const Authorization wrong_institution = decide_as(events, "rvdk");
  EXPECT_EQ(wrong_institution.verdict, Verdict::kForbidden);
  EXPECT_NE(wrong_institution.message.find("rvdk"), std::string::npos) << wrong_institution.message;
  EXPECT_NE(wrong_institution.message.find("gem-amsterdam"), std::string::npos) << wrong_institution.message;

  const Authorization not_party = decide_as(meta("GET", "/v1/cases/{case_id}", "/v1/cases/case-1"), "other-gi");
  EXPECT_EQ(not_party.verdict, Verdict::kForbidden);
  EXPECT_NE(not_party.message.find("not involved in case 'case-1'"), std::string::npos) << not_party.message;
}

TEST_F(AccessPolicyTest, ARequestSignedForAnotherChainIsUnauthenticated) {
  const RequestMeta m = signed_by(meta("GET", "/v1/blocks/{height}", "/v1/blocks/1"), key("court"), kNow, "joet-main");
  const Authorization got = decide(m);
  EXPECT_EQ(got.verdict, Verdict::kUnauthenticated);
  EXPECT_NE(got.message.find("BAD_SIGNATURE"), std::string::npos) << got.message;
}

TEST_F(AccessPolicyTest, ASignatureOverAnotherTargetIsUnauthenticatedEvenForAMember) {
  RequestMeta m = signed_by(meta("GET", "/v1/events", "/v1/events?recipient=gem-amsterdam"), key("municipality"));
  m.target = "/v1/events?recipient=gi-jbra";  // replayed against another recipient
  m.recipient = "gi-jbra";
  EXPECT_EQ(decide(m).verdict, Verdict::kUnauthenticated);
}

TEST_F(AccessPolicyTest, CasePartiesFollowTheCaseRecord) {
  cv1::Case c = registry_.cases["case-1"];
  EXPECT_EQ(case_parties(c), (std::vector<std::string>{"gem-amsterdam", "rvdk", "gi-jbra", "rb-amsterdam"}));
  // A new measure names another GI: the former one no longer reads the case, the new one does.
  registry_.cases["case-1"].set_gi("gi-utrecht");
  const RequestMeta m = meta("GET", "/v1/cases/{case_id}", "/v1/cases/case-1");
  EXPECT_EQ(decide_as(m, "gi").verdict, Verdict::kForbidden);
  EXPECT_EQ(decide_as(m, "other-gi").verdict, Verdict::kAllow);
  // Before any decision the case names no GI and no court.
  cv1::Case fresh;
  fresh.set_municipality("gem-amsterdam");
  fresh.set_rvdk("rvdk");
  EXPECT_EQ(case_parties(fresh), (std::vector<std::string>{"gem-amsterdam", "rvdk"}));
}

TEST_F(AccessPolicyTest, AuditorsReadCasesWithoutACaseLookup) {
  EXPECT_EQ(decide_as(meta("GET", "/v1/cases/{case_id}", "/v1/cases/case-1"), "auditor").verdict, Verdict::kAllow);
  EXPECT_EQ(registry_.case_lookups, 0);
  EXPECT_EQ(decide_as(meta("GET", "/v1/cases/{case_id}", "/v1/cases/case-1"), "rvdk").verdict, Verdict::kAllow);
  EXPECT_EQ(registry_.case_lookups, 1);
}

TEST_F(AccessPolicyTest, ARegistryThatCannotBeReadRefusesInsteadOfAllowing) {
  registry_.failing = true;
  for (const std::string who : {"auditor", "municipality"}) {
    const Authorization got = decide_as(meta("GET", "/v1/events", "/v1/events?recipient=gem-amsterdam"), who);
    EXPECT_EQ(got.verdict, Verdict::kForbidden) << who;
    EXPECT_NE(got.message.find("could not be read"), std::string::npos) << got.message;
  }
  EXPECT_EQ(decide(meta("GET", "/v1/status", "/v1/status")).verdict, Verdict::kAllow);
}

TEST_F(AccessPolicyTest, ScopesAreByMethodAndRouteTemplate) {
  EXPECT_EQ(read_scope("GET", "/v1/status"), ReadScope::kOpen);
  EXPECT_EQ(read_scope("POST", "/v1/txs"), ReadScope::kOpen);
  EXPECT_EQ(read_scope("GET", "/v1/txs"), ReadScope::kAuditor);
  EXPECT_EQ(read_scope("GET", "/v1/headers/{height}"), ReadScope::kAnyMember);
  EXPECT_EQ(read_scope("GET", "/v1/headers/7"), ReadScope::kAuditor);  // a target is no template
  EXPECT_EQ(read_scope("GET", "/v1/events"), ReadScope::kRecipient);
  EXPECT_EQ(read_scope("GET", "/v1/cases/{case_id}"), ReadScope::kCaseParty);
}

TEST(AccessPolicyRoutes, EveryRouteTheServerHasIsNamedByThePolicy) {
  // A route the policy does not name falls to auditors only: safe, but a decision nobody took.
  for (const RouteInfo& r : routes()) {
    const bool named = std::any_of(route_scopes().begin(), route_scopes().end(), [&](const RouteScope& s) {
      return s.method == r.method && s.route == r.path;
    });
    EXPECT_TRUE(named) << r.method << " " << r.path << " has no row in access_policy.cc";
  }
}

nlohmann::json load_openapi() {
  std::ifstream in(JOET_RPC_OPENAPI);
  std::stringstream text;
  text << in.rdbuf();
  return nlohmann::json::parse(text.str(), nullptr, false);
}

TEST(AccessPolicyRoutes, TheOpenApiSecurityOfEveryOperationIsThePolicys) {
  const nlohmann::json doc = load_openapi();
  ASSERT_TRUE(doc.is_object());
  ASSERT_TRUE(doc["components"]["securitySchemes"].is_object());
  for (const char* scheme : {"JoetKey", "JoetTime", "JoetSignature"}) {
    EXPECT_EQ(doc["components"]["securitySchemes"][scheme].value("in", ""), "header") << scheme;
  }
  const nlohmann::json signed_only = nlohmann::json::array({{{"JoetKey", nlohmann::json::array()},
                                                             {"JoetTime", nlohmann::json::array()},
                                                             {"JoetSignature", nlohmann::json::array()}}});
  EXPECT_EQ(doc["security"], signed_only);
  for (const auto& [path, item] : doc["paths"].items()) {
    for (const auto& [method, op] : item.items()) {
      if (method == "parameters") continue;
      std::string upper = method;
      std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return std::toupper(c); });
      const bool open = read_scope(upper, path) == ReadScope::kOpen;
      const nlohmann::json security = op.contains("security") ? op["security"] : doc["security"];
      EXPECT_EQ(security.empty(), open) << method << " " << path;
      EXPECT_EQ(op["responses"].contains("401"), !open) << method << " " << path;
      EXPECT_EQ(op["responses"].contains("403"), !open) << method << " " << path;
    }
  }
}

}  // namespace
}  // namespace joet::rpc

namespace joet::rpc {
namespace {

// HEAD reads what GET reads: open where GET is open, and a member route asks for the signature GET asks
// for (over "HEAD": the request signed is the one sent).
TEST_F(AccessPolicyTest, HeadHasTheScopeOfGet) {
  EXPECT_EQ(decide(meta("HEAD", "/v1/status", "/v1/status")).verdict, Verdict::kAllow);
  const RequestMeta block = meta("HEAD", "/v1/blocks/{height}", "/v1/blocks/1");
  EXPECT_EQ(decide_as(block, "unsigned").verdict, Verdict::kUnauthenticated);
  EXPECT_EQ(decide_as(block, "gi").verdict, Verdict::kAllow);
  EXPECT_EQ(decide_as(block, "auditor").verdict, Verdict::kAllow);
}

}  // namespace
}  // namespace joet::rpc
