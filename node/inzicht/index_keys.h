// The key layout of the dashboard index (node/inzicht/dashboard_index.h), shared by its writer and its
// queries, and the encoding of a histogram cell.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "ledger/bytes.h"

namespace joet::inzicht::index_keys {

Bytes version();                                              // "Iversion"
Bytes running(int64_t month, std::string_view kind, std::string_view gi);
Bytes running_month(int64_t month);                           // "Irun/" be32(month): the month's cells follow
Bytes ended(int64_t month, std::string_view kind);
Bytes ended_month(int64_t month);
Bytes assignment(int64_t month, std::string_view gi);
Bytes assignment_month(int64_t month);
Bytes projected_cost(int64_t month, std::string_view gi);    // "Icst/" be32(month) gi
Bytes projected_cost_month(int64_t month);
// `deadline_suffix` is the 16 bytes after "c/dl/" (due', id).
Bytes deadline(std::string_view institution, ByteView deadline_suffix);
Bytes deadline_at(std::string_view institution, int64_t due_ms);  // the first key due at or after due_ms
Bytes case_deadline(std::string_view case_id, ByteView deadline_suffix);
Bytes case_deadlines(std::string_view case_id);              // "Idlcase/" case "/"
Bytes timeline(std::string_view case_id, uint64_t height, uint32_t slot, uint32_t n);
Bytes timeline_of(std::string_view case_id);                  // "Itl/" case "/"
// Case load now: running OTS / VOTS per GI and jeugdbeschermer ("" for none), and per municipality, GI
// and whether a jeugdbeschermer is assigned.
Bytes gi_load(std::string_view gi, std::string_view professional);
Bytes gi_loads(std::string_view gi);                          // "Iload/gi/" gi "/"
Bytes municipality_load(std::string_view municipality, std::string_view gi, bool assigned);
Bytes municipality_loads(std::string_view municipality);      // "Iload/mun/" municipality "/"
// Requests not decided yet.
Bytes pending_request(std::string_view case_id, std::string_view request_id);
Bytes pending_requests();                                     // "Ireq/"
Bytes all();                                                  // "I": every index key starts with it

// The key that follows every key starting with `prefix` (prefix with its last byte raised; the prefix
// ends in '/' or a be32, never 0xFF-terminated in this layout).
Bytes prefix_end(Bytes prefix);
// The month index in a "Irun/", "Iend/", "Iasg/" or "Icst/" key.
int64_t month_of(ByteView key);
// The rest of a cell key after its be32 month.
std::string after_month(ByteView key);

// An amount cell: distinct cases and the sum of their euro cents, be64 each.
struct Amount {
  uint64_t cases = 0;
  int64_t cents = 0;
};
Bytes encode_amount(const Amount& a);
std::optional<Amount> decode_amount(ByteView bytes);  // nullopt: not 16 bytes

// A histogram cell: distinct cases, and measures per number of days.
struct Histogram {
  uint64_t cases = 0;
  std::map<int64_t, uint64_t> days;
};
Bytes encode_histogram(const Histogram& h);
std::optional<Histogram> decode_histogram(ByteView bytes);  // nullopt: does not parse

}  // namespace joet::inzicht::index_keys
