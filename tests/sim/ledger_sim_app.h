// The simulator's real application: the node's LedgerApp (node/app/ledger_app.h: block assembly,
// execution, state root, block store, mempool) over a MemoryKvStore that loses unsynced writes when
// the node crashes, as TigerBeetle's cluster simulator runs the very replica that ships.
//
// One LedgerSimApp is one validator's state machine side (node/app/app_test_support.h AppNode) on
// the test genesis (four validators validator_key(0..3), the contracts' test institutions, chain id
// "joet-test"), with the genesis time the simulator gives. The store is the node's data dir:
//   crash()               MemoryKvStore::crash(), then the process restarts: a new BlockStore,
//                         Mempool and LedgerApp over what survived, init_genesis continuing from the
//                         stored tip (the mempool is lost, as a process's memory is)
//   wipe()                a new empty store and a new app (the node re-syncs from genesis)
//   fail_next_finalize    before durable: the store's next write fails inside finalize_block, so
//                         LedgerApp halts with nothing written; after durable: the commit succeeds and
//                         finalize_block then returns an error (a crash inside the commit)
// A halted LedgerApp answers as the node's does (validate false, finalize its error); the engine then
// halts, the simulator crashes the node and the restart rebuilds the app (the node exits and is
// restarted). A certified block the app refuses halts it at every restart: the node never gets past
// that height, which the simulator reports as a liveness violation (the trace names the reason).
//
// Byzantine blocks (make_block) are assembled by the real block assembly on this node's tip with the
// given time, a subset of the mempool chosen by the salt, and the proposer index of this node; with
// NodeApp::poison_salt() the header's state_root is then changed and the block re-hashed, so every
// honest executor refuses it (WRONG_STATE_ROOT). Neither touches the committed state.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "joet.pb.h"
#include "ledger/keys.h"
#include "tests/sim/node_app.h"

namespace joet::testing {
struct AppNode;
}

namespace joet::sim {

class FaultyKvStore;

class LedgerSimApp : public NodeApp {
 public:
  // The genesis every LedgerSimApp shares: the test genesis of node/app/app_test_support.h.
  static std::string chain_id();
  static v1::ValidatorSet genesis_validators();
  static PrivateKey validator_key(uint32_t validator);  // node/testing/local_chain.h validator_key

  // Validator `validator` (0..3) of the genesis set; block 1 comes after genesis_time_ms.
  LedgerSimApp(uint32_t validator, uint64_t genesis_time_ms);
  ~LedgerSimApp() override;
  LedgerSimApp(const LedgerSimApp&) = delete;
  LedgerSimApp& operator=(const LedgerSimApp&) = delete;

  std::optional<consensus::BlockId> identify_block(ByteView bytes) override;
  consensus::Value prepare_proposal(uint64_t height, uint32_t round, uint64_t time_ms,
                                    const std::vector<consensus::AnyEvidence>& evidence) override;
  Result<consensus::FinalizeResult> finalize_block(uint64_t height, const consensus::Value& value,
                                                   const v1::CommitCertificate& cert) override;
  bool has_work(uint64_t height) override;

  uint64_t next_height() const override;
  uint64_t tip_time_ms() const override;
  CommittedBlock committed(uint64_t height) const override;
  bool validate(uint64_t height, const consensus::Value& value) override;
  consensus::Value make_block(uint64_t height, uint64_t time_ms, const Hash32& salt,
                              const std::vector<consensus::AnyEvidence>& evidence) override;
  std::optional<v1::ValidatorSet> validator_set_of(uint64_t height) const override;
  const std::set<std::string>& committed_evidence() const override { return committed_evidence_; }
  const std::set<std::string>& convicted_keys() const override { return convicted_keys_; }
  void fail_next_finalize(bool after_durable) override {
    fail_next_ = after_durable ? Fail::kAfterDurable : Fail::kBeforeDurable;
  }
  void wipe() override;
  void crash() override;

  // A client's tx into this node's mempool at the node's time: "" when admitted, else why not (the
  // refusal's code, e.g. BAD_NONCE, or the error).
  std::string submit(ByteView tx_bytes, uint64_t now_ms);

  // The state root LedgerApp holds (after the tip; the genesis root at tip 0).
  Hash32 state_root() const;
  // The state root this app computed when it committed `height` (1 <= height < next_height()). An
  // observation kept across crashes (not node state); a wipe forgets it, the re-sync re-computes it.
  Hash32 state_root_at(uint64_t height) const;
  // The root of the contract state in the store, recomputed from scratch (a fresh state tree over
  // every contract key): equals state_root() unless the store lost or kept a partial block.
  Result<Hash32> stored_state_root() const;
  // Txs in the committed blocks.
  uint64_t committed_txs() const;
  bool halted() const;

 private:
  void start();  // the process starts: block store, mempool, app over the store; init_genesis
  void track_evidence(const v1::Block& block);

  uint32_t validator_;
  uint64_t genesis_time_ms_;
  std::unique_ptr<testing::AppNode> node_;
  FaultyKvStore* store_ = nullptr;  // owned by node_ (its kv)
  std::set<std::string> committed_evidence_;
  std::set<std::string> convicted_keys_;
  std::map<uint64_t, Hash32> roots_;
  enum class Fail : uint8_t { kNone, kBeforeDurable, kAfterDurable };
  Fail fail_next_ = Fail::kNone;
};

// The simulator's client workload: signed txs the contracts accept, each with the next nonce of its
// signer and a fresh id (case.open by the RvdK, professional.register by a GI, request.file for an OTS
// on a case opened earlier), and governance's validator.update. Signed with zero auxiliary randomness,
// so a seed replays byte for byte.
class TxWorkload {
 public:
  // The next tx; `pick` chooses its kind.
  Bytes next(uint64_t pick);
  // A validator.update of the four genesis validators with these powers, signed by five of the six
  // institutions (governance needs more than 2/3 of them in one tx).
  Bytes validator_update(const std::vector<uint64_t>& powers);
  uint64_t made() const { return made_; }

 private:
  Bytes sign(std::vector<std::string_view> signers, std::string_view action, std::vector<v1::Arg> args);
  uint64_t made_ = 0;
  uint64_t cases_ = 0;
  std::map<std::string, uint64_t> nonces_;
};

}  // namespace joet::sim
