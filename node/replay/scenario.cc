#include "node/replay/scenario.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <initializer_list>
#include <limits>
#include <map>
#include <set>
#include <sstream>
#include <utility>

#include <nlohmann/json.hpp>

#include "contracts/amsterdam_time.h"
#include "contracts/civil_date.h"
#include "contracts/policy.h"
#include "contracts/rules.h"
#include "ledger/bytes.h"
#include "ledger/codec.h"
#include "ledger/hash.h"

namespace joet::replay {
namespace {

using nlohmann::json;
namespace cv1 = ::joet::contracts::v1;

// Thrown by Parser::fail once the error is recorded, so that the parse stops at the first error
// without an `if (!ok) return` after every field; it never leaves this file (Parser::run catches it).
struct Failed {};

class Parser {
 public:
  ParsedScenario run(std::string_view text) {
    ParsedScenario out;
    json doc = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded()) {
      out.error = {ScenarioErrorKind::kSyntax, "", "not valid JSON"};
      return out;
    }
    try {
      out.scenario = scenario(doc);
    } catch (const Failed&) {
      out.scenario.reset();
      out.error = error_;
    }
    return out;
  }

 private:
  [[noreturn]] void fail(ScenarioErrorKind kind, std::string path, std::string message) {
    error_ = {kind, std::move(path), std::move(message)};
    throw Failed{};
  }

  static std::string type_of(const json& j) { return j.type_name(); }

  void require_object(const json& j, const std::string& path, std::initializer_list<std::string_view> allowed) {
    if (!j.is_object()) fail(ScenarioErrorKind::kWrongType, path, "an object expected, not " + type_of(j));
    for (const auto& [key, value] : j.items()) {
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
        fail(ScenarioErrorKind::kUnknownField, join(path, key), "no such field");
      }
    }
  }
  static std::string join(const std::string& path, std::string_view key) {
    return path.empty() ? std::string(key) : path + "." + std::string(key);
  }
  static std::string index(const std::string& path, size_t i) { return path + "[" + std::to_string(i) + "]"; }

  const json& field(const json& obj, const std::string& path, std::string_view key) {
    auto it = obj.find(std::string(key));
    if (it == obj.end()) fail(ScenarioErrorKind::kMissingField, join(path, key), "required");
    return *it;
  }
  std::string string_value(const json& j, const std::string& path) {
    if (!j.is_string()) fail(ScenarioErrorKind::kWrongType, path, "a string expected, not " + type_of(j));
    return j.get<std::string>();
  }
  const json& array_value(const json& j, const std::string& path) {
    if (!j.is_array()) fail(ScenarioErrorKind::kWrongType, path, "an array expected, not " + type_of(j));
    return j;
  }
  uint64_t unsigned_value(const json& j, const std::string& path) {
    if (j.is_number_unsigned()) return j.get<uint64_t>();
    if (j.is_number_integer()) fail(ScenarioErrorKind::kBadValue, path, "must not be negative");
    fail(ScenarioErrorKind::kWrongType, path, "an integer expected, not " + type_of(j));
  }

  Scenario scenario(const json& doc) {
    require_object(doc, "", {"description", "chain_id", "institutions", "outsiders", "policy", "rules_version", "blocks"});
    Scenario s;
    if (doc.contains("description")) string_value(doc["description"], "description");
    if (doc.contains("chain_id")) {
      s.chain_id = string_value(doc["chain_id"], "chain_id");
      if (s.chain_id.empty()) fail(ScenarioErrorKind::kBadValue, "chain_id", "must not be empty");
    }
    institutions(field(doc, "", "institutions"), s);
    if (doc.contains("outsiders")) outsiders(doc["outsiders"], s);
    if (doc.contains("policy")) policy(doc["policy"], s.policy);
    if (doc.contains("rules_version")) {
      const uint64_t v = unsigned_value(doc["rules_version"], "rules_version");
      if (v > UINT32_MAX || find_rules(built_in_rules(), static_cast<uint32_t>(v)) == nullptr) {
        fail(ScenarioErrorKind::kBadValue, "rules_version",
             "rules version " + std::to_string(v) + " is not one this build has (1.." + std::to_string(latest_rules_version()) + ")");
      }
      s.rules_version = static_cast<uint32_t>(v);
    }
    blocks(field(doc, "", "blocks"), s);
    return s;
  }

