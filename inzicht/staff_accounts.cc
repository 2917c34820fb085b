#include "inzicht/staff_accounts.h"

#include <algorithm>

#include <nlohmann/json.hpp>
#include <sodium.h>

namespace joet::inzicht {
namespace {

Error malformed(const std::string& what) { return make_error(ErrorCode::kMalformed, "accounts file: " + what); }

Status check_password(std::string_view password) {
  if (password.size() < kMinPasswordChars) {
    return make_error(ErrorCode::kInvalidArgument,
                      "a password has at least " + std::to_string(kMinPasswordChars) + " characters");
  }
  if (password.size() > kMaxPasswordChars) return make_error(ErrorCode::kInvalidArgument, "the password is too long");
  return Status();
}

StaffAccount* find_mutable(std::vector<StaffAccount>& accounts, std::string_view user) {
  auto it = std::find_if(accounts.begin(), accounts.end(), [&](const StaffAccount& a) { return a.user == user; });
  return it == accounts.end() ? nullptr : &*it;
}

}  // namespace

bool valid_user_name(std::string_view user) {
  return !user.empty() && user.size() <= 64 && std::all_of(user.begin(), user.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
  });
}

Result<std::string> hash_password(std::string_view password) {
  Status ok = check_password(password);
  if (!ok.ok()) return ok.error();
  if (sodium_init() < 0) return make_error(ErrorCode::kIoError, "libsodium could not initialise");
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                            crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return make_error(ErrorCode::kIoError, "argon2id could not hash the password (out of memory)");
  }
  return std::string(out);
}

bool password_matches(const std::string& hash, std::string_view password) {
  if (sodium_init() < 0 || password.size() > kMaxPasswordChars) return false;
  if (hash.rfind("$argon2id$", 0) != 0) return false;  // only argon2id hashes are ours
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

std::optional<StaffAccount> authenticate(const AccountBook& book, std::string_view user, std::string_view password) {
  // A fixed hash checked for unknown users, so that the time does not tell a wrong user from a wrong
  // password. Computed once.
  static const std::string dummy = hash_password("not-a-password-of-anyone").value();
  const StaffAccount* account = book.find(user);
  const bool matches = password_matches(account ? account->password_hash : dummy, password);
  if (account == nullptr || !matches || account->disabled) return std::nullopt;
  return *account;
}

Result<AccountBook> AccountBook::parse(std::string_view json_text) {
  try {
    const nlohmann::json j = nlohmann::json::parse(json_text, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded() || !j.is_object()) return malformed("not a JSON object");
    if (j.value("version", 0) != 1) return malformed("version must be 1");
    if (!j.contains("accounts") || !j["accounts"].is_array()) return malformed("accounts must be an array");
    AccountBook book;
    for (const auto& a : j["accounts"]) {
      if (!a.is_object()) return malformed("an account is not an object");
      for (const char* field : {"user", "name", "institution", "password_hash"}) {
        if (!a.contains(field) || !a[field].is_string()) return malformed(std::string("an account without ") + field);
      }
      StaffAccount account{a["user"], a["name"], a["institution"], a["password_hash"], a.value("disabled", false)};
      if (!valid_user_name(account.user)) return malformed("bad user name '" + account.user + "'");
      if (book.find(account.user) != nullptr) return malformed("user '" + account.user + "' twice");
      book.accounts_.push_back(std::move(account));
    }
    std::sort(book.accounts_.begin(), book.accounts_.end(),
              [](const StaffAccount& x, const StaffAccount& y) { return x.user < y.user; });
    return book;
  } catch (const nlohmann::json::exception& e) {
    return malformed(std::string("a field of the wrong type: ") + e.what());
  }
}

std::string AccountBook::to_json() const {
  nlohmann::ordered_json out = {{"version", 1}, {"accounts", nlohmann::ordered_json::array()}};
  for (const StaffAccount& a : accounts_) {
    out["accounts"].push_back({{"user", a.user},
                               {"name", a.name},
                               {"institution", a.institution},
                               {"password_hash", a.password_hash},
                               {"disabled", a.disabled}});
  }
  return out.dump(2) + "\n";
}

const StaffAccount* AccountBook::find(std::string_view user) const {
  auto it = std::find_if(accounts_.begin(), accounts_.end(), [&](const StaffAccount& a) { return a.user == user; });
  return it == accounts_.end() ? nullptr : &*it;
}

Status AccountBook::add(StaffAccount account, std::string_view password) {
  if (!valid_user_name(account.user)) {
    return make_error(ErrorCode::kInvalidArgument, "a user name is 1 to 64 of a-z, 0-9, '.', '_', '-'");
  }
  if (account.institution.empty()) return make_error(ErrorCode::kInvalidArgument, "an account needs an institution");
  if (find(account.user) != nullptr) return make_error(ErrorCode::kConflict, "user '" + account.user + "' exists");
  auto hash = hash_password(password);
  if (!hash.ok()) return hash.error();
  account.password_hash = *hash;
  accounts_.push_back(std::move(account));
  std::sort(accounts_.begin(), accounts_.end(), [](const StaffAccount& x, const StaffAccount& y) { return x.user < y.user; });
  return Status();
}

Status AccountBook::set_password(std::string_view user, std::string_view password) {
  StaffAccount* a = find_mutable(accounts_, user);
  if (a == nullptr) return make_error(ErrorCode::kNotFound, "no user '" + std::string(user) + "'");
  auto hash = hash_password(password);
  if (!hash.ok()) return hash.error();
  a->password_hash = *hash;
  return Status();
}

Status AccountBook::set_disabled(std::string_view user, bool disabled) {
  StaffAccount* a = find_mutable(accounts_, user);
  if (a == nullptr) return make_error(ErrorCode::kNotFound, "no user '" + std::string(user) + "'");
  a->disabled = disabled;
  return Status();
}

}  // namespace joet::inzicht
