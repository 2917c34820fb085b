// Engine scenarios, one validator under test (index 0 of 4, equal power) fed hand-signed messages.
#include "consensus/engine.h"

#include <gtest/gtest.h>

#include "ledger/commit_certificate.h"
#include "ledger/hash.h"

namespace joet::consensus {
namespace {

constexpr std::string_view kChain = "engine-test";
constexpr uint64_t kT0 = 1'000'000;

// A block is "name@time_ms": its hash is tagged("joet/block", bytes), its header time the number.
class FakeApp : public Application {
 public:
  std::optional<BlockId> identify_block(ByteView bytes) override {
    const std::string text = to_string(bytes);
    const size_t at = text.rfind('@');
    if (at == std::string::npos) return std::nullopt;
    return BlockId{tagged_hash(tags::kBlock, bytes), std::stoull(text.substr(at + 1))};
  }
  Value prepare_proposal(uint64_t height, uint32_t round, uint64_t time_ms, const std::vector<AnyEvidence>& ev) override {
    evidence_seen = ev.size();
    return block("h" + std::to_string(height) + "r" + std::to_string(round) + "mine", time_ms);
  }
  bool has_work(uint64_t /*height*/) override { return work; }
  std::optional<uint64_t> next_due_ms() override { return due; }
  bool work = true;
  std::optional<uint64_t> due;  // the state's next deadline
  // The node's executor, answering ValidateBlock.
  bool validate(const ValidateBlock& request) { return invalid.count(hash_key(request.block_hash)) == 0; }
  Result<FinalizeResult> finalize_block(uint64_t height, const Value& v, const v1::CommitCertificate& cert) override {
    if (fail_finalize) return make_error(ErrorCode::kIoError, "store write failed");
    committed.push_back({height, v.hash});
    committed_times.push_back(v.time_ms);
    certs.push_back(cert);
    return FinalizeResult{set, kT0 + height * 1000, convicts};
  }
  static Value block(const std::string& name, uint64_t time_ms) {
    Value v;
    v.bytes = to_bytes(name + "@" + std::to_string(time_ms));
    v.hash = tagged_hash(tags::kBlock, v.bytes);
    v.time_ms = time_ms;
    return v;
  }
  v1::ValidatorSet set;
  std::set<std::string> invalid;
  std::vector<std::pair<uint64_t, Hash32>> committed;
  std::vector<uint64_t> committed_times;
  std::vector<v1::CommitCertificate> certs;
  size_t evidence_seen = 0;
  bool fail_finalize = false;
  std::vector<std::string> convicts;  // evidence keys the next finalized block convicts
};

// Rounds of height 1 where someone else proposes.
uint32_t other_round(const ValidatorSet& set, uint32_t from) {
  while (set.proposer(1, from) == 0) ++from;
  return from;
}

class EngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (uint32_t i = 0; i < 4; ++i) {
      signers.push_back(std::make_unique<KeySigner>(PrivateKey::from_test_seed("engine-" + std::to_string(i))));
      auto* v = app.set.add_validators();
      const auto& pk = signers.back()->public_key().bytes();
      v->set_public_key(std::string(pk.begin(), pk.end()));
      v->set_power(1);
    }
    set = ValidatorSet::create(app.set).value();
    config.chain_id = std::string(kChain);
  }

  void start(uint64_t height = 1) {
    engine = std::make_unique<Engine>(config, app, *signers[0], wal);
    StartState s{height, app.set, app.set, kT0};
    ASSERT_TRUE(engine->start(s, now).ok());
    pump();
  }

  // Collects the engine's outputs; with auto_validate, answers its ValidateBlock requests at once (as
  // a node whose executor is fast), otherwise keeps them in `requests`.
  void pump() {
    for (;;) {
      std::vector<ValidateBlock> asked;
      for (auto& o : engine->take_outputs()) {
        if (auto* v = std::get_if<ValidateBlock>(&o)) {
          asked.push_back(*v);
        } else {
          outputs.push_back(std::move(o));
        }
      }
      if (asked.empty()) return;
      if (!auto_validate) {
        requests.insert(requests.end(), asked.begin(), asked.end());
        return;
      }
      for (const auto& r : asked) engine->on_validation(r.height, r.block_hash, app.validate(r), now);
    }
  }
  std::vector<Output> take() {
    pump();
    std::vector<Output> out;
    out.swap(outputs);
    return out;
  }
  void message(const Message& m) {
    engine->on_message(m, now);
    pump();
  }
  void timeout(TimeoutKind kind, uint32_t round) {
    engine->on_timeout(kind, engine->height(), round, now);
    pump();
  }

  // Sends the round's proposal from its proposer (which must not be us).
  Value propose(uint32_t round, const std::string& name, int32_t pol = -1, std::optional<uint64_t> time = std::nullopt) {
    uint32_t p = set->proposer(engine->height(), round);
    EXPECT_NE(p, 0u);
    Value v = FakeApp::block(name, time.value_or(now));
    message(make_proposal(*signers[p], p, kChain, engine->height(), round, pol, v));
    return v;
  }
  void vote(uint32_t who, v1::VoteType type, uint32_t round, const std::string& key) {
    message(make_vote(*signers[who], who, kChain, type, engine->height(), round, key));
  }
  // Our votes broadcast since the last call: (type, round, key).
  std::vector<std::tuple<v1::VoteType, uint32_t, std::string>> sent_votes() {
    std::vector<std::tuple<v1::VoteType, uint32_t, std::string>> out;
    for (auto& o : take()) {
      if (auto* b = std::get_if<Broadcast>(&o)) {
        auto m = decode_message(b->wire);
        if (auto* v = std::get_if<VoteMsg>(&*m)) out.emplace_back(v->body.type(), v->body.round(), v->key());
      }
    }
    return out;
  }
  // Advances to `round` with nil precommits from three peers (line 47, then the timeout at line 65).
  // In a round another validator proposes, block a is proposed and validators 1 and 2 prevote it:
  // with our own prevote that is a polka, so we lock on a. `r` gets that round.
  Value polka_for_block_a(uint32_t& r) {
    to_round(other_round(*set, 0));
    r = engine->round();
    Value a = propose(r, "block-a");
    vote(1, v1::PREVOTE, r, hash_key(a.hash));
    vote(2, v1::PREVOTE, r, hash_key(a.hash));
    return a;
  }