  void add_signer(const std::string& name, const std::string& path) {
    if (name.empty()) fail(ScenarioErrorKind::kBadValue, path, "a signer name must not be empty");
    if (!signers_.insert(name).second) fail(ScenarioErrorKind::kDuplicate, path, "signer " + name + " given twice");
  }

  void institutions(const json& j, Scenario& s) {
    const std::string path = "institutions";
    array_value(j, path);
    if (j.empty()) fail(ScenarioErrorKind::kBadValue, path, "at least one institution");
    std::set<std::string> ids;
    for (size_t i = 0; i < j.size(); ++i) {
      const std::string p = index(path, i);
      const json& e = j[i];
      require_object(e, p, {"id", "role", "signers"});
      ScenarioInstitution inst;
      inst.id = string_value(field(e, p, "id"), join(p, "id"));
      if (!ids.insert(inst.id).second) fail(ScenarioErrorKind::kDuplicate, join(p, "id"), "institution " + inst.id + " given twice");
      const std::string role = string_value(field(e, p, "role"), join(p, "role"));
      if (!cv1::Role_Parse(role, &inst.role) || inst.role == cv1::ROLE_UNSPECIFIED) {
        fail(ScenarioErrorKind::kBadRole, join(p, "role"), "unknown role " + role);
      }
      if (e.contains("signers")) {
        const std::string sp = join(p, "signers");
        const json& names = array_value(e["signers"], sp);
        if (names.empty()) fail(ScenarioErrorKind::kBadValue, sp, "at least one signer");
        for (size_t k = 0; k < names.size(); ++k) inst.signers.push_back(string_value(names[k], index(sp, k)));
      } else {
        inst.signers.push_back(inst.id);
      }
      for (size_t k = 0; k < inst.signers.size(); ++k) {
        add_signer(inst.signers[k], e.contains("signers") ? index(join(p, "signers"), k) : join(p, "id"));
      }
      s.institutions.push_back(std::move(inst));
    }
  }

  void outsiders(const json& j, Scenario& s) {
    const std::string path = "outsiders";
    array_value(j, path);
    for (size_t i = 0; i < j.size(); ++i) {
      s.outsiders.push_back(string_value(j[i], index(path, i)));
      add_signer(s.outsiders.back(), index(path, i));
    }
  }

  void policy(const json& j, Policy& p) {
    const std::string path = "policy";
    if (!j.is_object()) fail(ScenarioErrorKind::kWrongType, path, "an object expected, not " + type_of(j));
    for (const auto& [key, value] : j.items()) {
      const std::string p_key = join(path, key);
      if (key == "extra_holidays") {
        array_value(value, p_key);
        p.extra_holidays.clear();
        for (size_t i = 0; i < value.size(); ++i) {
          const std::string text = string_value(value[i], index(p_key, i));
          auto date = parse_civil_date(text);
          if (!date.ok()) fail(ScenarioErrorKind::kBadValue, index(p_key, i), "not a date YYYY-MM-DD: " + text);
          if (!p.extra_holidays.empty() && !(p.extra_holidays.back() < *date)) {
            fail(ScenarioErrorKind::kBadValue, index(p_key, i), "extra_holidays must be strictly ascending");
          }
          p.extra_holidays.push_back(*date);
        }
        continue;
      }
      const PolicyIntParam* param = find_policy_int_param(key);
      if (param == nullptr) fail(ScenarioErrorKind::kUnknownPolicy, p_key, "no policy parameter " + key);
      const uint64_t v = unsigned_value(value, p_key);
      if (v > static_cast<uint64_t>(std::numeric_limits<int32_t>::max())) {
        fail(ScenarioErrorKind::kBadValue, p_key, "out of range");
      }
      p.*(param->field) = static_cast<int32_t>(v);
    }
    // The contracts' own bounds (contracts/policy.h), so genesis cannot refuse what parsed.
    Status checked = check_policy(p);
    if (!checked.ok()) fail(ScenarioErrorKind::kBadValue, path, checked.error().message);
  }

