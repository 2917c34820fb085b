#include "node/home/genesis.h"

#include <limits>
#include <map>
#include <set>
#include <utility>

#include <nlohmann/json.hpp>

#include "contracts/amsterdam_time.h"
#include "contracts/civil_date.h"
#include "contracts/policy.h"
#include "contracts/privacy.h"
#include "ledger/codec.h"
#include "ledger/hash.h"
#include "node/home/file_io.h"
#include "node/home/json_reader.h"
#include "node/utc_time.h"

namespace joet::home {
namespace {

using nlohmann::json;

Error invalid(std::string message) { return make_error(ErrorCode::kInvalidArgument, "genesis: " + std::move(message)); }

constexpr std::string_view kChainIdRule = "1 to 64 characters of [A-Za-z0-9._:-]";

class GenesisReader {
 public:
  explicit GenesisReader(JsonReader& r) : r_(r) {}

  Genesis read(const json& doc) {
    r_.require_object(doc, "", {"chain_id", "genesis_time", "institutions", "validators", "policy", "rules_version"});
    Genesis g;
    g.chain_id = r_.string_value(r_.field(doc, "", "chain_id"), "chain_id");
    if (!is_code_charset(g.chain_id)) r_.fail(HomeErrorKind::kBadValue, "chain_id", std::string(kChainIdRule));
    const std::string time = r_.string_value(r_.field(doc, "", "genesis_time"), "genesis_time");
    const auto t = parse_utc_time(time);
    if (!t) {
      r_.fail(HomeErrorKind::kBadTime, "genesis_time",
              "not an ISO-8601 UTC time YYYY-MM-DDTHH:MM:SS[.mmm]Z in 1900..9999: " + time);
    }
    g.genesis_time_ms = *t;
    institutions(r_.field(doc, "", "institutions"), g);
    validators(r_.field(doc, "", "validators"), g);
    if (doc.contains("policy")) policy(doc["policy"], g.policy);
    if (doc.contains("rules_version")) {
      const uint64_t v = r_.unsigned_value(doc["rules_version"], "rules_version");
      if (v > UINT32_MAX || find_rules(built_in_rules(), static_cast<uint32_t>(v)) == nullptr) {
        r_.fail(HomeErrorKind::kBadValue, "rules_version",
                "rules version " + std::to_string(v) + " is not one this build has (1.." +
                    std::to_string(latest_rules_version()) + "): upgrade joet-node");
      }
      g.rules_version = static_cast<uint32_t>(v);
    }
    // Everything genesis_state checks has been checked above with its path; this is the backstop.
    auto state = genesis_state(g);
    if (!state.ok()) r_.fail(HomeErrorKind::kBadValue, "", state.error().message);
    return g;
  }

 private:
  void institutions(const json& j, Genesis& g) {
    const std::string path = "institutions";
    r_.array_value(j, path, kMaxGenesisInstitutions);
    std::map<PublicKey, std::string> member_of;
    for (size_t i = 0; i < j.size(); ++i) {
      const std::string p = JsonReader::index(path, i);
      const json& e = j[i];
      r_.require_object(e, p, {"id", "role", "member_keys"});
      GenesisInstitution inst = read_genesis_institution(r_, e, p);
      if (!ids_.insert(inst.id).second) {
        r_.fail(HomeErrorKind::kDuplicate, JsonReader::join(p, "id"), "institution " + inst.id + " given twice");
      }
      for (size_t k = 0; k < inst.members.size(); ++k) {
        const PublicKey& key = inst.members[k];
        auto [it, fresh] = member_of.emplace(key, inst.id);
        if (!fresh) {
          r_.fail(HomeErrorKind::kDuplicate, JsonReader::index(JsonReader::join(p, "member_keys"), k),
                  "key " + key.hex() + " is already a member key of " + it->second + " (a key signs for one institution)");
        }
      }
      g.institutions.push_back(std::move(inst));
    }
  }

  void validators(const json& j, Genesis& g) {
    const std::string path = "validators";
    r_.array_value(j, path, limits::kMaxValidators);
    if (j.empty()) r_.fail(HomeErrorKind::kBadValue, path, "at least one validator");
    std::set<PublicKey> keys;
    for (size_t i = 0; i < j.size(); ++i) {
      const std::string p = JsonReader::index(path, i);
      const json& e = j[i];
      r_.require_object(e, p, {"key", "power", "institution"});
      GenesisValidator v;
      const std::string key_path = JsonReader::join(p, "key");
      v.key = r_.public_key_value(r_.field(e, p, "key"), key_path);
      if (!keys.insert(v.key).second) r_.fail(HomeErrorKind::kDuplicate, key_path, "validator key " + v.key.hex() + " given twice");
      const std::string power_path = JsonReader::join(p, "power");
      v.power = r_.unsigned_value(r_.field(e, p, "power"), power_path);
      if (v.power == 0 || v.power > (uint64_t{1} << 50)) r_.fail(HomeErrorKind::kBadValue, power_path, "power must be 1 to 2^50");
      if (e.contains("institution")) {
        const std::string ip = JsonReader::join(p, "institution");
        v.institution = r_.string_value(e["institution"], ip);
        if (ids_.count(v.institution) == 0) {
          r_.fail(HomeErrorKind::kUnknownInstitution, ip, "no institution " + v.institution + " in institutions");
        }
      }
      g.validators.push_back(std::move(v));
    }
  }

