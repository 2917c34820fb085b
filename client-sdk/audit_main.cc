// joet-audit: verifies a whole chain offline, from genesis.json to the tip of a node's ledger
// (client-sdk/audit.h). The node must be stopped (LevelDB allows one process), or audit a copy.
//   joet-audit --genesis FILE --ledger DIR
// Prints progress on stderr and one JSON report on stdout. Exit status: 0 the chain verifies to its
// tip, 3 a finding (the report names its height and code), 2 usage or a bad genesis, 1 a store or
// internal error.
#include <chrono>
#include <exception>
#include <iostream>
#include <map>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "client-sdk/audit.h"
#include "ledger/batch_verifier.h"
#include "ledger/block_store.h"
#include "ledger/kv_store.h"
#include "node/home/genesis.h"

namespace {

using namespace joet;  // NOLINT

constexpr std::string_view kUsage =
    "usage: joet-audit --genesis FILE --ledger DIR\n"
    "\n"
    "Verifies a chain offline: for every height the commit certificate against the validator set the\n"
    "audit derives itself from genesis, the certificate the block carries, every header field against\n"
    "a re-execution of the block (state, events, evidence and tx roots, rules version, links), and that\n"
    "no tx is on chain twice. DIR is a node's ledger (<home>/data/ledger); stop the node first, or audit\n"
    "a copy. Progress on stderr, a JSON report on stdout.\n"
    "\n"
    "exit status: 0 verified to the tip, 3 a finding (in the report), 2 usage or bad genesis, 1 store\n"
    "or internal error\n";

int run(int argc, char** argv) {
  std::map<std::string, std::string> flags;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--help" || a == "-h") {
      std::cout << kUsage;
      return 0;
    }
    if (!a.starts_with("--") || i + 1 >= argc || (a != "--genesis" && a != "--ledger")) {
      std::cerr << "joet-audit: unexpected argument " << a << "\n" << kUsage;
      return 2;
    }
    flags[a.substr(2)] = argv[++i];
  }
  if (!flags.count("genesis") || !flags.count("ledger")) {
    std::cerr << "joet-audit: --genesis and --ledger are required\n" << kUsage;
    return 2;
  }
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
  LevelDbKvStore::Options options;  // never creates: a missing ledger is an error
  auto kv = LevelDbKvStore::open(flags["ledger"], options);
  if (!kv.ok()) {
    std::cerr << "joet-audit: " << kv.error().to_string() << " (is the node still running?)\n";
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
  MemoryKvStore scratch;
  BatchVerifier verifier;  // every core
  const auto started = std::chrono::steady_clock::now();
  const uint64_t step = 1000;
  std::cerr << "joet-audit: chain " << state->chain_id << ", " << (*blocks)->tip().height << " blocks\n";
  auto report = audit_chain(**blocks, audit_genesis, config, scratch, verifier, [&](uint64_t h, uint64_t tip) {
    if (h % step == 0 || h == tip) std::cerr << "joet-audit: " << h << "/" << tip << " heights verified\n";
  });
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
  out["rules_version"] = report->rules_version;
  out["tip_hash"] = to_hex(report->tip_hash);
  out["state_root"] = to_hex(report->state_root);
  out["seconds"] = seconds;
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
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "joet-audit: internal error: " << e.what() << "\n";
    return 1;
  }
}
