#include "node/utc_time.h"

#include <cstdio>

#include "contracts/amsterdam_time.h"
#include "contracts/civil_date.h"

namespace joet {
namespace {

// Fixed-width decimal digits at text[pos, pos + n); -1 when any is not a digit.
int32_t digits(std::string_view text, size_t pos, size_t n) {
  int32_t v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (text[i] < '0' || text[i] > '9') return -1;
    v = v * 10 + (text[i] - '0');
  }
  return v;
}

}  // namespace

std::optional<int64_t> parse_utc_time(std::string_view text) {
  // 0123456789012345678901234
  // YYYY-MM-DDTHH:MM:SSZ / YYYY-MM-DDTHH:MM:SS.mmmZ
  if (text.size() != 20 && text.size() != 24) return std::nullopt;
  if (text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' || text[16] != ':') return std::nullopt;
  if (text.back() != 'Z') return std::nullopt;
  int32_t ms = 0;
  if (text.size() == 24) {
    if (text[19] != '.') return std::nullopt;
    ms = digits(text, 20, 3);
  }
  const int32_t y = digits(text, 0, 4), mo = digits(text, 5, 2), d = digits(text, 8, 2);
  const int32_t h = digits(text, 11, 2), mi = digits(text, 14, 2), s = digits(text, 17, 2);
  if (y < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || s < 0 || ms < 0) return std::nullopt;
  if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 || s > 59) return std::nullopt;
  const int64_t t = days_from_civil(CivilDate{y, mo, d}) * kMsPerDay + (int64_t{h} * 3600 + mi * 60 + s) * 1000 + ms;
  if (!is_supported_utc_ms(t)) return std::nullopt;
  return t;
}

std::string format_utc_time(int64_t utc_ms) {
  int64_t days = utc_ms / kMsPerDay;
  int64_t rest = utc_ms % kMsPerDay;
  if (rest < 0) {
    rest += kMsPerDay;
    --days;
  }
  const CivilDate date = civil_from_days(days);
  const int64_t secs = rest / 1000, ms = rest % 1000;
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d", static_cast<int>(date.year),
                static_cast<int>(date.month), static_cast<int>(date.day), static_cast<int>(secs / 3600),
                static_cast<int>(secs / 60 % 60), static_cast<int>(secs % 60));
  std::string out(buf);
  if (ms != 0) {
    std::snprintf(buf, sizeof buf, ".%03d", static_cast<int>(ms));
    out += buf;
  }
  return out + "Z";
}

}  // namespace joet