  void policy(const json& j, Policy& p) {
    const std::string path = "policy";
    if (!j.is_object()) r_.fail(HomeErrorKind::kWrongType, path, std::string("an object expected, not ") + j.type_name());
    for (const auto& [key, value] : j.items()) {
      const std::string p_key = JsonReader::join(path, key);
      if (key == "extra_holidays") {
        r_.array_value(value, p_key, 1000);
        p.extra_holidays.clear();
        for (size_t i = 0; i < value.size(); ++i) {
          const std::string dp = JsonReader::index(p_key, i);
          const std::string text = r_.string_value(value[i], dp);
          auto date = parse_civil_date(text);
          if (!date.ok()) r_.fail(HomeErrorKind::kBadValue, dp, "not a date YYYY-MM-DD: " + text);
          if (!p.extra_holidays.empty() && !(p.extra_holidays.back() < *date)) {
            r_.fail(HomeErrorKind::kBadValue, dp, "extra_holidays must be strictly ascending");
          }
          p.extra_holidays.push_back(*date);
        }
        continue;
      }
      const PolicyIntParam* param = find_policy_int_param(key);
      if (param == nullptr) r_.fail(HomeErrorKind::kUnknownPolicy, p_key, "no policy parameter " + key);
      const uint64_t v = r_.unsigned_value(value, p_key);
      if (v < static_cast<uint64_t>(param->min) || v > static_cast<uint64_t>(kMaxPolicyDays)) {
        r_.fail(HomeErrorKind::kBadValue, p_key,
                std::to_string(param->min) + " to " + std::to_string(kMaxPolicyDays) + " days");
      }
      p.*(param->field) = static_cast<int32_t>(v);
    }
    // The contracts' remaining bounds (contracts/policy.h), so genesis_state cannot refuse what parsed.
    Status checked = check_policy(p);
    if (!checked.ok()) r_.fail(HomeErrorKind::kBadValue, path, checked.error().message);
  }

