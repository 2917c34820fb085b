// Reads of the dashboard index (node/inzicht/dashboard_index.h) and of the stuurinformatie facts in
// state, as the Inzicht routes answer them (docs/rpc.md "Inzicht"). Each reads only the keys of what it
// answers: the cells of the months asked, the deadlines of one institution in one window, the entries
// of one case; never every case.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "contracts.pb.h"
#include "contracts/stuurinformatie.h"
#include "ledger/kv_store.h"
#include "ledger/status.h"

namespace joet::inzicht {

// The report of contracts/stuurinformatie.h, equal to stuurinformatie(store, from, to), with the
// running, ended and assignment tables read from the index's cells. Same errors.
Result<Stuurinformatie> indexed_stuurinformatie(const KvStore& store, const CivilMonth& from, const CivilMonth& to);

// The pending deadlines of the cases `institution` is a party of, due in [from_ms, to_ms), ascending by
// due time, at most `limit`; `more` tells whether there were more.
struct DeadlinePage {
  std::vector<contracts::v1::Deadline> deadlines;
  bool more = false;
};
Result<DeadlinePage> pending_deadlines(const KvStore& store, std::string_view institution, int64_t from_ms,
                                       int64_t to_ms, size_t limit);

// A case's timeline, oldest first: its txs (with their results) and the events about it, as JSON objects
// (docs/rpc.md); at most `limit` entries after the first `skip`; `more` tells whether there were more.
struct TimelinePage {
  std::vector<nlohmann::json> entries;
  bool more = false;
};
Result<TimelinePage> case_timeline(const KvStore& store, std::string_view case_id, size_t skip, size_t limit);

// The cases counted in one stuurinformatie fact cell (c/statcase/<yyyymm>/<metric>/<institution>/),
// ascending: the drill-down from a count to the pseudonymous case ids.
Result<std::vector<std::string>> cell_cases(const KvStore& store, const CivilMonth& month, std::string_view metric,
                                            std::string_view institution);

}  // namespace joet::inzicht
