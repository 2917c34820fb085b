// joet-demo-cases: puts a few hundred synthetic, back-dated cases through a running network so that
// every table of the stuurinformatie has data (client-sdk/demo_cases.h is the plan; this is its I/O:
// key files, the node's status and nonces, signing, submitting wave by wave and awaiting the commits).
//
//   joet-demo-cases (--home-dir DIR | --rpc HOST:PORT[,...] --key INSTITUTION=FILE ...) [options]
//
// Each signing institution's txs go, in nonce order, to one node over one kept-alive connection (a
// proposer takes one sender's txs in the order its node admitted them, and a lower nonce after a higher
// one would be refused); 503 (MEMPOOL_FULL, SENDER_LIMIT: at most 256 pending per key) is waited out.
// A wave is awaited (GET /v1/txs/{id} until committed) before the next is signed.
//
// Exit status: 0 done, at most --max-refused-pct of the txs refused; 3 more were refused; 2 usage or a
// bad key, genesis or config file; 1 a node that does not answer, a wave not committed in time.
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

#include "client-sdk/demo_cases.h"
#include "client-sdk/governance.h"
#include "client-sdk/http_client.h"
#include "client-sdk/submit_await.h"
#include "client-sdk/tx_builder.h"
#include "contracts/amsterdam_time.h"
#include "contracts/stuurinformatie.h"
#include "ledger/block.h"
#include "ledger/codec.h"
#include "node/home/config.h"
#include "node/home/genesis.h"
#include "node/home/key_file.h"
#include "node/rpc/request_auth.h"
#include "version/version.h"

namespace {

using namespace joet;  // NOLINT
using json = nlohmann::json;
using Clock = std::chrono::steady_clock;
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace fs = std::filesystem;

constexpr std::string_view kUsage =
    "usage:\n"
    "  joet-demo-cases (--home-dir DIR | --rpc HOST:PORT[,...] --key INSTITUTION=FILE ...) [--chain-id ID]\n"
    "                  [--cases N] [--seed S] [--first-case N] [--keys-out DIR] [--max-refused-pct P]\n"
    "                  [--court ID] [--rvdk ID] [--municipality ID] [--gi ID]\n"
    "                  [--second-gi ID] [--second-municipality ID] [--auditor ID] [--wave-timeout-s S]\n"
    "\n"
    "Puts N synthetic cases (default 300; ids c-YYYY-NNNN from --first-case, default 1) through a running\n"
    "network, back-dated over the last 12 months from the chain's tip date, so that every table of the\n"
    "stuurinformatie has cells of 5 or more cases. Deterministic from --seed (default 1) and that date.\n"
    "\n"
    "  --home-dir DIR   a testnet (joet-node testnet --output DIR): the RPC of every DIR/node<i>/config.json,\n"
    "                   the member keys DIR/node<i>/keys/member.key and the roles of DIR/node0/genesis.json\n"
    "  --rpc, --key     instead: the nodes, and each institution's member key file (repeat --key); the\n"
    "                   roles are then --court, --rvdk, --municipality, --gi (default: the testnet's ids)\n"
    "  --second-gi ID, --second-municipality ID\n"
    "                   admitted by governance (institution.add, signed by every institution whose key is\n"
    "                   given) unless already registered; defaults gi-wsg and gem-utrecht. Their admin keys\n"
    "                   are derived from the seed and written to --keys-out DIR/<id>.key (mode 0600)\n"
    "  --auditor ID     an AUDITOR (the inspectorate) admitted the same way, for the dashboard's chain\n"
    "                   health (default igj); it takes no step of a case\n"
    "  --chain-id ID    checked against the node's (default: the node's)\n"
    "  --max-refused-pct P  exit 3 when more than P % of the txs were refused (default 2)\n"
    "  --wave-timeout-s S   give up when a wave makes no progress for S seconds (default 120)\n"
    "\n"
    "exit status: 0 done, 3 too many txs refused, 2 usage or a bad file, 1 a node unreachable or a wave\n"
    "not committed in time\n";

int usage_error(const std::string& why) {
  std::cerr << "joet-demo-cases: " << why << "\n" << kUsage;
  return 2;
}

struct Failure {
  int exit_code;
  std::string message;
};

// ---------------------------------------------------------------------------------------------------
// One kept-alive HTTP/1.1 connection to a node's RPC (sdk::http_request opens one per request; a few
// thousand requests should not cost a few thousand connections: the node allows 32 per client).

class RpcConnection {
 public:
  RpcConnection(std::string address, std::string chain_id, const PrivateKey* reader)
      : address_(std::move(address)), chain_id_(std::move(chain_id)), reader_(reader) {}

