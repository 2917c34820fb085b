// Staff accounts of joet-inzicht: people who log in to the dashboard, each of one institution the
// server signs for. Passwords are kept only as argon2id hashes (libsodium crypto_pwhash_str, its
// interactive limits), in a JSON file the operator manages with `joet-inzicht users` (mode 0600,
// replaced atomically). Pure over the file's text: loading and saving are the caller's I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/status.h"

namespace joet::inzicht {

inline constexpr size_t kMinPasswordChars = 12;
inline constexpr size_t kMaxPasswordChars = 1024;

struct StaffAccount {
  std::string user;          // the login name: [a-z0-9._-], 1..64
  std::string name;          // shown in the page header
  std::string institution;   // the institution whose key the server signs with for this person
  std::string password_hash; // crypto_pwhash_str's encoded argon2id hash ("$argon2id$v=19$m=...")
  bool disabled = false;
};

// {"version": 1, "accounts": [{"user", "name", "institution", "password_hash", "disabled"}, ...]}
class AccountBook {
 public:
  static Result<AccountBook> parse(std::string_view json_text);  // kMalformed naming what is wrong
  std::string to_json() const;

  const StaffAccount* find(std::string_view user) const;
  const std::vector<StaffAccount>& accounts() const { return accounts_; }

  // kConflict for a user that exists; kInvalidArgument for a bad user name, an empty institution or
  // a password shorter than kMinPasswordChars.
  Status add(StaffAccount account, std::string_view password);
  Status set_password(std::string_view user, std::string_view password);  // kNotFound, kInvalidArgument
  Status set_disabled(std::string_view user, bool disabled);               // kNotFound

 private:
  std::vector<StaffAccount> accounts_;  // ascending by user
};

// The argon2id hash of a password (libsodium, interactive limits). kInvalidArgument for a password
// outside kMinPasswordChars..kMaxPasswordChars; kIoError if libsodium could not compute it (out of memory).
Result<std::string> hash_password(std::string_view password);
// Whether `password` matches `hash` (constant time in the password, libsodium).
bool password_matches(const std::string& hash, std::string_view password);

// Who may log in: the account of `user` when it exists, is not disabled and the password matches.
// A wrong user and a wrong password give the same nullopt, and take the same time (a dummy hash is
// checked for an unknown user), so the answer does not tell which.
std::optional<StaffAccount> authenticate(const AccountBook& book, std::string_view user, std::string_view password);

bool valid_user_name(std::string_view user);

}  // namespace joet::inzicht
