// Evidence of equivocation: two signed votes of one validator for one (height, round, type) with
// different block hashes. The engine finds it; the next proposer puts it in a block; every validator
// checks it with check_evidence before accepting that block.
#pragma once

#include <string_view>

#include "joet.pb.h"
#include "ledger/validator_set.h"

namespace joet::consensus {

// OK iff both votes decode, name the same validator of `set`, are for the same (chain_id, height,
// round, type) with different block hashes, and both signatures verify. Typed errors otherwise.
Status check_evidence(const v1::Evidence& evidence, const ValidatorSet& set, std::string_view chain_id);

// A stable identity of an equivocation: (validator, height, round, type), for deduplication.
std::string evidence_key(const v1::Evidence& evidence);

}  // namespace joet::consensus