  const std::string& address() const { return address_; }

  // `signed_read`: the request carries the member signature (docs/rpc.md "Access control").
  Result<sdk::HttpResponse> request(const std::string& method, const std::string& target, const std::string& body,
                                    bool signed_read) {
    // A kept-alive connection the node closed meanwhile fails once: then one fresh attempt.
    for (int attempt = 0; attempt < 2; ++attempt) {
      const bool fresh = !stream_.has_value();
      auto r = once(method, target, body, signed_read);
      if (r.ok()) return r;
      close();
      if (fresh) return r;
    }
    return make_error(ErrorCode::kIoError, address_ + ": unreachable");
  }

 private:
  Result<sdk::HttpResponse> once(const std::string& method, const std::string& target, const std::string& body,
                                 bool signed_read) {
    beast::error_code ec;
    if (!stream_) {
      const size_t colon = address_.rfind(':');
      if (colon == std::string::npos) return make_error(ErrorCode::kInvalidArgument, address_ + ": HOST:PORT expected");
      asio::ip::tcp::resolver resolver(io_);
      auto endpoints = resolver.resolve(address_.substr(0, colon), address_.substr(colon + 1), ec);
      if (ec) return make_error(ErrorCode::kIoError, address_ + ": " + ec.message());
      stream_.emplace(io_);
      stream_->expires_after(std::chrono::seconds(10));
      stream_->connect(endpoints, ec);
      if (ec) return make_error(ErrorCode::kIoError, address_ + ": " + ec.message());
    }
    http::request<http::string_body> req{http::string_to_verb(method), target, 11};
    req.set(http::field::host, address_);
    req.set(http::field::content_type, "application/json");
    req.keep_alive(true);
    req.body() = body;
    req.prepare_payload();
    if (signed_read) {
      const auto now = std::chrono::system_clock::now().time_since_epoch();
      const auto now_ms = static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(now).count());
      for (const auto& [name, value] : rpc::sign_request(*reader_, {chain_id_, method, target, body, now_ms})) {
        req.set(name, value);
      }
    }
    stream_->expires_after(std::chrono::seconds(10));
    http::write(*stream_, req, ec);
    if (ec) return make_error(ErrorCode::kIoError, address_ + " " + method + " " + target + ": " + ec.message());
    http::response<http::string_body> res;
    http::read(*stream_, buffer_, res, ec);
    if (ec) return make_error(ErrorCode::kIoError, address_ + " " + method + " " + target + ": " + ec.message());
    sdk::HttpResponse out{static_cast<int>(res.result_int()), res.body()};
    if (!res.keep_alive()) close();
    return out;
  }

  void close() {
    if (!stream_) return;
    beast::error_code ignored;
    stream_->socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    stream_.reset();
    buffer_.clear();
  }

  std::string address_;
  std::string chain_id_;
  const PrivateKey* reader_;
  asio::io_context io_;
  std::optional<beast::tcp_stream> stream_;
  beast::flat_buffer buffer_;
};

std::string error_code_of(const std::string& body) {
  const json answer = json::parse(body, nullptr, false);
  if (answer.is_object() && answer.contains("error") && answer["error"].is_object()) {
    return answer["error"].value("code", "") + ": " + answer["error"].value("message", "");
  }
  return body.substr(0, 200);
}

// ---------------------------------------------------------------------------------------------------
// The network: nodes, keys and roles.

struct Network {
  std::vector<std::string> rpcs;
  std::map<std::string, PrivateKey> keys;  // institution id -> a member key (or the admin key of an added one)
  std::set<std::string> registered;        // ids known to be registered (genesis, or given with --key)
  sdk::DemoInstitutions institutions;
  std::vector<std::string> genesis_order;  // the registered ones we sign for, court first
};