  void blocks(const json& j, Scenario& s) {
    const std::string path = "blocks";
    array_value(j, path);
    std::map<std::string, uint64_t> nonces;  // the last nonce used per signer
    std::optional<int64_t> previous;
    for (size_t i = 0; i < j.size(); ++i) {
      const std::string p = index(path, i);
      const json& e = j[i];
      require_object(e, p, {"time", "txs", "comment"});
      if (e.contains("comment")) string_value(e["comment"], join(p, "comment"));
      ScenarioBlock b;
      const std::string tp = join(p, "time");
      const std::string time = string_value(field(e, p, "time"), tp);
      auto t = parse_utc_time(time);
      if (!t) fail(ScenarioErrorKind::kBadTime, tp, "not an ISO-8601 UTC time YYYY-MM-DDTHH:MM:SS[.mmm]Z: " + time);
      if (previous && *t <= *previous) {
        fail(ScenarioErrorKind::kTimeNotIncreasing, tp, time + " is not after the previous block's " + format_utc_time(*previous));
      }
      previous = *t;
      b.time_ms = *t;
      if (e.contains("txs")) {
        const std::string xp = join(p, "txs");
        const json& txs = array_value(e["txs"], xp);
        if (txs.size() > limits::kMaxBlockTxs) {
          fail(ScenarioErrorKind::kBadValue, xp, "at most " + std::to_string(limits::kMaxBlockTxs) + " txs in a block");
        }
        for (size_t k = 0; k < txs.size(); ++k) b.txs.push_back(tx(txs[k], index(xp, k), nonces));
      }
      s.blocks.push_back(std::move(b));
    }
  }

  ScenarioTx tx(const json& e, const std::string& p, std::map<std::string, uint64_t>& nonces) {
    require_object(e, p, {"signer", "signers", "action", "args", "nonce", "max_height", "comment"});
    if (e.contains("comment")) string_value(e["comment"], join(p, "comment"));
    ScenarioTx t;
    if (e.contains("signer") == e.contains("signers")) {
      fail(e.contains("signer") ? ScenarioErrorKind::kBadValue : ScenarioErrorKind::kMissingField, join(p, "signer"),
           "give either signer (one key) or signers (several)");
    }
    if (e.contains("signer")) {
      t.signers.push_back(known_signer(e["signer"], join(p, "signer")));
    } else {
      const std::string sp = join(p, "signers");
      const json& names = array_value(e["signers"], sp);
      if (names.empty()) fail(ScenarioErrorKind::kBadValue, sp, "at least one signer");
      for (size_t k = 0; k < names.size(); ++k) t.signers.push_back(known_signer(names[k], index(sp, k)));
    }
    t.action = string_value(field(e, p, "action"), join(p, "action"));
    if (e.contains("args")) {
      const std::string ap = join(p, "args");
      const json& args = e["args"];
      if (!args.is_object()) fail(ScenarioErrorKind::kWrongType, ap, "an object expected, not " + type_of(args));
      for (const auto& [name, value] : args.items()) t.args.push_back(arg(name, value, join(ap, name)));
      std::sort(t.args.begin(), t.args.end(), [](const v1::Arg& a, const v1::Arg& b) { return a.name() < b.name(); });
    }
    uint64_t& last = nonces[t.signers.front()];
    if (e.contains("nonce")) {
      t.nonce = unsigned_value(e["nonce"], join(p, "nonce"));
    } else {
      if (last == std::numeric_limits<uint64_t>::max()) fail(ScenarioErrorKind::kBadValue, join(p, "nonce"), "nonce overflow");
      t.nonce = last + 1;
    }
    last = t.nonce;
    if (e.contains("max_height")) t.max_height = unsigned_value(e["max_height"], join(p, "max_height"));
    return t;
  }

