// The result of one contract step: ok, refused (a typed reason for the client: the tx is invalid and
// changes no state), or failed (the store failed or holds corrupt data: the block cannot be executed).
// Refusals carry the stable error codes of DOMAIN.md (NOT_AUTHORIZED, CASE_UNKNOWN, ...).
#pragma once

#include <string>
#include <utility>
#include <variant>

#include "ledger/status.h"

namespace joet {

struct Refusal {
  std::string code;     // stable, upper snake case
  std::string message;  // for humans; may change between versions
};

class [[nodiscard]] Outcome {
 public:
  Outcome() = default;
  Outcome(Refusal refusal) : v_(std::move(refusal)) {}  // NOLINT: implicit by design.
  Outcome(Error error) : v_(std::move(error)) {}        // NOLINT: implicit by design.
  Outcome(const Status& status) {                       // NOLINT: implicit by design.
    if (!status.ok()) v_ = status.error();
  }

  bool ok() const { return std::holds_alternative<std::monostate>(v_); }
  bool refused() const { return std::holds_alternative<Refusal>(v_); }
  bool failed() const { return std::holds_alternative<Error>(v_); }
  const Refusal& refusal() const {
    JOET_ASSERT(refused());
    return std::get<Refusal>(v_);
  }
  const Error& error() const {
    JOET_ASSERT(failed());
    return std::get<Error>(v_);
  }

 private:
  std::variant<std::monostate, Refusal, Error> v_;
};

inline Refusal refuse(std::string code, std::string message) {
  return Refusal{std::move(code), std::move(message)};
}

}  // namespace joet

// Early return of a non-ok Outcome (or a failed Status) from a function returning Outcome.
#define JOET_CTR_TRY(expr)                 \
  do {                                     \
    ::joet::Outcome joet_ctr_o_ = (expr);  \
    if (!joet_ctr_o_.ok()) return joet_ctr_o_; \
  } while (0)
