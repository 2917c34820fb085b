// The simulator's application: a deterministic fake of the executor behind consensus::Application.
// A block is a v1::Block whose header carries (chain_id, height, time, prev hash, validator set hashes,
// proposer) and a salt in state_root; its hash is tagged("joet/block", header). A block is valid iff
// it extends this node's chain, its time equals the proposal time, its set hashes follow the
// schedule, its evidence checks and convicts no offence twice (nor one already in the chain), and its
// salt is not the poison marker byzantine nodes use for invalid blocks. The chain (with certificates)
// survives crashes: it is the node's block store.
#pragma once

#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "consensus/types.h"
#include "ledger/validator_set.h"
#include "tests/sim/node_app.h"

namespace joet::sim {

// The validator set of each height: a pure function the whole simulation shares.
using SetSchedule = std::function<v1::ValidatorSet(uint64_t height)>;

class SimApp : public NodeApp {
 public:
  SimApp(std::string chain_id, SetSchedule schedule, uint32_t node_id, uint64_t genesis_time_ms);

  std::optional<consensus::BlockId> identify_block(ByteView bytes) override;
  consensus::Value prepare_proposal(uint64_t height, uint32_t round, uint64_t time_ms,
                                    const std::vector<consensus::AnyEvidence>& evidence) override;
  bool validate(uint64_t height, const consensus::Value& value) override;
  Result<consensus::FinalizeResult> finalize_block(uint64_t height, const consensus::Value& value,
                                                   const v1::CommitCertificate& cert) override;

  consensus::Value make_block(uint64_t height, uint64_t time_ms, const Hash32& salt,
                              const std::vector<consensus::AnyEvidence>& evidence) override;

  uint64_t next_height() const override { return chain_.size() + 1; }
  uint64_t tip_time_ms() const override { return chain_.empty() ? genesis_time_ms_ : chain_.back().time_ms; }
  CommittedBlock committed(uint64_t height) const override { return chain_.at(height - 1); }
  std::optional<v1::ValidatorSet> validator_set_of(uint64_t height) const override { return set_of(height).proto(); }
  const std::set<std::string>& committed_evidence() const override { return committed_evidence_; }
  const std::set<std::string>& convicted_keys() const override { return convicted_keys_; }
  void fail_next_finalize(bool after_durable) override {
    fail_next_ = after_durable ? Fail::kAfterDurable : Fail::kBeforeDurable;
  }
  void wipe() override;

 private:
  bool check_block(uint64_t height, const consensus::Value& value, uint64_t* time_ms) const;
  // The set of a height, built once (the schedule is a pure function; a run has few heights, and a
  // reference stays valid: nothing is ever erased).
  const ValidatorSet& set_of(uint64_t height) const;
  mutable std::map<uint64_t, ValidatorSet> sets_;
  std::string chain_id_;
  SetSchedule schedule_;
  uint32_t node_id_;
  uint64_t genesis_time_ms_;
  std::vector<CommittedBlock> chain_;
  std::set<std::string> committed_evidence_;
  std::set<std::string> convicted_keys_;
  enum class Fail : uint8_t { kNone, kBeforeDurable, kAfterDurable };
  Fail fail_next_ = Fail::kNone;
};

}  // namespace joet::sim
