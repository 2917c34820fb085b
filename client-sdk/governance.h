// Governance txs (docs/contracts.md "Admission", docs/joet-client.md "governance"): institution.add,
// institution.remove, policy.set, rules.schedule and validator.update need the signatures of more than
// 2/3 of the registered institutions in one tx, each over the same body. Each institution signs on its
// own host with its own key, so the tx travels between them as a file:
//
//   build    one institution writes the unsigned body (chain id, action, nonce, args) and names the
//            first signer: the key whose nonce the body carries (the contracts check the nonce of the
//            key of the first signature, and only that one);
//   sign     each institution adds its signature to a copy (BIP-340 over tagged("joet/tx", body), as
//            build_tx signs);
//   combine  the copies become one tx: the first signer's signature first, then the others in
//            ascending order of public key, so every institution that combines gets the same bytes.
//
// Pure: no files, no clock, no network (client-sdk/governance_command.h is the CLI over it). What the
// SDK cannot know offline (which institution a key belongs to, how many are registered, the first
// signer's last nonce) the node checks on admission and answers with the contracts' code.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "client-sdk/tx_builder.h"
#include "joet.pb.h"
#include "ledger/keys.h"
#include "ledger/status.h"

namespace joet::sdk {

enum class GovernanceFault : uint8_t {
  kInvalidRequest,        // not a governance action, an empty chain id or action, nonce 0, an arg twice
  kMalformed,             // not JSON, not a governance tx file, a field of the wrong type, a body that
                          // does not decode canonically, a key or signature of the wrong length
  kFieldsMismatch,        // a file whose readable fields (chain id, action, nonce, args, tx id) are not
                          // those of its body: what a reviewer reads must be what is signed
  kDifferentBodies,       // combine: copies of different bodies
  kDifferentFirstSigner,  // combine: copies of one body naming different first signers
  kDuplicateSigner,       // a key that signs twice (two different signatures of one key)
  kBadSignature,          // a signature that does not verify over the body
  kFirstSignerMissing,    // combine: the first signer, whose nonce the body carries, has not signed
  kTooManySignatures,     // more than the kMaxTxSignatures (32) a tx may carry
};
std::string_view governance_fault_name(GovernanceFault fault);  // INVALID_REQUEST, MALFORMED, ...

struct GovernanceError {
  GovernanceFault fault = GovernanceFault::kMalformed;
  std::string message;

  std::string to_string() const;  // "DUPLICATE_SIGNER: ..."
};

// A value, or the typed reason it could not be made.
template <typename T>
using GovernanceResult = ValueOr<T, GovernanceError>;

// A governance tx on its way between institutions. Every GovernanceTx these functions return holds:
// `body` decodes canonically to a governance action's TxBody; every signature verifies over it; no key
// signs twice; at most kMaxTxSignatures signatures, in canonical order (first_signer's first when
// present, then ascending public key).
struct GovernanceTx {
  std::string body;                       // the exact TxBody bytes: what is signed, what tx_id hashes
  PublicKey first_signer;                 // whose nonce the body carries
  std::vector<v1::Signature> signatures;  // so far

  bool first_signer_signed() const;
};

// The governance actions of contracts/executor.cc kGovernanceActions.
bool is_governance_action(std::string_view action);

// build: the unsigned tx of `request` (args sorted as build_tx sorts them). `request.nonce` must be
// above the last nonce `first_signer` used. kInvalidRequest for an ordinary action or what build_tx refuses.
GovernanceResult<GovernanceTx> build_governance_tx(const TxRequest& request, const PublicKey& first_signer);

// sign: a copy of `tx` with `signer`'s signature added. kDuplicateSigner when the key signed already,
// kTooManySignatures when the copy is full.
GovernanceResult<GovernanceTx> sign_governance_tx(const GovernanceTx& tx, const PrivateKey& signer);

// combine: one tx holding every signature of the copies, in canonical order. The copies must have one
// body (kDifferentBodies) and one first signer (kDifferentFirstSigner); a signature present in several
// copies (a signed copy passed on and signed again) counts once, but one key with two different
// signatures is kDuplicateSigner. The first signer must have signed (kFirstSignerMissing): the
// result is what to submit. An empty `copies` is kInvalidRequest.
GovernanceResult<GovernanceTx> combine_governance_txs(std::span<const GovernanceTx> copies);

// The SignedTx to submit (signatures in canonical order); kFirstSignerMissing without its signature.
GovernanceResult<v1::SignedTx> to_signed_tx(const GovernanceTx& tx);

// The file form (JSON, docs/joet-client.md "governance"): the body in hex and, for the reviewer, its
// fields decoded, the tx id, the first signer and the signatures. Deterministic, ends in a newline.
std::string governance_tx_json(const GovernanceTx& tx);

// Reads the file form, checking everything a GovernanceTx holds and that the readable fields are
// exactly the body's (kFieldsMismatch). kMalformed for text that is not JSON or not this format.
GovernanceResult<GovernanceTx> parse_governance_tx_json(std::string_view text);

}  // namespace joet::sdk
