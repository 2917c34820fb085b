// joet-inzicht's routes (docs/inzicht.md): a function from one HTTP request to its response, with no
// sockets (inzicht/web_server.h reads and writes them, over TLS). Logins, sessions, CSRF and the login
// throttle are checked here; every read of the node and every tx goes through the NodeGateway as the
// user's institution; every view of a case goes to the access log before it is answered.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <variant>
#include <string>
#include <utility>
#include <vector>

#include "inzicht/access_log.h"
#include "inzicht/api_tokens.h"
#include "inzicht/login_throttle.h"
#include "inzicht/node_gateway.h"
#include "inzicht/sessions.h"
#include "inzicht/staff_accounts.h"

namespace joet::inzicht {

struct WebRequest {
  std::string method;   // "GET", "POST", ...
  std::string target;   // path and query, as sent
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;
  std::string remote;   // the client's address (no port): the login throttle's key
};

struct WebResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // besides the security headers every answer gets
};

// The institutions this server signs for, with their roles (from the config: the node's registry
// decides what each may read, the role only chooses the page's views).
struct ServedInstitution {
  std::string id;
  std::string role;  // MUNICIPALITY, GI, COURT, RVDK, AUDITOR
};

struct WebAppConfig {
  std::vector<ServedInstitution> institutions;
  std::map<std::string, std::string> static_files;  // "/static/app.js" -> contents ("/" and "/vendor/chart.js" too)
  uint64_t session_idle_ms = 30 * 60'000;
  uint64_t session_max_ms = 8 * 3'600'000;
  int default_feed_months = 24;
  // The last audit result for the chain health (inzicht/audit_report.h summarize_audit_report), read
  // when /api/chain is asked; null when no audit report is configured. Unset: null.
  std::function<nlohmann::json()> last_audit;
};

class WebApp {
 public:
  // `accounts` and `tokens` are read for every request (a reload swaps them under the lock).
  WebApp(WebAppConfig config, AccountBook accounts, TokenBook tokens, AccessLog& access_log, NodeGateway& node,
         std::function<uint64_t()> now_ms);

  WebResponse handle(const WebRequest& request);

  // New account and token books (SIGHUP after `joet-inzicht users` / `tokens`): sessions of accounts that
  // are gone or disabled end.
  void reload(AccountBook accounts, TokenBook tokens);

 private:
  struct User {
    StaffAccount account;
    Session session;
    std::string role;
  };
  WebResponse route(const WebRequest& r);
  WebResponse login(const WebRequest& r);
  WebResponse api(const WebRequest& r, const std::string& path, const std::map<std::string, std::string>& query);
  WebResponse feed(const WebRequest& r, const std::string& path, const std::map<std::string, std::string>& query);
  WebResponse file(const std::string& path) const;
  // The session's user, or the 401 / 403 to answer.
  std::variant<User, WebResponse> session_user(const WebRequest& r);
  WebResponse node_get(const User& u, const std::string& target);
  WebResponse view_case(const WebRequest& r, const User& u, const std::string& case_id);
  WebResponse escalate(const WebRequest& r, const User& u, const std::string& case_id);
  WebResponse ack(const WebRequest& r, const User& u, const std::string& seq);
  // Submits a tx as the user's institution and writes the attempt to the access log: the committed tx,
  // or nullopt with `refused` = {"status", "body"} to answer.
  std::optional<Committed> submit_logged(const WebRequest& r, const User& u, const std::string& action,
                                         std::vector<v1::Arg> args, const std::string& logged_as,
                                         const std::string& subject, nlohmann::json& refused);
  std::string role_of(const std::string& institution) const;
  Status log_access(const WebRequest& r, const User& u, std::string action, std::string subject, int status);

  WebAppConfig config_;
  std::mutex books_mu_;
  AccountBook accounts_;
  TokenBook tokens_;
  AccessLog& access_log_;
  NodeGateway& node_;
  std::function<uint64_t()> now_ms_;
  SessionStore sessions_;
  LoginThrottle throttle_;
};

// {"error": {"code", "message"}} with `status`.
WebResponse error_response(int status, std::string_view code, std::string_view message);

}  // namespace joet::inzicht
