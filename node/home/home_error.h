// The errors of the operator's files (genesis.json, config.json, key files): a kind, the file and the
// JSON path of the offending value. Bad input is a HomeError, never an assertion; the CLI maps every
// kind except kIo (the operating system failed) to exit status 2 (docs/joet-node.md).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace joet::home {

enum class HomeErrorKind {
  kIo,                    // the operating system failed to read, write or sync
  kNotFound,              // a file or directory that should be there is not
  kAlreadyExists,         // a file that must not be overwritten (a key, a home) is there
  kInsecurePermissions,   // a key file that group or others may access
  kTooLarge,              // a file over its size limit
  kSyntax,                // not JSON
  kMissingField,          // a required field is absent
  kUnknownField,          // a field the format does not have (a typo, usually)
  kWrongType,             // a field of the wrong JSON type
  kBadValue,              // a value out of range or not of the expected form
  kBadRole,               // a role that is not COURT, RVDK, MUNICIPALITY, GI or AUDITOR
  kBadKey,                // not 64 lower-case hex digits of a valid x-only key (or secret)
  kBadTime,               // not YYYY-MM-DDTHH:MM:SS[.mmm]Z in 1900..9999
  kBadAddress,            // not host:port
  kDuplicate,             // an id or key given twice
  kUnknownInstitution,    // a validator's institution that the genesis does not register
  kUnknownPolicy,         // a policy parameter contracts/policy.h does not have
  kInUse,                 // a file a running node holds (its signing guard's lock): stop the node first
};

std::string_view home_error_name(HomeErrorKind kind);  // e.g. "BAD_KEY"

struct HomeError {
  HomeErrorKind kind = HomeErrorKind::kSyntax;
  std::string file;  // "" when parsed from a string
  std::string path;  // the JSON path, e.g. "validators[2].power"; "" for the whole document
  std::string message;

  // "<file>: <path>: <NAME>: <message>" (the file and path parts only when known).
  std::string to_string() const;
  // Bad input (exit 2) rather than a failure of the operating system (exit 1).
  bool is_bad_input() const { return kind != HomeErrorKind::kIo; }
};

// A value or the first error found.
template <typename T>
struct Loaded {
  std::optional<T> value;
  HomeError error;

  bool ok() const { return value.has_value(); }
  static Loaded failure(HomeError e) {
    Loaded out;
    out.error = std::move(e);
    return out;
  }
};

}  // namespace joet::home
