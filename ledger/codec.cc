#include "ledger/codec.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include <set>

namespace joet {

namespace {

Error bad(std::string_view what, const std::string& why) {
  return make_error(ErrorCode::kMalformed, std::string(what) + ": " + why);
}

Status check_len(std::string_view what, std::string_view field, const std::string& value, size_t want) {
  if (value.size() != want) {
    return bad(what, std::string(field) + " must be " + std::to_string(want) + " bytes, got " +
                         std::to_string(value.size()));
  }
  return Status();
}

// Hashes that may be empty (e.g. nil block hash, prev hash at height 1) but are 32 bytes otherwise.
Status check_optional_hash(std::string_view what, std::string_view field, const std::string& value) {
  if (value.empty()) return Status();
  return check_len(what, field, value, 32);
}

Status check_chain_id(std::string_view what, const std::string& chain_id) {
  if (chain_id.empty()) return bad(what, "chain_id is empty");
  if (chain_id.size() > limits::kMaxChainIdBytes) return bad(what, "chain_id longer than 64 bytes");
  return Status();
}

template <typename M>
Result<M> decode_as(ByteView bytes, size_t max_bytes, std::string_view what, Status (*check)(const M&)) {
  M message;
  Status s = decode_canonical(bytes, max_bytes, what, message);
  if (!s.ok()) return s;
  if (check != nullptr) {
    s = check(message);
    if (!s.ok()) return s;
  }
  return message;
}

}  // namespace

Bytes encode(const google::protobuf::MessageLite& message) {
  std::string out;
  {
    google::protobuf::io::StringOutputStream stream(&out);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    JOET_ASSERT(message.SerializeToCodedStream(&coded));
  }
  return Bytes(out.begin(), out.end());
}

Status decode_canonical(ByteView bytes, size_t max_bytes, std::string_view what,
                        google::protobuf::Message& out) {
  if (bytes.size() > max_bytes) {
    return make_error(ErrorCode::kTooLarge, std::string(what) + ": " + std::to_string(bytes.size()) +
                                                " bytes, limit " + std::to_string(max_bytes));
  }
  if (!out.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return bad(what, "not a valid protobuf encoding");
  }
  out.DiscardUnknownFields();  // so that unknown fields make the re-encoding differ
  Bytes again = encode(out);
  if (!std::equal(again.begin(), again.end(), bytes.begin(), bytes.end())) {
    return make_error(ErrorCode::kNonCanonical,
                      std::string(what) + ": not the canonical encoding (unknown fields, defaults written, or reordered)");
  }
  return Status();
}

// ------------------------------------------------------------------ checks

Status check_tx_body(const v1::TxBody& body) {
  constexpr std::string_view what = "tx body";
  Status s = check_chain_id(what, body.chain_id());
  if (!s.ok()) return s;
  if (body.action().empty() || body.action().size() > limits::kMaxActionBytes) {
    return bad(what, "action must be 1 to 64 bytes");
  }
  if (static_cast<size_t>(body.args_size()) > limits::kMaxTxArgs) return bad(what, "more than 64 args");
  const std::string* prev = nullptr;
  for (const auto& arg : body.args()) {
    if (arg.name().empty()) return bad(what, "an arg has no name");
    if (prev != nullptr && !(*prev < arg.name())) {
      return bad(what, "args must be sorted by name without duplicates (at '" + arg.name() + "')");
    }
    prev = &arg.name();
    switch (arg.value_case()) {
      case v1::Arg::kText:
        if (arg.text().size() > limits::kMaxArgTextBytes) return bad(what, "arg '" + arg.name() + "' text over 256 bytes");
        break;
      case v1::Arg::kHash:
        s = check_len(what, "arg '" + arg.name() + "' hash", arg.hash(), 32);
        if (!s.ok()) return s;
        break;
      case v1::Arg::kInteger:
      case v1::Arg::kFlag:
        break;
      case v1::Arg::VALUE_NOT_SET:
        return bad(what, "arg '" + arg.name() + "' has no value");
    }
  }
  return Status();
}

Status check_signed_tx(const v1::SignedTx& tx) {
  constexpr std::string_view what = "signed tx";
  if (tx.body().empty()) return bad(what, "body is empty");
  if (tx.signatures_size() == 0) return bad(what, "no signature");
  if (static_cast<size_t>(tx.signatures_size()) > limits::kMaxTxSignatures) return bad(what, "more than 32 signatures");
  std::set<std::string> keys;
  for (const auto& sig : tx.signatures()) {
    Status s = check_len(what, "public_key", sig.public_key(), 32);
    if (!s.ok()) return s;
    s = check_len(what, "signature", sig.signature(), 64);
    if (!s.ok()) return s;
    if (!keys.insert(sig.public_key()).second) return bad(what, "a key signs twice");
  }
  return Status();
}

Status check_block_header(const v1::BlockHeader& h) {
  constexpr std::string_view what = "block header";
  Status s = check_chain_id(what, h.chain_id());
  if (!s.ok()) return s;
  if (h.height() == 0) return bad(what, "height 0");
  if (h.height() == 1 && !h.prev_block_hash().empty()) return bad(what, "height 1 has a previous block hash");
  if (h.height() > 1) {
    s = check_len(what, "prev_block_hash", h.prev_block_hash(), 32);
    if (!s.ok()) return s;
  }
  for (auto [field, value] : {std::pair<std::string_view, const std::string*>{"tx_root", &h.tx_root()},
                              {"state_root", &h.state_root()},
                              {"events_root", &h.events_root()},
                              {"evidence_root", &h.evidence_root()},
                              {"history_root", &h.history_root()},
                              {"validator_set_hash", &h.validator_set_hash()},
                              {"next_validator_set_hash", &h.next_validator_set_hash()}}) {
    s = check_len(what, field, *value, 32);
    if (!s.ok()) return s;
  }
  s = check_optional_hash(what, "results_root", h.results_root());
  if (!s.ok()) return s;
  return check_optional_hash(what, "last_commit_hash", h.last_commit_hash());
}

Status check_vote_body(const v1::VoteBody& body) {
  constexpr std::string_view what = "vote body";
  Status s = check_chain_id(what, body.chain_id());
  if (!s.ok()) return s;
  if (body.type() != v1::PREVOTE && body.type() != v1::PRECOMMIT) return bad(what, "type is neither PREVOTE nor PRECOMMIT");
  if (body.height() == 0) return bad(what, "height 0");
  return check_optional_hash(what, "block_hash", body.block_hash());
}

Status check_commit_certificate(const v1::CommitCertificate& cert) {
  constexpr std::string_view what = "commit certificate";
  v1::VoteBody body;
  Status s = decode_canonical(as_bytes(cert.vote_body()), limits::kMaxVoteBytes, "certificate vote body", body);
  if (!s.ok()) return s;
  s = check_vote_body(body);
  if (!s.ok()) return s;
  if (body.type() != v1::PRECOMMIT) return bad(what, "vote body is not a PRECOMMIT");
  if (body.block_hash().empty()) return bad(what, "certifies nil");
  if (cert.signers().size() > (limits::kMaxValidators + 7) / 8) return bad(what, "signer bitmap too long");
  size_t bits = 0;
  for (unsigned char byte : cert.signers()) bits += static_cast<size_t>(__builtin_popcount(byte));
  if (bits == 0) return bad(what, "no signers");
  if (bits != static_cast<size_t>(cert.signatures_size())) {
    return bad(what, std::to_string(bits) + " signer bits but " + std::to_string(cert.signatures_size()) + " signatures");
  }
  for (const auto& sig : cert.signatures()) {
    s = check_len(what, "signature", sig, 64);
    if (!s.ok()) return s;
  }
  return Status();
}

Status check_validator_set(const v1::ValidatorSet& set) {
  constexpr std::string_view what = "validator set";
  if (set.validators_size() == 0) return bad(what, "empty");
  if (static_cast<size_t>(set.validators_size()) > limits::kMaxValidators) return bad(what, "more than 256 validators");
  std::set<std::string> keys;
  for (const auto& v : set.validators()) {
    Status s = check_len(what, "public_key", v.public_key(), 32);
    if (!s.ok()) return s;
    if (v.power() == 0) return bad(what, "a validator has power 0");
    if (v.power() > (uint64_t{1} << 50)) return bad(what, "a validator's power is over 2^50");
    if (!keys.insert(v.public_key()).second) return bad(what, "a key appears twice");
  }
  return Status();
}

namespace {
Status check_signed_vote(const v1::SignedVote& vote) {
  Status s = check_len("signed vote", "signature", vote.signature(), 64);
  if (!s.ok()) return s;
  v1::VoteBody body;
  s = decode_canonical(as_bytes(vote.body()), limits::kMaxVoteBytes, "vote body", body);
  if (!s.ok()) return s;
  return check_vote_body(body);
}

Status check_proposal_body(const v1::ProposalBody& p) {
  constexpr std::string_view what = "proposal body";
  Status s = check_chain_id(what, p.chain_id());
  if (!s.ok()) return s;
  if (p.height() == 0) return bad(what, "height 0");
  if (p.pol_round() < -1 || (p.pol_round() >= 0 && static_cast<uint32_t>(p.pol_round()) >= p.round())) {
    return bad(what, "pol_round must be -1 or below round");
  }
  return check_len(what, "block_hash", p.block_hash(), 32);
}

Status check_signed_proposal(const v1::SignedProposal& p) {
  Status s = check_len("signed proposal", "signature", p.signature(), 64);
  if (!s.ok()) return s;
  v1::ProposalBody body;
  s = decode_canonical(as_bytes(p.body()), limits::kMaxVoteBytes, "proposal body", body);
  if (!s.ok()) return s;
  return check_proposal_body(body);
}

Status check_hashes(std::string_view what, const google::protobuf::RepeatedPtrField<std::string>& hashes) {
  if (hashes.size() > 256) return bad(what, "more than 256 hashes");
  for (const auto& h : hashes) {
    Status s = check_len(what, "hash", h, 32);
    if (!s.ok()) return s;
  }
  return Status();
}

Status check_inclusion_proof(const v1::InclusionProof& p) {
  if (p.leaf_index() >= p.tree_size()) return bad("inclusion proof", "leaf_index not below tree_size");
  return check_hashes("inclusion proof", p.hashes());
}

Status check_consistency_proof(const v1::ConsistencyProof& p) {
  if (p.size1() > p.size2()) return bad("consistency proof", "size1 above size2");
  return check_hashes("consistency proof", p.hashes());
}

Status check_state_proof(const v1::StateProof& p) {
  constexpr std::string_view what = "state proof";
  if (p.key().empty()) return bad(what, "key is empty");
  Status s = check_hashes(what, p.siblings());
  if (!s.ok()) return s;
  s = check_optional_hash(what, "other_key_hash", p.other_key_hash());
  if (!s.ok()) return s;
  return check_optional_hash(what, "other_value_hash", p.other_value_hash());
}

Status check_block(const v1::Block& b) {
  constexpr std::string_view what = "block";
  v1::BlockHeader header;
  Status s = decode_canonical(as_bytes(b.header()), limits::kMaxHeaderBytes, "block header", header);
  if (!s.ok()) return s;
  s = check_block_header(header);
  if (!s.ok()) return s;
  if (static_cast<size_t>(b.txs_size()) > limits::kMaxBlockTxs) return bad(what, "more than 10,000 txs");
  for (int i = 0; i < b.txs_size(); ++i) {
    v1::SignedTx tx;
    s = decode_canonical(as_bytes(b.txs(i)), limits::kMaxTxBytes, "tx " + std::to_string(i), tx);
    if (!s.ok()) return s;
    s = check_signed_tx(tx);
    if (!s.ok()) return s;
  }
  if (header.height() == 1 && b.has_last_commit()) return bad(what, "height 1 carries a last commit");
  if (header.height() > 1) {
    if (!b.has_last_commit()) return bad(what, "missing the certificate of the previous height");
    s = check_commit_certificate(b.last_commit());
    if (!s.ok()) return s;
  }
  for (const auto& ev : b.evidence()) {
    s = check_signed_vote(ev.vote_a());
    if (!s.ok()) return s;
    s = check_signed_vote(ev.vote_b());
    if (!s.ok()) return s;
  }
  for (const auto& ev : b.proposal_evidence()) {
    s = check_signed_proposal(ev.proposal_a());
    if (!s.ok()) return s;
    s = check_signed_proposal(ev.proposal_b());
    if (!s.ok()) return s;
  }
  return Status();
}

Status check_stored_block(const v1::StoredBlock& sb) {
  Status s = check_block(sb.block());
  if (!s.ok()) return s;
  return check_commit_certificate(sb.commit());
}
}  // namespace

Result<v1::TxBody> decode_tx_body(ByteView b) { return decode_as<v1::TxBody>(b, limits::kMaxTxBytes, "tx body", check_tx_body); }
Result<v1::SignedTx> decode_signed_tx(ByteView b) { return decode_as<v1::SignedTx>(b, limits::kMaxTxBytes, "signed tx", check_signed_tx); }
Result<v1::BlockHeader> decode_block_header(ByteView b) {
  return decode_as<v1::BlockHeader>(b, limits::kMaxHeaderBytes, "block header", check_block_header);
}
Result<v1::Block> decode_block(ByteView b) { return decode_as<v1::Block>(b, limits::kMaxBlockBytes, "block", check_block); }
Result<v1::StoredBlock> decode_stored_block(ByteView b) {
  return decode_as<v1::StoredBlock>(b, limits::kMaxBlockBytes + limits::kMaxCertificateBytes, "stored block", check_stored_block);
}
Result<v1::VoteBody> decode_vote_body(ByteView b) { return decode_as<v1::VoteBody>(b, limits::kMaxVoteBytes, "vote body", check_vote_body); }
Result<v1::SignedVote> decode_signed_vote(ByteView b) {
  return decode_as<v1::SignedVote>(b, limits::kMaxVoteBytes * 2, "signed vote", check_signed_vote);
}
Result<v1::ProposalBody> decode_proposal_body(ByteView b) {
  return decode_as<v1::ProposalBody>(b, limits::kMaxVoteBytes, "proposal body", check_proposal_body);
}
Result<v1::SignedProposal> decode_signed_proposal(ByteView b) {
  return decode_as<v1::SignedProposal>(b, limits::kMaxVoteBytes * 2, "signed proposal", check_signed_proposal);
}
Result<v1::CommitCertificate> decode_commit_certificate(ByteView b) {
  return decode_as<v1::CommitCertificate>(b, limits::kMaxCertificateBytes, "commit certificate", check_commit_certificate);
}
Result<v1::ValidatorSet> decode_validator_set(ByteView b) {
  return decode_as<v1::ValidatorSet>(b, limits::kMaxCertificateBytes, "validator set", check_validator_set);
}
Result<v1::InclusionProof> decode_inclusion_proof(ByteView b) {
  return decode_as<v1::InclusionProof>(b, limits::kMaxProofBytes, "inclusion proof", check_inclusion_proof);
}
Result<v1::ConsistencyProof> decode_consistency_proof(ByteView b) {
  return decode_as<v1::ConsistencyProof>(b, limits::kMaxProofBytes, "consistency proof", check_consistency_proof);
}
Result<v1::StateProof> decode_state_proof(ByteView b) {
  return decode_as<v1::StateProof>(b, limits::kMaxProofBytes, "state proof", check_state_proof);
}

}  // namespace joet
