#include "ledger/commit_certificate.h"

#include <algorithm>

#include "ledger/batch_verifier.h"
#include "ledger/codec.h"
#include "ledger/hash.h"
#include "ledger/keys.h"

namespace joet {

namespace {
Error invalid(const std::string& why) { return make_error(ErrorCode::kInvalidArgument, "commit certificate: " + why); }
}  // namespace

bool bitmap_get(const std::string& bitmap, uint32_t index) {
  size_t byte = index / 8;
  return byte < bitmap.size() && (static_cast<uint8_t>(bitmap[byte]) & (1u << (index % 8))) != 0;
}

void bitmap_set(std::string& bitmap, uint32_t index) {
  size_t byte = index / 8;
  if (bitmap.size() <= byte) bitmap.resize(byte + 1, '\0');
  bitmap[byte] = static_cast<char>(static_cast<uint8_t>(bitmap[byte]) | (1u << (index % 8)));
}

Result<v1::CommitCertificate> build_commit_certificate(const ValidatorSet& set,
                                                       std::span<const v1::SignedVote> precommits) {
  if (precommits.empty()) return invalid("no precommits");
  const std::string& body_bytes = precommits.front().body();
  auto body = decode_vote_body(as_bytes(body_bytes));
  if (!body.ok()) return invalid("vote body: " + body.error().message);
  if (body->type() != v1::PRECOMMIT || body->block_hash().empty()) return invalid("not a precommit for a block");
  std::vector<const v1::SignedVote*> sorted;
  for (const auto& v : precommits) {
    if (v.body() != body_bytes) return invalid("precommits with different bodies");
    if (v.validator_index() >= set.size()) return invalid("validator index out of range");
    if (v.signature().size() != 64) return invalid("signature is not 64 bytes");
    sorted.push_back(&v);
  }
  std::sort(sorted.begin(), sorted.end(),
            [](const v1::SignedVote* a, const v1::SignedVote* b) { return a->validator_index() < b->validator_index(); });
  v1::CommitCertificate cert;
  cert.set_vote_body(body_bytes);
  std::string bitmap((set.size() + 7) / 8, '\0');
  uint64_t power = 0;
  for (size_t i = 0; i < sorted.size(); ++i) {
    if (i > 0 && sorted[i]->validator_index() == sorted[i - 1]->validator_index()) return invalid("duplicate validator");
    bitmap_set(bitmap, sorted[i]->validator_index());
    power += set.power(sorted[i]->validator_index());
    cert.add_signatures(sorted[i]->signature());
  }
  if (!set.is_quorum(power)) return invalid("precommits hold no quorum");
  cert.set_signers(bitmap);
  return cert;
}

std::string_view certificate_fault_name(CertificateFault fault) {
  switch (fault) {
    case CertificateFault::kMalformed: return "malformed";
    case CertificateFault::kWrongChain: return "wrong_chain";
    case CertificateFault::kWrongHeight: return "wrong_height";
    case CertificateFault::kSignerOutOfRange: return "signer_out_of_range";
    case CertificateFault::kBadSignature: return "bad_signature";
    case CertificateFault::kInsufficientPower: return "insufficient_power";
  }
  return "unknown";
}

Status CertificateVerdict::status() const {
  if (ok_) return Status();
  ErrorCode code = ErrorCode::kInvalidArgument;
  if (fault_ == CertificateFault::kMalformed) code = ErrorCode::kMalformed;
  if (fault_ == CertificateFault::kBadSignature) code = ErrorCode::kBadSignature;
  return make_error(code, "commit certificate (" + std::string(certificate_fault_name(fault_)) + "): " + message_);
}

CertificateVerdict verify_commit_certificate(const v1::CommitCertificate& cert, const ValidatorSet& set,
                                             std::string_view chain_id, uint64_t height, BatchVerifier* verifier) {
  Status s = check_commit_certificate(cert);
  if (!s.ok()) return {CertificateFault::kMalformed, s.error().message};
  VerifiedCommit out;
  s = decode_canonical(as_bytes(cert.vote_body()), limits::kMaxVoteBytes, "certificate vote body", out.body);
  if (!s.ok()) return {CertificateFault::kMalformed, s.error().message};
  if (out.body.chain_id() != chain_id) return {CertificateFault::kWrongChain, "chain_id " + out.body.chain_id()};
  if (out.body.height() != height) {
    return {CertificateFault::kWrongHeight, "height " + std::to_string(out.body.height()) + ", want " + std::to_string(height)};
  }
  std::copy(out.body.block_hash().begin(), out.body.block_hash().end(), out.block_hash.begin());
  if (cert.signers().size() != (set.size() + 7) / 8) {
    return {CertificateFault::kMalformed, "signer bitmap of " + std::to_string(cert.signers().size()) + " bytes for " +
                                              std::to_string(set.size()) + " validators"};
  }
  for (uint32_t i = 0; i < cert.signers().size() * 8; ++i) {
    if (!bitmap_get(cert.signers(), i)) continue;
    if (i >= set.size()) return {CertificateFault::kSignerOutOfRange, "signer " + std::to_string(i)};
    out.signers.push_back(i);
    out.signed_power += set.power(i);
  }
  JOET_ASSERT(out.signers.size() == static_cast<size_t>(cert.signatures_size()));  // check_commit_certificate
  Hash32 digest = tagged_hash(tags::kVote, as_bytes(cert.vote_body()));
  std::vector<VerifyItem> items;
  items.reserve(out.signers.size());
  for (size_t k = 0; k < out.signers.size(); ++k) {
    items.push_back(VerifyItem{as_bytes(set.at(out.signers[k]).public_key()), digest,
                               as_bytes(cert.signatures(static_cast<int>(k)))});
  }
  std::vector<uint8_t> good = verifier != nullptr ? verifier->verify(items) : verify_serial(items);
  for (size_t k = 0; k < good.size(); ++k) {
    if (good[k] == 0) return {CertificateFault::kBadSignature, "signature of validator " + std::to_string(out.signers[k])};
  }
  if (!set.is_quorum(out.signed_power)) {
    return {CertificateFault::kInsufficientPower, "signers hold " + std::to_string(out.signed_power) + " of " +
                                                      std::to_string(set.total_power())};
  }
  return out;
}

}  // namespace joet
