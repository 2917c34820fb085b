// Typed access to the named arguments of a TxBody, refusing with BAD_FIELD what is missing, of the
// wrong type or not a code (contracts/privacy.h). check_all_text_args runs before any action.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "contracts/civil_date.h"
#include "contracts/outcome.h"
#include "joet.pb.h"
#include "ledger/bytes.h"

namespace joet {

class TxArgs {
 public:
  explicit TxArgs(const v1::TxBody& body);

  // Every arg name is a code and every text arg an allowed code; refuses BAD_FIELD naming the first
  // that is not. With `refuse_embedded_bsn` (rules version 2, Statute) a name or text with an
  // embedded BSN-like run is refused too.
  Outcome check_all_text_args(bool refuse_embedded_bsn) const;

  Outcome text(std::string_view name, std::string& out) const;
  Outcome optional_text(std::string_view name, std::string& out) const;  // "" when absent
  // One of the listed codes.
  Outcome one_of(std::string_view name, std::initializer_list<std::string_view> allowed, std::string& out) const;
  Outcome date(std::string_view name, CivilDate& out) const;
  Outcome hash(std::string_view name, Hash32& out) const;
  Outcome integer(std::string_view name, int64_t& out) const;
  bool has(std::string_view name) const { return find(name) != nullptr; }
  // How many args have a name starting with `prefix`.
  size_t count_with_prefix(std::string_view prefix) const;

 private:
  const v1::Arg* find(std::string_view name) const;

  std::map<std::string, const v1::Arg*, std::less<>> by_name_;
};

}  // namespace joet
