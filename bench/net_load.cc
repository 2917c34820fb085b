// joet-net-load: offered load against a running network, to measure what a real 4-node network
// commits per second (scripts/net_bench.sh starts the network and runs this), and whether every tx a
// node accepted (202) ends committed (node/daemon/no_tx_lost_test.py). Not a Google Benchmark: the
// work happens in other processes; this tool submits and watches.
//
//   joet-net-load --rpc HOST:PORT[,...] --chain-id ID --rvdk-key FILE --gi-key FILE --txs N [--run R]
//                 [--senders K] [--window W]
//
// Without --senders: pre-signs N txs (half case.open by the RvdK key, half professional.register by
// the GI key), submitted over two nodes from two threads. With --senders K: the RvdK key (the RvdK's
// admin key, as in a testnet) first registers K fresh member keys (member.add, committed), then the N
// txs are case.open signed by those K keys in turn, each sender submitting its own from its own
// thread to node (sender mod nodes). Each key's nonces continue from the one the network gives it
// (GET /v1/keys/{key}/nonce), so runs never collide.
// Every sender keeps at most W (default 200; the mempool's per-sender limit is 256) of its txs
// accepted but uncommitted, retries a 503 later, and watches each accepted tx until it is committed.
// A tx its node no longer knows (neither pending nor committed) is LOST.
// Prints one JSON line: txs, seconds from the first submission to the last commit, committed tx/s,
// the most txs outstanding at once, how many the contracts refused in a block and how many were lost
// (both must be 0; exit 1 otherwise).
// Its own limit: one HTTP connection per request and one signed status read per tx: the figure it
// prints is this tool's rate, a lower bound of the network's.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <deque>
#include <iostream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "client-sdk/http_client.h"
#include "client-sdk/submit_await.h"
#include "client-sdk/tx_builder.h"
#include "ledger/block.h"
#include "ledger/bytes.h"
#include "ledger/codec.h"
#include "node/home/key_file.h"
#include "version/version.h"

namespace {

using namespace joet;  // NOLINT
using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

struct Prepared {
  std::string body;  // {"tx": hex}
  std::string id_hex;
};

v1::Arg text_arg(const std::string& name, const std::string& value) {
  v1::Arg a;
  a.set_name(name);
  a.set_text(value);
  return a;
}

int fail(const std::string& why) {
  std::cerr << "joet-net-load: " << why << "\n";
  return 1;
}

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < s.size()) {
    const size_t c = std::min(s.find(',', start), s.size());
    out.push_back(s.substr(start, c - start));
    start = c + 1;
  }
  return out;
}

struct Totals {
  std::atomic<uint64_t> refused{0};      // committed, but the contracts refused it
  std::atomic<uint64_t> lost{0};         // accepted (202), then neither pending nor committed
  std::atomic<int64_t> outstanding{0};   // accepted, not yet seen committed
  std::atomic<int64_t> max_outstanding{0};
};

