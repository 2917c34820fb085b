#include "contracts/privacy.h"

namespace joet {

bool passes_bsn_elfproef(std::string_view text) {
  if (text.size() != 9) return false;
  int64_t sum = 0;
  for (size_t i = 0; i < 9; ++i) {
    const char c = text[i];
    if (c < '0' || c > '9') return false;
    const int64_t d = c - '0';
    sum += (i < 8) ? d * static_cast<int64_t>(9 - i) : -d;
  }
  return sum % 11 == 0;
}

bool is_code_charset(std::string_view text) {
  if (text.empty() || text.size() > kMaxCodeChars) return false;
  for (char c : text) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == ':' || c == '-';
    if (!ok) return false;
  }
  return true;
}

bool contains_bsn_like_run(std::string_view text) {
  for (size_t i = 0; i + 9 <= text.size(); ++i) {
    if (passes_bsn_elfproef(text.substr(i, 9))) return true;
  }
  return false;
}

bool is_allowed_code(std::string_view text) { return is_code_charset(text) && !passes_bsn_elfproef(text); }

bool is_code_without_bsn(std::string_view text) { return is_code_charset(text) && !contains_bsn_like_run(text); }

}  // namespace joet
