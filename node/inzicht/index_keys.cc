#include "node/inzicht/index_keys.h"

#include "ledger/status.h"

namespace joet::inzicht::index_keys {
namespace {

Bytes with(std::string_view head) { return to_bytes(head); }

void append(Bytes& out, std::string_view text) { out.insert(out.end(), text.begin(), text.end()); }

void put_u32(Bytes& out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<uint8_t>(v >> shift));
}

Bytes month_key(std::string_view head, int64_t month) {
  JOET_ASSERT(month >= 0 && month <= UINT32_MAX);
  Bytes k = with(head);
  put_u32(k, static_cast<uint32_t>(month));
  return k;
}

constexpr size_t kHeadSize = 5;  // "Irun/", "Iend/", "Iasg/", "Icst/"

}  // namespace

Bytes version() { return with("Iversion"); }

Bytes running_month(int64_t month) { return month_key("Irun/", month); }
Bytes running(int64_t month, std::string_view kind, std::string_view gi) {
  Bytes k = running_month(month);
  append(k, kind);
  k.push_back('/');
  append(k, gi);
  return k;
}
Bytes ended_month(int64_t month) { return month_key("Iend/", month); }
Bytes ended(int64_t month, std::string_view kind) {
  Bytes k = ended_month(month);
  append(k, kind);
  return k;
}
Bytes assignment_month(int64_t month) { return month_key("Iasg/", month); }
Bytes assignment(int64_t month, std::string_view gi) {
  Bytes k = assignment_month(month);
  append(k, gi);
  return k;
}

Bytes projected_cost_month(int64_t month) { return month_key("Icst/", month); }
Bytes projected_cost(int64_t month, std::string_view gi) {
  Bytes k = projected_cost_month(month);
  append(k, gi);
  return k;
}

Bytes deadline(std::string_view institution, ByteView deadline_suffix) {
  JOET_ASSERT(deadline_suffix.size() == 16);
  Bytes k = with("Idl/");
  append(k, institution);
  k.push_back('/');
  k.insert(k.end(), deadline_suffix.begin(), deadline_suffix.end());
  return k;
}
Bytes deadline_at(std::string_view institution, int64_t due_ms) {
  Bytes k = with("Idl/");
  append(k, institution);
  k.push_back('/');
  put_u64_be(k, static_cast<uint64_t>(due_ms) ^ (uint64_t{1} << 63));
  return k;
}
Bytes case_deadlines(std::string_view case_id) {
  Bytes k = with("Idlcase/");
  append(k, case_id);
  k.push_back('/');
  return k;
}
Bytes case_deadline(std::string_view case_id, ByteView deadline_suffix) {
  JOET_ASSERT(deadline_suffix.size() == 16);
  Bytes k = case_deadlines(case_id);
  k.insert(k.end(), deadline_suffix.begin(), deadline_suffix.end());
  return k;
}
Bytes timeline_of(std::string_view case_id) {
  Bytes k = with("Itl/");
  append(k, case_id);
  k.push_back('/');
  return k;
}
Bytes timeline(std::string_view case_id, uint64_t height, uint32_t slot, uint32_t n) {
  Bytes k = timeline_of(case_id);
  put_u64_be(k, height);
  put_u32(k, slot);
  put_u32(k, n);
  return k;
}
Bytes gi_loads(std::string_view gi) {
  Bytes k = with("Iload/gi/");
  append(k, gi);
  k.push_back('/');
  return k;
}
Bytes gi_load(std::string_view gi, std::string_view professional) {
  Bytes k = gi_loads(gi);
  append(k, professional);
  return k;
}
Bytes municipality_loads(std::string_view municipality) {
  Bytes k = with("Iload/mun/");
  append(k, municipality);
  k.push_back('/');
  return k;
}
Bytes municipality_load(std::string_view municipality, std::string_view gi, bool assigned) {
  Bytes k = municipality_loads(municipality);
  append(k, gi);
  k.push_back('/');
  k.push_back(assigned ? '1' : '0');
  return k;
}
Bytes pending_requests() { return with("Ireq/"); }
Bytes pending_request(std::string_view case_id, std::string_view request_id) {
  Bytes k = pending_requests();
  append(k, case_id);
  k.push_back('/');
  append(k, request_id);
  return k;
}
Bytes all() { return with("I"); }

Bytes prefix_end(Bytes prefix) {
  JOET_ASSERT(!prefix.empty() && prefix.back() != 0xFF);
  ++prefix.back();
  return prefix;
}

int64_t month_of(ByteView key) {
  JOET_ASSERT(key.size() >= kHeadSize + 4);
  uint32_t v = 0;
  for (size_t i = 0; i < 4; ++i) v = (v << 8) | key[kHeadSize + i];
  return v;
}

std::string after_month(ByteView key) {
  JOET_ASSERT(key.size() >= kHeadSize + 4);
  return std::string(key.begin() + kHeadSize + 4, key.end());
}

Bytes encode_amount(const Amount& a) {
  Bytes out;
  put_u64_be(out, a.cases);
  put_u64_be(out, static_cast<uint64_t>(a.cents));
  return out;
}

std::optional<Amount> decode_amount(ByteView bytes) {
  if (bytes.size() != 16) return std::nullopt;
  return Amount{get_u64_be(bytes.data()), static_cast<int64_t>(get_u64_be(bytes.data() + 8))};
}

Bytes encode_histogram(const Histogram& h) {
  Bytes out;
  put_u64_be(out, h.cases);
  for (const auto& [days, count] : h.days) {
    put_u64_be(out, static_cast<uint64_t>(days));
    put_u64_be(out, count);
  }
  return out;
}

std::optional<Histogram> decode_histogram(ByteView bytes) {
  if (bytes.size() < 8 || (bytes.size() - 8) % 16 != 0) return std::nullopt;
  Histogram h;
  h.cases = get_u64_be(bytes.data());
  std::optional<int64_t> last;
  for (size_t at = 8; at < bytes.size(); at += 16) {
    const auto days = static_cast<int64_t>(get_u64_be(bytes.data() + at));
    const uint64_t count = get_u64_be(bytes.data() + at + 8);
    if (days < 0 || count == 0 || (last && days <= *last)) return std::nullopt;
    h.days.emplace(days, count);
    last = days;
  }
  return h;
}

}  // namespace joet::inzicht::index_keys
