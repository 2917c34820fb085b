// The node as the RPC server sees it: a narrow interface the daemon implements (over its mempool,
// block store, event index, peer table and metrics), and a fake implements in the tests. The server
// (node/rpc/server.h) knows HTTP and JSON; the backend knows the ledger. Nothing here does I/O.
//
// Threading: the server calls every method on its one io_context thread, one call at a time, and
// waits for the answer. So each call must be quick (an index lookup, a mempool admission); a backend
// that needs longer must post the work to its own thread and answer from a cache, or the whole RPC
// (every connection) stalls meanwhile. The one exception is the events listener: the backend may call
// it from any thread (see set_events_listener).
//
// Access control: the server passes every routed request through authorize() before it calls any
// other method. The server enforces nothing itself: the policy of ARCHITECTURE.md (case data only for
// requests signed with a registered member key, auditors read everything, the recipient of an events
// query must be the signer's institution) is the daemon's to implement in authorize(): it answers with
// decide_access (node/rpc/access_policy.h). A backend that answers kAllow to everything (the test
// backends) runs an open RPC.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "contracts.pb.h"
#include "joet.pb.h"
#include "ledger/bytes.h"
#include "contracts/quickscan.h"
#include "contracts/stuurinformatie.h"
#include "ledger/status.h"
#include "node/inzicht/index_queries.h"

namespace joet::rpc {

// What authorize() sees of a request. Header names are lower case, in the order they came.
struct RequestMeta {
  std::string method;        // "GET", "POST"
  std::string route;         // the route template that matched, e.g. "/v1/events", "/v1/txs/{tx_id}"
  std::string target;        // the request target as sent: path and query
  std::string remote;        // "address:port" of the client
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;          // the request body (empty for GET)
  std::string recipient;     // the institution read for: GET /v1/events recipient, the Inzicht routes' institution; else empty
};

struct Authorization {
  enum class Verdict : uint8_t {
    kAllow,
    kUnauthenticated,  // no or bad credentials: 401 UNAUTHENTICATED
    kForbidden,        // valid credentials that may not read this: 403 FORBIDDEN
  };
  Verdict verdict = Verdict::kAllow;
  std::string message;  // shown to the client in the error body

  static Authorization allow() { return {}; }
};

// The mempool's answer to a submitted tx (node/app/mempool.h AdmitVerdict, in the RPC's terms).
struct TxAdmission {
  Hash32 tx_id{};
  bool admitted = false;
  std::string code;       // when refused: MALFORMED, BAD_SIGNATURE, WRONG_CHAIN, DUPLICATE_TX, ...,
                          // or the contract's code (BAD_NONCE, NOT_AUTHORIZED, DUPLICATE, ...)
  std::string message;
  bool retry_later = false;  // refused for load (MEMPOOL_FULL, SENDER_LIMIT): 503, not 422
};

struct TxStatus {
  enum class State : uint8_t { kUnknown, kPending, kCommitted };
  State state = State::kUnknown;
  uint64_t height = 0;       // kCommitted: the block that holds it
  uint32_t index = 0;        // kCommitted: its position in the block's txs
  std::string result_code;   // kCommitted: "OK" or the contract's refusal code
  std::string result_message;
};

struct PeerInfo {
  std::string id;            // the peer's key, hex
  std::string address;       // "host:port"
  uint64_t height = 0;       // the height it last reported
};

struct NodeStatus {
  std::string chain_id;
  uint64_t height = 0;       // the tip; 0 before block 1
  Hash32 tip_hash{};         // zero at height 0
  uint64_t time_ms = 0;      // the tip header's time_ms (UTC ms since the epoch); 0 at height 0
  uint32_t rules_version = 0;
  std::vector<PeerInfo> peers;
  bool catching_up = false;  // block sync is fetching certified blocks from peers
  // The integer policy parameters in force for the next block (contracts/policy.h, by name), so that a
  // page states the norms the contracts apply; empty when the backend does not know.
  std::vector<std::pair<std::string, int64_t>> policy;
};

// Events of one recipient with seq > after, ascending by seq, at most `limit` of them.
struct EventPage {
  std::vector<contracts::v1::Event> events;
  // Per event, the height of its notification.ack (0: not acknowledged). Empty when the backend does
  // not know; then the answer has no "acked" fields.
  std::vector<uint64_t> acked_heights;
  // The recipient's latest sequence number (0: none yet), so that a reader can start near the newest;
  // nullopt when the backend does not know (then the answer has no "last").
  std::optional<uint64_t> last_seq;
};

// One sample the backend reports for /metrics (Prometheus text exposition 0.0.4).
struct Metric {
  enum class Type : uint8_t { kCounter, kGauge };
  std::string name;          // [a-zA-Z_:][a-zA-Z0-9_:]*; the server skips (and logs) others
  std::string help;
  Type type = Type::kGauge;
  std::vector<std::pair<std::string, std::string>> labels;
  double value = 0;
};

// Called by the backend when events were committed. `recipient` names the one whose stream grew;
// empty means "any" (e.g. after a block with events for many). Thread-safe: call it from any thread.
using EventsListener = std::function<void(std::string_view recipient)>;

class RpcBackend {
 public:
  virtual ~RpcBackend() = default;

  // Every routed request, before its handler (see the top of this file). Must be quick.
  virtual Authorization authorize(const RequestMeta& meta) = 0;

  // POST /v1/txs. `tx` was decoded from `tx_bytes` with decode_signed_tx (canonical, bounded, the
  // lengths of keys and signatures checked); signatures are not verified yet. An Error means the
  // node cannot admit anything now (halted, store failed): 503 UNAVAILABLE.
  virtual Result<TxAdmission> submit_tx(const v1::SignedTx& tx, ByteView tx_bytes) = 0;

