// DOMAIN.md's table of who may sign which action, checked for every implemented action against
// every role that may not.
#include <functional>

#include <gtest/gtest.h>

#include "contracts/contracts_test_support.h"

namespace joet {
namespace {

using namespace joet::testing;  // NOLINT

using ArgsFor = std::function<std::vector<v1::Arg>()>;

// Every signer in `wrong` is refused NOT_AUTHORIZED for the action on a case with a running OTS
// whose GI is kGi, and the refusal leaves no write. (The deadlines due by then fire in an empty block
// first, so the tx's block has nothing else to write.)
void expect_refused_for(std::string_view action, const ArgsFor& args, std::initializer_list<std::string_view> wrong,
                        const std::function<void(Chain&)>& setup = {}) {
  for (std::string_view signer : wrong) {
    Chain chain;
    chain.grant_standard_ots();
    if (setup) setup(chain);
    chain.run(utc_ms(2026, 3, 20));
    auto out = chain.run(utc_ms(2026, 3, 20), {chain.tx(signer, action, args())});
    EXPECT_EQ(out.results.at(0).code, "NOT_AUTHORIZED") << action << " by " << signer;
    EXPECT_TRUE(out.writes.empty()) << action << " by " << signer;
  }
}

TEST(Permissions, OnlyTheRvdkAndTheCourtOpenCases) {
  expect_refused_for("case.open",
                     [] {
                       return std::vector<v1::Arg>{text("case", "case-002"), text("majority_date", "2035-01-01"),
                                                   text("municipality", std::string(kMunicipality)),
                                                   text("rvdk", std::string(kRvdk))};
                     },
                     {kGi, kMunicipality, kAuditor});
}

TEST(Permissions, TheCourtOpensACaseNamingTheRvdk) {
  Chain chain;
  auto tx = chain.tx(kCourt, "case.open",
                     {text("case", "case-002"), text("majority_date", "2035-01-01"),
                      text("municipality", std::string(kMunicipality)), text("rvdk", std::string(kRvdk))});
  EXPECT_TRUE(chain.run_one(utc_ms(2026, 3, 20), tx).ok);
}

TEST(Permissions, OnlyTheRvdkAGiOrTheCourtForAPartyFileRequests) {
  const ArgsFor args = [] {
    return std::vector<v1::Arg>{text("case", "case-001"), text("request", "req-2"), text("kind", "LIFT"),
                                hash_arg("document", "lift")};
  };
  expect_refused_for("request.file", args, {kMunicipality, kAuditor, kOtherGi, kCourt});
  Chain chain;
  chain.grant_standard_ots();
  auto for_parent = args();
  for_parent.push_back(text("filed_for", "PARENT"));
  EXPECT_TRUE(chain.run_one(utc_ms(2026, 3, 20), chain.tx(kCourt, "request.file", for_parent)).ok);
}

TEST(Permissions, OnlyTheCourtDecides) {
  expect_refused_for("court.decide",
                     [] {
                       return std::vector<v1::Arg>{text("case", "case-001"), text("request", "req-ots"),
                                                   text("outcome", "REFUSED")};
                     },
                     {kRvdk, kGi, kOtherGi, kMunicipality, kAuditor});
}

TEST(Permissions, OnlyTheCourtLifts) {
  expect_refused_for("court.lift",
                     [] { return std::vector<v1::Arg>{text("case", "case-001"), text("date", "2026-09-01")}; },
                     {kRvdk, kGi, kOtherGi, kMunicipality, kAuditor});
}

TEST(Permissions, OnlyTheCasesGiFilesThePlanAndProgress) {
  const ArgsFor args = [] { return std::vector<v1::Arg>{text("case", "case-001"), hash_arg("document", "doc")}; };
  expect_refused_for("gi.plan", args, {kCourt, kRvdk, kMunicipality, kAuditor, kOtherGi});
  expect_refused_for("gi.progress", args, {kCourt, kRvdk, kMunicipality, kAuditor, kOtherGi});
  Chain chain;
  chain.grant_standard_ots();
  EXPECT_TRUE(chain.run_one(utc_ms(2026, 3, 20), chain.tx(kGi, "gi.progress", args())).ok);
}

TEST(Permissions, OnlyTheCasesMunicipalityGivesTheCollegebesluit) {
  expect_refused_for("municipality.decision",
                     [] {
                       return std::vector<v1::Arg>{text("case", "case-001"), text("request", "req-uhp"),
                                                   hash_arg("document", "cb")};
                     },
                     {kCourt, kRvdk, kGi, kOtherGi, kAuditor},
                     [](Chain& chain) { ASSERT_TRUE(chain.file(utc_ms(2026, 3, 16), kRvdk, "req-uhp", "UHP").ok); });
}

TEST(Permissions, OnlyTheCourtRecordsAHearing) {
  expect_refused_for("court.hearing", [] { return std::vector<v1::Arg>{text("case", "case-001")}; },
                     {kRvdk, kGi, kOtherGi, kMunicipality, kAuditor});
}

TEST(Permissions, OnlyAGiRegistersProfessionals) {
  expect_refused_for("professional.register",
                     [] {
                       return std::vector<v1::Arg>{text("professional", "jb-17"), text("skj_valid_until", "2027-01-01")};
                     },
                     {kCourt, kRvdk, kMunicipality, kAuditor});
}

TEST(Permissions, OnlyTheCasesGiAssignsPlacesInstructsAndGivesNotice) {
  const std::initializer_list<std::string_view> wrong = {kCourt, kRvdk, kMunicipality, kAuditor, kOtherGi};
  expect_refused_for("gi.assign",
                     [] { return std::vector<v1::Arg>{text("case", "case-001"), text("professional", "jb-17")}; },
                     wrong);
  expect_refused_for("gi.placement",
                     [] { return std::vector<v1::Arg>{text("case", "case-001"), text("date", "2026-03-20")}; }, wrong);
  expect_refused_for("gi.aanwijzing",
                     [] {
                       return std::vector<v1::Arg>{text("case", "case-001"), text("aanwijzing", "aw-1"),
                                                   text("kind", "GENERAL"), text("addressee", "PARENT"),
                                                   hash_arg("document", "aw")};
                     },
                     wrong);
  expect_refused_for("gi.non_extension",
                     [] { return std::vector<v1::Arg>{text("case", "case-001"), hash_arg("document", "ne")}; }, wrong);
}

TEST(Permissions, OnlyTheCourtReviewsAnAanwijzing) {
  expect_refused_for("court.aanwijzing_review",
                     [] {
                       return std::vector<v1::Arg>{text("case", "case-001"), text("aanwijzing", "aw-1"),
                                                   text("outcome", "ANNULLED"), hash_arg("document", "r")};
                     },
                     {kRvdk, kGi, kOtherGi, kMunicipality, kAuditor}, [](Chain& chain) {
                       ASSERT_TRUE(chain.run_one(utc_ms(2026, 3, 19), chain.tx(kGi, "gi.aanwijzing",
                                                                               {text("case", "case-001"),
                                                                                text("aanwijzing", "aw-1"),
                                                                                text("kind", "CONTACT_LIMIT"),
                                                                                text("addressee", "PARENT"),
                                                                                hash_arg("document", "aw")}))
                                      .ok);
                     });
}

TEST(Permissions, OnlyTheCourtSetsAContactArrangementAndOnlyTheCasesGiRecordsContacts) {
  expect_refused_for("court.contact_arrangement",
                     [] { return std::vector<v1::Arg>{text("case", "case-001"), integer("interval_days", 7)}; },
                     {kRvdk, kGi, kOtherGi, kMunicipality, kAuditor});
  expect_refused_for("contact.record",
                     [] {
                       return std::vector<v1::Arg>{text("case", "case-001"), text("date", "2026-03-19"),
                                                   text("outcome", "HELD")};
                     },
                     {kCourt, kRvdk, kMunicipality, kAuditor, kOtherGi});
}

TEST(Permissions, OnlyTheCasesGiOrMunicipalityReceivesAndDecidesComplaints) {
  expect_refused_for("complaint.file",
                     [] {
                       return std::vector<v1::Arg>{text("case", "case-001"), text("complaint", "k-1"),
                                                   text("filed_for", "CHILD"), hash_arg("document", "k")};
                     },
                     {kCourt, kRvdk, kAuditor, kOtherGi});
  expect_refused_for("complaint.decide",
                     [] {
                       return std::vector<v1::Arg>{text("case", "case-001"), text("complaint", "k-1"),
                                                   text("outcome", "REJECTED"), hash_arg("document", "d")};
                     },
                     {kCourt, kRvdk, kAuditor, kOtherGi, kMunicipality}, [](Chain& chain) {
                       auto tx = chain.tx(kGi, "complaint.file",
                                          {text("case", "case-001"), text("complaint", "k-1"),
                                           text("filed_for", "CHILD"), hash_arg("document", "k")});
                       ASSERT_TRUE(chain.run_one(utc_ms(2026, 3, 16), tx).ok);
                     });
}

TEST(Permissions, OnlyTheCasesMunicipalityOrRvdkAsksACheckAndOnlyTheAddresseeAnswers) {
  expect_refused_for("escalation.request",
                     [] {
                       return std::vector<v1::Arg>{text("case", "case-001"), text("escalation", "e-1"),
                                                   text("addressee", std::string(kGi)), hash_arg("document", "e")};
                     },
                     {kCourt, kGi, kOtherGi, kAuditor});
  expect_refused_for("escalation.answer",
                     [] {
                       return std::vector<v1::Arg>{text("case", "case-001"), text("escalation", "e-1"),
                                                   hash_arg("document", "a")};
                     },
                     {kCourt, kRvdk, kOtherGi, kMunicipality, kAuditor}, [](Chain& chain) {
                       auto tx = chain.tx(kMunicipality, "escalation.request",
                                          {text("case", "case-001"), text("escalation", "e-1"),
                                           text("addressee", std::string(kGi)), hash_arg("document", "e")});
                       ASSERT_TRUE(chain.run_one(utc_ms(2026, 3, 16), tx).ok);
                     });
}

TEST(Permissions, OnlyTheCasesRvdkStartsTheInvestigation) {
  expect_refused_for("investigation.start", [] { return std::vector<v1::Arg>{text("case", "case-001")}; },
                     {kCourt, kGi, kOtherGi, kMunicipality, kAuditor});
  Chain chain;
  ASSERT_TRUE(chain.open_case(utc_ms(2026, 3, 10)).ok);
  auto start = [&] { return chain.tx(kRvdk, "investigation.start", {text("case", "case-001")}); };
  EXPECT_TRUE(chain.run_one(utc_ms(2026, 3, 11), start()).ok);
  EXPECT_EQ(chain.run_one(utc_ms(2026, 3, 12), start()).code, "DUPLICATE");
  EXPECT_EQ(chain.case_record().investigation_start_day(), days_from_civil(CivilDate{2026, 3, 11}));
}

TEST(Permissions, TheAuditorAnchorsNoDocumentsButEveryOtherMemberDoes) {
  const ArgsFor args = [] { return std::vector<v1::Arg>{text("case", "case-001"), hash_arg("document", "doc")}; };
  expect_refused_for("document.anchor", args, {kAuditor});
  Chain chain;
  chain.grant_standard_ots();
  EXPECT_TRUE(chain.run_one(utc_ms(2026, 3, 20), chain.tx(kOtherGi, "document.anchor", args())).ok);
  EXPECT_EQ(chain.run_one(utc_ms(2026, 3, 20), chain.tx(kRvdk, "document.anchor", args())).code, "DUPLICATE");
}

TEST(Permissions, TheAuditorAcknowledgesItsOwnNotificationsOnly) {
  Chain chain;
  chain.grant_standard_ots();
  EXPECT_EQ(chain.run_one(utc_ms(2026, 3, 20), chain.tx(kAuditor, "notification.ack", {integer("seq", 1)})).code,
            "EVENT_UNKNOWN");
}

// ---------------------------------------------------------------- governance

const std::vector<std::string_view> kEveryInstitution = {kCourt, kRvdk, kMunicipality, kGi, kOtherGi, kAuditor};

struct GovernanceAction {
  std::string_view name;
  ArgsFor args;
};

// Every governance action with args it accepts from a quorum.
std::vector<GovernanceAction> governance_actions() {
  return {
      {"institution.add",
       [] {
         return std::vector<v1::Arg>{text("institution", "gi-new"), text("role", "GI"), key_arg("admin_key", "gi-new")};
       }},
      {"institution.remove", [] { return std::vector<v1::Arg>{text("institution", std::string(kOtherGi))}; }},
      {"policy.set", [] { return std::vector<v1::Arg>{text("name", "assign_days"), integer("value", 10)}; }},
      {"rules.schedule", [] { return std::vector<v1::Arg>{integer("version", 2), integer("from_height", 1000)}; }},
      {"validator.update",
       [] {
         return std::vector<v1::Arg>{key_arg("validator.0.key", "val-0"), integer("validator.0.power", 1)};
       }},
  };
}

// The signer lists tried for every action, each refused NOT_AUTHORIZED and leaving no write.
void expect_governance_refused(const GovernanceAction& action, const std::vector<std::string_view>& signers,
                               std::string_view why) {
  Chain chain;
  chain.grant_standard_ots();
  chain.run(utc_ms(2026, 3, 20));
  auto out = chain.run(utc_ms(2026, 3, 20), {chain.multi_tx(signers, action.name, action.args())});
  EXPECT_EQ(out.results.at(0).code, "NOT_AUTHORIZED") << action.name << ": " << why;
  EXPECT_TRUE(out.writes.empty()) << action.name << ": " << why;
}

TEST(Permissions, NoSingleInstitutionOfAnyRoleActsForTheGovernance) {
  for (const GovernanceAction& action : governance_actions()) {
    for (std::string_view signer : kEveryInstitution) expect_governance_refused(action, {signer}, signer);
  }
}

TEST(Permissions, FourOfSixInstitutionsAreNoQuorumWhicheverFour) {
  for (const GovernanceAction& action : governance_actions()) {
    // Every 4-subset of the 6 institutions: 3 * 4 = 12 is not more than 2 * 6.
    for (size_t a = 0; a < 6; ++a) {
      for (size_t b = a + 1; b < 6; ++b) {
        std::vector<std::string_view> four;
        for (size_t i = 0; i < 6; ++i) {
          if (i != a && i != b) four.push_back(kEveryInstitution[i]);
        }
        expect_governance_refused(action, four, "without " + std::string(kEveryInstitution[a]) + ", " +
                                                    std::string(kEveryInstitution[b]));
      }
    }
  }
}

TEST(Permissions, ANonMemberKeyAmongTheGovernanceSignersIsRefused) {
  for (const GovernanceAction& action : governance_actions()) {
    expect_governance_refused(action, {kCourt, kRvdk, kMunicipality, kGi, kOtherGi, "stranger"}, "stranger last");
    expect_governance_refused(action, {"stranger", kCourt, kRvdk, kMunicipality, kGi, kOtherGi}, "stranger first");
  }
}

TEST(Permissions, AnyFiveOfSixInstitutionsPassEveryGovernanceAction) {
  for (const GovernanceAction& action : governance_actions()) {
    for (size_t skip = 0; skip < 6; ++skip) {
      std::vector<std::string_view> five;
      for (size_t i = 0; i < 6; ++i) {
        if (i != skip) five.push_back(kEveryInstitution[i]);
      }
      Chain chain;
      auto r = chain.run_one(utc_ms(2026, 3, 20), chain.multi_tx(five, action.name, action.args()));
      EXPECT_TRUE(r.ok) << action.name << " without " << kEveryInstitution[skip] << ": " << r.code;
    }
  }
}

TEST(Permissions, OnlyTheAdminKeyOfEveryRoleManagesItsMembers) {
  for (std::string_view inst : kEveryInstitution) {
    Chain chain;
    const std::string member = std::string(inst) + "-member";
    ASSERT_TRUE(chain.run_one(utc_ms(2026, 3, 20), chain.tx(inst, "member.add", {key_arg("key", member)})).ok) << inst;
    auto add = chain.run(utc_ms(2026, 3, 20), {chain.tx(member, "member.add", {key_arg("key", member + "-2")})});
    EXPECT_EQ(add.results.at(0).code, "NOT_AUTHORIZED") << inst;
    EXPECT_TRUE(add.writes.empty()) << inst;
    EXPECT_EQ(chain.run_one(utc_ms(2026, 3, 20), chain.tx(member, "member.revoke", {key_arg("key", member)})).code,
              "NOT_AUTHORIZED")
        << inst;
    // A non-member key is refused at admission.
    EXPECT_EQ(chain.run_one(utc_ms(2026, 3, 20), chain.tx("stranger", "member.add", {key_arg("key", "s2")})).code,
              "NOT_AUTHORIZED")
        << inst;
    // Member management is not governance: a second signature is refused.
    EXPECT_EQ(chain.run_one(utc_ms(2026, 3, 20),
                            chain.multi_tx({inst, kRvdk == inst ? kCourt : kRvdk}, "member.add",
                                           {key_arg("key", member + "-3")}))
                  .code,
              "BAD_FIELD")
        << inst;
  }
}

}  // namespace
}  // namespace joet
