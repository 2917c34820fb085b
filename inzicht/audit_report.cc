#include "inzicht/audit_report.h"

#include <string>

namespace joet::inzicht {

nlohmann::json summarize_audit_report(std::string_view text, int64_t written_ms) {
  using json = nlohmann::json;
  // The last non-empty line: joet-audit prints its report as one JSON line.
  std::string_view line = text;
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
  if (const size_t nl = line.rfind('\n'); nl != std::string_view::npos) line.remove_prefix(nl + 1);
  const json report = json::parse(line, nullptr, /*allow_exceptions=*/false);
  auto is_count = [&](const char* k) { return report.contains(k) && report[k].is_number_unsigned(); };
  if (!report.is_object() || !is_count("heights") || !report.contains("finding") ||
      !report.contains("tip_hash") || !report["tip_hash"].is_string()) {
    return {{"error", "the audit report is not a joet-audit --json result (did the last run finish?)"},
            {"written_ms", written_ms}};
  }
  json out = {{"heights", report["heights"]},
              {"txs", is_count("txs") ? report["txs"] : json(nullptr)},
              {"rules_version", is_count("rules_version") ? report["rules_version"] : json(nullptr)},
              {"tip_hash", report["tip_hash"]},
              {"state_root", report.value("state_root", "")},
              {"finding", nullptr},
              {"ok", true},
              {"written_ms", written_ms}};
  const json& f = report["finding"];
  if (!f.is_null()) {
    out["ok"] = false;
    out["finding"] = f.is_object() ? json{{"height", f.value("height", uint64_t{0})},
                                          {"code", f.value("code", std::string("?"))},
                                          {"message", f.value("message", std::string())}}
                                   : json{{"height", 0}, {"code", "?"}, {"message", ""}};
  }
  return out;
}

}  // namespace joet::inzicht