  // Runs rounds of height 1 until this validator (index 0) proposes.
  void to_our_proposer_round() {
    uint32_t r = 0;
    while (set->proposer(1, r) != 0) ++r;
    to_round(r);
  }

  void to_round(uint32_t round) {
    while (engine->round() < round) {
      uint32_t r = engine->round();
      for (uint32_t i = 1; i < 4; ++i) vote(i, v1::PRECOMMIT, r, "");
      timeout(TimeoutKind::kPrecommit, r);
    }
  }

  FakeApp app;
  std::optional<ValidatorSet> set;
  std::vector<std::unique_ptr<KeySigner>> signers;
  MemoryWal wal;
  EngineConfig config;
  std::unique_ptr<Engine> engine;
  uint64_t now = kT0 + 10;
  bool auto_validate = true;
  std::vector<Output> outputs;
  std::vector<ValidateBlock> requests;
};


TEST_F(EngineTest, PrevotesAValidTimelyProposalAndPrecommitsOnAPolka) {
  start();
  to_round(other_round(*set, 0));
  uint32_t r = engine->round();
  Value v = propose(r, "block-a");
  EXPECT_EQ(sent_votes(), (decltype(sent_votes()){{v1::PREVOTE, r, hash_key(v.hash)}}));
  vote(1, v1::PREVOTE, r, hash_key(v.hash));
  vote(2, v1::PREVOTE, r, hash_key(v.hash));
  EXPECT_EQ(sent_votes(), (decltype(sent_votes()){{v1::PRECOMMIT, r, hash_key(v.hash)}}));
  EXPECT_EQ(engine->locked_round(), r);
  EXPECT_EQ(engine->locked_hash(), v.hash);
}

TEST_F(EngineTest, PrevotesNilWhenTheProposalTimesOut) {
  start();
  to_round(other_round(*set, 0));
  take();
  timeout(TimeoutKind::kPropose, engine->round());
  EXPECT_EQ(sent_votes(), (decltype(sent_votes()){{v1::PREVOTE, engine->round(), ""}}));
}

TEST_F(EngineTest, PrevotesNilForABlockTheApplicationRejects) {
  start();
  to_round(other_round(*set, 0));
  app.invalid.insert(hash_key(FakeApp::block("bad", now).hash));
  sent_votes();
  propose(engine->round(), "bad");
  EXPECT_EQ(sent_votes(), (decltype(sent_votes()){{v1::PREVOTE, engine->round(), ""}}));
}

TEST_F(EngineTest, PrevotesNilForABlockTimeOutsideThePrecisionOrNotAfterThePreviousBlock) {
  start();
  to_round(other_round(*set, 0));
  sent_votes();
  propose(engine->round(), "late", -1, now + config.precision_ms + 1);  // from our future
  EXPECT_EQ(sent_votes(), (decltype(sent_votes()){{v1::PREVOTE, engine->round(), ""}}));
  to_round(other_round(*set, engine->round() + 1));
  sent_votes();
  propose(engine->round(), "old", -1, kT0);  // not after the previous block's time
  EXPECT_EQ(sent_votes(), (decltype(sent_votes()){{v1::PREVOTE, engine->round(), ""}}));
}

TEST_F(EngineTest, LockedValidatorPrevotesNilForOtherValueWithoutNewerPolka) {
  start();
  uint32_t r = 0;
  Value a = polka_for_block_a(r);
  to_round(other_round(*set, r + 1));
  sent_votes();
  propose(engine->round(), "block-b");  // a new value, pol_round -1
  EXPECT_EQ(sent_votes(), (decltype(sent_votes()){{v1::PREVOTE, engine->round(), ""}}));
  EXPECT_EQ(engine->locked_hash(), a.hash);
}

TEST_F(EngineTest, LockedValidatorPrevotesOtherValueWithANewerPolka) {
  start();
  uint32_t r = 0;
  Value a = polka_for_block_a(r);
  // Round r+1: block b gets a polka we take no part in (we are in precommit of r, then move on).
  to_round(r + 1);
  uint32_t pol = engine->round();
  Value b = FakeApp::block("block-b", now);
  if (set->proposer(1, pol) != 0) {
    uint32_t p = set->proposer(1, pol);
    message(make_proposal(*signers[p], p, kChain, 1, pol, -1, b));
  }
  for (uint32_t i = 1; i < 4; ++i) vote(i, v1::PREVOTE, pol, hash_key(b.hash));
  to_round(other_round(*set, pol + 1));
  sent_votes();
  propose(engine->round(), "block-b", static_cast<int32_t>(pol));  // line 28 with vr = pol > locked round
  EXPECT_EQ(sent_votes(), (decltype(sent_votes()){{v1::PREVOTE, engine->round(), hash_key(b.hash)}}));
}

