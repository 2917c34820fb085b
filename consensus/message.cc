#include "consensus/message.h"

#include <algorithm>

#include "ledger/codec.h"
#include "ledger/hash.h"

namespace joet::consensus {

namespace {

v1::ConsensusMessage to_proto(const Message& message) {
  v1::ConsensusMessage out;
  if (const auto* p = std::get_if<ProposalMsg>(&message)) {
    *out.mutable_proposal()->mutable_proposal() = p->signed_proposal;
    out.mutable_proposal()->set_block(to_string(p->block));
  } else if (const auto* v = std::get_if<VoteMsg>(&message)) {
    *out.mutable_vote() = v->signed_vote;
  } else if (const auto* c = std::get_if<CommitMsg>(&message)) {
    *out.mutable_commit()->mutable_cert() = c->cert;
    out.mutable_commit()->set_block(to_string(c->block));
  } else if (const auto* e = std::get_if<EvidenceMsg>(&message)) {
    if (const auto* votes = std::get_if<v1::Evidence>(&e->evidence)) {
      *out.mutable_vote_evidence() = *votes;
    } else {
      *out.mutable_proposal_evidence() = std::get<v1::ProposalEvidence>(e->evidence);
    }
  } else {
    out.mutable_status()->set_height(std::get<StatusMsg>(message).height);
  }
  return out;
}

// From a message that passed check_consensus_message: every body decodes.
Message from_proto(v1::ConsensusMessage&& m) {
  switch (m.kind_case()) {
    case v1::ConsensusMessage::kProposal: {
      ProposalMsg out;
      out.signed_proposal = std::move(*m.mutable_proposal()->mutable_proposal());
      JOET_ASSERT(out.body.ParseFromString(out.signed_proposal.body()));
      const std::string& block = m.proposal().block();
      out.block.assign(block.begin(), block.end());
      return out;
    }
    case v1::ConsensusMessage::kVote: {
      VoteMsg out;
      out.signed_vote = std::move(*m.mutable_vote());
      JOET_ASSERT(out.body.ParseFromString(out.signed_vote.body()));
      return out;
    }
    case v1::ConsensusMessage::kCommit: {
      CommitMsg out;
      out.cert = std::move(*m.mutable_commit()->mutable_cert());
      const std::string& block = m.commit().block();
      out.block.assign(block.begin(), block.end());
      return out;
    }
    case v1::ConsensusMessage::kStatus:
      return StatusMsg{m.status().height()};
    case v1::ConsensusMessage::kVoteEvidence:
      return EvidenceMsg{AnyEvidence(std::move(*m.mutable_vote_evidence()))};
    case v1::ConsensusMessage::kProposalEvidence:
      return EvidenceMsg{AnyEvidence(std::move(*m.mutable_proposal_evidence()))};
    case v1::ConsensusMessage::KIND_NOT_SET:
      break;
  }
  JOET_ASSERT(false);  // check_consensus_message refuses messages without a kind
  return StatusMsg{};
}

}  // namespace

Bytes encode_message(const Message& message) { return encode(to_proto(message)); }

Result<Message> decode_message(ByteView wire) {
  auto m = decode_consensus_message(wire);
  if (!m.ok()) return m.error();
  return from_proto(std::move(m).value());
}

Bytes encode_wal_sent(ByteView wire) {
  auto m = decode_consensus_message(wire);
  JOET_ASSERT(m.ok());  // our own message, encoded by encode_message
  v1::WalRecord record;
  *record.mutable_sent() = std::move(m).value();
  Bytes out = encode(record);
  JOET_ASSERT(check_wal_record(record).ok());
  return out;
}

Bytes encode_wal_lock(const LockRecord& lock) {
  v1::WalRecord record;
  auto* l = record.mutable_lock();
  l->set_height(lock.height);
  l->set_round(lock.round);
  l->set_time_ms(lock.value.time_ms);
  l->set_block_hash(hash_key(lock.value.hash));
  l->set_block(to_string(lock.value.bytes));
  for (const auto& vote : lock.polka) *l->add_polka() = vote;
  JOET_ASSERT(check_wal_record(record).ok());
  return encode(record);
}

Result<WalEntry> decode_wal_entry(ByteView bytes) {
  auto r = decode_wal_record(bytes);
  if (!r.ok()) return r.error();
  if (r->has_sent()) return WalEntry(from_proto(std::move(*r->mutable_sent())));
  const auto& l = r->lock();
  LockRecord lock;
  lock.height = l.height();
  lock.round = l.round();
  lock.value.time_ms = l.time_ms();
  std::copy(l.block_hash().begin(), l.block_hash().end(), lock.value.hash.begin());
  lock.value.bytes.assign(l.block().begin(), l.block().end());
  lock.polka.assign(l.polka().begin(), l.polka().end());
  return WalEntry(std::move(lock));
}

uint64_t message_height(const Message& message) {
  if (const auto* p = std::get_if<ProposalMsg>(&message)) return p->body.height();
  if (const auto* v = std::get_if<VoteMsg>(&message)) return v->body.height();
  if (const auto* c = std::get_if<CommitMsg>(&message)) {
    v1::VoteBody body;
    // The certificate decoded canonically already (decode_message).
    JOET_ASSERT(body.ParseFromString(c->cert.vote_body()));
    return body.height();
  }
  if (const auto* e = std::get_if<EvidenceMsg>(&message)) return evidence_height(e->evidence);
  return std::get<StatusMsg>(message).height;
}

bool SignatureCache::verify(ByteView public_key, std::string_view tag, ByteView body, ByteView signature) {
  Hash32 digest = tagged_hash(tag, body);
  std::string key;
  key.reserve(32 + 32 + 64);
  key.append(public_key.begin(), public_key.end());
  key.append(digest.begin(), digest.end());
  key.append(signature.begin(), signature.end());
  if (good_.count(key) != 0) {
    ++hits_;
    return true;
  }
  ++misses_;
  auto pk = PublicKey::from_bytes(public_key);
  if (!pk.ok() || !pk->verify(digest, signature)) return false;
  if (good_.size() >= capacity_) good_.clear();
  good_.insert(std::move(key));
  return true;
}

namespace {
bool check_sig(SignatureCache* cache, ByteView pk, std::string_view tag, ByteView body, ByteView sig) {
  return cache != nullptr ? cache->verify(pk, tag, body, sig) : verify_body(pk, tag, body, sig);
}
}  // namespace

Status verify_message(const Message& message, const ValidatorSet& set, SignatureCache* cache) {
  if (const auto* p = std::get_if<ProposalMsg>(&message)) {
    uint32_t index = p->signed_proposal.proposer_index();
    if (index >= set.size()) return make_error(ErrorCode::kInvalidArgument, "proposal: proposer index out of range");
    if (!check_sig(cache, as_bytes(set.at(index).public_key()), tags::kProposal, as_bytes(p->signed_proposal.body()),
                   as_bytes(p->signed_proposal.signature()))) {
      return make_error(ErrorCode::kBadSignature, "proposal: signature does not verify");
    }
    return Status();
  }
  if (const auto* v = std::get_if<VoteMsg>(&message)) {
    uint32_t index = v->signed_vote.validator_index();
    if (index >= set.size()) return make_error(ErrorCode::kInvalidArgument, "vote: validator index out of range");
    if (!check_sig(cache, as_bytes(set.at(index).public_key()), tags::kVote, as_bytes(v->signed_vote.body()),
                   as_bytes(v->signed_vote.signature()))) {
      return make_error(ErrorCode::kBadSignature, "vote: signature does not verify");
    }
    return Status();
  }
  return Status();
}

VoteMsg make_vote(Signer& signer, uint32_t validator_index, std::string_view chain_id, v1::VoteType type,
                  uint64_t height, uint32_t round, const std::string& block_hash_or_empty) {
  VoteMsg m;
  m.body.set_chain_id(std::string(chain_id));
  m.body.set_type(type);
  m.body.set_height(height);
  m.body.set_round(round);
  m.body.set_block_hash(block_hash_or_empty);
  Bytes body = encode(m.body);
  Signature64 sig = signer.sign(tags::kVote, body);
  m.signed_vote.set_body(to_string(body));
  m.signed_vote.set_validator_index(validator_index);
  m.signed_vote.set_signature(std::string(sig.begin(), sig.end()));
  return m;
}

ProposalMsg make_proposal(Signer& signer, uint32_t proposer_index, std::string_view chain_id, uint64_t height,
                          uint32_t round, int32_t pol_round, const Value& value) {
  ProposalMsg m;
  m.body.set_chain_id(std::string(chain_id));
  m.body.set_height(height);
  m.body.set_round(round);
  m.body.set_pol_round(pol_round);
  m.body.set_block_hash(hash_key(value.hash));
  m.body.set_time_ms(value.time_ms);
  Bytes body = encode(m.body);
  Signature64 sig = signer.sign(tags::kProposal, body);
  m.signed_proposal.set_body(to_string(body));
  m.signed_proposal.set_proposer_index(proposer_index);
  m.signed_proposal.set_signature(std::string(sig.begin(), sig.end()));
  m.block = value.bytes;
  return m;
}

}  // namespace joet::consensus
