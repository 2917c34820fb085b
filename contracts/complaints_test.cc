// Complaints (D-COMPLAINT: 6 weeks, +4 once) and escalations (D-ESCAL: escalation_days, default 14),
// with hand-computed dates. The standard OTS runs 2026-03-15 .. 2027-03-15 with GI kGi.
#include <gtest/gtest.h>

#include "contracts/contracts_test_support.h"

namespace joet {
namespace {

using namespace joet::testing;  // NOLINT

using Names = std::vector<std::string>;

TxResult file_complaint(Chain& chain, int64_t t, std::string_view with) {
  return chain.run_one(t, chain.tx(with, "complaint.file",
                                   {text("case", "case-001"), text("complaint", "k-1"), text("filed_for", "PARENT"),
                                    hash_arg("document", "k-1")}));
}
TxResult decide_complaint(Chain& chain, int64_t t, std::string_view by, std::string outcome) {
  return chain.run_one(t, chain.tx(by, "complaint.decide",
                                   {text("case", "case-001"), text("complaint", "k-1"), text("outcome", outcome),
                                    hash_arg("document", "k-1-" + outcome)}));
}

// Filed 2026-04-01: decision due 2026-04-01 + 42 days = 2026-05-13, 00:00 CEST = 2026-05-12T22:00Z.
TEST(Complaint, AnUndecidedComplaintIsReportedAfterSixWeeks) {
  Chain chain;
  chain.grant_standard_ots();
  ASSERT_TRUE(file_complaint(chain, utc_ms(2026, 4, 1, 9), kGi).ok);
  chain.run(utc_ms(2026, 5, 12, 21, 59, 59));
  EXPECT_EQ(chain.count("COMPLAINT_DECISION_MISSED"), 0u);
  chain.run(utc_ms(2026, 5, 12, 22));
  const auto missed = chain.of_kind("COMPLAINT_DECISION_MISSED");
  ASSERT_EQ(Chain::recipients(missed), (Names{std::string(kGi), std::string(kMunicipality)}));
  EXPECT_EQ(missed[0].detail(), "k-1");
}

// Postponed once: due 2026-04-01 + 70 days = 2026-06-10, 00:00 CEST = 2026-06-09T22:00Z.
TEST(Complaint, ThePostponementAddsFourWeeksOnce) {
  Chain chain;
  chain.grant_standard_ots();
  ASSERT_TRUE(file_complaint(chain, utc_ms(2026, 4, 1, 9), kGi).ok);
  ASSERT_TRUE(decide_complaint(chain, utc_ms(2026, 5, 1), kGi, "POSTPONED").ok);
  EXPECT_EQ(decide_complaint(chain, utc_ms(2026, 5, 2), kGi, "POSTPONED").code, "DUPLICATE");
  chain.run(utc_ms(2026, 6, 9, 21, 59, 59));
  EXPECT_EQ(chain.count("COMPLAINT_DECISION_MISSED"), 0u);
  chain.run(utc_ms(2026, 6, 9, 22));
  EXPECT_EQ(chain.count("COMPLAINT_DECISION_MISSED"), 2u);
}

TEST(Complaint, OnlyTheReceivingInstitutionDecidesOnce) {
  Chain chain;
  chain.grant_standard_ots();
  ASSERT_TRUE(file_complaint(chain, utc_ms(2026, 4, 1, 9), kGi).ok);
  EXPECT_EQ(file_complaint(chain, utc_ms(2026, 4, 1, 9), kGi).code, "DUPLICATE");
  EXPECT_EQ(decide_complaint(chain, utc_ms(2026, 4, 20), kMunicipality, "REJECTED").code, "NOT_AUTHORIZED");
  ASSERT_TRUE(decide_complaint(chain, utc_ms(2026, 4, 20), kGi, "PARTLY_UPHELD").ok);
  EXPECT_EQ(decide_complaint(chain, utc_ms(2026, 4, 21), kGi, "REJECTED").code, "DUPLICATE");
  chain.run(utc_ms(2026, 7, 1));
  EXPECT_EQ(chain.count("COMPLAINT_DECISION_MISSED"), 0u);
}

TxResult request_check(Chain& chain, int64_t t, std::string addressee) {
  return chain.run_one(t, chain.tx(kMunicipality, "escalation.request",
                                   {text("case", "case-001"), text("escalation", "e-1"),
                                    text("addressee", addressee), hash_arg("document", "e-1")}));
}
TxResult answer_check(Chain& chain, int64_t t, std::string_view by) {
  return chain.run_one(t, chain.tx(by, "escalation.answer",
                                   {text("case", "case-001"), text("escalation", "e-1"), hash_arg("document", "a")}));
}

// Asked 2026-04-01: answer due 2026-04-01 + 14 days = 2026-04-15, 00:00 CEST = 2026-04-14T22:00Z.
TEST(Escalation, AnUnansweredCheckIsReportedToTheRequester) {
  Chain chain;
  chain.grant_standard_ots();
  ASSERT_TRUE(request_check(chain, utc_ms(2026, 4, 1, 9), std::string(kGi)).ok);
  EXPECT_EQ(Chain::recipients(chain.of_kind("ESCALATION_REQUESTED")), Names{std::string(kGi)});
  chain.run(utc_ms(2026, 4, 14, 21, 59, 59));
  EXPECT_EQ(chain.count("ESCALATION_ANSWER_MISSED"), 0u);
  chain.run(utc_ms(2026, 4, 14, 22));
  EXPECT_EQ(Chain::recipients(chain.of_kind("ESCALATION_ANSWER_MISSED")), Names{std::string(kMunicipality)});
}

TEST(Escalation, OnlyTheAddresseeAnswersAndInTimeNothingIsReported) {
  Chain chain;
  chain.grant_standard_ots();
  EXPECT_EQ(request_check(chain, utc_ms(2026, 4, 1, 9), std::string(kMunicipality)).code, "BAD_FIELD");
  EXPECT_EQ(request_check(chain, utc_ms(2026, 4, 1, 9), std::string(kAuditor)).code, "BAD_FIELD");
  ASSERT_TRUE(request_check(chain, utc_ms(2026, 4, 1, 9), std::string(kGi)).ok);
  EXPECT_EQ(answer_check(chain, utc_ms(2026, 4, 10), kRvdk).code, "NOT_AUTHORIZED");
  ASSERT_TRUE(answer_check(chain, utc_ms(2026, 4, 10), kGi).ok);
  EXPECT_EQ(answer_check(chain, utc_ms(2026, 4, 11), kGi).code, "DUPLICATE");
  EXPECT_EQ(Chain::recipients(chain.of_kind("ESCALATION_ANSWERED")), Names{std::string(kMunicipality)});
  chain.run(utc_ms(2026, 5, 1));
  EXPECT_EQ(chain.count("ESCALATION_ANSWER_MISSED"), 0u);
}

}  // namespace
}  // namespace joet
