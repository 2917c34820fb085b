// A case through every implemented action and deadline, executed twice from genesis: byte-identical
// writes, results and events (determinism), and every tx accepted.
#include <gtest/gtest.h>

#include "contracts/contracts_test_support.h"

namespace joet {
namespace {

using namespace joet::testing;  // NOLINT

struct CaseRun {
  std::vector<BlockExecution> blocks;
  std::vector<cv1::Event> events;
  std::vector<std::string> queued;  // the deadline kinds left in the queue at the end
};

CaseRun run_full_case() {
  Chain chain;
  CaseRun out;
  auto block = [&](int64_t t, std::vector<v1::SignedTx> txs) {
    out.blocks.push_back(chain.run(t, std::move(txs)));
    for (const TxResult& r : out.blocks.back().results) EXPECT_TRUE(r.ok) << r.code << ": " << r.message;
  };
  const std::vector<std::string_view> five = {kCourt, kRvdk, kMunicipality, kGi, kOtherGi};
  block(utc_ms(2026, 3, 1), {chain.multi_tx(five, "policy.set", {text("name", "extra_holidays.add"),
                                                                  text("date", "2026-12-24")})});
  block(utc_ms(2026, 3, 10, 9),
        {chain.tx(kRvdk, "case.open", {text("case", "case-001"), text("majority_date", "2035-01-01"),
                                       text("municipality", std::string(kMunicipality))}),
         chain.tx(kRvdk, "investigation.start", {text("case", "case-001")})});
  block(utc_ms(2026, 3, 11, 9),
        {chain.tx(kRvdk, "request.file", {text("case", "case-001"), text("request", "r-ots"), text("kind", "OTS"),
                                          hash_arg("document", "r-ots"), text("gi", std::string(kGi))}),
         chain.tx(kRvdk, "request.file", {text("case", "case-001"), text("request", "r-uhp"), text("kind", "UHP"),
                                          hash_arg("document", "r-uhp"), text("gi", std::string(kGi))}),
         chain.tx(kMunicipality, "municipality.decision",
                  {text("case", "case-001"), text("request", "r-uhp"), hash_arg("document", "cb")})});
  block(utc_ms(2026, 3, 15, 9),
        {chain.tx(kCourt, "court.decide", {text("case", "case-001"), text("request", "r-ots"),
                                           text("outcome", "GRANTED"), text("start_date", "2026-03-15"),
                                           text("end_date", "2027-03-15")}),
         chain.tx(kCourt, "court.decide", {text("case", "case-001"), text("request", "r-uhp"),
                                           text("outcome", "GRANTED"), text("start_date", "2026-03-15"),
                                           text("end_date", "2027-03-15")}),
         chain.tx(kGi, "professional.register", {text("professional", "jb-1"), text("skj_valid_until", "2030-01-01")}),
         chain.tx(kGi, "gi.assign", {text("case", "case-001"), text("professional", "jb-1")}),
         chain.tx(kCourt, "court.contact_arrangement", {text("case", "case-001"), integer("interval_days", 14)})});
  block(utc_ms(2026, 3, 20, 9),
        {chain.tx(kGi, "gi.placement", {text("case", "case-001"), text("date", "2026-03-20")}),
         chain.tx(kGi, "gi.plan", {text("case", "case-001"), hash_arg("document", "plan")}),
         chain.tx(kGi, "gi.aanwijzing", {text("case", "case-001"), text("aanwijzing", "aw-1"),
                                         text("kind", "CONTACT_LIMIT"), text("addressee", "PARENT"),
                                         hash_arg("document", "aw-1")}),
         chain.tx(kGi, "complaint.file", {text("case", "case-001"), text("complaint", "k-1"),
                                          text("filed_for", "CHILD"), hash_arg("document", "k-1")}),
         chain.tx(kMunicipality, "escalation.request", {text("case", "case-001"), text("escalation", "e-1"),
                                                        text("addressee", std::string(kRvdk)),
                                                        hash_arg("document", "e-1")}),
         chain.tx(kRvdk, "document.anchor", {text("case", "case-001"), hash_arg("document", "evidence")})});
  block(utc_ms(2026, 4, 2, 9),
        {chain.tx(kGi, "contact.record", {text("case", "case-001"), text("date", "2026-04-01"),
                                          text("outcome", "HELD")}),
         chain.tx(kGi, "gi.progress", {text("case", "case-001"), hash_arg("document", "p1")}),
         chain.tx(kRvdk, "escalation.answer", {text("case", "case-001"), text("escalation", "e-1"),
                                               hash_arg("document", "a")}),
         chain.tx(kGi, "complaint.decide", {text("case", "case-001"), text("complaint", "k-1"),
                                            text("outcome", "REJECTED"), hash_arg("document", "kd")}),
         chain.tx(kMunicipality, "notification.ack", {integer("seq", 1)})});
  for (int64_t t = utc_ms(2026, 4, 3); t < utc_ms(2026, 12, 1); t += 5 * kMsPerDay) block(t, {});
  block(utc_ms(2026, 12, 1, 9),
        {chain.tx(kGi, "gi.non_extension", {text("case", "case-001"), hash_arg("document", "ne")}),
         chain.tx(kGi, "gi.non_extension", {text("case", "case-001"), hash_arg("document", "ne-uhp"),
                                            text("measure", "UHP")})});
  for (int64_t t = utc_ms(2026, 12, 2); t < utc_ms(2027, 4, 1); t += 3 * kMsPerDay) block(t, {});
  out.events = chain.events;
  Bytes end = state_keys::deadline_prefix();
  end.back() = static_cast<uint8_t>(end.back() + 1);
  const Status scanned = chain.store.scan(state_keys::deadline_prefix(), end, [&](ByteView, ByteView value) {
    cv1::Deadline d;
    JOET_ASSERT(d.ParseFromArray(value.data(), static_cast<int>(value.size())));
    out.queued.push_back(d.kind());
    return true;
  });
  JOET_ASSERT(scanned.ok());
  return out;
}

TEST(Scenario, AFullCaseRunsTwiceToByteIdenticalWritesAndEvents) {
  const CaseRun first = run_full_case();
  const CaseRun second = run_full_case();
  ASSERT_EQ(first.blocks.size(), second.blocks.size());
  for (size_t i = 0; i < first.blocks.size(); ++i) {
    EXPECT_EQ(first.blocks[i].writes.ops(), second.blocks[i].writes.ops()) << "block " << i;
    EXPECT_EQ(first.blocks[i].results, second.blocks[i].results) << "block " << i;
  }
  ASSERT_EQ(first.events.size(), second.events.size());
  for (size_t i = 0; i < first.events.size(); ++i) EXPECT_EQ(encode(first.events[i]), encode(second.events[i]));
  // Some of what the year brought: the OTS and its UHP ended, the contact gaps and missed quarters
  // were reported, the informational terms ended.
  std::map<std::string, size_t> kinds;
  for (const auto& e : first.events) ++kinds[e.kind()];
  EXPECT_EQ(kinds["MEASURE_ENDED"], 6u);
  EXPECT_EQ(kinds["AANWIJZING_OBJECTION_TERM_ENDED"], 1u);
  EXPECT_EQ(kinds["APPEAL_TERM_ENDED"], 4u);  // two decisions, to the GI and the RvdK
  EXPECT_GT(kinds["CONTACT_MISSED"], 0u);
  EXPECT_GT(kinds["PROGRESS_MISSED"], 0u);
  EXPECT_EQ(kinds["NON_EXTENSION_NOTICE_MISSED"], 0u);
  EXPECT_EQ(kinds["ASSIGN_MISSED"], 0u);
  EXPECT_EQ(kinds["PLAN_MISSED"], 0u);
  EXPECT_EQ(kinds["UHP_LAPSED"], 0u);
  EXPECT_EQ(kinds["COMPLAINT_DECISION_MISSED"], 0u);
  EXPECT_EQ(kinds["ESCALATION_ANSWER_MISSED"], 0u);
  // Ending the measures cancelled every deadline of theirs: only the case's R-18 (2034-10-03) and
  // D-18 (2035-01-01) are left.
  EXPECT_EQ(first.queued, (std::vector<std::string>{"R-18", "D-18"}));
}

}  // namespace
}  // namespace joet
