#include "client-sdk/audit_progress.h"

#include <cstdio>

namespace joet {
namespace {

constexpr int kBarWidth = 20;

std::string duration_text(double seconds) {
  const auto s = static_cast<uint64_t>(seconds + 0.5);
  char buf[48];
  if (s >= 3600) {
    std::snprintf(buf, sizeof buf, "%lluh%02llum", static_cast<unsigned long long>(s / 3600),
                  static_cast<unsigned long long>(s / 60 % 60));
  } else if (s >= 60) {
    std::snprintf(buf, sizeof buf, "%llum%02llus", static_cast<unsigned long long>(s / 60),
                  static_cast<unsigned long long>(s % 60));
  } else {
    std::snprintf(buf, sizeof buf, "%llus", static_cast<unsigned long long>(s));
  }
  return buf;
}

}  // namespace

std::string AuditProgressMeter::figures(uint64_t height, uint64_t tip, uint64_t txs, int64_t elapsed_ms) {
  const double seconds = elapsed_ms > 0 ? static_cast<double>(elapsed_ms) / 1000.0 : 0.0;
  const double percent = tip == 0 ? 100.0 : 100.0 * static_cast<double>(height) / static_cast<double>(tip);
  char buf[160];
  if (seconds <= 0.0) {
    std::snprintf(buf, sizeof buf, "%llu/%llu heights %5.1f%%", static_cast<unsigned long long>(height),
                  static_cast<unsigned long long>(tip), percent);
    return buf;
  }
  const double heights_per_s = static_cast<double>(height) / seconds;
  const double txs_per_s = static_cast<double>(txs) / seconds;
  const std::string eta =
      heights_per_s > 0.0 ? duration_text(static_cast<double>(tip - height) / heights_per_s) : std::string("?");
  std::snprintf(buf, sizeof buf, "%llu/%llu heights %5.1f%%  %.0f heights/s  %.0f txs/s  ETA %s",
                static_cast<unsigned long long>(height), static_cast<unsigned long long>(tip), percent,
                heights_per_s, txs_per_s, eta.c_str());
  return buf;
}

std::string AuditProgressMeter::update(uint64_t height, uint64_t tip, uint64_t txs, int64_t now_ms) {
  height_ = height;
  tip_ = tip;
  txs_ = txs;
  const bool last = height == tip;
  if (!last && now_ms - last_ms_ < (terminal_ ? kRedrawMs : kLineMs)) return "";
  return render(now_ms);
}

std::string AuditProgressMeter::render(int64_t now_ms) {
  last_ms_ = now_ms;
  shown_height_ = height_;
  const std::string text = figures(height_, tip_, txs_, now_ms - start_ms_);
  if (!terminal_) return "joet-audit: " + text + "\n";
  const int filled = tip_ == 0 ? kBarWidth : static_cast<int>(height_ * kBarWidth / tip_);
  std::string bar(static_cast<size_t>(filled), '#');
  bar.append(static_cast<size_t>(kBarWidth - filled), '.');
  drawn_ = true;
  return "\rjoet-audit [" + bar + "] " + text + "\x1b[K";  // erase what a longer line left
}

std::string AuditProgressMeter::finish(int64_t now_ms) {
  std::string out;
  if (height_ != shown_height_) out = render(now_ms);  // stopped between two reports: show where
  if (terminal_ && drawn_) out += "\n";
  return out;
}

}  // namespace joet
