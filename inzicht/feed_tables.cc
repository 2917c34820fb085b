#include "inzicht/feed_tables.h"

#include <array>
#include <vector>

namespace joet::inzicht {
namespace {

constexpr std::array<std::string_view, 9> kTables = {"running", "ended",      "extensions", "missed_deadlines", "signals",
                                                      "complaints", "assignment", "grounds", "costs"};

bool has_days(std::string_view table) { return table == "ended" || table == "assignment"; }

std::vector<std::string> columns(std::string_view table) {
  std::vector<std::string> out = {"month", "kind", "institution", "cases", "suppressed"};
  if (has_days(table)) {
    for (const char* c : {"measures", "mean_days", "median_days"}) out.emplace_back(c);
  }
  if (table == "costs") out.emplace_back("cents");
  return out;
}

// A CSV field: quoted when it holds a comma, quote or line break (ids and kinds never do; be safe).
std::string field(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

}  // namespace

bool is_feed_table(std::string_view table) {
  for (std::string_view t : kTables) {
    if (t == table) return true;
  }
  return false;
}

std::optional<nlohmann::json> table_rows(const nlohmann::json& report, std::string_view table) {
  if (!is_feed_table(table) || !report.is_object() || !report.contains(table) || !report[std::string(table)].is_array()) {
    return std::nullopt;
  }
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& cell : report[std::string(table)]) {
    const bool suppressed = cell.value("suppressed", false);
    nlohmann::json row;
    for (const std::string& c : columns(table)) {
      if (c == "suppressed") {
        row[c] = suppressed;
      } else if (c == "month" || c == "kind" || c == "institution") {
        row[c] = cell.value(c, std::string());
      } else {
        row[c] = suppressed || !cell.contains(c) ? nlohmann::json(nullptr) : cell[c];
      }
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

std::optional<std::string> table_csv(const nlohmann::json& report, std::string_view table) {
  auto rows = table_rows(report, table);
  if (!rows) return std::nullopt;
  const std::vector<std::string> cols = columns(table);
  std::string out;
  for (size_t i = 0; i < cols.size(); ++i) out += (i ? "," : "") + cols[i];
  out += "\r\n";
  for (const auto& row : *rows) {
    for (size_t i = 0; i < cols.size(); ++i) {
      const auto& v = row[cols[i]];
      std::string text;
      if (v.is_string()) text = v.get<std::string>();
      else if (v.is_boolean()) text = v.get<bool>() ? "true" : "false";
      else if (!v.is_null()) text = v.dump();
      out += (i ? "," : "") + field(text);
    }
    out += "\r\n";
  }
  return out;
}

}  // namespace joet::inzicht
