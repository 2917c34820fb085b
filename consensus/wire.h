// Canonical decoders for the consensus wire and WAL formats (ledger/proto/joet.proto:
// ConsensusMessage, WalRecord, ProposalEvidence), in the manner of ledger/codec.h: a size limit first,
// then joet::decode_canonical (parse + re-encode must give the same bytes), then structural checks of
// every nested signed body. No signature is checked here (consensus/message.h: verify_message), and
// no decoder asserts on its input: every failure is a typed Error.
#pragma once

#include "joet.pb.h"
#include "ledger/bytes.h"
#include "ledger/codec.h"

namespace joet::consensus {

// One network frame: a proposal with its block, or a certificate with its block, plus framing.
inline constexpr size_t kMaxMessageBytes = limits::kMaxBlockBytes + limits::kMaxCertificateBytes + 1024;
inline constexpr size_t kMaxWalPayloadBytes = kMaxMessageBytes + 64;
inline constexpr size_t kMaxEvidenceBytes = 4 * limits::kMaxVoteBytes;

Result<v1::ConsensusMessage> decode_consensus_message(ByteView bytes);
Result<v1::WalRecord> decode_wal_record(ByteView bytes);
Result<v1::ProposalEvidence> decode_proposal_evidence(ByteView bytes);

// The structural checks the decoders run (also for builders' own assertions).
Status check_consensus_message(const v1::ConsensusMessage& message);
Status check_wal_record(const v1::WalRecord& record);
Status check_signed_vote_fields(const v1::SignedVote& vote);
Status check_signed_proposal_fields(const v1::SignedProposal& proposal);

}  // namespace joet::consensus
