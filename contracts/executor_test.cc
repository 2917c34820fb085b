#include "contracts/executor.h"

#include <gtest/gtest.h>

#include "contracts/contracts_test_support.h"

namespace joet {
namespace {

using namespace joet::testing;  // NOLINT

v1::SignedTx open_tx(Chain& chain, std::string case_id) {
  return chain.tx(kRvdk, "case.open",
                  {text("case", case_id), text("majority_date", "2035-01-01"),
                   text("municipality", std::string(kMunicipality))});
}

TEST(Executor, OpensACaseAndNotifiesTheRvdkAndMunicipalityFromSequenceOne) {
  Chain chain;
  auto out = chain.run(utc_ms(2026, 3, 10), {open_tx(chain, "case-001")});
  ASSERT_TRUE(out.results.at(0).ok) << out.results.at(0).message;
  ASSERT_EQ(out.events.size(), 2u);
  EXPECT_EQ(out.events[0].recipient(), kRvdk);
  EXPECT_EQ(out.events[0].seq(), 1u);
  EXPECT_EQ(out.events[1].recipient(), kMunicipality);
  EXPECT_EQ(out.events[1].seq(), 1u);
  EXPECT_EQ(out.events[0].kind(), "CASE_OPENED");
  auto second = chain.run(utc_ms(2026, 3, 11), {open_tx(chain, "case-002")});
  ASSERT_EQ(second.events.size(), 2u);
  EXPECT_EQ(second.events[0].seq(), 2u);
}

TEST(Executor, ABsnLookingCaseIdIsRefused) {
  Chain chain;
  EXPECT_EQ(chain.run_one(utc_ms(2026, 3, 10), open_tx(chain, "111222333")).code, "BAD_FIELD");
  EXPECT_EQ(chain.run_one(utc_ms(2026, 3, 10), open_tx(chain, "123456782")).code, "BAD_FIELD");
  EXPECT_TRUE(chain.run_one(utc_ms(2026, 3, 10), open_tx(chain, "123456789")).ok);
}

TEST(Executor, FreeTextInAnyTextArgumentIsRefused) {
  Chain chain;
  auto tx = chain.tx(kRvdk, "case.open",
                     {text("case", "case-001"), text("majority_date", "2035-01-01"),
                      text("municipality", std::string(kMunicipality)), text("note", "moeder belde vanmorgen")});
  EXPECT_EQ(chain.run_one(utc_ms(2026, 3, 10), tx).code, "BAD_FIELD");
}

TEST(Executor, ADuplicateCaseIsRefused) {
  Chain chain;
  EXPECT_TRUE(chain.open_case(utc_ms(2026, 3, 10)).ok);
  EXPECT_EQ(chain.open_case(utc_ms(2026, 3, 11)).code, "DUPLICATE");
}

TEST(Executor, ATamperedSignatureIsRefused) {
  Chain chain;
  auto tx = open_tx(chain, "case-001");
  std::string sig = tx.signatures(0).signature();
  sig[0] = static_cast<char>(sig[0] ^ 1);
  tx.mutable_signatures(0)->set_signature(sig);
  EXPECT_EQ(chain.run_one(utc_ms(2026, 3, 10), tx).code, "BAD_SIGNATURE");
}

TEST(Executor, ATxForAnotherChainIsRefused) {
  Chain chain;
  v1::TxBody body;
  body.set_chain_id("other-chain");
  body.set_action("case.open");
  body.set_nonce(1);
  EXPECT_EQ(chain.run_one(utc_ms(2026, 3, 10), Chain::sign(kRvdk, body)).code, "WRONG_CHAIN");
}

TEST(Executor, AReplayedTxIsRefusedWithBadNonce) {
  Chain chain;
  auto tx = open_tx(chain, "case-001");
  EXPECT_TRUE(chain.run_one(utc_ms(2026, 3, 10), tx).ok);
  EXPECT_EQ(chain.run_one(utc_ms(2026, 3, 11), tx).code, "BAD_NONCE");
}

TEST(Executor, AKeyThatIsNoMemberIsNotAuthorized) {
  Chain chain;
  v1::TxBody body;
  body.set_chain_id(std::string(kChainId));
  body.set_action("case.open");
  body.set_nonce(1);
  EXPECT_EQ(chain.run_one(utc_ms(2026, 3, 10), Chain::sign("stranger", body)).code, "NOT_AUTHORIZED");
}

TEST(Executor, UnknownAndGovernanceActionsAreRefused) {
  Chain chain;
  EXPECT_EQ(chain.run_one(utc_ms(2026, 3, 10), chain.tx(kRvdk, "case.burn", {})).code, "UNKNOWN_ACTION");
  // Governance actions: one institution is no quorum (governance_test.cc, policy_test.cc).
  EXPECT_EQ(chain.run_one(utc_ms(2026, 3, 10), chain.tx(kRvdk, "validator.update", {})).code, "NOT_AUTHORIZED");
  EXPECT_EQ(chain.run_one(utc_ms(2026, 3, 10), chain.tx(kRvdk, "institution.add", {})).code, "NOT_AUTHORIZED");
  EXPECT_EQ(chain.run_one(utc_ms(2026, 3, 10), chain.tx(kRvdk, "policy.set", {})).code, "NOT_AUTHORIZED");
}

TEST(Executor, ARefusedTxLeavesTheStateWritesAndEventsUnchanged) {
  Chain a;
  Chain b;
  auto ok_a = open_tx(a, "case-001");
  auto ok_b = open_tx(b, "case-001");
  ASSERT_EQ(ok_a.body(), ok_b.body());  // signatures differ (fresh aux randomness); tx ids do not
  // The refused tx passes the nonce check (and so stages a nonce write) before the action refuses.
  auto refused = b.tx(kGi, "case.open", {text("case", "case-002"), text("majority_date", "2035-01-01"),
                                         text("municipality", std::string(kMunicipality))});
  auto only_ok = a.run(utc_ms(2026, 3, 10), {ok_a});
  auto with_refused = b.run(utc_ms(2026, 3, 10), {ok_b, refused});
  EXPECT_EQ(with_refused.results.at(1).code, "NOT_AUTHORIZED");
  EXPECT_EQ(only_ok.writes.ops(), with_refused.writes.ops());
  ASSERT_EQ(only_ok.events.size(), with_refused.events.size());
  for (size_t i = 0; i < only_ok.events.size(); ++i) {
    EXPECT_EQ(only_ok.events[i].SerializeAsString(), with_refused.events[i].SerializeAsString());
  }
}

TEST(Executor, NotificationAckIsRecordedOnceForAnExistingEvent) {
  Chain chain;
  ASSERT_TRUE(chain.open_case(utc_ms(2026, 3, 10)).ok);
  EXPECT_TRUE(chain.run_one(utc_ms(2026, 3, 11), chain.tx(kMunicipality, "notification.ack", {integer("seq", 1)})).ok);
  EXPECT_EQ(chain.run_one(utc_ms(2026, 3, 11), chain.tx(kMunicipality, "notification.ack", {integer("seq", 1)})).code,
            "DUPLICATE");
  EXPECT_EQ(chain.run_one(utc_ms(2026, 3, 11), chain.tx(kMunicipality, "notification.ack", {integer("seq", 2)})).code,
            "EVENT_UNKNOWN");
  EXPECT_EQ(chain.run_one(utc_ms(2026, 3, 11), chain.tx(kGi, "notification.ack", {integer("seq", 1)})).code,
            "EVENT_UNKNOWN");
}

TEST(Executor, ABlockTimeOutsideTheSupportedRangeIsAnError) {
  Chain chain;
  auto out = execute_block(chain.store, chain.config, kMaxUtcMs + 1, 1, {});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code, ErrorCode::kInvalidArgument);
}

// A year of a case, executed twice from genesis.
std::vector<BlockExecution> run_scenario() {
  Chain chain;
  std::vector<BlockExecution> blocks;
  blocks.push_back(chain.run(utc_ms(2026, 3, 10, 9), {open_tx(chain, "case-001"), open_tx(chain, "case-002")}));
  std::vector<v1::SignedTx> txs;
  for (std::string c : {"case-001", "case-002"}) {
    txs.push_back(chain.tx(kRvdk, "request.file", {text("case", c), text("request", "r1"), text("kind", "OTS"),
                                                   hash_arg("document", c), text("gi", std::string(kGi))}));
  }
  blocks.push_back(chain.run(utc_ms(2026, 3, 11, 9), txs));
  txs.clear();
  for (std::string c : {"case-001", "case-002"}) {
    txs.push_back(chain.tx(kCourt, "court.decide", {text("case", c), text("request", "r1"), text("outcome", "GRANTED"),
                                                    text("start_date", "2026-03-15"), text("end_date", "2027-03-15")}));
  }
  blocks.push_back(chain.run(utc_ms(2026, 3, 15, 9), txs));
  for (int64_t t = utc_ms(2026, 3, 16); t < utc_ms(2027, 4, 1); t += 7 * kMsPerDay) blocks.push_back(chain.run(t));
  return blocks;
}

TEST(Executor, ExecutingTheSameBlocksTwiceGivesByteIdenticalWritesAndEvents) {
  auto first = run_scenario();
  auto second = run_scenario();
  ASSERT_EQ(first.size(), second.size());
  size_t events = 0;
  for (size_t i = 0; i < first.size(); ++i) {
    EXPECT_EQ(first[i].writes.ops(), second[i].writes.ops()) << "block " << i;
    EXPECT_EQ(first[i].results, second[i].results) << "block " << i;
    ASSERT_EQ(first[i].events.size(), second[i].events.size()) << "block " << i;
    for (size_t j = 0; j < first[i].events.size(); ++j) {
      EXPECT_EQ(encode(first[i].events[j]), encode(second[i].events[j]));
    }
    events += first[i].events.size();
  }
  EXPECT_GT(events, 10u);
}

}  // namespace
}  // namespace joet
