// joet-client: build, sign and submit txs to a node's RPC, and await their result (docs/joet-client.md).
//   joet-client tx     --key FILE --chain-id ID --nonce N ACTION [NAME=VALUE ...]
//   joet-client submit --rpc HOST:PORT[,...] --key FILE --chain-id ID --nonce N|next [--wait-ms MS] ACTION [NAME=VALUE ...]
//   joet-client get    --rpc HOST:PORT [--key FILE --chain-id ID] TARGET   (client-sdk/get_command.h)
//   joet-client governance build|sign|combine|submit ...                    (client-sdk/governance_command.h)
// Exit status: 0 done (submit: committed with OK), 2 usage, a bad key or arg, or a tx the node refused
// on admission, 3 committed but refused by the contracts, 4 not committed within the wait, 1 internal
// or network error.
#include <exception>
#include <iostream>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "client-sdk/events_command.h"
#include "client-sdk/get_command.h"
#include "client-sdk/governance_command.h"
#include "client-sdk/http_client.h"
#include "client-sdk/extract_command.h"
#include "client-sdk/query_command.h"
#include "client-sdk/submit_await.h"
#include "client-sdk/tx_builder.h"
#include "ledger/block.h"
#include "ledger/codec.h"
#include "node/home/key_file.h"
#include "version/version.h"

