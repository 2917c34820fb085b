// joet-audit: verifies a whole chain offline, from genesis.json to the tip of a node's ledger
// (client-sdk/audit.h). The node must be stopped (LevelDB allows one process), or audit a copy.
//   joet-audit --genesis FILE --ledger DIR [--scratch DIR | --in-memory] [--quiet]
// Re-executes into its own LevelDB (client-sdk/audit_scratch.h), prints progress on stderr
// (client-sdk/audit_progress.h) and one JSON report on stdout. Exit status: 0 the chain verifies to
// its tip, 3 a finding (the report names its height and code), 2 usage, a bad genesis or a scratch
// directory that is not empty, 1 a store or internal error, 130 interrupted (SIGINT, SIGTERM: the
// audit stops after the height it is on, so the temporary scratch directory is removed).
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <exception>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "client-sdk/audit.h"
#include "client-sdk/audit_progress.h"
#include "client-sdk/audit_scratch.h"
#include "client-sdk/ledger_snapshot.h"
#include "ledger/batch_verifier.h"
#include "ledger/block_store.h"
#include "ledger/kv_store.h"
#include "node/home/genesis.h"
#include "version/version.h"

namespace {

using namespace joet;  // NOLINT

constexpr std::string_view kUsage =
    "usage: joet-audit --genesis FILE --ledger DIR [--scratch DIR | --in-memory] [--quiet]\n"
    "\n"
    "Verifies a chain offline: for every height the commit certificate against the validator set the\n"
    "audit derives itself from genesis, the certificate the block carries, that no tx is on chain twice,\n"
    "every consensus evidence item against the set of its height, and every header field against a\n"
    "re-execution of the block (state, events, evidence and tx roots, rules version, links). --ledger is\n"
    "a node's ledger (<home>/data/ledger), never changed: the audit opens a private copy of it (table\n"
    "files hard-linked, the rest copied, into the temporary directory); stop the node first.\n"
    "\n"
    "  --scratch DIR  re-execute into a LevelDB in DIR (created; refused unless empty); default: a new\n"
    "                 temporary directory, removed at exit\n"
    "  --in-memory    re-execute in memory (small chains only)\n"
    "  --quiet        no progress on stderr\n"
    "\n"
    "Progress on stderr (a bar on a terminal, else a line every 5 s), a JSON report on stdout.\n"
    "exit status: 0 verified to the tip, 3 a finding (in the report), 2 usage, bad genesis, non-empty\n"
    "scratch directory, no ledger at DIR or a node running on it, 1 store or internal error\n";

volatile std::sig_atomic_t g_interrupted = 0;
void on_interrupt(int) { g_interrupted = 1; }

// Thrown by the progress callback after a SIGINT or SIGTERM; run() catches it, and the scratch's
// destructor removes a temporary directory on the way out. A second signal ends the process at once.
struct Interrupted {
  uint64_t heights = 0;
};

void catch_interrupts() {
  struct sigaction action {};
  action.sa_handler = on_interrupt;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESETHAND | SA_RESTART;
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

int run(int argc, char** argv) {
  std::map<std::string, std::string> flags;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--help" || a == "-h") {
      std::cout << kUsage;
      return 0;
    }
    if (a == "--in-memory" || a == "--quiet") {
      flags[a.substr(2)] = "1";
      continue;
    }
    if (!a.starts_with("--") || i + 1 >= argc || (a != "--genesis" && a != "--ledger" && a != "--scratch")) {
      std::cerr << "joet-audit: unexpected argument " << a << "\n" << kUsage;
      return 2;
    }
    flags[a.substr(2)] = argv[++i];
  }
  if (!flags.count("genesis") || !flags.count("ledger")) {
    std::cerr << "joet-audit: --genesis and --ledger are required\n" << kUsage;
    return 2;
  }
  if (flags.count("scratch") && flags.count("in-memory")) {
    std::cerr << "joet-audit: --scratch and --in-memory exclude each other\n" << kUsage;
    return 2;
  }
  const bool quiet = flags.count("quiet") != 0;
  auto genesis = home::load_genesis(flags["genesis"]);
  if (!genesis.ok()) {
    std::cerr << "joet-audit: " << genesis.error.to_string() << "\n";
    return 2;
  }
  auto state = home::genesis_state(*genesis.value);
  if (!state.ok()) {
    std::cerr << "joet-audit: " << state.error().to_string() << "\n";
    return 2;
  }
  // A private copy: opening a LevelDB writes to it, and the audit never changes a byte of the ledger.
  auto snapshot = LedgerSnapshot::take(flags["ledger"]);
  if (!snapshot.ok()) {
    std::cerr << "joet-audit: " << snapshot.error().to_string() << "\n";
    return snapshot.error().code == ErrorCode::kIoError ? 1 : 2;
  }
  LevelDbKvStore::Options options;  // never creates: a missing ledger is an error
  auto kv = LevelDbKvStore::open((*snapshot)->dir(), options);
  if (!kv.ok()) {
    std::cerr << "joet-audit: " << flags["ledger"] << ": " << kv.error().to_string() << "\n";
    return 1;
  }
  auto blocks = BlockStore::open(**kv, flags["ledger"]);
  if (!blocks.ok()) {
    std::cerr << "joet-audit: " << blocks.error().to_string() << "\n";
    return 1;
  }
  AuditGenesis audit_genesis{state->chain_id, state->state_writes, state->validators.proto()};
  ExecutorConfig config;
  config.chain_id = state->chain_id;
  auto scratch = flags.count("in-memory")  ? Result<std::unique_ptr<AuditScratch>>(AuditScratch::in_memory())
                 : flags.count("scratch") ? AuditScratch::in_directory(flags["scratch"])
                                          : AuditScratch::temporary();
  if (!scratch.ok()) {
    std::cerr << "joet-audit: " << scratch.error().to_string() << "\n";
    return scratch.error().code == ErrorCode::kConflict ? 2 : 1;
  }
  BatchVerifier verifier;  // every core
  const auto started = std::chrono::steady_clock::now();
  AuditProgressMeter meter(::isatty(STDERR_FILENO) == 1, now_ms());
  if (!quiet) {
    std::cerr << "joet-audit: chain " << state->chain_id << ", " << (*blocks)->tip().height << " blocks, scratch "
              << ((*scratch)->dir().empty() ? std::string("in memory") : (*scratch)->dir()) << "\n";
  }
  catch_interrupts();
  std::optional<Result<AuditReport>> ran;
  try {
    ran = audit_chain(**blocks, audit_genesis, config, (*scratch)->store(), verifier,
                         [&](const AuditReport& so_far, uint64_t tip) {
                           if (!quiet) std::cerr << meter.update(so_far.heights, tip, so_far.txs, now_ms());
                           if (g_interrupted) throw Interrupted{so_far.heights};
                         });
  } catch (const Interrupted& stop) {
    if (!quiet) std::cerr << meter.finish(now_ms());
    std::cerr << "joet-audit: interrupted after " << stop.heights << " verified heights\n";
    return 130;
  }
  if (!quiet) std::cerr << meter.finish(now_ms()) << std::flush;
  const Result<AuditReport>& report = *ran;
  if (!report.ok()) {
    std::cerr << "joet-audit: " << report.error().to_string() << "\n";
    return 1;
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  nlohmann::ordered_json out;
  out["chain_id"] = state->chain_id;
  out["heights"] = report->heights;
  out["txs"] = report->txs;
  out["refused_txs"] = report->refused_txs;
  out["events"] = report->events;
  out["validator_set_changes"] = report->validator_set_changes;
  out["evidence"] = report->evidence;
  out["rules_version"] = report->rules_version;
  out["tip_hash"] = to_hex(report->tip_hash);
  out["state_root"] = to_hex(report->state_root);
  out["seconds"] = seconds;
  out["heights_per_second"] = seconds > 0 ? static_cast<double>(report->heights) / seconds : 0.0;
  out["txs_per_second"] = seconds > 0 ? static_cast<double>(report->txs) / seconds : 0.0;
  out["scratch"] = std::string((*scratch)->kind());
  if (report->finding) {
    out["finding"] = {{"height", report->finding->height},
                      {"code", report->finding->code},
                      {"message", report->finding->message}};
  } else {
    out["finding"] = nullptr;
  }
  std::cout << out.dump() << "\n";
  return report->finding ? 3 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (joet::version::is_version_request(argc, argv)) return joet::version::print_version(argv[0]);
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "joet-audit: internal error: " << e.what() << "\n";
    return 1;
  }
}
