#include "inzicht/web_app.h"

#include <algorithm>
#include <variant>

#include <nlohmann/json.hpp>

#include "contracts/civil_date.h"
#include "contracts/privacy.h"
#include "inzicht/feed_tables.h"
#include "ledger/bytes.h"
#include "ledger/hash.h"

namespace joet::inzicht {
namespace {

using json = nlohmann::json;

constexpr uint64_t kDayMs = 86'400'000;
constexpr const char* kCookie = "joet_session";

WebResponse json_response(int status, const json& body) {
  WebResponse r;
  r.status = status;
  r.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
  return r;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::string> percent_decode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] != '%') {
      out += s[i];
    } else {
      if (i + 2 >= s.size() || hex_digit(s[i + 1]) < 0 || hex_digit(s[i + 2]) < 0) return std::nullopt;
      out += static_cast<char>(hex_digit(s[i + 1]) * 16 + hex_digit(s[i + 2]));
      i += 2;
    }
  }
  return out;
}

std::optional<std::map<std::string, std::string>> parse_query(std::string_view query) {
  std::map<std::string, std::string> out;
  size_t start = 0;
  while (start <= query.size() && !query.empty()) {
    const size_t end = std::min(query.find('&', start), query.size());
    const std::string_view part = query.substr(start, end - start);
    if (!part.empty()) {
      const size_t eq = part.find('=');
      auto key = percent_decode(part.substr(0, eq));
      auto value = percent_decode(eq == std::string_view::npos ? std::string_view() : part.substr(eq + 1));
      if (!key || !value || !out.emplace(*key, *value).second) return std::nullopt;
    }
    start = end + 1;
  }
  return out;
}

std::string cookie_value(const WebRequest& r, std::string_view name) {
  auto it = r.headers.find("cookie");
  if (it == r.headers.end()) return "";
  std::string_view rest = it->second;
  while (!rest.empty()) {
    const size_t end = std::min(rest.find(';'), rest.size());
    std::string_view part = rest.substr(0, end);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    if (part.size() > name.size() && part.substr(0, name.size()) == name && part[name.size()] == '=') {
      return std::string(part.substr(name.size() + 1));
    }
    rest.remove_prefix(std::min(end + 1, rest.size()));
  }
  return "";
}

// "YYYY-MM" of the month `back` months before the month of `time_ms` (UTC date; months are the
// node's civil months, and a day's difference at a month's edge does not matter for a default range).
std::string month_before(uint64_t time_ms, int back) {
  const CivilDate d = civil_from_days(static_cast<int64_t>(time_ms / kDayMs));
  int64_t index = int64_t{d.year} * 12 + (d.month - 1) - back;
  const int64_t year = index / 12;
  const int64_t month = index % 12 + 1;
  return std::to_string(year) + (month < 10 ? "-0" : "-") + std::to_string(month);
}

bool valid_month_text(const std::string& m) {
  return m.size() == 7 && m[4] == '-' &&
         std::all_of(m.begin(), m.end(), [](char c) { return (c >= '0' && c <= '9') || c == '-'; });
}

// The target of a node route with a query; the values are ids, months and numbers already checked.
std::string with_query(std::string path, const std::vector<std::pair<std::string, std::string>>& params) {
  char sep = '?';
  for (const auto& [k, v] : params) {
    path += sep + k + "=" + v;
    sep = '&';
  }
  return path;
}

const std::map<std::string, std::string>& content_types() {
  static const std::map<std::string, std::string> types = {
      {".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},   {".svg", "image/svg+xml"},
      {".png", "image/png"},                 {".json", "application/json"},
      {".md", "text/plain; charset=utf-8"}};
  return types;
}

}  // namespace

WebResponse error_response(int status, std::string_view code, std::string_view message) {
  return json_response(status, {{"error", {{"code", code}, {"message", message}}}});
}

WebApp::WebApp(WebAppConfig config, AccountBook accounts, TokenBook tokens, AccessLog& access_log, NodeGateway& node,
               std::function<uint64_t()> now_ms)
    : config_(std::move(config)),
      accounts_(std::move(accounts)),
      tokens_(std::move(tokens)),
      access_log_(access_log),
      node_(node),
      now_ms_(std::move(now_ms)),
      sessions_(config_.session_idle_ms, config_.session_max_ms) {}