// Submits `txs` in order, keeping at most `window` submitted-but-uncommitted; returns false on a
// refusal at admission other than "full, retry later", or a request that fails.
// All of one sender's txs go to one node, so every mempool sees them in nonce order (each node
// announces its clients' txs to every other in admission order); a nonce below one already executed
// would be refused.
bool submit_all(const std::vector<Prepared>& txs, const std::string& node, const sdk::RequestSigner& reader,
                size_t window, Totals& totals, std::string& error) {
  std::deque<size_t> pending;
  size_t next = 0;
  while (next < txs.size() || !pending.empty()) {
    while (next < txs.size() && pending.size() < window) {
      auto r = sdk::http_request(node, "POST", "/v1/txs", txs[next].body, 10'000);
      if (!r.ok()) {
        error = r.error().to_string();
        return false;
      }
      if (r->status == 202) {
        pending.push_back(next++);
        const int64_t now = ++totals.outstanding;
        int64_t seen = totals.max_outstanding.load();
        while (now > seen && !totals.max_outstanding.compare_exchange_weak(seen, now)) {
        }
      } else if (r->status == 503) {
        break;  // full for now: wait for commits
      } else {
        error = "tx " + std::to_string(next) + " refused at admission: " + std::to_string(r->status) + " " + r->body;
        return false;
      }
    }
    // Retire the oldest pending txs that are committed (or lost).
    while (!pending.empty()) {
      auto st = sdk::http_request(node, "GET", "/v1/txs/" + txs[pending.front()].id_hex, "", 10'000, reader);
      if (!st.ok() || st->status != 200) {
        error = st.ok() ? "tx status: " + std::to_string(st->status) + " " + st->body : st.error().to_string();
        return false;
      }
      const json j = json::parse(st->body, nullptr, false);
      const std::string status = j.is_discarded() ? "" : j.value("status", "");
      if (status == "pending") break;
      if (status == "committed") {
        if (j.contains("result") && j["result"].is_object() && j["result"].value("code", "OK") != "OK") totals.refused += 1;
      } else {
        totals.lost += 1;
        std::cerr << "joet-net-load: tx " << txs[pending.front()].id_hex << " was accepted and is now " << status << "\n";
      }
      totals.outstanding -= 1;
      pending.pop_front();
    }
    if (!pending.empty() && (next == txs.size() || pending.size() >= window)) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  return true;
}

// Waits until the tx `id_hex` is committed; its result code, or "" on an error (in `error`).
std::string await_committed(const std::string& node, const std::string& id_hex, const sdk::RequestSigner& reader,
                            std::string& error) {
  for (int i = 0; i < 1500; ++i) {
    auto st = sdk::http_request(node, "GET", "/v1/txs/" + id_hex, "", 10'000, reader);
    if (!st.ok() || st->status != 200) {
      error = st.ok() ? "tx status: " + std::to_string(st->status) + " " + st->body : st.error().to_string();
      return "";
    }
    const json j = json::parse(st->body, nullptr, false);
    if (!j.is_discarded() && j.value("status", "") == "committed") {
      return j.contains("result") && j["result"].is_object() ? j["result"].value("code", "OK") : "OK";
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  error = "tx " + id_hex + " not committed within 30 s";
  return "";
}


}  // namespace

int main(int argc, char** argv) {
  if (joet::version::is_version_request(argc, argv)) return joet::version::print_version(argv[0]);
  for (int i = 1; i < argc; ++i) {
    if (std::string(argv[i]) == "--help" || std::string(argv[i]) == "-h") {
      std::cout << "usage: joet-net-load --rpc HOST:PORT[,...] --chain-id ID --rvdk-key FILE --gi-key FILE --txs N [--run R]"
                   " [--senders K] [--window W]\n"
                   "Offers load to a running network over its RPC and follows every accepted tx to its commit;\n"
                   "prints one JSON line (tx/s, most outstanding, refused in a block, lost). See bench/net_load.cc.\n";
      return 0;
    }
  }
  std::map<std::string, std::string> flags;
  for (int i = 1; i + 1 < argc; i += 2) flags[std::string(argv[i]).substr(2)] = argv[i + 1];
  for (const char* f : {"rpc", "chain-id", "rvdk-key", "gi-key", "txs"}) {
    if (!flags.count(f)) {
      std::cerr << "usage: joet-net-load --rpc HOST:PORT[,...] --chain-id ID --rvdk-key FILE --gi-key FILE --txs N [--run R]"
                   " [--senders K] [--window W]\n";
      return 2;
    }
  }
  const auto rpc = split(flags["rpc"]);
  const std::string chain = flags["chain-id"];
  const uint64_t n = std::stoull(flags["txs"]);
  const std::string run = flags.count("run") ? flags["run"] : "0";
  const uint64_t senders = flags.count("senders") ? std::stoull(flags["senders"]) : 0;
  const size_t window = flags.count("window") ? std::stoull(flags["window"]) : 200;
  if (rpc.empty() || window == 0 || senders > 64) return fail("bad --rpc, --window or --senders (at most 64)");
  auto rvdk = home::load_key_file(flags["rvdk-key"]);
  auto gi = home::load_key_file(flags["gi-key"]);
  if (!rvdk.ok() || !gi.ok()) return fail("cannot load a key file");
  // Each key continues from the nonce the network gives it (GET /v1/keys/{key}/nonce).
  const sdk::RequestSigner admin_reader{*rvdk.value, chain};
  auto next_of = [&](const PrivateKey& key) -> std::optional<uint64_t> {
    auto next = sdk::next_nonce(rpc, key.public_key(), admin_reader);
    if (!next.ok()) {
      std::cerr << "joet-net-load: " << next.error().to_string() << "\n";
      return std::nullopt;
    }
    return *next;
  };

  // Who sends: the RvdK and GI keys, or K fresh RvdK member keys the RvdK admin key registers first.
  struct Sender {
    PrivateKey key;
    bool rvdk;
    std::string node;
    std::vector<Prepared> txs;
    uint64_t next_nonce = 1;
  };
  std::vector<Sender> who;
  if (senders == 0) {
    who.push_back(Sender{*rvdk.value, true, rpc[0], {}});
    who.push_back(Sender{*gi.value, false, rpc[1 % rpc.size()], {}});
    for (Sender& s : who) {
      auto next = next_of(s.key);
      if (!next) return 1;
      s.next_nonce = *next;
    }
  } else {
    auto admin_next = next_of(*rvdk.value);
    if (!admin_next) return 1;
    std::string last_id;
    for (uint64_t s = 0; s < senders; ++s) {
      PrivateKey key = PrivateKey::generate();  // a fresh key: its first nonce is 1
      sdk::TxRequest req;
      req.chain_id = chain;
      req.action = "member.add";
      req.nonce = *admin_next + s;
      v1::Arg k;
      k.set_name("key");
      k.set_hash(to_string(key.public_key().bytes()));
      req.args = {k};
      auto tx = sdk::build_tx(req, *rvdk.value);
      if (!tx.ok()) return fail(tx.error().to_string());
      auto r = sdk::http_request(rpc[0], "POST", "/v1/txs", json{{"tx", to_hex(encode(*tx))}}.dump(), 10'000);
      if (!r.ok() || r->status != 202) return fail("member.add not accepted: " + (r.ok() ? r->body : r.error().to_string()));
      last_id = to_hex(tx_id(*tx));
      who.push_back(Sender{std::move(key), true, rpc[s % rpc.size()], {}});
    }
    std::string error;
    const std::string code = await_committed(rpc[0], last_id, admin_reader, error);
    if (code != "OK") return fail("member.add: " + (code.empty() ? error : code));
  }

  // Pre-sign (timed apart: signing is the case system's cost, not the network's).
  const auto t_sign = Clock::now();
  for (uint64_t i = 0; i < n; ++i) {
    Sender& s = who[i % who.size()];
    sdk::TxRequest req;
    req.chain_id = chain;
    req.nonce = s.next_nonce + i / who.size();
    if (s.rvdk) {
      req.action = "case.open";
      req.args = {text_arg("case", "load-" + run + "-" + std::to_string(i)), text_arg("majority_date", "2036-01-01"),
                  text_arg("municipality", "gem-amsterdam")};
    } else {
      req.action = "professional.register";
      req.args = {text_arg("professional", "jb-load-" + run + "-" + std::to_string(i)),
                  text_arg("skj_valid_until", "2030-01-01")};
    }
    auto tx = sdk::build_tx(req, s.key);
    if (!tx.ok()) return fail(tx.error().to_string());
    s.txs.push_back(Prepared{json{{"tx", to_hex(encode(*tx))}}.dump(), to_hex(tx_id(*tx))});
  }
  const double sign_s = std::chrono::duration<double>(Clock::now() - t_sign).count();

  Totals totals;
  std::vector<std::string> errors(who.size());
  std::vector<char> ok(who.size(), 0);
  const auto t0 = Clock::now();
  std::vector<std::thread> threads;
  for (size_t s = 0; s < who.size(); ++s) {
    threads.emplace_back([&, s] {
      const sdk::RequestSigner reader{who[s].key, chain};
      ok[s] = submit_all(who[s].txs, who[s].node, reader, window, totals, errors[s]) ? 1 : 0;
    });
  }
  for (auto& t : threads) t.join();
  const double seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  for (size_t s = 0; s < who.size(); ++s) {
    if (!ok[s]) return fail("sender " + std::to_string(s) + ": " + errors[s]);
  }
  std::cout << json{{"txs", n},
                    {"senders", who.size()},
                    {"window", window},
                    {"seconds", seconds},
                    {"committed_tx_per_s", static_cast<double>(n) / seconds},
                    {"max_outstanding", totals.max_outstanding.load()},
                    {"refused", totals.refused.load()},
                    {"lost", totals.lost.load()},
                    {"sign_seconds", sign_s}}
                   .dump()
            << "\n";
  return totals.refused.load() == 0 && totals.lost.load() == 0 ? 0 : 1;
}
