// joet-inzicht: the dashboard and Power BI feed beside a node (docs/inzicht.md).
//
//   joet-inzicht serve  --config inzicht.json
//   joet-inzicht users  add|passwd|disable|enable|list --config inzicht.json ...
//   joet-inzicht tokens issue|revoke|list --config inzicht.json ...
//
// Exit codes: 0 done, 1 failed (the message says why), 2 bad usage.
#include <signal.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "inzicht/access_log.h"
#include "inzicht/audit_report.h"
#include "inzicht/api_tokens.h"
#include "inzicht/node_gateway.h"
#include "inzicht/staff_accounts.h"
#include "inzicht/web_app.h"
#include "inzicht/web_server.h"
#include "node/home/file_io.h"
#include "node/home/key_file.h"
#include "version/version.h"

namespace {

using namespace joet;           // NOLINT
using namespace joet::inzicht;  // NOLINT
using json = nlohmann::json;

// The config file (docs/inzicht.md "Running it"); relative paths are relative to its directory.
struct Config {
  std::string listen = "127.0.0.1:8443";
  std::string tls_cert;
  std::string tls_key;
  std::vector<std::string> node_rpc;
  std::string chain_id;
  struct Institution {
    std::string id;
    std::string role;
    std::string key_file;
  };
  std::vector<Institution> institutions;
  std::string accounts = "accounts.json";
  std::string tokens = "tokens.json";
  std::string access_log = "access.log";
  std::string web_dir = "/usr/share/joet-inzicht/web";  // where the package installs the pages
  std::string chart_js = "/usr/share/javascript/chart.js/chart.min.js";
  std::string audit_report;  // joet-audit's JSON report, shown on the chain health; "" = none
  int session_idle_minutes = 30;
  int session_max_hours = 8;
  int threads = 4;
};

[[noreturn]] void fail(const std::string& message) {
  std::cerr << "joet-inzicht: " << message << "\n";
  std::exit(1);
}

std::string resolve(const std::filesystem::path& base, const std::string& path) {
  if (path.empty() || std::filesystem::path(path).is_absolute()) return path;
  return (base / path).lexically_normal().string();
}

std::string read_text(const std::string& path, size_t max_bytes = 8u << 20) {
  auto content = home::read_file_limited(path, max_bytes);
  if (!content.ok()) fail(content.error.to_string());
  return content.value->text;
}

Config load_config(const std::string& path) {
  const json j = json::parse(read_text(path), nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) fail(path + ": not a JSON object");
  const std::filesystem::path base = std::filesystem::absolute(path).parent_path();
  Config c;
  try {
    c.listen = j.value("listen", c.listen);
    c.tls_cert = resolve(base, j.value("tls_cert", ""));
    c.tls_key = resolve(base, j.value("tls_key", ""));
    c.node_rpc = j.value("node_rpc", std::vector<std::string>{});
    c.chain_id = j.value("chain_id", "");
    for (const auto& i : j.value("institutions", json::array())) {
      c.institutions.push_back({i.at("id"), i.at("role"), resolve(base, i.at("key_file"))});
    }
    c.accounts = resolve(base, j.value("accounts", c.accounts));
    c.tokens = resolve(base, j.value("tokens", c.tokens));
    c.access_log = resolve(base, j.value("access_log", c.access_log));
    c.web_dir = resolve(base, j.value("web_dir", c.web_dir));
    c.chart_js = resolve(base, j.value("chart_js", c.chart_js));
    c.audit_report = resolve(base, j.value("audit_report", c.audit_report));
    c.session_idle_minutes = j.value("session_idle_minutes", c.session_idle_minutes);
    c.session_max_hours = j.value("session_max_hours", c.session_max_hours);
    c.threads = j.value("threads", c.threads);
  } catch (const json::exception& e) {
    fail(path + ": " + e.what());
  }
  static const std::set<std::string> roles = {"MUNICIPALITY", "GI", "COURT", "RVDK", "AUDITOR"};
  for (const auto& i : c.institutions) {
    if (!roles.count(i.role)) fail(path + ": institution " + i.id + " has role '" + i.role + "'; roles: MUNICIPALITY, GI, COURT, RVDK, AUDITOR");
  }
  if (c.session_idle_minutes < 1 || c.session_max_hours < 1) fail(path + ": session times must be positive");
  return c;
}

AccountBook load_accounts(const std::string& path) {
  if (!std::filesystem::exists(path)) return AccountBook::parse(R"({"version":1,"accounts":[]})").value();
  auto book = AccountBook::parse(read_text(path));
  if (!book.ok()) fail(path + ": " + book.error().message);
  return std::move(book).value();
}

TokenBook load_tokens(const std::string& path) {
  if (!std::filesystem::exists(path)) return TokenBook::parse(R"({"version":1,"tokens":[]})").value();
  auto book = TokenBook::parse(read_text(path));
  if (!book.ok()) fail(path + ": " + book.error().message);
  return std::move(book).value();
}

void save(const std::string& path, const std::string& text) {
  auto written = home::write_file_atomic(path, text, 0600, home::Replace::kYes);
  if (!written.ok()) fail(written.error.to_string());
}

// A password from stdin: one line (a terminal does not echo it).
std::string read_password(const std::string& prompt) {
  termios old{};
  const bool tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &old) == 0;
  if (tty) {
    std::cerr << prompt;
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  std::string line;
  std::getline(std::cin, line);
  if (tty) {
    tcsetattr(STDIN_FILENO, TCSANOW, &old);
    std::cerr << "\n";
  }
  return line;
}

uint64_t now_ms() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count());
}