TEST_F(EngineTest, DecidesOnAProposalAndAQuorumOfPrecommitsAndBuildsAVerifiableCertificate) {
  start();
  to_round(other_round(*set, 0));
  uint32_t r = engine->round();
  Value v = propose(r, "block-a");
  for (uint32_t i = 1; i < 3; ++i) vote(i, v1::PRECOMMIT, r, hash_key(v.hash));
  EXPECT_TRUE(app.committed.empty());
  vote(3, v1::PRECOMMIT, r, hash_key(v.hash));
  ASSERT_EQ(app.committed.size(), 1u);
  EXPECT_EQ(app.committed[0].second, v.hash);
  EXPECT_EQ(engine->height(), 2u);
  EXPECT_TRUE(verify_commit_certificate(app.certs[0], *set, kChain, 1).ok());
}

TEST_F(EngineTest, SkipsToAHigherRoundOnMessagesFromMoreThanOneThird) {
  start();
  vote(1, v1::PREVOTE, 5, "");
  EXPECT_EQ(engine->round(), 0u);
  vote(2, v1::PRECOMMIT, 5, "");
  EXPECT_EQ(engine->round(), 5u);
}

TEST_F(EngineTest, TimeoutsGrowPerRound) {
  EXPECT_LT(config.timeouts.duration_ms(TimeoutKind::kPropose, 0), config.timeouts.duration_ms(TimeoutKind::kPropose, 1));
  EXPECT_LT(config.timeouts.duration_ms(TimeoutKind::kPrecommit, 3), config.timeouts.duration_ms(TimeoutKind::kPrecommit, 4));
}

TEST_F(EngineTest, ConflictingVotesBecomeEvidenceForTheNextProposal) {
  start();
  vote(2, v1::PREVOTE, 0, "");
  vote(2, v1::PREVOTE, 0, std::string(32, 'z'));
  bool found = false, broadcast = false;
  for (auto& o : take()) {
    found |= std::holds_alternative<EvidenceFound>(o);
    if (auto* b = std::get_if<Broadcast>(&o)) broadcast |= std::holds_alternative<EvidenceMsg>(*decode_message(b->wire));
  }
  EXPECT_TRUE(found);
  EXPECT_TRUE(broadcast);  // gossiped, so the next proposer has it
  // Run rounds until we propose: the evidence goes to prepare_proposal.
  to_our_proposer_round();
  EXPECT_EQ(app.evidence_seen, 1u);
}

TEST_F(EngineTest, RestartReplaysTheWalAndNeverSignsADifferentVoteForOneSlot) {
  start();
  to_round(other_round(*set, 0));
  uint32_t r = engine->round();
  Value a = propose(r, "block-a");  // we prevote a
  auto first = sent_votes();
  // Restart: the same WAL, a new engine. The proposal never arrives again; the timeout would prevote
  // nil, but the WAL says we prevoted a in this round: the engine re-sends that vote.
  start();
  EXPECT_EQ(engine->round(), r);
  sent_votes();
  timeout(TimeoutKind::kPropose, r);
  EXPECT_EQ(sent_votes(), first);
}

TEST_F(EngineTest, RestartAfterLockingKeepsTheLock) {
  start();
  uint32_t r = 0;
  Value a = polka_for_block_a(r);
  ASSERT_EQ(engine->locked_hash(), a.hash);
  start();
  EXPECT_EQ(engine->locked_hash(), a.hash);
  EXPECT_EQ(engine->locked_round(), r);
}

TEST_F(EngineTest, ACorruptWalStopsTheEngineWithATypedError) {
  start();
  to_round(other_round(*set, 0));
  Value a = propose(engine->round(), "block-a");
  vote(1, v1::PREVOTE, engine->round(), hash_key(a.hash));
  vote(2, v1::PREVOTE, engine->round(), hash_key(a.hash));
  ASSERT_GT(wal.appends(), 1u);
  wal.image()[9] ^= 0x40;
  engine = std::make_unique<Engine>(config, app, *signers[0], wal);
  Status s = engine->start(StartState{1, app.set, app.set, kT0}, now);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kCorruption);
  EXPECT_TRUE(engine->halted());
}

TEST_F(EngineTest, ACrashInsideAWalAppendSendsNothingAndHalts) {
  start();
  to_round(other_round(*set, 0));
  sent_votes();
  wal.crash_at_append(0, 5);
  propose(engine->round(), "block-a");
  EXPECT_TRUE(sent_votes().empty());
  EXPECT_TRUE(engine->halted());
}

TEST_F(EngineTest, PrevotesOnlyOnceTheApplicationHasValidatedTheBlock) {
  start();
  to_round(other_round(*set, 0));
  sent_votes();
  auto_validate = false;
  Value v = propose(engine->round(), "block-a");
  EXPECT_TRUE(sent_votes().empty());  // line 22 waits for valid(v)
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].block_hash, v.hash);
  EXPECT_EQ(requests[0].bytes, v.bytes);
  EXPECT_EQ(requests[0].height, 1u);
  engine->on_validation(2, v.hash, true, now);  // another height: ignored
  engine->on_validation(1, FakeApp::block("unasked", now).hash, true, now);  // not asked: ignored
  EXPECT_TRUE(sent_votes().empty());
  engine->on_validation(1, v.hash, true, now);
  EXPECT_EQ(sent_votes(), (decltype(sent_votes()){{v1::PREVOTE, engine->round(), hash_key(v.hash)}}));
  EXPECT_EQ(requests.size(), 1u);  // asked once
}

TEST_F(EngineTest, AnInvalidAnswerPrevotesNilAndALateAnswerChangesNothing) {
  start();
  to_round(other_round(*set, 0));
  sent_votes();
  auto_validate = false;
  Value bad = propose(engine->round(), "bad");
  engine->on_validation(1, bad.hash, false, now);
  EXPECT_EQ(sent_votes(), (decltype(sent_votes()){{v1::PREVOTE, engine->round(), ""}}));
  to_round(other_round(*set, engine->round() + 1));
  sent_votes();
  requests.clear();
  Value slow = propose(engine->round(), "slow");
  timeout(TimeoutKind::kPropose, engine->round());  // line 57 before the executor answers
  EXPECT_EQ(sent_votes(), (decltype(sent_votes()){{v1::PREVOTE, engine->round(), ""}}));
  engine->on_validation(1, slow.hash, true, now);
  EXPECT_TRUE(sent_votes().empty());
}

