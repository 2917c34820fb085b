// `joet-node start --home DIR`: the daemon that joins the node's parts (ARCHITECTURE.md "node/").
//
// One asio::io_context, run on the calling thread, owns everything: the p2p Transport (TLS, pinned
// validator keys), the consensus Engine with its timers, the LedgerApp over LevelDB (HOME/<data_dir>)
// and the RPC server; no locks. On start: load the home (genesis, config, validator key), open the
// stores, refuse a data dir made for another genesis (its genesis hash is kept under "D"
// "genesis_hash"), replay the consensus WAL (data/consensus.wal) and start the engine at the first
// height not committed. The engine's clock is the wall clock (system_clock ms).
//
// Gossip and catch-up as node/app/network_test.cc does it: every 500 ms without a new height the
// node re-broadcasts Engine::gossip_messages() (with a status hint of its height); a peer that hears
// a hint from a node behind it sends that node the certified blocks it lacks (CommitMsg, a batch at a
// time), and a node that advanced on such a batch asks for the next one at once.
//
// Logs: one JSON object per line on stderr; every committed height is logged as
//   {"time_ms":...,"level":"info","msg":"committed","node":...,"height":...,"round":...,
//    "block_hash":...,"txs":...,"state_root":...}
// Exit status: 0 stopped by SIGINT/SIGTERM; 1 halted (the app or engine stopped: see the last log
// line) or an internal error; 2 a bad home (message naming the file).
#pragma once

#include <string>

namespace joet::daemon {

int run_node(const std::string& home_dir);

}  // namespace joet::daemon
