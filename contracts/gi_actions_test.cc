// professional.register, gi.assign (D-ASSIGN, SKJ), gi.non_extension (D-NONEXT) and gi.aanwijzing
// (D-AANW), with hand-computed dates. The standard OTS runs 2026-03-15 .. 2027-03-15.
#include <gtest/gtest.h>

#include "contracts/contracts_test_support.h"

namespace joet {
namespace {

using namespace joet::testing;  // NOLINT

using Names = std::vector<std::string>;

TxResult register_professional(Chain& chain, int64_t t, std::string_view gi, std::string id, std::string until) {
  return chain.run_one(t, chain.tx(gi, "professional.register",
                                   {text("professional", id), text("skj_valid_until", until)}));
}
TxResult assign(Chain& chain, int64_t t, std::string id) {
  return chain.run_one(t, chain.tx(kGi, "gi.assign", {text("case", "case-001"), text("professional", id)}));
}

TEST(GiAssign, TheSkjRegistrationIsValidThroughItsLastDayInAmsterdam) {
  Chain in_time;
  in_time.grant_standard_ots();
  ASSERT_TRUE(register_professional(in_time, utc_ms(2026, 3, 16), kGi, "jb-17", "2026-03-19").ok);
  EXPECT_TRUE(assign(in_time, utc_ms(2026, 3, 19, 22, 59), "jb-17").ok);  // 23:59 CET on the 19th
  EXPECT_EQ(in_time.case_record().jeugdbeschermer(), "jb-17");
  EXPECT_EQ(assign(in_time, utc_ms(2026, 3, 19, 22, 59), "jb-17").code, "DUPLICATE");

  Chain late;
  late.grant_standard_ots();
  ASSERT_TRUE(register_professional(late, utc_ms(2026, 3, 16), kGi, "jb-17", "2026-03-19").ok);
  EXPECT_EQ(assign(late, utc_ms(2026, 3, 19, 23), "jb-17").code, "SKJ_EXPIRED");  // 00:00 CET on the 20th
  // A renewed registration is recorded by registering again.
  ASSERT_TRUE(register_professional(late, utc_ms(2026, 3, 20), kGi, "jb-17", "2031-03-19").ok);
  EXPECT_TRUE(assign(late, utc_ms(2026, 3, 20), "jb-17").ok);
}

TEST(GiAssign, OnlyTheGisOwnProfessionalsAreAssigned) {
  Chain chain;
  chain.grant_standard_ots();
  ASSERT_TRUE(register_professional(chain, utc_ms(2026, 3, 16), kOtherGi, "jb-99", "2030-01-01").ok);
  EXPECT_EQ(assign(chain, utc_ms(2026, 3, 17), "jb-99").code, "PROFESSIONAL_UNKNOWN");
}

TEST(GiAssign, NoJeugdbeschermerFiveDaysIntoTheMeasureIsReported) {
  // 2026-03-15 + 5 days = 2026-03-20; 00:00 CET = 2026-03-19T23:00Z.
  Chain missed;
  missed.grant_standard_ots();
  missed.run(utc_ms(2026, 3, 19, 22, 59, 59));
  EXPECT_EQ(missed.count("ASSIGN_MISSED"), 0u);
  missed.run(utc_ms(2026, 3, 19, 23));
  EXPECT_EQ(Chain::recipients(missed.of_kind("ASSIGN_MISSED")),
            (Names{std::string(kMunicipality), std::string(kGi)}));

  Chain assigned;
  assigned.grant_standard_ots();
  ASSERT_TRUE(register_professional(assigned, utc_ms(2026, 3, 16), kGi, "jb-17", "2030-01-01").ok);
  ASSERT_TRUE(assign(assigned, utc_ms(2026, 3, 18), "jb-17").ok);
  assigned.run(utc_ms(2026, 3, 25));
  EXPECT_EQ(assigned.count("ASSIGN_MISSED"), 0u);
}

// D-NONEXT: 2027-03-15 - 61 days = 2027-01-13, 00:00 CET = 2027-01-12T23:00Z; the GI is reminded 21
// days before: 2026-12-23 00:00 CET = 2026-12-22T23:00Z. Not Atw-extended (counted backwards).
TEST(NonExtension, TheRvdkIsToldWhenNeitherAnExtensionNorANoticeCameInTime) {
  Chain chain;
  chain.grant_standard_ots();
  chain.run(utc_ms(2026, 12, 22, 22, 59, 59));
  EXPECT_EQ(chain.count("NON_EXTENSION_REMINDER"), 0u);
  chain.run(utc_ms(2026, 12, 22, 23));
  EXPECT_EQ(Chain::recipients(chain.of_kind("NON_EXTENSION_REMINDER")), Names{std::string(kGi)});
  chain.run(utc_ms(2027, 1, 12, 22, 59, 59));
  EXPECT_EQ(chain.count("NON_EXTENSION_NOTICE_MISSED"), 0u);
  chain.run(utc_ms(2027, 1, 12, 23));
  EXPECT_EQ(Chain::recipients(chain.of_kind("NON_EXTENSION_NOTICE_MISSED")), Names{std::string(kRvdk)});
}

TEST(NonExtension, TheGisNoticeSatisfiesTheDeadlineAndReachesTheRvdk) {
  Chain chain;
  chain.grant_standard_ots();
  auto notice = [&] { return chain.tx(kGi, "gi.non_extension", {text("case", "case-001"), hash_arg("document", "ne")}); };
  ASSERT_TRUE(chain.run_one(utc_ms(2027, 1, 5), notice()).ok);
  EXPECT_EQ(chain.run_one(utc_ms(2027, 1, 5), notice()).code, "DUPLICATE");
  EXPECT_EQ(Chain::recipients(chain.of_kind("NON_EXTENSION_NOTICE")), Names{std::string(kRvdk)});
  chain.run(utc_ms(2027, 1, 20));
  EXPECT_EQ(chain.count("NON_EXTENSION_NOTICE_MISSED"), 0u);
  EXPECT_EQ(chain.run_one(utc_ms(2027, 1, 20), chain.tx(kGi, "gi.non_extension",
                                                         {text("case", "case-001"), hash_arg("document", "ne"),
                                                          text("measure", "UHP")}))
                .code,
            "NO_MEASURE");
}

TEST(NonExtension, AnExtensionRequestSatisfiesTheDeadline) {
  Chain chain;
  chain.grant_standard_ots();
  ASSERT_TRUE(chain.file(utc_ms(2027, 1, 5), kGi, "req-ext", "EXTEND_OTS").ok);
  chain.run(utc_ms(2027, 1, 20));
  EXPECT_EQ(chain.count("NON_EXTENSION_NOTICE_MISSED"), 0u);
}

// Issued on Monday 2026-04-13: 14 days end on Monday 2026-04-27, King's Day, so the objection term
// runs through Tuesday 2026-04-28 and has ended at 2026-04-29 00:00 CEST = 2026-04-28T22:00Z.
TEST(Aanwijzing, TheObjectionTermIsExtendedPastKingsDay) {
  Chain chain;
  chain.grant_standard_ots();
  auto aanwijzing = [&] {
    return chain.tx(kGi, "gi.aanwijzing",
                    {text("case", "case-001"), text("aanwijzing", "aw-1"), text("kind", "CONTACT_LIMIT"),
                     text("addressee", "PARENT"), hash_arg("document", "aw-1")});
  };
  ASSERT_TRUE(chain.run_one(utc_ms(2026, 4, 13, 9), aanwijzing()).ok);
  EXPECT_EQ(chain.run_one(utc_ms(2026, 4, 13, 9), aanwijzing()).code, "DUPLICATE");
  EXPECT_EQ(Chain::recipients(chain.of_kind("AANWIJZING_ISSUED")), Names{std::string(kRvdk)});
  chain.run(utc_ms(2026, 4, 28, 21, 59, 59));
  EXPECT_EQ(chain.count("AANWIJZING_OBJECTION_TERM_ENDED"), 0u);
  chain.run(utc_ms(2026, 4, 28, 22));
  const auto ended = chain.of_kind("AANWIJZING_OBJECTION_TERM_ENDED");
  ASSERT_EQ(Chain::recipients(ended), Names{std::string(kGi)});
  EXPECT_EQ(ended[0].detail(), "aw-1");
}

TxResult issue_aanwijzing(Chain& chain, int64_t t, std::string id, std::string kind) {
  return chain.run_one(t, chain.tx(kGi, "gi.aanwijzing",
                                   {text("case", "case-001"), text("aanwijzing", id), text("kind", kind),
                                    text("addressee", "PARENT"), hash_arg("document", id)}));
}
TxResult review_aanwijzing(Chain& chain, int64_t t, std::string id, std::string outcome) {
  return chain.run_one(t, chain.tx(kCourt, "court.aanwijzing_review",
                                   {text("case", "case-001"), text("aanwijzing", id), text("outcome", outcome),
                                    hash_arg("document", "review-" + id)}));
}

// A contact limitation issued on 2026-04-13 and never reviewed: contact_limit_review_days (42) later
// is 2026-05-25, 00:00 CEST = 2026-05-24T22:00Z; the municipality is signalled then, once.
TEST(Aanwijzing, AContactLimitNoCourtReviewedIsSignalledToTheMunicipality) {
  Chain chain;
  chain.grant_standard_ots();
  ASSERT_TRUE(issue_aanwijzing(chain, utc_ms(2026, 4, 13, 9), "aw-1", "CONTACT_LIMIT").ok);
  chain.run(utc_ms(2026, 5, 24, 21, 59, 59));
  EXPECT_EQ(chain.count("SIGNAL_CONTACT_LIMIT_NO_REVIEW"), 0u);
  chain.run(utc_ms(2026, 5, 24, 22));
  const auto signals = chain.of_kind("SIGNAL_CONTACT_LIMIT_NO_REVIEW");
  ASSERT_EQ(Chain::recipients(signals), Names{std::string(kMunicipality)});
  EXPECT_EQ(signals[0].detail(), "aw-1");
  chain.run(utc_ms(2026, 9, 1));
  EXPECT_EQ(chain.count("SIGNAL_CONTACT_LIMIT_NO_REVIEW"), 1u);
}

TEST(Aanwijzing, ACourtReviewInTimeSilencesTheSignalAndIsRecordedOnce) {
  Chain chain;
  chain.grant_standard_ots();
  ASSERT_TRUE(issue_aanwijzing(chain, utc_ms(2026, 4, 13, 9), "aw-1", "CONTACT_LIMIT").ok);
  ASSERT_TRUE(review_aanwijzing(chain, utc_ms(2026, 4, 30, 9), "aw-1", "UPHELD").ok);
  const auto reviewed = chain.of_kind("AANWIJZING_REVIEWED");
  EXPECT_EQ(Chain::recipients(reviewed),
            (Names{std::string(kGi), std::string(kRvdk), std::string(kMunicipality)}));
  EXPECT_EQ(reviewed.at(0).detail(), "aw-1:UPHELD");
  EXPECT_EQ(review_aanwijzing(chain, utc_ms(2026, 5, 1, 9), "aw-1", "ANNULLED").code, "DUPLICATE");
  EXPECT_EQ(review_aanwijzing(chain, utc_ms(2026, 5, 1, 9), "aw-9", "ANNULLED").code, "AANWIJZING_UNKNOWN");
  EXPECT_EQ(review_aanwijzing(chain, utc_ms(2026, 5, 1, 9), "aw-1", "MAYBE").code, "BAD_FIELD");
  chain.run(utc_ms(2026, 9, 1));
  EXPECT_EQ(chain.count("SIGNAL_CONTACT_LIMIT_NO_REVIEW"), 0u);
  ContractState state(chain.store);
  auto a = state.get<cv1::Aanwijzing>(state_keys::aanwijzing("case-001", "aw-1")).value();
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->review(), "UPHELD");
  EXPECT_EQ(a->reviewed_day(), days_from_civil(CivilDate{2026, 4, 30}));
}

TEST(Aanwijzing, AGeneralInstructionAndALimitOfAnEndedMeasureRaiseNoSignal) {
  Chain chain;
  chain.grant_standard_ots();
  ASSERT_TRUE(issue_aanwijzing(chain, utc_ms(2026, 4, 13, 9), "aw-1", "GENERAL").ok);
  ASSERT_TRUE(issue_aanwijzing(chain, utc_ms(2026, 4, 13, 9), "aw-2", "CONTACT_LIMIT").ok);
  ASSERT_TRUE(chain.run_one(utc_ms(2026, 5, 1, 9), chain.tx(kCourt, "court.lift",
                                                            {text("case", "case-001"), text("date", "2026-05-01")}))
                  .ok);
  chain.run(utc_ms(2026, 9, 1));
  EXPECT_EQ(chain.count("MEASURE_ENDED"), 3u);  // to the GI, the RvdK and the municipality
  EXPECT_EQ(chain.count("SIGNAL_CONTACT_LIMIT_NO_REVIEW"), 0u);
}

TEST(Aanwijzing, KindAndAddresseeAreCodesFromTheList) {
  Chain chain;
  chain.grant_standard_ots();
  auto tx = chain.tx(kGi, "gi.aanwijzing",
                     {text("case", "case-001"), text("aanwijzing", "aw-1"), text("kind", "VISIT"),
                      text("addressee", "PARENT"), hash_arg("document", "aw-1")});
  EXPECT_EQ(chain.run_one(utc_ms(2026, 4, 13), tx).code, "BAD_FIELD");
}

}  // namespace
}  // namespace joet