TEST_F(EngineTest, ARestartReRequestsValidationOfItsOwnLoggedProposal) {
  start();
  uint32_t r = 1;
  while (set->proposer(1, r) != 0) ++r;
  to_round(r - 1);
  for (uint32_t i = 1; i < 4; ++i) vote(i, v1::PRECOMMIT, engine->round(), "");
  sent_votes();
  wal.crash_at_append(1, 0);  // the proposal lands; the node dies inside the prevote's append
  timeout(TimeoutKind::kPrecommit, engine->round());
  ASSERT_TRUE(engine->halted());
  wal.reset_crash();
  auto_validate = false;
  requests.clear();
  start();
  ASSERT_EQ(engine->round(), r);
  ASSERT_EQ(requests.size(), 1u);  // the WAL's proposal, asked about again
  EXPECT_TRUE(sent_votes().empty());
  engine->on_validation(1, requests[0].block_hash, true, now);
  pump();
  EXPECT_EQ(sent_votes(), (decltype(sent_votes()){{v1::PREVOTE, r, hash_key(requests[0].block_hash)}}));
}

std::vector<AnyEvidence> evidence_in(const std::vector<Output>& outputs) {
  std::vector<AnyEvidence> out;
  for (const auto& o : outputs) {
    if (const auto* e = std::get_if<EvidenceFound>(&o)) out.push_back(e->evidence);
  }
  return out;
}

TEST_F(EngineTest, TwoProposalsOfOneProposerForOneRoundBecomeProposalEvidence) {
  start();
  to_round(other_round(*set, 0));
  const uint32_t r = engine->round();
  const uint32_t p = set->proposer(1, r);
  take();
  message(make_proposal(*signers[p], p, kChain, 1, r, -1, FakeApp::block("one", now)));
  message(make_proposal(*signers[p], p, kChain, 1, r, -1, FakeApp::block("one", now)));  // a duplicate: no evidence
  EXPECT_TRUE(evidence_in(take()).empty());
  message(make_proposal(*signers[p], p, kChain, 1, r, -1, FakeApp::block("two", now)));
  auto found = evidence_in(take());
  ASSERT_EQ(found.size(), 1u);
  ASSERT_TRUE(std::holds_alternative<v1::ProposalEvidence>(found[0]));
  EXPECT_TRUE(check_any_evidence(found[0], *set, kChain).ok());
  EXPECT_EQ(evidence_offender(found[0]), p);
}

TEST_F(EngineTest, GossipedEvidenceIsCheckedAndGoesIntoOurNextProposal) {
  start();
  v1::Evidence ev;
  *ev.mutable_vote_a() = make_vote(*signers[2], 2, kChain, v1::PREVOTE, 1, 0, "").signed_vote;
  *ev.mutable_vote_b() = make_vote(*signers[2], 2, kChain, v1::PREVOTE, 1, 0, std::string(32, 'z')).signed_vote;
  v1::Evidence forged = ev;
  *forged.mutable_vote_b() = make_vote(*signers[1], 2, kChain, v1::PREVOTE, 1, 0, std::string(32, 'z')).signed_vote;
  EXPECT_FALSE(engine->on_evidence(forged));
  v1::Evidence far = ev;
  *far.mutable_vote_a() = make_vote(*signers[2], 2, kChain, v1::PREVOTE, 9, 0, "").signed_vote;
  *far.mutable_vote_b() = make_vote(*signers[2], 2, kChain, v1::PREVOTE, 9, 0, std::string(32, 'z')).signed_vote;
  EXPECT_FALSE(engine->on_evidence(far));  // no set known for height 9
  message(EvidenceMsg{ev});  // from a peer
  EXPECT_FALSE(engine->on_evidence(ev));  // once
  to_our_proposer_round();
  EXPECT_EQ(app.evidence_seen, 1u);
}

TEST_F(EngineTest, AConflictingVoteForARecentlyCommittedHeightIsStillEvidence) {
  start();
  to_round(other_round(*set, 0));
  const uint32_t r = engine->round();
  Value v = propose(r, "block-a");
  for (uint32_t i = 1; i < 4; ++i) vote(i, v1::PRECOMMIT, r, hash_key(v.hash));
  ASSERT_EQ(engine->height(), 2u);
  ASSERT_NE(engine->validator_set(1), nullptr);  // the set of height 1 stays for the evidence window
  take();
  // Validator 2 precommitted block-a at height 1; a late precommit for nil from it conflicts.
  message(make_vote(*signers[2], 2, kChain, v1::PRECOMMIT, 1, r, ""));
  auto found = evidence_in(take());
  ASSERT_EQ(found.size(), 1u);
  EXPECT_TRUE(check_any_evidence(found[0], *set, kChain).ok());
  EXPECT_EQ(evidence_height(found[0]), 1u);
  // Past the window (2 heights), the set and the votes of height 1 are gone.
  for (uint64_t h = 2; h <= 3; ++h) {
    now = kT0 + h * 1000 + 10;  // after the previous block's time (FakeApp: kT0 + height * 1000)
    uint32_t rr = 0;
    while (set->proposer(h, rr) == 0) ++rr;
    to_round(rr);
    Value b = propose(rr, "block-h" + std::to_string(h));
    for (uint32_t i = 1; i < 4; ++i) vote(i, v1::PRECOMMIT, rr, hash_key(b.hash));
    ASSERT_EQ(engine->height(), h + 1);
  }
  EXPECT_EQ(engine->validator_set(1), nullptr);
  EXPECT_NE(engine->validator_set(2), nullptr);
}


