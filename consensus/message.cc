#include "consensus/message.h"

#include <algorithm>

#include "ledger/codec.h"
#include "ledger/hash.h"

namespace joet::consensus {

namespace {

void put_u32(Bytes& out, uint32_t v) {
  for (int i = 3; i >= 0; --i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

void put_part(Bytes& out, ByteView part) {
  JOET_ASSERT(part.size() <= kMaxMessageBytes);
  put_u32(out, static_cast<uint32_t>(part.size()));
  out.insert(out.end(), part.begin(), part.end());
}

Error malformed(const std::string& why) { return make_error(ErrorCode::kMalformed, "consensus message: " + why); }

// Reads the parts of an envelope, checking every length against what is left.
class Reader {
 public:
  explicit Reader(ByteView b) : b_(b) {}
  bool u32(uint32_t& v) {
    if (b_.size() - pos_ < 4) return false;
    v = 0;
    for (int i = 0; i < 4; ++i) v = (v << 8) | b_[pos_ + static_cast<size_t>(i)];
    pos_ += 4;
    return true;
  }
  bool u64(uint64_t& v) {
    if (b_.size() - pos_ < 8) return false;
    v = get_u64_be(b_.data() + pos_);
    pos_ += 8;
    return true;
  }
  bool part(ByteView& out) {
    uint32_t n = 0;
    if (!u32(n) || b_.size() - pos_ < n) return false;
    out = b_.subspan(pos_, n);
    pos_ += n;
    return true;
  }
  bool fixed(size_t n, ByteView& out) {
    if (b_.size() - pos_ < n) return false;
    out = b_.subspan(pos_, n);
    pos_ += n;
    return true;
  }
  ByteView rest() {
    ByteView r = b_.subspan(pos_);
    pos_ = b_.size();
    return r;
  }
  bool done() const { return pos_ == b_.size(); }

 private:
  ByteView b_;
  size_t pos_ = 0;
};

}  // namespace

Bytes encode_message(const Message& message) {
  Bytes out;
  if (const auto* p = std::get_if<ProposalMsg>(&message)) {
    out.push_back(static_cast<uint8_t>(MessageKind::kProposal));
    put_part(out, encode(p->signed_proposal));
    put_part(out, p->block);
  } else if (const auto* v = std::get_if<VoteMsg>(&message)) {
    out.push_back(static_cast<uint8_t>(MessageKind::kVote));
    put_part(out, encode(v->signed_vote));
  } else if (const auto* c = std::get_if<CommitMsg>(&message)) {
    out.push_back(static_cast<uint8_t>(MessageKind::kCommit));
    put_part(out, encode(c->cert));
    put_part(out, c->block);
  } else if (const auto* s = std::get_if<StatusMsg>(&message)) {
    out.push_back(static_cast<uint8_t>(MessageKind::kStatus));
    put_u64_be(out, s->height);
  } else {
    const auto& l = std::get<LockRecord>(message);
    out.push_back(static_cast<uint8_t>(MessageKind::kLock));
    put_u64_be(out, l.height);
    put_u32(out, l.round);
    put_u64_be(out, l.value.time_ms);
    out.insert(out.end(), l.value.hash.begin(), l.value.hash.end());
    put_part(out, l.value.bytes);
  }
  return out;
}

Result<Message> decode_message(ByteView wire) {
  if (wire.empty()) return malformed("empty");
  if (wire.size() > kMaxMessageBytes) return make_error(ErrorCode::kTooLarge, "consensus message over the limit");
  Reader r(wire.subspan(1));
  switch (static_cast<MessageKind>(wire[0])) {
    case MessageKind::kProposal: {
      ByteView sp, block;
      if (!r.part(sp) || !r.part(block) || !r.done()) return malformed("proposal envelope");
      ProposalMsg m;
      auto signed_proposal = decode_signed_proposal(sp);
      if (!signed_proposal.ok()) return signed_proposal.error();
      m.signed_proposal = std::move(signed_proposal).value();
      auto body = decode_proposal_body(as_bytes(m.signed_proposal.body()));
      if (!body.ok()) return body.error();
      m.body = std::move(body).value();
      if (block.size() > limits::kMaxBlockBytes) return make_error(ErrorCode::kTooLarge, "proposed block over the limit");
      m.block.assign(block.begin(), block.end());
      return Message(std::move(m));
    }
    case MessageKind::kVote: {
      ByteView sv;
      if (!r.part(sv) || !r.done()) return malformed("vote envelope");
      VoteMsg m;
      auto signed_vote = decode_signed_vote(sv);
      if (!signed_vote.ok()) return signed_vote.error();
      m.signed_vote = std::move(signed_vote).value();
      auto body = decode_vote_body(as_bytes(m.signed_vote.body()));
      if (!body.ok()) return body.error();
      m.body = std::move(body).value();
      return Message(std::move(m));
    }
    case MessageKind::kCommit: {
      ByteView cert, block;
      if (!r.part(cert) || !r.part(block) || !r.done()) return malformed("commit envelope");
      CommitMsg m;
      auto c = decode_commit_certificate(cert);
      if (!c.ok()) return c.error();
      m.cert = std::move(c).value();
      if (block.size() > limits::kMaxBlockBytes) return make_error(ErrorCode::kTooLarge, "committed block over the limit");
      m.block.assign(block.begin(), block.end());
      return Message(std::move(m));
    }
    case MessageKind::kStatus: {
      StatusMsg m;
      if (!r.u64(m.height) || !r.done()) return malformed("status envelope");
      return Message(m);
    }
    case MessageKind::kLock: {
      LockRecord m;
      ByteView hash, block;
      if (!r.u64(m.height) || !r.u32(m.round) || !r.u64(m.value.time_ms) || !r.fixed(32, hash) || !r.part(block) ||
          !r.done()) {
        return malformed("lock record");
      }
      std::copy(hash.begin(), hash.end(), m.value.hash.begin());
      m.value.bytes.assign(block.begin(), block.end());
      return Message(std::move(m));
    }
  }
  return malformed("unknown kind " + std::to_string(wire[0]));
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
  if (const auto* s = std::get_if<StatusMsg>(&message)) return s->height;
  return std::get<LockRecord>(message).height;
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
  if (std::holds_alternative<LockRecord>(message)) return make_error(ErrorCode::kInvalidArgument, "lock records are local");
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
