// The Tendermint consensus engine as a pure state machine: Algorithm 1 of "The latest gossip on BFT
// consensus" (Buchman, Kwon, Milosevic 2018, arXiv:1807.04938). Comments "line N" cite that listing.
//
// Inputs (each with the node's clock reading now_ms): verified messages (consensus/message.h:
// verify_and_decode), timeouts the engine scheduled, catch-up commits, and the results of block
// validation it asked for. Outputs (take_outputs()): messages to broadcast, timeouts to schedule,
// blocks to validate, commits, evidence. prepare_proposal and finalize_block are synchronous calls
// through the narrow Application interface; validation is an output/input pair so the node can run
// its executor off the consensus thread. Keys stay behind Signer; every message the engine signs (and
// every lock) is in the WAL before it is output.
//
// The node feeds one engine from one thread. No I/O, clock, threads, randomness or floating point.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "consensus/message.h"
#include "consensus/types.h"
#include "consensus/vote_set.h"
#include "consensus/wal.h"
#include "ledger/validator_set.h"

namespace joet::consensus {

struct StartState {
  uint64_t height = 1;                // the first height not yet committed (the block store's height + 1)
  v1::ValidatorSet validator_set;     // the set of `height`
  v1::ValidatorSet next_validator_set;  // the set of `height + 1`
  uint64_t prev_block_time_ms = 0;    // header time of block height - 1 (genesis time at height 1)
};

// Proposals kept per round (a byzantine proposer may send several; the first is the one acted on).
inline constexpr size_t kMaxProposalsPerRound = 4;

class Engine {
 public:
  Engine(EngineConfig config, Application& app, Signer& signer, Wal& wal);

  // Replays the WAL (a restart) and starts round 0 of `state.height`, or the highest round this
  // validator had signed or locked in; a lock comes back with the polka that justified it. A corrupt
  // WAL, or one holding messages not signed by this validator's key for this chain, is kCorruption:
  // the node must stop.
  Status start(const StartState& state, uint64_t now_ms);

  void on_message(const Message& message, uint64_t now_ms);
  void on_timeout(TimeoutKind kind, uint64_t height, uint32_t round, uint64_t now_ms);
  // The answer to a ValidateBlock output. Answers for other heights, or for blocks the engine did not
  // ask about (e.g. asked before a restart), are ignored.
  void on_validation(uint64_t height, const Hash32& block_hash, bool valid, uint64_t now_ms);
  // Evidence from elsewhere (an EvidenceMsg from a peer takes this path too): kept for our next
  // proposal when it checks against the set of its height (which must be in the window
  // validator_set() covers). Returns whether it was taken: false for evidence that does not check
  // (the sender's fault), is known already (pending, or convicted by a committed block), or finds the
  // pool full (counted in evidence_dropped()).
  bool on_evidence(const AnyEvidence& evidence);
  // The application has something to propose now (a tx was admitted): a proposer idling in round 0
  // (EngineConfig::empty_block_interval_ms) proposes at once; the others shorten round 0's propose
  // timeout to the plain one, so a silent proposer costs no more than with an empty interval.
  void on_work_available(uint64_t now_ms);
  // Whether we are the proposer of round 0 waiting for work (for metrics and tests).
  bool idle() const { return idle_; }
  std::vector<Output> take_outputs();

  // Evidence not kept because the pending pool (EngineConfig::max_pending_evidence) was full.
  uint64_t evidence_dropped() const { return evidence_dropped_; }
  // New signatures the Signer refused (Signer::authorize): slots this validator stayed silent in.
  uint64_t signatures_refused() const { return signatures_refused_; }
  size_t pending_evidence() const { return pending_evidence_.size(); }
  // The evidence_key of each pending item (for metrics and the simulator's checks).
  std::vector<std::string> pending_evidence_keys() const;

  // A WAL append or finalize_block failed, or the WAL did not replay: the engine stops (the node
  // exits; a restart resumes from the WAL at the height not finalized).
  bool halted() const { return !halt_.ok(); }
  const Status& halt_status() const { return halt_; }

  uint64_t height() const { return height_; }
  uint32_t round() const { return round_; }
  Step step() const { return step_; }
  int64_t locked_round() const { return locked_round_; }
  int64_t valid_round() const { return valid_round_; }
  std::optional<Hash32> locked_hash() const;
  std::optional<uint32_t> own_index() const { return own_index_; }
  uint64_t prev_block_time_ms() const { return prev_block_time_ms_; }
  // The sets the engine can verify messages with: `height() + 1`, `height()`, and the sets of the
  // last evidence_window_heights heights (late votes become evidence); nullptr otherwise.
  const ValidatorSet* validator_set(uint64_t height) const;
  // What a node re-sends when its height makes no progress (gossip): our signed messages of this
  // height, the current round's proposal and votes, the precommits of the round below, the prevotes
  // of the polka behind our valid value and behind the current proposal's pol_round, and a status
  // hint with our height.
  std::vector<Bytes> gossip_messages() const;

