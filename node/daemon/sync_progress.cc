#include "node/daemon/sync_progress.h"

#include <algorithm>

namespace joet::daemon {

void SyncProgress::peer_height(uint64_t height) { target_ = std::max(target_, height); }

SyncReport SyncProgress::report(std::string msg, uint64_t height, uint64_t now_ms) const {
  SyncReport r;
  r.msg = std::move(msg);
  r.height = height;
  r.target = target_;
  r.heights = height - start_height_;
  r.elapsed_ms = now_ms - start_ms_;
  if (r.elapsed_ms > 0) r.heights_per_s = static_cast<double>(r.heights) * 1000.0 / static_cast<double>(r.elapsed_ms);
  if (r.msg == "syncing" && target_ > height && r.heights > 0 && r.elapsed_ms > 0) {
    r.eta_s = (target_ - height) * r.elapsed_ms / r.heights / 1000;
  }
  return r;
}

std::optional<SyncReport> SyncProgress::caught_up(uint64_t before, uint64_t after, uint64_t now_ms) {
  if (after <= before) return std::nullopt;
  const uint64_t known = target_;
  target_ = std::max(target_, after);  // a certified block of after - 1 proves a peer has it
  if (!syncing_) {
    if (after >= known) return std::nullopt;  // the last block or two a peer had: nothing left to fetch
    syncing_ = true;
    start_height_ = before;
    start_ms_ = now_ms;
    last_report_ms_ = now_ms;
    return report("sync started", before, now_ms);
  }
  if (after >= target_) {
    syncing_ = false;
    return report("synced", after, now_ms);
  }
  if (now_ms - last_report_ms_ >= interval_ms_) {
    last_report_ms_ = now_ms;
    return report("syncing", after, now_ms);
  }
  return std::nullopt;
}

std::optional<SyncReport> SyncProgress::in_step(uint64_t height, uint64_t now_ms) {
  if (!syncing_) return std::nullopt;
  syncing_ = false;
  return report("synced", height, now_ms);
}

}  // namespace joet::daemon