std::optional<Failure> load_home(const std::string& dir, Network& net, std::map<std::string, std::string>& roles) {
  auto genesis = home::load_genesis((fs::path(dir) / "node0" / "genesis.json").string());
  if (!genesis.ok()) return Failure{2, genesis.error.to_string()};
  for (const GenesisInstitution& inst : genesis.value->institutions) {
    net.registered.insert(inst.id);
    const std::string role = inst.role == cv1::COURT          ? "COURT"
                             : inst.role == cv1::RVDK         ? "RVDK"
                             : inst.role == cv1::MUNICIPALITY ? "MUNICIPALITY"
                             : inst.role == cv1::GI           ? "GI"
                                                              : "AUDITOR";
    if (!roles.count(role)) roles[role] = inst.id;
  }
  for (int i = 0; i < 1000; ++i) {
    const fs::path node = fs::path(dir) / ("node" + std::to_string(i));
    if (!fs::exists(node / "config.json")) break;
    auto config = home::load_config((node / "config.json").string());
    if (!config.ok()) return Failure{2, config.error.to_string()};
    net.rpcs.push_back(config.value->rpc_address);
    if (!fs::exists(node / "keys" / "member.key")) continue;
    auto key = home::load_key_file((node / "keys" / "member.key").string());
    if (!key.ok()) return Failure{2, key.error.to_string()};
    for (const GenesisInstitution& inst : genesis.value->institutions) {
      if (std::find(inst.members.begin(), inst.members.end(), key.value->public_key()) != inst.members.end()) {
        net.keys.emplace(inst.id, *key.value);
      }
    }
  }
  if (net.rpcs.empty()) return Failure{2, dir + ": no node<i>/config.json"};
  return std::nullopt;
}

// Writes the admin key of an added institution to DIR/<id>.key, or checks the one there is the same.
std::optional<Failure> write_key(const std::string& dir, const std::string& id, const PrivateKey& key) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Failure{1, dir + ": " + ec.message()};
  const std::string path = (fs::path(dir) / (id + ".key")).string();
  if (fs::exists(path)) {
    auto existing = home::load_key_file(path);
    if (!existing.ok()) return Failure{2, existing.error.to_string()};
    if (existing.value->public_key() != key.public_key()) {
      return Failure{2, path + ": holds another key than " + id + "'s of this seed"};
    }
    return std::nullopt;
  }
  auto saved = home::save_key_file(path, key);
  if (!saved.ok()) return Failure{saved.error.is_bad_input() ? 2 : 1, saved.error.to_string()};
  std::cout << "wrote " << path << " (" << id << ", member key " << key.public_key().hex() << ")\n";
  return std::nullopt;
}

// Whether `key` is a registered member key: the nonce route answers only members (403 otherwise), so a
// request signed with the key itself tells (an institution added by an earlier run with this seed).
Result<bool> is_member(const std::string& rpc, const std::string& chain_id, const PrivateKey& key) {
  RpcConnection conn(rpc, chain_id, &key);
  auto r = conn.request("GET", "/v1/keys/" + key.public_key().hex() + "/nonce", "", true);
  if (!r.ok()) return r.error();
  if (r->status == 200) return true;
  if (r->status == 403) return false;
  return make_error(ErrorCode::kIoError, "GET /v1/keys/{key}/nonce: HTTP " + std::to_string(r->status) + " " + r->body);
}

// ---------------------------------------------------------------------------------------------------
// Submitting and awaiting one wave.

struct PendingTx {
  const sdk::DemoStep* step = nullptr;
  v1::SignedTx tx;
  std::string id;    // hex tx id
  std::string body;  // {"tx": hex}
  size_t node = 0;
  bool admitted = false;
  bool done = false;
  std::string refusal;  // "" for OK, else "CODE: message"
};

struct WaveTally {
  size_t ok = 0;
  std::vector<const PendingTx*> refused;
};

class WaveRunner {
 public:
  WaveRunner(const Network& net, std::string chain_id, const PrivateKey& reader, uint64_t timeout_s)
      : net_(net), chain_id_(std::move(chain_id)), reader_(reader), timeout_s_(timeout_s) {}

