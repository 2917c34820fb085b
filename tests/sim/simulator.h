// A deterministic simulator of n consensus nodes (TigerBeetle's VOPR and FoundationDB in spirit): one
// seeded std::mt19937_64 drives a virtual network (drop, delay, duplicate, reorder, partition, heal),
// per-node skewed and drifting clocks, crash-restarts (at random times, inside WAL appends (torn),
// right after a message left, inside a commit, and after GST), store faults (a failing commit, a
// corrupt WAL found at restart, a wiped data dir), and byzantine validators (silence, equivocation,
// double votes, other heights/rounds, garbage, invalid blocks, Twins, proposers that lie about block
// time, selective withholding, equivocation that turns to silence at GST, a second body under one
// signed proposal, and a false polka offered to a locked validator).
// Every node runs the real consensus::Engine fed through consensus::verify_and_decode, behind a
// signing guard (consensus/signing_fence.h) like the node's; its executor answers ValidateBlock after
// a seeded delay; validators join and leave (membership_changes). After every event it checks
// agreement, validity, that no honest validator signs twice or as a member it is not, every
// certificate against the set of its height, and every committed block time against the honest
// clocks (PBTS: within precision of the latest honest clock, and not older than the earliest honest
// clock at the height's start less precision and message delay); after GST it checks that every
// honest node keeps committing. With require_evidence, every offence an honest node found must be
// convicted, once, in every honest chain. Same config, same run, byte for byte.
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
  kTimeShift,       // as proposer: blocks dated far ahead or long ago, a future block claimed "now" in an
                    // earlier round (the block it also proposes truthfully in a later round of its own),
                    // one block with two times to two halves, stale blocks re-proposed as new
  kWithhold,        // sends each message to a random part of the network only
  kFickle,          // equivocates before GST, then falls silent
  kTwoBodies,       // as proposer: one signed proposal, and under its header a second, well-formed body
                    // (a tx fewer, or evidence that does not verify) sent to a random half; it then
                    // withholds its precommits and certificates of that block
  kFalsePolka,      // as proposer: hands its block's decision to one honest validator alone (whose
                    // messages the network then holds until GST) while another stays locked on it;
                    // then backs a fresh block with f+1 prevotes (its own and its honest proposer's)
                    // and re-proposes it with that round as pol_round: only a lock that asks 2f+1
                    // keeps the locked validator from deciding the other block
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
  // An honest node crashes right after a message of its left it (before GST), per message; when on,
  // right after a precommit for a value (it has just locked) 150 permille.
  uint32_t crash_after_send_permille = 0;
  uint32_t crash_after_lock_permille = 150;  // with crash_after_send_permille > 0, or alone (crash-lock)
  bool crashes_after_gst = false;  // a few crash-restarts after GST too (one node, short downtime)
  // Before GST: commits that fail before or after the block is durable, a WAL corrupted while the node
  // is down (it must refuse to start; the operator moves the WAL aside), and, when fewer than f
  // validators are byzantine, a wiped data dir (the node re-syncs; the signing guard keeps it silent).
  bool store_faults = false;
  bool wal_loss = true;       // with store_faults: also the corrupt WAL and the wiped data dir
  bool signing_guard = true;  // false: the guard is off (to show the simulator sees what it prevents)
  // Byzantine validators act honestly for messages of heights above this (runs that must end with
  // every offence convicted).
  uint64_t byzantine_until_height = UINT64_MAX;
  size_t max_pending_evidence = 64;  // EngineConfig::max_pending_evidence (small: the pool fills fast)
  // The nodes run the node's real application (LedgerApp over a MemoryKvStore that loses unsynced
  // writes on a crash: tests/sim/ledger_sim_app.h) instead of the fake, on the test genesis (its four
  // validators, its chain id), and clients submit one or two signed txs every 100-300 ms to a random up
  // honest node. Needs nodes == 4 and no valset/members faults (the genesis set is fixed).
  bool real_app = false;
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
  uint64_t offences_found = 0;      // distinct offences (evidence_key) an honest engine had to keep
  uint64_t offences_convicted = 0;  // of those, convicted in every honest node's chain
  uint64_t store_faults = 0;        // failed commits, corrupt WALs refused, wiped data dirs
  uint64_t corrupt_wals_refused = 0;
  uint64_t signatures_refused = 0;  // by the signing guard (fenced heights)
  int64_t max_block_time_ahead_ms = 0;  // the most a committed block time ran ahead of the honest clocks
  uint64_t restarts = 0;
  uint64_t bodies_split = 0;        // proposals a two-bodies validator sent with a second body
  uint64_t false_polkas = 0;        // re-proposals a false-polka validator backed by f+1 prevotes, to a locked validator
  uint64_t wal_appends_node0 = 0;
  uint64_t min_validators = 0;      // over the heights committed
  uint64_t max_validators = 0;
  uint64_t set_changes = 0;         // heights whose set differs from the one before
  std::vector<uint64_t> signed_by_node;  // proposals and votes each honest node signed (by node id)
  // real_app: txs the clients submitted, those a mempool admitted, those in the chain (of the first
  // honest node), and per node (by id; empty for byzantine ones) the hex state root its LedgerApp
  // computed at each height it committed.
  uint64_t txs_submitted = 0;
  uint64_t txs_admitted = 0;
  uint64_t txs_committed = 0;
  std::vector<std::vector<std::string>> state_roots;
  std::vector<std::string> violations;
  std::vector<std::string> trace;  // the last events (or all, with SimConfig::trace)
};

SimResult run_simulation(const SimConfig& config);

}  // namespace joet::sim
