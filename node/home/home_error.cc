#include "node/home/home_error.h"

#include "ledger/status.h"

namespace joet::home {

std::string_view home_error_name(HomeErrorKind kind) {
  switch (kind) {
    case HomeErrorKind::kIo: return "IO";
    case HomeErrorKind::kNotFound: return "NOT_FOUND";
    case HomeErrorKind::kAlreadyExists: return "ALREADY_EXISTS";
    case HomeErrorKind::kInsecurePermissions: return "INSECURE_PERMISSIONS";
    case HomeErrorKind::kTooLarge: return "TOO_LARGE";
    case HomeErrorKind::kSyntax: return "SYNTAX";
    case HomeErrorKind::kMissingField: return "MISSING_FIELD";
    case HomeErrorKind::kUnknownField: return "UNKNOWN_FIELD";
    case HomeErrorKind::kWrongType: return "WRONG_TYPE";
    case HomeErrorKind::kBadValue: return "BAD_VALUE";
    case HomeErrorKind::kBadRole: return "BAD_ROLE";
    case HomeErrorKind::kBadKey: return "BAD_KEY";
    case HomeErrorKind::kBadTime: return "BAD_TIME";
    case HomeErrorKind::kBadAddress: return "BAD_ADDRESS";
    case HomeErrorKind::kDuplicate: return "DUPLICATE";
    case HomeErrorKind::kUnknownInstitution: return "UNKNOWN_INSTITUTION";
    case HomeErrorKind::kUnknownPolicy: return "UNKNOWN_POLICY";
    case HomeErrorKind::kInUse: return "IN_USE";
  }
  JOET_ASSERT(false);
}

std::string HomeError::to_string() const {
  std::string out;
  if (!file.empty()) out += file + ": ";
  if (!path.empty()) out += path + ": ";
  return out + std::string(home_error_name(kind)) + ": " + message;
}

}  // namespace joet::home
