#include "client-sdk/extract_command.h"

#include <iostream>
#include <map>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "client-sdk/case_extract.h"
#include "node/home/file_io.h"
#include "node/home/key_file.h"

namespace joet::sdk {
namespace {

constexpr std::string_view kUsage =
    "usage: joet-client extract CASE_ID --rpc HOST:PORT --genesis FILE --key FILE --out FILE [--html FILE]\n"
    "\n"
    "Writes the case extract (docs/case-extract.md): the case's record at the node's tip, every tx of its\n"
    "timeline with its proven result, the records the quickscan reads, the quickscan and the explanation\n"
    "for parents computed from those records, and every proof, each verified on the way against the\n"
    "validators of the genesis FILE. --key is a member key of an institution involved in the case. A\n"
    "parent's lawyer checks the file offline with: joet-verify FILE --genesis genesis.json\n"
    "\n"
    "exit status: 0 written, 2 usage or bad input, 3 an answer failed verification, 1 the node did not answer\n";

int usage(const std::string& why) {
  std::cerr << "joet-client extract: " << why << "\n" << kUsage;
  return 2;
}

}  // namespace

int run_extract_command(int argc, char** argv) {
  if (argc < 3) return usage("a case id is required");
  const std::string case_id = argv[2];
  std::map<std::string, std::string> flags;
  for (int i = 3; i < argc; ++i) {
    const std::string a = argv[i];
    if (!a.starts_with("--") || i + 1 >= argc) return usage("unexpected argument " + a);
    const std::string name = a.substr(2);
    if (name != "rpc" && name != "genesis" && name != "key" && name != "out" && name != "html") {
      return usage("unknown option " + a);
    }
    flags[name] = argv[++i];
  }
  for (const char* need : {"rpc", "genesis", "key", "out"}) {
    if (!flags.count(need)) return usage(std::string("--") + need + " is required");
  }
  auto key = home::load_key_file(flags["key"]);
  if (!key.ok()) {
    std::cerr << "joet-client extract: " << key.error.to_string() << "\n";
    return 2;
  }
  Result<TrustedValidators> trusted = trusted_validators_from_genesis(flags["genesis"]);
  if (!trusted.ok()) {
    std::cerr << "joet-client extract: " << trusted.error().to_string() << "\n";
    return 2;
  }
  const RpcGet node = http_rpc_get(flags["rpc"], RequestSigner{*key.value, trusted->chain_id});

  // The plan: the txs the node's timeline names for the case (not itself proven: docs/case-extract.md).
  std::cerr << "joet-client extract: reading the timeline of " << case_id << "\n";
  Result<HttpResponse> timeline = node("/v1/cases/" + case_id + "/timeline?limit=1000");
  if (!timeline.ok()) {
    std::cerr << "joet-client extract: " << timeline.error().to_string() << "\n";
    return 1;
  }
  const nlohmann::json t = nlohmann::json::parse(timeline->body, nullptr, false);
  if (timeline->status != 200 || !t.is_object() || !t.contains("entries")) {
    std::cerr << "joet-client extract: the timeline: HTTP " << timeline->status << " " << timeline->body << "\n";
    return timeline->status == 403 || timeline->status == 400 ? 2 : 1;
  }
  ExtractPlan plan;
  plan.case_id = case_id;
  Result<HttpResponse> status = node("/v1/status");
  const nlohmann::json s = status.ok() ? nlohmann::json::parse(status->body, nullptr, false) : nlohmann::json();
  if (!status.ok() || status->status != 200 || !s.is_object() || !s.contains("height") || !s["height"].is_number_unsigned()) {
    std::cerr << "joet-client extract: the node's status: " << (status.ok() ? status->body : status.error().to_string()) << "\n";
    return 1;
  }
  plan.height = s["height"].get<uint64_t>();  // the tip; the light client verifies its header
  const uint64_t tip = plan.height;
  plan = plan_from_timeline(case_id, tip, t["entries"]);
  if (t.value("more", false)) std::cerr << "joet-client extract: the timeline has more than 1,000 entries; the first are used\n";
  std::cerr << "joet-client extract: verifying the case record, " << plan.tx_ids.size() << " txs, " << plan.events.size()
            << " events and the records they name\n";

  ProofAnswers kept;
  LightClient client(recording_get(node, kept), std::move(trusted).value());
  ValueOr<nlohmann::ordered_json, ExtractFault> extract = build_case_extract(client, plan, kept);
  if (!extract.ok()) {
    std::cerr << "joet-client extract: " << extract.error().to_string() << "\n";
    return extract.error().code == "UNAVAILABLE" ? 1 : 3;
  }
  for (const auto& [flag, text] : {std::pair{"out", extract_text(*extract)}, std::pair{"html", std::string()}}) {
    if (!flags.count(flag)) continue;
    // 0644: the extract holds pseudonyms and hashes only, and is meant to be handed on.
    const auto written = home::write_file_atomic(flags[flag], std::string(flag) == "html" ? extract_html(*extract) : text,
                                                 0644, home::Replace::kYes);
    if (!written.ok()) {
      std::cerr << "joet-client extract: --" << flag << ": " << written.error.to_string() << "\n";
      return 1;
    }
  }
  std::cout << nlohmann::json{{"case_id", case_id},
                              {"height", (*extract)["height"]},
                              {"txs", (*extract)["txs"].size()},
                              {"events", (*extract)["events"].size()},
                              {"records", (*extract)["records"].size()},
                              {"out", flags["out"]}}
                   .dump()
            << "\n";
  return 0;
}

}  // namespace joet::sdk
