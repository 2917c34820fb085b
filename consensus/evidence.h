// Evidence of equivocation: two signed votes of one validator for one (height, round, type) with
// different block hashes (v1::Evidence), or two signed proposals of one proposer for one (height,
// round) with different bodies (v1::ProposalEvidence). The engine finds it (also for votes of
// the last kEvidenceWindow heights); the next proposer puts it in a block through prepare_proposal;
// every validator checks it with check_evidence against the set of the evidence's height before it
// accepts that block.
#pragma once

#include <string_view>
#include <variant>

#include "joet.pb.h"
#include "ledger/validator_set.h"

namespace joet::consensus {

using AnyEvidence = std::variant<v1::Evidence, v1::ProposalEvidence>;

// OK iff both votes decode, name the same validator of `set`, are for the same (chain_id, height,
// round, type) with different block hashes, and both signatures verify. Typed errors otherwise.
Status check_evidence(const v1::Evidence& evidence, const ValidatorSet& set, std::string_view chain_id);
// The same for two proposals: same proposer, same (chain_id, height, round), different bodies (another
// block hash, or the same block with another time_ms or pol_round).
Status check_proposal_evidence(const v1::ProposalEvidence& evidence, const ValidatorSet& set,
                               std::string_view chain_id);
Status check_any_evidence(const AnyEvidence& evidence, const ValidatorSet& set, std::string_view chain_id);

// A stable identity of an equivocation: (kind, validator, height, round, type), for deduplication.
std::string evidence_key(const v1::Evidence& evidence);
std::string evidence_key(const AnyEvidence& evidence);

// The height the evidence is about and the offender's index in the set of that height (0 when the
// evidence does not decode: check it first).
uint64_t evidence_height(const AnyEvidence& evidence);
uint32_t evidence_offender(const AnyEvidence& evidence);

}  // namespace joet::consensus