void WebApp::reload(AccountBook accounts, TokenBook tokens) {
  std::lock_guard lock(books_mu_);
  for (const StaffAccount& old : accounts_.accounts()) {
    const StaffAccount* now = accounts.find(old.user);
    if (now == nullptr || now->disabled || now->password_hash != old.password_hash) sessions_.remove_user(old.user);
  }
  accounts_ = std::move(accounts);
  tokens_ = std::move(tokens);
}

std::string WebApp::role_of(const std::string& institution) const {
  for (const ServedInstitution& i : config_.institutions) {
    if (i.id == institution) return i.role;
  }
  return "";
}

WebResponse WebApp::handle(const WebRequest& r) {
  try {
    return route(r);
  } catch (const std::exception& e) {
    // A bug, e.g. a node answer of a shape we did not expect: this request fails with 500 (the server
    // logs it), the server and everyone's sessions stay up.
    return error_response(500, "INTERNAL", std::string("the server failed on this request: ") + e.what());
  }
}

WebResponse WebApp::route(const WebRequest& r) {
  const size_t q = r.target.find('?');
  const std::string path = r.target.substr(0, q);
  auto query = parse_query(q == std::string::npos ? std::string_view() : std::string_view(r.target).substr(q + 1));
  if (!query) return error_response(400, "BAD_QUERY", "bad percent-encoding or a repeated parameter");
  if (path.rfind("/api/", 0) == 0) {
    WebResponse res = api(r, path, *query);
    res.headers.emplace_back("Cache-Control", "no-store");
    return res;
  }
  if (path.rfind("/feed/", 0) == 0) {
    WebResponse res = feed(r, path, *query);
    res.headers.emplace_back("Cache-Control", "no-store");
    return res;
  }
  if (r.method != "GET" && r.method != "HEAD") return error_response(405, "METHOD_NOT_ALLOWED", "pages are read with GET");
  return file(path);
}

WebResponse WebApp::file(const std::string& path) const {
  const std::string name = path == "/" ? "/index.html" : path;
  auto it = config_.static_files.find(name);
  if (it == config_.static_files.end()) return error_response(404, "NOT_FOUND", "no such page");
  WebResponse res;
  const size_t dot = name.rfind('.');
  auto type = content_types().find(dot == std::string::npos ? "" : name.substr(dot));
  res.content_type = type == content_types().end() ? "application/octet-stream" : type->second;
  res.body = it->second;
  res.headers.emplace_back("Cache-Control", "no-cache");
  return res;
}

std::variant<WebApp::User, WebResponse> WebApp::session_user(const WebRequest& r) {
  const std::string token = cookie_value(r, kCookie);
  if (token.empty()) return error_response(401, "NO_SESSION", "log in first");
  auto found = sessions_.touch(token, now_ms_());
  if (auto* miss = std::get_if<SessionMiss>(&found)) {
    return *miss == SessionMiss::kExpired ? error_response(401, "SESSION_EXPIRED", "the session has expired: log in again")
                                          : error_response(401, "NO_SESSION", "log in first");
  }
  const Session& s = std::get<Session>(found);
  std::lock_guard lock(books_mu_);
  const StaffAccount* account = accounts_.find(s.user);
  if (account == nullptr || account->disabled) {
    sessions_.remove(token);
    return error_response(401, "NO_SESSION", "the account is no longer active");
  }
  if (r.method == "POST") {
    auto csrf = r.headers.find("x-csrf-token");
    if (csrf == r.headers.end() || !same_secret(csrf->second, s.csrf)) {
      return error_response(403, "BAD_CSRF", "the request lacks this session's X-CSRF-Token");
    }
  }
  return User{*account, s, role_of(account->institution)};
}

