#include "contracts/explainer.h"

#include <array>
#include <utility>

#include "contracts/amsterdam_time.h"
#include "contracts/deadlines.h"
#include "contracts/termijnenwet.h"

namespace joet {
namespace {

namespace dk = deadline_kinds;

using Section = ExplainerSection;

std::string on(int64_t day) { return dutch_date(civil_from_days(day)); }

// A deadline falls due at 00:00 on its day: the last day to act is the day before.
int64_t last_day_before(int64_t due_ms) { return days_from_civil(civil_date_of(due_ms)) - 1; }

// The last day a measure runs: its end date is exclusive.
std::string through(int64_t end_day) { return on(end_day - 1); }

std::string weeks(int32_t days) {
  if (days % 7 != 0) return std::to_string(days) + " dagen";
  return std::to_string(days / 7) + (days == 7 ? " week" : " weken");
}

std::string_view end_reason_text(std::string_view reason) {
  if (reason == "LAPSED") return "de einddatum is bereikt";
  if (reason == "LIFTED") return "de rechter heeft de maatregel opgeheven";
  if (reason == "REPLACED") return "een nieuwe beslissing van de rechter is ervoor in de plaats gekomen";
  if (reason == "OTS_ENDED") return "de ondertoezichtstelling is geëindigd";
  if (reason == "MAJORITY") return "uw kind is 18 jaar geworden";
  if (reason == "NOT_CARRIED_OUT") return "de uithuisplaatsing is niet binnen 3 maanden uitgevoerd";
  return "de maatregel is beëindigd";
}

std::string_view addressee_text(std::string_view addressee) {
  if (addressee == "CHILD") return "aan uw kind";
  if (addressee == "CARER") return "aan de verzorger van uw kind";
  return "aan u";
}

std::string_view outcome_text(std::string_view outcome) {
  if (outcome == "UPHELD") return "gegrond";
  if (outcome == "PARTLY_UPHELD") return "deels gegrond";
  if (outcome == "REJECTED") return "ongegrond";
  if (outcome == "ANNULLED") return "vernietigd";
  return outcome;
}

class Explanation {
 public:
  explicit Explanation(int64_t today) : today_(today) {}
  void add(Section section, std::string topic, std::string text, std::optional<int64_t> day = std::nullopt,
           std::string basis = {}) {
    lines_.push_back(ExplainerLine{section, std::move(topic), std::move(text), day, std::move(basis)});
  }
  int64_t today() const { return today_; }
  // Sections in order NOW, NEXT, YOU_CAN; within each, in the order added.
  std::vector<ExplainerLine> take() {
    std::vector<ExplainerLine> out;
    for (Section s : {Section::kNow, Section::kNext, Section::kYouCan}) {
      for (ExplainerLine& l : lines_) {
        if (l.section == s) out.push_back(std::move(l));
      }
    }
    return out;
  }

