#include "inzicht/sessions.h"

#include <algorithm>
#include <vector>

#include <sodium.h>

#include "ledger/bytes.h"
#include "ledger/status.h"

namespace joet::inzicht {

std::string random_hex(size_t bytes) {
  JOET_ASSERT(sodium_init() >= 0);
  std::vector<uint8_t> buf(bytes);
  randombytes_buf(buf.data(), buf.size());
  return to_hex(buf);
}

bool same_secret(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

uint64_t SessionStore::expiry(const Session& s) const {
  return std::min(s.last_seen_ms + idle_ms_, s.created_ms + max_ms_);
}

std::pair<std::string, Session> SessionStore::create(std::string user, uint64_t now_ms) {
  Session s;
  s.user = std::move(user);
  s.csrf = random_hex(32);
  s.created_ms = now_ms;
  s.last_seen_ms = now_ms;
  s.expires_ms = expiry(s);
  std::string token = random_hex(32);
  std::lock_guard lock(mu_);
  // Drop expired sessions as new ones come, so the map does not grow with abandoned logins.
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    it = it->second.expires_ms <= now_ms ? sessions_.erase(it) : std::next(it);
  }
  sessions_.emplace(token, s);
  return {token, s};
}

std::variant<Session, SessionMiss> SessionStore::touch(std::string_view token, uint64_t now_ms) {
  std::lock_guard lock(mu_);
  auto it = sessions_.find(token);
  if (it == sessions_.end()) return SessionMiss::kUnknown;
  if (it->second.expires_ms <= now_ms) {
    sessions_.erase(it);
    return SessionMiss::kExpired;
  }
  it->second.last_seen_ms = now_ms;
  it->second.expires_ms = expiry(it->second);
  return it->second;
}

void SessionStore::remove(std::string_view token) {
  std::lock_guard lock(mu_);
  if (auto it = sessions_.find(token); it != sessions_.end()) sessions_.erase(it);
}

void SessionStore::remove_user(std::string_view user) {
  std::lock_guard lock(mu_);
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    it = it->second.user == user ? sessions_.erase(it) : std::next(it);
  }
}

size_t SessionStore::size() {
  std::lock_guard lock(mu_);
  return sessions_.size();
}

}  // namespace joet::inzicht