namespace {

using namespace joet;  // NOLINT
using json = nlohmann::ordered_json;

constexpr std::string_view kUsage =
    "usage:\n"
    "  joet-client tx     --key FILE --chain-id ID --nonce N ACTION [NAME=VALUE ...]\n"
    "  joet-client submit --rpc HOST:PORT[,...] --key FILE --chain-id ID --nonce N|next [--wait-ms MS] ACTION [NAME=VALUE ...]\n"
    "  joet-client query  case CASE_ID | tx TX_ID | events RECIPIENT --rpc HOST:PORT --genesis FILE [--height H] [--key FILE] [--trust-file FILE]\n"
    "  joet-client extract CASE_ID --rpc HOST:PORT --genesis FILE --key FILE --out FILE [--html FILE]\n"
    "  joet-client get    --rpc HOST:PORT [--key FILE --chain-id ID] TARGET\n"
    "  joet-client events --rpc HOST:PORT[,...] --key FILE --chain-id ID --recipient INST [--cursor-file F] [--follow]\n"
    "  joet-client governance build|sign|combine|submit ...   (joet-client governance --help)\n"
    "\n"
    "Builds a tx for a contract action (docs/contracts.md), signs it with the member key in FILE (a\n"
    "joet-node key file) and prints it as JSON {\"tx\", \"tx_id\"} (tx), or submits it to the node's RPC and\n"
    "waits until it is committed, printing {\"tx_id\", \"status\", \"height\", \"result\"} (submit).\n"
    "VALUE is text, or int:N (integer), hash:HEX (32 bytes), doc:TEXT (SHA-256 of TEXT, a stand-in for\n"
    "a salted document hash).\n"
    "\n"
    "exit status: 0 done (committed with OK), 2 usage, bad input or refused on admission, 3 committed\n"
    "but refused by the contracts, 4 not committed in time, 1 internal or network error\n";

int usage_error(const std::string& why) {
  std::cerr << "joet-client: " << why << "\n" << kUsage;
  return 2;
}

struct Options {
  std::map<std::string, std::string> flags;
  std::string action;
  std::vector<std::string> args;
};

int run(int argc, char** argv) {
  if (argc < 2) return usage_error("no command");
  const std::string command = argv[1];
  if (command == "--help" || command == "-h") {
    std::cout << kUsage;
    return 0;
  }
  if (command == "query") return sdk::run_query_command(argc, argv);  // client-sdk/query_command.h
  if (command == "extract") return sdk::run_extract_command(argc, argv);  // client-sdk/extract_command.h
  if (command == "get") return sdk::run_get_command(argc, argv);      // client-sdk/get_command.h
  if (command == "events") return sdk::run_events_command(argc, argv);  // client-sdk/events_command.h
  if (command == "governance") {  // client-sdk/governance_command.h
    return sdk::run_governance_command(std::vector<std::string>(argv + 2, argv + argc), std::cout, std::cerr);
  }
  if (command != "tx" && command != "submit") return usage_error("unknown command " + command);
  Options o;
  for (int i = 2; i < argc; ++i) {
    const std::string a = argv[i];
    if (a.starts_with("--")) {
      if (i + 1 >= argc) return usage_error(a + " needs a value");
      o.flags[a.substr(2)] = argv[++i];
    } else if (o.action.empty()) {
      o.action = a;
    } else {
      o.args.push_back(a);
    }
  }
  for (const char* need : {"key", "chain-id", "nonce"}) {
    if (!o.flags.count(need)) return usage_error(std::string("--") + need + " is required");
  }
  if (command == "submit" && !o.flags.count("rpc")) return usage_error("--rpc is required");
  if (o.action.empty()) return usage_error("no action");
  for (const auto& [name, value] : o.flags) {
    if (name != "key" && name != "chain-id" && name != "nonce" && name != "rpc" && name != "wait-ms") {
      return usage_error("unknown option --" + name);
    }
  }
  auto key = home::load_key_file(o.flags["key"]);
  if (!key.ok()) {
    std::cerr << "joet-client: " << key.error.to_string() << "\n";
    return 2;
  }
  sdk::TxRequest request;
  request.chain_id = o.flags["chain-id"];
  request.action = o.action;
  if (o.flags["nonce"] == "next") {
    // The node says: above the key's last used nonce and its txs pending there.
    if (command != "submit") return usage_error("--nonce next needs a node: use it with submit");
    auto next = sdk::next_nonce(sdk::split_endpoints(o.flags["rpc"]), key.value->public_key(),
                                sdk::RequestSigner{*key.value, request.chain_id});
    if (!next.ok()) {
      std::cerr << "joet-client: --nonce next: " << next.error().to_string() << "\n";
      return 1;
    }
    request.nonce = *next;
  } else {
    // Strictly decimal: std::stoull would take "-1" as 2^64-1, a nonce that makes the key unusable.
    const std::optional<uint64_t> nonce = parse_decimal_u64(o.flags["nonce"]);
    if (!nonce) return usage_error("--nonce: not a decimal number (1 to 2^64-1), or next");
    request.nonce = *nonce;
  }
  for (const std::string& a : o.args) {
    auto arg = sdk::parse_arg(a);
    if (!arg.ok()) return usage_error(arg.error().message);
    request.args.push_back(*arg);
  }
  auto tx = sdk::build_tx(request, *key.value);
  if (!tx.ok()) return usage_error(tx.error().message);
  const std::string tx_hex = to_hex(encode(*tx));
  const std::string id = to_hex(tx_id(*tx));
  if (command == "tx") {
    std::cout << json{{"tx", tx_hex}, {"tx_id", id}}.dump() << "\n";
    return 0;
  }
  uint64_t wait_ms = 30'000;
  if (o.flags.count("wait-ms")) {
    const std::optional<uint64_t> ms = parse_decimal_u64(o.flags["wait-ms"]);
    if (!ms) return usage_error("--wait-ms: not a decimal number");
    wait_ms = *ms;
  }
  // The status is read signed with the tx's own key.
  const sdk::SubmitOutcome done =
      sdk::submit_and_await(sdk::split_endpoints(o.flags["rpc"]), *tx, sdk::RequestSigner{*key.value, request.chain_id}, wait_ms);
  if (!done.committed.empty()) std::cout << done.committed << "\n";
  if (!done.error.empty()) std::cerr << "joet-client: " << done.error << "\n";
  return done.exit_code;
}

}  // namespace

int main(int argc, char** argv) {
  if (joet::version::is_version_request(argc, argv)) return joet::version::print_version(argv[0]);
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "joet-client: internal error: " << e.what() << "\n";
    return 1;
  }
}
