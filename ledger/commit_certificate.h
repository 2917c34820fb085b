// Commit certificates: the precommits of validators holding > 2/3 of the voting power of one height,
// carried once as the shared VoteBody bytes plus a signer bitmap and one signature per signer.
// Built by consensus; verified by consensus (catch-up), the block store, the client SDK and joet-audit.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "joet.pb.h"
#include "ledger/bytes.h"
#include "ledger/validator_set.h"

namespace joet {

class BatchVerifier;

// Builds a certificate from precommits whose signatures the caller has verified. Every vote must carry
// the same body bytes (a non-nil PRECOMMIT), a distinct validator_index inside `set`, and together
// hold a quorum of `set`. Errors are kInvalidArgument.
Result<v1::CommitCertificate> build_commit_certificate(const ValidatorSet& set,
                                                       std::span<const v1::SignedVote> precommits);

// Why a certificate was refused.
enum class CertificateFault : uint8_t {
  kMalformed,          // does not decode, bitmap of the wrong length, signature count mismatch
  kWrongChain,         // vote body for another chain_id
  kWrongHeight,        // vote body for another height
  kSignerOutOfRange,   // a bitmap bit at or beyond the set's size
  kBadSignature,       // a signature that does not verify under the signer's key
  kInsufficientPower,  // signers hold <= 2/3 of the set's power
};
std::string_view certificate_fault_name(CertificateFault fault);

struct VerifiedCommit {
  v1::VoteBody body;
  Hash32 block_hash{};
  std::vector<uint32_t> signers;  // ascending validator indexes
  uint64_t signed_power = 0;
};

class [[nodiscard]] CertificateVerdict {
 public:
  CertificateVerdict(VerifiedCommit commit) : ok_(true), commit_(std::move(commit)) {}  // NOLINT
  CertificateVerdict(CertificateFault fault, std::string message)
      : ok_(false), fault_(fault), message_(std::move(message)) {}

  bool ok() const { return ok_; }
  CertificateFault fault() const {
    JOET_ASSERT(!ok_);
    return fault_;
  }
  const std::string& message() const { return message_; }
  const VerifiedCommit& commit() const {
    JOET_ASSERT(ok_);
    return commit_;
  }
  // As a Status: kMalformed, kInvalidArgument (chain, height, range, power) or kBadSignature.
  Status status() const;

 private:
  bool ok_;
  CertificateFault fault_ = CertificateFault::kMalformed;
  std::string message_;
  VerifiedCommit commit_;
};

// Verifies `cert` as the commit of `height` on `chain_id` by `set` (the set of that height): the body
// decodes canonically as a non-nil PRECOMMIT for (chain_id, height), the bitmap is exactly
// ceil(n/8) bytes with no bit >= n, there is one signature per signer and each verifies over
// tagged(kVote, body), and the signers hold > 2/3 of the power. With a verifier, the signatures are
// checked on its pool; the answer is the same.
CertificateVerdict verify_commit_certificate(const v1::CommitCertificate& cert, const ValidatorSet& set,
                                             std::string_view chain_id, uint64_t height,
                                             BatchVerifier* verifier = nullptr);

// Bitmap helpers (bit i = byte i/8, mask 1 << (i%8)).
bool bitmap_get(const std::string& bitmap, uint32_t index);
void bitmap_set(std::string& bitmap, uint32_t index);

}  // namespace joet
