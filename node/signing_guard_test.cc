#include "node/signing_guard.h"

#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>

#include <gtest/gtest.h>

#include "consensus/engine.h"
#include "consensus/message.h"
#include "ledger/hash.h"
#include "ledger/testing/temp_dir.h"
#include "ledger/validator_set.h"

namespace joet {
namespace {

using consensus::Step;

PrivateKey validator_key() { return PrivateKey::from_test_seed("signing-guard-validator"); }

Bytes read_file(const std::string& path) { return testing::read_file_bytes(path); }
void write_file(const std::string& path, const Bytes& data) { testing::write_file_bytes(path, data); }

// The offset of the record with the higher sequence (bytes 8..16 of a record, big-endian).
size_t newer_record_offset(const Bytes& image) {
  return get_u64_be(image.data() + 8) > get_u64_be(image.data() + kGuardSlotStride + 8) ? 0 : kGuardSlotStride;
}

// Opens the guard as the daemon does: `start_height` from the block store, `wal_max_height` from the
// WAL. The defaults are a node at genesis with an empty WAL.
std::unique_ptr<GuardedSigner> open_guard(const std::string& path, uint64_t start_height = 1,
                                          uint64_t wal_max_height = 0) {
  auto guard = GuardedSigner::open(path, validator_key(), start_height, wal_max_height);
  EXPECT_TRUE(guard.ok()) << guard.error().to_string();
  return guard.ok() ? std::move(guard).value() : nullptr;
}

class SigningGuard : public ::testing::Test {
 protected:
  // A state file recording `height`, as a node that signed up to it leaves it.
  void record(uint64_t height) {
    auto guard = open_guard(path);
    ASSERT_TRUE(guard);
    ASSERT_TRUE(guard->signed_durably(height).ok());
    ASSERT_EQ(guard->last_signed_height(), height);
  }

