// joet-sim: runs the deterministic consensus simulator over a range of seeds and prints a JSON summary.
//   joet-sim --seeds 1..100 --heights 50 --nodes 4 --faults drop,dup,partition,crash,equivocate
// --real-app runs the node's own LedgerApp (block assembly, executor, state root, block store) on an
// in-memory store in every node, instead of the fast fake application.
// --budget-seconds S stops after the seed that crosses S seconds of wall time (long runs); the summary
// says which seeds ran.
// A failing seed prints its trace to stderr; rerun with --seeds S..S --trace to replay it exactly.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <google/protobuf/stubs/logging.h>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/sim/faults.h"
#include "tests/sim/simulator.h"
#include "version/version.h"

namespace {
constexpr const char* kUsage =
    "usage: joet-sim [--seeds A..B] [--heights H] [--nodes N] [--faults LIST] [--gst MS] [--real-app] [--trace]"
    " [--budget-seconds S]\n";

[[noreturn]] void usage(const std::string& why) {
  std::cerr << "joet-sim: " << why << "\n" << kUsage;
  std::exit(2);
}

void help() {
  std::cout << "joet-sim: the deterministic consensus simulator. Runs n validators' real engines over a simulated\n"
               "network, clock and disk for each seed, checks agreement, validity, block-time bounds, evidence and\n"
               "liveness after GST at every step, and prints a JSON summary (exit 1 if any seed failed; its trace\n"
               "goes to stderr with the command that replays it).\n\n"
            << kUsage
            << "\n  --seeds A..B         the seeds to run (default 1..10)\n"
               "  --heights H          stop once every honest node committed H heights (default 20)\n"
               "  --nodes N            validators, n = 3f + 1 (default 4)\n"
               "  --faults LIST        comma-separated: none, drop, dup, delay, partition, crash, skew, valset,\n"
               "                       members, slow-exec, crash-send, crash-gst, crash-lock, store, commit-faults,\n"
               "                       no-guard, evidence; byzantine kinds silent, equivocate, other-rounds,\n"
               "                       garbage, invalid-blocks, twin, time-shift, withhold, fickle, two-bodies,\n"
               "                       false-polka;\n"
               "                       all (every fault, the f byzantine kinds rotating with the seed)\n"
               "  --gst MS             global stabilisation time in simulated ms\n"
               "  --real-app           run the node's LedgerApp instead of the fake application (slower)\n"
               "  --trace              print the whole trace of every seed (else only the last events of a failing one)\n"
               "  --budget-seconds S   stop after the seed that crosses S seconds of wall time\n"
               "  --help               this text\n"
               "docs/consensus.md describes the faults, the checks and the mutants.\n";
}
uint64_t number(const std::string& s) {
  char* end = nullptr;
  uint64_t v = std::strtoull(s.c_str(), &end, 10);
  if (s.empty() || *end != '\0') usage("not a number: " + s);
  return v;
}
}  // namespace

// Byzantine garbage makes protobuf log every invalid UTF-8 string it parses; the decoders refuse those
// inputs anyway, and at 10^6 heights the log would dominate the run.
void quiet_protobuf(google::protobuf::LogLevel level, const char* file, int line, const std::string& message) {
  if (level >= google::protobuf::LOGLEVEL_FATAL) std::cerr << file << ":" << line << ": " << message << "\n";
}

