// Consensus messages on the wire and in the WAL, and the one verification path every input takes
// (the node at its network edge, the simulator before it feeds an engine).
//
// Wire: one v1::ConsensusMessage per frame (ledger/proto/joet.proto), decoded canonically with size
// limits by consensus/wire.h. WAL: one v1::WalRecord per record: a proposal or vote we signed, or a
// lock (lines 38-39 of the paper). Here they become the engine's in-memory types with decoded bodies.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <variant>

#include "consensus/types.h"
#include "consensus/wire.h"
#include "ledger/codec.h"
#include "ledger/validator_set.h"

namespace joet::consensus {

struct ProposalMsg {
  v1::SignedProposal signed_proposal;
  v1::ProposalBody body;
  Bytes block;
};
struct VoteMsg {
  v1::SignedVote signed_vote;
  v1::VoteBody body;
  // The block hash as map key: empty = nil.
  const std::string& key() const { return body.block_hash(); }
};
struct CommitMsg {
  v1::CommitCertificate cert;
  Bytes block;
};
struct StatusMsg {
  uint64_t height = 0;
};
// Evidence a peer found (consensus/evidence.h); checked by the engine against the set of its height.
struct EvidenceMsg {
  AnyEvidence evidence;
};
struct LockRecord {
  uint64_t height = 0;
  uint32_t round = 0;
  Value value;
  std::vector<v1::SignedVote> polka;  // the prevotes that justified it (v1::WalLock.polka)
};
using Message = std::variant<ProposalMsg, VoteMsg, CommitMsg, StatusMsg, EvidenceMsg>;

// The canonical v1::ConsensusMessage encoding.
Bytes encode_message(const Message& message);
// Structural decode (consensus/wire.h): size limits, canonical protobuf, field checks. No signature
// is checked.
Result<Message> decode_message(ByteView wire);

// WAL records (v1::WalRecord). `wire` is an encode_message of our own proposal or vote.
Bytes encode_wal_sent(ByteView wire);
Bytes encode_wal_lock(const LockRecord& lock);
// A record: the message we sent (a proposal or a vote), or a lock.
using WalEntry = std::variant<Message, LockRecord>;
Result<WalEntry> decode_wal_entry(ByteView record);
// The height a message is about (a commit: its certificate's height).
uint64_t message_height(const Message& message);

// Remembers signatures that verified, so a message delivered to many engines in one process (the
// simulator) or re-gossiped is verified once. Bounded: forgets everything when full.
class SignatureCache {
 public:
  explicit SignatureCache(size_t capacity = 1 << 16) : capacity_(capacity) {}
  bool verify(ByteView public_key, std::string_view tag, ByteView body, ByteView signature);
  uint64_t hits() const { return hits_; }
  uint64_t misses() const { return misses_; }

 private:
  size_t capacity_;
  std::set<std::string> good_;
  uint64_t hits_ = 0;
  uint64_t misses_ = 0;
};

// Checks a decoded message against the set of its height: a proposal's signature by its claimed
// proposer, a vote's by its validator_index (kBadSignature / kInvalidArgument). Commits are verified
// by the engine (verify_commit_certificate), evidence by the engine (check_any_evidence, against the
// set of the evidence's height); status hints carry nothing to verify.
Status verify_message(const Message& message, const ValidatorSet& set, SignatureCache* cache = nullptr);

// verify_message with the set of the message's height, for the kinds that carry a signature to check
// here (proposals and votes); commits, evidence and status hints pass (see verify_message). set_for
// returns nullptr for a height it does not know: kNotFound.
template <typename SetFor>
Status verify_in_its_set(const Message& message, SetFor&& set_for, SignatureCache* cache = nullptr) {
  if (!std::holds_alternative<ProposalMsg>(message) && !std::holds_alternative<VoteMsg>(message)) return Status();
  const ValidatorSet* set = set_for(message_height(message));
  if (set == nullptr) return make_error(ErrorCode::kNotFound, "no validator set for the message's height");
  return verify_message(message, *set, cache);
}

// decode_message + verify_in_its_set.
template <typename SetFor>
Result<Message> verify_and_decode(ByteView wire, SetFor&& set_for, SignatureCache* cache = nullptr) {
  auto message = decode_message(wire);
  if (!message.ok()) return message.error();
  Status s = verify_in_its_set(*message, set_for, cache);
  if (!s.ok()) return s.error();
  return message;
}

// Builders that sign (the engine, and the simulator's byzantine nodes).
VoteMsg make_vote(Signer& signer, uint32_t validator_index, std::string_view chain_id, v1::VoteType type,
                  uint64_t height, uint32_t round, const std::string& block_hash_or_empty);
ProposalMsg make_proposal(Signer& signer, uint32_t proposer_index, std::string_view chain_id, uint64_t height,
                          uint32_t round, int32_t pol_round, const Value& value);

inline std::string hash_key(const Hash32& h) { return std::string(h.begin(), h.end()); }

}  // namespace joet::consensus
