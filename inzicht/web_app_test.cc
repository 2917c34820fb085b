// joet-inzicht's routes against a fake node: logins, sessions, CSRF, the throttle, the access log, the
// case page's 403, the feed's tokens. The real node behind it is tested in inzicht_browser_test.py.
#include "inzicht/web_app.h"
#include "inzicht/audit_report.h"

#include <gtest/gtest.h>

#include <fstream>

#include <nlohmann/json.hpp>

#include "ledger/testing/temp_dir.h"

namespace joet::inzicht {
namespace {

using nlohmann::json;
using joet::testing::TempDir;

// Answers like a node whose gem-amsterdam is party of case c-1 only; records what it was asked.
class FakeNode : public NodeGateway {
 public:
  Result<NodeAnswer> get(std::string_view institution, const std::string& target) override {
    asked.push_back(std::string(institution) + " " + target);
    if (down) return make_error(ErrorCode::kIoError, "connection refused");
    if (target == "/v1/status" && odd_status) return NodeAnswer{200, {{"time_ms", "soon"}}};
    if (target == "/v1/status") return NodeAnswer{200, {{"chain_id", "joet-test"}, {"height", 12}, {"time_ms", 1776000000000}, {"peers", json::array()}}};
    if (target == "/v1/validators/13") {
      return NodeAnswer{200, {{"height", 13}, {"validators", json::array({{{"power", 1}}, {{"power", 1}}, {{"power", 1}}, {{"power", 1}}})}}};
    }
    if (target.rfind("/v1/cases/c-1", 0) == 0 && institution == "gem-amsterdam") {
      if (target.find("/timeline") != std::string::npos) {
        return NodeAnswer{200, {{"case", "c-1"}, {"height", 12}, {"entries", json::array({{{"type", "tx"}, {"action", "case.open"}}})}}};
      }
      if (target.find("/explanation") != std::string::npos) {
        return NodeAnswer{200, {{"case", "c-1"}, {"sections", json::array({{{"section", "NOW"}, {"lines", json::array()}}})}}};
      }
      if (target.find("/quickscan") != std::string::npos) {
        return NodeAnswer{200, {{"case", "c-1"}, {"height", 12}, {"items", json::array({{{"check", "PLAN_FILED"}, {"status", "PENDING"}}})}}};
      }
      return NodeAnswer{200, {{"case", {{"id", "c-1"}, {"municipality", "gem-amsterdam"}}}, {"present", true}}};
    }
    if (target.rfind("/v1/cases/", 0) == 0) return NodeAnswer{403, {{"error", {{"code", "FORBIDDEN"}, {"message", "not involved"}}}}};
    if (target.rfind("/v1/stuurinformatie?", 0) == 0) {
      if (target.find("from=2000-01") != std::string::npos) {
        return NodeAnswer{400, {{"error", {{"code", "BAD_RANGE"}, {"message", "a report spans at most 120 months"}}}}};
      }
      return NodeAnswer{200, {{"from", "2026-01"}, {"to", "2026-04"}, {"height", 12},
                              {"signals", json::array({{{"month", "2026-03"}, {"kind", "NO_CONTACT_SIGNAL"}, {"institution", "gem-amsterdam"}, {"cases", 10}}})}}};
    }
    return NodeAnswer{200, json::object()};
  }
  Result<Committed> submit(std::string_view institution, const std::string& action, std::vector<v1::Arg> args) override {
    submitted.push_back(std::string(institution) + " " + action + " " + std::to_string(args.size()));
    return Committed{"ab", 13, "OK", ""};
  }
  std::vector<std::string> asked;
  std::vector<std::string> submitted;
  bool down = false;
  bool odd_status = false;  // answers /v1/status with a time that is no number
};

class WebAppTest : public ::testing::Test {
 protected:
  WebAppTest() {
    AccountBook book = AccountBook::parse(R"({"version":1,"accounts":[]})").value();
    JOET_ASSERT(book.add({"anna", "Anna de Vries", "gem-amsterdam", "", false}, "anna-haar-wachtwoord").ok());
    JOET_ASSERT(book.add({"bert", "Bert Jansen", "gem-utrecht", "", false}, "bert-zijn-wachtwoord").ok());
    TokenBook tokens = TokenBook::parse(R"({"version":1,"tokens":[]})").value();
    token_ = tokens.issue("powerbi", 1).value();
    revoked_ = tokens.issue("old-report", 1).value();
    JOET_ASSERT(tokens.revoke("old-report").ok());
    WebAppConfig config;
    config.institutions = {{"gem-amsterdam", "MUNICIPALITY"}, {"gem-utrecht", "MUNICIPALITY"}};
    config.static_files = {{"/index.html", "<!doctype html><title>Inzicht</title>"}, {"/static/app.js", "1"}};
    config.session_idle_ms = 60'000;
    config.session_max_ms = 600'000;
    config.last_audit = [this] { return last_audit_; };
    log_ = AccessLog::open(dir_.sub("access.log")).value();
    app_ = std::make_unique<WebApp>(config, std::move(book), std::move(tokens), *log_, node_, [this] { return now_; });
  }

