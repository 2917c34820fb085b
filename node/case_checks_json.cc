#include "node/case_checks_json.h"

#include <optional>
#include <string>

#include "contracts/civil_date.h"

namespace joet {
namespace {

nlohmann::ordered_json day_json(const std::optional<int64_t>& day) {
  return day ? nlohmann::ordered_json(to_string(civil_from_days(*day))) : nlohmann::ordered_json();
}

}  // namespace

nlohmann::ordered_json quickscan_json(const std::vector<QuickscanItem>& items) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const QuickscanItem& i : items) {
    list.push_back({{"check", i.check},
                    {"subject", i.subject},
                    {"legal_basis", i.legal_basis},
                    {"status", check_status_name(i.status)},
                    {"date", day_json(i.day)},
                    {"deadline_id", i.deadline_id != 0 ? nlohmann::ordered_json(i.deadline_id) : nlohmann::ordered_json()},
                    {"detail", i.detail}});
  }
  return list;
}

nlohmann::ordered_json quickscan_counts_json(const std::vector<QuickscanItem>& items) {
  nlohmann::ordered_json counts = {{"MET", 0}, {"NOT_APPLICABLE", 0}, {"PENDING", 0}, {"VIOLATED", 0}};
  for (const QuickscanItem& i : items) {
    nlohmann::ordered_json& n = counts[std::string(check_status_name(i.status))];
    n = n.get<size_t>() + 1;
  }
  return counts;
}

nlohmann::ordered_json explanation_json(const std::vector<ExplainerLine>& lines) {
  nlohmann::ordered_json sections = nlohmann::ordered_json::array();
  for (ExplainerSection s : {ExplainerSection::kNow, ExplainerSection::kNext, ExplainerSection::kYouCan}) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const ExplainerLine& l : lines) {
      if (l.section != s) continue;
      list.push_back({{"topic", l.topic}, {"text", l.text}, {"date", day_json(l.day)}, {"legal_basis", l.legal_basis}});
    }
    sections.push_back({{"section", explainer_section_name(s)}, {"title", explainer_section_title(s)}, {"lines", list}});
  }
  return sections;
}

}  // namespace joet
