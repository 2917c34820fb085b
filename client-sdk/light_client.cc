#include "client-sdk/light_client.h"

#include <vector>

#include "contracts/state.h"
#include "ledger/block.h"
#include "ledger/codec.h"
#include "ledger/commit_certificate.h"
#include "ledger/merkle.h"
#include "ledger/smt.h"

namespace joet::sdk {

namespace {

std::string hex(const std::string& bytes) { return to_hex(as_bytes(bytes)); }

LightFault fault_of(CertificateFault fault) {
  switch (fault) {
    case CertificateFault::kWrongChain: return LightFault::kWrongChain;
    case CertificateFault::kWrongHeight: return LightFault::kWrongHeight;
    case CertificateFault::kBadSignature: return LightFault::kBadSignature;
    case CertificateFault::kInsufficientPower: return LightFault::kNoQuorum;
    case CertificateFault::kMalformed:
    case CertificateFault::kSignerOutOfRange: return LightFault::kBadCertificate;
  }
  return LightFault::kBadCertificate;
}

// The result of tx `id`, at the tx's own `index` in the verified header's results_root.
Verified<v1::TxResultLeaf> verify_result(const VerifiedHeader& header, const TxBundle& bundle, const Hash32& id,
                                         const v1::InclusionProof& tx_proof) {
  const std::string where = "the result of tx " + to_hex(id) + " in the results_root of height " +
                            std::to_string(header.header.height());
  if (bundle.result_leaf.empty() || bundle.result_proof.empty()) {
    return light_error(LightFault::kProofMismatch, where + ": the header commits results, the answer proves none");
  }
  v1::TxResultLeaf leaf;
  if (!leaf.ParseFromArray(bundle.result_leaf.data(), static_cast<int>(bundle.result_leaf.size()))) {
    return light_error(LightFault::kMalformed, "result leaf: does not decode");
  }
  if (leaf.tx_id() != to_string(id)) {
    return light_error(LightFault::kKeyMismatch, "the result is of tx " + hex(leaf.tx_id()) + ", not " + to_hex(id));
  }
  Result<v1::InclusionProof> proof = decode_inclusion_proof(bundle.result_proof);
  if (!proof.ok()) return light_error(LightFault::kMalformed, "result proof: " + proof.error().message);
  if (proof->leaf_index() != tx_proof.leaf_index() || proof->tree_size() != tx_proof.tree_size()) {
    return light_error(LightFault::kProofMismatch, where + ": proven at index " + std::to_string(proof->leaf_index()) +
                                                       " of " + std::to_string(proof->tree_size()) + ", the tx at " +
                                                       std::to_string(tx_proof.leaf_index()) + " of " +
                                                       std::to_string(tx_proof.tree_size()));
  }
  std::vector<Bytes> path;
  for (const std::string& h : proof->hashes()) path.emplace_back(h.begin(), h.end());
  const Status checked = verify_inclusion(proof->leaf_index(), proof->tree_size(), leaf_hash(bundle.result_leaf), path,
                                          as_bytes(header.header.results_root()));
  if (!checked.ok()) return light_error(LightFault::kProofMismatch, where + ": " + checked.error().message);
  return leaf;
}

}  // namespace

std::string_view light_fault_name(LightFault fault) {
  switch (fault) {
    case LightFault::kMalformed: return "MALFORMED";
    case LightFault::kWrongChain: return "WRONG_CHAIN";
    case LightFault::kWrongHeight: return "WRONG_HEIGHT";
    case LightFault::kUntrustedSet: return "UNTRUSTED_SET";
    case LightFault::kNoQuorum: return "NO_QUORUM";
    case LightFault::kBadSignature: return "BAD_SIGNATURE";
    case LightFault::kBadCertificate: return "BAD_CERTIFICATE";
    case LightFault::kWrongBlock: return "WRONG_BLOCK";
    case LightFault::kProofMismatch: return "PROOF_MISMATCH";
    case LightFault::kKeyMismatch: return "KEY_MISMATCH";
    case LightFault::kUnavailable: return "UNAVAILABLE";
  }
  return "UNKNOWN";
}

std::string LightClientError::to_string() const { return std::string(light_fault_name(fault)) + ": " + message; }

Error LightClientError::to_error() const {
  ErrorCode code = ErrorCode::kInvalidArgument;
  switch (fault) {
    case LightFault::kMalformed:
    case LightFault::kBadCertificate: code = ErrorCode::kMalformed; break;
    case LightFault::kBadSignature: code = ErrorCode::kBadSignature; break;
    case LightFault::kProofMismatch: code = ErrorCode::kBadProof; break;
    case LightFault::kUnavailable: code = ErrorCode::kIoError; break;
    case LightFault::kWrongChain:
    case LightFault::kWrongHeight:
    case LightFault::kUntrustedSet:
    case LightFault::kNoQuorum:
    case LightFault::kWrongBlock:
    case LightFault::kKeyMismatch: code = ErrorCode::kInvalidArgument; break;
  }
  return make_error(code, to_string());
}

Verified<VerifiedHeader> verify_header(const TrustedValidators& trusted, ByteView header_bytes,
                                       ByteView certificate_bytes) {
  Result<v1::BlockHeader> header = decode_block_header(header_bytes);
  if (!header.ok()) return light_error(LightFault::kMalformed, "header: " + header.error().message);
  Result<v1::CommitCertificate> cert = decode_commit_certificate(certificate_bytes);
  if (!cert.ok()) return light_error(LightFault::kBadCertificate, "certificate: " + cert.error().message);
  const uint64_t height = header->height();
  if (header->chain_id() != trusted.chain_id) {
    return light_error(LightFault::kWrongChain,
                       "the header is of chain \"" + header->chain_id() + "\", not \"" + trusted.chain_id + "\"");
  }
  if (height != trusted.height) {
    return light_error(LightFault::kWrongHeight, "the header is of height " + std::to_string(height) +
                                                     ", the trusted set certifies height " +
                                                     std::to_string(trusted.height));
  }
  if (header->validator_set_hash() != to_string(trusted.set.hash())) {
    return light_error(LightFault::kUntrustedSet, "header " + std::to_string(height) + " names validator set " +
                                                      hex(header->validator_set_hash()) + ", the trusted set is " +
                                                      to_hex(trusted.set.hash()));
  }
  const CertificateVerdict verdict = verify_commit_certificate(*cert, trusted.set, trusted.chain_id, height);
  if (!verdict.ok()) {
    return light_error(fault_of(verdict.fault()), "the certificate of height " + std::to_string(height) + ": " +
                                                      std::string(certificate_fault_name(verdict.fault())) + ": " +
                                                      verdict.message());
  }
  const Hash32 hash = block_hash(header_bytes);
  if (verdict.commit().block_hash != hash) {
    return light_error(LightFault::kWrongBlock, "the certificate of height " + std::to_string(height) +
                                                    " commits block " + to_hex(verdict.commit().block_hash) +
                                                    ", this header is block " + to_hex(hash));
  }
  VerifiedHeader out;
  out.header = std::move(header).value();
  out.header_bytes = Bytes(header_bytes.begin(), header_bytes.end());
  out.block_hash = hash;
  out.signed_power = verdict.commit().signed_power;
  return out;
}

Verified<TrustedValidators> advance(const TrustedValidators& trusted, const VerifiedHeader& header,
                                    std::optional<ByteView> next_set_bytes) {
  JOET_ASSERT(header.header.chain_id() == trusted.chain_id);
  JOET_ASSERT(header.header.height() == trusted.height);
  JOET_ASSERT(header.header.validator_set_hash() == to_string(trusted.set.hash()));
  const std::string& next_hash = header.header.next_validator_set_hash();
  const uint64_t next_height = trusted.height + 1;
  if (!next_set_bytes.has_value()) {
    if (next_hash != header.header.validator_set_hash()) {
      return light_error(LightFault::kUntrustedSet, "the validators change at height " + std::to_string(next_height) +
                                                        ": the set with hash " + hex(next_hash) + " is needed");
    }
    return TrustedValidators{trusted.chain_id, next_height, trusted.set};
  }
  Result<v1::ValidatorSet> decoded = decode_validator_set(*next_set_bytes);
  if (!decoded.ok()) return light_error(LightFault::kMalformed, "validator set: " + decoded.error().message);
  Result<ValidatorSet> set = ValidatorSet::create(std::move(decoded).value());
  if (!set.ok()) return light_error(LightFault::kMalformed, "validator set: " + set.error().message);
  if (to_string(set->hash()) != next_hash) {
    return light_error(LightFault::kUntrustedSet, "the validator set offered for height " +
                                                      std::to_string(next_height) + " has hash " +
                                                      to_hex(set->hash()) + ", header " +
                                                      std::to_string(trusted.height) + " names " + hex(next_hash));
  }
  return TrustedValidators{trusted.chain_id, next_height, std::move(set).value()};
}

namespace {

// A state proof under a verified header: of exactly `key`, leading to the header's state_root.
Verified<v1::StateProof> proven_state(const VerifiedHeader& header, ByteView proof_bytes, ByteView key) {
  Result<v1::StateProof> proof = decode_state_proof(proof_bytes);
  if (!proof.ok()) return light_error(LightFault::kMalformed, "state proof: " + proof.error().message);
  if (proof->key() != to_string(key)) {
    return light_error(LightFault::kKeyMismatch, "the proof is of key " + hex(proof->key()) + ", not of " + to_hex(key));
  }
  Result<Hash32> root = hash32_from_bytes(as_bytes(header.header.state_root()));
  if (!root.ok()) return light_error(LightFault::kMalformed, "the header's state_root is not 32 bytes");
  const Status checked = verify_state_proof(*root, *proof);
  if (!checked.ok()) {
    return light_error(LightFault::kProofMismatch, "the proof of key " + to_hex(key) + " against the state_root of height " +
                                                       std::to_string(header.header.height()) + ": " + checked.error().message);
  }
  return std::move(proof).value();
}

// The recipient's event `seq`, proven under `header`: nullopt when proven absent.
Verified<std::optional<contracts::v1::Event>> proven_event(const VerifiedHeader& header, ByteView proof_bytes,
                                                           std::string_view recipient, uint64_t seq) {
  Verified<v1::StateProof> proof = proven_state(header, proof_bytes, state_keys::event(recipient, seq));
  if (!proof.ok()) return proof.error();
  if (!proof->present()) return std::optional<contracts::v1::Event>();
  contracts::v1::Event e;
  if (!e.ParseFromString(proof->value()) || e.recipient() != recipient || e.seq() != seq) {
    return light_error(LightFault::kMalformed, "the value at event " + std::to_string(seq) + " of " +
                                                   std::string(recipient) + " is not that event");
  }
  return std::optional<contracts::v1::Event>(std::move(e));
}

}  // namespace

Verified<VerifiedState> verify_state_bundle(const TrustedValidators& trusted, const StateBundle& bundle,
                                            ByteView key) {
  Verified<VerifiedHeader> header = verify_header(trusted, bundle.header, bundle.certificate);
  if (!header.ok()) return header.error();
  Verified<v1::StateProof> proof = proven_state(*header, bundle.proof, key);
  if (!proof.ok()) return proof.error();
  VerifiedState out;
  out.header = std::move(header).value();
  out.key = Bytes(key.begin(), key.end());
  if (proof->present()) out.value = Bytes(proof->value().begin(), proof->value().end());
  return out;
}

Verified<VerifiedTx> verify_tx_bundle(const TrustedValidators& trusted, const TxBundle& bundle, const Hash32& id) {
  Verified<VerifiedHeader> header = verify_header(trusted, bundle.header, bundle.certificate);
  if (!header.ok()) return header.error();
  Result<v1::SignedTx> tx = decode_signed_tx(bundle.tx);
  if (!tx.ok()) return light_error(LightFault::kMalformed, "tx: " + tx.error().message);
  const Hash32 got = tx_id(*tx);
  if (got != id) return light_error(LightFault::kKeyMismatch, "the tx is " + to_hex(got) + ", not " + to_hex(id));
  Result<v1::InclusionProof> proof = decode_inclusion_proof(bundle.proof);
  if (!proof.ok()) return light_error(LightFault::kMalformed, "inclusion proof: " + proof.error().message);
  std::vector<Bytes> path;
  for (const std::string& h : proof->hashes()) path.emplace_back(h.begin(), h.end());
  const Hash32 leaf = leaf_hash(bundle.tx);
  const Status checked = verify_inclusion(proof->leaf_index(), proof->tree_size(), leaf, path,
                                          as_bytes(header->header.tx_root()));
  if (!checked.ok()) {
    return light_error(LightFault::kProofMismatch, "tx " + to_hex(id) + " in the tx_root of height " +
                                                       std::to_string(trusted.height) + ": " + checked.error().message);
  }
  VerifiedTx out;
  if (!header->header.results_root().empty()) {
    Verified<v1::TxResultLeaf> result = verify_result(*header, bundle, id, *proof);
    if (!result.ok()) return result.error();
    out.result = std::move(result).value();
  }
  out.header = std::move(header).value();
  out.tx = std::move(tx).value();
  out.tx_id = got;
  out.index = proof->leaf_index();
  return out;
}

Verified<VerifiedEvents> verify_events_bundle(const TrustedValidators& trusted, const EventsBundle& bundle,
                                              std::string_view recipient, std::optional<uint64_t> after) {
  Verified<VerifiedHeader> header = verify_header(trusted, bundle.header, bundle.certificate);
  if (!header.ok()) return header.error();
  const uint64_t height = header->header.height();
  const std::string of = " of " + std::string(recipient) + " at height " + std::to_string(height);
  if (bundle.first_seq == 0 || (after && bundle.first_seq != *after + 1)) {
    return light_error(LightFault::kKeyMismatch, "the page starts at event " + std::to_string(bundle.first_seq) +
                                                     (after ? ", not after " + std::to_string(*after) : std::string()));
  }
  if (!after && bundle.first_seq > 1) {
    // The run starts here only if the event before it is of an earlier height.
    if (bundle.before.empty()) {
      return light_error(LightFault::kProofMismatch, "no proof that event " + std::to_string(bundle.first_seq - 1) + of +
                                                         " is of an earlier height");
    }
    Verified<std::optional<contracts::v1::Event>> e = proven_event(*header, bundle.before, recipient, bundle.first_seq - 1);
    if (!e.ok()) return e.error();
    if (!e->has_value() || (*e)->height() >= height) {
      return light_error(LightFault::kProofMismatch, "event " + std::to_string(bundle.first_seq - 1) + of +
                                                         " is not of an earlier height: the page leaves events out");
    }
  }
  VerifiedEvents out;
  for (size_t i = 0; i < bundle.events.size(); ++i) {
    const uint64_t seq = bundle.first_seq + i;
    Verified<std::optional<contracts::v1::Event>> e = proven_event(*header, bundle.events[i], recipient, seq);
    if (!e.ok()) return e.error();
    if (!e->has_value() || (*e)->height() != height) {
      return light_error(LightFault::kProofMismatch, "event " + std::to_string(seq) + of + " is not of that height");
    }
    out.events.push_back(std::move(**e));
  }
  const uint64_t next_seq = bundle.first_seq + bundle.events.size();
  Verified<std::optional<contracts::v1::Event>> next = proven_event(*header, bundle.next, recipient, next_seq);
  if (!next.ok()) return next.error();
  if (next->has_value() && (*next)->height() != height) {
    // The state after block `height` holds no event of a later height.
    return light_error(LightFault::kProofMismatch, "event " + std::to_string(next_seq) + of + " is of height " +
                                                       std::to_string((*next)->height()));
  }
  out.complete = !next->has_value();
  if (!out.complete && out.events.empty()) {
    return light_error(LightFault::kProofMismatch, "an empty page" + of + " that is not the end of the run");
  }
  out.header = std::move(header).value();
  return out;
}

}  // namespace joet::sdk
