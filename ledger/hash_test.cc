#include "ledger/hash.h"

#include <gtest/gtest.h>

namespace joet {
namespace {

TEST(Sha256, MatchesTheFips180Examples) {
  EXPECT_EQ(to_hex(sha256("")), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(to_hex(sha256("abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(to_hex(sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Sha256, IncrementalEqualsOneShotAndResetsAfterFinish) {
  Sha256 h;
  h.update("ab").update("c");
  EXPECT_EQ(h.finish(), sha256("abc"));
  EXPECT_EQ(h.update("").finish(), sha256(""));
}

TEST(TaggedHash, IsShaOfTwiceTheTagDigestThenTheMessage) {
  Hash32 t = sha256("joet/tx");
  Bytes pre(t.begin(), t.end());
  pre.insert(pre.end(), t.begin(), t.end());
  pre.push_back('m');
  EXPECT_EQ(tagged_hash(tags::kTx, as_bytes("m")), sha256(pre));
}

TEST(TaggedHash, DifferentTagsGiveDifferentHashesOfOneMessage) {
  EXPECT_NE(tagged_hash(tags::kTx, as_bytes("x")), tagged_hash(tags::kVote, as_bytes("x")));
}

TEST(TaggedHash, PartsHashAsTheirConcatenation) {
  EXPECT_EQ(tagged_hash(tags::kBlock, {as_bytes("ab"), as_bytes("cd")}), tagged_hash(tags::kBlock, as_bytes("abcd")));
}

}  // namespace
}  // namespace joet