WebResponse WebApp::login(const WebRequest& r) {
  const json body = json::parse(r.body, nullptr, /*allow_exceptions=*/false);
  if (!body.is_object() || !body.contains("user") || !body["user"].is_string() || !body.contains("password") ||
      !body["password"].is_string()) {
    return error_response(400, "BAD_REQUEST", "expected {\"user\": ..., \"password\": ...}");
  }
  const std::string user = body["user"];
  const uint64_t now = now_ms_();
  if (auto wait = throttle_.wait_ms(user, r.remote, now)) {
    WebResponse res = json_response(429, {{"error", {{"code", "TOO_MANY_ATTEMPTS"}, {"message", "too many wrong passwords: wait"}}},
                                          {"retry_after_s", (*wait + 999) / 1000}});
    res.headers.emplace_back("Retry-After", std::to_string((*wait + 999) / 1000));
    return res;
  }
  std::optional<StaffAccount> account;
  {
    std::lock_guard lock(books_mu_);
    account = authenticate(accounts_, user, body["password"].get<std::string>());
  }
  if (!account || role_of(account->institution).empty()) {
    throttle_.failed(user, r.remote, now);
    return error_response(401, "BAD_LOGIN", "unknown user or wrong password");
  }
  throttle_.succeeded(user);
  auto [token, session] = sessions_.create(account->user, now);
  WebResponse res = json_response(200, {{"user", account->user},
                                        {"name", account->name},
                                        {"institution", account->institution},
                                        {"role", role_of(account->institution)},
                                        {"csrf", session.csrf},
                                        {"expires_ms", session.expires_ms}});
  res.headers.emplace_back("Set-Cookie", std::string(kCookie) + "=" + token +
                                             "; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=" +
                                             std::to_string(config_.session_max_ms / 1000));
  return res;
}

WebResponse WebApp::node_get(const User& u, const std::string& target) {
  auto answer = node_.get(u.account.institution, target);
  if (!answer.ok()) return error_response(503, "NODE_UNAVAILABLE", answer.error().to_string());
  return json_response(answer->status, answer->body);
}

Status WebApp::log_access(const WebRequest& r, const User& u, std::string action, std::string subject, int status) {
  return access_log_.write({now_ms_(), u.account.user, u.account.institution, std::move(action), std::move(subject),
                            r.remote, status});
}

