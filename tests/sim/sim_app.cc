#include "tests/sim/sim_app.h"

#include "consensus/evidence.h"
#include "consensus/message.h"
#include "ledger/codec.h"
#include "ledger/hash.h"
#include "ledger/merkle.h"
#include "node/block_assembly.h"

namespace joet::sim {

SimApp::SimApp(std::string chain_id, SetSchedule schedule, uint32_t node_id, uint64_t genesis_time_ms)
    : chain_id_(std::move(chain_id)), schedule_(std::move(schedule)), node_id_(node_id), genesis_time_ms_(genesis_time_ms) {}

std::optional<consensus::BlockId> SimApp::identify_block(ByteView bytes) {
  v1::Block block;
  if (!block.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) return std::nullopt;
  v1::BlockHeader header;
  if (!header.ParseFromString(block.header())) return std::nullopt;
  if (!header_binds_body(block, header)) return std::nullopt;  // one hash, one block
  return consensus::BlockId{tagged_hash(tags::kBlock, as_bytes(block.header())), header.time_ms()};
}

consensus::Value SimApp::make_block(uint64_t height, uint64_t time_ms, const Hash32& salt,
                                    const std::vector<consensus::AnyEvidence>& evidence) {
  v1::Block block;
  for (const auto& ev : evidence) {
    if (committed_evidence_.count(consensus::evidence_key(ev)) != 0) continue;
    if (const auto* v = std::get_if<v1::Evidence>(&ev)) {
      *block.add_evidence() = *v;
    } else {
      *block.add_proposal_evidence() = std::get<v1::ProposalEvidence>(ev);
    }
  }
  v1::BlockHeader header;
  header.set_chain_id(chain_id_);
  header.set_height(height);
  header.set_time_ms(time_ms);
  if (!chain_.empty() && height == next_height()) header.set_prev_block_hash(consensus::hash_key(chain_.back().hash));
  header.set_state_root(consensus::hash_key(salt));
  const ValidatorSet& set = set_of(height);
  const ValidatorSet& next = set_of(height + 1);
  header.set_validator_set_hash(consensus::hash_key(set.hash()));
  header.set_next_validator_set_hash(consensus::hash_key(next.hash()));
  header.set_proposer(node_id_);
  header.set_tx_root(to_string(merkle_root({})));  // a fake block carries no txs
  header.set_evidence_root(to_string(evidence_root(block)));
  Bytes header_bytes = encode(header);
  block.set_header(to_string(header_bytes));
  consensus::Value v;
  v.bytes = encode(block);
  v.hash = tagged_hash(tags::kBlock, header_bytes);
  v.time_ms = time_ms;
  return v;
}

consensus::Value SimApp::prepare_proposal(uint64_t height, uint32_t round, uint64_t time_ms,
                                          const std::vector<consensus::AnyEvidence>& evidence) {
  Bytes seed;
  put_u64_be(seed, height);
  put_u64_be(seed, round);
  put_u64_be(seed, node_id_);
  return make_block(height, time_ms, tagged_hash("joet/sim/salt", seed), evidence);
}

bool SimApp::check_block(uint64_t height, const consensus::Value& value, uint64_t* time_ms) const {
  v1::Block block;
  if (!block.ParseFromArray(value.bytes.data(), static_cast<int>(value.bytes.size()))) return false;
  if (tagged_hash(tags::kBlock, as_bytes(block.header())) != value.hash) return false;
  v1::BlockHeader header;
  if (!header.ParseFromString(block.header())) return false;
  if (header.chain_id() != chain_id_ || header.height() != height || height != next_height()) return false;
  if (header.time_ms() != value.time_ms) return false;
  if (header.time_ms() <= tip_time_ms()) return false;
  std::string prev = chain_.empty() ? std::string() : consensus::hash_key(chain_.back().hash);
  if (header.prev_block_hash() != prev) return false;
  if (header.state_root() == consensus::hash_key(poison_salt())) return false;
  const ValidatorSet& set = set_of(height);
  const ValidatorSet& next = set_of(height + 1);
  if (header.validator_set_hash() != consensus::hash_key(set.hash())) return false;
  if (header.next_validator_set_hash() != consensus::hash_key(next.hash())) return false;
  std::vector<consensus::AnyEvidence> all(block.evidence().begin(), block.evidence().end());
  all.insert(all.end(), block.proposal_evidence().begin(), block.proposal_evidence().end());
  std::set<std::string> offences;
  for (const auto& ev : all) {
    // One conviction per offence: not twice in a block, not again once in the chain.
    const std::string key = consensus::evidence_key(ev);
    if (!offences.insert(key).second || committed_evidence_.count(key) != 0) return false;
    // Checked against the set of the evidence's height.
    const uint64_t h = consensus::evidence_height(ev);
    if (h == 0 || h > height) return false;
    const ValidatorSet& ev_set = set_of(h);
    if (!consensus::check_any_evidence(ev, ev_set, chain_id_).ok()) return false;
  }
  *time_ms = header.time_ms();
  return true;
}

bool SimApp::validate(uint64_t height, const consensus::Value& value) {
  uint64_t t = 0;
  return check_block(height, value, &t);
}

Result<consensus::FinalizeResult> SimApp::finalize_block(uint64_t height, const consensus::Value& value,
                                                 const v1::CommitCertificate& cert) {
  JOET_ASSERT(height == next_height());
  const Fail fail = fail_next_;
  fail_next_ = Fail::kNone;
  if (fail == Fail::kBeforeDurable) return make_error(ErrorCode::kIoError, "simulated store write failure");
  uint64_t t = 0;
  const bool ok = check_block(height, value, &t);
  v1::Block block;
  JOET_ASSERT(block.ParseFromArray(value.bytes.data(), static_cast<int>(value.bytes.size())));
  v1::BlockHeader header;
  JOET_ASSERT(header.ParseFromString(block.header()));
  std::vector<consensus::AnyEvidence> all(block.evidence().begin(), block.evidence().end());
  all.insert(all.end(), block.proposal_evidence().begin(), block.proposal_evidence().end());
  std::vector<std::string> keys;
  for (const auto& ev : all) {
    keys.push_back(consensus::evidence_key(ev));
    committed_evidence_.insert(consensus::evidence_key(ev));
    const uint64_t h = consensus::evidence_height(ev);
    const ValidatorSet& ev_set = set_of(h);
    const uint32_t offender = consensus::evidence_offender(ev);
    if (offender < ev_set.size()) convicted_keys_.insert(ev_set.at(offender).public_key());
  }
  chain_.push_back(CommittedBlock{value.hash, value.bytes, cert, header.time_ms()});
  if (on_commit) on_commit(height, value.hash, ok, cert);
  if (fail == Fail::kAfterDurable) return make_error(ErrorCode::kIoError, "simulated crash after the block was durable");
  return consensus::FinalizeResult{schedule_(height + 2), header.time_ms(), std::move(keys)};
}

const ValidatorSet& SimApp::set_of(uint64_t height) const {
  auto it = sets_.find(height);
  if (it != sets_.end()) return it->second;
  return sets_.emplace(height, ValidatorSet::create(schedule_(height)).value()).first->second;
}

void SimApp::wipe() {
  chain_.clear();
  committed_evidence_.clear();
  convicted_keys_.clear();
  fail_next_ = Fail::kNone;
}

}  // namespace joet::sim