// ---------------------------------------------------------------- block time (PBTS) bound to the header

// The reproduced attack: a byzantine proposer sends block X, dated an hour ahead, truthfully in a later
// round of its own (so X is known with that time), then in an earlier round with a proposal claiming
// "now". Honest nodes must judge the block by the time it carries: the lie is dropped, and nothing
// prevotes X in that round.
TEST_F(EngineTest, AProposalClaimingAnotherTimeThanItsBlockIsDroppedSoAFutureBlockIsNeverPrevoted) {
  start();
  to_round(other_round(*set, 0));
  const uint32_t r = engine->round();
  const uint32_t p = set->proposer(1, r);
  uint32_t later = r + 1;
  while (set->proposer(1, later) != p) ++later;
  const uint64_t hour = 3'600'000;
  Value x = FakeApp::block("x", now + hour);
  sent_votes();
  message(make_proposal(*signers[p], p, kChain, 1, later, -1, x));  // truthful: time = header
  Value lie = x;
  lie.time_ms = now;  // the same block claimed timely
  message(make_proposal(*signers[p], p, kChain, 1, r, -1, lie));
  EXPECT_TRUE(sent_votes().empty()) << "a proposal whose time is not its block's was acted on";
  timeout(TimeoutKind::kPropose, r);
  EXPECT_EQ(sent_votes(), (decltype(sent_votes()){{v1::PREVOTE, r, ""}}));
  // And truthfully dated, the future block is untimely: nil in the round it is proposed in, too.
  to_round(later);
  auto votes = sent_votes();
  EXPECT_NE(std::find(votes.begin(), votes.end(), std::make_tuple(v1::PREVOTE, later, std::string())), votes.end());
  EXPECT_EQ(std::count(votes.begin(), votes.end(), std::make_tuple(v1::PREVOTE, later, hash_key(x.hash))), 0);
}

TEST_F(EngineTest, AProposalWithAnotherTimeForABlockCannotPoisonTheBlocksVerdictForTheHeight) {
  start();
  to_round(other_round(*set, 0));
  const uint32_t r = engine->round();
  const uint32_t p = set->proposer(1, r);
  Value good = FakeApp::block("good", now);
  Value stale = good;
  stale.time_ms = kT0;  // not after the previous block: would be cached invalid under this hash
  sent_votes();
  message(make_proposal(*signers[p], p, kChain, 1, r, -1, stale));
  EXPECT_TRUE(sent_votes().empty());
  to_round(other_round(*set, r + 1));
  const uint32_t r2 = engine->round();
  sent_votes();
  message(make_proposal(*signers[set->proposer(1, r2)], set->proposer(1, r2), kChain, 1, r2, -1, good));
  EXPECT_EQ(sent_votes(), (decltype(sent_votes()){{v1::PREVOTE, r2, hash_key(good.hash)}}));
}

TEST_F(EngineTest, AnOldBlockReproposedWithAFreshLookingTimeIsNotPrevoted) {
  start();
  to_round(other_round(*set, 0));
  const uint32_t r = engine->round();
  const uint32_t p = set->proposer(1, r);
  now += 60'000;
  Value old = FakeApp::block("old", kT0 + 1);  // after the previous block, but a minute old
  Value fresh_looking = old;
  fresh_looking.time_ms = now;
  sent_votes();
  message(make_proposal(*signers[p], p, kChain, 1, r, -1, fresh_looking));
  EXPECT_TRUE(sent_votes().empty());
  message(make_proposal(*signers[p], p, kChain, 1, r, -1, old));
  EXPECT_EQ(sent_votes(), (decltype(sent_votes()){{v1::PREVOTE, r, ""}}));  // untimely
}

TEST_F(EngineTest, TwoProposalsForOneBlockWithDifferentTimesInOneRoundAreEvidence) {
  start();
  to_round(other_round(*set, 0));
  const uint32_t r = engine->round();
  const uint32_t p = set->proposer(1, r);
  Value x = FakeApp::block("x", now);
  Value other_time = x;
  other_time.time_ms = now + 1;
  take();
  message(make_proposal(*signers[p], p, kChain, 1, r, -1, x));
  message(make_proposal(*signers[p], p, kChain, 1, r, -1, other_time));
  auto found = evidence_in(take());
  ASSERT_EQ(found.size(), 1u);
  EXPECT_TRUE(check_any_evidence(found[0], *set, kChain).ok());
}

TEST_F(EngineTest, TheCommittedValueCarriesItsHeadersTimeAlsoWhenDecidedFromACertificate) {
  start();
  to_round(other_round(*set, 0));
  const uint32_t r = engine->round();
  Value v = FakeApp::block("cert-only", now - 5);
  std::vector<v1::SignedVote> votes;
  for (uint32_t i = 1; i < 4; ++i) votes.push_back(make_vote(*signers[i], i, kChain, v1::PRECOMMIT, 1, r, hash_key(v.hash)).signed_vote);
  auto cert = build_commit_certificate(*set, votes);
  ASSERT_TRUE(cert.ok());
  message(CommitMsg{*cert, v.bytes});
  ASSERT_EQ(app.committed_times.size(), 1u);
  EXPECT_EQ(app.committed_times[0], now - 5);
}

// ---------------------------------------------------------------- restarts, finalize, evidence pool

