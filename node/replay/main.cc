// joet-replay SCENARIO.json [--stuurinformatie YYYY-MM:YYYY-MM]: runs a scenario through the real
// executor and prints JSON lines (docs/joet-replay.md). Exit codes: 0 done, 2 bad scenario or usage,
// 1 internal error.
#include <exception>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "node/replay/runner.h"
#include "node/replay/scenario.h"
#include "version/version.h"

namespace {

constexpr std::string_view kUsage =
    "usage: joet-replay SCENARIO.json [--stuurinformatie YYYY-MM:YYYY-MM]\n"
    "\n"
    "Runs a scenario (genesis institutions, optional policy overrides, blocks of signed txs) through the\n"
    "real contracts executor and prints one JSON object per line: a \"tx\" line per tx, an \"event\" line\n"
    "per notification, a \"block\" line per block (state_root, events_root) and a final \"state_root\"\n"
    "line. Txs are signed with deterministic test keys derived from the signer's name: never use them on\n"
    "a real network. The format is in docs/joet-replay.md.\n"
    "\n"
    "  --stuurinformatie FROM:TO  after the state_root line, print a \"stuurinformatie\" line: the aggregate\n"
    "                             management report over the final state for the months FROM..TO\n"
    "                             (inclusive, at most 120), cells under 5 cases suppressed\n"
    "\n"
    "exit status: 0 done, 2 bad scenario or usage (message on stderr), 1 internal error\n";

// "YYYY-MM:YYYY-MM", a valid report range, or an error message.
std::optional<std::pair<joet::CivilMonth, joet::CivilMonth>> parse_months(std::string_view text, std::string& error) {
  const size_t colon = text.find(':');
  if (colon == std::string_view::npos) {
    error = "--stuurinformatie: expected YYYY-MM:YYYY-MM";
    return std::nullopt;
  }
  const auto from = joet::parse_civil_month(text.substr(0, colon));
  const auto to = joet::parse_civil_month(text.substr(colon + 1));
  if (!from.ok() || !to.ok()) {
    error = "--stuurinformatie: " + (from.ok() ? to.error() : from.error()).message;
    return std::nullopt;
  }
  const joet::Status range = joet::check_month_range(*from, *to);
  if (!range.ok()) {
    error = "--stuurinformatie: " + range.error().message;
    return std::nullopt;
  }
  return std::make_pair(*from, *to);
}

}  // namespace

static int run(int argc, char** argv) {
  if (argc == 2 && (std::string_view(argv[1]) == "--help" || std::string_view(argv[1]) == "-h")) {
    std::cout << kUsage;
    return 0;
  }
  std::optional<std::string_view> path;
  joet::replay::ReplayOptions options;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg(argv[i]);
    if (arg == "--stuurinformatie" && i + 1 < argc && !options.stuurinformatie) {
      std::string error;
      options.stuurinformatie = parse_months(argv[++i], error);
      if (!options.stuurinformatie) {
        std::cerr << "joet-replay: " << error << "\n" << kUsage;
        return 2;
      }
    } else if (!arg.starts_with("-") && !path) {
      path = arg;
    } else {
      std::cerr << kUsage;
      return 2;
    }
  }
  if (!path) {
    std::cerr << kUsage;
    return 2;
  }
  const std::string file(*path);
  const auto parsed = joet::replay::load_scenario(file);
  if (!parsed.ok()) {
    std::cerr << "joet-replay: bad scenario " << file << ": " << parsed.error.to_string() << "\n";
    return 2;
  }
  const auto failure = joet::replay::run_scenario(
      *parsed.scenario,
      [](const joet::replay::Line& line) {
        // Strings come from the scenario (valid UTF-8) and the contracts (codes); replace, never throw.
        std::cout << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
      },
      options);
  std::cout.flush();
  if (failure) {
    std::cerr << "joet-replay: " << (failure->bad_scenario ? "bad scenario " : "internal error in ") << file
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
  if (joet::version::is_version_request(argc, argv)) return joet::version::print_version(argv[0]);
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "joet-replay: internal error: " << e.what() << "\n";
    return 1;
  }
}