  testing::TempDir dir{"signing_guard"};
  const std::string path = dir.sub("validator.state");
};

TEST_F(SigningGuard, AFreshGuardHasNoFenceAndAuthorizesEveryHeight) {
  auto guard = open_guard(path);
  ASSERT_TRUE(guard);
  EXPECT_EQ(guard->fence(), 0u);
  EXPECT_EQ(guard->last_signed_height(), 0u);
  EXPECT_TRUE(guard->authorize(1, 0, Step::kPropose).ok());
  EXPECT_TRUE(guard->authorize(1, 0, Step::kPropose).ok());  // authorize records nothing
  EXPECT_TRUE(guard->authorize(7, 3, Step::kPrecommit).ok());
}

TEST_F(SigningGuard, ASignedDurablyHeightSurvivesAReopen) {
  {
    auto guard = open_guard(path);
    ASSERT_TRUE(guard);
    ASSERT_TRUE(guard->signed_durably(1).ok());
    ASSERT_TRUE(guard->signed_durably(3).ok());
    EXPECT_EQ(guard->last_signed_height(), 3u);
  }
  auto guard = open_guard(path, 4, 0);  // a new process; the store has committed 3
  ASSERT_TRUE(guard);
  EXPECT_EQ(guard->last_signed_height(), 3u);
  EXPECT_EQ(guard->fence(), 0u);
}

// One sync per height: the engine reports every signature, but only a new height is written.
TEST_F(SigningGuard, AHeightNotAboveTheRecordedOneWritesNothing) {
  auto guard = open_guard(path);
  ASSERT_TRUE(guard);
  ASSERT_TRUE(guard->signed_durably(5).ok());
  const Bytes before = read_file(path);
  EXPECT_TRUE(guard->signed_durably(5).ok());
  EXPECT_TRUE(guard->signed_durably(4).ok());
  EXPECT_EQ(read_file(path), before);
  EXPECT_EQ(guard->last_signed_height(), 5u);
  EXPECT_TRUE(guard->signed_durably(6).ok());
  EXPECT_NE(read_file(path), before);
  EXPECT_EQ(guard->last_signed_height(), 6u);
}

// consensus::signing_fence through open(): the validator signed up to height 10, then starts again
// with a block store and a WAL in various states.
TEST_F(SigningGuard, OpenFencesExactlyTheHeightsTheWalLost) {
  struct Case {
    const char* what;
    uint64_t start_height;
    uint64_t wal_max_height;
    uint64_t fence;
  };
  const Case cases[] = {
      {"data dir wiped: the store starts over, no WAL", 1, 0, 10},
      {"restored from a backup taken at height 7", 7, 7, 10},
      {"the WAL alone moved aside", 10, 0, 10},
      {"an ordinary crash at height 10: the WAL holds it", 10, 10, 0},
      {"a crash inside the commit of 10: the store lags, the WAL holds 10", 9, 10, 0},
      {"height 10 committed (the WAL was truncated)", 11, 0, 0},
  };
  record(10);
  for (const Case& c : cases) {
    auto guard = open_guard(path, c.start_height, c.wal_max_height);
    ASSERT_TRUE(guard) << c.what;
    EXPECT_EQ(guard->fence(), c.fence) << c.what;
    EXPECT_EQ(guard->last_signed_height(), 10u) << c.what;
  }
}

TEST_F(SigningGuard, AFencedGuardRefusesEverySlotAtOrBelowTheFenceWithoutWritingAndSignsAbove) {
  record(10);
  auto guard = open_guard(path, 1, 0);  // wiped
  ASSERT_TRUE(guard);
  ASSERT_EQ(guard->fence(), 10u);
  const Bytes before = read_file(path);
  for (uint64_t h : {uint64_t{1}, uint64_t{9}, uint64_t{10}}) {
    for (Step step : {Step::kPropose, Step::kPrevote, Step::kPrecommit}) {
      const Status s = guard->authorize(h, 5, step);
      ASSERT_FALSE(s.ok());
      EXPECT_EQ(s.error().code, ErrorCode::kConflict);
    }
  }
  EXPECT_EQ(read_file(path), before);
  EXPECT_EQ(guard->authorize(4, 0, Step::kPrevote).error().message,
            "signing guard: this validator lost its consensus WAL for heights up to 10 (data dir wiped or "
            "restored, or the WAL moved aside); it stays silent at height 4 until its chain passes 10 (recorded in " +
                path + ")");
  EXPECT_TRUE(guard->authorize(11, 0, Step::kPropose).ok());
  ASSERT_TRUE(guard->signed_durably(11).ok());
  guard.reset();
  // Once it has signed above the fence, a second wipe fences through that height.
  guard = open_guard(path, 1, 0);
  ASSERT_TRUE(guard);
  EXPECT_EQ(guard->fence(), 11u);
}

// A crash after the WAL append and before signed_durably recorded the height: the WAL is ahead. The
// engine re-sends the WAL's messages at start without asking the guard, so open() records the WAL's
// height first; a wipe after that restart is still fenced through it.
TEST_F(SigningGuard, AWalAheadOfTheRecordIsRecordedAtOpenBeforeAnythingIsResent) {
  record(4);
  {
    auto guard = open_guard(path, 5, 5);
    ASSERT_TRUE(guard);
    EXPECT_EQ(guard->fence(), 0u);
    EXPECT_EQ(guard->last_signed_height(), 5u);
  }
  auto guard = open_guard(path, 1, 0);
  ASSERT_TRUE(guard);
  EXPECT_EQ(guard->fence(), 5u);
}

// A crash in the middle of signed_durably() can tear the record it was writing. That record always
// goes over the slot NOT holding the newest one, so the other slot still holds the record of the
// height before. Falling back to it is safe: the call writing the torn record never returned, and the
// engine sends a signature only after signed_durably returns OK, so nothing of that height was sent.
// The WAL append came before, so the WAL holds the height: restarted on its intact data dir the node
// has no fence (and open() records the height again); and only a wipe before that restart loses the
// height, when nothing of it had left the node. Here the tear is simulated by spoiling the newer
// record after the fact.
TEST_F(SigningGuard, ATornWriteOfTheNewerRecordFallsBackToTheOlderOne) {
  {
    auto guard = open_guard(path);
    ASSERT_TRUE(guard);
    ASSERT_TRUE(guard->signed_durably(5).ok());
    ASSERT_TRUE(guard->signed_durably(6).ok());  // the call that "crashed"
  }
  Bytes image = read_file(path);
  ASSERT_EQ(image.size(), kGuardFileBytes);
  image[newer_record_offset(image) + 20] ^= 0x40;  // inside its height
  write_file(path, image);
  {
    auto guard = open_guard(path, 7, 0);  // height 6 committed meanwhile by the others: no WAL needed
    ASSERT_TRUE(guard);
    EXPECT_EQ(guard->last_signed_height(), 5u);
    EXPECT_EQ(guard->fence(), 0u);
    // The next record goes over the torn one, never over the one fallen back to.
    ASSERT_TRUE(guard->signed_durably(7).ok());
  }
  {
    auto guard = open_guard(path, 8, 0);
    ASSERT_TRUE(guard);
    EXPECT_EQ(guard->last_signed_height(), 7u);
  }
  image = read_file(path);
  image[newer_record_offset(image) + 20] ^= 0x40;  // tear 7: back to 5
  write_file(path, image);
  auto guard = open_guard(path, 7, 7);  // the WAL still holds 7: recorded again
  ASSERT_TRUE(guard);
  EXPECT_EQ(guard->fence(), 0u);
  EXPECT_EQ(guard->last_signed_height(), 7u);
}

TEST_F(SigningGuard, BothRecordsCorruptIsCorruptionNamingTheFile) {
  record(2);
  Bytes image = read_file(path);
  image[5] ^= 1;
  image[kGuardSlotStride + 40] ^= 1;
  write_file(path, image);
  auto guard = GuardedSigner::open(path, validator_key(), 1, 0);
  ASSERT_FALSE(guard.ok());
  EXPECT_EQ(guard.error().code, ErrorCode::kCorruption);
  EXPECT_NE(guard.error().message.find(path), std::string::npos) << guard.error().message;
}

// An empty or truncated file is never taken for a fresh one: the guard is created whole (a temp file
// linked into place), so only damage makes it short, and a silent reset would drop the fence.
TEST_F(SigningGuard, AnEmptyOrShortStateFileIsCorruptionNotAFreshStart) {
  for (size_t size : {size_t{0}, kGuardSlotStride, kGuardFileBytes - 1}) {
    record(3);
    Bytes image = read_file(path);
    image.resize(size);
    write_file(path, image);
    auto guard = GuardedSigner::open(path, validator_key(), 1, 0);
    ASSERT_FALSE(guard.ok()) << size;
    EXPECT_EQ(guard.error().code, ErrorCode::kCorruption);
    EXPECT_NE(guard.error().message.find(path), std::string::npos);
    std::remove(path.c_str());
  }
}

// A record whose checksum holds was written whole: no torn write explains a broken rule, so the guard
// does not fall back past it.
TEST_F(SigningGuard, AWholeRecordThatBreaksTheFormatIsCorruption) {
  record(6);
  // Both records valid, the older one (the record before 6) made to say height 9: heights only grow.
  Bytes image = read_file(path);
  const size_t older = newer_record_offset(image) == 0 ? kGuardSlotStride : 0;
  image[older + 23] = 9;  // the low byte of its height (bytes 16..24)
  const Hash32 sum = sha256(ByteView(image).subspan(older, 56));
  std::copy(sum.begin(), sum.end(), image.begin() + static_cast<std::ptrdiff_t>(older + 56));
  write_file(path, image);
  auto guard = GuardedSigner::open(path, validator_key(), 1, 0);
  ASSERT_FALSE(guard.ok());
  EXPECT_EQ(guard.error().code, ErrorCode::kCorruption);
  EXPECT_NE(guard.error().message.find("below its older one"), std::string::npos) << guard.error().message;
}

TEST_F(SigningGuard, AStateFileOfAnotherValidatorIsRefusedAtOpen) {
  {
    auto other = GuardedSigner::open(path, PrivateKey::from_test_seed("another-validator"), 1, 0);
    ASSERT_TRUE(other.ok());
    ASSERT_TRUE((*other)->signed_durably(9).ok());
  }
  auto guard = GuardedSigner::open(path, validator_key(), 1, 0);
  ASSERT_FALSE(guard.ok());
  EXPECT_EQ(guard.error().code, ErrorCode::kConflict);
  EXPECT_NE(guard.error().message.find(path), std::string::npos);
  EXPECT_NE(guard.error().message.find(validator_key().public_key().hex()), std::string::npos);
}

TEST_F(SigningGuard, TheStateFileIsCreatedWholeWithMode0600AndNoTempFileLeft) {
  auto guard = open_guard(path);
  ASSERT_TRUE(guard);
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(static_cast<size_t>(st.st_size), kGuardFileBytes);
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()), std::filesystem::directory_iterator()), 1);
  const Bytes image = read_file(path);
  EXPECT_EQ(to_string(ByteView(image).first(8)), "JOETSGD2");
  EXPECT_EQ(guard->last_signed_height(), 0u);
}