// Reproduced: a validator locked on a in round r crashes; its lock came back from the WAL but the
// prevotes behind it did not, so its re-proposal of a (pol_round r) convinced no one, itself included,
// and as proposer it had no propose timeout: the height never ended.
TEST_F(EngineTest, ARestartedLockedValidatorKeepsThePolkaBehindItsLockAndProposesWithIt) {
  start();
  uint32_t r = 0;
  Value a = polka_for_block_a(r);
  ASSERT_EQ(engine->locked_round(), r);
  start();  // the restart: a new engine on the same WAL
  ASSERT_EQ(engine->locked_hash(), a.hash);
  std::set<uint32_t> polka_prevoters;
  for (const Bytes& wire : engine->gossip_messages()) {
    auto m = decode_message(wire);
    if (const auto* v = std::get_if<VoteMsg>(&*m)) {
      if (v->body.type() == v1::PREVOTE && v->body.round() == r && v->key() == hash_key(a.hash)) {
        polka_prevoters.insert(v->signed_vote.validator_index());
      }
    }
  }
  EXPECT_EQ(polka_prevoters, (std::set<uint32_t>{0, 1, 2})) << "the restarted validator cannot show why it is locked";
  to_our_proposer_round();
  const uint32_t ours = engine->round();
  bool reproposed = false, prevoted = false, timeout_scheduled = false;
  for (auto& o : take()) {
    if (auto* b = std::get_if<Broadcast>(&o)) {
      auto m = decode_message(b->wire);
      if (auto* p = std::get_if<ProposalMsg>(&*m)) reproposed |= p->body.pol_round() == static_cast<int32_t>(r);
      if (auto* v = std::get_if<VoteMsg>(&*m)) prevoted |= v->body.round() == ours && v->key() == hash_key(a.hash);
    }
    if (auto* t = std::get_if<ScheduleTimeout>(&o)) timeout_scheduled |= t->kind == TimeoutKind::kPropose && t->round == ours;
  }
  EXPECT_TRUE(reproposed);
  EXPECT_TRUE(prevoted) << "line 28 needs the polka of round r";
  EXPECT_TRUE(timeout_scheduled) << "a proposer without a propose timeout can wait forever";
}

TEST_F(EngineTest, AProposerSchedulesAProposeTimeoutSoALostPolkaCannotStallItsRound) {
  start();
  uint32_t r = 0;
  polka_for_block_a(r);
  // A restart that lost the polka (as an older WAL would): only the lock's value is known.
  MemoryWal older;
  auto records = wal.read_all();
  ASSERT_TRUE(records.ok());
  for (const Bytes& record : *records) {
    auto entry = decode_wal_entry(record);
    if (auto* l = std::get_if<LockRecord>(&*entry)) {
      l->polka.clear();
      ASSERT_TRUE(older.append(encode_wal_lock(*l)).ok());
    } else {
      ASSERT_TRUE(older.append(record).ok());
    }
  }
  engine = std::make_unique<Engine>(config, app, *signers[0], older);
  ASSERT_TRUE(engine->start(StartState{1, app.set, app.set, kT0}, now).ok());
  pump();
  to_our_proposer_round();
  const uint32_t ours = engine->round();
  sent_votes();
  timeout(TimeoutKind::kPropose, ours);
  EXPECT_EQ(sent_votes(), (decltype(sent_votes()){{v1::PREVOTE, ours, ""}}));  // the round moves on
}

TEST_F(EngineTest, AFailedFinalizeHaltsAtTheHeightAndKeepsTheWalSoARestartStillHoldsTheLock) {
  start();
  uint32_t r = 0;
  Value a = polka_for_block_a(r);
  app.fail_finalize = true;
  take();
  vote(1, v1::PRECOMMIT, r, hash_key(a.hash));
  vote(2, v1::PRECOMMIT, r, hash_key(a.hash));
  EXPECT_TRUE(engine->halted());
  EXPECT_EQ(engine->halt_status().error().code, ErrorCode::kIoError);
  EXPECT_EQ(engine->height(), 1u);
  for (const auto& o : take()) EXPECT_FALSE(std::holds_alternative<Committed>(o));
  auto kept = wal.read_all();
  ASSERT_TRUE(kept.ok());
  ASSERT_FALSE(kept->empty()) << "the WAL was truncated for a height not durable";
  app.fail_finalize = false;
  start();
  EXPECT_EQ(engine->height(), 1u);
  EXPECT_EQ(engine->locked_hash(), a.hash);
  EXPECT_EQ(engine->locked_round(), r);
}

TEST_F(EngineTest, EvidenceTheChainConvictsLeavesThePoolSoANewOffenceIsStillTaken) {
  config.max_pending_evidence = 2;
  start();
  auto offence = [&](uint32_t who, uint64_t height, uint32_t round) {
    v1::Evidence ev;
    *ev.mutable_vote_a() = make_vote(*signers[who], who, kChain, v1::PREVOTE, height, round, "").signed_vote;
    *ev.mutable_vote_b() = make_vote(*signers[who], who, kChain, v1::PREVOTE, height, round, std::string(32, 'z')).signed_vote;
    return AnyEvidence(ev);
  };
  EXPECT_TRUE(engine->on_evidence(offence(2, 1, 0)));
  EXPECT_TRUE(engine->on_evidence(offence(2, 1, 1)));
  EXPECT_FALSE(engine->on_evidence(offence(2, 1, 2)));  // the pool is full
  EXPECT_EQ(engine->evidence_dropped(), 1u);
  // Height 1 commits a block that convicts both pending offences.
  app.convicts = {evidence_key(offence(2, 1, 0)), evidence_key(offence(2, 1, 1))};
  to_round(other_round(*set, 0));
  const uint32_t r = engine->round();
  Value v = propose(r, "block-a");
  for (uint32_t i = 1; i < 4; ++i) vote(i, v1::PRECOMMIT, r, hash_key(v.hash));
  ASSERT_EQ(engine->height(), 2u);
  EXPECT_EQ(engine->pending_evidence(), 0u);
  EXPECT_FALSE(engine->on_evidence(offence(2, 1, 0)));  // convicted already: not proposed again
  EXPECT_TRUE(engine->on_evidence(offence(3, 1, 4)));   // a new offence has room
  EXPECT_EQ(engine->pending_evidence(), 1u);
}

