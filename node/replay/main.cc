// joet-replay SCENARIO.json: runs a scenario through the real executor and prints JSON lines
// (docs/joet-replay.md). Exit codes: 0 done, 2 bad scenario or usage, 1 internal error.
#include <exception>
#include <iostream>
#include <string>
#include <string_view>

#include "node/replay/runner.h"
#include "node/replay/scenario.h"

namespace {

constexpr std::string_view kUsage =
    "usage: joet-replay SCENARIO.json\n"
    "\n"
    "Runs a scenario (genesis institutions, optional policy overrides, blocks of signed txs) through the\n"
    "real contracts executor and prints one JSON object per line: a \"tx\" line per tx, an \"event\" line\n"
    "per notification, a \"block\" line per block (state_root, events_root) and a final \"state_root\"\n"
    "line. Txs are signed with deterministic test keys derived from the signer's name: never use them on\n"
    "a real network. The format is in docs/joet-replay.md.\n"
    "\n"
    "exit status: 0 done, 2 bad scenario or usage (message on stderr), 1 internal error\n";

}  // namespace

static int run(int argc, char** argv) {
  if (argc == 2 && (std::string_view(argv[1]) == "--help" || std::string_view(argv[1]) == "-h")) {
    std::cout << kUsage;
    return 0;
  }
  if (argc != 2 || std::string_view(argv[1]).starts_with("-")) {
    std::cerr << kUsage;
    return 2;
  }
  const auto parsed = joet::replay::load_scenario(argv[1]);
  if (!parsed.ok()) {
    std::cerr << "joet-replay: bad scenario " << argv[1] << ": " << parsed.error.to_string() << "\n";
    return 2;
  }
  const auto failure = joet::replay::run_scenario(*parsed.scenario, [](const joet::replay::Line& line) {
    // Strings come from the scenario (valid UTF-8) and the contracts (codes); replace, never throw.
    std::cout << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  });
  std::cout.flush();
  if (failure) {
    std::cerr << "joet-replay: " << (failure->bad_scenario ? "bad scenario " : "internal error in ") << argv[1]
              << ": " << failure->message << "\n";
    return failure->bad_scenario ? 2 : 1;
  }
  if (!std::cout) {
    std::cerr << "joet-replay: cannot write the output\n";
    return 1;
  }
  return 0;
}

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "joet-replay: internal error: " << e.what() << "\n";
    return 1;
  }
}