WebResponse WebApp::api(const WebRequest& r, const std::string& path, const std::map<std::string, std::string>& query) {
  if (path == "/api/login") {
    if (r.method != "POST") return error_response(405, "METHOD_NOT_ALLOWED", "POST /api/login");
    return login(r);
  }
  auto who = session_user(r);
  if (auto* refused = std::get_if<WebResponse>(&who)) return std::move(*refused);
  const User& u = std::get<User>(who);
  const std::string& me = u.account.institution;
  auto param = [&](const char* name) {
    auto it = query.find(name);
    return it == query.end() ? std::string() : it->second;
  };

  if (path == "/api/logout" && r.method == "POST") {
    sessions_.remove(cookie_value(r, kCookie));
    WebResponse res;
    res.status = 204;
    res.content_type.clear();
    res.headers.emplace_back("Set-Cookie", std::string(kCookie) + "=; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=0");
    return res;
  }
  if (r.method == "GET" && path == "/api/me") {
    return json_response(200, {{"user", u.account.user},
                               {"name", u.account.name},
                               {"institution", me},
                               {"role", u.role},
                               {"csrf", u.session.csrf},
                               {"expires_ms", u.session.expires_ms}});
  }
  if (r.method == "GET" && path == "/api/chain") {
    auto status = node_.get(me, "/v1/status");
    if (!status.ok()) return error_response(503, "NODE_UNAVAILABLE", status.error().to_string());
    const json& s = status->body;
    const uint64_t height = s.value("height", uint64_t{0});
    json validators = nullptr;  // the set that signs the next block: what the chain's health rests on
    if (auto set = node_.get(me, "/v1/validators/" + std::to_string(height + 1)); set.ok() && set->status == 200) {
      const json& v = set->body.contains("validators") ? set->body["validators"] : json();
      if (v.is_array()) validators = v.size();
    }
    return json_response(status->status, {{"chain_id", s.value("chain_id", "")},
                                          {"height", height},
                                          {"time_ms", s.value("time_ms", uint64_t{0})},
                                          {"rules_version", s.value("rules_version", uint64_t{0})},
                                          {"catching_up", s.value("catching_up", false)},
                                          {"peers", s.contains("peers") && s["peers"].is_array() ? s["peers"].size() : 0},
                                          {"validators", validators},
                                          {"policy", s.contains("policy") && s["policy"].is_object() ? s["policy"] : json(nullptr)},
                                          {"audit", config_.last_audit ? config_.last_audit() : json(nullptr)},
                                          {"institution", me}});
  }
  if (r.method == "GET" && path == "/api/stuurinformatie") {
    const std::string from = param("from");
    const std::string to = param("to");
    if (!valid_month_text(from) || !valid_month_text(to)) return error_response(400, "BAD_MONTH", "from and to are months YYYY-MM");
    return node_get(u, with_query("/v1/stuurinformatie", {{"from", from}, {"to", to}}));
  }
  if (r.method == "GET" && path == "/api/cells") {
    const std::string month = param("month");
    const std::string metric = param("metric");
    if (!valid_month_text(month)) return error_response(400, "BAD_MONTH", "month is YYYY-MM");
    if (!is_code_charset(metric)) return error_response(400, "BAD_METRIC", "metric is a code");
    WebResponse res = node_get(u, with_query("/v1/stuurinformatie/cases", {{"month", month}, {"metric", metric}, {"institution", me}}));
    Status logged = log_access(r, u, "drilldown", month + "/" + metric, res.status);
    if (!logged.ok()) return error_response(503, "ACCESS_LOG_FAILED", logged.error().to_string());
    return res;
  }
  if (r.method == "GET" && path == "/api/deadlines") {
    const std::string days_text = param("days").empty() ? "42" : param("days");
    auto days = parse_decimal_u64(days_text);
    if (!days || *days < 1 || *days > 366) return error_response(400, "BAD_DAYS", "days is 1 to 366");
    auto status = node_.get(me, "/v1/status");
    if (!status.ok()) return error_response(503, "NODE_UNAVAILABLE", status.error().to_string());
    const uint64_t now = status->body.value("time_ms", uint64_t{0});
    return node_get(u, with_query("/v1/deadlines", {{"institution", me},
                                                    {"from_ms", std::to_string(now)},
                                                    {"to_ms", std::to_string(now + *days * kDayMs)},
                                                    {"limit", "1000"}}));
  }
  if (r.method == "GET" && path == "/api/caseload") {
    return node_get(u, with_query("/v1/caseload", {{"institution", me}}));
  }
  if (r.method == "GET" && path == "/api/requests") {
    return node_get(u, with_query("/v1/requests/pending", {{"institution", me}, {"limit", "1000"}}));
  }
  if (r.method == "GET" && path == "/api/notifications") {
    const std::string after = param("after").empty() ? "0" : param("after");
    if (!parse_decimal_u64(after)) return error_response(400, "BAD_AFTER", "after is a sequence number");
    return node_get(u, with_query("/v1/events", {{"recipient", me}, {"after", after}, {"limit", "200"}}));
  }
  const std::string kCases = "/api/cases/";
  if (path.rfind(kCases, 0) == 0) {
    const std::string rest = path.substr(kCases.size());
    const size_t slash = rest.find('/');
    const std::string case_id = rest.substr(0, slash);
    if (!is_code_charset(case_id)) return error_response(400, "BAD_CASE_ID", "a case id is a code");
    if (slash == std::string::npos && r.method == "GET") return view_case(r, u, case_id);
    if (rest.substr(slash == std::string::npos ? rest.size() : slash) == "/escalations" && r.method == "POST") {
      return escalate(r, u, case_id);
    }
  }
  const std::string kNotifications = "/api/notifications/";
  if (path.rfind(kNotifications, 0) == 0 && r.method == "POST") {
    const std::string rest = path.substr(kNotifications.size());
    const size_t slash = rest.find('/');
    if (slash != std::string::npos && rest.substr(slash) == "/ack") return ack(r, u, rest.substr(0, slash));
  }
  return error_response(404, "NOT_FOUND", "no such route");
}