  // The next nonce of every first signer of `steps` not yet known (asked once; counted on locally).
  std::optional<Failure> learn_nonces(const std::vector<const sdk::DemoStep*>& steps) {
    RpcConnection conn(net_.rpcs.front(), chain_id_, &reader_);
    for (const sdk::DemoStep* s : steps) {
      const std::string& signer = s->signers.front();
      if (nonces_.count(signer)) continue;
      const PublicKey key = net_.keys.at(signer).public_key();
      auto r = conn.request("GET", "/v1/keys/" + key.hex() + "/nonce", "", true);
      if (!r.ok()) return Failure{1, r.error().to_string()};
      const json answer = json::parse(r->body, nullptr, false);
      if (r->status != 200 || !answer.is_object() || !answer.contains("next") || !answer["next"].is_number_unsigned()) {
        return Failure{1, "the nonce of " + signer + ": HTTP " + std::to_string(r->status) + " " + r->body};
      }
      nonces_[signer] = answer["next"].get<uint64_t>();
    }
    return std::nullopt;
  }

  Result<std::vector<PendingTx>> sign(const std::vector<const sdk::DemoStep*>& steps) {
    std::vector<PendingTx> out;
    out.reserve(steps.size());
    for (const sdk::DemoStep* s : steps) {
      const std::string& first = s->signers.front();
      sdk::TxRequest request{chain_id_, s->action, nonces_.at(first)++, 0, s->args};
      PendingTx p;
      p.step = s;
      if (s->signers.size() == 1) {
        auto tx = sdk::build_tx(request, net_.keys.at(first));
        if (!tx.ok()) return tx.error();
        p.tx = std::move(tx).value();
      } else {
        auto gov = sdk::build_governance_tx(request, net_.keys.at(first).public_key());
        for (const std::string& signer : s->signers) {
          if (!gov.ok()) break;
          gov = sdk::sign_governance_tx(*gov, net_.keys.at(signer));
        }
        if (!gov.ok()) return make_error(ErrorCode::kInvalidArgument, gov.error().to_string());
        auto tx = sdk::to_signed_tx(*gov);
        if (!tx.ok()) return make_error(ErrorCode::kInvalidArgument, tx.error().to_string());
        p.tx = std::move(tx).value();
      }
      p.id = to_hex(tx_id(p.tx));
      p.body = json{{"tx", to_hex(encode(p.tx))}}.dump();
      p.node = node_of(first);
      out.push_back(std::move(p));
    }
    return out;
  }

  // Submits every tx (one thread and one connection per signer, in nonce order), then awaits each
  // on the node that took it (one thread and one connection per node).
  std::optional<Failure> run(std::vector<PendingTx>& txs) {
    std::map<std::string, std::vector<PendingTx*>> by_signer;
    for (PendingTx& p : txs) by_signer[p.step->signers.front()].push_back(&p);
    std::vector<std::optional<Failure>> failures(by_signer.size() + net_.rpcs.size());
    {
      std::vector<std::thread> threads;
      size_t i = 0;
      for (auto& [signer, list] : by_signer) {
        threads.emplace_back([this, &list, &failures, i] { failures[i] = submit_all(list); });
        ++i;
      }
      for (std::thread& t : threads) t.join();
    }
    for (const auto& f : failures) {
      if (f) return f;
    }
    std::vector<std::vector<PendingTx*>> by_node(net_.rpcs.size());
    for (PendingTx& p : txs) {
      if (p.admitted && !p.done) by_node[p.node].push_back(&p);
    }
    {
      std::vector<std::thread> threads;
      for (size_t n = 0; n < by_node.size(); ++n) {
        if (by_node[n].empty()) continue;
        threads.emplace_back([this, &by_node, &failures, &by_signer, n] {
          failures[by_signer.size() + n] = await_all(n, by_node[n]);
        });
      }
      for (std::thread& t : threads) t.join();
    }
    for (const auto& f : failures) {
      if (f) return f;
    }
    return std::nullopt;
  }

 private:
  // The node of a signer: the genesis institutions on their own testnet node (court on node 0, ...),
  // the added ones after them, round the list.
  size_t node_of(const std::string& signer) const {
    const std::vector<std::string> order = {net_.institutions.court, net_.institutions.rvdk,
                                            net_.institutions.municipalities.front(), net_.institutions.gis.front(),
                                            net_.institutions.gis.back(), net_.institutions.municipalities.back()};
    const size_t at = static_cast<size_t>(std::find(order.begin(), order.end(), signer) - order.begin());
    return at % net_.rpcs.size();
  }

