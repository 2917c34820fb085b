// What a node catching up tells its operator (ARCHITECTURE.md "Block sync ... with progress
// output"): pure bookkeeping over the heights committed from peers' certified blocks, the highest
// height peers said they have, and the node's clock. The daemon logs each report it returns.
//
//   "sync started"  the first height committed while a peer reported a higher one (height, target)
//   "syncing"       at most every report_interval_ms while behind: height, target, heights/s, ETA
//   "synced"        the height reached the target: heights fetched and seconds taken
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace joet::daemon {

struct SyncReport {
  std::string msg;                   // "sync started", "syncing", "synced"
  uint64_t height = 0;               // the first height not committed yet
  uint64_t target = 0;               // the highest height a peer reported (0: none yet)
  uint64_t heights = 0;              // committed from peers since the sync started
  uint64_t elapsed_ms = 0;
  double heights_per_s = 0;
  std::optional<uint64_t> eta_s;     // while "syncing" with a known target and a rate
};

class SyncProgress {
 public:
  explicit SyncProgress(uint64_t report_interval_ms = 2000) : interval_ms_(report_interval_ms) {}

  // A peer said it has `height` (a status hint): the target is the highest such height.
  void peer_height(uint64_t height);
  // The node's height went from `before` to `after` on peers' certified blocks at `now_ms`.
  std::optional<SyncReport> caught_up(uint64_t before, uint64_t after, uint64_t now_ms);
  // The node's height moved on by its own consensus (it is in step): a sync in progress ends there.
  std::optional<SyncReport> in_step(uint64_t height, uint64_t now_ms);

  bool syncing() const { return syncing_; }
  uint64_t target() const { return target_; }

 private:
  SyncReport report(std::string msg, uint64_t height, uint64_t now_ms) const;

  uint64_t interval_ms_;
  uint64_t target_ = 0;
  bool syncing_ = false;
  uint64_t start_height_ = 0;
  uint64_t start_ms_ = 0;
  uint64_t last_report_ms_ = 0;
};

}  // namespace joet::daemon
