// Who may read what over the RPC (ARCHITECTURE.md: case data only for requests signed with a registered
// member key; auditors read everything). A pure decision over a request (RequestMeta), the node's chain
// id and clock reading, and two registry lookups the caller answers from the current state, so a key
// removed from the registry stops working with the next block. docs/rpc.md "Access control" and
// decision 0008 describe it; the daemon calls it from RpcBackend::authorize().
//
// Routes by template (method + route), whether or not the server has them yet:
//   open, no signature:      GET /v1/status, GET /metrics, POST /v1/txs (a tx authenticates itself)
//   any member key:          GET /v1/txs/{tx_id}, /v1/txs/{tx_id}/proof, /v1/blocks/{height},
//                            /v1/blocks/{height}/raw, /v1/headers/{height}, /v1/validators/{height},
//                            /v1/keys/{public_key}/nonce, /v1/stuurinformatie (aggregates, suppressed)
//   recipient or auditor:    GET /v1/events?recipient=X, /v1/events/proof?recipient=X,
//                            /v1/stuurinformatie/cases?institution=X,
//                            /v1/deadlines?institution=X, /v1/caseload?institution=X,
//                            /v1/requests/pending?institution=X: members of institution X, or of an AUDITOR
//   case party or auditor:   GET /v1/cases/{case_id}, /v1/cases/{case_id}/timeline, .../quickscan, .../explanation, .../state/{key_hex}: members of an
//                            institution involved in the case (case_parties below), or of an AUDITOR
//   auditor only:            GET /v1/state/{key_hex}, and every route this table does not name (a new
//                            route is closed until someone decides who may read it)
// Refusals: 401 UNAUTHENTICATED for a missing, malformed, stale or wrong signature; 403 FORBIDDEN for a
// valid signature whose key is no member, or whose institution may not read this.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "contracts.pb.h"
#include "contracts/case_parties.h"
#include "ledger/keys.h"
#include "ledger/status.h"
#include "node/rpc/backend.h"
#include "node/rpc/request_auth.h"

namespace joet::rpc {

enum class ReadScope : uint8_t {
  kOpen,       // anyone, unsigned
  kAnyMember,  // a registered member key of any institution
  kRecipient,  // members of the institution read for (events' recipient, "institution"), or AUDITOR members
  kCaseParty,  // members of an institution involved in the case, or AUDITOR members
  kAuditor,    // AUDITOR members only
};
std::string_view read_scope_name(ReadScope scope);

// The table above: one row per (method, route template) the policy names.
struct RouteScope {
  std::string_view method;
  std::string_view route;
  ReadScope scope;
};
std::span<const RouteScope> route_scopes();

// The scope of a route template under a method; kAuditor for any pair the table above does not name.
ReadScope read_scope(std::string_view method, std::string_view route);

// The institution a member key signs for, per the registry.
struct Reader {
  std::string institution;
  contracts::v1::Role role = contracts::v1::ROLE_UNSPECIFIED;
};

// The institutions involved in a case (contracts/case_parties.h).
using ::joet::case_parties;

// The lookups the policy needs, answered from the current (tip) state.
class AccessRegistry {
 public:
  virtual ~AccessRegistry() = default;
  // The institution `key` is a member of; nullopt for a key that is not (or no longer) registered.
  virtual Result<std::optional<Reader>> reader(const PublicKey& key) = 0;
  // The case record; nullopt when there is none.
  virtual Result<std::optional<contracts::v1::Case>> find_case(std::string_view case_id) = 0;
};

struct AccessContext {
  std::string_view chain_id;    // the node's: a request signed for another chain does not verify
  uint64_t now_ms = 0;          // the node's clock reading (UTC ms since the epoch)
  RequestAuthConfig auth;       // the clock window
};

// The verdict for one routed request. Looks the key up only for a route that is not open, and the case
// only for /v1/cases/{case_id} and a reader that is no auditor. A failed lookup refuses (403): the node
// never answers case data it could not check the reader for.
Authorization decide_access(const RequestMeta& meta, const AccessContext& context, AccessRegistry& registry);

}  // namespace joet::rpc
