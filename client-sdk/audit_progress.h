// joet-audit's progress on stderr. On a terminal: one line redrawn in place (carriage return),
//   joet-audit [#######.............] 1234/5000 heights  24.7%  812 heights/s  162400 txs/s  ETA 4m38s
// at most every kRedrawMs; elsewhere (a log file, CI): the same figures as a plain line every
// kLineMs of wall time, and always for the last height. Rates are over the whole run so far.
// Pure: the caller passes the clock's reading and writes the text it gets.
#pragma once

#include <cstdint>
#include <string>

namespace joet {

class AuditProgressMeter {
 public:
  static constexpr int64_t kRedrawMs = 100;
  static constexpr int64_t kLineMs = 5'000;

  // `terminal`: stderr is a terminal. `start_ms`: the clock when the audit started.
  AuditProgressMeter(bool terminal, int64_t start_ms) : terminal_(terminal), start_ms_(start_ms), last_ms_(start_ms) {}

  // After height `height` of `tip` (with `txs` txs so far) at `now_ms`: the text to write ("" none).
  std::string update(uint64_t height, uint64_t tip, uint64_t txs, int64_t now_ms);
  // When the audit ends (at the tip or a finding): what is left to write, e.g. the terminal's newline.
  std::string finish(int64_t now_ms);

  // The figures of one report, without prefix or line end (for tests and both modes).
  static std::string figures(uint64_t height, uint64_t tip, uint64_t txs, int64_t elapsed_ms);

 private:
  std::string render(int64_t now_ms);  // the current figures, unthrottled
  bool terminal_;
  int64_t start_ms_;
  int64_t last_ms_;
  bool drawn_ = false;          // the terminal line holds a bar
  uint64_t shown_height_ = 0;   // the height last written
  uint64_t height_ = 0, tip_ = 0, txs_ = 0;
};

}  // namespace joet
