// Login sessions of joet-inzicht: a random token (32 bytes from libsodium, hex) in an HttpOnly, Secure,
// SameSite=Strict cookie, and per session a second random token for CSRF that the page sends back in a
// header on every write. A session ends after `idle_ms` without a request or `max_ms` after login,
// whichever comes first, and at logout. Kept in memory: a restart logs everyone out. Thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace joet::inzicht {

struct Session {
  std::string user;
  std::string csrf;         // 64 hex digits
  uint64_t created_ms = 0;
  uint64_t last_seen_ms = 0;
  uint64_t expires_ms = 0;  // the earlier of last_seen + idle and created + max
};

enum class SessionMiss { kUnknown, kExpired };

class SessionStore {
 public:
  SessionStore(uint64_t idle_ms, uint64_t max_ms) : idle_ms_(idle_ms), max_ms_(max_ms) {}

  // A new session for `user`: its token and the session.
  std::pair<std::string, Session> create(std::string user, uint64_t now_ms);
  // The session of `token`, its idle time restarted; kExpired (and forgotten) when it has run out.
  std::variant<Session, SessionMiss> touch(std::string_view token, uint64_t now_ms);
  void remove(std::string_view token);
  // Ends every session of `user` (a disabled account, a changed password).
  void remove_user(std::string_view user);
  size_t size();

 private:
  uint64_t expiry(const Session& s) const;

  const uint64_t idle_ms_;
  const uint64_t max_ms_;
  std::mutex mu_;
  std::map<std::string, Session, std::less<>> sessions_;  // by token
};

// n random bytes from libsodium, as lowercase hex.
std::string random_hex(size_t bytes);
// Equality of two secrets in time independent of where they differ (libsodium sodium_memcmp).
bool same_secret(std::string_view a, std::string_view b);

}  // namespace joet::inzicht