TEST_F(SigningGuard, ASecondGuardOnTheSameFileIsRefusedWhileTheFirstIsOpen) {
  auto first = open_guard(path);
  ASSERT_TRUE(first);
  auto second = GuardedSigner::open(path, validator_key(), 1, 0);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code, ErrorCode::kConflict);
  first.reset();
  EXPECT_TRUE(GuardedSigner::open(path, validator_key(), 1, 0).ok());
}

TEST_F(SigningGuard, SignsWithTheKeyAsAKeySignerDoes) {
  auto guard = open_guard(path);
  ASSERT_TRUE(guard);
  consensus::KeySigner plain(validator_key());
  const Bytes body = to_bytes("a vote");
  EXPECT_EQ(guard->public_key(), validator_key().public_key());
  EXPECT_EQ(guard->sign(tags::kVote, body), plain.sign(tags::kVote, body));
  EXPECT_TRUE(verify_body(guard->public_key(), tags::kVote, body, guard->sign(tags::kVote, body)));
}

// ---------------------------------------------------------------- the guard under the real engine

constexpr std::string_view kChain = "guard-engine-test";
constexpr uint64_t kT0 = 1'000'000;

// A block is "name@time_ms": its hash is tagged("joet/block", bytes), its header time the number.
class BlockNameApp : public consensus::Application {
 public:
  std::optional<consensus::BlockId> identify_block(ByteView bytes) override {
    const std::string text = to_string(bytes);
    const size_t at = text.rfind('@');
    if (at == std::string::npos) return std::nullopt;
    return consensus::BlockId{tagged_hash(tags::kBlock, bytes), std::stoull(text.substr(at + 1))};
  }
  consensus::Value prepare_proposal(uint64_t height, uint32_t round, uint64_t time_ms,
                                    const std::vector<consensus::AnyEvidence>& /*evidence*/) override {
    return block("h" + std::to_string(height) + "r" + std::to_string(round), time_ms);
  }
  Result<consensus::FinalizeResult> finalize_block(uint64_t height, const consensus::Value& value,
                                                   const v1::CommitCertificate& /*cert*/) override {
    committed = height;
    return consensus::FinalizeResult{set, value.time_ms, {}};
  }
  static consensus::Value block(const std::string& name, uint64_t time_ms) {
    consensus::Value v;
    v.bytes = to_bytes(name + "@" + std::to_string(time_ms));
    v.hash = tagged_hash(tags::kBlock, v.bytes);
    v.time_ms = time_ms;
    return v;
  }
  v1::ValidatorSet set;
  uint64_t committed = 0;
};

