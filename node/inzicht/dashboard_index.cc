#include "node/inzicht/dashboard_index.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "contracts/case_parties.h"
#include "contracts/state.h"
#include "contracts/stuurinformatie.h"
#include "ledger/block.h"
#include "ledger/codec.h"
#include "node/inzicht/index_keys.h"

namespace joet::inzicht {
namespace {

namespace cv1 = contracts::v1;
namespace keys = index_keys;

Error corrupt(const std::string& what, ByteView key) {
  return make_error(ErrorCode::kCorruption, "dashboard index: " + what + " at key " + to_hex(key));
}

bool starts_with(ByteView key, const Bytes& prefix) {
  return key.size() >= prefix.size() && std::equal(prefix.begin(), prefix.end(), key.begin());
}

template <typename Msg>
Result<std::optional<Msg>> read(const KvReader& store, ByteView key) {
  auto raw = store.get(key);
  if (!raw.ok()) return raw.error();
  if (!raw->has_value()) return std::optional<Msg>();
  Msg msg;
  if (!msg.ParseFromArray((*raw)->data(), static_cast<int>((*raw)->size()))) return corrupt("a record that does not parse", key);
  return std::optional<Msg>(std::move(msg));
}

// The case record and its ended measures (c/period/<case>/0, 1, ... until the first missing).
struct CaseView {
  std::optional<cv1::Case> record;
  std::vector<cv1::MeasurePeriod> periods;
};
Result<CaseView> read_case(const KvReader& store, const std::string& case_id) {
  CaseView out;
  auto record = read<cv1::Case>(store, state_keys::case_record(case_id));
  if (!record.ok()) return record.error();
  out.record = std::move(*record);
  for (uint32_t n = 0;; ++n) {
    auto period = read<cv1::MeasurePeriod>(store, state_keys::measure_period(case_id, n));
    if (!period.ok()) return period.error();
    if (!period->has_value()) break;
    out.periods.push_back(std::move(**period));
  }
  return out;
}

CaseMeasureCells cells_of(const CaseView& view) {
  return case_measure_cells(view.record ? &*view.record : nullptr, view.periods);
}
// The case-load cells a case is counted in now: its running OTS / VOTS, by GI and jeugdbeschermer and by
// municipality, GI and whether one is assigned.
std::vector<Bytes> load_cells_of(const CaseView& view) {
  if (!view.record) return {};
  const cv1::Case& c = *view.record;
  const cv1::Measure& m = c.measure();
  if (m.state() != cv1::ACTIVE || (m.kind() != cv1::OTS && m.kind() != cv1::VOTS) || c.gi().empty()) return {};
  return {keys::gi_load(c.gi(), c.jeugdbeschermer()),
          keys::municipality_load(c.municipality(), c.gi(), !c.jeugdbeschermer().empty())};
}

std::vector<std::string> parties_of(const CaseView& view) {
  return view.record ? case_parties(*view.record) : std::vector<std::string>{};
}

// Counts and histograms changed by the block, applied to the stored cells at the end.
class CellDeltas {
 public:
  void add(const CaseMeasureCells& cells, int sign) {
    for (const auto& [month, kind, gi] : cells.running) running_[keys::running(month, kind, gi)] += sign;
    for (const auto& [cell, days] : cells.ended) add_samples(keys::ended(cell.first, cell.second), days, sign);
    for (const auto& [cell, days] : cells.assignment) add_samples(keys::assignment(cell.first, cell.second), days, sign);
    for (const auto& [cell, cents] : cells.projected) {
      AmountDelta& d = amounts_[keys::projected_cost(cell.first, cell.second)];
      d.cases += sign;
      d.cents += sign * cents;
    }
  }

  // A count cell (a running or a case-load cell) gains or loses a case.
  void count(const Bytes& key, int sign) { running_[key] += sign; }

