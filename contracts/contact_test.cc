// court.contact_arrangement, contact.record, D-CONTACT and the no-contact signal, with hand-computed
// dates (default contact_grace_days 7, no_contact_signal_days 14). The standard OTS runs 2026-03-15 ..
// 2027-03-15; the standard UHP is decided on 2026-05-10.
#include <gtest/gtest.h>

#include "contracts/contracts_test_support.h"

namespace joet {
namespace {

using namespace joet::testing;  // NOLINT

using Names = std::vector<std::string>;

TxResult contact(Chain& chain, int64_t t, std::string date, std::string outcome, std::string by = "",
                 std::string reason = "") {
  std::vector<v1::Arg> args = {text("case", "case-001"), text("date", date), text("outcome", outcome)};
  if (!by.empty()) args.push_back(text("cancelled_by", by));
  if (!reason.empty()) args.push_back(text("reason", reason));
  return chain.run_one(t, chain.tx(kGi, "contact.record", std::move(args)));
}

TxResult arrange(Chain& chain, int64_t t, int64_t interval_days) {
  return chain.run_one(t, chain.tx(kCourt, "court.contact_arrangement",
                                   {text("case", "case-001"), integer("interval_days", interval_days)}));
}

// Weekly contact arranged on 2026-04-01: a HELD contact is due by 2026-04-01 + 7 + 7 = 2026-04-15,
// 00:00 CEST = 2026-04-14T22:00Z.
TEST(Contact, NoHeldContactWithinIntervalAndGraceIsReported) {
  Chain chain;
  chain.grant_standard_ots();
  ASSERT_TRUE(arrange(chain, utc_ms(2026, 4, 1, 9), 7).ok);
  ASSERT_TRUE(contact(chain, utc_ms(2026, 4, 8, 9), "2026-04-08", "CANCELLED", "CARER").ok);  // does not count
  chain.run(utc_ms(2026, 4, 14, 21, 59, 59));
  EXPECT_EQ(chain.count("CONTACT_MISSED"), 0u);
  chain.run(utc_ms(2026, 4, 14, 22));
  EXPECT_EQ(Chain::recipients(chain.of_kind("CONTACT_MISSED")),
            (Names{std::string(kGi), std::string(kMunicipality), std::string(kRvdk)}));
}

// Every contact.record is kept in order with its date, outcome, who cancelled and the reason code.
TEST(Contact, EveryRecordIsKeptWithItsReasonCode) {
  Chain chain;
  chain.grant_standard_ots();
  ASSERT_TRUE(contact(chain, utc_ms(2026, 4, 8, 9), "2026-04-08", "CANCELLED", "CARER", "ZIEK").ok);
  ASSERT_TRUE(contact(chain, utc_ms(2026, 4, 10, 9), "2026-04-10", "HELD").ok);
  EXPECT_EQ(contact(chain, utc_ms(2026, 4, 10, 9), "2026-04-10", "HELD", "", "free text").code, "BAD_FIELD");
  EXPECT_EQ(chain.case_record().contact_records(), 2u);
  ContractState state(chain.store);
  auto first = state.get<cv1::ContactRecord>(state_keys::contact("case-001", 0)).value();
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->day(), days_from_civil(CivilDate{2026, 4, 8}));
  EXPECT_EQ(first->outcome(), "CANCELLED");
  EXPECT_EQ(first->cancelled_by(), "CARER");
  EXPECT_EQ(first->reason(), "ZIEK");
  auto second = state.get<cv1::ContactRecord>(state_keys::contact("case-001", 1)).value();
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->outcome(), "HELD");
  EXPECT_EQ(second->reason(), "");
  EXPECT_FALSE(state.get<cv1::ContactRecord>(state_keys::contact("case-001", 2)).value().has_value());
}

