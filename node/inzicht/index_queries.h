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
// due time, at most `limit`; `more` tells whether there were more. With a `case_id` ("" = every case)
// only that case's, read from its own list (Idlcase/): a few keys, however many the institution has.
struct DeadlinePage {
  std::vector<contracts::v1::Deadline> deadlines;
  bool more = false;
};
Result<DeadlinePage> pending_deadlines(const KvStore& store, std::string_view institution, std::string_view case_id,
                                       int64_t from_ms, int64_t to_ms, size_t limit);

// A case's timeline, oldest first: its txs (with their results) and the events about it, as JSON objects
// (docs/rpc.md); at most `limit` entries after the first `skip`; `more` tells whether there were more.
// A tx entry gets `signer_institution` when the registry knows its signer's key now.
struct TimelinePage {
  std::vector<nlohmann::json> entries;
  bool more = false;
};
Result<TimelinePage> case_timeline(const KvStore& store, std::string_view case_id, size_t skip, size_t limit);

// The case load of an institution now, from the index and the registry: for a GI every jeugdbeschermer
// it registered (c/prof/) with the SKJ date and the running OTS / VOTS assigned to it, and those without
// one; for a municipality its running OTS / VOTS per GI with and without a jeugdbeschermer. Other roles
// get the role only. kNotFound for an institution that is not registered.
struct ProfessionalLoad {
  std::string professional;
  int64_t skj_valid_until_day = 0;  // days since 1970-01-01, inclusive; 0 when not registered (any more)
  uint64_t cases = 0;
};
struct GiLoad {
  std::string gi;
  uint64_t assigned = 0;
  uint64_t unassigned = 0;
};
struct Caseload {
  contracts::v1::Role role = contracts::v1::ROLE_UNSPECIFIED;
  std::vector<ProfessionalLoad> professionals;  // GI: ascending by pseudonym
  uint64_t unassigned = 0;                      // GI: running without a jeugdbeschermer
  std::vector<GiLoad> gis;                      // MUNICIPALITY: ascending by GI
};
Result<Caseload> caseload(const KvStore& store, std::string_view institution);

// Requests not decided yet that `institution` has to see: for a COURT or an AUDITOR every pending request
// on the chain (any court may decide), for others those of the cases it is a party of or that it filed.
// Ascending by (case, request), at most `limit`. kNotFound for an institution that is not registered.
struct RequestPage {
  std::vector<contracts::v1::Request> requests;
  bool more = false;
};
Result<RequestPage> pending_requests(const KvStore& store, std::string_view institution, size_t limit);

// The cases counted in one stuurinformatie fact cell (c/statcase/<yyyymm>/<metric>/<institution>/),
// ascending: the drill-down from a count to the pseudonymous case ids.
Result<std::vector<std::string>> cell_cases(const KvStore& store, const CivilMonth& month, std::string_view metric,
                                            std::string_view institution);

}  // namespace joet::inzicht