  Status apply(const KvReader& before, WriteBatch& out) const {
    for (const auto& [key, delta] : running_) {
      if (delta == 0) continue;
      auto stored = before.get(key);
      if (!stored.ok()) return stored.error();
      int64_t count = 0;
      if (stored->has_value()) {
        if ((*stored)->size() != 8) return corrupt("a count cell that does not parse", key);
        count = static_cast<int64_t>(get_u64_be((*stored)->data()));
      }
      count += delta;
      if (count < 0) return corrupt("a count cell below zero cases", key);
      if (count == 0) {
        out.del(key);
      } else {
        Bytes value;
        put_u64_be(value, static_cast<uint64_t>(count));
        out.put(key, value);
      }
    }
    for (const auto& [key, delta] : amounts_) {
      if (delta.cases == 0 && delta.cents == 0) continue;
      auto stored = before.get(key);
      if (!stored.ok()) return stored.error();
      keys::Amount a;
      if (stored->has_value()) {
        auto decoded = keys::decode_amount(**stored);
        if (!decoded) return corrupt("an amount cell that does not parse", key);
        a = *decoded;
      }
      const int64_t cases = static_cast<int64_t>(a.cases) + delta.cases;
      a.cents += delta.cents;
      if (cases < 0 || a.cents < 0 || (cases == 0) != (a.cents == 0)) return corrupt("an amount cell out of balance", key);
      a.cases = static_cast<uint64_t>(cases);
      if (a.cases == 0) {
        out.del(key);
      } else {
        out.put(key, keys::encode_amount(a));
      }
    }
    for (const auto& [key, delta] : histograms_) {
      auto stored = before.get(key);
      if (!stored.ok()) return stored.error();
      keys::Histogram h;
      if (stored->has_value()) {
        auto decoded = keys::decode_histogram(**stored);
        if (!decoded) return corrupt("a histogram cell that does not parse", key);
        h = std::move(*decoded);
      }
      const int64_t cases = static_cast<int64_t>(h.cases) + delta.cases;
      if (cases < 0) return corrupt("a histogram cell below zero cases", key);
      h.cases = static_cast<uint64_t>(cases);
      for (const auto& [days, d] : delta.days) {
        const int64_t count = static_cast<int64_t>(h.days[days]) + d;
        if (count < 0) return corrupt("a histogram cell below zero measures", key);
        if (count == 0) {
          h.days.erase(days);
        } else {
          h.days[days] = static_cast<uint64_t>(count);
        }
      }
      if ((h.cases == 0) != h.days.empty()) return corrupt("a histogram cell with cases but no measures", key);
      if (h.cases == 0) {
        out.del(key);
      } else {
        out.put(key, keys::encode_histogram(h));
      }
    }
    return Status();
  }

 private:
  struct HistogramDelta {
    int64_t cases = 0;
    std::map<int64_t, int64_t> days;
  };
  void add_samples(const Bytes& key, const std::vector<int64_t>& days, int sign) {
    HistogramDelta& d = histograms_[key];
    d.cases += sign;
    for (int64_t v : days) d.days[v] += sign;
  }

  struct AmountDelta {
    int64_t cases = 0;
    int64_t cents = 0;
  };

