// The legal quickscan of one case (issue 11): a checklist of what the law and the sector's norms ask
// of the measures on the case, each item with its legal basis and whether it is met, violated,
// pending (still in time, until a due date) or not applicable, computed from the case's records in
// state and the time of that state alone. Deterministic: the same records and time give the same
// list, in the same order, on a node, in the SDK or in an auditor's tool.
//
// How the state tells: an action that satisfies a deadline cancels it, and a deadline that fires was
// missed and leaves the records (contracts/deadlines.h). So for a deadline-backed duty: its flag set
// (plan filed, placement, hearing, answer, ...) is MET; its deadline still referred to is PENDING,
// due on that deadline's day; neither is VIOLATED (it fired). What ran while a measure that has since
// ended was running is not in its record any more: for an ended measure the list keeps what the record
// still proves (grounds, term, how it ended) and the case's events tell the rest.
//
// Dates are civil days (days since 1970-01-01, Europe/Amsterdam) as the records keep them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "contracts.pb.h"
#include "contracts/tx_context.h"
#include "ledger/kv_store.h"
#include "ledger/status.h"

namespace joet {

enum class CheckStatus : uint8_t { kMet, kViolated, kPending, kNotApplicable };
std::string_view check_status_name(CheckStatus status);  // MET, VIOLATED, PENDING, NOT_APPLICABLE

struct QuickscanItem {
  std::string check;        // GROUNDS_STATED, TERM_WITHIN_MAXIMUM, ... (docs/contracts.md "Quickscan")
  std::string subject;      // OTS, VOTS, UHP, "aanwijzing <id>", "complaint <id>", "escalation <id>",
                            // "request <id>", or "case"
  std::string legal_basis;  // e.g. "BW 1:265c lid 3"; a sector norm names its policy parameter
  CheckStatus status = CheckStatus::kNotApplicable;
  // MET: when; PENDING and VIOLATED: the day the duty falls due, at 00:00 (the first day that is too
  // late: act before it), when known.
  std::optional<int64_t> day;
  uint64_t deadline_id = 0;    // PENDING: the queued deadline that will fire if nothing happens
  std::string detail;          // a code: why, or which (e.g. Q3, SKJ_EXPIRED, NON_EXTENSION_GIVEN)

  friend bool operator==(const QuickscanItem&, const QuickscanItem&) = default;
};

// What the quickscan reads of one case: its record and the records under it, in key order.
struct CaseRecords {
  cv1::Case record;
  std::vector<cv1::Request> requests;
  std::vector<cv1::Aanwijzing> aanwijzingen;
  std::vector<cv1::Complaint> complaints;
  std::vector<cv1::Escalation> escalations;
  std::optional<cv1::Professional> jeugdbeschermer;  // the assigned professional's registration
  // The OTS's D-PLAN fired (its PLAN_MISSED fact for the case's GI in the month it was due): a plan
  // filed after it was late.
  bool plan_missed = false;
};

// The records of `case_id` in `state`; nullopt when there is no such case. `policy` dates the plan
// deadline whose fact is looked up. Store errors and records that do not decode (kCorruption) are
// errors.
Result<std::optional<CaseRecords>> read_case_records(const KvStore& state, std::string_view case_id,
                                                     const Policy& policy = Policy{});

// The checklist of `records` on the civil day of `at_ms` (the time of the block after which the state
// is read), under `policy` and the statute in force.
std::vector<QuickscanItem> quickscan(const CaseRecords& records, const Policy& policy, const Statute& statute,
                                     int64_t at_ms);

// Whether `key` is one of the case `record`'s records in a case extract: the keys read_case_records
// reads (its requests, aanwijzingen, complaints and escalations, its jeugdbeschermer's registration, its
// PLAN_MISSED facts, the policy and the rules schedule), and an event c/ev/<recipient>/<seq> whose
// proven `value` is an Event about this case (an event key is judged by its value: nullptr or absent
// is no). The node lets a case's parties prove exactly these (GET /v1/cases/{case_id}/state/{key_hex}).
bool is_case_reading_key(const cv1::Case& record, ByteView key, const std::string* value = nullptr);

// A case as the state after block `height` has it: its records, the policy and the rules version in
// force. nullopt: no such case. kUnsupported for a rules version this build lacks.
struct CaseReading {
  CaseRecords records;
  Policy policy;
  const Statute* statute = nullptr;
};
Result<std::optional<CaseReading>> read_case(const KvStore& state, std::string_view case_id, uint64_t height);


}  // namespace joet
