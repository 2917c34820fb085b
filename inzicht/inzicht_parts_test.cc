// The parts of joet-inzicht below its routes: accounts, sessions, the login throttle, API tokens, the
// feed's tables, the access log.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "inzicht/access_log.h"
#include "inzicht/api_tokens.h"
#include "inzicht/feed_tables.h"
#include "inzicht/login_throttle.h"
#include "inzicht/sessions.h"
#include "inzicht/staff_accounts.h"
#include "ledger/testing/temp_dir.h"

namespace joet::inzicht {
namespace {

using joet::testing::TempDir;

AccountBook empty_book() { return AccountBook::parse(R"({"version":1,"accounts":[]})").value(); }

TEST(StaffAccounts, PasswordsAreKeptOnlyAsArgon2idHashesAndVerifyOnlyTheRightOne) {
  AccountBook book = empty_book();
  ASSERT_TRUE(book.add({"anna", "Anna de Vries", "gem-amsterdam", "", false}, "lang-genoeg-wachtwoord").ok());
  const std::string text = book.to_json();
  EXPECT_EQ(text.find("lang-genoeg-wachtwoord"), std::string::npos);
  EXPECT_NE(text.find("$argon2id$"), std::string::npos);
  AccountBook again = AccountBook::parse(text).value();
  EXPECT_TRUE(authenticate(again, "anna", "lang-genoeg-wachtwoord").has_value());
  EXPECT_FALSE(authenticate(again, "anna", "lang-genoeg-wachtwoorD").has_value());
  EXPECT_FALSE(authenticate(again, "bert", "lang-genoeg-wachtwoord").has_value());
  ASSERT_TRUE(again.set_disabled("anna", true).ok());
  EXPECT_FALSE(authenticate(again, "anna", "lang-genoeg-wachtwoord").has_value());
}

TEST(StaffAccounts, BadAccountsAreRefusedWithTheirReason) {
  AccountBook book = empty_book();
  EXPECT_EQ(book.add({"anna", "A", "gem", "", false}, "kort").error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(book.add({"Anna!", "A", "gem", "", false}, "lang-genoeg-wachtwoord").error().code, ErrorCode::kInvalidArgument);
  ASSERT_TRUE(book.add({"anna", "A", "gem", "", false}, "lang-genoeg-wachtwoord").ok());
  EXPECT_EQ(book.add({"anna", "A", "gem", "", false}, "lang-genoeg-wachtwoord").error().code, ErrorCode::kConflict);
  EXPECT_EQ(book.set_password("bert", "lang-genoeg-wachtwoord").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(AccountBook::parse("{").error().code, ErrorCode::kMalformed);
  EXPECT_EQ(AccountBook::parse(R"({"version":1,"accounts":[{"user":"a"}]})").error().code, ErrorCode::kMalformed);
  EXPECT_FALSE(password_matches("$2y$10$notargon", "whatever-password"));  // only argon2id hashes are ours
}

TEST(Sessions, ASessionEndsAfterItsIdleTimeOrItsMaximumWhicheverIsFirst) {
  SessionStore store(/*idle_ms=*/1000, /*max_ms=*/2500);
  auto [token, s] = store.create("anna", 10'000);
  EXPECT_EQ(token.size(), 64u);
  EXPECT_EQ(s.csrf.size(), 64u);
  EXPECT_NE(token, s.csrf);
  EXPECT_TRUE(std::holds_alternative<Session>(store.touch(token, 10'900)));  // idle restarts
  EXPECT_TRUE(std::holds_alternative<Session>(store.touch(token, 11'800)));
  EXPECT_TRUE(std::holds_alternative<Session>(store.touch(token, 12'400)));
  auto late = store.touch(token, 12'500);  // the maximum: 2.5 s after login, however active
  ASSERT_TRUE(std::holds_alternative<SessionMiss>(late));
  EXPECT_EQ(std::get<SessionMiss>(late), SessionMiss::kExpired);
  EXPECT_EQ(std::get<SessionMiss>(store.touch(token, 12'600)), SessionMiss::kUnknown);  // forgotten

  auto [idle_token, idle] = store.create("bert", 20'000);
  EXPECT_EQ(std::get<SessionMiss>(store.touch(idle_token, 21'000)), SessionMiss::kExpired);
  auto [gone, g] = store.create("carla", 30'000);
  store.remove_user("carla");
  EXPECT_EQ(std::get<SessionMiss>(store.touch(gone, 30'001)), SessionMiss::kUnknown);
}

TEST(LoginThrottle, WrongPasswordsBeyondFiveWaitADelayThatDoubles) {
  LoginThrottle t;
  uint64_t now = 1'000'000;
  for (int i = 0; i < LoginThrottle::kFreeFailures; ++i) {
    EXPECT_FALSE(t.wait_ms("anna", "10.0.0.1", now).has_value());
    t.failed("anna", "10.0.0.1", now);
  }
  EXPECT_FALSE(t.wait_ms("anna", "10.0.0.1", now).has_value());
  t.failed("anna", "10.0.0.1", now);  // the sixth
  EXPECT_EQ(t.wait_ms("anna", "10.0.0.1", now), LoginThrottle::kFirstDelayMs);
  // The same user from another address, and another user from the same address, both wait.
  EXPECT_TRUE(t.wait_ms("anna", "10.0.0.2", now).has_value());
  EXPECT_TRUE(t.wait_ms("bert", "10.0.0.1", now).has_value());
  now += LoginThrottle::kFirstDelayMs;
  EXPECT_FALSE(t.wait_ms("anna", "10.0.0.1", now).has_value());
  t.failed("anna", "10.0.0.1", now);
  EXPECT_EQ(t.wait_ms("anna", "10.0.0.1", now), 2 * LoginThrottle::kFirstDelayMs);
  t.succeeded("anna");
  EXPECT_FALSE(t.wait_ms("anna", "10.0.0.9", now).has_value());
}

TEST(ApiTokens, OnlyTheDigestIsKeptAndARevokedTokenOpensNothing) {
  TokenBook book = TokenBook::parse(R"({"version":1,"tokens":[]})").value();
  const std::string token = book.issue("powerbi-jeugd", 5).value();
  EXPECT_EQ(token.rfind("jit_", 0), 0u);
  EXPECT_EQ(book.to_json().find(token), std::string::npos);
  TokenBook again = TokenBook::parse(book.to_json()).value();
  EXPECT_EQ(again.check(token), "powerbi-jeugd");
  EXPECT_FALSE(again.check(token + "x").has_value());
  EXPECT_EQ(again.issue("powerbi-jeugd", 6).error().code, ErrorCode::kConflict);
  ASSERT_TRUE(again.revoke("powerbi-jeugd").ok());
  EXPECT_FALSE(again.check(token).has_value());
  EXPECT_EQ(again.revoke("nope").error().code, ErrorCode::kNotFound);
}

TEST(FeedTables, ASuppressedCellKeepsItsRowWithoutANumber) {
  const nlohmann::json report = nlohmann::json::parse(R"({"from":"2026-01","to":"2026-02","height":9,
    "running":[{"month":"2026-01","kind":"OTS","institution":"gi-jbra","cases":12},
               {"month":"2026-01","kind":"OTS","institution":"gi-wsg","suppressed":true}],
    "ended":[{"month":"2026-02","kind":"OTS","cases":7,"measures":8,"mean_days":120,"median_days":118}]})");
  EXPECT_EQ(table_csv(report, "running").value(),
            "month,kind,institution,cases,suppressed\r\n"
            "2026-01,OTS,gi-jbra,12,false\r\n"
            "2026-01,OTS,gi-wsg,,true\r\n");
  EXPECT_EQ(table_csv(report, "ended").value(),
            "month,kind,institution,cases,suppressed,measures,mean_days,median_days\r\n"
            "2026-02,OTS,,7,false,8,120,118\r\n");
  const nlohmann::json rows = table_rows(report, "running").value();
  EXPECT_TRUE(rows[1]["cases"].is_null());
  EXPECT_EQ(rows[1]["suppressed"], true);
  EXPECT_FALSE(table_csv(report, "signals").has_value());  // not in this report
  EXPECT_FALSE(is_feed_table("cases"));
}

TEST(AccessLog, EachEntryIsOneSyncedJsonLine) {
  TempDir dir("inzicht_access_log");
  const std::string path = dir.sub("access.log");
  {
    auto log = AccessLog::open(path).value();
    ASSERT_TRUE(log->write({1, "anna", "gem-amsterdam", "view_case", "c-1", "10.0.0.1", 200}).ok());
    ASSERT_TRUE(log->write({2, "bert", "gem-utrecht", "view_case", "c-1", "10.0.0.2", 403}).ok());
  }
  std::ifstream in(path);
  std::string line;
  std::vector<nlohmann::json> lines;
  while (std::getline(in, line)) lines.push_back(nlohmann::json::parse(line));
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[1]["user"], "bert");
  EXPECT_EQ(lines[1]["status"], 403);
  EXPECT_FALSE(AccessLog::open(dir.sub("no-such-dir/access.log")).ok());
}

}  // namespace
}  // namespace joet::inzicht
