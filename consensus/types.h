// The vocabulary of the consensus engine: configuration, the narrow interfaces the node implements
// (Signer, Application), and the engine's outputs. No I/O, clock, threads or randomness here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "consensus/evidence.h"
#include "joet.pb.h"
#include "ledger/bytes.h"
#include "ledger/keys.h"

namespace joet::consensus {

// The paper's step_p (Algorithm 1, line 4). kPropose is also the WAL slot of a signed proposal.
enum class Step : uint8_t { kPropose = 0, kPrevote = 1, kPrecommit = 2 };
// kIdle: the proposer of round 0 with nothing to propose waits for work until the previous block's
// time + EngineConfig::empty_block_interval_ms (its delay is computed, not from TimeoutConfig).
enum class TimeoutKind : uint8_t { kPropose = 0, kPrevote = 1, kPrecommit = 2, kIdle = 3 };
std::string_view step_name(Step step);

// Timeouts that grow linearly per round (the paper's timeoutPropose(r) etc., section "Termination").
struct TimeoutConfig {
  uint64_t propose_ms = 1000;
  uint64_t propose_delta_ms = 500;
  uint64_t prevote_ms = 500;
  uint64_t prevote_delta_ms = 250;
  uint64_t precommit_ms = 500;
  uint64_t precommit_delta_ms = 250;

  uint64_t duration_ms(TimeoutKind kind, uint32_t round) const;
};

struct EngineConfig {
  std::string chain_id;
  TimeoutConfig timeouts;
  // Proposer-based timestamps (CometBFT PBTS): a new proposal (pol_round -1) is timely when it was
  // received at local time t with time_ms - precision_ms <= t <= time_ms + precision_ms + delay(r),
  // delay(r) = message_delay_ms * (10 + r) / 10 (grows 10% per round for liveness).
  uint64_t precision_ms = 500;
  uint64_t message_delay_ms = 2000;
  // An idle chain's block rate: with nothing to propose (Application::has_work false, no pending
  // evidence), the proposer of round 0 waits until the previous block's time + this (or, earlier, the
  // state's next due time: Application::next_due_ms) before it proposes an empty block, and the others extend round 0's propose timeout by the same wait. Work arriving
  // meanwhile (Engine::on_work_available) makes the proposer propose at once. 0: never wait (every
  // height is proposed as soon as it starts, as in the paper). Only timing: agreement and validity do
  // not depend on it, so validators may differ in it.
  uint64_t empty_block_interval_ms = 0;
  // Messages for rounds beyond round_p + this are dropped: a limit on what a peer can make us store.
  uint32_t max_future_rounds = 32;
  // Messages for height h+1 buffered while we are at h.
  size_t max_buffered_messages = 4096;
  size_t max_pending_evidence = 64;
  // Votes of the last this many committed heights are kept, so a late conflicting vote is evidence.
  uint64_t evidence_window_heights = 2;
  size_t max_past_votes_per_height = 4096;
  // Pending evidence older than this many heights is dropped (the application must have it by then).
  uint64_t evidence_max_age_heights = 100;
};

// A proposed value as the engine sees it: opaque bytes, their hash, and the block time they carry.
struct Value {
  Hash32 hash{};
  uint64_t time_ms = 0;
  Bytes bytes;
};

// Signs with the node's consensus key. The node keeps the key; the engine only asks for signatures.
class Signer {
 public:
  virtual ~Signer() = default;
  virtual const PublicKey& public_key() const = 0;
  // Signature over tagged_hash(tag, body).
  virtual Signature64 sign(std::string_view tag, ByteView body) = 0;
  // Asked before every NEW signature for (height, round, step) (a message re-sent from the WAL is not
  // signed again): OK when this validator may sign there. An error means it must not: a node whose
  // data dir was wiped or restored from a backup has lost its WAL, so it no longer knows what it signed
  // at that height or what it was locked on (node/signing_guard.h). The engine then stays silent in
  // that slot, as a crashed validator would; it neither sends nor halts.
  virtual Status authorize(uint64_t /*height*/, uint32_t /*round*/, Step /*step*/) { return Status(); }
  // Told once a new signature of `height` is durable in the WAL, before it is sent: the guard records
  // the height outside the data dir. An error halts the engine (nothing is sent).
  virtual Status signed_durably(uint64_t /*height*/) { return Status(); }
};

// A Signer over a PrivateKey with fixed (zero) BIP-340 auxiliary randomness: deterministic, so a
// replay signs byte-identical messages. BIP-340 stays secure with a fixed aux (it only hardens
// against side channels).
class KeySigner : public Signer {
 public:
  explicit KeySigner(PrivateKey key) : key_(std::move(key)) {}
  const PublicKey& public_key() const override { return key_.public_key(); }
  Signature64 sign(std::string_view tag, ByteView body) override;