 private:
  int64_t today_;
  std::vector<ExplainerLine> lines_;
};

// The appeal against a measure's last decision: 3 months (Atw) from the day it was decided.
void appeal(Explanation& x, const cv1::Measure& m, std::string_view what, const Policy& policy, const Statute& statute) {
  if (m.decided_day() == 0) return;
  const CivilDate last = period_end_months(civil_from_days(m.decided_day()), statute.appeal_months, policy.extra_holidays);
  const int64_t last_day = days_from_civil(last);
  if (x.today() > last_day) return;
  x.add(Section::kYouCan, "APPEAL",
        "Bent u het niet eens met de beslissing van de rechter van " + on(m.decided_day()) + " over de " +
            std::string(what) + "? Dan kunt u in hoger beroep gaan bij het gerechtshof, tot en met " +
            dutch_date(last) + ". Daarvoor heeft u een advocaat nodig.",
        last_day, "art. 806 lid 1 Rv; Algemene termijnenwet");
}

void ots(Explanation& x, const CaseRecords& r, const Policy& policy, const Statute& statute) {
  const cv1::Case& c = r.record;
  const cv1::Measure& m = c.measure();
  const bool voorlopig = m.kind() == cv1::VOTS;
  const std::string topic = voorlopig ? "VOTS" : "OTS";
  const std::string name = voorlopig ? "voorlopige ondertoezichtstelling" : "ondertoezichtstelling";
  const std::string basis = voorlopig ? "art. 1:257 BW" : "art. 1:255 BW";
  if (m.state() != cv1::ACTIVE) {
    x.add(Section::kNow, topic,
          "De " + name + " van uw kind is beëindigd: " + std::string(end_reason_text(m.end_reason())) + ".",
          std::nullopt, basis);
    return;
  }
  std::string now = "Uw kind staat onder toezicht (" + name + "). Dat loopt van " + on(m.start_day()) + " tot en met " +
                    through(m.end_day()) + ".";
  if (!c.gi().empty()) now += " De gecertificeerde instelling " + c.gi() + " voert het toezicht uit.";
  if (m.extensions() > 0) {
    now += " De rechter heeft het toezicht " + std::to_string(m.extensions()) + " keer verlengd.";
  }
  x.add(Section::kNow, topic, now, m.end_day(), basis);

  if (c.jeugdbeschermer().empty()) {
    const int64_t due = m.start_day() + policy.assign_days;
    x.add(Section::kNow, "JEUGDBESCHERMER",
          "Er is nog geen jeugdbeschermer aan uw kind toegewezen. Dat " + std::string(x.today() >= due ? "moest" : "moet") +
              " uiterlijk " + on(due - 1) + " gebeuren.",
          due - 1);
  } else {
    x.add(Section::kNow, "JEUGDBESCHERMER", "Er is een jeugdbeschermer aan uw kind toegewezen.");
  }

  // Next: the end and how it can be extended (1:260); no extension after the end.
  std::string next = "Het toezicht eindigt op " + on(m.end_day()) + ", tenzij de rechter het vóór die dag verlengt.";
  if (!voorlopig) {
    next += " Een verlenging kan steeds voor ten hoogste een jaar; na " + through(m.end_day()) + " kan het niet meer.";
    if (m.extension_requested()) next += " Er is om verlenging gevraagd.";
    if (m.non_extension_given()) next += " De gecertificeerde instelling heeft laten weten dat zij niet om verlenging vraagt.";
  }
  x.add(Section::kNext, topic, next, m.end_day(), voorlopig ? "art. 1:257 BW" : "art. 1:260 BW");
  if (!m.plan_filed() && m.plan().id() != 0) {
    x.add(Section::kNext, "PLAN",
          "De jeugdbeschermer maakt een plan van aanpak, uiterlijk " + on(last_day_before(m.plan().due_ms())) + ".",
          last_day_before(m.plan().due_ms()));
  }
  if (const cv1::DeadlineRef* progress = find_timer(m.timers(), dk::kProgress)) {
    x.add(Section::kNext, "PROGRESS",
          "Elk kwartaal beoordeelt de jeugdbeschermer hoe het gaat; de volgende keer uiterlijk " +
              on(last_day_before(progress->due_ms())) + ".",
          last_day_before(progress->due_ms()));
  }
  appeal(x, m, name, policy, statute);
}

void uhp(Explanation& x, const CaseRecords& r, const Policy& policy, const Statute& statute) {
  const cv1::Measure& m = r.record.uhp();
  if (m.state() != cv1::ACTIVE) {
    x.add(Section::kNow, "UHP",
          "De uithuisplaatsing is beëindigd: " + std::string(end_reason_text(m.end_reason())) + ".", std::nullopt,
          "art. 1:265b BW");
    return;
  }
  std::string now = "De rechter heeft toegestaan dat uw kind buiten huis woont (machtiging uithuisplaatsing), van " +
                    on(m.start_day()) + " tot en met " + through(m.end_day()) + ".";
  now += m.placed() ? " Uw kind is op " + on(m.placed_day()) + " geplaatst." : " Uw kind is nog niet geplaatst.";
  x.add(Section::kNow, "UHP", now, m.end_day(), "art. 1:265b BW");
  if (m.spoed()) {
    const cv1::DeadlineRef* hearing = find_timer(m.timers(), dk::kSpoed);
    if (m.hearing_held()) {
      x.add(Section::kNow, "SPOED", "Het was een spoedmachtiging; de rechter heeft u daarna gehoord.", std::nullopt,
            "art. 800 lid 3 Rv");
    } else if (hearing != nullptr) {
      x.add(Section::kNext, "SPOED",
            "Het was een spoedmachtiging, gegeven zonder dat u eerst bent gehoord. De rechter moet u alsnog horen, "
            "uiterlijk " + on(last_day_before(hearing->due_ms())) + ".",
            last_day_before(hearing->due_ms()), "art. 800 lid 3 Rv");
    }
  }
  if (!m.placed()) {
    const int64_t limit = days_from_civil(add_months(civil_from_days(m.decided_day()), statute.uhp_carry_out_months));
    x.add(Section::kNext, "UHP",
          "Is uw kind niet vóór " + on(limit) + " geplaatst, dan vervalt de machtiging.", limit, "art. 1:265c lid 3 BW");
  }
  x.add(Section::kNext, "UHP",
        "De uithuisplaatsing eindigt op " + on(m.end_day()) +
            ", tenzij de rechter haar vóór die dag verlengt. Zij eindigt ook als het toezicht eindigt.",
        m.end_day(), "art. 1:265c BW");
  appeal(x, m, "uithuisplaatsing", policy, statute);
}

void contact(Explanation& x, const CaseRecords& r) {
  const cv1::Case& c = r.record;
  if (c.measure().state() != cv1::ACTIVE) return;
  std::string text = "Uw kind heeft recht op contact met u.";
  if (c.contact_interval_days() > 0) {
    text += " De rechter heeft bepaald dat er elke " + std::to_string(c.contact_interval_days()) +
            " dagen contact is tussen u en uw kind.";
  }
  if (c.has_contact()) text += " Het laatste contact dat is vastgelegd was op " + on(c.last_contact_day()) + ".";
  text += " Gaat het contact niet door, bespreek dat dan met de jeugdbeschermer; u kunt er ook een klacht over indienen.";
  x.add(Section::kYouCan, "CONTACT", text, c.has_contact() ? std::optional<int64_t>(c.last_contact_day()) : std::nullopt,
        "art. 1:377a BW; art. 9 lid 3 IVRK; art. 8 EVRM");
}

void aanwijzingen(Explanation& x, const CaseRecords& r) {
  for (const cv1::Aanwijzing& a : r.aanwijzingen) {
    const std::string what = a.kind() == "CONTACT_LIMIT" ? "een schriftelijke aanwijzing die het contact beperkt"
                                                         : "een schriftelijke aanwijzing";
    if (!a.review().empty()) {
      x.add(Section::kNow, "AANWIJZING",
            "De rechter heeft " + what + " van " + on(a.issued_day()) + " getoetst en " +
                (a.review() == "ANNULLED" ? std::string("vernietigd") : std::string("in stand gelaten")) + ".",
            a.reviewed_day(), "art. 1:264 BW");
    } else if (x.today() <= a.objection_last_day()) {
      x.add(Section::kYouCan, "AANWIJZING",
            "De gecertificeerde instelling heeft op " + on(a.issued_day()) + " " + what + " gegeven " +
                std::string(addressee_text(a.addressee())) +
                ". U kunt de kinderrechter vragen die aanwijzing te vernietigen, tot en met " +
                on(a.objection_last_day()) + ".",
            a.objection_last_day(), "art. 1:264 BW; Algemene termijnenwet");
    }
  }
}

void complaints(Explanation& x, const CaseRecords& r, const Policy& policy) {
  const cv1::Case& c = r.record;
  if (!c.gi().empty()) {
    x.add(Section::kYouCan, "COMPLAINT",
          "Bent u het niet eens met hoe de gecertificeerde instelling " + c.gi() +
              " met u of uw kind omgaat? Dan kunt u daar een klacht indienen. De instelling beslist binnen " +
              weeks(policy.complaint_decision_days) + "; één keer mag zij dat met " +
              weeks(policy.complaint_postpone_days) + " uitstellen.",
          std::nullopt, "art. 4.2.1 Jeugdwet");
  }
  for (const cv1::Complaint& k : r.complaints) {
    if (!k.outcome().empty()) {
      x.add(Section::kNow, "COMPLAINT",
            "Op de klacht van " + on(k.filed_day()) + " is beslist: " + std::string(outcome_text(k.outcome())) + ".");
      continue;
    }
    const int64_t due =
        k.filed_day() + policy.complaint_decision_days + (k.postponed() ? policy.complaint_postpone_days : 0);
    x.add(Section::kNext, "COMPLAINT",
          "Op de klacht van " + on(k.filed_day()) + " bij " + k.filed_with() + " moet uiterlijk " + on(due - 1) +
              " zijn beslist.",
          due - 1);
  }
}

}  // namespace

std::string_view explainer_section_name(ExplainerSection section) {
  switch (section) {
    case ExplainerSection::kNow: return "NOW";
    case ExplainerSection::kNext: return "NEXT";
    case ExplainerSection::kYouCan: return "YOU_CAN";
  }
  return "NOW";
}

std::string_view explainer_section_title(ExplainerSection section) {
  switch (section) {
    case ExplainerSection::kNow: return "Wat loopt er nu";
    case ExplainerSection::kNext: return "Wat gebeurt er hierna, en wanneer";
    case ExplainerSection::kYouCan: return "Wat kunt u doen";
  }
  return "";
}

std::string dutch_date(const CivilDate& date) {
  static constexpr std::array<std::string_view, 12> kMonths = {"januari", "februari", "maart",     "april",
                                                                "mei",     "juni",     "juli",      "augustus",
                                                                "september", "oktober", "november", "december"};
  return std::to_string(date.day) + " " + std::string(kMonths[static_cast<size_t>(date.month - 1)]) + " " +
         std::to_string(date.year);
}

std::vector<ExplainerLine> explain_case(const CaseRecords& r, const Policy& policy, const Statute& statute,
                                        int64_t at_ms) {
  Explanation x(days_from_civil(civil_date_of(at_ms)));
  const cv1::Case& c = r.record;
  const bool has_ots = c.measure().kind() != cv1::MEASURE_KIND_UNSPECIFIED;
  if (!has_ots) {
    x.add(Section::kNow, "CASE", "Er loopt geen kinderbeschermingsmaatregel. Er is wel een zaak geopend.");
  } else {
    ots(x, r, policy, statute);
  }
  if (c.uhp().kind() == cv1::UHP) uhp(x, r, policy, statute);
  if (has_ots) contact(x, r);
  aanwijzingen(x, r);
  complaints(x, r, policy);
  if (c.majority_day() > x.today() && has_ots) {
    x.add(Section::kNext, "MAJORITY",
          "Op " + on(c.majority_day()) + " wordt uw kind 18 jaar. Dan eindigen alle maatregelen vanzelf.",
          c.majority_day(), "art. 1:233 BW");
  }
  return x.take();
}

}  // namespace joet
