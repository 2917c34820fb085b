#include "consensus/wire.h"

#include <string>

namespace joet::consensus {

namespace {

Error malformed(std::string_view what, const std::string& why) {
  return make_error(ErrorCode::kMalformed, std::string(what) + ": " + why);
}

Status check_signature(std::string_view what, const std::string& signature) {
  if (signature.size() != 64) return malformed(what, "signature must be 64 bytes");
  return Status();
}

Status check_block_bytes(std::string_view what, const std::string& block) {
  if (block.empty()) return malformed(what, "empty block");
  if (block.size() > limits::kMaxBlockBytes) return make_error(ErrorCode::kTooLarge, std::string(what) + ": block over the limit");
  return Status();
}

}  // namespace

Status check_signed_vote_fields(const v1::SignedVote& vote) {
  Status s = check_signature("signed vote", vote.signature());
  if (!s.ok()) return s;
  auto body = decode_vote_body(as_bytes(vote.body()));
  if (!body.ok()) return body.error();
  return Status();
}

Status check_signed_proposal_fields(const v1::SignedProposal& proposal) {
  Status s = check_signature("signed proposal", proposal.signature());
  if (!s.ok()) return s;
  auto body = decode_proposal_body(as_bytes(proposal.body()));
  if (!body.ok()) return body.error();
  return Status();
}

Status check_consensus_message(const v1::ConsensusMessage& m) {
  switch (m.kind_case()) {
    case v1::ConsensusMessage::kProposal: {
      if (!m.proposal().has_proposal()) return malformed("proposal message", "no signed proposal");
      Status s = check_signed_proposal_fields(m.proposal().proposal());
      if (!s.ok()) return s;
      return check_block_bytes("proposal message", m.proposal().block());
    }
    case v1::ConsensusMessage::kVote:
      return check_signed_vote_fields(m.vote());
    case v1::ConsensusMessage::kCommit: {
      if (!m.commit().has_cert()) return malformed("commit message", "no certificate");
      Status s = check_commit_certificate(m.commit().cert());
      if (!s.ok()) return s;
      return check_block_bytes("commit message", m.commit().block());
    }
    case v1::ConsensusMessage::kStatus:
      return Status();
    case v1::ConsensusMessage::kVoteEvidence: {
      const auto& e = m.vote_evidence();
      if (!e.has_vote_a() || !e.has_vote_b()) return malformed("vote evidence", "two votes needed");
      Status s = check_signed_vote_fields(e.vote_a());
      if (!s.ok()) return s;
      return check_signed_vote_fields(e.vote_b());
    }
    case v1::ConsensusMessage::kProposalEvidence: {
      const auto& e = m.proposal_evidence();
      if (!e.has_proposal_a() || !e.has_proposal_b()) return malformed("proposal evidence", "two proposals needed");
      Status s = check_signed_proposal_fields(e.proposal_a());
      if (!s.ok()) return s;
      return check_signed_proposal_fields(e.proposal_b());
    }
    case v1::ConsensusMessage::KIND_NOT_SET:
      break;
  }
  return malformed("consensus message", "no kind set");
}

Status check_wal_record(const v1::WalRecord& r) {
  switch (r.kind_case()) {
    case v1::WalRecord::kSent: {
      const auto kind = r.sent().kind_case();
      if (kind != v1::ConsensusMessage::kProposal && kind != v1::ConsensusMessage::kVote) {
        return malformed("WAL record", "only signed proposals and votes are logged");
      }
      return check_consensus_message(r.sent());
    }
    case v1::WalRecord::kLock: {
      const auto& l = r.lock();
      if (l.height() == 0) return malformed("WAL lock", "height 0");
      if (l.block_hash().size() != 32) return malformed("WAL lock", "block_hash must be 32 bytes");
      if (static_cast<size_t>(l.polka_size()) > limits::kMaxValidators) return malformed("WAL lock", "too many polka votes");
      for (const auto& vote : l.polka()) {
        if (Status s = check_signed_vote_fields(vote); !s.ok()) return s;
      }
      return check_block_bytes("WAL lock", l.block());
    }
    case v1::WalRecord::KIND_NOT_SET:
      break;
  }
  return malformed("WAL record", "no kind set");
}

Result<v1::ConsensusMessage> decode_consensus_message(ByteView bytes) {
  v1::ConsensusMessage m;
  Status s = decode_canonical(bytes, kMaxMessageBytes, "consensus message", m);
  if (!s.ok()) return s.error();
  s = check_consensus_message(m);
  if (!s.ok()) return s.error();
  return m;
}

Result<v1::WalRecord> decode_wal_record(ByteView bytes) {
  v1::WalRecord r;
  Status s = decode_canonical(bytes, kMaxWalPayloadBytes, "WAL record", r);
  if (!s.ok()) return s.error();
  s = check_wal_record(r);
  if (!s.ok()) return s.error();
  return r;
}

Result<v1::ProposalEvidence> decode_proposal_evidence(ByteView bytes) {
  v1::ProposalEvidence e;
  Status s = decode_canonical(bytes, kMaxEvidenceBytes, "proposal evidence", e);
  if (!s.ok()) return s.error();
  if (!e.has_proposal_a() || !e.has_proposal_b()) return malformed("proposal evidence", "two proposals needed");
  s = check_signed_proposal_fields(e.proposal_a());
  if (!s.ok()) return s.error();
  s = check_signed_proposal_fields(e.proposal_b());
  if (!s.ok()) return s.error();
  return e;
}

}  // namespace joet::consensus
