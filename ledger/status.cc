#include "ledger/status.h"

namespace joet {

std::string_view error_code_name(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument: return "INVALID_ARGUMENT";
    case ErrorCode::kMalformed: return "MALFORMED";
    case ErrorCode::kTooLarge: return "TOO_LARGE";
    case ErrorCode::kNonCanonical: return "NON_CANONICAL";
    case ErrorCode::kBadSignature: return "BAD_SIGNATURE";
    case ErrorCode::kBadProof: return "BAD_PROOF";
    case ErrorCode::kNotFound: return "NOT_FOUND";
    case ErrorCode::kCorruption: return "CORRUPTION";
    case ErrorCode::kIoError: return "IO_ERROR";
    case ErrorCode::kConflict: return "CONFLICT";
    case ErrorCode::kUnsupported: return "UNSUPPORTED";
  }
  return "UNKNOWN";
}

std::string Error::to_string() const { return std::string(error_code_name(code)) + ": " + message; }

}  // namespace joet