// A HELD contact on 2026-04-10 moves the due date to 2026-04-24, 00:00 CEST = 2026-04-23T22:00Z.
TEST(Contact, AHeldContactStartsANewWindow) {
  Chain chain;
  chain.grant_standard_ots();
  ASSERT_TRUE(arrange(chain, utc_ms(2026, 4, 1, 9), 7).ok);
  ASSERT_TRUE(contact(chain, utc_ms(2026, 4, 10, 18), "2026-04-10", "HELD").ok);
  chain.run(utc_ms(2026, 4, 23, 21, 59, 59));
  EXPECT_EQ(chain.count("CONTACT_MISSED"), 0u);
  chain.run(utc_ms(2026, 4, 23, 22));
  EXPECT_EQ(chain.count("CONTACT_MISSED"), 3u);
  chain.run(utc_ms(2026, 6, 1));
  EXPECT_EQ(chain.count("CONTACT_MISSED"), 3u);  // once per gap
}

TEST(Contact, ACancelledContactNamesWhoCancelledAndDatesAreNotInTheFuture) {
  Chain chain;
  chain.grant_standard_ots();
  EXPECT_EQ(contact(chain, utc_ms(2026, 4, 8), "2026-04-08", "CANCELLED").code, "BAD_FIELD");
  EXPECT_EQ(contact(chain, utc_ms(2026, 4, 8), "2026-04-08", "HELD", "GI").code, "BAD_FIELD");
  EXPECT_EQ(contact(chain, utc_ms(2026, 4, 8), "2026-04-09", "HELD").code, "BAD_FIELD");
  EXPECT_EQ(contact(chain, utc_ms(2026, 4, 8), "2026-03-14", "HELD").code, "BAD_FIELD");  // before the OTS
  EXPECT_TRUE(contact(chain, utc_ms(2026, 4, 8), "2026-04-08", "CANCELLED", "GI").ok);
  EXPECT_EQ(arrange(chain, utc_ms(2026, 4, 8), 366).code, "BAD_FIELD");
}

// Placed on 2026-05-20 with no HELD contact: the signal is due 2026-05-20 + 14 = 2026-06-03,
// 00:00 CEST = 2026-06-02T22:00Z, whether or not the court set an arrangement.
TEST(NoContactSignal, APlacedChildWithoutHeldContactForFourteenDaysIsSignalled) {
  Chain chain;
  chain.grant_standard_uhp();
  ASSERT_TRUE(chain.run_one(utc_ms(2026, 5, 20, 9), chain.tx(kGi, "gi.placement",
                                                             {text("case", "case-001"), text("date", "2026-05-20")}))
                  .ok);
  chain.run(utc_ms(2026, 6, 2, 21, 59, 59));
  EXPECT_EQ(chain.count("NO_CONTACT_SIGNAL"), 0u);
  chain.run(utc_ms(2026, 6, 2, 22));
  const auto signals = chain.of_kind("NO_CONTACT_SIGNAL");
  ASSERT_EQ(Chain::recipients(signals), Names{std::string(kMunicipality)});
  EXPECT_EQ(signals[0].measure(), "UHP");
}

// A HELD contact on 2026-05-30 restarts it: due 2026-06-13, 00:00 CEST = 2026-06-12T22:00Z.
TEST(NoContactSignal, AHeldContactRestartsTheCount) {
  Chain chain;
  chain.grant_standard_uhp();
  ASSERT_TRUE(chain.run_one(utc_ms(2026, 5, 20, 9), chain.tx(kGi, "gi.placement",
                                                             {text("case", "case-001"), text("date", "2026-05-20")}))
                  .ok);
  ASSERT_TRUE(contact(chain, utc_ms(2026, 5, 30, 12), "2026-05-30", "HELD").ok);
  chain.run(utc_ms(2026, 6, 12, 21, 59, 59));
  EXPECT_EQ(chain.count("NO_CONTACT_SIGNAL"), 0u);
  chain.run(utc_ms(2026, 6, 12, 22));
  EXPECT_EQ(chain.count("NO_CONTACT_SIGNAL"), 1u);
}

TEST(NoContactSignal, NoSignalBeforeThePlacement) {
  Chain chain;
  chain.grant_standard_uhp();
  chain.run(utc_ms(2026, 7, 1));
  EXPECT_EQ(chain.count("NO_CONTACT_SIGNAL"), 0u);
}

}  // namespace
}  // namespace joet
