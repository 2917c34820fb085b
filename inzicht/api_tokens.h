// Read-only API tokens for the Power BI feed (docs/inzicht.md "The Power BI feed"). The operator issues
// one per report with `joet-inzicht tokens issue --name N` (the token is shown once) and revokes it by
// name. The file keeps only each token's SHA-256, so a copy of it opens nothing. Pure over the file text.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/status.h"

namespace joet::inzicht {

struct ApiToken {
  std::string name;        // [a-z0-9._-], 1..64: what it is for ("powerbi-jeugd")
  std::string sha256_hex;  // of the token text
  uint64_t issued_ms = 0;
  bool revoked = false;
};

// {"version": 1, "tokens": [{"name", "sha256", "issued_ms", "revoked"}, ...]}
class TokenBook {
 public:
  static Result<TokenBook> parse(std::string_view json_text);
  std::string to_json() const;

  // A fresh token ("jit_" and 64 hex digits) under `name`: kConflict for a name in use (revoked ones
  // included: names are never reused), kInvalidArgument for a bad name.
  Result<std::string> issue(std::string_view name, uint64_t now_ms);
  Status revoke(std::string_view name);  // kNotFound
  // The name of the live token `token` is, or nullopt (unknown or revoked).
  std::optional<std::string> check(std::string_view token) const;
  const std::vector<ApiToken>& tokens() const { return tokens_; }

 private:
  std::vector<ApiToken> tokens_;
};

}  // namespace joet::inzicht