 private:
  struct RoundState {
    std::optional<ProposalMsg> first_proposal;   // the one line 22 / 28 act on
    std::optional<v1::SignedProposal> first_signed;  // the first signed proposal seen (evidence)
    uint64_t first_proposal_recv_ms = 0;
    std::map<std::string, ProposalMsg> proposals;  // by block hash (a few per round: equivocation)
    VoteSet prevotes;
    VoteSet precommits;
    std::set<uint32_t> senders;                  // line 55: validators with any message in this round
    bool prevote_timeout_scheduled = false;      // line 34 "for the first time"
    bool polka_handled = false;                  // line 36 "for the first time"
    bool precommit_timeout_scheduled = false;    // line 47 "for the first time"
  };
  using Slot = std::tuple<uint64_t, uint32_t, uint8_t>;  // (height, round, step) of a signed message
  // A committed height's set and the first vote of each (round, type, validator) seen there.
  struct PastHeight {
    ValidatorSet set;
    std::map<std::tuple<uint32_t, uint8_t, uint32_t>, v1::SignedVote> votes;
  };

  void accept(const Message& message, bool replay);
  void accept_proposal(const ProposalMsg& p);
  void accept_vote(const VoteMsg& v);
  void accept_commit(const CommitMsg& c);
  void accept_past_vote(const VoteMsg& v);
  void add_evidence(AnyEvidence evidence);
  // Into the pending pool unless known (pending or convicted) or the pool is full (counted); true when kept.
  bool keep_evidence(const AnyEvidence& evidence);
  bool take_evidence(const AnyEvidence& evidence);
  void remember_height();
  void buffer_future(const Message& message);

  void run_rules();
  bool rule_decide();          // line 49
  bool rule_skip_round();      // line 55
  bool rule_prevote();         // lines 22 and 28
  bool rule_polka_timeout();   // line 34
  bool rule_polka();           // line 36
  bool rule_nil_polka();       // line 44
  bool rule_precommit_timeout();  // line 47

  void start_round(uint32_t round);  // line 11
  void propose_new_value();          // lines 18-19
  uint64_t idle_remaining_ms() const;  // until the previous block's time + empty_block_interval_ms
  void decide(uint32_t round, const Value& value, const v1::CommitCertificate& cert);
  void advance_height(const FinalizeResult& result);

  // The paper's valid(v), cached per block hash: nullopt while the application has not answered (the
  // first call asks it with a ValidateBlock output). The verdict depends on the block bytes alone (its
  // time is its header's, accept_proposal), never on the proposal that carried it, so caching it per
  // hash cannot let one proposal poison the verdict for another; timeliness is judged per proposal.
  std::optional<bool> valid(const std::string& key, uint32_t round);
  bool timely(const RoundState& rs) const;
  const Value* value_of(const std::string& key) const;

  std::optional<std::string> sign_vote(v1::VoteType type, const std::string& key);
  void sign_proposal(const Value& value, int32_t pol_round);
  bool wal_append(const Bytes& record);
  bool signed_durably();  // Signer::signed_durably for this height; halts on an error
  bool go_on(const Status& s);  // s.ok(), else halts on it
  void schedule(TimeoutKind kind, uint64_t extra_ms = 0);
  void halt(Status status);
  void check_invariants() const;

  EngineConfig config_;
  Application& app_;
  Signer& signer_;
  Wal& wal_;
  Status halt_;
  uint64_t now_ms_ = 0;

  // Algorithm 1, lines 2-9.
  uint64_t height_ = 0;
  uint32_t round_ = 0;
  Step step_ = Step::kPropose;
  std::optional<Value> locked_value_;
  int64_t locked_round_ = -1;
  std::optional<Value> valid_value_;
  int64_t valid_round_ = -1;

  std::optional<ValidatorSet> set_;
  std::optional<ValidatorSet> next_set_;
  std::optional<uint32_t> own_index_;
  uint64_t prev_block_time_ms_ = 0;
  bool idle_ = false;               // proposer of round 0 waiting for work (kIdle scheduled)
  bool work_shortened_ = false;     // this height's round-0 propose timeout was shortened for work

  std::map<uint32_t, RoundState> rounds_;      // the message log of this height
  std::map<std::string, Value> values_;        // proposed values of this height by hash
  std::map<std::string, bool> validity_;       // answers of this height
  std::set<std::string> validation_requested_;  // ValidateBlock sent, answer pending or known
  std::vector<Message> future_;                // messages of height + 1
  std::map<Slot, Bytes> signed_;               // everything we signed at heights >= height_ (the WAL's index)
  std::map<std::string, AnyEvidence> pending_evidence_;
  std::map<std::string, uint64_t> convicted_;  // evidence_key -> height of the block that convicted it
  uint64_t evidence_dropped_ = 0;
  uint64_t signatures_refused_ = 0;
  std::map<uint64_t, PastHeight> past_;        // the last evidence_window_heights heights
  std::vector<Output> outputs_;
};

}  // namespace joet::consensus
