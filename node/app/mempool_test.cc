#include "node/app/mempool.h"

#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "node/app/app_test_support.h"

namespace joet {
namespace {

using namespace joet::testing;  // NOLINT

const int64_t kNow = utc_ms(2026, 3, 10, 9);

AdmitVerdict admit(AppNode& node, const v1::SignedTx& tx) {
  auto verdict = node.mempool->admit(tx_bytes(tx), kNow);
  JOET_ASSERT(verdict.ok());
  return std::move(verdict).value();
}

v1::SignedTx register_tx(Chain& chain, std::string id) {
  return chain.tx(kGi, "professional.register", {text("professional", std::move(id)), text("skj_valid_until", "2030-01-01")});
}

std::string code_of(const AdmitVerdict& v) { return v.refused ? v.refused->code : "ADMITTED"; }

struct Fixture {
  explicit Fixture(MempoolLimits limits = {}, LedgerAppConfig config = {})
      : node(std::make_unique<MemoryKvStore>(), 0, limits, config) {
    JOET_ASSERT(node.app->init_genesis().ok());
  }
  // Proposes, certifies and commits the next block from this node's mempool.
  consensus::Value commit_next(int64_t time_ms) {
    const uint64_t h = node.app->tip_height() + 1;
    consensus::Value v = node.app->prepare_proposal(h, 0, static_cast<uint64_t>(time_ms), {});
    EXPECT_TRUE(node.app->finalize_block(h, v, certify(h, v.hash)).ok());
    JOET_ASSERT(!node.app->halted());
    return v;
  }
  AppNode node;
  Chain chain;
};

TEST(MempoolAdmission, AWellFormedAuthorizedTxIsAdmitted) {
  Fixture f;
  const v1::SignedTx tx = open_case_tx(f.chain, "case-001");
  const AdmitVerdict v = admit(f.node, tx);
  EXPECT_TRUE(v.admitted()) << v.refused->message;
  EXPECT_EQ(v.tx_id, tx_id(tx));
  EXPECT_EQ(f.node.mempool->size(), 1u);
  EXPECT_EQ(f.node.mempool->bytes(), tx_bytes(tx).size());
  EXPECT_TRUE(f.node.mempool->contains(tx_id(tx)));
}

TEST(MempoolAdmission, BytesThatAreNoCanonicalSignedTxAreMalformed) {
  Fixture f;
  const Bytes garbage = {0xff, 0x01, 0x02};
  auto v = f.node.mempool->admit(garbage, kNow);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(code_of(*v), "MALFORMED");
  EXPECT_EQ(v->refused->fault, TxFault::kMalformed);
  // A signed tx whose body is not a TxBody.
  v1::SignedTx bad_body = open_case_tx(f.chain, "case-001");
  bad_body.set_body("\xff\xff");
  EXPECT_EQ(code_of(admit(f.node, bad_body)), "MALFORMED");
  EXPECT_EQ(f.node.mempool->size(), 0u);
}

TEST(MempoolAdmission, ASignatureThatDoesNotVerifyIsRefusedBeforeTheChainIsLookedAt) {
  Fixture f;
  v1::SignedTx tx = open_case_tx(f.chain, "case-001");
  std::string sig = tx.signatures(0).signature();
  sig[5] ^= 0x01;
  tx.mutable_signatures(0)->set_signature(sig);
  EXPECT_EQ(code_of(admit(f.node, tx)), "BAD_SIGNATURE");
  // Wrong chain and a bad signature: the signature is checked first.
  v1::TxBody body = decode_tx_body(as_bytes(tx.body())).value();
  body.set_chain_id("other-chain");
  v1::SignedTx both = Chain::sign(kRvdk, body);
  both.mutable_signatures(0)->set_signature(sig);
  EXPECT_EQ(code_of(admit(f.node, both)), "BAD_SIGNATURE");
}

TEST(MempoolAdmission, ATxForAnotherChainIsRefused) {
  Fixture f;
  v1::TxBody body = decode_tx_body(as_bytes(open_case_tx(f.chain, "case-001").body())).value();
  body.set_chain_id("other-chain");
  EXPECT_EQ(code_of(admit(f.node, Chain::sign(kRvdk, body))), "WRONG_CHAIN");
}

TEST(MempoolAdmission, ATxPendingOrAlreadyInABlockIsADuplicate) {
  Fixture f;
  const v1::SignedTx tx = open_case_tx(f.chain, "case-001");
  ASSERT_TRUE(admit(f.node, tx).admitted());
  EXPECT_EQ(code_of(admit(f.node, tx)), "DUPLICATE_TX");
  f.commit_next(kNow);
  EXPECT_EQ(f.node.mempool->size(), 0u);
  const AdmitVerdict again = admit(f.node, tx);
  EXPECT_EQ(code_of(again), "DUPLICATE_TX");
  EXPECT_NE(again.refused->message.find("block 1"), std::string::npos) << again.refused->message;
}

TEST(MempoolAdmission, OneSenderCannotFillThePool) {
  Fixture f(MempoolLimits{.max_txs = 100, .max_bytes = 1u << 20, .max_per_sender = 2});
  EXPECT_TRUE(admit(f.node, open_case_tx(f.chain, "case-001")).admitted());
  EXPECT_TRUE(admit(f.node, open_case_tx(f.chain, "case-002")).admitted());
  EXPECT_EQ(code_of(admit(f.node, open_case_tx(f.chain, "case-003"))), "SENDER_LIMIT");
  // Another key is not held back.
  const v1::SignedTx other = register_tx(f.chain, "prof-1");
  const AdmitVerdict v = admit(f.node, other);
  EXPECT_TRUE(v.admitted()) << code_of(v);
  const Hash32 rvdk = Chain::key(kRvdk).public_key().bytes();
  EXPECT_EQ(f.node.mempool->pending_of(rvdk), 2u);
}

TEST(MempoolAdmission, ACopyOfAPendingOrCommittedTxCostsNoSignatureCheck) {
  Fixture f;
  const v1::SignedTx tx = open_case_tx(f.chain, "case-001");
  ASSERT_TRUE(admit(f.node, tx).admitted());
  EXPECT_EQ(f.node.mempool->signatures_verified(), 1u);
  for (int copy = 0; copy < 3; ++copy) EXPECT_EQ(code_of(admit(f.node, tx)), "DUPLICATE_TX");  // three peers' copies
  EXPECT_EQ(f.node.mempool->signatures_verified(), 1u);
  f.commit_next(kNow);
  EXPECT_EQ(code_of(admit(f.node, tx)), "DUPLICATE_TX");
  EXPECT_EQ(f.node.mempool->signatures_verified(), 1u);
}

// A node refuses its own clients first (MEMPOOL_FULL, SENDER_LIMIT: 503, retry): a tx another
// validator already admitted and announced finds room here, up to kPeerHeadroom times the limits.
TEST(MempoolAdmission, APeersTxFindsRoomWhereAClientsIsRefused) {
  Fixture f(MempoolLimits{.max_txs = 2, .max_bytes = 1u << 20, .max_per_sender = 2});
  ASSERT_TRUE(admit(f.node, open_case_tx(f.chain, "case-001")).admitted());
  ASSERT_TRUE(admit(f.node, open_case_tx(f.chain, "case-002")).admitted());
  EXPECT_EQ(code_of(admit(f.node, open_case_tx(f.chain, "case-003"))), "SENDER_LIMIT");
  EXPECT_EQ(code_of(admit(f.node, register_tx(f.chain, "prof-1"))), "MEMPOOL_FULL");
  for (int i = 3; i <= 2 * static_cast<int>(kPeerHeadroom); ++i) {
    auto v = f.node.mempool->admit(tx_bytes(open_case_tx(f.chain, "case-00" + std::to_string(i))), kNow, TxOrigin::kPeer);
    ASSERT_TRUE(v.ok());
    EXPECT_TRUE(v->admitted()) << i << ": " << code_of(*v);
  }
  auto over = f.node.mempool->admit(tx_bytes(open_case_tx(f.chain, "case-100")), kNow, TxOrigin::kPeer);
  ASSERT_TRUE(over.ok());
  EXPECT_EQ(code_of(*over), "SENDER_LIMIT");  // the headroom is a bound too
  EXPECT_EQ(f.node.mempool->size(), 2 * kPeerHeadroom);
}

TEST(MempoolAdmission, OnlyThePendingTxWithTheSignaturesItVerifiedCountsAsVerified) {
  Fixture f;
  const v1::SignedTx tx = open_case_tx(f.chain, "case-001");
  EXPECT_FALSE(f.node.mempool->holds_verified(tx));
  ASSERT_TRUE(admit(f.node, tx).admitted());
  EXPECT_TRUE(f.node.mempool->holds_verified(tx));
  v1::SignedTx forged = tx;  // the same body, so the same tx id
  std::string sig = forged.signatures(0).signature();
  sig[7] ^= 1;
  forged.mutable_signatures(0)->set_signature(sig);
  ASSERT_EQ(tx_id(forged), tx_id(tx));
  EXPECT_FALSE(f.node.mempool->holds_verified(forged));
  v1::SignedTx twice = tx;
  *twice.add_signatures() = tx.signatures(0);
  EXPECT_FALSE(f.node.mempool->holds_verified(twice));
}

TEST(MempoolAnnouncements, OnlyTheNodesOwnClientsTxsAreAnnouncedInAdmissionOrder) {
  Fixture f;
  const v1::SignedTx a = open_case_tx(f.chain, "case-001");
  const v1::SignedTx b = register_tx(f.chain, "prof-1");
  const v1::SignedTx c = open_case_tx(f.chain, "case-002");
  ASSERT_TRUE(admit(f.node, a).admitted());
  ASSERT_TRUE(f.node.mempool->admit(tx_bytes(b), kNow, TxOrigin::kPeer)->admitted());
  ASSERT_TRUE(admit(f.node, c).admitted());
  auto first = f.node.mempool->next_own_after(0);
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(*first->bytes, tx_bytes(a));
  auto second = f.node.mempool->next_own_after(first->seq);
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(*second->bytes, tx_bytes(c));  // b came from a peer: its own node announces it
  EXPECT_FALSE(f.node.mempool->next_own_after(second->seq).has_value());
  // A committed tx is announced no more; a cursor from the start (a reconnect) sees what is left.
  const Hash32 committed = tx_id(a);
  f.node.mempool->remove_committed(std::span<const Hash32>(&committed, 1));
  auto again = f.node.mempool->next_own_after(0);
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(*again->bytes, tx_bytes(c));
  EXPECT_EQ(again->seq, second->seq);
}

TEST(MempoolAdmission, ThePoolIsBoundedInTxsAndInBytes) {
  {
    Fixture f(MempoolLimits{.max_txs = 2, .max_bytes = 1u << 20, .max_per_sender = 256});
    EXPECT_TRUE(admit(f.node, open_case_tx(f.chain, "case-001")).admitted());
    EXPECT_TRUE(admit(f.node, open_case_tx(f.chain, "case-002")).admitted());
    EXPECT_EQ(code_of(admit(f.node, open_case_tx(f.chain, "case-003"))), "MEMPOOL_FULL");
    EXPECT_EQ(f.node.mempool->size(), 2u);
  }
  {
    Chain probe;
    const size_t one = tx_bytes(open_case_tx(probe, "case-001")).size();
    Fixture f(MempoolLimits{.max_txs = 100, .max_bytes = one + one / 2, .max_per_sender = 256});
    EXPECT_TRUE(admit(f.node, open_case_tx(f.chain, "case-001")).admitted());
    EXPECT_EQ(code_of(admit(f.node, open_case_tx(f.chain, "case-002"))), "MEMPOOL_FULL");
    EXPECT_LE(f.node.mempool->bytes(), one + one / 2);
  }
}

TEST(MempoolAdmission, AKeyThatIsNoMemberIsRefusedWithTheContractsCode) {
  Fixture f;
  const v1::SignedTx tx = f.chain.tx("outsider", "case.open",
                                     {text("case", "case-001"), text("majority_date", "2035-01-01"),
                                      text("municipality", std::string(kMunicipality))});
  const AdmitVerdict v = admit(f.node, tx);
  EXPECT_EQ(code_of(v), "NOT_AUTHORIZED");
  EXPECT_EQ(v.refused->fault, TxFault::kRefused);
}

TEST(MempoolAdmission, ANonceAlreadyUsedIsRefusedWithTheContractsCode) {
  Fixture f;
  ASSERT_TRUE(admit(f.node, open_case_tx(f.chain, "case-001")).admitted());  // nonce 1
  f.commit_next(kNow);
  v1::TxBody body = decode_tx_body(as_bytes(open_case_tx(f.chain, "case-002").body())).value();
  body.set_nonce(1);  // used by the committed tx
  EXPECT_EQ(code_of(admit(f.node, Chain::sign(kRvdk, body))), "BAD_NONCE");
}

// A typo must not use up a key: a nonce far above the last used one (and the pending ones) is refused
// at admission, and the key goes on with its next nonce. The window counts from the highest pending.
TEST(MempoolAdmission, ANonceFarAboveTheLastAndPendingOnesIsRefusedAndTheKeyStaysUsable) {
  Fixture f;
  ASSERT_TRUE(admit(f.node, open_case_tx(f.chain, "case-001")).admitted());  // nonce 1
  f.commit_next(kNow);
  auto with_nonce = [&](const std::string& case_id, uint64_t nonce) {
    v1::TxBody body = decode_tx_body(as_bytes(open_case_tx(f.chain, case_id).body())).value();
    body.set_nonce(nonce);
    return Chain::sign(kRvdk, body);
  };
  const AdmitVerdict wrapped = admit(f.node, with_nonce("case-002", UINT64_MAX));  // --nonce -1
  EXPECT_EQ(code_of(wrapped), "NONCE_TOO_FAR");
  EXPECT_EQ(wrapped.refused->fault, TxFault::kNonceTooFar);
  EXPECT_EQ(code_of(admit(f.node, with_nonce("case-002", 1 + 1001))), "NONCE_TOO_FAR");  // an extra digit, say
  ASSERT_TRUE(admit(f.node, with_nonce("case-002", 1 + 1000)).admitted());  // the edge of the window
  // The window now counts from the pending 1001.
  ASSERT_TRUE(admit(f.node, with_nonce("case-003", 2001)).admitted());
  EXPECT_EQ(code_of(admit(f.node, with_nonce("case-004", 3002))), "NONCE_TOO_FAR");
  EXPECT_EQ(f.node.mempool->highest_pending_nonce(Chain::key(kRvdk).public_key().bytes()), 2001u);
}

TEST(MempoolAdmission, AnActionsOwnRefusalPassesThrough) {
  Fixture f;
  ASSERT_TRUE(admit(f.node, open_case_tx(f.chain, "case-001")).admitted());
  f.commit_next(kNow);
  // The case exists now: a second case.open of it is the contract's DUPLICATE.
  EXPECT_EQ(code_of(admit(f.node, open_case_tx(f.chain, "case-001"))), "DUPLICATE");
  EXPECT_EQ(code_of(admit(f.node, f.chain.tx(kRvdk, "no.such.action", {}))), "UNKNOWN_ACTION");
}

TEST(MempoolReap, TxsComeOutInAdmissionOrderSoEachSendersNoncesStayInOrder) {
  Fixture f;
  std::vector<v1::SignedTx> in;
  for (int i = 0; i < 3; ++i) {
    in.push_back(open_case_tx(f.chain, "case-" + std::to_string(i)));
    in.push_back(register_tx(f.chain, "prof-" + std::to_string(i)));
  }
  std::vector<v1::SignedTx> admitted;
  for (const auto& tx : in) {
    if (admit(f.node, tx).admitted()) admitted.push_back(tx);
  }
  ASSERT_EQ(admitted.size(), in.size());
  const std::vector<v1::SignedTx> out = f.node.mempool->reap(100, 1u << 20);
  ASSERT_EQ(out.size(), admitted.size());
  for (size_t i = 0; i < out.size(); ++i) EXPECT_EQ(tx_id(out[i]), tx_id(admitted[i])) << i;
  // Per sender, nonces ascend.
  std::map<std::string, uint64_t> last;
  for (const auto& tx : out) {
    const uint64_t nonce = decode_tx_body(as_bytes(tx.body())).value().nonce();
    EXPECT_GT(nonce, last[tx.signatures(0).public_key()]);
    last[tx.signatures(0).public_key()] = nonce;
  }
  // Reaping does not remove.
  EXPECT_EQ(f.node.mempool->size(), admitted.size());
}

TEST(MempoolReap, ReapStopsAtTheCountAndByteLimits) {
  Fixture f;
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(admit(f.node, open_case_tx(f.chain, "case-" + std::to_string(i))).admitted());
  EXPECT_EQ(f.node.mempool->reap(2, 1u << 20).size(), 2u);
  const size_t one = f.node.mempool->reap(1, 1u << 20).at(0).ByteSizeLong();
  EXPECT_EQ(f.node.mempool->reap(100, 2 * one + 1).size(), 2u);
  EXPECT_EQ(f.node.mempool->reap(100, one - 1).size(), 0u);
  EXPECT_EQ(f.node.mempool->reap(0, 1u << 20).size(), 0u);
}

TEST(MempoolCommit, RemoveCommittedDropsExactlyThoseTxs) {
  Fixture f;
  const v1::SignedTx a = open_case_tx(f.chain, "case-001");
  const v1::SignedTx b = open_case_tx(f.chain, "case-002");
  ASSERT_TRUE(admit(f.node, a).admitted());
  ASSERT_TRUE(admit(f.node, b).admitted());
  const Hash32 ids[] = {tx_id(a), sha256("unknown")};
  f.node.mempool->remove_committed(ids);
  EXPECT_EQ(f.node.mempool->size(), 1u);
  EXPECT_FALSE(f.node.mempool->contains(tx_id(a)));
  EXPECT_TRUE(f.node.mempool->contains(tx_id(b)));
  EXPECT_EQ(f.node.mempool->bytes(), tx_bytes(b).size());
}

TEST(MempoolCommit, AfterACommitTxsTheNewStateRefusesAreDropped) {
  // One tx per block, so the second stays pending while the first commits.
  LedgerAppConfig one_tx;
  one_tx.max_block_txs = 1;
  Fixture f(MempoolLimits{}, one_tx);
  const v1::SignedTx first = open_case_tx(f.chain, "case-001");
  const v1::SignedTx same_case = open_case_tx(f.chain, "case-001");  // nonce 2: alone it passes
  const v1::SignedTx other = open_case_tx(f.chain, "case-002");      // nonce 3
  ASSERT_TRUE(admit(f.node, first).admitted());
  ASSERT_TRUE(admit(f.node, same_case).admitted());
  ASSERT_TRUE(admit(f.node, other).admitted());
  f.commit_next(kNow);  // commits `first`, then rechecks: case-001 exists now
  EXPECT_FALSE(f.node.mempool->contains(tx_id(first)));
  EXPECT_FALSE(f.node.mempool->contains(tx_id(same_case)));
  EXPECT_TRUE(f.node.mempool->contains(tx_id(other)));
  EXPECT_EQ(f.node.mempool->size(), 1u);
  // recheck itself is idempotent on a pool the state accepts.
  auto dropped = f.node.mempool->recheck(kNow + 1);
  ASSERT_TRUE(dropped.ok());
  EXPECT_EQ(*dropped, 0u);
}

}  // namespace
}  // namespace joet