  std::map<Bytes, int64_t> running_;  // every count cell: running per month, case load now
  std::map<Bytes, HistogramDelta> histograms_;
  std::map<Bytes, AmountDelta> amounts_;  // projected costs per month and GI
};

// The case id of a "c/case/<id>" or "c/period/<id>/<be32 n>" key; nullopt for other keys.
std::optional<std::string> case_of_key(ByteView key) {
  static const Bytes case_prefix = state_keys::case_prefix();
  static const Bytes period_prefix = state_keys::period_prefix();
  if (starts_with(key, case_prefix)) return std::string(key.begin() + case_prefix.size(), key.end());
  if (starts_with(key, period_prefix) && key.size() > period_prefix.size() + 5) {
    return std::string(key.begin() + period_prefix.size(), key.end() - 5);
  }
  return std::nullopt;
}

// The pending deadline at `suffix` (after "c/dl/") filed under `parties`, or taken out of them.
void file_deadline(const std::string& case_id, const std::vector<std::string>& parties, ByteView suffix,
                   const Bytes* value, WriteBatch& out) {
  for (const std::string& p : parties) {
    if (value) {
      out.put(keys::deadline(p, suffix), *value);
    } else {
      out.del(keys::deadline(p, suffix));
    }
  }
  if (value) {
    out.put(keys::case_deadline(case_id, suffix), Bytes{});
  } else {
    out.del(keys::case_deadline(case_id, suffix));
  }
}

// A request (c/req/<case>/<request>) is listed while it is PENDING.
Status file_request(ByteView key, const std::optional<Bytes>& value, WriteBatch& out) {
  static const size_t prefix = to_bytes("c/req/").size();
  const std::string rest(key.begin() + static_cast<std::ptrdiff_t>(prefix), key.end());
  const size_t slash = rest.find('/');
  if (slash == std::string::npos) return corrupt("a request key that does not parse", key);
  const Bytes listed = keys::pending_request(rest.substr(0, slash), rest.substr(slash + 1));
  cv1::Request r;
  if (value && !r.ParseFromArray(value->data(), static_cast<int>(value->size()))) {
    return corrupt("a request that does not parse", key);
  }
  if (value && r.state() == cv1::PENDING) {
    out.put(listed, *value);
  } else {
    out.del(listed);
  }
  return Status();
}

// One tx's timeline entry.
nlohmann::json tx_entry(uint64_t height, int64_t time_ms, const v1::SignedTx& tx, const v1::TxBody& body,
                        const std::string& result) {
  nlohmann::json args = nlohmann::json::object();
  for (const v1::Arg& a : body.args()) {
    if (a.name() == "case") continue;
    switch (a.value_case()) {
      case v1::Arg::kText: args[a.name()] = a.text(); break;
      case v1::Arg::kInteger: args[a.name()] = a.integer(); break;
      case v1::Arg::kFlag: args[a.name()] = a.flag(); break;
      case v1::Arg::kHash: args[a.name()] = to_hex(as_bytes(a.hash())); break;
      default: break;
    }
  }
  return {{"height", height},
          {"time_ms", time_ms},
          {"type", "tx"},
          {"action", body.action()},
          {"tx_id", to_hex(tx_id(tx))},
          {"signer", tx.signatures_size() > 0 ? to_hex(as_bytes(tx.signatures(0).public_key())) : ""},
          {"result", result},
          {"args", std::move(args)}};
}

nlohmann::json event_entry(uint64_t height, int64_t time_ms, const cv1::Event& e) {
  return {{"height", height},   {"time_ms", time_ms},   {"type", "event"},
          {"kind", e.kind()},   {"recipient", e.recipient()}, {"seq", e.seq()},
          {"detail", e.detail()}, {"measure", e.measure()}, {"deadline_id", e.deadline_id()}};
}

std::optional<std::string> case_arg(const v1::TxBody& body) {
  for (const v1::Arg& a : body.args()) {
    if (a.name() == "case" && a.value_case() == v1::Arg::kText && !a.text().empty()) return a.text();
  }
  return std::nullopt;
}

// The timeline entries of one block: slot 0 the events deadlines caused, slot i + 1 tx i (n = 0) and its
// events (n >= 1); events of a slot ordered by (recipient, seq), so the order does not depend on
// emission order and a rebuild from the stored events writes the same keys.
void timeline_writes(uint64_t height, int64_t time_ms, std::span<const v1::SignedTx> txs,
                     std::span<const std::string> results, std::vector<cv1::Event> events, WriteBatch& out) {
  std::map<Hash32, uint32_t> slot_of;
  for (size_t i = 0; i < txs.size(); ++i) {
    const uint32_t slot = static_cast<uint32_t>(i + 1);
    slot_of.emplace(tx_id(txs[i]), slot);
    auto body = decode_tx_body(as_bytes(txs[i].body()));
    if (!body.ok()) continue;  // a committed tx decodes (check_block); nothing to show otherwise
    if (auto c = case_arg(*body)) {
      out.put(keys::timeline(*c, height, slot, 0), to_bytes(tx_entry(height, time_ms, txs[i], *body, results[i]).dump()));
    }
  }
  std::sort(events.begin(), events.end(), [](const cv1::Event& a, const cv1::Event& b) {
    return std::make_tuple(a.recipient(), a.seq()) < std::make_tuple(b.recipient(), b.seq());
  });
  std::map<uint32_t, uint32_t> next_n;
  for (const cv1::Event& e : events) {
    if (e.case_id().empty()) continue;
    uint32_t slot = 0;
    if (!e.tx_id().empty()) {
      auto id = hash32_from_bytes(as_bytes(e.tx_id()));
      if (id.ok()) {
        auto it = slot_of.find(*id);
        if (it != slot_of.end()) slot = it->second;
      }
    }
    const uint32_t n = ++next_n[slot];
    out.put(keys::timeline(e.case_id(), height, slot, n), to_bytes(event_entry(height, time_ms, e).dump()));
  }
}

}  // namespace

Result<bool> has_index(const KvReader& store) {
  auto v = store.get(keys::version());
  if (!v.ok()) return v.error();
  if (!v->has_value()) return false;
  const Bytes& b = **v;
  return b.size() == 4 && ((uint32_t{b[0]} << 24) | (uint32_t{b[1]} << 16) | (uint32_t{b[2]} << 8) | b[3]) ==
                              kDashboardIndexVersion;
}

void initial_index_writes(WriteBatch& out) {
  const uint32_t v = kDashboardIndexVersion;
  out.put(keys::version(), Bytes{static_cast<uint8_t>(v >> 24), static_cast<uint8_t>(v >> 16),
                                 static_cast<uint8_t>(v >> 8), static_cast<uint8_t>(v)});
}

Status index_block(const KvStore& before, const CommittedBlock& block, WriteBatch& out) {
  JOET_ASSERT(block.execution != nullptr);
  const BlockExecution& ex = *block.execution;
  JOET_ASSERT(ex.results.size() == block.txs.size());
  const OverlayReader after(before, ex.writes);
  static const Bytes dl_prefix = state_keys::deadline_prefix();

  // The cases the block changed, and the deadlines it queued or took out.
  std::set<std::string> cases;
  std::set<Bytes> deadline_suffixes;
  static const Bytes req_prefix = to_bytes("c/req/");
  for (const auto& [key, value] : ex.writes.ops()) {
    if (auto c = case_of_key(key)) cases.insert(std::move(*c));
    if (starts_with(key, req_prefix)) {
      Status filed = file_request(key, value, out);
      if (!filed.ok()) return filed;
    }
    if (starts_with(key, dl_prefix) && key.size() == dl_prefix.size() + 16) {
      deadline_suffixes.emplace(key.begin() + dl_prefix.size(), key.end());
    }
  }

  CellDeltas deltas;
  std::map<std::string, std::vector<std::string>> parties_before;
  std::map<std::string, std::vector<std::string>> parties_after;
  for (const std::string& c : cases) {
    auto old_view = read_case(before, c);
    if (!old_view.ok()) return old_view.error();
    auto new_view = read_case(after, c);
    if (!new_view.ok()) return new_view.error();
    const CaseMeasureCells old_cells = cells_of(*old_view);
    const CaseMeasureCells new_cells = cells_of(*new_view);
    if (!(old_cells == new_cells)) {
      deltas.add(old_cells, -1);
      deltas.add(new_cells, +1);
    }
    const std::vector<Bytes> old_load = load_cells_of(*old_view);
    const std::vector<Bytes> new_load = load_cells_of(*new_view);
    if (old_load != new_load) {
      for (const Bytes& k : old_load) deltas.count(k, -1);
      for (const Bytes& k : new_load) deltas.count(k, +1);
    }
    parties_before[c] = parties_of(*old_view);
    parties_after[c] = parties_of(*new_view);
    if (parties_before[c] != parties_after[c]) {
      // Re-file the case's pending deadlines under its new parties.
      std::optional<Error> failed;
      const Bytes prefix = keys::case_deadlines(c);
      Status s = before.scan(prefix, keys::prefix_end(prefix), [&](ByteView key, ByteView) {
        if (key.size() != prefix.size() + 16) {
          failed = corrupt("a case deadline entry that does not parse", key);
          return false;
        }
        deadline_suffixes.emplace(key.begin() + prefix.size(), key.end());
        return true;
      });
      if (!s.ok()) return s;
      if (failed) return *failed;
    }
  }
  Status s = deltas.apply(before, out);
  if (!s.ok()) return s;

  // Deadlines: out of the old parties' lists first, then into the new ones' (a put after a del of the
  // same key wins in a WriteBatch).
  auto parties = [&](std::map<std::string, std::vector<std::string>>& cache, const KvReader& store,
                     const std::string& c) -> Result<std::vector<std::string>> {
    if (auto it = cache.find(c); it != cache.end()) return it->second;
    auto view = read<cv1::Case>(store, state_keys::case_record(c));
    if (!view.ok()) return view.error();
    return cache[c] = view->has_value() ? case_parties(**view) : std::vector<std::string>{};
  };
  struct Filed {
    Bytes suffix;
    std::string case_id;
    std::optional<Bytes> value;
  };
  std::vector<Filed> old_filed;
  std::vector<Filed> new_filed;
  for (const Bytes& suffix : deadline_suffixes) {
    Bytes key = dl_prefix;
    key.insert(key.end(), suffix.begin(), suffix.end());
    for (auto [store, list] : {std::pair<const KvReader*, std::vector<Filed>*>{&before, &old_filed},
                               std::pair<const KvReader*, std::vector<Filed>*>{&after, &new_filed}}) {
      auto raw = store->get(key);
      if (!raw.ok()) return raw.error();
      if (!raw->has_value()) continue;
      cv1::Deadline d;
      if (!d.ParseFromArray((*raw)->data(), static_cast<int>((*raw)->size()))) {
        return corrupt("a deadline that does not parse", key);
      }
      list->push_back({suffix, d.case_id(), std::move(**raw)});
    }
  }
  for (const Filed& f : old_filed) {
    auto p = parties(parties_before, before, f.case_id);
    if (!p.ok()) return p.error();
    file_deadline(f.case_id, *p, f.suffix, nullptr, out);
  }
  for (const Filed& f : new_filed) {
    auto p = parties(parties_after, after, f.case_id);
    if (!p.ok()) return p.error();
    file_deadline(f.case_id, *p, f.suffix, &*f.value, out);
  }

  std::vector<std::string> results;
  results.reserve(ex.results.size());
  for (const TxResult& r : ex.results) results.push_back(r.ok ? "OK" : r.code);
  timeline_writes(block.height, block.time_ms, block.txs, results, ex.events, out);
  return Status();
}

Status rebuild_index(KvStore& store, const BlockStore& blocks,
                     const std::function<void(uint64_t done, uint64_t total)>& progress) {
  WriteBatch out;
  const Bytes all = keys::all();
  Status s = store.scan(all, keys::prefix_end(all), [&](ByteView key, ByteView) {
    out.del(key);
    return true;
  });
  if (!s.ok()) return s;

  // Cells and deadlines from the state as it is.
  std::map<std::string, CaseView> views;
  std::optional<Error> failed;
  const Bytes case_prefix = state_keys::case_prefix();
  s = store.scan(case_prefix, keys::prefix_end(case_prefix), [&](ByteView key, ByteView) {
    const std::string c(key.begin() + case_prefix.size(), key.end());
    auto view = read_case(store, c);
    if (!view.ok()) {
      failed = view.error();
      return false;
    }
    views.emplace(c, std::move(*view));
    return true;
  });
  if (!s.ok()) return s;
  if (failed) return *failed;
  CellDeltas cells;
  for (const auto& [c, view] : views) {
    cells.add(cells_of(view), +1);
    for (const Bytes& k : load_cells_of(view)) cells.count(k, +1);
  }
  const MemoryKvStore empty;
  s = cells.apply(empty, out);
  if (!s.ok()) return s;

  const Bytes req_prefix = to_bytes("c/req/");
  s = store.scan(req_prefix, keys::prefix_end(req_prefix), [&](ByteView key, ByteView value) {
    Status filed = file_request(key, Bytes(value.begin(), value.end()), out);
    if (!filed.ok()) failed = filed.error();
    return filed.ok();
  });
  if (!s.ok()) return s;
  if (failed) return *failed;

  const Bytes dl_prefix = state_keys::deadline_prefix();
  s = store.scan(dl_prefix, keys::prefix_end(dl_prefix), [&](ByteView key, ByteView value) {
    cv1::Deadline d;
    if (key.size() != dl_prefix.size() + 16 || !d.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
      failed = corrupt("a deadline that does not parse", key);
      return false;
    }
    auto it = views.find(d.case_id());
    const std::vector<std::string> p = it == views.end() ? std::vector<std::string>{} : parties_of(it->second);
    const Bytes v(value.begin(), value.end());
    file_deadline(d.case_id(), p, key.subspan(dl_prefix.size()), &v, out);
    return true;
  });
  if (!s.ok()) return s;
  if (failed) return *failed;

  // The timeline: the events in state by height, and each block's txs with their results.
  std::map<uint64_t, std::vector<cv1::Event>> events_at;
  const Bytes ev_prefix = to_bytes("c/ev/");
  s = store.scan(ev_prefix, keys::prefix_end(ev_prefix), [&](ByteView key, ByteView value) {
    cv1::Event e;
    if (!e.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
      failed = corrupt("an event that does not parse", key);
      return false;
    }
    if (!e.case_id().empty()) events_at[e.height()].push_back(std::move(e));
    return true;
  });
  if (!s.ok()) return s;
  if (failed) return *failed;
  const uint64_t tip = blocks.tip().height;
  for (uint64_t h = 1; h <= tip; ++h) {
    auto stored = blocks.block_at(h);
    if (!stored.ok()) return stored.error();
    std::vector<v1::SignedTx> txs;
    std::vector<std::string> results;
    for (const std::string& bytes : stored->block().txs()) {
      auto tx = decode_signed_tx(as_bytes(bytes));
      if (!tx.ok()) return tx.error();
      std::string result_key = "Aresult";
      const Hash32 id = tx_id(*tx);
      result_key.append(reinterpret_cast<const char*>(id.data()), id.size());
      auto r = store.get(to_bytes(result_key));
      if (!r.ok()) return r.error();
      std::string result = r->has_value() ? to_string(**r) : "";
      results.push_back(result.substr(0, result.find('\n')));
      txs.push_back(std::move(*tx));
    }
    auto header = blocks.header_at(h);
    if (!header.ok()) return header.error();
    auto it = events_at.find(h);
    timeline_writes(h, static_cast<int64_t>(header->time_ms()), txs, results,
                    it == events_at.end() ? std::vector<cv1::Event>{} : std::move(it->second), out);
    if (progress && (h % 10'000 == 0 || h == tip)) progress(h, tip);
  }
  initial_index_writes(out);
  return store.write(out, true);
}

}  // namespace joet::inzicht
