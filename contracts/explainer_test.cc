// The rights explainer measure by measure, with hand-computed dates. The standard OTS runs 2026-03-15
// .. 2027-03-15 (granted 2026-03-15); the standard UHP was granted 2026-05-10 (a Sunday) for
// 2026-05-10 .. 2027-03-15. Default policy: assign 5 days, plan 42, complaints 6 weeks (+4 once).
#include "contracts/explainer.h"

#include <gtest/gtest.h>

#include "contracts/contracts_test_support.h"
#include "contracts/rules.h"

namespace joet {
namespace {

using namespace joet::testing;  // NOLINT

std::vector<ExplainerLine> explain_at(Chain& chain, int64_t t) {
  chain.run(t);
  auto records = read_case_records(chain.store, "case-001");
  EXPECT_TRUE(records.ok() && records->has_value());
  const Statute* statute = find_rules(built_in_rules(), rules_version_at(chain.store, chain.height).value());
  return explain_case(**records, Policy{}, *statute, t);
}

// The lines of one topic in one section, their texts.
std::vector<std::string> texts(const std::vector<ExplainerLine>& lines, ExplainerSection section, std::string_view topic) {
  std::vector<std::string> out;
  for (const ExplainerLine& l : lines) {
    if (l.section == section && l.topic == topic) out.push_back(l.text);
  }
  return out;
}
using Texts = std::vector<std::string>;
using S = ExplainerSection;

std::optional<CivilDate> day_of(const std::vector<ExplainerLine>& lines, ExplainerSection section, std::string_view topic) {
  for (const ExplainerLine& l : lines) {
    if (l.section == section && l.topic == topic && l.day) return civil_from_days(*l.day);
  }
  return std::nullopt;
}

TEST(Explainer, DatesAreWrittenTheDutchWay) {
  EXPECT_EQ(dutch_date(make_civil_date(2026, 3, 15).value()), "15 maart 2026");
  EXPECT_EQ(dutch_date(make_civil_date(2027, 12, 1).value()), "1 december 2027");
}

TEST(Explainer, AnOtsSaysWhatRunsUntilWhenWhatComesNextAndTheAppealTerm) {
  Chain chain(2);
  chain.grant_standard_ots();
  const auto lines = explain_at(chain, utc_ms(2026, 3, 16, 10));
  EXPECT_EQ(texts(lines, S::kNow, "OTS"),
            Texts{"Uw kind staat onder toezicht (ondertoezichtstelling). Dat loopt van 15 maart 2026 tot en met 14 "
                  "maart 2027. De gecertificeerde instelling gi-jbra voert het toezicht uit."});
  // D-ASSIGN falls due on 2026-03-20 at 00:00: the last day is the 19th.
  EXPECT_EQ(texts(lines, S::kNow, "JEUGDBESCHERMER"),
            Texts{"Er is nog geen jeugdbeschermer aan uw kind toegewezen. Dat moet uiterlijk 19 maart 2026 gebeuren."});
  EXPECT_EQ(texts(lines, S::kNext, "OTS"),
            Texts{"Het toezicht eindigt op 15 maart 2027, tenzij de rechter het vóór die dag verlengt. Een verlenging "
                  "kan steeds voor ten hoogste een jaar; na 14 maart 2027 kan het niet meer."});
  EXPECT_EQ(texts(lines, S::kNext, "PLAN"), Texts{"De jeugdbeschermer maakt een plan van aanpak, uiterlijk 25 april 2026."});
  EXPECT_EQ(texts(lines, S::kNext, "PROGRESS"),
            Texts{"Elk kwartaal beoordeelt de jeugdbeschermer hoe het gaat; de volgende keer uiterlijk 14 juni 2026."});
  EXPECT_EQ(texts(lines, S::kNext, "MAJORITY"),
            Texts{"Op 1 januari 2035 wordt uw kind 18 jaar. Dan eindigen alle maatregelen vanzelf."});
  // Hoger beroep: 3 months from 2026-03-15 is Monday 2026-06-15, a working day.
  EXPECT_EQ(texts(lines, S::kYouCan, "APPEAL"),
            Texts{"Bent u het niet eens met de beslissing van de rechter van 15 maart 2026 over de "
                  "ondertoezichtstelling? Dan kunt u in hoger beroep gaan bij het gerechtshof, tot en met 15 juni "
                  "2026. Daarvoor heeft u een advocaat nodig."});
  EXPECT_EQ(day_of(lines, S::kYouCan, "APPEAL"), make_civil_date(2026, 6, 15).value());
  EXPECT_EQ(texts(lines, S::kYouCan, "COMPLAINT"),
            Texts{"Bent u het niet eens met hoe de gecertificeerde instelling gi-jbra met u of uw kind omgaat? Dan kunt u "
                  "daar een klacht indienen. De instelling beslist binnen 6 weken; één keer mag zij dat met 4 weken "
                  "uitstellen."});
  // Sections in order, and the same answer twice.
  for (size_t i = 1; i < lines.size(); ++i) EXPECT_LE(lines[i - 1].section, lines[i].section);
  EXPECT_EQ(lines, explain_at(chain, utc_ms(2026, 3, 16, 11)));
  // After 2026-06-15 the appeal is no longer open, and no longer offered.
  EXPECT_TRUE(texts(explain_at(chain, utc_ms(2026, 6, 16, 10)), S::kYouCan, "APPEAL").empty());
}

TEST(Explainer, AVoorlopigeOtsRunsAtMostThreeMonthsAndIsNotExtended) {
  Chain chain(2);
  ASSERT_TRUE(chain.open_case(utc_ms(2026, 3, 10, 9)).ok);
  ASSERT_TRUE(chain.file(utc_ms(2026, 3, 11, 9), kRvdk, "req-vots", "VOTS").ok);
  ASSERT_TRUE(chain.decide(utc_ms(2026, 3, 15, 9), "req-vots", "2026-03-15", "2026-06-15").ok);
  const auto lines = explain_at(chain, utc_ms(2026, 3, 16, 10));
  ASSERT_EQ(texts(lines, S::kNow, "VOTS").size(), 1u);
  EXPECT_NE(texts(lines, S::kNow, "VOTS")[0].find("(voorlopige ondertoezichtstelling). Dat loopt van 15 maart 2026 "
                                                  "tot en met 14 juni 2026."),
            std::string::npos);
  EXPECT_EQ(texts(lines, S::kNext, "VOTS"),
            Texts{"Het toezicht eindigt op 15 juni 2026, tenzij de rechter het vóór die dag verlengt."});
  EXPECT_NE(texts(lines, S::kYouCan, "APPEAL").at(0).find("over de voorlopige ondertoezichtstelling"), std::string::npos);
}

TEST(Explainer, AUhpSaysUntilWhenItMustBeCarriedOutAndWhenItWas) {
  Chain chain(2);
  chain.grant_standard_uhp();
  auto lines = explain_at(chain, utc_ms(2026, 5, 11, 10));
  EXPECT_EQ(texts(lines, S::kNow, "UHP"),
            Texts{"De rechter heeft toegestaan dat uw kind buiten huis woont (machtiging uithuisplaatsing), van 10 mei "
                  "2026 tot en met 14 maart 2027. Uw kind is nog niet geplaatst."});
  // 1:265c lid 3: 2026-05-10 + 3 months = 2026-08-10.
  EXPECT_EQ(texts(lines, S::kNext, "UHP").at(0), "Is uw kind niet vóór 10 augustus 2026 geplaatst, dan vervalt de machtiging.");
  // Two appeals: the OTS's (until 2026-06-15) and the UHP's (2026-08-10 is a Monday).
  const Texts appeals = texts(lines, S::kYouCan, "APPEAL");
  ASSERT_EQ(appeals.size(), 2u);
  EXPECT_NE(appeals[1].find("van 10 mei 2026 over de uithuisplaatsing? Dan kunt u in hoger beroep gaan bij het "
                            "gerechtshof, tot en met 10 augustus 2026."),
            std::string::npos);
  ASSERT_TRUE(chain.run_one(utc_ms(2026, 6, 1, 9), chain.tx(kGi, "gi.placement",
                                                            {text("case", "case-001"), text("date", "2026-06-01")}))
                  .ok);
  lines = explain_at(chain, utc_ms(2026, 6, 2, 10));
  EXPECT_NE(texts(lines, S::kNow, "UHP").at(0).find("Uw kind is op 1 juni 2026 geplaatst."), std::string::npos);
  EXPECT_EQ(texts(lines, S::kNext, "UHP").size(), 1u) << "no lapse warning once placed";
}

// A spoedmachtiging on Sunday 2026-05-10: 14 days end on Sunday 2026-05-24, then Whit Monday, so the
// hearing may be held through Tuesday 2026-05-26 (Atw).
TEST(Explainer, ASpoedmachtigingSaysByWhenTheParentMustBeHeard) {
  Chain chain(2);
  chain.grant_standard_uhp("SPOED_UHP");
  auto lines = explain_at(chain, utc_ms(2026, 5, 11, 10));
  EXPECT_EQ(texts(lines, S::kNext, "SPOED"),
            Texts{"Het was een spoedmachtiging, gegeven zonder dat u eerst bent gehoord. De rechter moet u alsnog horen, "
                  "uiterlijk 26 mei 2026."});
  ASSERT_TRUE(chain.run_one(utc_ms(2026, 5, 20, 9), chain.tx(kCourt, "court.hearing", {text("case", "case-001")})).ok);
  lines = explain_at(chain, utc_ms(2026, 5, 21, 10));
  EXPECT_TRUE(texts(lines, S::kNext, "SPOED").empty());
  EXPECT_EQ(texts(lines, S::kNow, "SPOED"), Texts{"Het was een spoedmachtiging; de rechter heeft u daarna gehoord."});
}

// An aanwijzing of Monday 2026-04-13: the objection term runs through Tuesday 2026-04-28 (King's Day).
TEST(Explainer, AnAanwijzingSaysUntilWhenTheCourtCanBeAskedToAnnulIt) {
  Chain chain(2);
  chain.grant_standard_ots();
  ASSERT_TRUE(chain.aanwijzing(utc_ms(2026, 4, 13, 9), "aw-1", "GENERAL").ok);
  EXPECT_EQ(texts(explain_at(chain, utc_ms(2026, 4, 14, 10)), S::kYouCan, "AANWIJZING"),
            Texts{"De gecertificeerde instelling heeft op 13 april 2026 een schriftelijke aanwijzing gegeven aan u. U kunt "
                  "de kinderrechter vragen die aanwijzing te vernietigen, tot en met 28 april 2026."});
  EXPECT_TRUE(texts(explain_at(chain, utc_ms(2026, 4, 29, 10)), S::kYouCan, "AANWIJZING").empty());
}

TEST(Explainer, AnOpenComplaintSaysByWhenItMustBeDecided) {
  Chain chain(2);
  chain.grant_standard_ots();
  ASSERT_TRUE(chain.complain(utc_ms(2026, 4, 1, 9)).ok);
  // Due 2026-04-01 + 42 days = 2026-05-13 at 00:00: decided by 12 May.
  EXPECT_EQ(texts(explain_at(chain, utc_ms(2026, 4, 2, 10)), S::kNext, "COMPLAINT"),
            Texts{"Op de klacht van 1 april 2026 bij gi-jbra moet uiterlijk 12 mei 2026 zijn beslist."});
}

TEST(Explainer, ACaseWithoutAMeasureSaysSo) {
  Chain chain(2);
  ASSERT_TRUE(chain.open_case(utc_ms(2026, 3, 10, 9)).ok);
  const auto lines = explain_at(chain, utc_ms(2026, 3, 11));
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].text, "Er loopt geen kinderbeschermingsmaatregel. Er is wel een zaak geopend.");
}

}  // namespace
}  // namespace joet
