#include "node/tx_signatures.h"

#include <gtest/gtest.h>

#include "contracts/contracts_test_support.h"

namespace joet {
namespace {

using testing::Chain;
using testing::kGi;
using testing::kRvdk;
using testing::text;
using testing::utc_ms;

// A block of valid and spoiled txs: executing it with the pool's verdicts gives exactly the results,
// writes and events of the executor's own serial check.
TEST(TxSignatures, ParallelVerdictsGiveTheSameExecutionAsTheSerialCheck) {
  Chain chain;
  std::vector<v1::SignedTx> txs;
  for (int i = 0; i < 40; ++i) {
    v1::SignedTx tx = chain.tx(kRvdk, "case.open",
                               {text("case", "case-" + std::to_string(i)), text("majority_date", "2035-01-01"),
                                text("municipality", std::string(testing::kMunicipality))});
    if (i % 7 == 3) (*tx.mutable_signatures(0)->mutable_signature())[5] ^= 1;   // bad signature
    if (i % 11 == 5) tx.clear_signatures();                                       // none at all
    txs.push_back(std::move(tx));
  }
  txs.push_back(chain.multi_tx({kRvdk, kGi}, "policy.set", {text("name", "plan_days"), testing::integer("value", 30)}));

  BatchVerifier verifier(2);
  const std::vector<uint8_t> verdicts = verify_tx_signatures(verifier, txs);
  ASSERT_EQ(verdicts.size(), txs.size());
  EXPECT_EQ(verdicts[3], 0);
  EXPECT_EQ(verdicts[5], 0);
  EXPECT_EQ(verdicts[0], 1);
  EXPECT_EQ(verdicts.back(), 1);

  const int64_t t = utc_ms(2026, 3, 10, 9);
  auto serial = execute_block(chain.store, chain.config, t, 1, txs);
  auto parallel = execute_block(chain.store, chain.config, t, 1, txs, verdicts);
  ASSERT_TRUE(serial.ok() && parallel.ok());
  EXPECT_EQ(serial->results, parallel->results);
  EXPECT_EQ(serial->writes.ops(), parallel->writes.ops());
  ASSERT_EQ(serial->events.size(), parallel->events.size());
  for (size_t i = 0; i < serial->events.size(); ++i) {
    EXPECT_EQ(serial->events[i].SerializeAsString(), parallel->events[i].SerializeAsString());
  }
  size_t refused = 0;
  for (const auto& r : serial->results) refused += r.ok ? 0 : 1;
  EXPECT_GE(refused, 8u);
}

TEST(TxSignatures, VerdictCountMustMatchTheTxs) {
  Chain chain;
  std::vector<v1::SignedTx> txs{chain.tx(kRvdk, "case.open", {text("case", "c-1"), text("majority_date", "2035-01-01")})};
  std::vector<uint8_t> wrong(2, 1);
  auto r = execute_block(chain.store, chain.config, utc_ms(2026, 1, 1), 1, txs, wrong);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace joet
