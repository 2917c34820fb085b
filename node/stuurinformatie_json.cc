#include "node/stuurinformatie_json.h"

namespace joet {
namespace {

using Json = nlohmann::ordered_json;

Json cell_json(const StatCell& c) {
  Json j;
  j["month"] = to_string(c.month);
  if (!c.kind.empty()) j["kind"] = c.kind;
  if (!c.institution.empty()) j["institution"] = c.institution;
  if (c.suppressed) {
    j["suppressed"] = true;
  } else {
    j["cases"] = c.cases;
  }
  return j;
}

Json days_json(const DaysCell& c) {
  Json j = cell_json(c.cell);
  if (c.cell.suppressed) return j;
  j["measures"] = c.measures;
  j["mean_days"] = c.mean_days;
  j["median_days"] = c.median_days;
  return j;
}

Json amount_json(const AmountCell& c) {
  Json j = cell_json(c.cell);
  if (!c.cell.suppressed) j["cents"] = c.cents;
  return j;
}

template <typename Cell, typename ToJson>
Json table(const std::vector<Cell>& cells, ToJson to_json_cell) {
  Json out = Json::array();
  for (const Cell& c : cells) out.push_back(to_json_cell(c));
  return out;
}

}  // namespace

nlohmann::ordered_json to_json(const Stuurinformatie& report) {
  Json j;
  j["from"] = to_string(report.from);
  j["to"] = to_string(report.to);
  j["min_cases"] = kMinCellCases;
  j["running"] = table(report.running, cell_json);
  j["ended"] = table(report.ended, days_json);
  j["extensions"] = table(report.extensions, cell_json);
  j["missed_deadlines"] = table(report.missed_deadlines, cell_json);
  j["signals"] = table(report.signals, cell_json);
  j["complaints"] = table(report.complaints, cell_json);
  j["assignment"] = table(report.assignment, days_json);
  j["grounds"] = table(report.grounds, cell_json);
  j["costs"] = table(report.costs, amount_json);
  return j;
}

}  // namespace joet
