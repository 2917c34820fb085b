// validator.update (governance: more than 2/3 of the registered institutions sign, executor.h): the
// next validator set, in force from the tx's height + 2 (ARCHITECTURE.md), so that the header of
// height + 1 carries its hash as next_validator_set_hash. Stored at c/meta/next_validators.
//
// Args, for i = 0 .. n-1 with 1 <= n <= limits::kMaxValidators (and kMaxTxArgs bounds n further):
//   validator.<i>.key          hash, the 32-byte x-only consensus key
//   validator.<i>.power        integer, 1 .. kMaxValidatorPower
//   validator.<i>.institution  text, optional: a registered institution that runs it
// The order of i is the validator_index order of the set.
#pragma once

#include <cstdint>
#include <optional>

#include "contracts/outcome.h"
#include "contracts/tx_context.h"
#include "joet.pb.h"
#include "ledger/kv_store.h"

namespace joet {

inline constexpr int64_t kMaxValidatorPower = int64_t{1} << 50;  // ledger/validator_set.h

Outcome validator_update(TxContext& ctx);

struct ValidatorUpdate {
  uint64_t effective_height = 0;
  v1::ValidatorSet set;
};

// The last validator.update in the (committed) state, or nullopt when there was none. kCorruption
// when the stored value does not parse or its set fails check_validator_set.
Result<std::optional<ValidatorUpdate>> last_validator_update(const KvReader& state);

// The validator set that validator.update put in force from exactly `height`, or nullopt. The node,
// having executed block h, asks for h + 2 to fill the next_validator_set_hash of header h + 1.
Result<std::optional<v1::ValidatorSet>> pending_validator_set(const KvReader& state, uint64_t height);

}  // namespace joet