 private:
  PrivateKey key_;
};

struct FinalizeResult {
  v1::ValidatorSet validator_set_after_next;  // the set that certifies height + 2
  uint64_t block_time_ms = 0;                 // the committed block's header time
  // evidence_key of every offence the committed block convicts: the engine stops proposing them.
  std::vector<std::string> evidence_keys;
};

// What the engine needs to know of block bytes: the hash the votes name, and the block time its
// header carries (PBTS: a proposal's time_ms must equal it, so the value's time is the block's).
struct BlockId {
  Hash32 hash{};
  uint64_t time_ms = 0;
};

// The one door to the state machine (ABCI-like). The node implements it over contracts/ and the block
// store; consensus tests and the simulator use fakes.
class Application {
 public:
  virtual ~Application() = default;
  // The block hash of block bytes (tagged("joet/block", header)) and its header time; nullopt when the
  // bytes are no block, or a block whose header does not commit to all of it. One hash must name one
  // byte string: the engine keeps one value and one validity verdict per hash, so a body the hash does
  // not bind would let a proposer send one hash with two bodies and split the validators for a height.
  virtual std::optional<BlockId> identify_block(ByteView bytes) = 0;
  // PrepareProposal: a new block for `height` with header time `time_ms`, carrying the evidence.
  // The application puts the evidence it has not committed yet into the block (vote evidence in
  // Block.evidence, proposal evidence in Block.proposal_evidence) and drops what it already has.
  virtual Value prepare_proposal(uint64_t height, uint32_t round, uint64_t time_ms,
                                 const std::vector<AnyEvidence>& evidence) = 0;
  // ProcessProposal is not a call: the engine outputs ValidateBlock and the node answers with
  // Engine::on_validation once its executor has re-executed the block (off the consensus thread).
  // FinalizeBlock: execute, persist the block with its certificate, and report the set of height + 2.
  // Returns only once durable. An error (a store write failed, a certified block our rules refuse) is a
  // fail-stop: the engine halts at this height and keeps its WAL, so a restart resumes here with the
  // lock and every signature of the height.
  virtual Result<FinalizeResult> finalize_block(uint64_t height, const Value& value,
                                                const v1::CommitCertificate& cert) = 0;
  // Whether a block at `height` would carry anything (txs waiting, a deadline due): asked only when
  // EngineConfig::empty_block_interval_ms > 0, by the proposer of round 0. Timing only.
  virtual bool has_work(uint64_t /*height*/) { return true; }
  // The earliest time (UTC ms) something in the committed state falls due (a legal deadline fires in the
  // first block at or after it): an idle round 0 waits no longer than that, so no deadline fires later
  // for a long empty_block_interval_ms. nullopt: nothing pending. Asked with the interval only. Timing only.
  virtual std::optional<uint64_t> next_due_ms() { return std::nullopt; }
};

// ---------------------------------------------------------------- outputs

struct Broadcast {
  Bytes wire;  // an encoded message (consensus/message.h); already durable in the WAL when ours
};
struct ScheduleTimeout {
  TimeoutKind kind;
  uint64_t height;
  uint32_t round;
  uint64_t delay_ms;
};
struct Committed {
  uint64_t height;
  uint32_t round;
  Hash32 block_hash;
  v1::CommitCertificate cert;
};
// ProcessProposal as an output: re-execute the block of `height` and check its roots; its header time
// must equal time_ms. Answer with Engine::on_validation(height, block_hash, valid). The answer must be
// deterministic (every honest validator gives the same one for the same value). The engine asks once
// per block hash and height (again after a restart) and prevotes for the block only once it knows.
struct ValidateBlock {
  uint64_t height = 0;
  uint32_t round = 0;  // the round whose proposal carried it first (for logs)
  Hash32 block_hash{};
  uint64_t time_ms = 0;
  Bytes bytes;
};
struct EvidenceFound {
  AnyEvidence evidence;
};
using Output = std::variant<Broadcast, ScheduleTimeout, Committed, EvidenceFound, ValidateBlock>;

}  // namespace joet::consensus
