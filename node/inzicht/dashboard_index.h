// The dashboard index: what the Inzicht routes (docs/rpc.md "Inzicht") read, kept by the node as it
// commits each block, so that no request scans all cases. It is derived data: a pure function of the
// committed state and blocks, outside the state tree, written in the block's own batch (so it is never
// behind or ahead of the block on disk), identical on every node, and rebuilt from the store when a
// node starts on a store that has none (an upgraded node).
//
// Keys, under the prefix "I" (ids are code-charset, so '/' separates):
//   "Iversion"                              be32 kDashboardIndexVersion
//   "Irun/" be32(month) kind "/" gi         be64 distinct cases with that measure running in the month
//   "Iend/" be32(month) kind                a histogram: be64 cases, then (be64 days, be64 measures)*
//                                           ascending by days: durations of measures ended in the month
//   "Iasg/" be32(month) gi                  the same for days from start to first assignment, per month
//                                           of the start
//   "Icst/" be32(month) gi                  be64 cases, be64 euro cents: the projected costs of the month
//                                           (contracts/stuurinformatie.h, costs table, PROJECTED)
//   "Idl/" institution "/" due' id          the pending Deadline (as stored at c/dl/ due' id), under each
//                                           party of its case (rpc::case_parties) as the case is now
//   "Idlcase/" case "/" due' id             empty: the case's pending deadlines (to re-file them when the
//                                           case's parties change)
//   "Iload/gi/" gi "/" professional       be64 cases of the GI with a running OTS / VOTS and that
//                                           jeugdbeschermer ("" after the last '/': none assigned)
//   "Iload/mun/" municipality "/" gi "/" a  be64 the municipality's cases with a running OTS / VOTS of
//                                           that GI, a = '1' with a jeugdbeschermer, '0' without
//   "Ireq/" case "/" request                the Request (as at c/req/) while it is PENDING
//   "Itl/" case "/" be64 height be32 slot be32 n
//                                           one timeline entry (JSON, see TimelineEntry): slot 0 holds
//                                           the events deadlines caused, slot i + 1 tx i of the block
//                                           (n = 0) and the events it caused (n >= 1, by recipient, seq)
// month = the month index (contracts/stuurinformatie.h month_index).
//
// The running / ended / assignment / projected cost cells use contracts' case_measure_cells, the very rule of the
// reference report, applied as a difference: for every case a block changes (its record or its
// c/period/ entries), its cells before the block are taken out and its cells after put in.
#pragma once

#include <cstdint>
#include <functional>
#include <span>

#include "contracts/executor.h"
#include "joet.pb.h"
#include "ledger/block_store.h"
#include "ledger/kv_store.h"
#include "ledger/status.h"

namespace joet::inzicht {

inline constexpr uint32_t kDashboardIndexVersion = 2;  // 2: the projected cost cells (Icst/)

// What the index needs of a block being committed.
struct CommittedBlock {
  uint64_t height = 0;
  int64_t time_ms = 0;
  std::span<const v1::SignedTx> txs;   // in block order
  const BlockExecution* execution = nullptr;  // its writes, one result per tx, its events
};

// The index writes for `block`, added to `out`. `before` is the store as committed before the block
// (state and index). kCorruption for a stored record or index entry that does not parse, or a count
// that would fall below zero (the index does not match the state: rebuild it).
Status index_block(const KvStore& before, const CommittedBlock& block, WriteBatch& out);

// Whether the store holds an index of this version (Iversion).
Result<bool> has_index(const KvReader& store);
// The writes of an empty store's index (at genesis): the version only.
void initial_index_writes(WriteBatch& out);

// Builds the index of a store whose blocks 1..tip are committed but that has no index (or an older
// version): deletes every "I" key, then derives the cells and deadlines from the state and the timeline
// from the blocks and the events in state. One batch, synced. `progress` is called with the heights
// read so far (for the log), every 10,000 heights and at the end.
Status rebuild_index(KvStore& store, const BlockStore& blocks,
                     const std::function<void(uint64_t done, uint64_t total)>& progress);

}  // namespace joet::inzicht