  bool timed_out(Clock::time_point since) const {
    return Clock::now() - since > std::chrono::seconds(timeout_s_);
  }

  // POST /v1/txs: 202 or DUPLICATE_TX admitted; 503 retried; any other answer a refusal on admission.
  // false when the node could not be reached.
  Result<bool> post(RpcConnection& conn, PendingTx& p) {
    Clock::time_point since = Clock::now();
    uint64_t backoff_ms = 20;
    for (;;) {
      auto r = conn.request("POST", "/v1/txs", p.body, false);
      if (!r.ok()) {
        if (timed_out(since)) return r.error();
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
        continue;
      }
      if (r->status == 202) return true;
      const std::string code = error_code_of(r->body);
      if (r->status == 422 && code.starts_with("DUPLICATE_TX")) return true;
      if (r->status == 503) {  // MEMPOOL_FULL, SENDER_LIMIT: committing makes room
        if (timed_out(since)) return make_error(ErrorCode::kIoError, conn.address() + ": still " + code);
        std::this_thread::sleep_for(std::chrono::milliseconds(backoff_ms));
        backoff_ms = std::min<uint64_t>(backoff_ms * 2, 500);
        continue;
      }
      p.refusal = code.empty() ? "HTTP " + std::to_string(r->status) : code;
      p.done = true;
      return false;
    }
  }

  std::optional<Failure> submit_all(const std::vector<PendingTx*>& list) {
    RpcConnection conn(net_.rpcs[list.front()->node], chain_id_, &reader_);
    for (PendingTx* p : list) {
      auto posted = post(conn, *p);
      if (!posted.ok()) return Failure{1, posted.error().to_string()};
      p->admitted = *posted;
    }
    return std::nullopt;
  }