  JsonReader& r_;
  std::set<std::string> ids_;
};

void put_u64(Bytes& out, uint64_t v) { put_u64_be(out, v); }
void put_bytes(Bytes& out, ByteView b) {
  put_u64(out, b.size());
  out.insert(out.end(), b.begin(), b.end());
}

}  // namespace

GenesisInstitution read_genesis_institution(JsonReader& r, const json& obj, const std::string& path) {
  GenesisInstitution inst;
  const std::string id_path = JsonReader::join(path, "id");
  inst.id = r.string_value(r.field(obj, path, "id"), id_path);
  if (!is_allowed_code(inst.id)) {
    r.fail(HomeErrorKind::kBadValue, id_path,
           "not a code (1 to 64 characters of [A-Za-z0-9._:-], not BSN-shaped): " + inst.id);
  }
  const std::string role_path = JsonReader::join(path, "role");
  const std::string role = r.string_value(r.field(obj, path, "role"), role_path);
  if (!cv1::Role_Parse(role, &inst.role) || inst.role == cv1::ROLE_UNSPECIFIED) {
    r.fail(HomeErrorKind::kBadRole, role_path, "unknown role " + role + " (COURT, RVDK, MUNICIPALITY, GI or AUDITOR)");
  }
  const std::string kp = JsonReader::join(path, "member_keys");
  const json& keys = r.array_value(r.field(obj, path, "member_keys"), kp, kMaxMemberKeysPerInstitution);
  if (keys.empty()) r.fail(HomeErrorKind::kBadValue, kp, "at least one member key");
  for (size_t k = 0; k < keys.size(); ++k) inst.members.push_back(r.public_key_value(keys[k], JsonReader::index(kp, k)));
  return inst;
}

nlohmann::ordered_json institution_json(const GenesisInstitution& institution) {
  using ojson = nlohmann::ordered_json;
  ojson keys = ojson::array();
  for (const PublicKey& k : institution.members) keys.push_back(k.hex());
  return ojson{{"id", institution.id}, {"role", cv1::Role_Name(institution.role)}, {"member_keys", std::move(keys)}};
}

bool operator==(const Genesis& a, const Genesis& b) {
  if (a.chain_id != b.chain_id || a.genesis_time_ms != b.genesis_time_ms || !(a.policy == b.policy) ||
      a.rules_version != b.rules_version) {
    return false;
  }
  if (a.institutions.size() != b.institutions.size() || a.validators.size() != b.validators.size()) return false;
  for (size_t i = 0; i < a.institutions.size(); ++i) {
    const GenesisInstitution& x = a.institutions[i];
    const GenesisInstitution& y = b.institutions[i];
    if (x.id != y.id || x.role != y.role || x.members != y.members) return false;
  }
  for (size_t i = 0; i < a.validators.size(); ++i) {
    const GenesisValidator& x = a.validators[i];
    const GenesisValidator& y = b.validators[i];
    if (x.key != y.key || x.power != y.power || x.institution != y.institution) return false;
  }
  return true;
}

Bytes genesis_hash_bytes(const std::string& chain_id, int64_t genesis_time_ms, const ValidatorSet& validators,
                         const WriteBatch& state_writes) {
  Bytes out;
  put_bytes(out, as_bytes(chain_id));
  put_u64(out, static_cast<uint64_t>(genesis_time_ms));
  out.insert(out.end(), validators.hash().begin(), validators.hash().end());
  put_u64(out, state_writes.size());
  for (const auto& [key, value] : state_writes.ops()) {  // std::map: ascending key order
    JOET_ASSERT(value.has_value());                       // genesis only puts
    put_bytes(out, key);
    put_bytes(out, *value);
  }
  return out;
}

Result<GenesisState> genesis_state(const Genesis& g) {
  if (!is_code_charset(g.chain_id)) return invalid("chain_id must be " + std::string(kChainIdRule));
  if (!is_supported_utc_ms(g.genesis_time_ms)) return invalid("genesis_time outside 1900..9999");
  auto writes = genesis_registry_writes(g.institutions);
  if (!writes.ok()) return writes.error();
  std::set<std::string> ids;
  for (const GenesisInstitution& i : g.institutions) ids.insert(i.id);
  v1::ValidatorSet set;
  for (const GenesisValidator& v : g.validators) {
    if (!v.institution.empty() && ids.count(v.institution) == 0) {
      return invalid("validator " + v.key.hex() + " names an unknown institution " + v.institution);
    }
    v1::Validator* out = set.add_validators();
    out->set_public_key(to_string(v.key.bytes()));
    out->set_power(v.power);
    out->set_institution(v.institution);
  }
  auto validators = ValidatorSet::create(std::move(set));
  if (!validators.ok()) return invalid(validators.error().message);
  auto policy = genesis_policy_writes(g.policy);
  if (!policy.ok()) return policy.error();
  for (const auto& [key, value] : policy->ops()) {
    JOET_ASSERT(!writes->find(key).has_value());  // the two genesis writes never share a key
    JOET_ASSERT(value.has_value());
    writes->put(key, *value);
  }
  auto rules = genesis_rules_writes(g.rules_version);
  if (!rules.ok()) return invalid(rules.error().message);
  for (const auto& [key, value] : rules->ops()) {
    JOET_ASSERT(!writes->find(key).has_value());
    writes->put(key, *value);
  }
  const Hash32 hash =
      tagged_hash(kGenesisHashTag, genesis_hash_bytes(g.chain_id, g.genesis_time_ms, *validators, *writes));
  return GenesisState{g.chain_id, g.genesis_time_ms, std::move(*writes), std::move(*validators), hash};
}

Loaded<Genesis> parse_genesis(std::string_view json_text, const std::string& file) {
  JsonReader r(file);
  GenesisReader reader(r);
  return r.parse<Genesis>(json_text, [&reader](const json& doc) { return reader.read(doc); });
}

Loaded<Genesis> load_genesis(const std::string& path) {
  auto file = read_file_limited(path, kMaxGenesisBytes);
  if (!file.ok()) return Loaded<Genesis>::failure(file.error);
  return parse_genesis(file.value->text, path);
}

std::string write_genesis(const Genesis& g) {
  using ojson = nlohmann::ordered_json;
  ojson doc = ojson::object();
  doc["chain_id"] = g.chain_id;
  doc["genesis_time"] = format_utc_time(g.genesis_time_ms);
  ojson institutions = ojson::array();
  for (const GenesisInstitution& i : g.institutions) institutions.push_back(institution_json(i));
  doc["institutions"] = std::move(institutions);
  ojson validators = ojson::array();
  for (const GenesisValidator& v : g.validators) {
    ojson e{{"key", v.key.hex()}, {"power", v.power}};
    if (!v.institution.empty()) e["institution"] = v.institution;
    validators.push_back(std::move(e));
  }
  doc["validators"] = std::move(validators);
  ojson policy = ojson::object();
  for (const PolicyIntParam& p : policy_int_params()) policy[std::string(p.name)] = g.policy.*(p.field);
  ojson holidays = ojson::array();
  for (const CivilDate& d : g.policy.extra_holidays) holidays.push_back(to_string(d));
  policy["extra_holidays"] = std::move(holidays);
  doc["policy"] = std::move(policy);
  doc["rules_version"] = g.rules_version;
  return doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace joet::home
