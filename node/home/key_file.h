// Key files: keys/validator.key (the consensus key) and keys/member.key (an institution's member key
// in a testnet home). One JSON object:
//   {"type": "bip340", "secret": "<64 lower-case hex>", "public": "<64 lower-case hex>"}
// created with mode 0600 atomically and never overwritten; a file that group or others may access is
// refused before it is parsed. Secrets come from PrivateKey::generate (ledger/keys.h).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "ledger/keys.h"
#include "node/home/home_error.h"

namespace joet::home {

inline constexpr size_t kMaxKeyFileBytes = 4096;
inline constexpr mode_t kKeyFileMode = 0600;

// The file's bytes (with a final newline). Holds the secret: the caller wipes it.
std::string key_file_json(const PrivateKey& key);
// Checks the type, that the secret is a valid key (0 < secret < n) and that "public" is its public key.
Loaded<PrivateKey> parse_key_file(std::string_view text, const std::string& file);

// Writes `key` to a new file `path` (mode 0600): ALREADY_EXISTS when the file is there.
Loaded<bool> save_key_file(const std::string& path, const PrivateKey& key);
// A fresh key (PrivateKey::generate), saved as save_key_file does.
Loaded<PrivateKey> create_key_file(const std::string& path);
// INSECURE_PERMISSIONS when the mode has any group or other bit ("run chmod 600 <path>").
Loaded<PrivateKey> load_key_file(const std::string& path);

}  // namespace joet::home
