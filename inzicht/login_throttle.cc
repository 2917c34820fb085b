#include "inzicht/login_throttle.h"

#include <algorithm>

namespace joet::inzicht {

std::optional<uint64_t> LoginThrottle::wait_of(const Count& c, uint64_t now_ms) const {
  if (c.blocked_until_ms > now_ms) return c.blocked_until_ms - now_ms;
  return std::nullopt;
}

std::optional<uint64_t> LoginThrottle::wait_ms(std::string_view user, std::string_view address, uint64_t now_ms) {
  std::lock_guard lock(mu_);
  std::optional<uint64_t> wait;
  for (auto* table : {&by_user_, &by_address_}) {
    auto it = table->find(table == &by_user_ ? user : address);
    if (it == table->end()) continue;
    if (auto w = wait_of(it->second, now_ms)) wait = std::max(wait.value_or(0), *w);
  }
  return wait;
}

void LoginThrottle::add_failure(Count& c, uint64_t now_ms) {
  if (c.failures == 0 || now_ms - c.first_ms > kWindowMs) c = Count{0, now_ms, 0};
  ++c.failures;
  if (c.failures > kFreeFailures) {
    const int doublings = std::min(c.failures - kFreeFailures - 1, 10);
    c.blocked_until_ms = now_ms + std::min(kMaxDelayMs, kFirstDelayMs << doublings);
  }
}

void LoginThrottle::failed(std::string_view user, std::string_view address, uint64_t now_ms) {
  std::lock_guard lock(mu_);
  add_failure(by_user_[std::string(user)], now_ms);
  add_failure(by_address_[std::string(address)], now_ms);
  // Forget counts whose window and delay are both over, so the tables stay small.
  for (auto* table : {&by_user_, &by_address_}) {
    for (auto it = table->begin(); it != table->end();) {
      const bool stale = now_ms - it->second.first_ms > kWindowMs && it->second.blocked_until_ms <= now_ms;
      it = stale ? table->erase(it) : std::next(it);
    }
  }
}

void LoginThrottle::succeeded(std::string_view user) {
  std::lock_guard lock(mu_);
  if (auto it = by_user_.find(user); it != by_user_.end()) by_user_.erase(it);
}

}  // namespace joet::inzicht
