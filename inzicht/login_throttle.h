// Slows down password guessing: after kFreeFailures wrong passwords for one user name, or from one
// client address, within kWindowMs, further attempts for it are refused (429) for a delay that doubles
// with each further failure, from kFirstDelayMs up to kMaxDelayMs. A successful login clears the user's
// count (not the address's). Both keys are checked, so guessing many users from one address and one
// user from many addresses are both slowed. Thread-safe; the clock is the caller's.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace joet::inzicht {

class LoginThrottle {
 public:
  static constexpr int kFreeFailures = 5;
  static constexpr uint64_t kWindowMs = 15 * 60'000;
  static constexpr uint64_t kFirstDelayMs = 30'000;
  static constexpr uint64_t kMaxDelayMs = 15 * 60'000;

  // How long the caller must wait before trying again (nullopt: it may try now).
  std::optional<uint64_t> wait_ms(std::string_view user, std::string_view address, uint64_t now_ms);
  void failed(std::string_view user, std::string_view address, uint64_t now_ms);
  void succeeded(std::string_view user);

 private:
  struct Count {
    int failures = 0;
    uint64_t first_ms = 0;
    uint64_t blocked_until_ms = 0;
  };
  void add_failure(Count& c, uint64_t now_ms);
  std::optional<uint64_t> wait_of(const Count& c, uint64_t now_ms) const;

  std::mutex mu_;
  std::map<std::string, Count, std::less<>> by_user_;
  std::map<std::string, Count, std::less<>> by_address_;
};

}  // namespace joet::inzicht
