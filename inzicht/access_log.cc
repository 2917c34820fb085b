#include "inzicht/access_log.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include <nlohmann/json.hpp>

namespace joet::inzicht {

Result<std::unique_ptr<AccessLog>> AccessLog::open(const std::string& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return make_error(ErrorCode::kIoError, "access log " + path + ": " + std::strerror(errno));
  return std::unique_ptr<AccessLog>(new AccessLog(fd, path));
}

AccessLog::~AccessLog() { ::close(fd_); }

Status AccessLog::write(const AccessEntry& e) {
  const nlohmann::ordered_json line = {{"time_ms", e.time_ms}, {"user", e.user},     {"institution", e.institution},
                                       {"action", e.action},   {"subject", e.subject}, {"remote", e.remote},
                                       {"status", e.status}};
  const std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  std::lock_guard lock(mu_);
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd_, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return make_error(ErrorCode::kIoError, "access log " + path_ + ": " + std::strerror(errno));
    done += static_cast<size_t>(n);
  }
  if (::fdatasync(fd_) != 0) return make_error(ErrorCode::kIoError, "access log " + path_ + ": " + std::strerror(errno));
  return Status();
}

}  // namespace joet::inzicht
