// The consensus wire and WAL decoders: valid encodings round-trip byte for byte, and seeded mutations
// of valid encodings (bit flips, truncation, insertion, splicing) never crash a decoder, while every
// input a decoder accepts re-encodes to exactly the same bytes (Bitcoin's fuzz targets, fixed seed).
#include "consensus/wire.h"

#include <gtest/gtest.h>

#include <random>

#include "consensus/message.h"
#include "ledger/commit_certificate.h"
#include "ledger/hash.h"

namespace joet::consensus {
namespace {

constexpr std::string_view kChain = "wire-test";

struct Fixture {
  std::vector<std::unique_ptr<KeySigner>> signers;
  std::optional<ValidatorSet> set;
  Value value{};

  Fixture() {
    v1::ValidatorSet s;
    for (uint32_t i = 0; i < 4; ++i) {
      signers.push_back(std::make_unique<KeySigner>(PrivateKey::from_test_seed("wire-" + std::to_string(i))));
      auto* v = s.add_validators();
      const auto& pk = signers.back()->public_key().bytes();
      v->set_public_key(std::string(pk.begin(), pk.end()));
      v->set_power(1);
    }
    set = ValidatorSet::create(s).value();
    value.bytes = to_bytes("a block");
    value.hash = tagged_hash(tags::kBlock, value.bytes);
    value.time_ms = 1234;
  }

  CommitMsg commit() {
    std::vector<v1::SignedVote> votes;
    for (uint32_t i = 0; i < 3; ++i) {
      votes.push_back(make_vote(*signers[i], i, kChain, v1::PRECOMMIT, 7, 2, hash_key(value.hash)).signed_vote);
    }
    return CommitMsg{build_commit_certificate(*set, votes).value(), value.bytes};
  }

  std::vector<Bytes> messages() {
    return {encode_message(make_proposal(*signers[1], 1, kChain, 7, 2, -1, value)),
            encode_message(make_proposal(*signers[1], 1, kChain, 7, 3, 1, value)),
            encode_message(make_vote(*signers[2], 2, kChain, v1::PREVOTE, 7, 2, hash_key(value.hash))),
            encode_message(make_vote(*signers[3], 3, kChain, v1::PRECOMMIT, 7, 2, "")),
            encode_message(commit()), encode_message(StatusMsg{42}), encode_message(vote_evidence()),
            encode_message(EvidenceMsg{decode_proposal_evidence(proposal_evidence()).value()})};
  }

  std::vector<Bytes> wal_records() {
    auto m = messages();
    return {encode_wal_sent(m[0]), encode_wal_sent(m[2]), encode_wal_sent(m[3]),
            encode_wal_lock(LockRecord{7, 2, value, {make_vote(*signers[2], 2, kChain, v1::PREVOTE, 7, 2, hash_key(value.hash)).signed_vote}})};
  }

  EvidenceMsg vote_evidence() {
    v1::Evidence ev;
    *ev.mutable_vote_a() = make_vote(*signers[2], 2, kChain, v1::PREVOTE, 7, 2, "").signed_vote;
    *ev.mutable_vote_b() = make_vote(*signers[2], 2, kChain, v1::PREVOTE, 7, 2, hash_key(value.hash)).signed_vote;
    return EvidenceMsg{ev};
  }

