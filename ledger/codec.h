// Decoders for everything that arrives from outside (peers, clients, disk): a size limit first, then
// a protobuf parse, then the canonical-encoding check (re-encoding must give the same bytes, so one
// content has exactly one encoding and one hash), then structural checks (lengths of keys, hashes and
// signatures). Every failure is a typed Error; no decoder asserts on its input.
#pragma once

#include <string>
#include <string_view>

#include "joet.pb.h"
#include "ledger/bytes.h"

namespace joet {

namespace limits {
inline constexpr size_t kMaxTxBytes = 64 * 1024;
inline constexpr size_t kMaxTxSignatures = 32;
inline constexpr size_t kMaxTxArgs = 64;
inline constexpr size_t kMaxArgTextBytes = 256;
inline constexpr size_t kMaxBlockBytes = 16 * 1024 * 1024;
inline constexpr size_t kMaxBlockTxs = 10'000;
inline constexpr size_t kMaxVoteBytes = 1024;
inline constexpr size_t kMaxValidators = 256;
inline constexpr size_t kMaxCertificateBytes = 64 * 1024;
inline constexpr size_t kMaxProofBytes = 64 * 1024;
inline constexpr size_t kMaxHeaderBytes = 4 * 1024;
inline constexpr size_t kMaxChainIdBytes = 64;
inline constexpr size_t kMaxActionBytes = 64;
}  // namespace limits

// Deterministic serialization: the bytes that get signed, hashed and stored.
Bytes encode(const google::protobuf::MessageLite& message);

// The generic decoder: size limit, parse, canonical check. `what` names the object in errors.
Status decode_canonical(ByteView bytes, size_t max_bytes, std::string_view what,
                        google::protobuf::Message& out);

Result<v1::TxBody> decode_tx_body(ByteView bytes);
Result<v1::SignedTx> decode_signed_tx(ByteView bytes);
Result<v1::BlockHeader> decode_block_header(ByteView bytes);
Result<v1::Block> decode_block(ByteView bytes);
Result<v1::StoredBlock> decode_stored_block(ByteView bytes);
Result<v1::VoteBody> decode_vote_body(ByteView bytes);
Result<v1::SignedVote> decode_signed_vote(ByteView bytes);
Result<v1::ProposalBody> decode_proposal_body(ByteView bytes);
Result<v1::SignedProposal> decode_signed_proposal(ByteView bytes);
Result<v1::CommitCertificate> decode_commit_certificate(ByteView bytes);
Result<v1::ValidatorSet> decode_validator_set(ByteView bytes);
Result<v1::InclusionProof> decode_inclusion_proof(ByteView bytes);
Result<v1::ConsistencyProof> decode_consistency_proof(ByteView bytes);
Result<v1::StateProof> decode_state_proof(ByteView bytes);

// Structural checks of already-parsed messages (the decoders above call them; so can builders).
Status check_tx_body(const v1::TxBody& body);
Status check_signed_tx(const v1::SignedTx& tx);
Status check_block_header(const v1::BlockHeader& header);
Status check_vote_body(const v1::VoteBody& body);
Status check_commit_certificate(const v1::CommitCertificate& cert);
Status check_validator_set(const v1::ValidatorSet& set);

}  // namespace joet