std::map<std::string, std::string> load_static(const Config& c) {
  std::map<std::string, std::string> files;
  if (c.web_dir.empty()) fail("web_dir is not set: the directory of the pages (inzicht/web)");
  for (const auto& entry : std::filesystem::directory_iterator(c.web_dir)) {
    if (!entry.is_regular_file()) continue;
    const std::string name = entry.path().filename().string();
    files["/static/" + name] = read_text(entry.path().string());
    if (name == "index.html") files["/index.html"] = files["/static/" + name];
  }
  if (!files.count("/index.html")) fail(c.web_dir + " has no index.html");
  files["/vendor/chart.js"] = read_text(c.chart_js);
  return files;
}

std::atomic<int> g_signal{0};
void on_signal(int sig) { g_signal = sig; }

int serve(const std::string& config_path) {
  const Config c = load_config(config_path);
  if (c.institutions.empty()) fail(config_path + ": no institutions to serve");
  if (c.node_rpc.empty() || c.chain_id.empty()) fail(config_path + ": node_rpc and chain_id are required");
  std::map<std::string, PrivateKey, std::less<>> keys;
  WebAppConfig app_config;
  for (const auto& i : c.institutions) {
    auto key = home::load_key_file(i.key_file);
    if (!key.ok()) fail(key.error.to_string());
    keys.emplace(i.id, *key.value);
    app_config.institutions.push_back({i.id, i.role});
  }
  app_config.static_files = load_static(c);
  if (!c.audit_report.empty()) {
    app_config.last_audit = [path = c.audit_report]() -> json {
      struct stat st {};
      if (::stat(path.c_str(), &st) != 0) return {{"error", "no audit report at " + path + " yet (run joet-audit into it)"}};
      const int64_t written_ms = int64_t{st.st_mtim.tv_sec} * 1000 + st.st_mtim.tv_nsec / 1'000'000;
      auto content = home::read_file_limited(path, 1u << 20);
      if (!content.ok()) return {{"error", content.error.to_string()}, {"written_ms", written_ms}};
      return summarize_audit_report(content.value->text, written_ms);
    };
  }
  app_config.session_idle_ms = static_cast<uint64_t>(c.session_idle_minutes) * 60'000;
  app_config.session_max_ms = static_cast<uint64_t>(c.session_max_hours) * 3'600'000;
  auto log = AccessLog::open(c.access_log);
  if (!log.ok()) fail(log.error().message);
  RpcNodeGateway node(c.node_rpc, c.chain_id, std::move(keys));
  WebApp app(std::move(app_config), load_accounts(c.accounts), load_tokens(c.tokens), **log, node, now_ms);

  WebServerConfig server_config;
  const size_t colon = c.listen.rfind(':');
  if (colon == std::string::npos) fail("listen is HOST:PORT, not " + c.listen);
  server_config.address = c.listen.substr(0, colon);
  server_config.port = static_cast<uint16_t>(std::stoi(c.listen.substr(colon + 1)));
  server_config.tls_cert_file = c.tls_cert;
  server_config.tls_key_file = c.tls_key;
  server_config.threads = c.threads;
  std::mutex log_mu;
  auto server = WebServer::start(server_config, app, [&](const std::string& line) {
    std::lock_guard lock(log_mu);
    std::cerr << line << "\n";
  });
  if (!server.ok()) fail(server.error().message);
  std::cerr << json{{"time_ms", now_ms()}, {"level", "info"}, {"component", "inzicht"}, {"msg", "listening"},
                    {"url", "https://" + server_config.address + ":" + std::to_string((*server)->port()) + "/"},
                    {"institutions", c.institutions.size()}}
                   .dump()
            << std::endl;
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  std::signal(SIGHUP, on_signal);
  while (true) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    const int sig = g_signal.exchange(0);
    if (sig == SIGHUP) {
      app.reload(load_accounts(c.accounts), load_tokens(c.tokens));
      std::cerr << json{{"time_ms", now_ms()}, {"level", "info"}, {"component", "inzicht"}, {"msg", "reloaded accounts and tokens"}}.dump()
                << std::endl;
    } else if (sig != 0) {
      break;
    }
  }
  (*server)->stop();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (version::is_version_request(argc, argv)) return version::print_version(argv[0]);
  CLI::App cli{"joet-inzicht: the dashboard and Power BI feed of a Joet Ledger node (docs/inzicht.md)"};
  cli.require_subcommand(1);
  std::string config = "inzicht.json";

  auto* serve_cmd = cli.add_subcommand("serve", "serve the dashboard over HTTPS until SIGTERM (SIGHUP reloads accounts and tokens)");
  serve_cmd->add_option("--config", config, "the config file")->required();

  auto* users = cli.add_subcommand("users", "staff accounts (argon2id hashes in the accounts file)");
  users->require_subcommand(1);
  users->add_option("--config", config, "the config file")->required();
  std::string user, name, institution;
  bool password_stdin = false;
  auto* add = users->add_subcommand("add", "add an account; the password is read from stdin");
  add->add_option("--user", user, "login name: a-z 0-9 . _ -")->required();
  add->add_option("--name", name, "the person's name as the page shows it")->required();
  add->add_option("--institution", institution, "the institution (one of the config's) the person works for")->required();
  auto* passwd = users->add_subcommand("passwd", "set a new password (read from stdin); ends the user's sessions");
  passwd->add_option("--user", user)->required();
  auto* disable = users->add_subcommand("disable", "refuse logins of an account; ends its sessions");
  disable->add_option("--user", user)->required();
  auto* enable = users->add_subcommand("enable", "allow logins of a disabled account again");
  enable->add_option("--user", user)->required();
  users->add_subcommand("list", "the accounts (never their hashes)");
  for (auto* cmd : {add, passwd}) cmd->add_flag("--password-stdin", password_stdin, "read the password from stdin without a prompt");

  auto* tokens = cli.add_subcommand("tokens", "read-only API tokens for the Power BI feed");
  tokens->require_subcommand(1);
  tokens->add_option("--config", config, "the config file")->required();
  std::string token_name;
  auto* issue = tokens->add_subcommand("issue", "issue a token; it is printed once, only its SHA-256 is kept");
  issue->add_option("--name", token_name, "what the token is for, e.g. powerbi-jeugd")->required();
  auto* revoke = tokens->add_subcommand("revoke", "revoke a token by name (a running server: send it SIGHUP)");
  revoke->add_option("--name", token_name)->required();
  tokens->add_subcommand("list", "the tokens by name");

  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return cli.exit(e) == 0 ? 0 : 2;
  }

  if (serve_cmd->parsed()) return serve(config);
  const Config c = load_config(config);
  if (users->parsed()) {
    AccountBook book = load_accounts(c.accounts);
    Status s;
    if (add->parsed()) {
      if (std::none_of(c.institutions.begin(), c.institutions.end(), [&](const auto& i) { return i.id == institution; })) {
        fail("institution " + institution + " is not served by this config");
      }
      s = book.add({user, name, institution, "", false}, read_password(password_stdin ? "" : "Wachtwoord: "));
    } else if (passwd->parsed()) {
      s = book.set_password(user, read_password(password_stdin ? "" : "Nieuw wachtwoord: "));
    } else if (disable->parsed() || enable->parsed()) {
      s = book.set_disabled(user, disable->parsed());
    } else {
      for (const StaffAccount& a : book.accounts()) {
        std::cout << a.user << "\t" << a.institution << "\t" << a.name << (a.disabled ? "\t(disabled)" : "") << "\n";
      }
      return 0;
    }
    if (!s.ok()) fail(s.error().message);
    save(c.accounts, book.to_json());
    std::cerr << "joet-inzicht: " << c.accounts << " saved; a running server picks it up on SIGHUP\n";
    return 0;
  }
  TokenBook book = load_tokens(c.tokens);
  if (issue->parsed()) {
    auto token = book.issue(token_name, now_ms());
    if (!token.ok()) fail(token.error().message);
    save(c.tokens, book.to_json());
    std::cout << *token << "\n";
    std::cerr << "joet-inzicht: token '" << token_name << "' issued; it is not shown again. A running server picks it up on SIGHUP\n";
    return 0;
  }
  if (revoke->parsed()) {
    Status s = book.revoke(token_name);
    if (!s.ok()) fail(s.error().message);
    save(c.tokens, book.to_json());
    return 0;
  }
  for (const ApiToken& t : book.tokens()) std::cout << t.name << "\t" << t.issued_ms << (t.revoked ? "\trevoked" : "") << "\n";
  return 0;
}