TEST_F(EngineTest, AWalWrittenByAnotherValidatorOrChainIsRefusedAtStart) {
  start();
  to_round(other_round(*set, 0));
  propose(engine->round(), "block-a");  // we prevote: the WAL holds our vote
  ASSERT_GT(wal.appends(), 0u);
  Engine other(config, app, *signers[1], wal);
  Status s = other.start(StartState{1, app.set, app.set, kT0}, now);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kCorruption);
  EXPECT_NE(s.error().message.find("not signed by this validator"), std::string::npos) << s.error().message;
  EngineConfig other_chain = config;
  other_chain.chain_id = "another-chain";
  Engine elsewhere(other_chain, app, *signers[0], wal);
  EXPECT_EQ(elsewhere.start(StartState{1, app.set, app.set, kT0}, now).error().code, ErrorCode::kCorruption);
}

// A signer that refuses slots at or below a height (the node's signing guard after a wiped data dir).
class RefusingSigner : public Signer {
 public:
  RefusingSigner(Signer& inner, uint64_t through_height) : inner_(inner), through_(through_height) {}
  const PublicKey& public_key() const override { return inner_.public_key(); }
  Signature64 sign(std::string_view tag, ByteView body) override { return inner_.sign(tag, body); }
  Status authorize(uint64_t height, uint32_t, Step) override {
    if (height <= through_) return make_error(ErrorCode::kConflict, "signed at this height before");
    return Status();
  }

 private:
  Signer& inner_;
  uint64_t through_;
};

TEST_F(EngineTest, ASlotTheSignerRefusesIsLeftSilentWithoutHalting) {
  RefusingSigner guard(*signers[0], 1);
  engine = std::make_unique<Engine>(config, app, guard, wal);
  ASSERT_TRUE(engine->start(StartState{1, app.set, app.set, kT0}, now).ok());
  pump();
  to_round(other_round(*set, 0));
  sent_votes();
  propose(engine->round(), "block-a");
  timeout(TimeoutKind::kPropose, engine->round());
  EXPECT_TRUE(sent_votes().empty());
  EXPECT_FALSE(engine->halted());
  EXPECT_GT(engine->signatures_refused(), 0u);
  EXPECT_EQ(wal.appends(), 0u);  // nothing signed, nothing logged
}

TEST_F(EngineTest, AFloodingProposerFillsOnlyItsOwnRound) {
  start();
  to_round(other_round(*set, 0));
  const uint32_t r = engine->round();
  const uint32_t p = set->proposer(1, r);
  sent_votes();
  Value first = FakeApp::block("flood-0", now);
  message(make_proposal(*signers[p], p, kChain, 1, r, -1, first));
  for (int i = 1; i < 20; ++i) message(make_proposal(*signers[p], p, kChain, 1, r, -1, FakeApp::block("flood-" + std::to_string(i), now)));
  EXPECT_EQ(sent_votes(), (decltype(sent_votes()){{v1::PREVOTE, r, hash_key(first.hash)}}));  // the first is acted on
  // Every later round of the same proposer flooded too; an honest proposer's round is untouched.
  for (uint32_t q = r + 1; q < r + 20; ++q) {
    if (set->proposer(1, q) != p) continue;
    for (int i = 0; i < 8; ++i) message(make_proposal(*signers[p], p, kChain, 1, q, -1, FakeApp::block("f" + std::to_string(q) + "-" + std::to_string(i), now)));
  }
  uint32_t honest = r + 1;
  while (set->proposer(1, honest) == p || set->proposer(1, honest) == 0) ++honest;
  to_round(honest);
  sent_votes();
  Value h = propose(honest, "honest");
  EXPECT_EQ(sent_votes(), (decltype(sent_votes()){{v1::PREVOTE, honest, hash_key(h.hash)}}));
}

// Found by the simulator with the real application: a validator restarted into round 0 without the
// votes it had received waits for a third precommit of round 0 that only a peer already in round 1
// holds (its signer lost its WAL and may not sign it again). That peer's gossip must carry it.
TEST_F(EngineTest, GossipCarriesThePrecommitsOfTheRoundBelowSoAPeerLeftBehindCanFollow) {
  start();
  for (uint32_t i = 1; i < 4; ++i) vote(i, v1::PRECOMMIT, 0, "");
  timeout(TimeoutKind::kPrecommit, 0);
  ASSERT_EQ(engine->round(), 1u);
  std::set<uint32_t> round0_precommits;
  for (const Bytes& wire : engine->gossip_messages()) {
    auto m = decode_message(wire);
    if (const auto* v = std::get_if<VoteMsg>(&*m); v != nullptr && v->body.round() == 0 && v->body.type() == v1::PRECOMMIT) {
      round0_precommits.insert(v->signed_vote.validator_index());
    }
  }
  EXPECT_EQ(round0_precommits, (std::set<uint32_t>{1, 2, 3}));
}

// ---------------------------------------------------------------- the idle interval

// The first height >= 1 whose round-0 proposer is (or is not) validator 0.
uint64_t height_where_we_propose(const ValidatorSet& set, bool we) {
  uint64_t h = 1;
  while ((set.proposer(h, 0) == 0) != we) ++h;
  return h;
}

size_t proposals_in(const std::vector<Output>& outputs) {
  size_t n = 0;
  for (const auto& o : outputs) {
    if (const auto* b = std::get_if<Broadcast>(&o)) {
      auto m = decode_message(b->wire);
      if (m.ok() && std::holds_alternative<ProposalMsg>(*m)) ++n;
    }
  }
  return n;
}

