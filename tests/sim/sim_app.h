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

namespace joet::sim {

// The validator set of each height: a pure function the whole simulation shares.
using SetSchedule = std::function<v1::ValidatorSet(uint64_t height)>;

struct CommittedBlock {
  Hash32 hash{};
  Bytes bytes;
  v1::CommitCertificate cert;
  uint64_t time_ms = 0;
};

class SimApp : public consensus::Application {
 public:
  SimApp(std::string chain_id, SetSchedule schedule, uint32_t node_id, uint64_t genesis_time_ms);

  std::optional<consensus::BlockId> identify_block(ByteView bytes) override;
  consensus::Value prepare_proposal(uint64_t height, uint32_t round, uint64_t time_ms,
                                    const std::vector<consensus::AnyEvidence>& evidence) override;
  // The executor's answer to a ValidateBlock (the simulator delivers it after a seeded delay).
  bool validate(uint64_t height, const consensus::Value& value) const;
  Result<consensus::FinalizeResult> finalize_block(uint64_t height, const consensus::Value& value,
                                                   const v1::CommitCertificate& cert) override;

  // A block with a chosen salt (byzantine nodes: a second block for equivocation, or poison).
  consensus::Value make_block(uint64_t height, uint64_t time_ms, const Hash32& salt,
                              const std::vector<consensus::AnyEvidence>& evidence) const;
  static Hash32 poison_salt();

  const std::vector<CommittedBlock>& chain() const { return chain_; }
  uint64_t next_height() const { return chain_.size() + 1; }
  uint64_t tip_time_ms() const { return chain_.empty() ? genesis_time_ms_ : chain_.back().time_ms; }
  const std::set<std::string>& committed_evidence() const { return committed_evidence_; }
  // Store faults: the next finalize fails, before its block is durable or after (a crash inside the
  // commit, once the block store has it but before the engine has moved on).
  void fail_next_finalize(bool after_durable) { fail_next_ = after_durable ? Fail::kAfterDurable : Fail::kBeforeDurable; }
  // The data dir wiped: the block store is empty again (the node re-syncs from its peers).
  void wipe();
  // The keys of the validators convicted by committed evidence (either kind).
  const std::set<std::string>& convicted_keys() const { return convicted_keys_; }
  // Called on every commit: height, hash, whether this app judged it valid by its own rules, and the
  // certificate that committed it.
  std::function<void(uint64_t, const Hash32&, bool, const v1::CommitCertificate&)> on_commit;

 private:
  bool check_block(uint64_t height, const consensus::Value& value, uint64_t* time_ms) const;
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
