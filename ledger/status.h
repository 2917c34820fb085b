// Errors as values across module boundaries (leveldb::Status / absl::StatusOr style).
// Expected failures (I/O, parse, bad input) travel as Error; programmer errors are JOET_ASSERTs.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace joet {

// Invariant check that stays on in release builds. Never use it on untrusted input.
#define JOET_ASSERT(cond)                                                                  \
  do {                                                                                     \
    if (!(cond)) {                                                                         \
      std::fprintf(stderr, "%s:%d: invariant violated: %s\n", __FILE__, __LINE__, #cond);  \
      std::abort();                                                                        \
    }                                                                                      \
  } while (0)

enum class ErrorCode {
  kInvalidArgument,  // a caller passed a value outside the contract of the function
  kMalformed,        // bytes that do not decode (protobuf, hex, base64, JSON)
  kTooLarge,         // input over a size limit
  kNonCanonical,     // decodes, but not in the one canonical encoding
  kBadSignature,     // a signature that does not verify
  kBadProof,         // a Merkle proof that does not verify
  kNotFound,         // a key, block or file that is not there
  kCorruption,       // stored data that fails its checks: stop, never guess
  kIoError,          // the operating system or LevelDB failed
  kConflict,         // the operation contradicts stored state (e.g. a height out of order)
  kUnsupported,      // valid data this build cannot process (e.g. a newer rules version): upgrade
};

std::string_view error_code_name(ErrorCode code);

struct Error {
  ErrorCode code;
  std::string message;

  std::string to_string() const;
};

inline Error make_error(ErrorCode code, std::string message) { return Error{code, std::move(message)}; }

// Status: ok, or an Error.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error) : error_(std::move(error)) {}  // NOLINT: implicit by design, `return make_error(...)`.

  static Status ok_status() { return Status(); }
  bool ok() const { return !error_.has_value(); }
  const Error& error() const {
    JOET_ASSERT(error_.has_value());
    return *error_;
  }
  std::string to_string() const { return ok() ? "OK" : error_->to_string(); }

 private:
  std::optional<Error> error_;
};

// A value, or an error of type E: Result<T> below (E = Error), and modules' own, whose error is a fault
// enum their callers branch on with a message (the light client's Verified<T>, governance's
// GovernanceResult<T>).
template <typename T, typename E>
class [[nodiscard]] ValueOr {
 public:
  ValueOr(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design.
  ValueOr(E error) : v_(std::move(error)) {}  // NOLINT: implicit by design.

  bool ok() const { return std::holds_alternative<T>(v_); }
  const T& value() const& {
    JOET_ASSERT(ok());
    return std::get<T>(v_);
  }
  T& value() & {
    JOET_ASSERT(ok());
    return std::get<T>(v_);
  }
  T&& value() && {
    JOET_ASSERT(ok());
    return std::get<T>(std::move(v_));
  }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }
  const E& error() const {
    JOET_ASSERT(!ok());
    return std::get<E>(v_);
  }

 private:
  std::variant<T, E> v_;
};

// Result<T>: a value, or an Error; and from a failed Status.
template <typename T>
class [[nodiscard]] Result : public ValueOr<T, Error> {
 public:
  using ValueOr<T, Error>::ValueOr;
  Result(Status status) : ValueOr<T, Error>(status.error()) {}  // NOLINT: only from a failed Status.

  Status status() const { return this->ok() ? Status() : Status(this->error()); }
};

}  // namespace joet