int main(int argc, char** argv) {
  if (joet::version::is_version_request(argc, argv)) return joet::version::print_version(argv[0]);
  google::protobuf::SetLogHandler(&quiet_protobuf);
  uint64_t first = 1, last = 10, heights = 20;
  uint32_t nodes = 4;
  std::string faults = "drop,dup,partition,crash,equivocate";
  int64_t gst = -1;
  bool trace = false;
  bool real_app = false;
  uint64_t budget_seconds = 0;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) usage("missing value after " + a);
      return argv[++i];
    };
    if (a == "--seeds") {
      std::string v = next();
      auto dots = v.find("..");
      first = number(v.substr(0, dots));
      last = dots == std::string::npos ? first : number(v.substr(dots + 2));
    } else if (a == "--heights") heights = number(next());
    else if (a == "--nodes") nodes = static_cast<uint32_t>(number(next()));
    else if (a == "--faults") faults = next();
    else if (a == "--gst") gst = static_cast<int64_t>(number(next()));
    else if (a == "--trace") trace = true;
    else if (a == "--real-app") real_app = true;
    else if (a == "--help" || a == "-h") {
      help();
      return 0;
    }
    else if (a == "--budget-seconds") budget_seconds = number(next());
    else usage("unknown argument " + a);
  }
  if (nodes < 1 || nodes > 64 || last < first) usage("bad --nodes or --seeds");

  uint64_t committed = 0, messages = 0, failures = 0, max_round = 0, restarts = 0, evidence = 0;
  uint64_t offenders_found = 0, offenders_convicted = 0, min_validators = UINT64_MAX, max_validators = 0;
  uint64_t set_changes = 0;
  nlohmann::json failed = nlohmann::json::array();
  auto start = std::chrono::steady_clock::now();
  uint64_t last_run = first - 1;
  for (uint64_t seed = first; seed <= last; ++seed) {
    if (budget_seconds != 0 &&
        std::chrono::steady_clock::now() - start > std::chrono::seconds(static_cast<int64_t>(budget_seconds))) {
      break;
    }
    last_run = seed;
    joet::sim::SimConfig c;
    c.seed = seed;
    c.nodes = nodes;
    c.heights = heights;
    c.trace = trace;
    c.real_app = real_app;
    if (gst >= 0) c.gst_ms = static_cast<uint64_t>(gst);
    auto s = joet::sim::apply_faults(faults, c);
    if (!s.ok()) usage(s.to_string());
    auto r = joet::sim::run_simulation(c);
    committed += r.heights_committed;
    messages += r.messages;
    restarts += r.restarts;
    evidence += r.evidence_committed;
    offenders_found += r.offenders_found;
    offenders_convicted += r.offenders_convicted;
    min_validators = std::min(min_validators, r.min_validators);
    max_validators = std::max(max_validators, r.max_validators);
    set_changes += r.set_changes;
    max_round = std::max(max_round, r.max_round);
    if (!r.violations.empty()) {
      ++failures;
      failed.push_back({{"seed", seed}, {"violations", r.violations}});
      std::cerr << "seed " << seed << " FAILED: " << r.violations.front() << "\n";
      for (const auto& line : r.trace) std::cerr << "  " << line << "\n";
      std::cerr << "replay: joet-sim --seeds " << seed << ".." << seed << " --heights " << heights << " --nodes "
                << nodes << " --faults " << faults << (real_app ? " --real-app" : "") << " --trace\n";
    } else if (trace) {
      std::cerr << "seed " << seed << " passed\n";
      for (const auto& line : r.trace) std::cerr << "  " << line << "\n";
    }
  }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  nlohmann::json out = {{"seeds", {first, last_run}},
                        {"nodes", nodes},
                        {"faults", faults},
                        {"heights_committed", committed},
                        {"max_round", max_round},
                        {"messages", messages},
                        {"restarts", restarts},
                        {"evidence_committed", evidence},
                        {"equivocators_found", offenders_found},
                        {"equivocators_convicted_by_end", offenders_convicted},
                        {"validators_min", min_validators},
                        {"validators_max", max_validators},
                        {"validator_set_changes", set_changes},
                        {"violations", failures},
                        {"failed_seeds", failed},
                        {"wall_seconds", secs},
                        {"heights_per_second", secs > 0 ? static_cast<double>(committed) / secs : 0.0}};
  std::cout << out.dump(2) << std::endl;
  return failures == 0 ? 0 : 1;
}
