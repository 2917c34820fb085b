// A deterministic simulator of n consensus nodes (TigerBeetle's VOPR and FoundationDB in spirit): one
// seeded std::mt19937_64 drives a virtual network (drop, delay, duplicate, reorder, partition, heal),
// per-node skewed and drifting clocks, crash-restarts (at random times and inside WAL appends, torn),
// and byzantine validators (silence, equivocation, double votes, other heights/rounds, garbage, Twins).
// Every node runs the real consensus::Engine fed through consensus::verify_and_decode; its executor
// answers ValidateBlock after a seeded delay; validators join and leave (membership_changes). After
// every event it checks agreement, validity, that no honest validator signs twice or as a member it is
// not, and every certificate against the set of its height; after GST it checks that every honest
// node keeps committing. Same config, same run, byte for byte.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace joet::sim {

enum class Byzantine : uint8_t {
  kSilent,          // sends nothing
  kEquivocate,      // two proposals and two votes per slot, to different halves of the network
  kOtherRounds,     // also signs votes for other heights and rounds, with random hashes
  kGarbage,         // also sends random bytes and bit-flipped copies of its messages
  kInvalidBlocks,   // proposes blocks that fail validation
  kTwin,            // a second, unmodified node with the same key
};
const char* byzantine_name(Byzantine b);

struct SimConfig {
  uint64_t seed = 1;
  uint32_t nodes = 4;            // validators, n = 3f + 1
  uint64_t heights = 10;         // stop once every honest node has committed this many
  std::vector<Byzantine> byzantine;  // at most f; validators n-1, n-2, ... are the faulty ones
  // Network before GST (after GST: no drops, no partitions, delay <= max_delay_after_gst_ms).
  uint32_t drop_permille = 0;
  uint32_t duplicate_permille = 0;
  uint64_t min_delay_ms = 1;
  uint64_t max_delay_ms = 50;
  uint64_t max_delay_after_gst_ms = 50;
  bool partitions = false;
  bool crashes = false;           // crash-restart honest nodes before GST (random times and WAL appends)
  uint64_t gst_ms = 0;            // global stabilization time
  bool clock_skew = true;         // per-node offset (|offset| <= 100 ms) and drift (|drift| <= 200 ppm)
  bool validator_set_changes = false;  // powers change every few heights, effective at h + 2
  // Validators join and leave (effective at h + 2): one node more than `nodes` exists; the set goes
  // 4 -> 5 (node n joins) -> 4 (node 1 leaves, indexes shift) -> 5 (node 1 rejoins) -> 4 (node n
  // leaves) -> ... every 4 heights. A node outside the set follows the chain without signing.
  bool membership_changes = false;
  uint64_t max_validation_delay_ms = 60;  // the executor answers ValidateBlock after 0..this (seeded)
  uint64_t max_sim_time_ms = 0;   // 0: derived from heights and GST
  // Run on until every validator an honest node found equivocating is convicted by committed evidence
  // in every honest node's chain (within the liveness bound).
  bool require_evidence = false;
  bool trace = false;             // keep a readable trace of every event (always kept on failure replay)
  uint64_t crash_node0_at_wal_append = UINT64_MAX;  // crash node 0 inside its k-th WAL append (torn)
};

struct SimResult {
  uint64_t seed = 0;
  uint64_t heights_committed = 0;  // the minimum over honest nodes
  uint64_t max_round = 0;          // the highest round any honest commit took
  uint64_t messages = 0;           // deliveries attempted
  uint64_t events = 0;
  uint64_t sim_time_ms = 0;
  uint64_t evidence_committed = 0;  // evidence items in node 0's chain
  uint64_t offenders_found = 0;     // validators honest nodes found equivocating
  uint64_t offenders_convicted = 0; // of those, convicted in every honest node's chain
  uint64_t restarts = 0;
  uint64_t wal_appends_node0 = 0;
  uint64_t min_validators = 0;      // over the heights committed
  uint64_t max_validators = 0;
  std::vector<uint64_t> signed_by_node;  // proposals and votes each honest node signed (by node id)
  std::vector<std::string> violations;
  std::vector<std::string> trace;  // the last events (or all, with SimConfig::trace)
};

SimResult run_simulation(const SimConfig& config);

}  // namespace joet::sim
