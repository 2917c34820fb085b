#include "contracts/state.h"

#include <algorithm>
#include <set>

#include "ledger/codec.h"

namespace joet {
namespace state_keys {
namespace {

Bytes with(std::string_view prefix, std::initializer_list<std::string_view> parts) {
  Bytes out = to_bytes(prefix);
  bool first = true;
  for (std::string_view p : parts) {
    JOET_ASSERT(p.find('/') == std::string_view::npos);
    if (!first) out.push_back('/');
    first = false;
    out.insert(out.end(), p.begin(), p.end());
  }
  return out;
}

void append(Bytes& out, ByteView b) { out.insert(out.end(), b.begin(), b.end()); }

}  // namespace

Bytes institution(std::string_view id) { return with("c/inst/", {id}); }
Bytes case_record(std::string_view case_id) { return with("c/case/", {case_id}); }
Bytes request(std::string_view case_id, std::string_view request_id) {
  return with("c/req/", {case_id, request_id});
}
Bytes event_seq(std::string_view recipient) { return with("c/evseq/", {recipient}); }
Bytes professional(std::string_view gi, std::string_view professional_id) {
  return with("c/prof/", {gi, professional_id});
}
Bytes aanwijzing(std::string_view case_id, std::string_view aanwijzing_id) {
  return with("c/aanw/", {case_id, aanwijzing_id});
}
Bytes complaint(std::string_view case_id, std::string_view complaint_id) {
  return with("c/compl/", {case_id, complaint_id});
}
Bytes escalation(std::string_view case_id, std::string_view escalation_id) {
  return with("c/escal/", {case_id, escalation_id});
}
Bytes policy() { return to_bytes("c/meta/policy"); }
Bytes institution_count() { return to_bytes("c/meta/institution_count"); }
Bytes institution_prefix() { return to_bytes("c/inst/"); }
Bytes case_prefix() { return to_bytes("c/case/"); }
Bytes removed_institution(std::string_view id) { return with("c/gone/", {id}); }
Bytes next_validators() { return to_bytes("c/meta/next_validators"); }
Bytes rules_schedule() { return to_bytes("c/meta/rules"); }

Bytes member(ByteView public_key) {
  JOET_ASSERT(public_key.size() == 32);
  Bytes out = to_bytes("c/key/");
  append(out, public_key);
  return out;
}

Bytes nonce(ByteView public_key) {
  JOET_ASSERT(public_key.size() == 32);
  Bytes out = to_bytes("c/nonce/");
  append(out, public_key);
  return out;
}

Bytes document(std::string_view case_id, ByteView hash) {
  JOET_ASSERT(hash.size() == 32);
  Bytes out = with("c/doc/", {case_id});
  out.push_back('/');
  append(out, hash);
  return out;
}

Bytes deadline_prefix() { return to_bytes("c/dl/"); }

Bytes deadline(int64_t due_ms, uint64_t id) {
  Bytes out = deadline_prefix();
  put_u64_be(out, static_cast<uint64_t>(due_ms) ^ (uint64_t{1} << 63));
  put_u64_be(out, id);
  return out;
}

Bytes next_deadline_id() { return to_bytes("c/meta/next_deadline_id"); }

Bytes event(std::string_view recipient, uint64_t seq) {
  Bytes out = with("c/ev/", {recipient});
  out.push_back('/');
  put_u64_be(out, seq);
  return out;
}

Bytes ack(std::string_view recipient, uint64_t seq) {
  Bytes out = with("c/ack/", {recipient});
  out.push_back('/');
  put_u64_be(out, seq);
  return out;
}

Bytes stat(std::string_view yyyymm, std::string_view metric, std::string_view institution) {
  return with("c/stat/", {yyyymm, metric, institution});
}

Bytes stat_case(std::string_view yyyymm, std::string_view metric, std::string_view institution,
                std::string_view case_id) {
  return with("c/statcase/", {yyyymm, metric, institution, case_id});
}

Bytes stat_prefix() { return to_bytes("c/stat/"); }

Bytes invoice(std::string_view case_id, std::string_view invoice_id) { return with("c/inv/", {case_id, invoice_id}); }
Bytes cost(std::string_view yyyymm, std::string_view gi) { return with("c/cost/", {yyyymm, gi}); }
Bytes cost_case(std::string_view yyyymm, std::string_view gi, std::string_view case_id) {
  return with("c/costcase/", {yyyymm, gi, case_id});
}
Bytes cost_prefix() { return to_bytes("c/cost/"); }

// "<prefix><case>/<be32 n>": the n-th record of a case, in order.
static Bytes case_sequence(std::string_view prefix, std::string_view case_id, uint32_t n) {
  Bytes out = with(prefix, {case_id});
  out.push_back('/');
  out.push_back(static_cast<uint8_t>(n >> 24));
  out.push_back(static_cast<uint8_t>(n >> 16));
  out.push_back(static_cast<uint8_t>(n >> 8));
  out.push_back(static_cast<uint8_t>(n));
  return out;
}

Bytes measure_period(std::string_view case_id, uint32_t n) { return case_sequence("c/period/", case_id, n); }
Bytes contact(std::string_view case_id, uint32_t n) { return case_sequence("c/contact/", case_id, n); }

Bytes period_prefix() { return to_bytes("c/period/"); }

}  // namespace state_keys

ContractState::ContractState(const KvStore& base)
    : base_(base), block_view_(base_, block_batch_), tx_view_(block_view_, tx_batch_) {}

Result<std::optional<Bytes>> ContractState::get_raw(ByteView key) const { return tx_view_.get(key); }

Result<uint64_t> ContractState::get_u64(ByteView key) const {
  auto raw = get_raw(key);
  if (!raw.ok()) return raw.error();
  if (!raw->has_value()) return uint64_t{0};
  if ((*raw)->size() != 8) return corrupt(key);
  return get_u64_be((*raw)->data());
}

void ContractState::put(ByteView key, const google::protobuf::MessageLite& value) {
  JOET_ASSERT(in_tx_);
  tx_batch_.put(key, encode(value));
}

void ContractState::put_u64(ByteView key, uint64_t value) {
  JOET_ASSERT(in_tx_);
  Bytes v;
  put_u64_be(v, value);
  tx_batch_.put(key, v);
}

void ContractState::del(ByteView key) {
  JOET_ASSERT(in_tx_);
  tx_batch_.del(key);
}

void ContractState::emit(cv1::Event event) {
  JOET_ASSERT(in_tx_);
  tx_events_.push_back(std::move(event));
}

void ContractState::begin_tx() {
  JOET_ASSERT(!in_tx_);
  JOET_ASSERT(tx_batch_.empty() && tx_events_.empty());
  in_tx_ = true;
}

void ContractState::commit_tx() {
  JOET_ASSERT(in_tx_);
  for (const auto& [key, value] : tx_batch_.ops()) {
    if (value.has_value()) {
      block_batch_.put(key, *value);
    } else {
      block_batch_.del(key);
    }
  }
  for (auto& e : tx_events_) block_events_.push_back(std::move(e));
  tx_batch_.clear();
  tx_events_.clear();
  in_tx_ = false;
}

void ContractState::abort_tx() {
  JOET_ASSERT(in_tx_);
  tx_batch_.clear();
  tx_events_.clear();
  in_tx_ = false;
}

Status ContractState::scan_committed(ByteView begin, ByteView end,
                                     const std::function<bool(ByteView, ByteView)>& visit) const {
  return base_.scan(begin, end, visit);
}

Status ContractState::scan_current(ByteView prefix,
                                   const std::function<bool(ByteView, ByteView)>& visit) const {
  const auto has_prefix = [&](const Bytes& k) {
    return k.size() >= prefix.size() && std::equal(prefix.begin(), prefix.end(), k.begin());
  };
  JOET_ASSERT(!prefix.empty() && prefix.back() == '/');
  Bytes end(prefix.begin(), prefix.end());
  end.back() = '/' + 1;  // every key of the table sorts below the prefix with its '/' raised
  std::set<Bytes> keys;
  Status scanned = base_.scan(prefix, end, [&](ByteView k, ByteView) {
    keys.emplace(k.begin(), k.end());
    return true;
  });
  if (!scanned.ok()) return scanned;
  for (const WriteBatch* b : {&block_batch_, &tx_batch_}) {
    for (auto it = b->ops().lower_bound(Bytes(prefix.begin(), prefix.end())); it != b->ops().end() && has_prefix(it->first);
         ++it) {
      keys.insert(it->first);
    }
  }
  for (const Bytes& k : keys) {
    auto value = get_raw(k);
    if (!value.ok()) return value.error();
    if (!value->has_value()) continue;
    if (!visit(k, **value)) break;
  }
  return Status();
}

Error ContractState::corrupt(ByteView key) {
  return make_error(ErrorCode::kCorruption, "contract state: value does not parse at key " + to_hex(key));
}

}  // namespace joet