// The node of validator 0 of four: its data dir was wiped (an empty WAL, the chain at genesis), but
// its guard, kept beside the key, records that it had signed at height 2. The real engine runs heights
// 1 and 2 with the others: it signs nothing there (every slot is refused, so it broadcasts no proposal
// or vote of its own, and takes no lock it could not remember), follows the others' commits, and signs
// again at height 3, which the guard then records.
TEST(SigningGuardUnderTheEngine, AWipedValidatorIsSilentThroughItsFenceAndSignsAgainAbove) {
  testing::TempDir dir("signing_guard_engine");
  const std::string path = dir.sub("validator.state");
  std::vector<std::unique_ptr<consensus::KeySigner>> others;  // index 1..3
  BlockNameApp app;
  for (uint32_t i = 0; i < 4; ++i) {
    const PrivateKey key = PrivateKey::from_test_seed("guard-engine-" + std::to_string(i));
    if (i > 0) others.push_back(std::make_unique<consensus::KeySigner>(key));
    auto* v = app.set.add_validators();
    v->set_public_key(std::string(key.public_key().bytes().begin(), key.public_key().bytes().end()));
    v->set_power(1);
  }
  const ValidatorSet set = ValidatorSet::create(app.set).value();
  const PrivateKey our_key = PrivateKey::from_test_seed("guard-engine-0");
  {
    auto before = GuardedSigner::open(path, our_key, 1, 0);  // the node's life before the wipe
    ASSERT_TRUE(before.ok());
    ASSERT_TRUE((*before)->signed_durably(2).ok());
  }
  auto guard = GuardedSigner::open(path, our_key, 1, 0);  // wiped: the store at genesis, no WAL
  ASSERT_TRUE(guard.ok()) << guard.error().to_string();
  ASSERT_EQ((*guard)->fence(), 2u);

  consensus::MemoryWal wal;
  consensus::EngineConfig config;
  config.chain_id = std::string(kChain);
  consensus::Engine engine(config, app, **guard, wal);
  uint64_t now = kT0 + 10;
  std::vector<consensus::Message> own;  // our proposals and votes broadcast
  auto pump = [&] {
    for (bool again = true; again;) {
      again = false;
      for (auto& o : engine.take_outputs()) {
        if (auto* v = std::get_if<consensus::ValidateBlock>(&o)) {
          engine.on_validation(v->height, v->block_hash, true, now);
          again = true;
        } else if (auto* b = std::get_if<consensus::Broadcast>(&o)) {
          auto m = consensus::decode_message(b->wire);
          ASSERT_TRUE(m.ok());
          const auto* vote = std::get_if<consensus::VoteMsg>(&*m);
          const auto* proposal = std::get_if<consensus::ProposalMsg>(&*m);
          if ((vote && vote->signed_vote.validator_index() == 0) ||
              (proposal && proposal->signed_proposal.proposer_index() == 0)) {
            own.push_back(*m);
          }
        }
      }
    }
  };
  auto from = [&](uint32_t who) -> consensus::Signer& { return *others[who - 1]; };
  auto vote = [&](uint32_t who, v1::VoteType type, uint32_t round, const std::string& key) {
    engine.on_message(consensus::make_vote(from(who), who, kChain, type, engine.height(), round, key), now);
    pump();
  };
  // One height as the three others run it without us: the rounds we would propose time out (they
  // precommit nil), then another proposer's block gets their prevotes and precommits (3 of 4 is a
  // quorum without ours).
  auto run_height = [&](uint64_t h) {
    ASSERT_EQ(engine.height(), h);
    while (set.proposer(h, engine.round()) == 0) {
      const uint32_t r = engine.round();
      engine.on_timeout(consensus::TimeoutKind::kPropose, h, r, now);
      pump();
      for (uint32_t i = 1; i < 4; ++i) vote(i, v1::PRECOMMIT, r, "");
      engine.on_timeout(consensus::TimeoutKind::kPrecommit, h, r, now);
      pump();
    }
    const uint32_t r = engine.round();
    const uint32_t proposer = set.proposer(h, r);
    const consensus::Value block = BlockNameApp::block("b" + std::to_string(h), now);
    engine.on_message(consensus::make_proposal(from(proposer), proposer, kChain, h, r, -1, block), now);
    pump();
    for (uint32_t i = 1; i < 4; ++i) vote(i, v1::PREVOTE, r, consensus::hash_key(block.hash));
    for (uint32_t i = 1; i < 4; ++i) vote(i, v1::PRECOMMIT, r, consensus::hash_key(block.hash));
    ASSERT_EQ(app.committed, h);
  };

  ASSERT_TRUE(engine.start(consensus::StartState{1, app.set, app.set, kT0}, now).ok());
  pump();
  for (uint64_t h : {uint64_t{1}, uint64_t{2}}) {
    run_height(h);
    if (::testing::Test::HasFatalFailure()) return;
    EXPECT_TRUE(own.empty()) << "validator 0 signed at height " << h << ", at or below its fence";
    now += 1000;
  }
  ASSERT_EQ(engine.height(), 3u);
  EXPECT_GE(engine.signatures_refused(), 4u);  // at least the prevotes and precommits of heights 1 and 2
  EXPECT_FALSE(engine.halted());
  EXPECT_EQ((*guard)->last_signed_height(), 2u);

  // Height 3, above the fence: a proposal of ours if round 0 is ours, else our prevote (nil) once the
  // propose timeout fires.
  if (set.proposer(3, 0) != 0) {
    engine.on_timeout(consensus::TimeoutKind::kPropose, 3, 0, now);
    pump();
  }
  ASSERT_FALSE(own.empty());
  for (const consensus::Message& m : own) EXPECT_EQ(consensus::message_height(m), 3u);
  EXPECT_EQ((*guard)->last_signed_height(), 3u);
}

}  // namespace
}  // namespace joet
