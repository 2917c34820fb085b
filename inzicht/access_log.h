// The access log of joet-inzicht: who looked at which case, when, from where (as Dutch care systems log
// access to client data, NEN 7513), and what they did there. One JSON object per line, appended and
// synced (fdatasync) before the page is answered, so no view of a case goes unlogged. Thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "ledger/status.h"

namespace joet::inzicht {

struct AccessEntry {
  uint64_t time_ms = 0;
  std::string user;
  std::string institution;
  std::string action;   // "view_case", "drilldown", "escalation", "ack"
  std::string subject;  // the case id (or the cell, for a drill-down)
  std::string remote;   // the client address
  int status = 0;       // the HTTP status answered
};

class AccessLog {
 public:
  // Opens (creates, mode 0600) `path` for appending. kIoError naming the file.
  static Result<std::unique_ptr<AccessLog>> open(const std::string& path);
  ~AccessLog();
  AccessLog(const AccessLog&) = delete;
  AccessLog& operator=(const AccessLog&) = delete;

  // Appends one line and syncs it. kIoError naming the file: the caller must not answer the page then.
  Status write(const AccessEntry& entry);

 private:
  AccessLog(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  int fd_;
  std::string path_;
  std::mutex mu_;
};

}  // namespace joet::inzicht
