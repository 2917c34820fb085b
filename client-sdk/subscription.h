// Notifications for one recipient from a cursor, with no event lost across reconnects
// (ARCHITECTURE.md client-sdk: "subscribe to notifications from a cursor").
//
// The node numbers each recipient's events 1, 2, 3, ... in consensus (every node the same), and
// GET /v1/events?recipient=X&after=N long-polls for the ones after N (docs/rpc.md). A Subscription
// keeps N: it hands each event to the handler in order, advances N past it only when the handler
// succeeded, and hands the new N to `save_cursor` after each page. So a crash or a lost connection
// delivers nothing twice that was saved and skips nothing: delivery is at least once, and a handler
// must treat (recipient, seq) as its idempotency key. A page whose seqs do not continue the cursor
// (a gap, a repeat, another recipient) is refused as kCorruption rather than skipped. The cursor is
// valid on every node of the chain, so the subscription moves to the next address when one fails.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "client-sdk/http_client.h"
#include "ledger/status.h"

namespace joet::sdk {

struct Event {
  std::string recipient;
  uint64_t seq = 0;
  uint64_t height = 0;
  std::string kind;        // e.g. MEASURE_GRANTED, DEADLINE_MISSED (docs/contracts.md)
  std::string case_id;
  nlohmann::json fields;   // the event as the node sent it (detail, tx_id, deadline_id, measure, ...)
};

// Parses a GET /v1/events answer asked with `after` for `recipient`: the events must be that
// recipient's seqs after+1, after+2, ... and `next` the last of them (or `after` when none).
// kMalformed for JSON that is not such a page, kCorruption for a gap, repeat or foreign event.
Result<std::vector<Event>> parse_event_page(std::string_view body, std::string_view recipient, uint64_t after);

struct SubscriptionConfig {
  std::vector<std::string> rpc;          // HOST:PORT of one or more nodes, tried in turn
  std::string recipient;                 // an institution id
  std::optional<RequestSigner> signer;   // a member key of `recipient` (or of an auditor)
  uint32_t wait_ms = 25'000;             // long-poll wait per request (the node caps it at 30 s)
  uint32_t limit = 100;                  // events per page (1..1000)
  uint64_t retry_min_ms = 200;           // back-off after a failed request, doubling per failure
  uint64_t retry_max_ms = 10'000;
};

// A handler's non-ok Status stops the subscription with that status; the event is not passed.
using EventHandler = std::function<Status(const Event&)>;
// Called with the new cursor after each page whose events were all handled. Not ok: stop.
using CursorSaver = std::function<Status(uint64_t cursor)>;

class Subscription {
 public:
  Subscription(SubscriptionConfig config, uint64_t cursor);

  // One request to the current node: the events after the cursor (waiting up to wait_ms when none),
  // each handed to `handler`, then the cursor saved. Returns how many were handled. Errors: kIoError
  // (no answer; the next call asks the next node), kInvalidArgument (the node refused the request:
  // 4xx, e.g. 401/403, with its code and message), kMalformed/kCorruption (the page), or the
  // handler's or saver's error.
  Result<size_t> poll_once(const EventHandler& handler, const CursorSaver& save_cursor = {});

  // Polls until `keep_going` says no (checked before each request), retrying kIoError and 5xx answers
  // with back-off across the nodes; any other error stops it and is returned. `sleep_ms` is how it
  // waits between retries (tests pass their own).
  Status run(const EventHandler& handler, const CursorSaver& save_cursor, const std::function<bool()>& keep_going,
             const std::function<void(uint64_t ms)>& sleep_ms);

  uint64_t cursor() const { return cursor_; }
  const std::string& current_node() const { return config_.rpc[node_]; }
  uint64_t failures() const { return failures_; }  // requests that failed since the last success
  // Whether the last poll_once error was the node's (no answer, 5xx): worth retrying elsewhere.
  bool last_error_retryable() const { return retryable_; }
  // The wait before the next retry: retry_min_ms doubled per failure in a row, at most retry_max_ms.
  uint64_t backoff_ms() const;

 private:
  SubscriptionConfig config_;
  uint64_t cursor_;
  size_t node_ = 0;
  uint64_t failures_ = 0;
  bool retryable_ = false;  // the last poll_once error may be retried
};

// The cursor on disk: one decimal number in a file, replaced atomically (write, fsync, rename). A
// missing file is cursor 0. kMalformed for a file that holds anything else.
Result<uint64_t> load_cursor(const std::string& path);
Status save_cursor(const std::string& path, uint64_t cursor);

}  // namespace joet::sdk
