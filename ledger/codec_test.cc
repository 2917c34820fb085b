#include "ledger/codec.h"

#include <gtest/gtest.h>

#include "ledger/testing/test_chain.h"

namespace joet {
namespace {

v1::VoteBody a_vote() {
  v1::VoteBody v;
  v.set_chain_id("joet-test");
  v.set_type(v1::PRECOMMIT);
  v.set_height(7);
  v.set_round(1);
  v.set_block_hash(std::string(32, '\x11'));
  return v;
}

TEST(Codec, ValidObjectsRoundTripByteForByte) {
  testing::TestChain chain;
  auto c = chain.next({testing::make_signed_tx(PrivateKey::from_test_seed("rvdk"), 1, 10)});
  auto c2 = chain.next({});
  Bytes block = encode(c2.block);
  auto decoded = decode_block(block);
  ASSERT_TRUE(decoded.ok()) << decoded.error().to_string();
  EXPECT_EQ(encode(*decoded), block);
  EXPECT_TRUE(decode_signed_tx(as_bytes(c.block.txs(0))).ok());
  EXPECT_TRUE(decode_commit_certificate(encode(c.commit)).ok());
  EXPECT_TRUE(decode_vote_body(encode(a_vote())).ok());
  EXPECT_TRUE(decode_validator_set(encode(chain.validator_set())).ok());
}

TEST(Codec, OversizeInputIsTooLargeBeforeAnyParsing) {
  Bytes big(limits::kMaxTxBytes + 1, 0);
  auto r = decode_signed_tx(big);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kTooLarge);
  EXPECT_EQ(decode_vote_body(Bytes(limits::kMaxVoteBytes + 1, 0)).error().code, ErrorCode::kTooLarge);
}

TEST(Codec, GarbageIsMalformed) {
  Bytes junk{0xff, 0xff, 0xff, 0xff, 0x0f};
  EXPECT_EQ(decode_block(junk).error().code, ErrorCode::kMalformed);
  EXPECT_EQ(decode_tx_body(junk).error().code, ErrorCode::kMalformed);
  EXPECT_EQ(decode_state_proof(junk).error().code, ErrorCode::kMalformed);
}

TEST(Codec, NonCanonicalEncodingsAreRefused) {
  Bytes vote = encode(a_vote());
  // The same content with a field repeated (the last value wins in protobuf): another encoding.
  Bytes twice = vote;
  twice.insert(twice.end(), {0x18, 0x07});  // height = 7 again
  EXPECT_EQ(decode_vote_body(twice).error().code, ErrorCode::kNonCanonical);
  // An unknown field.
  Bytes unknown = vote;
  unknown.insert(unknown.end(), {0x78, 0x01});  // field 15 varint
  EXPECT_EQ(decode_vote_body(unknown).error().code, ErrorCode::kNonCanonical);
  // A default value written explicitly (round = 0).
  v1::VoteBody zero_round = a_vote();
  zero_round.set_round(0);
  Bytes explicit_zero = encode(zero_round);
  explicit_zero.insert(explicit_zero.end(), {0x20, 0x00});
  EXPECT_EQ(decode_vote_body(explicit_zero).error().code, ErrorCode::kNonCanonical);
}

TEST(Codec, TxBodyArgsMustBeSortedUniqueAndHashesThirtyTwoBytes) {
  v1::TxBody body;
  body.set_chain_id("c");
  body.set_action("case.open");
  body.add_args()->set_name("b");
  body.mutable_args(0)->set_text("x");
  body.add_args()->set_name("a");
  body.mutable_args(1)->set_text("y");
  EXPECT_EQ(decode_tx_body(encode(body)).error().code, ErrorCode::kMalformed);
  body.mutable_args(1)->set_name("c");
  EXPECT_TRUE(decode_tx_body(encode(body)).ok());
  body.mutable_args(1)->set_hash("short");
  EXPECT_EQ(decode_tx_body(encode(body)).error().code, ErrorCode::kMalformed);
  body.mutable_args(1)->set_hash(std::string(32, 'h'));
  EXPECT_TRUE(decode_tx_body(encode(body)).ok());
  body.clear_chain_id();
  EXPECT_FALSE(decode_tx_body(encode(body)).ok());
}

TEST(Codec, SignedTxNeedsWellShapedSignatures) {
  auto tx = testing::make_signed_tx(PrivateKey::from_test_seed("court"), 3);
  EXPECT_TRUE(decode_signed_tx(encode(tx)).ok());
  auto no_sig = tx;
  no_sig.clear_signatures();
  EXPECT_EQ(decode_signed_tx(encode(no_sig)).error().code, ErrorCode::kMalformed);
  auto dup = tx;
  *dup.add_signatures() = tx.signatures(0);
  EXPECT_EQ(decode_signed_tx(encode(dup)).error().code, ErrorCode::kMalformed);
  auto short_sig = tx;
  short_sig.mutable_signatures(0)->mutable_signature()->pop_back();
  EXPECT_EQ(decode_signed_tx(encode(short_sig)).error().code, ErrorCode::kMalformed);
}

TEST(Codec, CertificateBitmapMustMatchSignatureCount) {
  testing::TestChain chain;
  auto c = chain.next({});
  auto cert = c.commit;
  cert.add_signatures(std::string(64, 's'));
  EXPECT_EQ(decode_commit_certificate(encode(cert)).error().code, ErrorCode::kMalformed);
  auto nil = c.commit;
  v1::VoteBody body;
  body.ParseFromString(nil.vote_body());
  body.clear_block_hash();
  nil.set_vote_body(encode(body).empty() ? "" : to_string(encode(body)));
  EXPECT_EQ(decode_commit_certificate(encode(nil)).error().code, ErrorCode::kMalformed);
}

TEST(Codec, BlockAboveHeightOneMustCarryTheLastCommit) {
  testing::TestChain chain;
  chain.next({});
  auto c2 = chain.next({});
  auto b = c2.block;
  b.clear_last_commit();
  EXPECT_EQ(decode_block(encode(b)).error().code, ErrorCode::kMalformed);
}

TEST(Codec, ProofsRefuseHashesThatAreNotThirtyTwoBytes) {
  v1::InclusionProof p;
  p.set_leaf_index(0);
  p.set_tree_size(2);
  p.add_hashes(std::string(31, 'x'));
  EXPECT_EQ(decode_inclusion_proof(encode(p)).error().code, ErrorCode::kMalformed);
  p.set_hashes(0, std::string(32, 'x'));
  EXPECT_TRUE(decode_inclusion_proof(encode(p)).ok());
  p.set_leaf_index(2);
  EXPECT_FALSE(decode_inclusion_proof(encode(p)).ok());
}

}  // namespace
}  // namespace joet