WebResponse WebApp::view_case(const WebRequest& r, const User& u, const std::string& case_id) {
  auto record = node_.get(u.account.institution, "/v1/cases/" + case_id);
  if (!record.ok()) return error_response(503, "NODE_UNAVAILABLE", record.error().to_string());
  int status = record->status;
  json out;
  if (status == 200) {
    auto timeline = node_.get(u.account.institution, "/v1/cases/" + case_id + "/timeline?limit=1000");
    if (!timeline.ok()) return error_response(503, "NODE_UNAVAILABLE", timeline.error().to_string());
    status = timeline->status;
    // The legal quickscan (contracts/quickscan.h); a node that serves none (501) leaves it null.
    auto quickscan = node_.get(u.account.institution, "/v1/cases/" + case_id + "/quickscan");
    if (!quickscan.ok()) return error_response(503, "NODE_UNAVAILABLE", quickscan.error().to_string());
    auto explanation = node_.get(u.account.institution, "/v1/cases/" + case_id + "/explanation");
    if (!explanation.ok()) return error_response(503, "NODE_UNAVAILABLE", explanation.error().to_string());
    out = {{"case", record->body.value("case", json(nullptr))},
           {"timeline", timeline->body.value("entries", json::array())},
           {"quickscan", quickscan->status == 200 ? quickscan->body : json(nullptr)},
           {"explanation", explanation->status == 200 ? explanation->body : json(nullptr)},
           {"height", timeline->body.value("height", uint64_t{0})}};
    if (out["case"].is_null()) status = 404;
  }
  // Logged before the answer leaves, whatever it is: refused attempts are worth knowing too.
  Status logged = log_access(r, u, "view_case", case_id, status);
  if (!logged.ok()) return error_response(503, "ACCESS_LOG_FAILED", logged.error().to_string());
  if (status == 403) return error_response(403, "FORBIDDEN", "this case is not one of your institution's");
  if (status == 404) return error_response(404, "CASE_NOT_FOUND", "no such case");
  if (status != 200) return json_response(status, record->body);
  return json_response(200, out);
}

WebResponse WebApp::escalate(const WebRequest& r, const User& u, const std::string& case_id) {
  const json body = json::parse(r.body, nullptr, /*allow_exceptions=*/false);
  if (!body.is_object() || !body.contains("addressee") || !body["addressee"].is_string() ||
      !is_code_charset(body["addressee"].get<std::string>())) {
    return error_response(400, "BAD_REQUEST", "expected {\"addressee\": <an institution id>}");
  }
  const std::string escalation = "esc-" + random_hex(8);
  std::vector<v1::Arg> args(4);
  args[0].set_name("case");
  args[0].set_text(case_id);
  args[1].set_name("escalation");
  args[1].set_text(escalation);
  args[2].set_name("addressee");
  args[2].set_text(body["addressee"].get<std::string>());
  args[3].set_name("document");
  const Hash32 document = sha256("joet-inzicht escalation " + case_id + " " + escalation);
  args[3].set_hash(std::string(document.begin(), document.end()));
  json out;
  auto committed = submit_logged(r, u, "escalation.request", std::move(args), "escalation", case_id, out);
  if (!committed) return json_response(out["status"].get<int>(), out["body"]);
  out = {{"tx_id", committed->tx_id}, {"height", committed->height}, {"result", committed->result},
         {"message", committed->message}, {"escalation", escalation}};
  if (committed->result == "OK") {
    // The answer's deadline: the D-ESCAL the tx queued, among the case's own deadlines (a handful,
    // however many the institution has; the requester is a party of the case).
    auto deadlines = node_.get(u.account.institution,
                               with_query("/v1/deadlines", {{"institution", u.account.institution}, {"case", case_id},
                                                            {"from_ms", "0"}, {"to_ms", "253402300799999"}, {"limit", "1000"}}));
    if (deadlines.ok() && deadlines->status == 200) {
      for (const auto& d : deadlines->body.value("deadlines", json::array())) {
        if (d.value("kind", "") == "D-ESCAL" && d.value("detail", "") == escalation) out["answer_due_ms"] = d["due_ms"];
      }
    }
  }
  return json_response(committed->result == "OK" ? 200 : 422, out);
}

std::optional<Committed> WebApp::submit_logged(const WebRequest& r, const User& u, const std::string& action,
                                               std::vector<v1::Arg> args, const std::string& logged_as,
                                               const std::string& subject, json& refused) {
  auto committed = node_.submit(u.account.institution, action, std::move(args));
  // 200 committed OK, 422 refused (at admission or by the contracts), 503 the node cannot be reached.
  const int status = !committed.ok() ? (committed.error().code == ErrorCode::kInvalidArgument ? 422 : 503)
                                     : (committed->result == "OK" ? 200 : 422);
  Status logged = log_access(r, u, logged_as, subject, status);
  if (!logged.ok()) {
    refused = {{"status", 503}, {"body", json::parse(error_response(503, "ACCESS_LOG_FAILED", logged.error().to_string()).body)}};
    return std::nullopt;
  }
  if (!committed.ok()) {
    refused = {{"status", status},
               {"body", json::parse(error_response(status, status == 422 ? "REFUSED" : "NODE_UNAVAILABLE",
                                                   committed.error().to_string()).body)}};
    return std::nullopt;
  }
  return *committed;
}

