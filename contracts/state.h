// Typed, deterministic access to the contracts' state: a KvStore (the committed state before the
// block) seen through this block's pending writes and the current tx's pending writes.
//
// Per-tx atomicity: every tx (and every fired deadline) runs between begin_tx() and either
// commit_tx(), which merges its writes and events into the block, or abort_tx(), which drops them. A
// refused tx therefore leaves no write and no event.
//
// Keys (ids are codes without '/', contracts/privacy.h, so no key of one table can be read as a key of another):
//   c/inst/<id>                    Institution
//   c/key/<32 key bytes>           Member
//   c/nonce/<32 key bytes>         be64 last nonce of the key as first signer
//   c/case/<id>                    Case
//   c/req/<case>/<request>         Request
//   c/doc/<case>/<32 hash bytes>   be64 height of anchoring
//   c/prof/<gi>/<professional>     Professional
//   c/aanw/<case>/<aanwijzing>     Aanwijzing
//   c/compl/<case>/<complaint>     Complaint
//   c/escal/<case>/<escalation>    Escalation
//   c/meta/policy                  PolicyParams
//   c/meta/institution_count       be64, the number of registered institutions (governance quorum)
//   c/gone/<id>                    be64 height at which institution.remove removed the id (never reused)
//   c/meta/next_validators         NextValidators: the last validator.update and its effective height
//   c/meta/rules                   RulesSchedule: the rules versions scheduled (contracts/rules.h)
//   c/dl/<be64 due'><be64 id>      Deadline; due' = due_ms with its sign bit flipped, so the queue
//                                  sorts by (due, id) also before 1970
//   c/meta/next_deadline_id        be64, the last id handed out
//   c/evseq/<recipient>            be64, the last event sequence number of the recipient
//   c/ev/<recipient>/<be64 seq>    Event
//   c/ack/<recipient>/<be64 seq>   be64 height of the acknowledgement
//   c/stat/<yyyymm>/<metric>/<institution>
//                                  be64, the number of distinct cases counted in this stuurinformatie
//                                  cell (contracts/statistics.h); yyyymm the Amsterdam civil month
//   c/statcase/<yyyymm>/<metric>/<institution>/<case>
//                                  be64 1: the case is counted in that cell (so it is counted once)
//   c/contact/<case>/<be32 n>      ContactRecord: the case's n-th contact.record, n from 0
//   c/inv/<case>/<invoice>         Invoice (cost.invoice, rules version 2)
//   c/cost/<yyyymm>/<gi>           CostCell: invoiced amounts for that month of the GI's cases
//   c/costcase/<yyyymm>/<gi>/<case> be64 1: the case is counted in that cost cell
//   c/period/<case>/<be32 n>       MeasurePeriod: the case's n-th ended measure, n from 0
// Values are protobuf messages of contracts/proto/contracts.proto in the deterministic encoding, or
// big-endian u64 where noted.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "contracts.pb.h"
#include "ledger/bytes.h"
#include "ledger/kv_store.h"

namespace joet {

namespace cv1 = ::joet::contracts::v1;

namespace state_keys {
Bytes institution(std::string_view id);
Bytes member(ByteView public_key);
Bytes nonce(ByteView public_key);
Bytes case_record(std::string_view case_id);
Bytes request(std::string_view case_id, std::string_view request_id);
Bytes document(std::string_view case_id, ByteView hash);
Bytes professional(std::string_view gi, std::string_view professional_id);
Bytes aanwijzing(std::string_view case_id, std::string_view aanwijzing_id);
Bytes complaint(std::string_view case_id, std::string_view complaint_id);
Bytes escalation(std::string_view case_id, std::string_view escalation_id);
Bytes policy();
Bytes institution_count();
Bytes institution_prefix();  // "c/inst/"
Bytes case_prefix();         // "c/case/"
Bytes removed_institution(std::string_view id);
Bytes next_validators();
Bytes rules_schedule();
Bytes deadline(int64_t due_ms, uint64_t id);
Bytes deadline_prefix();  // "c/dl/"
Bytes next_deadline_id();
Bytes event_seq(std::string_view recipient);
Bytes event(std::string_view recipient, uint64_t seq);
Bytes ack(std::string_view recipient, uint64_t seq);
Bytes stat(std::string_view yyyymm, std::string_view metric, std::string_view institution);
Bytes stat_case(std::string_view yyyymm, std::string_view metric, std::string_view institution,
                std::string_view case_id);
Bytes stat_prefix();    // "c/stat/"
Bytes invoice(std::string_view case_id, std::string_view invoice_id);
Bytes cost(std::string_view yyyymm, std::string_view gi);
Bytes cost_case(std::string_view yyyymm, std::string_view gi, std::string_view case_id);
Bytes cost_prefix();    // "c/cost/"
Bytes measure_period(std::string_view case_id, uint32_t n);
Bytes period_prefix();  // "c/period/"
Bytes contact(std::string_view case_id, uint32_t n);
}  // namespace state_keys

class ContractState {
 public:
  explicit ContractState(const KvStore& base);
  ContractState(const ContractState&) = delete;
  ContractState& operator=(const ContractState&) = delete;

  // Reads see the block's and the current tx's writes.
  Result<std::optional<Bytes>> get_raw(ByteView key) const;
  // nullopt when absent; kCorruption when the stored bytes do not parse.
  template <typename Msg>
  Result<std::optional<Msg>> get(ByteView key) const {
    auto raw = get_raw(key);
    if (!raw.ok()) return raw.error();
    if (!raw->has_value()) return std::optional<Msg>();
    Msg msg;
    if (!msg.ParseFromArray((*raw)->data(), static_cast<int>((*raw)->size()))) return corrupt(key);
    return std::optional<Msg>(std::move(msg));
  }
  Result<uint64_t> get_u64(ByteView key) const;  // 0 when absent

  // Writes go to the current tx (begin_tx must have been called).
  void put(ByteView key, const google::protobuf::MessageLite& value);
  void put_u64(ByteView key, uint64_t value);
  void del(ByteView key);
  void emit(cv1::Event event);  // staged with the tx

  void begin_tx();
  void commit_tx();
  void abort_tx();
  bool in_tx() const { return in_tx_; }

  // Visits the committed (pre-block) keys in [begin, end), ascending, until visit returns false.
  // It does not see this block's writes: callers re-read each key with get_raw().
  Status scan_committed(ByteView begin, ByteView end,
                        const std::function<bool(ByteView key, ByteView value)>& visit) const;

  // Visits every key starting with `prefix` as this tx sees it (committed, then this block's and this
  // tx's writes; deleted keys skipped), ascending, until visit returns false. Linear in the committed
  // keys under the prefix: for governance actions, not for case actions.
  Status scan_current(ByteView prefix, const std::function<bool(ByteView key, ByteView value)>& visit) const;

  const WriteBatch& block_writes() const { return block_batch_; }
  const WriteBatch& tx_writes() const { return tx_batch_; }  // the current staged unit's writes
  const std::vector<cv1::Event>& block_events() const { return block_events_; }

 private:
  static Error corrupt(ByteView key);

  const KvStore& base_;
  WriteBatch block_batch_;
  WriteBatch tx_batch_;
  OverlayReader block_view_;  // base + block
  OverlayReader tx_view_;     // base + block + tx
  std::vector<cv1::Event> block_events_;
  std::vector<cv1::Event> tx_events_;
  bool in_tx_ = false;
};

}  // namespace joet
