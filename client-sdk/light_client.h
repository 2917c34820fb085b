// The light client's verification core: what a case system or an auditor checks before it believes
// one record a node sent, trusting only a validator set (from genesis.json, or one it verified
// before), never the node that answers. Pure functions over bytes: no I/O, no clock. The fetching
// side (client-sdk/light_client_rpc.h) gets the bundles from GET /v1/headers, /v1/validators,
// /v1/state, /v1/cases and /v1/txs/{id}/proof (docs/rpc.md "Proofs") and hands them to these.
//
// The chain of trust (decision 0009):
//   1. A TrustedValidators names the set that certifies exactly one height of one chain.
//   2. verify_header: a header of that height and chain, naming that set (validator_set_hash), whose
//      commit certificate is a PRECOMMIT quorum (> 2/3 of the power) of that set for this header's
//      block hash. The header then commits to state_root, tx_root, events_root and the next set.
//   3. advance: the set of height + 1 is the one whose hash the verified header names as
//      next_validator_set_hash (the same set when the hashes are equal; else the caller supplies the
//      set's bytes, from GET /v1/validators/{height + 1}, and their hash must match). Following the
//      chain height by height is sound across any validator.update: every set is vouched for by a
//      quorum of the set before it.
//   4. verify_state_bundle / verify_tx_bundle: a verified header plus a proof against its state_root
//      (sparse Merkle, inclusion or non-inclusion) or tx_root (RFC 6962), for exactly the key or tx
//      asked for; from rules version 3 the tx's result too, against results_root (decision 0017).
// Every refusal is a LightClientError with a LightFault (stable names for exit codes and logs).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "contracts.pb.h"
#include "joet.pb.h"
#include "ledger/bytes.h"
#include "ledger/status.h"
#include "ledger/validator_set.h"

namespace joet::sdk {

enum class LightFault : uint8_t {
  kMalformed,       // bytes that do not decode (header, certificate, proof, set, tx)
  kWrongChain,      // a header or vote for another chain_id than the trusted one
  kWrongHeight,     // a header (or vote) of another height than the one being verified
  kUntrustedSet,    // the header names another set than the trusted one; a fetched set whose hash
                    // is not the next_validator_set_hash of the verified header
  kNoQuorum,        // the certificate's signers hold <= 2/3 of the trusted set's power
  kBadSignature,    // a certificate signature that does not verify
  kBadCertificate,  // a malformed certificate: bitmap, signer out of range, signature count
  kWrongBlock,      // a valid certificate for another block than this header (a changed header)
  kProofMismatch,   // a state or inclusion proof that does not lead to the header's root
  kKeyMismatch,     // a proof of another key, a tx with another id than the one asked for
  kUnavailable,     // (fetching side only) the node did not answer or answered an error
};
std::string_view light_fault_name(LightFault fault);  // MALFORMED, WRONG_CHAIN, ..., UNAVAILABLE

struct LightClientError {
  LightFault fault = LightFault::kMalformed;
  std::string message;

  std::string to_string() const;  // "NO_QUORUM: ..."
  // As the repository's Error: kMalformed, kInvalidArgument (chain, height, set, quorum, block,
  // key), kBadSignature, kBadProof or kIoError (unavailable); the message names the fault.
  Error to_error() const;
};

// A verified value, or why it was refused.
template <typename T>
using Verified = ValueOr<T, LightClientError>;

inline LightClientError light_error(LightFault fault, std::string message) {
  return LightClientError{fault, std::move(message)};
}

// The set trusted to certify `height` of `chain_id`. From genesis: height 1 and the genesis set.
struct TrustedValidators {
  std::string chain_id;
  uint64_t height = 0;
  ValidatorSet set;
};

// A header verified by a trusted set.
struct VerifiedHeader {
  v1::BlockHeader header;
  Bytes header_bytes;
  Hash32 block_hash{};
  uint64_t signed_power = 0;  // of the certificate's signers, in the trusted set
};

// Step 2 above: `header_bytes` (a serialized BlockHeader) and `certificate` for trusted.height.
Verified<VerifiedHeader> verify_header(const TrustedValidators& trusted, ByteView header_bytes,
                                       ByteView certificate_bytes);

// Step 3 above: the trust for header.height + 1. `next_set_bytes` (a serialized ValidatorSet) is
// needed only when the header's next_validator_set_hash differs from its validator_set_hash; when
// given it is checked in any case. JOET_ASSERTs that `header` was verified under `trusted`
// (same chain and height).
Verified<TrustedValidators> advance(const TrustedValidators& trusted, const VerifiedHeader& header,
                                    std::optional<ByteView> next_set_bytes);

// A state key under a certified header (GET /v1/state, /v1/cases): the bytes as the RPC sends them.
struct StateBundle {
  Bytes header;       // serialized BlockHeader
  Bytes certificate;  // serialized CommitCertificate of that header's height
  Bytes proof;        // serialized StateProof
};

struct VerifiedState {
  VerifiedHeader header;
  Bytes key;
  std::optional<Bytes> value;  // nullopt: proven absent at this height
};

// The header under `trusted` (whose height is the bundle's), then the proof against its state_root,
// for exactly `key`.
Verified<VerifiedState> verify_state_bundle(const TrustedValidators& trusted, const StateBundle& bundle,
                                            ByteView key);

// A tx in its block (GET /v1/txs/{tx_id}/proof).
struct TxBundle {
  Bytes header;
  Bytes certificate;
  Bytes tx;     // serialized SignedTx, as in the block
  Bytes proof;  // serialized InclusionProof in the header's tx_root
  // The tx's result (ledger/tx_result.h), required when the header has a results_root (rules version
  // 3 on) and ignored before: the serialized TxResultLeaf and its InclusionProof in results_root.
  Bytes result_leaf;
  Bytes result_proof;
};

struct VerifiedTx {
  VerifiedHeader header;
  v1::SignedTx tx;
  Hash32 tx_id{};
  uint64_t index = 0;  // position in the block's txs
  // How it ended ("OK" or the refusal code, and the message), proven against the header's
  // results_root; nullopt for a block whose rules version commits no results (before version 3).
  std::optional<v1::TxResultLeaf> result;
};

Verified<VerifiedTx> verify_tx_bundle(const TrustedValidators& trusted, const TxBundle& bundle, const Hash32& tx_id);

// One page of a recipient's events of one height (GET /v1/events/proof). Events live in state at
// c/ev/<recipient>/<seq>, numbered from 1 per recipient in the order of their heights (contracts/
// notifications.h), so the events of one height are one run of sequence numbers: proving each event
// of the run, the event before it (of an earlier height) and the event after it (absent, or of a
// later height) proves the run whole, under the header of that height. Works for every rules version.
struct EventsBundle {
  Bytes header;
  Bytes certificate;
  uint64_t first_seq = 0;      // the seq of the first event of the page
  std::vector<Bytes> events;   // serialized StateProof of c/ev/<recipient>/<first_seq + i>
  Bytes before;                // StateProof of first_seq - 1; empty when first_seq is 1 or on a later page
  Bytes next;                  // StateProof of the seq after the last event of the page
};

struct VerifiedEvents {
  VerifiedHeader header;
  std::vector<contracts::v1::Event> events;
  bool complete = false;  // no further event of the recipient at this height; else ask after the last seq
};

// The header under `trusted` (of the events' height), then the run. `after`: nullopt for the first
// page; the last seq of the previous page (of the same height) for a later one.
Verified<VerifiedEvents> verify_events_bundle(const TrustedValidators& trusted, const EventsBundle& bundle,
                                              std::string_view recipient, std::optional<uint64_t> after);

}  // namespace joet::sdk
