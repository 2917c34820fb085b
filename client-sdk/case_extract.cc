#include "client-sdk/case_extract.h"

#include <set>
#include <utility>

#include <google/protobuf/util/json_util.h>

#include "contracts/amsterdam_time.h"
#include "contracts/explainer.h"
#include "contracts/policy.h"
#include "contracts/quickscan.h"
#include "contracts/rules.h"
#include "contracts/state.h"
#include "ledger/block.h"
#include "ledger/codec.h"
#include "ledger/kv_store.h"
#include "contracts/statistics.h"
#include "node/case_checks_json.h"

namespace joet::sdk {
namespace {

using json = nlohmann::ordered_json;

// The fields of an RPC answer the light client verifies; everything else (decoded views) is dropped.
constexpr std::string_view kProofFields[] = {"header", "certificate", "proof", "tx", "result_leaf", "result_proof",
                                             "validator_set"};

ExtractFault fault_of(std::string item, const LightClientError& e) {
  return ExtractFault{std::move(item), std::string(light_fault_name(e.fault)), e.message};
}

bool starts_with(const std::string& s, std::string_view prefix) { return s.rfind(prefix, 0) == 0; }

// A proven state value as JSON: the record type its key holds, or hex.
json record_json(const std::string& key, const std::string& value) {
  auto as = [&](auto message) -> json {
    if (!message.ParseFromString(value)) return to_hex(as_bytes(value));
    return proto_json(message);
  };
  if (starts_with(key, "c/req/")) return as(cv1::Request());
  if (starts_with(key, "c/aanw/")) return as(cv1::Aanwijzing());
  if (starts_with(key, "c/compl/")) return as(cv1::Complaint());
  if (starts_with(key, "c/escal/")) return as(cv1::Escalation());
  if (starts_with(key, "c/prof/")) return as(cv1::Professional());
  if (key == to_string(state_keys::policy())) return as(cv1::PolicyParams());
  if (key == to_string(state_keys::rules_schedule())) return as(cv1::RulesSchedule());
  return to_hex(as_bytes(value));
}

// The state key of the record a tx of the case names by id (request.file's request, ...), if any.
std::optional<Bytes> named_record(const v1::TxBody& body, const std::string& case_id) {
  struct Names {
    std::string_view action, arg;
    Bytes (*key)(std::string_view, std::string_view);
  };
  static constexpr Names kNames[] = {{"request.file", "request", &state_keys::request},
                                     {"gi.aanwijzing", "aanwijzing", &state_keys::aanwijzing},
                                     {"complaint.file", "complaint", &state_keys::complaint},
                                     {"escalation.request", "escalation", &state_keys::escalation}};
  for (const Names& n : kNames) {
    if (body.action() != n.action) continue;
    for (const v1::Arg& a : body.args()) {
      if (a.name() == n.arg && a.has_text() && !a.text().empty() && a.text().find('/') == std::string::npos) {
        return n.key(case_id, a.text());
      }
    }
  }
  return std::nullopt;
}

std::string case_arg(const v1::TxBody& body) {
  for (const v1::Arg& a : body.args()) {
    if (a.name() == "case" && a.has_text()) return a.text();
  }
  return "";
}

// The first place two JSON values differ, as an item path ("txs[2]", "proofs[/v1/headers/7]").
std::string first_difference(const json& file, const json& proven) {
  if (!file.is_object() || !proven.is_object()) return "file";
  std::vector<std::string> keys;
  for (auto it = proven.begin(); it != proven.end(); ++it) keys.push_back(it.key());
  for (auto it = file.begin(); it != file.end(); ++it) {
    if (!proven.contains(it.key())) return it.key();
  }
  for (const std::string& k : keys) {
    if (!file.contains(k)) return k;
    const json& a = file[k];
    const json& b = proven[k];
    if (a == b) continue;
    if (a.is_array() && b.is_array()) {
      for (size_t i = 0; i < std::max(a.size(), b.size()); ++i) {
        if (i >= a.size() || i >= b.size() || a[i] != b[i]) return k + "[" + std::to_string(i) + "]";
      }
    }
    if (a.is_object() && b.is_object()) {
      for (auto it = b.begin(); it != b.end(); ++it) {
        if (!a.contains(it.key()) || a[it.key()] != it.value()) return k + "[" + it.key() + "]";
      }
      for (auto it = a.begin(); it != a.end(); ++it) {
        if (!b.contains(it.key())) return k + "[" + it.key() + "]";
      }
    }
    return k;
  }
  return "file";
}

std::string escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

// The quickscan's statuses in the words of the dashboard (inzicht/web/labels.js).
std::string_view status_text(const std::string& status) {
  if (status == "MET") return "in orde";
  if (status == "VIOLATED") return "niet nagekomen";
  if (status == "PENDING") return "loopt nog";
  if (status == "NOT_APPLICABLE") return "niet van toepassing";
  return status;
}

std::string text_of(const json& v) { return v.is_string() ? v.get<std::string>() : (v.is_null() ? "" : v.dump()); }

}  // namespace

std::string ExtractFault::to_string() const { return item + ": " + code + ": " + message; }

ExtractPlan plan_from_timeline(std::string case_id, uint64_t height, const nlohmann::json& entries) {
  ExtractPlan plan{std::move(case_id), height, {}, {}};
  std::set<std::string> txs;
  std::set<std::pair<std::string, uint64_t>> events;
  if (!entries.is_array()) return plan;
  for (const nlohmann::json& e : entries) {
    if (!e.is_object()) continue;
    const std::string type = e.value("type", "");
    if (type == "tx" && e.contains("tx_id") && e["tx_id"].is_string() && txs.insert(e["tx_id"].get<std::string>()).second) {
      if (Result<Hash32> id = hash32_from_hex(e["tx_id"].get<std::string>()); id.ok()) plan.tx_ids.push_back(*id);
    } else if (type == "event" && e.contains("recipient") && e["recipient"].is_string() && e.contains("seq") &&
               e["seq"].is_number_unsigned()) {
      std::pair<std::string, uint64_t> ref{e["recipient"].get<std::string>(), e["seq"].get<uint64_t>()};
      if (events.insert(ref).second) plan.events.push_back(std::move(ref));
    }
  }
  return plan;
}

json proto_json(const google::protobuf::Message& message) {
  std::string text;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  if (!google::protobuf::util::MessageToJsonString(message, &text, options).ok()) return nullptr;
  return json::parse(text, nullptr, false);
}

RpcGet recording_get(RpcGet inner, ProofAnswers& kept) {
  return [inner = std::move(inner), &kept](const std::string& target) -> Result<HttpResponse> {
    Result<HttpResponse> answer = inner(target);
    if (!answer.ok() || answer->status != 200) return answer;
    const json body = json::parse(answer->body, nullptr, false);
    if (!body.is_object()) return answer;
    json reduced = json::object();
    for (std::string_view f : kProofFields) {
      if (body.contains(f)) reduced[std::string(f)] = body[std::string(f)];
    }
    kept[target] = reduced;
    return HttpResponse{200, reduced.dump()};
  };
}

RpcGet replay_get(const ProofAnswers& answers) {
  return [&answers](const std::string& target) -> Result<HttpResponse> {
    auto it = answers.find(target);
    if (it == answers.end()) {
      return HttpResponse{404, json{{"error", {{"code", "MISSING_PROOF"}, {"message", "the extract holds no answer for " + target}}}}.dump()};
    }
    return HttpResponse{200, it->second.dump()};
  };
}

ValueOr<json, ExtractFault> build_case_extract(LightClient& client, const ExtractPlan& plan, const ProofAnswers& kept) {
  Verified<VerifiedCase> c = client.case_record(plan.case_id, plan.height);
  if (!c.ok()) return fault_of("case", c.error());
  if (!c->record.has_value()) {
    return ExtractFault{"case", "CASE_UNKNOWN", "no case " + plan.case_id + " at height " +
                                                    std::to_string(c->state.header.header.height())};
  }
  const VerifiedHeader& at = c->state.header;
  const uint64_t height = at.header.height();
  const cv1::Case& record = *c->record;

  MemoryKvStore proven;  // the proven records, as the quickscan reads them
  WriteBatch batch;
  batch.put(state_keys::case_record(plan.case_id), *c->state.value);
  json records = json::array();
  auto prove = [&](const Bytes& key) -> std::optional<ExtractFault> {
    Verified<VerifiedState> s = client.case_state(plan.case_id, key, height);
    if (!s.ok()) return fault_of("records[" + to_string(key) + "]", s.error());
    records.push_back({{"key", to_string(key)},
                       {"present", s->value.has_value()},
                       {"value", s->value ? record_json(to_string(key), to_string(*s->value)) : json()}});
    if (s->value) batch.put(key, *s->value);
    return std::nullopt;
  };
  for (const Bytes& key : {state_keys::policy(), state_keys::rules_schedule()}) {
    if (auto f = prove(key)) return *f;
  }
  JOET_ASSERT(proven.write(batch, false).ok());
  Result<Policy> policy = load_policy(ContractState(proven), Policy{});
  if (!policy.ok()) return ExtractFault{"records[c/meta/policy]", "MALFORMED", policy.error().to_string()};

  json txs = json::array();
  std::set<Bytes> keys;
  for (size_t i = 0; i < plan.tx_ids.size(); ++i) {
    const std::string item = "txs[" + std::to_string(i) + "]";
    Verified<VerifiedTx> t = client.tx(plan.tx_ids[i]);
    if (!t.ok()) return fault_of(item, t.error());
    Result<v1::TxBody> body = decode_tx_body(as_bytes(t->tx.body()));
    if (!body.ok()) return ExtractFault{item, "MALFORMED", body.error().to_string()};
    if (case_arg(*body) != plan.case_id) return ExtractFault{item, "NOT_OF_CASE", "the tx names case " + case_arg(*body)};
    if (t->header.header.height() > height) {
      return ExtractFault{item, "NOT_OF_CASE", "the tx is of height " + std::to_string(t->header.header.height()) +
                                                   ", after the extract's " + std::to_string(height)};
    }
    if (auto key = named_record(*body, plan.case_id)) keys.insert(*key);
    json signers = json::array();
    for (const v1::Signature& s : t->tx.signatures()) signers.push_back(to_hex(as_bytes(s.public_key())));
    txs.push_back({{"tx_id", to_hex(t->tx_id)},
                   {"height", t->header.header.height()},
                   {"time_ms", t->header.header.time_ms()},
                   {"index", t->index},
                   {"action", body->action()},
                   {"body", proto_json(*body)},
                   {"signers", std::move(signers)},
                   {"result", t->result ? json{{"code", t->result->code()}, {"message", t->result->message()}} : json()}});
  }
  json events = json::array();
  for (size_t i = 0; i < plan.events.size(); ++i) {
    const std::string item = "events[" + std::to_string(i) + "]";
    const auto& [recipient, seq] = plan.events[i];
    if (recipient.empty() || recipient.find('/') != std::string::npos) {
      return ExtractFault{item, "MALFORMED", "a recipient is an institution id"};
    }
    Verified<VerifiedState> s = client.case_state(plan.case_id, state_keys::event(recipient, seq), height);
    if (!s.ok()) return fault_of(item, s.error());
    cv1::Event e;
    if (!s->value || !e.ParseFromArray(s->value->data(), static_cast<int>(s->value->size())) || e.case_id() != plan.case_id) {
      return ExtractFault{item, "NOT_OF_CASE", "event " + std::to_string(seq) + " of " + recipient + " is not about the case"};
    }
    events.push_back({{"recipient", recipient}, {"seq", seq}, {"event", proto_json(e)}});
  }
  if (!record.gi().empty() && !record.jeugdbeschermer().empty()) {
    keys.insert(state_keys::professional(record.gi(), record.jeugdbeschermer()));
  }
  if (record.measure().kind() != cv1::MEASURE_KIND_UNSPECIFIED && !record.gi().empty()) {
    const CivilDate due = civil_from_days(record.measure().start_day() + policy->plan_days);
    keys.insert(state_keys::stat_case(month_code(due), "PLAN_MISSED", record.gi(), plan.case_id));
  }
  batch.clear();
  for (const Bytes& key : keys) {
    if (auto f = prove(key)) return *f;
  }
  JOET_ASSERT(proven.write(batch, false).ok());

  Result<std::optional<CaseReading>> reading = read_case(proven, plan.case_id, height);
  if (!reading.ok()) return ExtractFault{"records", "MALFORMED", reading.error().to_string()};
  JOET_ASSERT(reading->has_value());
  const CaseReading& r = **reading;
  const int64_t time_ms = static_cast<int64_t>(at.header.time_ms());
  json out = {{"format", kExtractFormat},
              {"chain_id", at.header.chain_id()},
              {"case_id", plan.case_id},
              {"height", height},
              {"block_hash", to_hex(at.block_hash)},
              {"time_ms", at.header.time_ms()},
              {"rules_version", r.statute->version},
              {"case", proto_json(record)},
              {"records", std::move(records)},
              {"txs", std::move(txs)},
              {"events", std::move(events)},
              {"quickscan", quickscan_json(quickscan(r.records, r.policy, *r.statute, time_ms))},
              {"explanation", explanation_json(explain_case(r.records, r.policy, *r.statute, time_ms))}};
  json proofs = json::object();
  for (const auto& [target, answer] : kept) proofs[target] = answer;
  out["proofs"] = std::move(proofs);
  return out;
}

std::string extract_text(const json& extract) { return extract.dump(1) + "\n"; }

std::optional<ExtractFault> verify_case_extract(std::string_view text, const TrustedValidators& genesis) {
  const json file = json::parse(text, nullptr, false);
  if (file.is_discarded() || !file.is_object()) return ExtractFault{"file", "MALFORMED", "not a JSON object"};
  if (file.value("format", "") != kExtractFormat) {
    return ExtractFault{"format", "MALFORMED", "not a " + std::string(kExtractFormat) + " file"};
  }
  if (file.value("chain_id", "") != genesis.chain_id) {
    return ExtractFault{"chain_id", "WRONG_CHAIN", "the extract is of chain " + file.value("chain_id", "") +
                                                       ", the genesis of " + genesis.chain_id};
  }
  ExtractPlan plan;
  plan.case_id = file.value("case_id", "");
  if (!file.contains("height") || !file["height"].is_number_unsigned()) return ExtractFault{"height", "MALFORMED", "no height"};
  plan.height = file["height"].get<uint64_t>();
  if (!file.contains("txs") || !file["txs"].is_array()) return ExtractFault{"txs", "MALFORMED", "no txs"};
  for (size_t i = 0; i < file["txs"].size(); ++i) {
    const json& t = file["txs"][i];
    Result<Hash32> id = t.is_object() && t.contains("tx_id") && t["tx_id"].is_string()
                            ? hash32_from_hex(t["tx_id"].get<std::string>())
                            : Result<Hash32>(make_error(ErrorCode::kMalformed, "no tx_id"));
    if (!id.ok()) return ExtractFault{"txs[" + std::to_string(i) + "]", "MALFORMED", id.error().message};
    plan.tx_ids.push_back(*id);
  }
  if (!file.contains("events") || !file["events"].is_array()) return ExtractFault{"events", "MALFORMED", "no events"};
  for (size_t i = 0; i < file["events"].size(); ++i) {
    const json& e = file["events"][i];
    if (!e.is_object() || !e.contains("recipient") || !e["recipient"].is_string() || !e.contains("seq") ||
        !e["seq"].is_number_unsigned()) {
      return ExtractFault{"events[" + std::to_string(i) + "]", "MALFORMED", "an event is {recipient, seq, event}"};
    }
    plan.events.emplace_back(e["recipient"].get<std::string>(), e["seq"].get<uint64_t>());
  }
  if (!file.contains("proofs") || !file["proofs"].is_object()) return ExtractFault{"proofs", "MALFORMED", "no proofs"};
  ProofAnswers carried;
  for (auto it = file["proofs"].begin(); it != file["proofs"].end(); ++it) carried[it.key()] = it.value();
  ProofAnswers used;
  LightClient client(recording_get(replay_get(carried), used), genesis);
  ValueOr<json, ExtractFault> rebuilt = build_case_extract(client, plan, used);
  if (!rebuilt.ok()) {
    ExtractFault f = rebuilt.error();
    // Offline, "unavailable" can only mean an answer the file does not carry.
    if (f.code == light_fault_name(LightFault::kUnavailable)) f.code = "MISSING_PROOF";
    return f;
  }
  if (extract_text(*rebuilt) == text) return std::nullopt;
  const std::string where = first_difference(file, *rebuilt);
  return ExtractFault{where, "MISMATCH", "the file's " + where + " is not what its proofs give"};
}

std::string extract_html(const json& x) {
  std::string h;
  h += "<!doctype html>\n<html lang=\"nl\"><head><meta charset=\"utf-8\"><title>Uittreksel zaak " +
       escape(text_of(x["case_id"])) + "</title>\n<style>body{font-family:sans-serif;max-width:60rem;margin:2rem auto;"
       "line-height:1.45}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.3rem;"
       "text-align:left;vertical-align:top;overflow-wrap:anywhere}.mono{font-family:monospace;word-break:break-all}"
       "</style></head><body>\n";
  h += "<h1>Uittreksel van zaak <span class=\"mono\">" + escape(text_of(x["case_id"])) + "</span></h1>\n";
  h += "<p>Vastgelegd op de keten <span class=\"mono\">" + escape(text_of(x["chain_id"])) + "</span> tot en met blok " +
       escape(text_of(x["height"])) + " (<span class=\"mono\">" + escape(text_of(x["block_hash"])) +
       "</span>). Controleer dit bestand met <code>joet-verify</code> en het genesis-bestand van het netwerk: "
       "dan is elk gegeven hieronder bewezen, niet op iemands woord aangenomen.</p>\n";
  h += "<h2>Uitleg voor ouders en kind</h2>\n";
  for (const json& s : x["explanation"]) {
    if (s["lines"].empty()) continue;
    h += "<h3>" + escape(text_of(s["title"])) + "</h3><ul>\n";
    for (const json& l : s["lines"]) {
      h += "<li>" + escape(text_of(l["text"])) +
           (text_of(l["legal_basis"]).empty() ? "" : " <small>(" + escape(text_of(l["legal_basis"])) + ")</small>") + "</li>\n";
    }
    h += "</ul>\n";
  }
  h += "<h2>Juridische quickscan</h2>\n<p>Per wettelijke eis of norm: de datum waarop zij is nagekomen, of de dag "
       "waarop zij uiterlijk (vóór die dag) moet of moest zijn nagekomen. De toetsen staan beschreven in "
       "docs/contracts.md, \"Quickscan\".</p>\n<table><tr><th>Toets</th><th>Betreft</th><th>Grondslag</th><th>Status</th>"
       "<th>Datum</th><th>Toelichting</th></tr>\n";
  for (const json& i : x["quickscan"]) {
    h += "<tr><td>" + escape(text_of(i["check"])) + "</td><td>" + escape(text_of(i["subject"])) + "</td><td>" +
         escape(text_of(i["legal_basis"])) + "</td><td>" + escape(status_text(text_of(i["status"]))) + "</td><td>" +
         escape(text_of(i["date"])) + "</td><td>" + escape(text_of(i["detail"])) + "</td></tr>\n";
  }
  h += "</table>\n<h2>Handelingen op de keten</h2>\n<table><tr><th>Blok</th><th>Datum</th><th>Handeling</th>"
       "<th>Uitkomst</th><th>Transactie</th></tr>\n";
  for (const json& t : x["txs"]) {
    const std::string outcome = t["result"].is_null() ? "(niet in de blokkop vastgelegd)"
                                                      : text_of(t["result"]["code"]) +
                                                            (text_of(t["result"]["message"]).empty() ? "" : ": " + text_of(t["result"]["message"]));
    h += "<tr><td>" + escape(text_of(t["height"])) + "</td><td>" + escape(dutch_date(civil_date_of(t["time_ms"].get<int64_t>()))) +
         "</td><td>" + escape(text_of(t["action"])) + "</td><td>" + escape(outcome) + "</td><td class=\"mono\">" +
         escape(text_of(t["tx_id"])) + "</td></tr>\n";
  }
  h += "</table>\n<h2>Meldingen aan de instellingen</h2>\n<table><tr><th>Aan</th><th>Blok</th><th>Melding</th>"
       "<th>Kenmerk</th></tr>\n";
  for (const json& e : x["events"]) {
    const json& ev = e["event"];
    h += "<tr><td>" + escape(text_of(e["recipient"])) + "</td><td>" + escape(text_of(ev["height"])) + "</td><td>" +
         escape(text_of(ev["kind"])) + "</td><td>" + escape(text_of(ev["detail"])) + "</td></tr>\n";
  }
  h += "</table>\n<h2>Vastgelegde gegevens</h2>\n<ul>\n";
  for (const json& r : x["records"]) {
    h += "<li><span class=\"mono\">" + escape(text_of(r["key"])) + "</span>: " +
         (r["present"].get<bool>() ? "aanwezig" : "bewezen afwezig") + "</li>\n";
  }
  h += "</ul>\n<p>Alleen pseudoniemen en vingerafdrukken (hashes) van documenten: de documenten zelf staan niet op de keten.</p>\n";
  h += "</body></html>\n";
  return h;
}

}  // namespace joet::sdk