WebResponse WebApp::ack(const WebRequest& r, const User& u, const std::string& seq_text) {
  auto seq = parse_decimal_u64(seq_text);
  if (!seq || *seq == 0) return error_response(400, "BAD_SEQ", "seq is a positive number");
  std::vector<v1::Arg> args(1);
  args[0].set_name("seq");
  args[0].set_integer(static_cast<int64_t>(*seq));
  json refused;
  auto committed = submit_logged(r, u, "notification.ack", std::move(args), "ack", seq_text, refused);
  if (!committed) return json_response(refused["status"].get<int>(), refused["body"]);
  return json_response(committed->result == "OK" ? 200 : 422, {{"tx_id", committed->tx_id}, {"height", committed->height},
                                                               {"result", committed->result}, {"message", committed->message}});
}

WebResponse WebApp::feed(const WebRequest& r, const std::string& path, const std::map<std::string, std::string>& query) {
  if (r.method != "GET" && r.method != "HEAD") return error_response(405, "METHOD_NOT_ALLOWED", "the feed is read with GET");
  auto key = r.headers.find("x-api-key");
  std::optional<std::string> token_name;
  {
    std::lock_guard lock(books_mu_);
    if (key != r.headers.end()) token_name = tokens_.check(key->second);
  }
  if (!token_name) return error_response(401, "BAD_TOKEN", "send a live API token in the X-Api-Key header");
  const std::string kPrefix = "/feed/v1/";
  if (path.rfind(kPrefix, 0) != 0) return error_response(404, "NOT_FOUND", "no such table");
  const std::string file_name = path.substr(kPrefix.size());
  const size_t dot = file_name.rfind('.');
  const std::string table = file_name.substr(0, dot);
  const std::string format = dot == std::string::npos ? "" : file_name.substr(dot + 1);
  if (!is_feed_table(table) || (format != "csv" && format != "json")) {
    return error_response(404, "NOT_FOUND", "tables: running, ended, extensions, missed_deadlines, signals, complaints, assignment, grounds, costs; as .csv or .json");
  }
  if (config_.institutions.empty()) return error_response(503, "NODE_UNAVAILABLE", "no institution to read as");
  const std::string& reader = config_.institutions.front().id;  // aggregates: any member may read them
  std::string from = query.count("from") ? query.at("from") : "";
  std::string to = query.count("to") ? query.at("to") : "";
  for (const auto& [k, v] : query) {
    if (k != "from" && k != "to") return error_response(400, "UNKNOWN_PARAMETER", "unknown parameter: " + k);
  }
  if (from.empty() || to.empty()) {
    auto status = node_.get(reader, "/v1/status");
    if (!status.ok()) return error_response(503, "NODE_UNAVAILABLE", status.error().to_string());
    const uint64_t now = status->body.value("time_ms", uint64_t{0});
    if (to.empty()) to = month_before(now, 0);
    if (from.empty()) from = month_before(now, config_.default_feed_months - 1);
  }
  if (!valid_month_text(from) || !valid_month_text(to)) return error_response(400, "BAD_MONTH", "from and to are months YYYY-MM");
  auto report = node_.get(reader, with_query("/v1/stuurinformatie", {{"from", from}, {"to", to}}));
  if (!report.ok()) return error_response(503, "NODE_UNAVAILABLE", report.error().to_string());
  if (report->status != 200) return json_response(report->status, report->body);
  WebResponse res;
  if (format == "csv") {
    res.content_type = "text/csv; charset=utf-8";
    res.body = table_csv(report->body, table).value_or("");
  } else {
    res.body = json{{"table", table}, {"from", from}, {"to", to}, {"height", report->body.value("height", uint64_t{0})},
                    {"rows", table_rows(report->body, table).value_or(json::array())}}
                   .dump();
  }
  return res;
}

}  // namespace joet::inzicht