  Bytes proposal_evidence() {
    v1::ProposalEvidence ev;
    Value other = value;
    other.bytes = to_bytes("another block");
    other.hash = tagged_hash(tags::kBlock, other.bytes);
    *ev.mutable_proposal_a() = make_proposal(*signers[1], 1, kChain, 7, 2, -1, value).signed_proposal;
    *ev.mutable_proposal_b() = make_proposal(*signers[1], 1, kChain, 7, 2, -1, other).signed_proposal;
    return encode(ev);
  }
};

Bytes mutate(std::mt19937_64& rng, const std::vector<Bytes>& seeds) {
  Bytes b = seeds[rng() % seeds.size()];
  const int ops = 1 + static_cast<int>(rng() % 3);
  for (int i = 0; i < ops; ++i) {
    switch (rng() % 6) {
      case 0:  // flip a bit
        if (!b.empty()) b[rng() % b.size()] ^= static_cast<uint8_t>(1u << (rng() % 8));
        break;
      case 1:  // set a byte
        if (!b.empty()) b[rng() % b.size()] = static_cast<uint8_t>(rng());
        break;
      case 2:  // truncate
        b.resize(rng() % (b.size() + 1));
        break;
      case 3: {  // insert random bytes
        Bytes ins(1 + rng() % 4);
        for (auto& x : ins) x = static_cast<uint8_t>(rng());
        b.insert(b.begin() + static_cast<std::ptrdiff_t>(rng() % (b.size() + 1)), ins.begin(), ins.end());
        break;
      }
      case 4: {  // splice the tail of another seed
        const Bytes& o = seeds[rng() % seeds.size()];
        size_t cut = rng() % (b.size() + 1), from = rng() % (o.size() + 1);
        b.resize(cut);
        b.insert(b.end(), o.begin() + static_cast<std::ptrdiff_t>(from), o.end());
        break;
      }
      default:  // duplicate a slice
        if (!b.empty()) {
          size_t at = rng() % b.size(), n = 1 + rng() % std::min<size_t>(8, b.size() - at);
          Bytes slice(b.begin() + static_cast<std::ptrdiff_t>(at), b.begin() + static_cast<std::ptrdiff_t>(at + n));
          b.insert(b.begin() + static_cast<std::ptrdiff_t>(at), slice.begin(), slice.end());
        }
    }
  }
  return b;
}

TEST(Wire, EveryMessageKindRoundTripsByteExact) {
  Fixture f;
  for (const Bytes& wire : f.messages()) {
    auto m = decode_message(wire);
    ASSERT_TRUE(m.ok()) << m.error().to_string();
    EXPECT_EQ(encode_message(*m), wire);
  }
  for (const Bytes& record : f.wal_records()) {
    auto r = decode_wal_record(record);
    ASSERT_TRUE(r.ok()) << r.error().to_string();
    EXPECT_EQ(encode(*r), record);
  }
  auto ev = decode_proposal_evidence(f.proposal_evidence());
  ASSERT_TRUE(ev.ok()) << ev.error().to_string();
}

TEST(Wire, RefusesEmptyOversizedNonCanonicalAndKindlessInput) {
  Fixture f;
  EXPECT_EQ(decode_consensus_message(Bytes{}).error().code, ErrorCode::kMalformed);  // no kind
  Bytes huge(kMaxMessageBytes + 1, 0);
  EXPECT_EQ(decode_consensus_message(huge).error().code, ErrorCode::kTooLarge);
  Bytes vote = f.messages()[2];
  vote.insert(vote.end(), {0x78, 0x01});  // an unknown field 15
  EXPECT_EQ(decode_consensus_message(vote).error().code, ErrorCode::kNonCanonical);
  // A status record is a message but never a WAL record.
  v1::WalRecord r;
  r.mutable_sent()->mutable_status()->set_height(3);
  EXPECT_FALSE(decode_wal_record(encode(r)).ok());
  // A proposal message with a block hash of the wrong length inside its signed body.
  v1::ProposalBody body;
  body.set_chain_id("c");
  body.set_height(1);
  body.set_pol_round(-1);
  body.set_block_hash("short");
  v1::ConsensusMessage m;
  m.mutable_proposal()->mutable_proposal()->set_body(to_string(encode(body)));
  m.mutable_proposal()->mutable_proposal()->set_signature(std::string(64, 's'));
  m.mutable_proposal()->set_block("b");
  EXPECT_FALSE(decode_consensus_message(encode(m)).ok());
}

TEST(Wire, MutatedEncodingsNeverCrashAndAcceptedInputReEncodesByteExact) {
  Fixture f;
  std::mt19937_64 rng(20181807);  // fixed randomness: a failure replays
  const auto messages = f.messages();
  const auto records = f.wal_records();
  const std::vector<Bytes> evidence = {f.proposal_evidence()};
  uint64_t accepted = 0;
  for (int i = 0; i < 30000; ++i) {
    Bytes b = mutate(rng, messages);
    if (auto m = decode_message(b); m.ok()) {
      ++accepted;
      ASSERT_EQ(encode_message(*m), b) << "iteration " << i;
    }
    Bytes w = mutate(rng, records);
    if (auto e = decode_wal_entry(w); e.ok()) {
      ++accepted;
      Bytes again = std::holds_alternative<LockRecord>(*e) ? encode_wal_lock(std::get<LockRecord>(*e))
                                                           : encode_wal_sent(encode_message(std::get<Message>(*e)));
      ASSERT_EQ(again, w) << "iteration " << i;
    }
    Bytes p = mutate(rng, evidence);
    if (auto ev = decode_proposal_evidence(p); ev.ok()) {
      ++accepted;
      ASSERT_EQ(encode(*ev), p) << "iteration " << i;
    }
  }
  EXPECT_GT(accepted, 500u);  // the mutations reach the decoders' accepting paths too
}

}  // namespace
}  // namespace joet::consensus