std::vector<ScheduleTimeout> timeouts_in(const std::vector<Output>& outputs) {
  std::vector<ScheduleTimeout> out;
  for (const auto& o : outputs) {
    if (const auto* t = std::get_if<ScheduleTimeout>(&o)) out.push_back(*t);
  }
  return out;
}

TEST_F(EngineTest, AnIdleProposerWaitsUntilThePreviousBlockTimePlusTheIntervalThenProposesAnEmptyBlock) {
  config.empty_block_interval_ms = 5000;
  app.work = false;
  now = kT0 + 1200;  // 1.2 s after the previous block's time (kT0)
  start(height_where_we_propose(*set, true));
  auto out = take();
  EXPECT_EQ(proposals_in(out), 0u);
  EXPECT_TRUE(engine->idle());
  auto t = timeouts_in(out);
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0].kind, TimeoutKind::kIdle);
  EXPECT_EQ(t[0].round, 0u);
  EXPECT_EQ(t[0].delay_ms, 3800u);
  now = kT0 + 5000;
  timeout(TimeoutKind::kIdle, 0);
  EXPECT_EQ(proposals_in(take()), 1u);
  EXPECT_FALSE(engine->idle());
  timeout(TimeoutKind::kIdle, 0);  // a second expiry changes nothing
  EXPECT_EQ(proposals_in(take()), 0u);
}

// A long heartbeat does not delay a legal deadline: an idle proposer waits only until the state's next
// due time, and one already past proposes at once; the others' round-0 timeout follows the same wait.
TEST_F(EngineTest, AnIdleProposerWaitsNoLongerThanTheNextDeadlineInState) {
  config.empty_block_interval_ms = 60'000;
  app.work = false;
  app.due = kT0 + 7000;
  now = kT0 + 1000;
  const uint64_t h = height_where_we_propose(*set, true);
  start(h);
  auto t = timeouts_in(take());
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0].kind, TimeoutKind::kIdle);
  EXPECT_EQ(t[0].delay_ms, 6000u);  // not 59 s
  now = kT0 + 7000;
  timeout(TimeoutKind::kIdle, 0);
  EXPECT_EQ(proposals_in(take()), 1u);

  app.due = kT0 + 500;  // already due when the height starts
  ASSERT_TRUE(wal.truncate().ok());
  start(h);
  EXPECT_EQ(proposals_in(take()), 1u);
}

TEST_F(EngineTest, OthersWaitForAnIdleProposerOnlyUntilTheNextDeadline) {
  config.empty_block_interval_ms = 60'000;
  app.due = kT0 + 3000;
  now = kT0 + 1000;
  start(height_where_we_propose(*set, false));
  auto t = timeouts_in(take());
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0].kind, TimeoutKind::kPropose);
  EXPECT_EQ(t[0].delay_ms, config.timeouts.duration_ms(TimeoutKind::kPropose, 0) + 2000);
}

TEST_F(EngineTest, WorkArrivingMakesAnIdleProposerProposeAtOnce) {
  config.empty_block_interval_ms = 5000;
  app.work = false;
  start(height_where_we_propose(*set, true));
  EXPECT_EQ(proposals_in(take()), 0u);
  app.work = true;
  engine->on_work_available(now + 10);
  EXPECT_EQ(proposals_in(take()), 1u);
  EXPECT_FALSE(engine->idle());
}

TEST_F(EngineTest, AProposerWithWorkOrPastTheIntervalDoesNotWait) {
  config.empty_block_interval_ms = 5000;
  const uint64_t h = height_where_we_propose(*set, true);
  start(h);  // app.work is true
  EXPECT_EQ(proposals_in(take()), 1u);

  app.work = false;
  now = kT0 + 5000;  // the interval has passed already (a slow previous height)
  ASSERT_TRUE(wal.truncate().ok());  // a fresh validator, not a restart re-sending its proposal
  start(h);
  EXPECT_EQ(proposals_in(take()), 1u);
}

TEST_F(EngineTest, WithoutAnIntervalAProposerWithNothingToDoProposesAtOnce) {
  app.work = false;  // config.empty_block_interval_ms == 0
  start(height_where_we_propose(*set, true));
  EXPECT_EQ(proposals_in(take()), 1u);
  EXPECT_FALSE(engine->idle());
}

TEST_F(EngineTest, OthersWaitOutTheIdleIntervalInRoundZeroAndShortenItOnceWhenWorkArrives) {
  config.empty_block_interval_ms = 5000;
  now = kT0 + 1000;
  start(height_where_we_propose(*set, false));
  auto t = timeouts_in(take());
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0].kind, TimeoutKind::kPropose);
  EXPECT_EQ(t[0].delay_ms, config.timeouts.duration_ms(TimeoutKind::kPropose, 0) + 4000);
  engine->on_work_available(now);
  t = timeouts_in(take());
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0].delay_ms, config.timeouts.duration_ms(TimeoutKind::kPropose, 0));
  engine->on_work_available(now);  // once per height
  EXPECT_TRUE(timeouts_in(take()).empty());
  // Round 1 and later: the plain timeouts.
  timeout(TimeoutKind::kPropose, 0);
  for (uint32_t who = 1; who <= 3; ++who) vote(who, v1::PRECOMMIT, 0, "");
  take();
  timeout(TimeoutKind::kPrecommit, 0);
  ASSERT_EQ(engine->round(), 1u);
  for (const auto& to : timeouts_in(take())) {
    if (to.kind == TimeoutKind::kPropose) {
      EXPECT_EQ(to.delay_ms, config.timeouts.duration_ms(TimeoutKind::kPropose, 1));
    }
  }
}

}  // namespace
}  // namespace joet::consensus
