#include "inzicht/api_tokens.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "inzicht/sessions.h"
#include "inzicht/staff_accounts.h"
#include "ledger/bytes.h"
#include "ledger/hash.h"

namespace joet::inzicht {
namespace {

std::string digest_hex(std::string_view token) { return to_hex(sha256(as_bytes(token))); }

Error malformed(const std::string& what) { return make_error(ErrorCode::kMalformed, "tokens file: " + what); }

}  // namespace

Result<TokenBook> TokenBook::parse(std::string_view json_text) {
  try {
    const nlohmann::json j = nlohmann::json::parse(json_text, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded() || !j.is_object()) return malformed("not a JSON object");
    if (j.value("version", 0) != 1) return malformed("version must be 1");
    if (!j.contains("tokens") || !j["tokens"].is_array()) return malformed("tokens must be an array");
    TokenBook book;
    for (const auto& t : j["tokens"]) {
      if (!t.is_object() || !t.contains("name") || !t["name"].is_string() || !t.contains("sha256") ||
          !t["sha256"].is_string() || t["sha256"].get<std::string>().size() != 64) {
        return malformed("a token without a name or a sha256 of 64 hex digits");
      }
      book.tokens_.push_back({t["name"], t["sha256"], t.value("issued_ms", uint64_t{0}), t.value("revoked", false)});
    }
    return book;
  } catch (const nlohmann::json::exception& e) {
    return malformed(std::string("a field of the wrong type: ") + e.what());
  }
}

std::string TokenBook::to_json() const {
  nlohmann::ordered_json out = {{"version", 1}, {"tokens", nlohmann::ordered_json::array()}};
  for (const ApiToken& t : tokens_) {
    out["tokens"].push_back({{"name", t.name}, {"sha256", t.sha256_hex}, {"issued_ms", t.issued_ms}, {"revoked", t.revoked}});
  }
  return out.dump(2) + "\n";
}

Result<std::string> TokenBook::issue(std::string_view name, uint64_t now_ms) {
  if (!valid_user_name(name)) return make_error(ErrorCode::kInvalidArgument, "a token name is 1 to 64 of a-z, 0-9, '.', '_', '-'");
  if (std::any_of(tokens_.begin(), tokens_.end(), [&](const ApiToken& t) { return t.name == name; })) {
    return make_error(ErrorCode::kConflict, "a token named '" + std::string(name) + "' exists (names are never reused)");
  }
  std::string token = "jit_" + random_hex(32);
  tokens_.push_back({std::string(name), digest_hex(token), now_ms, false});
  return token;
}

Status TokenBook::revoke(std::string_view name) {
  auto it = std::find_if(tokens_.begin(), tokens_.end(), [&](const ApiToken& t) { return t.name == name; });
  if (it == tokens_.end()) return make_error(ErrorCode::kNotFound, "no token named '" + std::string(name) + "'");
  it->revoked = true;
  return Status();
}

std::optional<std::string> TokenBook::check(std::string_view token) const {
  const std::string digest = digest_hex(token);
  std::optional<std::string> found;
  for (const ApiToken& t : tokens_) {
    // Every entry compared in constant time: the answer's timing does not depend on which one matched.
    if (same_secret(t.sha256_hex, digest) && !t.revoked) found = t.name;
  }
  return found;
}

}  // namespace joet::inzicht