  std::optional<Failure> await_all(size_t node, const std::vector<PendingTx*>& list) {
    RpcConnection conn(net_.rpcs[node], chain_id_, &reader_);
    Clock::time_point progress = Clock::now();
    for (PendingTx* p : list) {
      while (!p->done) {
        if (timed_out(progress)) {
          return Failure{1, "tx " + p->id + " (" + p->step->action + " " + p->step->case_id + ") not committed at " +
                                conn.address() + " within " + std::to_string(timeout_s_) + " s"};
        }
        auto r = conn.request("GET", "/v1/txs/" + p->id, "", true);
        if (!r.ok()) {
          std::this_thread::sleep_for(std::chrono::milliseconds(500));
          continue;
        }
        const json answer = json::parse(r->body, nullptr, false);
        const std::string status = answer.is_object() ? answer.value("status", "") : "";
        if (r->status == 200 && status == "committed") {
          const json& result = answer["result"];
          const std::string code = result.is_object() ? result.value("code", "") : "";
          if (code != "OK") p->refusal = code + ": " + (result.is_object() ? result.value("message", "") : "");
          p->done = true;
          progress = Clock::now();
          break;
        }
        if (r->status == 401 || r->status == 403) {
          return Failure{1, "reading tx status was refused: HTTP " + std::to_string(r->status) + " " + r->body};
        }
        if (status == "unknown") {
          // Dropped by the node's recheck (the new state refuses it): post it again to learn the code.
          auto again = post(conn, *p);
          if (!again.ok()) return Failure{1, again.error().to_string()};
          if (!*again) {
            p->refusal = "DROPPED " + p->refusal;
            break;
          }
          continue;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
    }
    return std::nullopt;
  }

  const Network& net_;
  std::string chain_id_;
  const PrivateKey& reader_;
  uint64_t timeout_s_;
  std::map<std::string, uint64_t> nonces_;
};

// ---------------------------------------------------------------------------------------------------

struct Flags {
  std::map<std::string, std::string> values;
  std::vector<std::string> keys;  // INSTITUTION=FILE
};

std::optional<uint64_t> flag_u64(const Flags& f, const std::string& name, uint64_t fallback) {
  auto it = f.values.find(name);
  if (it == f.values.end()) return fallback;
  return parse_decimal_u64(it->second);
}

// A summary of the stuurinformatie of the last 12 months: cells shown and suppressed per table, and the
// NO_CONTACT_SIGNAL cells.
void print_stuurinformatie(RpcConnection& conn, const CivilDate& today) {
  const CivilMonth to{today.year, today.month};
  const CivilMonth from = month_at(month_index(to) - 11);
  const std::string target = "/v1/stuurinformatie?from=" + to_string(from) + "&to=" + to_string(to);
  auto r = conn.request("GET", target, "", true);
  if (!r.ok() || r->status != 200) {
    std::cout << "stuurinformatie: " << (r.ok() ? "HTTP " + std::to_string(r->status) + " " + r->body : r.error().to_string())
              << "\n";
    return;
  }
  const json report = json::parse(r->body, nullptr, false);
  std::cout << "stuurinformatie " << to_string(from) << ".." << to_string(to) << " (" << target << "):\n";
  for (const char* table : {"running", "ended", "extensions", "missed_deadlines", "signals", "complaints", "assignment", "grounds", "costs"}) {
    if (!report.is_object() || !report.contains(table) || !report[table].is_array()) continue;
    size_t shown = 0, suppressed = 0;
    for (const json& cell : report[table]) (cell.value("suppressed", false) ? suppressed : shown) += 1;
    std::cout << "  " << table << ": " << shown << " cells of 5+ cases, " << suppressed << " suppressed\n";
  }
  if (report.is_object() && report.contains("signals") && report["signals"].is_array()) {
    for (const json& cell : report["signals"]) {
      if (cell.value("kind", "") != "NO_CONTACT_SIGNAL") continue;
      std::cout << "  NO_CONTACT_SIGNAL " << cell.value("month", "") << " " << cell.value("institution", "") << ": "
                << (cell.value("suppressed", false) ? std::string("<5") : std::to_string(cell.value("cases", 0))) << "\n";
    }
  }
}

int run(const Flags& flags) {
  const auto t0 = Clock::now();
  // Institutions and keys.
  Network net;
  std::map<std::string, std::string> roles;
  if (flags.values.count("home-dir")) {
    if (auto f = load_home(flags.values.at("home-dir"), net, roles)) {
      std::cerr << "joet-demo-cases: " << f->message << "\n";
      return f->exit_code;
    }
  }
  if (flags.values.count("rpc")) net.rpcs = sdk::split_endpoints(flags.values.at("rpc"));
  for (const std::string& k : flags.keys) {
    const size_t eq = k.find('=');
    if (eq == std::string::npos || eq == 0) return usage_error("--key " + k + ": INSTITUTION=FILE expected");
    auto key = home::load_key_file(k.substr(eq + 1));
    if (!key.ok()) {
      std::cerr << "joet-demo-cases: " << key.error.to_string() << "\n";
      return 2;
    }
    net.keys.insert_or_assign(k.substr(0, eq), *key.value);
    net.registered.insert(k.substr(0, eq));
  }
  if (net.rpcs.empty()) return usage_error("--home-dir or --rpc is required");
  auto pick = [&](const char* flag, const char* role, const char* fallback) {
    if (flags.values.count(flag)) return flags.values.at(flag);
    return roles.count(role) ? roles.at(role) : std::string(fallback);
  };
  sdk::DemoInstitutions& inst = net.institutions;
  inst.court = pick("court", "COURT", "rb-amsterdam");
  inst.rvdk = pick("rvdk", "RVDK", "rvdk");
  inst.municipalities = {pick("municipality", "MUNICIPALITY", "gem-amsterdam"),
                         pick("second-municipality", "-", "gem-utrecht")};
  inst.gis = {pick("gi", "GI", "gi-jbra"), pick("second-gi", "-", "gi-wsg")};
  for (const std::string& id : {inst.court, inst.rvdk, inst.municipalities[0], inst.gis[0]}) {
    if (!net.keys.count(id)) return usage_error("no member key of " + id + " (--key " + id + "=FILE)");
  }
  const auto seed = flag_u64(flags, "seed", 1);
  const auto cases = flag_u64(flags, "cases", 300);
  const auto first_case = flag_u64(flags, "first-case", 1);
  const auto max_refused_pct = flag_u64(flags, "max-refused-pct", 2);
  const auto wave_timeout_s = flag_u64(flags, "wave-timeout-s", 120);
  if (!seed || !cases || !first_case || !max_refused_pct || !wave_timeout_s || *cases > sdk::kMaxDemoCases ||
      *first_case > sdk::kMaxDemoCases) {
    return usage_error("--seed, --cases, --first-case, --max-refused-pct, --wave-timeout-s: decimal numbers");
  }

  // The chain: its id and tip time ("today").
  const PrivateKey& reader = net.keys.at(inst.court);
  auto status = sdk::http_request(net.rpcs.front(), "GET", "/v1/status", "", 5000);
  if (!status.ok() || status->status != 200) {
    std::cerr << "joet-demo-cases: GET /v1/status: " << (status.ok() ? status->body : status.error().to_string()) << "\n";
    return 1;
  }
  const json node = json::parse(status->body, nullptr, false);
  if (!node.is_object() || !node.contains("chain_id") || !node["chain_id"].is_string()) {
    std::cerr << "joet-demo-cases: GET /v1/status: unexpected answer " << status->body << "\n";
    return 1;
  }
  const std::string chain_id = node["chain_id"].get<std::string>();
  if (flags.values.count("chain-id") && flags.values.at("chain-id") != chain_id) {
    std::cerr << "joet-demo-cases: the node's chain is " << chain_id << ", not " << flags.values.at("chain-id") << "\n";
    return 2;
  }
  int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now().time_since_epoch()).count();
  if (node.contains("time_ms") && node["time_ms"].is_number_integer()) now_ms = node["time_ms"].get<int64_t>();
  const CivilDate today = civil_date_of(now_ms);

  // The plan, with the institutions to admit and their keys.
  sdk::DemoOptions options;
  options.seed = *seed;
  options.cases = static_cast<uint32_t>(*cases);
  options.first_case = static_cast<uint32_t>(*first_case);
  options.today = today;
  options.institutions = inst;
  // A testnet's genesis lists every institution registered before the demo: the governance plan can then
  // count the quorum of each add (an earlier run's additions are counted as they are found).
  size_t registered_before = flags.values.count("home-dir") ? net.registered.size() : 0;
  const std::string auditor = flags.values.count("auditor") ? flags.values.at("auditor") : std::string("igj");
  for (const auto& [id, role] : {std::pair{inst.gis[1], "GI"}, std::pair{inst.municipalities[1], "MUNICIPALITY"},
                                 std::pair{auditor, "AUDITOR"}}) {
    if (net.registered.count(id)) continue;
    const PrivateKey admin = sdk::demo_admin_key(*seed, id);
    net.keys.insert_or_assign(id, admin);
    auto member = is_member(net.rpcs.front(), chain_id, admin);
    if (!member.ok()) {
      std::cerr << "joet-demo-cases: " << member.error().to_string() << "\n";
      return 1;
    }
    if (*member) {
      std::cout << id << " is registered already (an earlier run with seed " << *seed << ")\n";
      net.registered.insert(id);
      if (registered_before > 0) ++registered_before;
    } else {
      options.add.push_back({id, role, admin.public_key()});
    }
    if (flags.values.count("keys-out")) {
      if (auto f = write_key(flags.values.at("keys-out"), id, admin)) {
        std::cerr << "joet-demo-cases: " << f->message << "\n";
        return f->exit_code;
      }
    } else {
      std::cout << "note: " << id << "'s admin key is not written anywhere (--keys-out DIR); it is derived from seed "
                << *seed << "\n";
    }
  }
  for (const std::string& id : {inst.court, inst.rvdk, inst.municipalities[0], inst.gis[0], inst.municipalities[1],
                               inst.gis[1]}) {
    if (!net.keys.count(id)) return usage_error("no key of " + id + " (--key " + id + "=FILE)");
  }
  for (const std::string& id : {inst.court, inst.rvdk, inst.municipalities[0], inst.gis[0]}) {
    options.governance_signers.push_back(id);
  }
  for (const auto& [id, key] : net.keys) {
    const bool listed = std::find(options.governance_signers.begin(), options.governance_signers.end(), id) !=
                        options.governance_signers.end();
    if (net.registered.count(id) && !listed) options.governance_signers.push_back(id);
  }
  options.registered_before = registered_before;
  auto plan = sdk::plan_demo_cases(options);
  if (!plan.ok()) return usage_error(plan.error().message);
  std::cout << "chain " << chain_id << ", today " << to_string(today) << ", " << net.rpcs.size() << " nodes, "
            << *cases << " cases (seed " << *seed << "), " << plan->steps.size() << " txs in " << plan->waves
            << " waves; profiles:";
  for (const auto& [name, n] : plan->profiles) std::cout << " " << name << " " << n;
  std::cout << std::endl;

  // Wave by wave.
  WaveRunner runner(net, chain_id, reader, *wave_timeout_s);
  size_t total = 0, refused_total = 0;
  std::map<std::string, size_t> refused_by_code;
  for (uint32_t wave = 0; wave < plan->waves; ++wave) {
    std::vector<const sdk::DemoStep*> steps;
    for (const sdk::DemoStep& s : plan->steps) {
      if (s.wave == wave) steps.push_back(&s);
    }
    if (steps.empty()) continue;
    const auto w0 = Clock::now();
    if (auto f = runner.learn_nonces(steps)) {
      std::cerr << "joet-demo-cases: " << f->message << "\n";
      return f->exit_code;
    }
    auto txs = runner.sign(steps);
    if (!txs.ok()) {
      std::cerr << "joet-demo-cases: signing wave " << wave << ": " << txs.error().to_string() << "\n";
      return 1;
    }
    if (auto f = runner.run(*txs)) {
      std::cerr << "joet-demo-cases: wave " << wave << ": " << f->message << "\n";
      return f->exit_code;
    }
    WaveTally tally;
    for (const PendingTx& p : *txs) {
      if (p.refusal.empty()) {
        ++tally.ok;
      } else {
        tally.refused.push_back(&p);
        refused_by_code[p.refusal.substr(0, p.refusal.find(':'))] += 1;
      }
    }
    total += txs->size();
    refused_total += tally.refused.size();
    const double seconds = std::chrono::duration<double>(Clock::now() - w0).count();
    std::printf("wave %u/%u (%s): %zu txs, %zu committed OK, %zu refused, %.1f s\n", wave, plan->waves - 1,
                std::string(sdk::demo_wave_name(wave)).c_str(), txs->size(), tally.ok, tally.refused.size(), seconds);
    for (size_t i = 0; i < tally.refused.size() && i < 10; ++i) {
      const PendingTx& p = *tally.refused[i];
      std::printf("  refused %s%s%s: %s\n", p.step->action.c_str(), p.step->case_id.empty() ? "" : " ",
                  p.step->case_id.c_str(), p.refusal.c_str());
    }
    if (tally.refused.size() > 10) std::printf("  ... and %zu more\n", tally.refused.size() - 10);
    std::fflush(stdout);
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  std::printf("done: %zu txs, %zu refused, %.1f s\n", total, refused_total, seconds);
  for (const auto& [code, n] : refused_by_code) std::printf("  refused %s: %zu\n", code.c_str(), n);
  // What the dashboard will show, read as the main municipality.
  RpcConnection conn(net.rpcs.front(), chain_id, &net.keys.at(inst.municipalities[0]));
  print_stuurinformatie(conn, today);
  if (refused_total * 100 > total * *max_refused_pct) {
    std::cerr << "joet-demo-cases: " << refused_total << " of " << total << " txs refused (over " << *max_refused_pct
              << " %)\n";
    return 3;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (joet::version::is_version_request(argc, argv)) return joet::version::print_version(argv[0]);
  Flags flags;
  static const std::set<std::string> known = {"home-dir", "rpc", "key", "chain-id", "cases", "seed", "first-case",
                                              "keys-out", "max-refused-pct", "wave-timeout-s", "court", "rvdk", "auditor",
                                              "municipality", "gi", "second-gi", "second-municipality"};
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--help" || a == "-h") {
      std::cout << kUsage;
      return 0;
    }
    if (!a.starts_with("--") || !known.count(a.substr(2))) return usage_error("unknown argument " + a);
    if (i + 1 >= argc) return usage_error(a + " needs a value");
    if (a == "--key") {
      flags.keys.push_back(argv[++i]);
    } else {
      flags.values[a.substr(2)] = argv[++i];
    }
  }
  try {
    return run(flags);
  } catch (const std::exception& e) {
    std::cerr << "joet-demo-cases: " << e.what() << "\n";
    return 1;
  }
}
