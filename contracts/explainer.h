// The rights explainer (issue 11): for one case, in plain Dutch for a parent or a child, what runs now
// and until when, what happens next and by when, and what they can do, until which day. Every
// sentence is a fixed text filled with the case's own records and the dates the contracts' rules give
// (terms of the Statute, norms of the Policy, the Algemene termijnenwet): no free text from anyone, so
// the same records on the same day give the same explanation wherever it is computed.
//
// It reads what the quickscan reads (contracts/quickscan.h: CaseRecords) and the state's time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "contracts/civil_date.h"
#include "contracts/quickscan.h"
#include "contracts/tx_context.h"

namespace joet {

enum class ExplainerSection : uint8_t {
  kNow,     // "Wat loopt er nu"
  kNext,    // "Wat gebeurt er hierna"
  kYouCan,  // "Wat kunt u doen"
};
std::string_view explainer_section_name(ExplainerSection section);   // NOW, NEXT, YOU_CAN
std::string_view explainer_section_title(ExplainerSection section);  // the Dutch heading

struct ExplainerLine {
  ExplainerSection section = ExplainerSection::kNow;
  std::string topic;                // OTS, VOTS, UHP, CONTACT, APPEAL, AANWIJZING, COMPLAINT, MAJORITY, ...
  std::string text;                 // one or two Dutch sentences
  std::optional<int64_t> day;       // the date the sentence turns on (civil day), if any
  std::string legal_basis;          // e.g. "art. 806 Rv"; "" when none

  friend bool operator==(const ExplainerLine&, const ExplainerLine&) = default;
};

// "15 maart 2026".
std::string dutch_date(const CivilDate& date);

// The explanation of `records` on the civil day of `at_ms`, section by section (NOW, NEXT, YOU_CAN).
std::vector<ExplainerLine> explain_case(const CaseRecords& records, const Policy& policy, const Statute& statute,
                                        int64_t at_ms);

}  // namespace joet
