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

}  // namespace joet::consensus