  std::string known_signer(const json& j, const std::string& path) {
    std::string name = string_value(j, path);
    if (signers_.count(name) == 0) fail(ScenarioErrorKind::kUnknownSigner, path, "no institution signer or outsider named " + name);
    return name;
  }

  v1::Arg arg(const std::string& name, const json& value, const std::string& path) {
    v1::Arg a;
    a.set_name(name);
    if (value.is_string()) {
      a.set_text(value.get<std::string>());
    } else if (value.is_boolean()) {
      a.set_flag(value.get<bool>());
    } else if (value.is_number_unsigned()) {
      const uint64_t v = value.get<uint64_t>();
      if (v > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
        fail(ScenarioErrorKind::kBadValue, path, "integer out of the int64 range");
      }
      a.set_integer(static_cast<int64_t>(v));
    } else if (value.is_number_integer()) {
      a.set_integer(value.get<int64_t>());
    } else if (value.is_object() && value.size() == 1 && value.contains("hash")) {
      const std::string hex = string_value(value["hash"], join(path, "hash"));
      auto h = hash32_from_hex(hex);
      if (!h.ok()) fail(ScenarioErrorKind::kBadHash, join(path, "hash"), "not 64 hex digits");
      a.set_hash(to_string(*h));
    } else if (value.is_object() && value.size() == 1 && value.contains("doc")) {
      const std::string doc = string_value(value["doc"], join(path, "doc"));
      a.set_hash(to_string(sha256(doc)));
    } else {
      fail(ScenarioErrorKind::kUnknownArgType, path,
           "an arg is a string, an integer, a boolean, {\"hash\": \"<64 hex>\"} or {\"doc\": \"...\"}, not " +
               (value.is_object() ? std::string("this object") : type_of(value)));
    }
    return a;
  }

  ScenarioError error_;
  std::set<std::string> signers_;
};

}  // namespace

std::string_view scenario_error_name(ScenarioErrorKind kind) {
  switch (kind) {
    case ScenarioErrorKind::kIo: return "IO";
    case ScenarioErrorKind::kSyntax: return "SYNTAX";
    case ScenarioErrorKind::kMissingField: return "MISSING_FIELD";
    case ScenarioErrorKind::kUnknownField: return "UNKNOWN_FIELD";
    case ScenarioErrorKind::kWrongType: return "WRONG_TYPE";
    case ScenarioErrorKind::kBadValue: return "BAD_VALUE";
    case ScenarioErrorKind::kBadRole: return "BAD_ROLE";
    case ScenarioErrorKind::kDuplicate: return "DUPLICATE";
    case ScenarioErrorKind::kUnknownSigner: return "UNKNOWN_SIGNER";
    case ScenarioErrorKind::kBadTime: return "BAD_TIME";
    case ScenarioErrorKind::kTimeNotIncreasing: return "TIME_NOT_INCREASING";
    case ScenarioErrorKind::kUnknownArgType: return "UNKNOWN_ARG_TYPE";
    case ScenarioErrorKind::kBadHash: return "BAD_HASH";
    case ScenarioErrorKind::kUnknownPolicy: return "UNKNOWN_POLICY";
  }
  JOET_ASSERT(false);
}

std::string ScenarioError::to_string() const {
  return (path.empty() ? std::string("(document)") : path) + ": " + std::string(scenario_error_name(kind)) + ": " +
         message;
}

ParsedScenario parse_scenario(std::string_view json_text) { return Parser().run(json_text); }

ParsedScenario load_scenario(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  if (in) text << in.rdbuf();
  if (!in || in.bad()) {
    ParsedScenario out;
    out.error = {ScenarioErrorKind::kIo, "", "cannot read " + path};
    return out;
  }
  return parse_scenario(text.str());
}

}  // namespace joet::replay
