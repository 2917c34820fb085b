#include "client-sdk/get_command.h"

#include <exception>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "client-sdk/http_client.h"
#include "node/home/key_file.h"

namespace joet::sdk {

namespace {

constexpr std::string_view kGetUsage =
    "usage:\n"
    "  joet-client get --rpc HOST:PORT [--key FILE --chain-id ID] [--timeout-ms MS] TARGET\n"
    "\n"
    "GETs TARGET (path and query, e.g. /v1/events?recipient=gem-amsterdam&after=0) from the node's RPC,\n"
    "signed with the member key in FILE for chain ID (X-Joet-Key, X-Joet-Time, X-Joet-Signature), and\n"
    "prints the answer's body. Without --key the request is unsigned: open routes only.\n"
    "\n"
    "exit status: 0 a 2xx answer, 3 a 4xx answer (401 UNAUTHENTICATED, 403 FORBIDDEN, ...; its body is\n"
    "printed too), 2 usage or a bad key file, 1 no answer or a 5xx\n";

int get_usage(const std::string& why) {
  std::cerr << "joet-client get: " << why << "\n" << kGetUsage;
  return 2;
}

}  // namespace

int run_get_command(int argc, char** argv) {
  std::map<std::string, std::string> flags;
  std::string target;
  for (int i = 2; i < argc; ++i) {
    const std::string a = argv[i];
    if (a.starts_with("--")) {
      if (i + 1 >= argc) return get_usage(a + " needs a value");
      const std::string name = a.substr(2);
      if (name != "rpc" && name != "key" && name != "chain-id" && name != "timeout-ms") {
        return get_usage("unknown option " + a);
      }
      flags[name] = argv[++i];
    } else if (target.empty()) {
      target = a;
    } else {
      return get_usage("one TARGET only");
    }
  }
  if (!flags.count("rpc")) return get_usage("--rpc is required");
  if (target.empty() || !target.starts_with("/")) return get_usage("TARGET: a path starting with / expected");
  if (flags.count("key") != flags.count("chain-id")) return get_usage("--key and --chain-id go together");
  uint64_t timeout_ms = 5000;
  if (flags.count("timeout-ms")) {
    const std::optional<uint64_t> ms = parse_decimal_u64(flags["timeout-ms"]);
    if (!ms) return get_usage("--timeout-ms: not a decimal number");
    timeout_ms = *ms;
  }
  std::optional<RequestSigner> signer;
  if (flags.count("key")) {
    auto key = home::load_key_file(flags["key"]);
    if (!key.ok()) {
      std::cerr << "joet-client get: " << key.error.to_string() << "\n";
      return 2;
    }
    signer = RequestSigner{*key.value, flags["chain-id"]};
  }
  auto answer = http_request(flags["rpc"], "GET", target, "", timeout_ms, signer);
  if (!answer.ok()) {
    std::cerr << "joet-client get: " << answer.error().to_string() << "\n";
    return 1;
  }
  std::cout << answer->body << (answer->body.ends_with('\n') ? "" : "\n");
  if (answer->status >= 200 && answer->status < 300) return 0;
  std::cerr << "joet-client get: HTTP " << answer->status << "\n";
  return answer->status >= 400 && answer->status < 500 ? 3 : 1;
}

}  // namespace joet::sdk