  WebResponse call(std::string method, std::string target, std::string body = "", std::map<std::string, std::string> headers = {}) {
    WebRequest r{std::move(method), std::move(target), std::move(headers), std::move(body), "10.0.0.7"};
    return app_->handle(r);
  }
  static json body_of(const WebResponse& r) { return json::parse(r.body, nullptr, false); }
  static std::string code_of(const WebResponse& r) { return body_of(r)["error"]["code"]; }

  // Logs in; the cookie header and the CSRF token.
  std::pair<std::string, std::string> login(const std::string& user, const std::string& password) {
    WebResponse r = call("POST", "/api/login", json{{"user", user}, {"password", password}}.dump());
    EXPECT_EQ(r.status, 200) << r.body;
    std::string cookie;
    for (const auto& [k, v] : r.headers) {
      if (k == "Set-Cookie") cookie = v.substr(0, v.find(';'));
    }
    return {cookie, body_of(r)["csrf"]};
  }

  std::vector<json> access_lines() {
    std::ifstream in(dir_.sub("access.log"));
    std::vector<json> out;
    for (std::string line; std::getline(in, line);) out.push_back(json::parse(line));
    return out;
  }

  TempDir dir_{"inzicht_web_app"};
  FakeNode node_;
  uint64_t now_ = 1'000'000;
  json last_audit_ = nullptr;
  std::unique_ptr<AccessLog> log_;
  std::unique_ptr<WebApp> app_;
  std::string token_;
  std::string revoked_;
};

TEST_F(WebAppTest, ALoginSetsAStrictHttpOnlySecureCookieAndTheSessionReadsAsItsInstitution) {
  WebResponse r = call("POST", "/api/login", R"({"user":"anna","password":"anna-haar-wachtwoord"})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(body_of(r)["institution"], "gem-amsterdam");
  EXPECT_EQ(body_of(r)["role"], "MUNICIPALITY");
  std::string set_cookie;
  for (const auto& [k, v] : r.headers) {
    if (k == "Set-Cookie") set_cookie = v;
  }
  for (const char* attr : {"HttpOnly", "Secure", "SameSite=Strict", "Path=/"}) {
    EXPECT_NE(set_cookie.find(attr), std::string::npos) << set_cookie;
  }
  auto [cookie, csrf] = login("anna", "anna-haar-wachtwoord");
  const WebResponse me = call("GET", "/api/me", "", {{"cookie", cookie}});
  ASSERT_EQ(me.status, 200);
  EXPECT_EQ(body_of(me)["user"], "anna");
  EXPECT_EQ(body_of(me)["csrf"], csrf);
  const WebResponse info = call("GET", "/api/stuurinformatie?from=2026-01&to=2026-04", "", {{"cookie", cookie}});
  EXPECT_EQ(info.status, 200);
  EXPECT_EQ(node_.asked.back(), "gem-amsterdam /v1/stuurinformatie?from=2026-01&to=2026-04");
}

TEST_F(WebAppTest, AWrongPasswordAndAnUnknownUserGetTheSameAnswerAndRepeatedFailuresAreThrottled) {
  const WebResponse wrong = call("POST", "/api/login", R"({"user":"anna","password":"niet-het-wachtwoord"})");
  const WebResponse unknown = call("POST", "/api/login", R"({"user":"zoe","password":"niet-het-wachtwoord"})");
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(wrong.body, unknown.body);
  for (int i = 0; i < 5; ++i) call("POST", "/api/login", R"({"user":"anna","password":"niet-het-wachtwoord"})");
  const WebResponse throttled = call("POST", "/api/login", R"({"user":"anna","password":"anna-haar-wachtwoord"})");
  EXPECT_EQ(throttled.status, 429);
  EXPECT_EQ(code_of(throttled), "TOO_MANY_ATTEMPTS");
  EXPECT_GT(body_of(throttled)["retry_after_s"].get<int>(), 0);
  now_ += LoginThrottle::kFirstDelayMs;
  EXPECT_EQ(call("POST", "/api/login", R"({"user":"anna","password":"anna-haar-wachtwoord"})").status, 200);
  EXPECT_EQ(call("POST", "/api/login", "not json").status, 400);
}

TEST_F(WebAppTest, AnExpiredSessionIsRefusedAndSaysSo) {
  auto [cookie, csrf] = login("anna", "anna-haar-wachtwoord");
  now_ += 61'000;  // idle longer than the session's minute
  const WebResponse r = call("GET", "/api/me", "", {{"cookie", cookie}});
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(code_of(r), "SESSION_EXPIRED");
  EXPECT_EQ(code_of(call("GET", "/api/me")), "NO_SESSION");
  EXPECT_EQ(code_of(call("GET", "/api/me", "", {{"cookie", "joet_session=forged"}})), "NO_SESSION");
}

TEST_F(WebAppTest, AWriteWithoutTheSessionsCsrfTokenChangesNothing) {
  auto [cookie, csrf] = login("anna", "anna-haar-wachtwoord");
  const WebResponse forged = call("POST", "/api/cases/c-1/escalations", R"({"addressee":"rb-amsterdam"})",
                                  {{"cookie", cookie}, {"x-csrf-token", std::string(64, 'a')}});
  EXPECT_EQ(forged.status, 403);
  EXPECT_EQ(code_of(forged), "BAD_CSRF");
  EXPECT_EQ(code_of(call("POST", "/api/notifications/3/ack", "", {{"cookie", cookie}})), "BAD_CSRF");
  EXPECT_TRUE(node_.submitted.empty());
  const WebResponse ok = call("POST", "/api/cases/c-1/escalations", R"({"addressee":"rb-amsterdam"})",
                              {{"cookie", cookie}, {"x-csrf-token", csrf}});
  EXPECT_EQ(ok.status, 200) << ok.body;
  ASSERT_EQ(node_.submitted.size(), 1u);
  EXPECT_EQ(node_.submitted[0], "gem-amsterdam escalation.request 4");
  EXPECT_EQ(call("POST", "/api/notifications/3/ack", "", {{"cookie", cookie}, {"x-csrf-token", csrf}}).status, 200);
  EXPECT_EQ(node_.submitted.back(), "gem-amsterdam notification.ack 1");
}

TEST_F(WebAppTest, EveryCaseViewIsLoggedAndAnotherMunicipalitysCaseIs403) {
  auto [anna, a_csrf] = login("anna", "anna-haar-wachtwoord");
  auto [bert, b_csrf] = login("bert", "bert-zijn-wachtwoord");
  const WebResponse own = call("GET", "/api/cases/c-1", "", {{"cookie", anna}});
  ASSERT_EQ(own.status, 200) << own.body;
  EXPECT_EQ(body_of(own)["case"]["id"], "c-1");
  EXPECT_EQ(body_of(own)["timeline"].size(), 1u);
  EXPECT_EQ(body_of(own)["quickscan"]["items"][0]["check"], "PLAN_FILED");
  EXPECT_EQ(body_of(own)["explanation"]["sections"][0]["section"], "NOW");
  const WebResponse other = call("GET", "/api/cases/c-1", "", {{"cookie", bert}});
  EXPECT_EQ(other.status, 403);
  EXPECT_EQ(code_of(other), "FORBIDDEN");
  const std::vector<json> lines = access_lines();
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0]["user"], "anna");
  EXPECT_EQ(lines[0]["subject"], "c-1");
  EXPECT_EQ(lines[0]["status"], 200);
  EXPECT_EQ(lines[1]["user"], "bert");
  EXPECT_EQ(lines[1]["status"], 403);
  EXPECT_EQ(code_of(call("GET", "/api/cases/c%2F1", "", {{"cookie", anna}})), "BAD_CASE_ID");
}

TEST_F(WebAppTest, TheFeedNeedsALiveTokenAndGivesAggregatesOnly) {
  EXPECT_EQ(code_of(call("GET", "/feed/v1/signals.csv")), "BAD_TOKEN");
  EXPECT_EQ(code_of(call("GET", "/feed/v1/signals.csv", "", {{"x-api-key", revoked_}})), "BAD_TOKEN");
  const WebResponse csv = call("GET", "/feed/v1/signals.csv?from=2026-01&to=2026-04", "", {{"x-api-key", token_}});
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_EQ(csv.content_type, "text/csv; charset=utf-8");
  EXPECT_EQ(csv.body, "month,kind,institution,cases,suppressed\r\n2026-03,NO_CONTACT_SIGNAL,gem-amsterdam,10,false\r\n");
  const WebResponse rows = call("GET", "/feed/v1/signals.json", "", {{"x-api-key", token_}});
  ASSERT_EQ(rows.status, 200) << rows.body;
  EXPECT_EQ(body_of(rows)["from"], "2024-05");  // 24 months up to the chain's month (2026-04)
  EXPECT_EQ(body_of(rows)["to"], "2026-04");
  const WebResponse range = call("GET", "/feed/v1/signals.csv?from=2000-01&to=2026-04", "", {{"x-api-key", token_}});
  EXPECT_EQ(range.status, 400);
  EXPECT_EQ(code_of(range), "BAD_RANGE");
  EXPECT_EQ(call("GET", "/feed/v1/cases.csv", "", {{"x-api-key", token_}}).status, 404);
}

// The inspectorate's chain health: the node's height, rules version and validators of the next block,
// and what the last joet-audit run said (read at the time of asking).
TEST_F(WebAppTest, ChainHealthCarriesTheValidatorsAndTheLastAuditResult) {
  auto [cookie, csrf] = login("anna", "anna-haar-wachtwoord");
  json chain = body_of(call("GET", "/api/chain", "", {{"cookie", cookie}}));
  EXPECT_EQ(chain["height"], 12);
  EXPECT_EQ(chain["validators"], 4);
  EXPECT_TRUE(chain["audit"].is_null()) << "no audit report configured";
  last_audit_ = summarize_audit_report(
      R"({"chain_id":"joet-test","heights":12,"txs":40,"rules_version":2,"tip_hash":"ab","state_root":"cd","finding":null})" "\n",
      1'776'000'000'000);
  chain = body_of(call("GET", "/api/chain", "", {{"cookie", cookie}}));
  EXPECT_EQ(chain["audit"]["ok"], true);
  EXPECT_EQ(chain["audit"]["heights"], 12);
  EXPECT_EQ(chain["audit"]["written_ms"], 1'776'000'000'000);
}

TEST(AuditReport, AFindingIsNotOkAndATextThatIsNoReportSaysSo) {
  const json found = summarize_audit_report(
      "progress...\n"
      R"({"heights":7,"tip_hash":"ab","finding":{"height":8,"code":"WRONG_STATE_ROOT","message":"state root differs"}})",
      5);
  EXPECT_EQ(found["ok"], false);
  EXPECT_EQ(found["finding"]["height"], 8);
  EXPECT_EQ(found["finding"]["code"], "WRONG_STATE_ROOT");
  for (const char* bad : {"", "joet-audit: interrupted after 3 verified heights", R"({"heights":-1,"tip_hash":"x","finding":null})",
                          R"({"tip_hash":"x","finding":null})"}) {
    const json summary = summarize_audit_report(bad, 5);
    EXPECT_TRUE(summary.contains("error")) << bad;
    EXPECT_FALSE(summary.contains("ok")) << bad;
  }
}

TEST_F(WebAppTest, PagesAreStaticFilesAndUnknownPathsAre404) {
  EXPECT_EQ(call("GET", "/").body, "<!doctype html><title>Inzicht</title>");
  EXPECT_EQ(call("GET", "/").content_type, "text/html; charset=utf-8");
  EXPECT_EQ(call("GET", "/static/app.js").content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(call("GET", "/static/../../etc/passwd").status, 404);
  EXPECT_EQ(call("POST", "/").status, 405);
}

TEST_F(WebAppTest, ANodeThatCannotBeReachedIsA503NotAnEmptyPage) {
  auto [cookie, csrf] = login("anna", "anna-haar-wachtwoord");
  node_.down = true;
  const WebResponse r = call("GET", "/api/stuurinformatie?from=2026-01&to=2026-04", "", {{"cookie", cookie}});
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(code_of(r), "NODE_UNAVAILABLE");
}

TEST_F(WebAppTest, CaseloadAndRequestsAreAskedForTheUsersOwnInstitution) {
  auto [cookie, csrf] = login("bert", "bert-zijn-wachtwoord");
  EXPECT_EQ(call("GET", "/api/caseload", "", {{"cookie", cookie}}).status, 200);
  EXPECT_EQ(node_.asked.back(), "gem-utrecht /v1/caseload?institution=gem-utrecht");
  EXPECT_EQ(call("GET", "/api/requests", "", {{"cookie", cookie}}).status, 200);
  EXPECT_EQ(node_.asked.back(), "gem-utrecht /v1/requests/pending?institution=gem-utrecht&limit=1000");
  EXPECT_EQ(code_of(call("GET", "/api/caseload")), "NO_SESSION");
}

TEST_F(WebAppTest, ANodeAnswerOfAnUnexpectedShapeFailsThatRequestOnly) {
  auto [cookie, csrf] = login("anna", "anna-haar-wachtwoord");
  node_.odd_status = true;
  const WebResponse r = call("GET", "/api/deadlines?days=14", "", {{"cookie", cookie}});
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(code_of(r), "INTERNAL");
  node_.odd_status = false;
  EXPECT_EQ(call("GET", "/api/me", "", {{"cookie", cookie}}).status, 200);  // the session lives on
}

}  // namespace
}  // namespace joet::inzicht
