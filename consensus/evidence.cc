#include "consensus/evidence.h"

#include "ledger/bytes.h"
#include "ledger/codec.h"
#include "ledger/hash.h"
#include "ledger/keys.h"

namespace joet::consensus {

namespace {
Error bad(const std::string& why) { return make_error(ErrorCode::kInvalidArgument, "evidence: " + why); }
}  // namespace

Status check_evidence(const v1::Evidence& evidence, const ValidatorSet& set, std::string_view chain_id) {
  const auto& a = evidence.vote_a();
  const auto& b = evidence.vote_b();
  auto body_a = decode_vote_body(as_bytes(a.body()));
  if (!body_a.ok()) return body_a.error();
  auto body_b = decode_vote_body(as_bytes(b.body()));
  if (!body_b.ok()) return body_b.error();
  if (a.validator_index() != b.validator_index()) return bad("votes of different validators");
  if (a.validator_index() >= set.size()) return bad("validator index out of range");
  if (body_a->chain_id() != chain_id || body_b->chain_id() != chain_id) return bad("wrong chain");
  if (body_a->height() != body_b->height() || body_a->round() != body_b->round() || body_a->type() != body_b->type()) {
    return bad("votes for different (height, round, type)");
  }
  if (body_a->block_hash() == body_b->block_hash()) return bad("votes do not conflict");
  const auto& key = set.at(a.validator_index()).public_key();
  if (!verify_body(as_bytes(key), tags::kVote, as_bytes(a.body()), as_bytes(a.signature())) ||
      !verify_body(as_bytes(key), tags::kVote, as_bytes(b.body()), as_bytes(b.signature()))) {
    return make_error(ErrorCode::kBadSignature, "evidence: a signature does not verify");
  }
  return Status();
}

Status check_proposal_evidence(const v1::ProposalEvidence& evidence, const ValidatorSet& set,
                               std::string_view chain_id) {
  const auto& a = evidence.proposal_a();
  const auto& b = evidence.proposal_b();
  auto body_a = decode_proposal_body(as_bytes(a.body()));
  if (!body_a.ok()) return body_a.error();
  auto body_b = decode_proposal_body(as_bytes(b.body()));
  if (!body_b.ok()) return body_b.error();
  if (a.proposer_index() != b.proposer_index()) return bad("proposals of different validators");
  if (a.proposer_index() >= set.size()) return bad("proposer index out of range");
  if (body_a->chain_id() != chain_id || body_b->chain_id() != chain_id) return bad("wrong chain");
  if (body_a->height() != body_b->height() || body_a->round() != body_b->round()) {
    return bad("proposals for different (height, round)");
  }
  // One slot, two different signed bodies: another block, another time for the same block, or another
  // pol_round. An honest proposer signs one body per slot (its WAL re-sends the same bytes).
  if (a.body() == b.body()) return bad("proposals do not conflict");
  if (set.proposer(body_a->height(), body_a->round()) != a.proposer_index()) return bad("not the round's proposer");
  const auto& key = set.at(a.proposer_index()).public_key();
  if (!verify_body(as_bytes(key), tags::kProposal, as_bytes(a.body()), as_bytes(a.signature())) ||
      !verify_body(as_bytes(key), tags::kProposal, as_bytes(b.body()), as_bytes(b.signature()))) {
    return make_error(ErrorCode::kBadSignature, "evidence: a signature does not verify");
  }
  return Status();
}

Status check_any_evidence(const AnyEvidence& evidence, const ValidatorSet& set, std::string_view chain_id) {
  if (const auto* v = std::get_if<v1::Evidence>(&evidence)) return check_evidence(*v, set, chain_id);
  return check_proposal_evidence(std::get<v1::ProposalEvidence>(evidence), set, chain_id);
}

std::string evidence_key(const v1::Evidence& evidence) {
  v1::VoteBody body;
  (void)body.ParseFromString(evidence.vote_a().body());
  Bytes out;
  put_u64_be(out, evidence.vote_a().validator_index());
  put_u64_be(out, body.height());
  put_u64_be(out, body.round());
  put_u64_be(out, static_cast<uint64_t>(body.type()));
  return to_string(out);
}

std::string evidence_key(const AnyEvidence& evidence) {
  if (const auto* v = std::get_if<v1::Evidence>(&evidence)) return evidence_key(*v);
  const auto& p = std::get<v1::ProposalEvidence>(evidence);
  v1::ProposalBody body;
  (void)body.ParseFromString(p.proposal_a().body());
  Bytes out;
  put_u64_be(out, p.proposal_a().proposer_index());
  put_u64_be(out, body.height());
  put_u64_be(out, body.round());
  put_u64_be(out, 0xff);  // no vote type is 0xff: proposal evidence never collides with vote evidence
  return to_string(out);
}

uint64_t evidence_height(const AnyEvidence& evidence) {
  if (const auto* v = std::get_if<v1::Evidence>(&evidence)) {
    v1::VoteBody body;
    return body.ParseFromString(v->vote_a().body()) ? body.height() : 0;
  }
  v1::ProposalBody body;
  return body.ParseFromString(std::get<v1::ProposalEvidence>(evidence).proposal_a().body()) ? body.height() : 0;
}

uint32_t evidence_offender(const AnyEvidence& evidence) {
  if (const auto* v = std::get_if<v1::Evidence>(&evidence)) return v->vote_a().validator_index();
  return std::get<v1::ProposalEvidence>(evidence).proposal_a().proposer_index();
}

}  // namespace joet::consensus
