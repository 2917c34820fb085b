#include "node/inzicht/index_queries.h"

#include <algorithm>
#include <map>
#include <optional>

#include "contracts/case_parties.h"
#include "contracts/civil_date.h"
#include "contracts/state.h"
#include "contracts/statistics.h"
#include "node/inzicht/index_keys.h"

namespace joet::inzicht {
namespace {

namespace keys = index_keys;

Error corrupt(const std::string& what, ByteView key) {
  return make_error(ErrorCode::kCorruption, "dashboard index: " + what + " at key " + to_hex(key));
}

// Visits the keys from the first month's head to the last month's, stopping at the first error.
template <typename Visit>
Status scan_months(const KvStore& store, Bytes (*head)(int64_t), int64_t from, int64_t to, Visit visit) {
  std::optional<Error> failed;
  Status s = store.scan(head(from), head(to + 1), [&](ByteView key, ByteView value) {
    Status v = visit(key, value);
    if (!v.ok()) failed = v.error();
    return v.ok();
  });
  if (!s.ok()) return s;
  if (failed) return *failed;
  return Status();
}

}  // namespace

Result<Stuurinformatie> indexed_stuurinformatie(const KvStore& store, const CivilMonth& from, const CivilMonth& to) {
  Status checked = check_month_range(from, to);
  if (!checked.ok()) return checked.error();
  Stuurinformatie out;
  out.from = from;
  out.to = to;
  const int64_t lo = month_index(from);
  const int64_t hi = month_index(to);

  Status s = scan_months(store, &keys::running_month, lo, hi, [&](ByteView key, ByteView value) -> Status {
    const std::string rest = keys::after_month(key);
    const size_t slash = rest.find('/');
    if (slash == std::string::npos || value.size() != 8) return corrupt("a running cell that does not parse", key);
    out.running.push_back(stat_cell(month_at(keys::month_of(key)), rest.substr(0, slash), rest.substr(slash + 1),
                                    get_u64_be(value.data())));
    return Status();
  });
  if (!s.ok()) return s.error();
  for (auto [head, table, kind_first] : {std::tuple{&keys::ended_month, &out.ended, true},
                                         std::tuple{&keys::assignment_month, &out.assignment, false}}) {
    s = scan_months(store, head, lo, hi, [&](ByteView key, ByteView value) -> Status {
      auto h = keys::decode_histogram(value);
      if (!h || h->cases == 0) return corrupt("a histogram cell that does not parse", key);
      std::string name = keys::after_month(key);
      table->push_back(days_cell(month_at(keys::month_of(key)), kind_first ? name : "", kind_first ? "" : name,
                                 h->cases, h->days));
      return Status();
    });
    if (!s.ok()) return s.error();
  }
  s = read_fact_tables(store, out);
  if (!s.ok()) return s.error();
  s = scan_months(store, &keys::projected_cost_month, lo, hi, [&](ByteView key, ByteView value) -> Status {
    auto a = keys::decode_amount(value);
    if (!a || a->cases == 0) return corrupt("an amount cell that does not parse", key);
    out.costs.push_back(amount_cell(month_at(keys::month_of(key)), std::string(kProjectedCost), keys::after_month(key),
                                    a->cases, a->cents));
    return Status();
  });
  if (!s.ok()) return s.error();
  order_costs(out.costs);
  return out;
}

Result<DeadlinePage> pending_deadlines(const KvStore& store, std::string_view institution, std::string_view case_id,
                                       int64_t from_ms, int64_t to_ms, size_t limit) {
  DeadlinePage page;
  if (to_ms <= from_ms) return page;
  std::optional<Error> failed;
  // One listed deadline (an Idl/<institution>/ entry): false once the page is full or it does not parse.
  auto take = [&](ByteView key, ByteView value) {
    if (page.deadlines.size() == limit) {
      page.more = true;
      return false;
    }
    contracts::v1::Deadline d;
    if (!d.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
      failed = corrupt("a deadline that does not parse", key);
      return false;
    }
    page.deadlines.push_back(std::move(d));
    return true;
  };
  if (case_id.empty()) {
    Status s = store.scan(keys::deadline_at(institution, from_ms), keys::deadline_at(institution, to_ms), take);
    if (!s.ok()) return s.error();
    if (failed) return *failed;
    return page;
  }
  // One case's: its own list (Idlcase/) in (due, id) order, each deadline taken only where it is filed
  // under the institution (the institution is a party of the case).
  const Bytes prefix = keys::case_deadlines(case_id);
  std::vector<Bytes> suffixes;
  Status s = store.scan(prefix, keys::prefix_end(prefix), [&](ByteView key, ByteView) {
    if (key.size() != prefix.size() + 16) {
      failed = corrupt("a case deadline entry that does not parse", key);
      return false;
    }
    suffixes.emplace_back(key.begin() + static_cast<std::ptrdiff_t>(prefix.size()), key.end());
    return true;
  });
  if (!s.ok()) return s.error();
  if (failed) return *failed;
  for (const Bytes& suffix : suffixes) {
    const int64_t due = static_cast<int64_t>(get_u64_be(suffix.data()) ^ (uint64_t{1} << 63));
    if (due < from_ms || due >= to_ms) continue;
    const Bytes key = keys::deadline(institution, suffix);
    auto value = store.get(key);
    if (!value.ok()) return value.error();
    if (value->has_value() && !take(key, **value)) break;
  }
  if (failed) return *failed;
  return page;
}

Result<TimelinePage> case_timeline(const KvStore& store, std::string_view case_id, size_t skip, size_t limit) {
  TimelinePage page;
  const Bytes prefix = keys::timeline_of(case_id);
  size_t seen = 0;
  std::optional<Error> failed;
  Status s = store.scan(prefix, keys::prefix_end(prefix), [&](ByteView key, ByteView value) {
    if (seen++ < skip) return true;
    if (page.entries.size() == limit) {
      page.more = true;
      return false;
    }
    nlohmann::json entry = nlohmann::json::parse(value.begin(), value.end(), nullptr, /*allow_exceptions=*/false);
    if (entry.is_discarded() || !entry.is_object()) {
      failed = corrupt("a timeline entry that does not parse", key);
      return false;
    }
    page.entries.push_back(std::move(entry));
    return true;
  });
  if (!s.ok()) return s.error();
  if (failed) return *failed;
  // Who signed each tx, as the registry says now (read, not stored: a key later revoked or moved has no
  // institution here, and the entry keeps only its key).
  std::map<std::string, std::string> institution_of;
  for (nlohmann::json& entry : page.entries) {
    if (entry.value("type", "") != "tx" || !entry.contains("signer") || !entry["signer"].is_string()) continue;
    const std::string signer = entry["signer"].get<std::string>();
    auto known = institution_of.find(signer);
    if (known == institution_of.end()) {
      std::string institution;
      auto key = from_hex(signer);
      if (key.ok() && key->size() == 32) {
        auto raw = store.get(state_keys::member(*key));
        if (!raw.ok()) return raw.error();
        contracts::v1::Member member;
        if (raw->has_value() && member.ParseFromArray((*raw)->data(), static_cast<int>((*raw)->size()))) {
          institution = member.institution();
        }
      }
      known = institution_of.emplace(signer, institution).first;
    }
    if (!known->second.empty()) entry["signer_institution"] = known->second;
  }
  return page;
}

namespace {

Result<contracts::v1::Role> role_of(const KvStore& store, std::string_view institution) {
  auto raw = store.get(state_keys::institution(institution));
  if (!raw.ok()) return raw.error();
  if (!raw->has_value()) {
    return make_error(ErrorCode::kNotFound, "institution " + std::string(institution) + " is not registered");
  }
  contracts::v1::Institution inst;
  if (!inst.ParseFromArray((*raw)->data(), static_cast<int>((*raw)->size()))) {
    return corrupt("an institution that does not parse", state_keys::institution(institution));
  }
  return inst.role();
}

// Visits the be64 count cells under `prefix`: the rest of the key after it, and the count.
template <typename Visit>
Status scan_counts(const KvStore& store, const Bytes& prefix, Visit visit) {
  std::optional<Error> failed;
  Status s = store.scan(prefix, keys::prefix_end(prefix), [&](ByteView key, ByteView value) {
    if (value.size() != 8) {
      failed = corrupt("a count cell that does not parse", key);
      return false;
    }
    visit(std::string(key.begin() + static_cast<std::ptrdiff_t>(prefix.size()), key.end()), get_u64_be(value.data()));
    return true;
  });
  if (!s.ok()) return s;
  if (failed) return *failed;
  return Status();
}

}  // namespace

Result<Caseload> caseload(const KvStore& store, std::string_view institution) {
  auto role = role_of(store, institution);
  if (!role.ok()) return role.error();
  Caseload out;
  out.role = *role;
  if (*role == contracts::v1::GI) {
    std::map<std::string, ProfessionalLoad> by_id;
    const Bytes prof_prefix = state_keys::professional(institution, "");
    std::optional<Error> failed;
    Status s = store.scan(prof_prefix, keys::prefix_end(prof_prefix), [&](ByteView key, ByteView value) {
      contracts::v1::Professional p;
      if (!p.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
        failed = corrupt("a professional that does not parse", key);
        return false;
      }
      by_id[p.id()] = ProfessionalLoad{p.id(), p.skj_valid_until_day(), 0};
      return true;
    });
    if (!s.ok()) return s.error();
    if (failed) return *failed;
    s = scan_counts(store, keys::gi_loads(institution), [&](const std::string& professional, uint64_t n) {
      if (professional.empty()) {
        out.unassigned = n;
      } else {
        ProfessionalLoad& p = by_id[professional];
        p.professional = professional;
        p.cases = n;
      }
    });
    if (!s.ok()) return s.error();
    for (auto& [id, p] : by_id) out.professionals.push_back(std::move(p));
  } else if (*role == contracts::v1::MUNICIPALITY) {
    std::map<std::string, GiLoad> by_gi;
    Status s = scan_counts(store, keys::municipality_loads(institution), [&](const std::string& rest, uint64_t n) {
      const size_t slash = rest.rfind('/');
      if (slash == std::string::npos) return;
      GiLoad& g = by_gi[rest.substr(0, slash)];
      g.gi = rest.substr(0, slash);
      (rest.substr(slash + 1) == "1" ? g.assigned : g.unassigned) = n;
    });
    if (!s.ok()) return s.error();
    for (auto& [gi, g] : by_gi) out.gis.push_back(std::move(g));
  }
  return out;
}

Result<RequestPage> pending_requests(const KvStore& store, std::string_view institution, size_t limit) {
  auto role = role_of(store, institution);
  if (!role.ok()) return role.error();
  const bool everything = *role == contracts::v1::COURT || *role == contracts::v1::AUDITOR;
  RequestPage page;
  const Bytes prefix = keys::pending_requests();
  std::optional<Error> failed;
  std::map<std::string, bool> party_of;  // case -> the institution is a party of it
  Status s = store.scan(prefix, keys::prefix_end(prefix), [&](ByteView key, ByteView value) {
    contracts::v1::Request r;
    if (!r.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
      failed = corrupt("a request that does not parse", key);
      return false;
    }
    bool visible = everything || r.filed_by() == institution;
    if (!visible) {
      auto known = party_of.find(r.case_id());
      if (known == party_of.end()) {
        auto raw = store.get(state_keys::case_record(r.case_id()));
        if (!raw.ok()) {
          failed = raw.error();
          return false;
        }
        contracts::v1::Case c;
        bool party = false;
        if (raw->has_value() && c.ParseFromArray((*raw)->data(), static_cast<int>((*raw)->size()))) {
          const std::vector<std::string> parties = case_parties(c);
          party = std::find(parties.begin(), parties.end(), institution) != parties.end();
        }
        known = party_of.emplace(r.case_id(), party).first;
      }
      visible = known->second;
    }
    if (!visible) return true;
    if (page.requests.size() == limit) {
      page.more = true;
      return false;
    }
    page.requests.push_back(std::move(r));
    return true;
  });
  if (!s.ok()) return s.error();
  if (failed) return *failed;
  return page;
}

Result<std::vector<std::string>> cell_cases(const KvStore& store, const CivilMonth& month, std::string_view metric,
                                            std::string_view institution) {
  const std::string yyyymm = month_code(CivilDate{month.year, month.month, 1});
  const Bytes prefix = state_keys::stat_case(yyyymm, metric, institution, "");
  std::vector<std::string> out;
  Status s = store.scan(prefix, keys::prefix_end(prefix), [&](ByteView key, ByteView) {
    out.emplace_back(key.begin() + static_cast<std::ptrdiff_t>(prefix.size()), key.end());
    return true;
  });
  if (!s.ok()) return s.error();
  return out;
}

}  // namespace joet::inzicht
