// What the simulator needs of a node's application: the consensus::Application the engine drives,
// plus the block store side (what is committed, for checks and block sync), the executor's answer to
// ValidateBlock, blocks a byzantine node builds on purpose, and the store faults the simulator injects.
// Two implementations: SimApp (tests/sim/sim_app.h), a small deterministic fake that is fast, and
// LedgerSimApp (tests/sim/ledger_sim_app.h), the node's real LedgerApp over a MemoryKvStore that loses
// unsynced writes when the node crashes.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "consensus/types.h"

namespace joet::sim {

struct CommittedBlock {
  Hash32 hash{};
  Bytes bytes;
  v1::CommitCertificate cert;
  uint64_t time_ms = 0;
};

class NodeApp : public consensus::Application {
 public:
  // The first height not committed, and the committed block time of height - 1 (genesis time at 1).
  virtual uint64_t next_height() const = 0;
  virtual uint64_t tip_time_ms() const = 0;
  uint64_t committed_height() const { return next_height() - 1; }
  // A committed block with its certificate (1 <= height < next_height()).
  virtual CommittedBlock committed(uint64_t height) const = 0;
  // The executor's answer to a ValidateBlock for `height` (the simulator delivers it after a delay).
  virtual bool validate(uint64_t height, const consensus::Value& value) = 0;
  // A block for `height` at `time_ms` that differs with `salt` (a byzantine node's second block);
  // poison_salt() makes one that fails validation.
  virtual consensus::Value make_block(uint64_t height, uint64_t time_ms, const Hash32& salt,
                                      const std::vector<consensus::AnyEvidence>& evidence) = 0;
  static Hash32 poison_salt() {
    Hash32 h;
    h.fill(0xff);
    return h;
  }
  // The validator set this app holds for `height` (known up to committed_height() + 2), else nullopt.
  virtual std::optional<v1::ValidatorSet> validator_set_of(uint64_t height) const = 0;
  // evidence_key of every offence convicted in this chain, and the keys of the convicted validators.
  virtual const std::set<std::string>& committed_evidence() const = 0;
  virtual const std::set<std::string>& convicted_keys() const = 0;
  // Store faults: the next finalize fails before its block is durable, or after (a crash inside the
  // commit); the data dir wiped; a crash that loses what was not synced.
  virtual void fail_next_finalize(bool after_durable) = 0;
  virtual void wipe() = 0;
  virtual void crash() {}

  // Called on every commit: height, hash, whether this app judged it valid by its own rules, the
  // certificate, the block time.
  std::function<void(uint64_t, const Hash32&, bool, const v1::CommitCertificate&)> on_commit;
};

}  // namespace joet::sim
