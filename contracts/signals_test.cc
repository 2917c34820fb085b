// Signals to the municipality (DOMAIN.md, Signals) raised by extensions, with hand-computed dates.
// The standard OTS runs 2026-03-15 .. 2027-03-15.
#include <gtest/gtest.h>

#include "contracts/contracts_test_support.h"

namespace joet {
namespace {

using namespace joet::testing;  // NOLINT

using Names = std::vector<std::string>;

// Requested on 2027-02-01: the 6 months before begin 2026-08-01 00:00 CEST = 2026-07-31T22:00Z.
TEST(Signals, AnExtensionAskedWithoutAReportInSixMonthsIsSignalled) {
  Chain late;
  late.grant_standard_ots();
  ASSERT_TRUE(late.progress(utc_ms(2026, 7, 31, 21, 59)).ok);  // 23:59 CEST on 2026-07-31
  ASSERT_TRUE(late.file(utc_ms(2027, 2, 1, 9), kGi, "req-ext", "EXTEND_OTS").ok);
  const auto signals = late.of_kind("SIGNAL_EXTENSION_WITHOUT_REPORT");
  ASSERT_EQ(Chain::recipients(signals), Names{std::string(kMunicipality)});
  EXPECT_EQ(signals[0].detail(), "req-ext");

  Chain in_time;
  in_time.grant_standard_ots();
  ASSERT_TRUE(in_time.progress(utc_ms(2026, 7, 31, 22)).ok);  // 00:00 CEST on 2026-08-01
  ASSERT_TRUE(in_time.file(utc_ms(2027, 2, 1, 9), kGi, "req-ext", "EXTEND_OTS").ok);
  EXPECT_EQ(in_time.count("SIGNAL_EXTENSION_WITHOUT_REPORT"), 0u);
}

TEST(Signals, TheThirdExtensionAndAnOtsOverTwentyFourMonthsAreSignalled) {
  Chain chain;
  chain.grant_standard_ots();
  const char* ends[] = {"2027-03-15", "2028-03-15", "2029-03-15"};
  for (int i = 0; i < 2; ++i) {
    const std::string request = "req-ext-" + std::to_string(i);
    ASSERT_TRUE(chain.file(utc_ms(2027 + i, 2, 1), kGi, request, "EXTEND_OTS").ok);
    ASSERT_TRUE(chain.decide(utc_ms(2027 + i, 3, 1), request, ends[i], ends[i + 1]).ok);
    // 2026-03-15 + 24 months = 2028-03-15: the first extension reaches it, the second passes it.
    EXPECT_EQ(chain.count("SIGNAL_OTS_OVER_24_MONTHS"), i == 0 ? 0u : 1u);
  }
  EXPECT_EQ(chain.count("SIGNAL_THIRD_EXTENSION"), 0u);
  ASSERT_TRUE(chain.file(utc_ms(2029, 2, 1), kGi, "req-ext-2", "EXTEND_OTS").ok);
  EXPECT_EQ(Chain::recipients(chain.of_kind("SIGNAL_THIRD_EXTENSION")), Names{std::string(kMunicipality)});
}

// The OTS time counts over measures: a VOTS 2026-01-01 replaced by an OTS on 2026-02-01 (31 days),
// the OTS 2026-02-01 .. 2027-02-01 (365), extended to 2028-02-01 (365): 761 days, more than the 730 of
// 2026-01-01 .. 2028-01-01. (The OTS alone reaches exactly 24 months: no signal by itself.)
TEST(Signals, TheOtsTimeOfAllTheCasesMeasuresCountsTowardsTwentyFourMonths) {
  Chain chain;
  ASSERT_TRUE(chain.open_case(utc_ms(2025, 12, 20, 9)).ok);
  ASSERT_TRUE(chain.file(utc_ms(2025, 12, 21, 9), kRvdk, "req-vots", "VOTS").ok);
  ASSERT_TRUE(chain.decide(utc_ms(2026, 1, 1, 9), "req-vots", "2026-01-01", "2026-04-01").ok);
  ASSERT_TRUE(chain.file(utc_ms(2026, 1, 20, 9), kRvdk, "req-ots", "OTS").ok);
  ASSERT_TRUE(chain.decide(utc_ms(2026, 2, 1, 9), "req-ots", "2026-02-01", "2027-02-01").ok);
  EXPECT_EQ(chain.count("SIGNAL_OTS_OVER_24_MONTHS"), 0u);
  ASSERT_TRUE(chain.file(utc_ms(2026, 12, 1, 9), kGi, "req-ext", "EXTEND_OTS").ok);
  ASSERT_TRUE(chain.decide(utc_ms(2027, 1, 5, 9), "req-ext", "2027-02-01", "2028-02-01").ok);
  const auto signals = chain.of_kind("SIGNAL_OTS_OVER_24_MONTHS");
  ASSERT_EQ(Chain::recipients(signals), Names{std::string(kMunicipality)});
  EXPECT_EQ(signals[0].detail(), "2028-02-01");
  EXPECT_EQ(signals[0].measure(), "OTS");
}

// A new OTS after an ended one: 2026-03-15 .. 2027-03-15 lapses, a new OTS 2027-06-01 .. 2028-06-01
// makes 365 + 366 = 731 days, not above the 731 of 2026-03-15 .. 2028-03-15; extended to
// 2028-07-01 it is (761), and the signal comes with that extension.
TEST(Signals, ANewOtsAfterAGapAddsToTheEarlierOnes) {
  Chain chain;
  chain.grant_standard_ots();
  chain.run(utc_ms(2027, 3, 15, 9));  // lapsed
  ASSERT_TRUE(chain.file(utc_ms(2027, 5, 20, 9), kRvdk, "req-ots-2", "OTS").ok);
  ASSERT_TRUE(chain.decide(utc_ms(2027, 6, 1, 9), "req-ots-2", "2027-06-01", "2028-06-01").ok);
  EXPECT_EQ(chain.count("SIGNAL_OTS_OVER_24_MONTHS"), 0u);
  ASSERT_TRUE(chain.file(utc_ms(2028, 5, 1, 9), kGi, "req-ext", "EXTEND_OTS").ok);
  ASSERT_TRUE(chain.decide(utc_ms(2028, 5, 20, 9), "req-ext", "2028-06-01", "2028-07-01").ok);
  EXPECT_EQ(chain.count("SIGNAL_OTS_OVER_24_MONTHS"), 1u);
}

TEST(Signals, AUhpOverTwelveMonthsIsSignalled) {
  Chain chain;
  chain.grant_standard_uhp();  // 2026-05-10 .. 2027-03-15
  ASSERT_TRUE(chain.run_one(utc_ms(2026, 5, 20), chain.tx(kGi, "gi.placement",
                                                          {text("case", "case-001"), text("date", "2026-05-20")}))
                  .ok);
  ASSERT_TRUE(chain.file(utc_ms(2027, 1, 5), kGi, "req-ext", "EXTEND_OTS").ok);
  ASSERT_TRUE(chain.decide(utc_ms(2027, 2, 1), "req-ext", "2027-03-15", "2028-03-15").ok);
  ASSERT_TRUE(chain.file(utc_ms(2027, 2, 2), kGi, "req-ext-uhp", "EXTEND_UHP").ok);
  // 2026-05-10 + 12 months = 2027-05-10.
  ASSERT_TRUE(chain.decide(utc_ms(2027, 3, 1), "req-ext-uhp", "2027-03-15", "2027-06-01").ok);
  const auto signals = chain.of_kind("SIGNAL_UHP_OVER_12_MONTHS");
  ASSERT_EQ(Chain::recipients(signals), Names{std::string(kMunicipality)});
  EXPECT_EQ(signals[0].measure(), "UHP");
}

TxResult assign(Chain& chain, int64_t t, std::string id) {
  auto reg = chain.tx(kGi, "professional.register", {text("professional", id), text("skj_valid_until", "2030-01-01")});
  JOET_ASSERT(chain.run_one(t, reg).ok);
  return chain.run_one(t, chain.tx(kGi, "gi.assign", {text("case", "case-001"), text("professional", id)}));
}

// Changes on 2026-03-17, 2026-06-01, 2027-03-17: the third is 12 months after the first, not within
// them; a fourth on 2027-03-18 makes three changes since 2026-06-01.
TEST(Signals, MoreThanTwoJeugdbeschermerChangesInTwelveMonthsAreSignalled) {
  Chain chain;
  chain.grant_standard_ots();
  ASSERT_TRUE(chain.file(utc_ms(2026, 3, 16), kGi, "req-ext", "EXTEND_OTS").ok);
  ASSERT_TRUE(chain.decide(utc_ms(2026, 3, 16), "req-ext", "2027-03-15", "2028-03-15").ok);
  ASSERT_TRUE(assign(chain, utc_ms(2026, 3, 16, 9), "jb-1").ok);
  ASSERT_TRUE(assign(chain, utc_ms(2026, 3, 17, 9), "jb-2").ok);
  ASSERT_TRUE(assign(chain, utc_ms(2026, 6, 1, 9), "jb-3").ok);
  ASSERT_TRUE(assign(chain, utc_ms(2027, 3, 17, 9), "jb-4").ok);
  EXPECT_EQ(chain.count("SIGNAL_JEUGDBESCHERMER_CHANGES"), 0u);
  ASSERT_TRUE(assign(chain, utc_ms(2027, 3, 18, 9), "jb-5").ok);
  EXPECT_EQ(Chain::recipients(chain.of_kind("SIGNAL_JEUGDBESCHERMER_CHANGES")), Names{std::string(kMunicipality)});
}

TxResult contact(Chain& chain, int64_t t, std::string date, std::string outcome, std::string by = "") {
  std::vector<v1::Arg> args = {text("case", "case-001"), text("date", date), text("outcome", outcome)};
  if (!by.empty()) args.push_back(text("cancelled_by", by));
  return chain.run_one(t, chain.tx(kGi, "contact.record", std::move(args)));
}

// Quarter 1 (to 2026-06-15): 1 of 4 cancelled by the carer, 25 %: no signal. Quarter 2 (to 2026-09-15
// 00:00 CEST = 2026-09-14T22:00Z): 2 of 4 cancelled by the GI or the carer (a parent's cancellation
// does not count towards it): signalled.
TEST(Signals, MoreThanAQuarterOfContactsCancelledByGiOrCarerIsSignalled) {
  Chain chain;
  chain.grant_standard_ots();
  ASSERT_TRUE(contact(chain, utc_ms(2026, 4, 1, 12), "2026-04-01", "HELD").ok);
  ASSERT_TRUE(contact(chain, utc_ms(2026, 4, 8, 12), "2026-04-08", "HELD").ok);
  ASSERT_TRUE(contact(chain, utc_ms(2026, 4, 15, 12), "2026-04-15", "HELD").ok);
  ASSERT_TRUE(contact(chain, utc_ms(2026, 4, 22, 12), "2026-04-22", "CANCELLED", "CARER").ok);
  chain.run(utc_ms(2026, 6, 14, 22));
  EXPECT_EQ(chain.count("SIGNAL_CONTACTS_CANCELLED"), 0u);
  ASSERT_TRUE(contact(chain, utc_ms(2026, 7, 1, 12), "2026-07-01", "HELD").ok);
  ASSERT_TRUE(contact(chain, utc_ms(2026, 7, 8, 12), "2026-07-08", "CANCELLED", "GI").ok);
  ASSERT_TRUE(contact(chain, utc_ms(2026, 7, 15, 12), "2026-07-15", "CANCELLED", "PARENT").ok);
  ASSERT_TRUE(contact(chain, utc_ms(2026, 7, 22, 12), "2026-07-22", "CANCELLED", "CARER").ok);
  chain.run(utc_ms(2026, 9, 14, 21, 59, 59));
  EXPECT_EQ(chain.count("SIGNAL_CONTACTS_CANCELLED"), 0u);
  chain.run(utc_ms(2026, 9, 14, 22));
  const auto signals = chain.of_kind("SIGNAL_CONTACTS_CANCELLED");
  ASSERT_EQ(Chain::recipients(signals), Names{std::string(kMunicipality)});
  EXPECT_EQ(signals[0].detail(), "Q2");
}

}  // namespace
}  // namespace joet
