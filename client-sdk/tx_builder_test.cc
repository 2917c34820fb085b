#include "client-sdk/tx_builder.h"

#include <gtest/gtest.h>

#include "contracts/contracts_test_support.h"
#include "ledger/block.h"
#include "ledger/codec.h"
#include "ledger/hash.h"

namespace joet::sdk {
namespace {

using joet::testing::Chain;

TEST(TxBuilder, ArgsTakeTheirTypeFromThePrefix) {
  EXPECT_EQ(parse_arg("case=case-001").value().text(), "case-001");
  EXPECT_EQ(parse_arg("interval_days=int:7").value().integer(), 7);
  EXPECT_EQ(parse_arg("document=doc:beschikking").value().hash(), to_string(sha256("beschikking")));
  EXPECT_EQ(parse_arg("key=hash:" + std::string(64, 'a')).value().hash(), std::string(32, '\xaa'));
  EXPECT_EQ(parse_arg("empty=").value().text(), "");
}

TEST(TxBuilder, MalformedArgsAreRefusedNamingThem) {
  for (const char* bad : {"no-equals", "=value", "n=int:", "n=int:7x", "k=hash:abc", "k=hash:" "zz"}) {
    auto arg = parse_arg(bad);
    ASSERT_FALSE(arg.ok()) << bad;
    EXPECT_EQ(arg.error().code, ErrorCode::kInvalidArgument) << bad;
  }
}

// What the builder signs, the contracts accept: a case.open by the RvdK's key runs OK.
TEST(TxBuilder, ABuiltTxIsAcceptedByTheContracts) {
  Chain chain;
  TxRequest r;
  r.chain_id = std::string(joet::testing::kChainId);
  r.action = "case.open";
  r.nonce = 1;
  for (const char* a : {"municipality=gem-amsterdam", "case=case-001", "majority_date=2035-01-01"}) {
    r.args.push_back(parse_arg(a).value());
  }
  auto tx = build_tx(r, Chain::key(joet::testing::kRvdk));
  ASSERT_TRUE(tx.ok());
  auto body = decode_tx_body(as_bytes(tx->body()));
  ASSERT_TRUE(body.ok()) << "the body is canonical, args sorted";
  EXPECT_EQ(body->args(0).name(), "case");
  EXPECT_TRUE(chain.run_one(joet::testing::utc_ms(2026, 3, 10, 9), *tx).ok);
}

TEST(TxBuilder, RefusesNonceZeroMissingFieldsAndRepeatedArgs) {
  const PrivateKey key = PrivateKey::from_test_seed("k");
  TxRequest r{"joet-test", "case.open", 0, 0, {}};
  EXPECT_FALSE(build_tx(r, key).ok());
  r.nonce = 1;
  r.action = "";
  EXPECT_FALSE(build_tx(r, key).ok());
  r.action = "case.open";
  r.args = {parse_arg("case=a").value(), parse_arg("case=b").value()};
  EXPECT_FALSE(build_tx(r, key).ok());
}

}  // namespace
}  // namespace joet::sdk