  // GET /v1/txs/{tx_id}. Never kNotFound: an unknown id is State::kUnknown.
  virtual Result<TxStatus> tx_status(const Hash32& tx_id) = 0;

  // GET /v1/status.
  virtual Result<NodeStatus> status() = 0;

  // GET /v1/blocks/{height}[/raw]: the serialized StoredBlock (ledger/proto/joet.proto) as the block
  // store keeps it; nullopt when there is no block at `height`. Bytes that do not decode are a 500.
  virtual Result<std::optional<Bytes>> stored_block(uint64_t height) = 0;

  // GET /v1/events: see EventPage. 1 <= limit <= the server's max_events_limit.
  virtual Result<EventPage> events(std::string_view recipient, uint64_t after, size_t limit) = 0;

  // The subscribe/notify hook of the long-poll. The server sets a listener when it starts and an
  // empty function when it stops; the backend keeps the latest one and calls it after each commit
  // that emitted events. Calling a listener after the server stopped is harmless.
  virtual void set_events_listener(EventsListener listener) = 0;

  // GET /metrics: the node's own counters and gauges (height, mempool size, peers, ...).
  virtual std::vector<Metric> metrics() = 0;

  // GET /v1/validators/{height}: the validator set that certifies `height` (the one whose hash
  // header(height).validator_set_hash is; for tip + 1, the tip's next_validator_set_hash); nullopt
  // when the node does not know it. The default (a backend without proofs) is kUnsupported: 501.
  virtual Result<std::optional<v1::ValidatorSet>> validator_set(uint64_t height) {
    (void)height;
    return make_error(ErrorCode::kUnsupported, "this node serves no validator sets");
  }

  // GET /v1/keys/{public_key}/nonce: the last nonce the key used (committed) and its txs pending in
  // this node's mempool, so a case system can pick the next nonce after a restart. Default: 501.
  struct KeyNonce {
    uint64_t last_used = 0;                       // committed; 0: none yet
    size_t pending = 0;                           // txs of the key in this node's mempool
    std::optional<uint64_t> highest_pending;      // their highest nonce
    uint64_t next = 1;                            // the nonce to sign the key's next tx with
    uint64_t max_accepted = 0;                    // the node refuses higher ones at admission
  };
  virtual Result<KeyNonce> key_nonce(const Hash32& public_key) {
    (void)public_key;
    return make_error(ErrorCode::kUnsupported, "this node serves no nonces");
  }

  // GET /v1/state/{key_hex}, /v1/cases/{case_id}: the inclusion or non-inclusion proof of `key` in
  // the state tree whose root is `state_root` (a certified header's state_root; the handler chose the
  // header). kNotFound when the node does not hold that root. Default: kUnsupported (501).
  virtual Result<v1::StateProof> prove_state(const Hash32& state_root, ByteView key) {
    (void)state_root;
    (void)key;
    return make_error(ErrorCode::kUnsupported, "this node serves no state proofs");
  }

  // The Inzicht routes (docs/rpc.md "Inzicht"), from the node's dashboard index and the stuurinformatie
  // facts in state (node/inzicht/index_queries.h has what each answers). The handler has checked the
  // arguments (a month range check_month_range accepts, code-charset ids, 1 <= limit). Default: 501.
  virtual Result<Stuurinformatie> stuurinformatie(const CivilMonth& from, const CivilMonth& to) {
    (void)from;
    (void)to;
    return make_error(ErrorCode::kUnsupported, "this node serves no stuurinformatie");
  }
  virtual Result<std::vector<std::string>> cell_cases(const CivilMonth& month, std::string_view metric,
                                                      std::string_view institution) {
    (void)month;
    (void)metric;
    (void)institution;
    return make_error(ErrorCode::kUnsupported, "this node serves no stuurinformatie");
  }
  // case_id "" = every case of the institution.
  virtual Result<inzicht::DeadlinePage> pending_deadlines(std::string_view institution, std::string_view case_id,
                                                         int64_t from_ms, int64_t to_ms, size_t limit) {
    (void)institution;
    (void)case_id;
    (void)from_ms;
    (void)to_ms;
    (void)limit;
    return make_error(ErrorCode::kUnsupported, "this node serves no deadlines");
  }
  virtual Result<inzicht::TimelinePage> case_timeline(std::string_view case_id, size_t skip, size_t limit) {
    (void)case_id;
    (void)skip;
    (void)limit;
    return make_error(ErrorCode::kUnsupported, "this node serves no case timelines");
  }
  // GET /v1/cases/{case_id}/quickscan and /explanation: the case's records, policy and rules version in
  // the state of `at` (the tip the handler read; contracts/quickscan.h read_case); nullopt for an unknown
  // case. The routes compute the quickscan and the explanation from it.
  virtual Result<std::optional<CaseReading>> case_reading(std::string_view case_id, const NodeStatus& at) {
    (void)case_id;
    (void)at;
    return make_error(ErrorCode::kUnsupported, "this node serves no case readings");
  }
  virtual Result<inzicht::Caseload> caseload(std::string_view institution) {
    (void)institution;
    return make_error(ErrorCode::kUnsupported, "this node serves no case load");
  }
  virtual Result<inzicht::RequestPage> pending_requests(std::string_view institution, size_t limit) {
    (void)institution;
    (void)limit;
    return make_error(ErrorCode::kUnsupported, "this node serves no pending requests");
  }
};

}  // namespace joet::rpc
