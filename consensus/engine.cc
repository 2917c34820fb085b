#include "consensus/engine.h"

#include <algorithm>

#include "consensus/evidence.h"
#include "ledger/commit_certificate.h"
#include "ledger/hash.h"

namespace joet::consensus {

namespace {
Step step_of(v1::VoteType type) { return type == v1::PREVOTE ? Step::kPrevote : Step::kPrecommit; }
}  // namespace

Engine::Engine(EngineConfig config, Application& app, Signer& signer, Wal& wal)
    : config_(std::move(config)), app_(app), signer_(signer), wal_(wal) {}

std::optional<Hash32> Engine::locked_hash() const {
  if (!locked_value_) return std::nullopt;
  return locked_value_->hash;
}

const ValidatorSet* Engine::validator_set(uint64_t height) const {
  if (!set_) return nullptr;
  if (height < height_) {
    auto it = past_.find(height);
    return it == past_.end() ? nullptr : &it->second.set;
  }
  if (height == height_) return &*set_;
  if (height == height_ + 1) return &*next_set_;
  return nullptr;
}

Status Engine::start(const StartState& state, uint64_t now_ms) {
  JOET_ASSERT(!set_.has_value());  // start once
  JOET_ASSERT(state.height >= 1);
  now_ms_ = now_ms;
  auto set = ValidatorSet::create(state.validator_set);
  if (!set.ok()) return set.error();
  auto next = ValidatorSet::create(state.next_validator_set);
  if (!next.ok()) return next.error();
  height_ = state.height;
  set_ = std::move(set).value();
  next_set_ = std::move(next).value();
  own_index_ = set_->index_of(signer_.public_key().bytes());
  prev_block_time_ms_ = state.prev_block_time_ms;

  // Replay: what we signed before a restart binds us (no second, different vote per slot).
  auto records = wal_.read_all();
  if (!records.ok()) {
    halt(records.error());
    return records.error();
  }
  std::vector<Message> own;
  std::vector<v1::SignedVote> polka;
  uint32_t first_round = 0;
  auto corrupt = [this](const std::string& what) {
    Error e = make_error(ErrorCode::kCorruption, "consensus WAL: " + what + "; refusing to start");
    halt(e);
    return e;
  };
  for (const Bytes& record : *records) {
    auto entry = decode_wal_entry(record);
    if (!entry.ok()) return corrupt("a record with a good checksum does not decode: " + entry.error().message);
    if (const auto* l = std::get_if<LockRecord>(&*entry)) {
      if (l->height == height_ && static_cast<int64_t>(l->round) > locked_round_) {
        auto id = app_.identify_block(l->value.bytes);
        if (!id || id->hash != l->value.hash || id->time_ms != l->value.time_ms) {
          return corrupt("the lock of height " + std::to_string(l->height) + " holds a block that does not match it");
        }
        locked_value_ = l->value;  // lines 38-39, as they were before the crash
        locked_round_ = l->round;
        valid_value_ = l->value;   // lines 42-43 ran in the same step
        valid_round_ = l->round;
        values_[hash_key(l->value.hash)] = l->value;
        polka = l->polka;          // the prevotes behind it, so others can be shown (gossip, line 28)
        first_round = std::max(first_round, l->round);
      }
      continue;
    }
    Message m = std::get<Message>(std::move(entry).value());
    const uint64_t h = message_height(m);
    if (h < height_) continue;  // committed already
    // Ours, for this chain: a WAL copied from another validator or chain must not bind us, nor make
    // us re-send its messages as if we had signed them.
    const auto* p = std::get_if<ProposalMsg>(&m);
    const auto* v = std::get_if<VoteMsg>(&m);
    if (p == nullptr && v == nullptr) continue;
    const std::string& chain = p != nullptr ? p->body.chain_id() : v->body.chain_id();
    const bool ours = p != nullptr ? verify_body(signer_.public_key(), tags::kProposal, as_bytes(p->signed_proposal.body()),
                                                 as_bytes(p->signed_proposal.signature()))
                                   : verify_body(signer_.public_key(), tags::kVote, as_bytes(v->signed_vote.body()),
                                                 as_bytes(v->signed_vote.signature()));
    if (chain != config_.chain_id || !ours) {
      return corrupt("a record of height " + std::to_string(h) + " was not signed by this validator's key for chain " +
                     config_.chain_id + " (a WAL of another node or chain?)");
    }
    const uint32_t round = p != nullptr ? p->body.round() : v->body.round();
    const Step step = p != nullptr ? Step::kPropose : step_of(v->body.type());
    signed_[Slot{h, round, static_cast<uint8_t>(step)}] = encode_message(m);
    if (h == height_) {
      first_round = std::max(first_round, round);
      own.push_back(std::move(m));
    }
  }
  round_ = first_round;  // so the replayed messages are within max_future_rounds
  for (const Message& m : own) accept(m, /*replay=*/true);  // our own messages count toward quorums
  for (const v1::SignedVote& sv : polka) {
    VoteMsg vote{sv, {}};  // its fields were checked when the record decoded (check_wal_record)
    if (!vote.body.ParseFromString(sv.body()) || !verify_message(vote, *set_).ok()) {
      return corrupt("a prevote kept with the lock of height " + std::to_string(height_) + " does not verify");
    }
    accept_vote(vote);
  }
  start_round(first_round);  // line 10
  run_rules();
  check_invariants();
  return halt_;
}

void Engine::on_message(const Message& message, uint64_t now_ms) {
  if (halted() || !set_) return;
  now_ms_ = now_ms;
  accept(message, false);
  run_rules();
  check_invariants();
}

void Engine::on_timeout(TimeoutKind kind, uint64_t height, uint32_t round, uint64_t now_ms) {
  if (halted() || !set_) return;
  now_ms_ = now_ms;
  if (height == height_ && round == round_) {
    if (kind == TimeoutKind::kPropose && step_ == Step::kPropose) {  // lines 57-60
      sign_vote(v1::PREVOTE, "");
      step_ = Step::kPrevote;
    } else if (kind == TimeoutKind::kPrevote && step_ == Step::kPrevote) {  // lines 61-64
      sign_vote(v1::PRECOMMIT, "");
      step_ = Step::kPrecommit;
    } else if (kind == TimeoutKind::kPrecommit) {  // lines 65-67
      start_round(round_ + 1);
    } else if (kind == TimeoutKind::kIdle && idle_ && step_ == Step::kPropose) {  // the interval is over: an empty block
      propose_new_value();
    }
  }
  run_rules();
  check_invariants();
}

void Engine::on_validation(uint64_t height, const Hash32& block_hash, bool valid, uint64_t now_ms) {
  if (halted() || !set_) return;
  now_ms_ = now_ms;
  const std::string key = hash_key(block_hash);
  if (height != height_ || validation_requested_.count(key) == 0 || validity_.count(key) != 0) return;
  validity_[key] = valid;
  run_rules();
  check_invariants();
}

bool Engine::on_evidence(const AnyEvidence& evidence) {
  if (halted() || !set_) return false;
  if (!take_evidence(evidence)) return false;
  if (idle_) {  // evidence is work: into a block now
    propose_new_value();
    run_rules();
    check_invariants();
  }
  return true;
}

void Engine::on_work_available(uint64_t now_ms) {
  if (halted() || !set_) return;
  now_ms_ = now_ms;
  if (idle_ && step_ == Step::kPropose) {
    propose_new_value();
  } else if (round_ == 0 && step_ == Step::kPropose && !work_shortened_ && idle_remaining_ms() > 0) {
    work_shortened_ = true;  // once per height: a second timer of the same (height, round, kind) is harmless
    schedule(TimeoutKind::kPropose);
  }
  run_rules();
  check_invariants();
}

bool Engine::take_evidence(const AnyEvidence& evidence) {
  const ValidatorSet* set = validator_set(evidence_height(evidence));
  if (set == nullptr || !check_any_evidence(evidence, *set, config_.chain_id).ok()) return false;
  return keep_evidence(evidence);  // not re-announced: its finder broadcast it
}

bool Engine::keep_evidence(const AnyEvidence& evidence) {
  std::string key = evidence_key(evidence);
  if (pending_evidence_.count(key) != 0 || convicted_.count(key) != 0) return false;  // known already
  if (pending_evidence_.size() >= config_.max_pending_evidence) {
    evidence_dropped_ += 1;  // counted (a metric): whoever has room proposes it
    return false;
  }
  pending_evidence_.emplace(std::move(key), evidence);
  return true;
}

std::vector<std::string> Engine::pending_evidence_keys() const {
  std::vector<std::string> keys;
  for (const auto& [key, evidence] : pending_evidence_) keys.push_back(key);
  return keys;
}

std::vector<Output> Engine::take_outputs() {
  std::vector<Output> out;
  out.swap(outputs_);
  return out;
}

// ---------------------------------------------------------------- inputs

void Engine::accept(const Message& message, bool replay) {
  if (const auto* p = std::get_if<ProposalMsg>(&message)) {
    if (p->body.height() == height_ + 1 && !replay) return buffer_future(message);
    accept_proposal(*p);
  } else if (const auto* v = std::get_if<VoteMsg>(&message)) {
    if (v->body.height() == height_ + 1 && !replay) return buffer_future(message);
    if (v->body.height() < height_) return accept_past_vote(*v);
    accept_vote(*v);
  } else if (const auto* c = std::get_if<CommitMsg>(&message)) {
    accept_commit(*c);
  } else if (const auto* e = std::get_if<EvidenceMsg>(&message)) {
    (void)take_evidence(e->evidence);
  }
  // Status hints are for the node's catch-up; lock records only come from our own WAL.
}

void Engine::buffer_future(const Message& message) {
  if (future_.size() < config_.max_buffered_messages) future_.push_back(message);
}

void Engine::accept_proposal(const ProposalMsg& p) {
  const auto& body = p.body;
  if (body.height() != height_ || body.chain_id() != config_.chain_id) return;
  const uint32_t r = body.round();
  if (r > round_ + config_.max_future_rounds) return;
  const uint32_t proposer = p.signed_proposal.proposer_index();
  if (proposer != set_->proposer(height_, r)) return;  // "from proposer(h_p, r)"
  RoundState& rs = rounds_[r];
  if (!rs.first_signed) {
    rs.first_signed = p.signed_proposal;
  } else if (rs.first_signed->body() != p.signed_proposal.body()) {
    // Two bodies for one slot (another block, or the same block with another time or pol_round): an
    // honest proposer signs one per slot.
    v1::ProposalEvidence ev;
    *ev.mutable_proposal_a() = *rs.first_signed;
    *ev.mutable_proposal_b() = p.signed_proposal;
    add_evidence(std::move(ev));
  }
  auto id = app_.identify_block(p.block);
  if (!id || hash_key(id->hash) != body.block_hash()) return;
  // PBTS: the block time is the header's. A proposal claiming another time is a lie about its own
  // block (timeliness would be judged on a time the block does not carry): dropped, never the one
  // acted on. A second, truthful proposal in this slot made the pair evidence above.
  if (id->time_ms != body.time_ms()) return;
  rs.senders.insert(proposer);
  const std::string& key = body.block_hash();
  // At most kMaxProposalsPerRound per round, and a value is kept only with its round's proposal: a
  // flooding proposer fills its own rounds, never another proposer's.
  if (rs.proposals.count(key) == 0 && rs.proposals.size() < kMaxProposalsPerRound) {
    rs.proposals.emplace(key, p);
    values_.emplace(key, Value{id->hash, id->time_ms, p.block});
  }
  if (!rs.first_proposal) {
    rs.first_proposal = p;
    rs.first_proposal_recv_ms = now_ms_;
  }
}

void Engine::accept_vote(const VoteMsg& v) {
  const auto& body = v.body;
  if (body.height() != height_ || body.chain_id() != config_.chain_id) return;
  const uint32_t r = body.round();
  if (r > round_ + config_.max_future_rounds) return;
  const uint32_t index = v.signed_vote.validator_index();
  if (index >= set_->size()) return;
  RoundState& rs = rounds_[r];
  VoteSet& votes = body.type() == v1::PREVOTE ? rs.prevotes : rs.precommits;
  auto added = votes.add(v, *set_);
  if (added.added == VoteSet::Added::kNew) rs.senders.insert(index);
  if (added.added == VoteSet::Added::kConflict) add_evidence(std::move(*added.evidence));
}

// A vote of one of the last evidence_window_heights heights: too late to count, but a conflict with
// the vote we saw there is evidence.
void Engine::accept_past_vote(const VoteMsg& v) {
  auto it = past_.find(v.body.height());
  if (it == past_.end() || v.body.chain_id() != config_.chain_id) return;
  PastHeight& past = it->second;
  const uint32_t index = v.signed_vote.validator_index();
  if (index >= past.set.size()) return;
  const auto slot = std::make_tuple(v.body.round(), static_cast<uint8_t>(v.body.type()), index);
  auto seen = past.votes.find(slot);
  if (seen == past.votes.end()) {
    if (past.votes.size() < config_.max_past_votes_per_height) past.votes.emplace(slot, v.signed_vote);
    return;
  }
  v1::VoteBody first;
  JOET_ASSERT(first.ParseFromString(seen->second.body()));  // decoded canonically before
  if (first.block_hash() == v.body.block_hash()) return;
  v1::Evidence ev;
  *ev.mutable_vote_a() = seen->second;
  *ev.mutable_vote_b() = v.signed_vote;
  add_evidence(std::move(ev));
}

void Engine::add_evidence(AnyEvidence evidence) {
  if (!keep_evidence(evidence)) return;
  // Broadcast, so whoever proposes next has it (each validator also proposes what it found itself).
  outputs_.push_back(Broadcast{encode_message(EvidenceMsg{evidence})});
  outputs_.push_back(EvidenceFound{std::move(evidence)});
}

// Keeps the votes of the height being committed for the evidence window.
void Engine::remember_height() {
  PastHeight past{*set_, {}};
  for (const auto& [r, rs] : rounds_) {
    for (const VoteSet* votes : {&rs.prevotes, &rs.precommits}) {
      for (const VoteMsg* v : votes->all()) {
        if (past.votes.size() >= config_.max_past_votes_per_height) break;
        past.votes.emplace(std::make_tuple(r, static_cast<uint8_t>(v->body.type()), v->signed_vote.validator_index()),
                           v->signed_vote);
      }
    }
  }
  past_.insert_or_assign(height_, std::move(past));
  while (!past_.empty() && past_.begin()->first + config_.evidence_window_heights <= height_) past_.erase(past_.begin());
}

void Engine::accept_commit(const CommitMsg& c) {
  auto verdict = verify_commit_certificate(c.cert, *set_, config_.chain_id, height_);
  if (!verdict.ok()) return;
  auto id = app_.identify_block(c.block);
  if (!id || id->hash != verdict.commit().block_hash) return;
  // A certificate shows > 2/3 precommitted this value: at least one honest validator found it valid
  // and it is the only value that can be decided at this height (line 49 with the precommits given).
  decide(verdict.commit().body.round(), Value{id->hash, id->time_ms, c.block}, c.cert);
}

// ---------------------------------------------------------------- upon rules

void Engine::run_rules() {
  for (int guard = 0; !halted(); ++guard) {
    JOET_ASSERT(guard < 100000);  // every rule fires a bounded number of times per height
    if (rule_decide() || rule_skip_round() || rule_prevote() || rule_polka_timeout() || rule_polka() ||
        rule_nil_polka() || rule_precommit_timeout()) {
      continue;
    }
    return;
  }
}

// line 49: upon ⟨PROPOSAL, h_p, r, v, ∗⟩ AND 2f+1 ⟨PRECOMMIT, h_p, r, id(v)⟩ while decision_p[h_p] = nil
bool Engine::rule_decide() {
  for (auto& [r, rs] : rounds_) {
    auto key = rs.precommits.quorum_key(*set_);
    if (!key || key->empty()) continue;
    if (rs.proposals.count(*key) == 0 && value_of(*key) == nullptr) continue;
    if (valid(*key, r) != true) continue;  // line 50 (waits for the application's answer)
    auto votes = rs.precommits.votes_for(*key);
    auto cert = build_commit_certificate(*set_, votes);
    JOET_ASSERT(cert.ok());  // verified votes with one body holding a quorum
    decide(r, *value_of(*key), *cert);  // lines 51-54
    return true;
  }
  return false;
}

// line 55: upon f+1 ⟨∗, h_p, round, ∗, ∗⟩ with round > round_p do StartRound(round)
bool Engine::rule_skip_round() {
  for (auto it = rounds_.rbegin(); it != rounds_.rend() && it->first > round_; ++it) {
    uint64_t power = 0;
    for (uint32_t index : it->second.senders) power += set_->power(index);
    if (set_->is_one_third(power)) {
      start_round(it->first);
      return true;
    }
  }
  return false;
}

// lines 22-33
bool Engine::rule_prevote() {
  if (step_ != Step::kPropose) return false;
  RoundState& rs = rounds_[round_];
  if (!rs.first_proposal) return false;
  const ProposalMsg& p = *rs.first_proposal;
  const std::string key = p.body.block_hash();
  const int32_t vr = p.body.pol_round();
  const bool lock_allows_new = locked_round_ == -1 || (locked_value_ && hash_key(locked_value_->hash) == key);
  if (vr == -1) {
    // line 22: upon ⟨PROPOSAL, h_p, round_p, v, −1⟩ while step_p = propose. PBTS adds timely(·).
    const bool rest = timely(rs) && lock_allows_new;  // line 23
    // valid(v) is asked of the application only when it decides the vote; until it answers, wait.
    const std::optional<bool> ok = rest ? valid(key, round_) : std::optional<bool>(false);
    if (!ok) return false;
    sign_vote(v1::PREVOTE, *ok ? key : "");  // lines 24 / 26
    step_ = Step::kPrevote;                   // line 27
    return true;
  }
  // line 28: ... AND 2f+1 ⟨PREVOTE, h_p, vr, id(v)⟩ while step_p = propose ∧ (vr ≥ 0 ∧ vr < round_p)
  if (vr < 0 || static_cast<uint32_t>(vr) >= round_) return false;
  auto pol = rounds_.find(static_cast<uint32_t>(vr));
  if (pol == rounds_.end() || !set_->is_quorum(pol->second.prevotes.power_for(key))) return false;
  const bool rest = locked_round_ <= vr || lock_allows_new;  // line 29
  const std::optional<bool> ok = rest ? valid(key, round_) : std::optional<bool>(false);
  if (!ok) return false;
  sign_vote(v1::PREVOTE, *ok ? key : "");  // lines 30 / 32
  step_ = Step::kPrevote;                   // line 33
  return true;
}

// line 34: upon 2f+1 ⟨PREVOTE, h_p, round_p, ∗⟩ while step_p = prevote for the first time
bool Engine::rule_polka_timeout() {
  RoundState& rs = rounds_[round_];
  if (step_ != Step::kPrevote || rs.prevote_timeout_scheduled) return false;
  if (!set_->is_quorum(rs.prevotes.total_power())) return false;
  rs.prevote_timeout_scheduled = true;
  schedule(TimeoutKind::kPrevote);  // line 35
  return true;
}

// line 36: upon ⟨PROPOSAL, h_p, round_p, v, ∗⟩ AND 2f+1 ⟨PREVOTE, h_p, round_p, id(v)⟩
//          while valid(v) ∧ step_p ≥ prevote for the first time
bool Engine::rule_polka() {
  RoundState& rs = rounds_[round_];
  if (step_ == Step::kPropose || rs.polka_handled) return false;
  auto key = rs.prevotes.quorum_key(*set_);
  if (!key || key->empty() || rs.proposals.count(*key) == 0 || valid(*key, round_) != true) return false;
  rs.polka_handled = true;
  const Value value = *value_of(*key);
  if (step_ == Step::kPrevote) {  // line 37
    const Slot slot{height_, round_, static_cast<uint8_t>(Step::kPrecommit)};
    // The lock is durable before the precommit that implies it leaves the node; no lock is logged where
    // the signer will not sign (a fenced height must leave no trace in the WAL that could lift the fence).
    if (own_index_ && signed_.count(slot) == 0 && signer_.authorize(height_, round_, Step::kPrecommit).ok()) {
      if (!wal_append(encode_wal_lock(LockRecord{height_, round_, value, rs.prevotes.votes_for(*key)}))) return true;
    }
    auto sent = sign_vote(v1::PRECOMMIT, *key);  // line 40
    if (!own_index_ || (sent && *sent == *key)) {
      locked_value_ = value;  // line 38
      locked_round_ = round_;  // line 39
    }
    step_ = Step::kPrecommit;  // line 41
  }
  valid_value_ = value;   // line 42
  valid_round_ = round_;  // line 43
  return true;
}

// line 44: upon 2f+1 ⟨PREVOTE, h_p, round_p, nil⟩ while step_p = prevote
bool Engine::rule_nil_polka() {
  if (step_ != Step::kPrevote) return false;
  auto key = rounds_[round_].prevotes.quorum_key(*set_);
  if (!key || !key->empty()) return false;
  sign_vote(v1::PRECOMMIT, "");  // line 45
  step_ = Step::kPrecommit;      // line 46
  return true;
}

// line 47: upon 2f+1 ⟨PRECOMMIT, h_p, round_p, ∗⟩ for the first time
bool Engine::rule_precommit_timeout() {
  RoundState& rs = rounds_[round_];
  if (rs.precommit_timeout_scheduled || !set_->is_quorum(rs.precommits.total_power())) return false;
  rs.precommit_timeout_scheduled = true;
  schedule(TimeoutKind::kPrecommit);  // line 48
  return true;
}

// ---------------------------------------------------------------- rounds and heights

// line 11: Function StartRound(round)
void Engine::start_round(uint32_t round) {
  idle_ = false;
  round_ = round;         // line 12
  step_ = Step::kPropose;  // line 13
  rounds_[round_];
  if (own_index_ && set_->proposer(height_, round_) == *own_index_) {  // line 14
    if (valid_value_.has_value()) {
      sign_proposal(*valid_value_, static_cast<int32_t>(valid_round_));  // lines 15-16, 19
    } else if (signed_.count(Slot{height_, round_, static_cast<uint8_t>(Step::kPropose)}) != 0) {
      sign_proposal(Value{}, -1);  // re-sends what we proposed before a restart
    } else if (round_ == 0 && config_.empty_block_interval_ms > 0 && pending_evidence_.empty() &&
               idle_remaining_ms() > 0 && !app_.has_work(height_)) {
      idle_ = true;  // nothing to propose yet: wait for work or the interval (on_timeout kIdle)
      outputs_.emplace_back(std::in_place_type<ScheduleTimeout>,
                            ScheduleTimeout{TimeoutKind::kIdle, height_, round_, idle_remaining_ms()});
      return;  // it proposes when the wait ends, and prevotes its own block at once
    } else {
      propose_new_value();
    }
  }
  // line 21; round 0 also waits out an idle proposer's interval. The proposer schedules it too: a
  // re-proposal whose polka it lost in a crash, or a refused signature, must not leave it in the
  // propose step forever (once it prevoted, the timeout does nothing).
  schedule(TimeoutKind::kPropose, round_ == 0 ? idle_remaining_ms() : 0);
}

void Engine::propose_new_value() {
  idle_ = false;
  // line 18: getValue(). PBTS: the block time is our clock, after the previous block's time.
  const uint64_t time_ms = std::max(now_ms_, prev_block_time_ms_ + 1);
  std::vector<AnyEvidence> evidence;
  for (const auto& [key, ev] : pending_evidence_) evidence.push_back(ev);
  Value value = app_.prepare_proposal(height_, round_, time_ms, evidence);
  // Our application built it: valid without asking (a restart that re-sends it asks again).
  validity_[hash_key(value.hash)] = value.time_ms > prev_block_time_ms_;
  validation_requested_.insert(hash_key(value.hash));
  sign_proposal(value, -1);  // line 19
}

uint64_t Engine::idle_remaining_ms() const {
  if (config_.empty_block_interval_ms == 0) return 0;
  uint64_t until = prev_block_time_ms_ + config_.empty_block_interval_ms;
  if (const std::optional<uint64_t> due = app_.next_due_ms()) until = std::min(until, *due);  // a deadline
  return until > now_ms_ ? until - now_ms_ : 0;
}

void Engine::decide(uint32_t round, const Value& value, const v1::CommitCertificate& cert) {
  auto result = app_.finalize_block(height_, value, cert);  // line 51
  if (!result.ok()) {
    // Not durable, so not decided here: stop with the height's WAL (lock and signatures) intact.
    return halt(make_error(result.error().code, "finalizing height " + std::to_string(height_) + ": " +
                                                    result.error().message));
  }
  outputs_.push_back(Committed{height_, round, value.hash, cert});
  advance_height(*result);
}

void Engine::advance_height(const FinalizeResult& result) {
  remember_height();
  height_ += 1;  // line 52
  work_shortened_ = false;
  prev_block_time_ms_ = result.block_time_ms;
  set_ = std::move(next_set_);
  auto next = ValidatorSet::create(result.validator_set_after_next);
  JOET_ASSERT(next.ok());  // the application's contract: it only commits valid sets
  next_set_ = std::move(next).value();
  own_index_ = set_->index_of(signer_.public_key().bytes());
  // line 53: reset the lock, the valid value and the message log.
  locked_value_.reset();
  locked_round_ = -1;
  valid_value_.reset();
  valid_round_ = -1;
  rounds_.clear();
  values_.clear();
  validity_.clear();
  validation_requested_.clear();
  signed_.erase(signed_.begin(), signed_.lower_bound(Slot{height_, 0, 0}));
  // Evidence the block convicts is done; a copy arriving later is not proposed again.
  for (const std::string& key : result.evidence_keys) {
    pending_evidence_.erase(key);
    convicted_.insert_or_assign(key, height_ - 1);
  }
  for (auto it = pending_evidence_.begin(); it != pending_evidence_.end();) {
    const bool old = evidence_height(it->second) + config_.evidence_max_age_heights < height_;
    it = old ? pending_evidence_.erase(it) : std::next(it);
  }
  for (auto it = convicted_.begin(); it != convicted_.end();) {
    it = it->second + config_.evidence_max_age_heights < height_ ? convicted_.erase(it) : std::next(it);
  }
  // The records of committed heights are no longer needed.
  Status s = wal_.truncate();
  if (!s.ok()) return halt(s);
  for (const auto& [slot, wire] : signed_) {
    if (!wal_append(encode_wal_sent(wire))) return;
  }
  std::vector<Message> future;
  future.swap(future_);
  start_round(0);  // line 54
  for (const Message& m : future) {
    if (halted()) return;
    if (message_height(m) == height_) accept(m, false);
  }
}

// ---------------------------------------------------------------- values

const Value* Engine::value_of(const std::string& key) const {
  auto it = values_.find(key);
  return it == values_.end() ? nullptr : &it->second;
}

std::optional<bool> Engine::valid(const std::string& key, uint32_t round) {
  auto cached = validity_.find(key);
  if (cached != validity_.end()) return cached->second;
  const Value* value = value_of(key);
  if (value == nullptr) return false;
  if (value->time_ms <= prev_block_time_ms_) {  // PBTS: block times strictly increase
    validity_[key] = false;
    return false;
  }
  if (validation_requested_.insert(key).second) {
    outputs_.push_back(ValidateBlock{height_, round, value->hash, value->time_ms, value->bytes});
  }
  return std::nullopt;
}

// PBTS: received within [time - precision, time + precision + delay(round)] of our clock.
bool Engine::timely(const RoundState& rs) const {
  JOET_ASSERT(rs.first_proposal.has_value());
  const uint64_t t = rs.first_proposal->body.time_ms();
  const uint64_t recv = rs.first_proposal_recv_ms;
  const uint64_t r = std::min<uint64_t>(rs.first_proposal->body.round(), 1000);
  const uint64_t delay = config_.message_delay_ms * (10 + r) / 10;
  return recv + config_.precision_ms >= t && recv <= t + config_.precision_ms + delay;
}

// ---------------------------------------------------------------- signing

bool Engine::wal_append(const Bytes& record) { return !halted() && go_on(wal_.append(record)); }

bool Engine::signed_durably() { return !halted() && go_on(signer_.signed_durably(height_)); }

bool Engine::go_on(const Status& s) {
  if (!s.ok()) halt(s);
  return s.ok();
}

std::optional<std::string> Engine::sign_vote(v1::VoteType type, const std::string& key) {
  if (!own_index_ || halted()) return std::nullopt;
  const Slot slot{height_, round_, static_cast<uint8_t>(step_of(type))};
  auto it = signed_.find(slot);
  Bytes wire;
  if (it != signed_.end()) {
    wire = it->second;  // signed before a restart: send that again, never a different vote
  } else {
    if (!signer_.authorize(height_, round_, step_of(type)).ok()) {
      signatures_refused_ += 1;  // silent in this slot, as a crashed validator
      return std::nullopt;
    }
    wire = encode_message(make_vote(signer_, *own_index_, config_.chain_id, type, height_, round_, key));
    if (!wal_append(encode_wal_sent(wire)) || !signed_durably()) return std::nullopt;  // durable before it is sent
    signed_.emplace(slot, wire);
  }
  auto m = decode_message(wire);
  JOET_ASSERT(m.ok() && std::holds_alternative<VoteMsg>(*m));
  const auto& vote = std::get<VoteMsg>(*m);
  JOET_ASSERT(vote.body.height() == height_ && vote.body.round() == round_ && vote.body.type() == type);
  accept_vote(vote);
  outputs_.push_back(Broadcast{std::move(wire)});
  return vote.key();
}

void Engine::sign_proposal(const Value& value, int32_t pol_round) {
  if (!own_index_ || halted()) return;
  const Slot slot{height_, round_, static_cast<uint8_t>(Step::kPropose)};
  auto it = signed_.find(slot);
  Bytes wire;
  if (it != signed_.end()) {
    wire = it->second;
  } else {
    if (!signer_.authorize(height_, round_, Step::kPropose).ok()) {
      signatures_refused_ += 1;
      return;
    }
    wire = encode_message(make_proposal(signer_, *own_index_, config_.chain_id, height_, round_, pol_round, value));
    if (!wal_append(encode_wal_sent(wire)) || !signed_durably()) return;
    signed_.emplace(slot, wire);
  }
  auto m = decode_message(wire);
  JOET_ASSERT(m.ok() && std::holds_alternative<ProposalMsg>(*m));
  accept_proposal(std::get<ProposalMsg>(*m));
  outputs_.push_back(Broadcast{std::move(wire)});
}

void Engine::schedule(TimeoutKind kind, uint64_t extra_ms) {
  // Built in place: GCC 12 warns (falsely) about the variant's other members on a move from a temporary.
  outputs_.emplace_back(std::in_place_type<ScheduleTimeout>,
                        ScheduleTimeout{kind, height_, round_, config_.timeouts.duration_ms(kind, round_) + extra_ms});
}

void Engine::halt(Status status) {
  JOET_ASSERT(!status.ok());
  if (halt_.ok()) halt_ = std::move(status);
}

std::vector<Bytes> Engine::gossip_messages() const {
  std::vector<Bytes> out;
  if (!set_) return out;
  for (auto it = signed_.lower_bound(Slot{height_, 0, 0}); it != signed_.end() && std::get<0>(it->first) == height_; ++it) {
    out.push_back(it->second);
  }
  auto rs = rounds_.find(round_);
  std::set<uint32_t> pol_rounds;
  if (rs != rounds_.end()) {
    if (rs->second.first_proposal) {
      out.push_back(encode_message(*rs->second.first_proposal));
      const int32_t vr = rs->second.first_proposal->body.pol_round();
      if (vr >= 0) pol_rounds.insert(static_cast<uint32_t>(vr));
    }
    for (const VoteMsg* vote : rs->second.prevotes.all()) out.push_back(encode_message(*vote));
    for (const VoteMsg* vote : rs->second.precommits.all()) out.push_back(encode_message(*vote));
  }
  // The precommits of the round below: what took us out of it (line 47's timeout). A peer that is still
  // there, e.g. restarted without the votes it had received, can otherwise wait forever for the one
  // precommit only we hold (its signer may be down, or fenced and unable to re-sign it).
  if (round_ > 0) {
    auto below = rounds_.find(round_ - 1);
    if (below != rounds_.end()) {
      for (const VoteMsg* vote : below->second.precommits.all()) out.push_back(encode_message(*vote));
    }
  }
  // The polka behind our valid value and behind the current proposal's pol_round (line 28 needs it):
  // a process that missed some of those prevotes (an equivocator's vote reaches only some) can never
  // rebuild it from the signers' own gossip. Relaying them is the paper's gossip assumption.
  if (valid_round_ >= 0 && static_cast<uint32_t>(valid_round_) != round_) pol_rounds.insert(static_cast<uint32_t>(valid_round_));
  for (uint32_t r : pol_rounds) {
    auto pol = rounds_.find(r);
    if (pol == rounds_.end() || r == round_) continue;
    for (const VoteMsg* vote : pol->second.prevotes.all()) out.push_back(encode_message(*vote));
  }
  out.push_back(encode_message(StatusMsg{height_}));
  return out;
}

void Engine::check_invariants() const {
  if (!set_) return;
  JOET_ASSERT(height_ >= 1);
  JOET_ASSERT(locked_round_ >= -1 && locked_round_ <= static_cast<int64_t>(round_));
  JOET_ASSERT((locked_round_ == -1) == !locked_value_.has_value());
  JOET_ASSERT((valid_round_ == -1) == !valid_value_.has_value());
  JOET_ASSERT(valid_round_ >= locked_round_);
  JOET_ASSERT(signed_.empty() || std::get<0>(signed_.begin()->first) >= height_);
  JOET_ASSERT(own_index_.has_value() == set_->index_of(signer_.public_key().bytes()).has_value());
}

}  // namespace joet::consensus
