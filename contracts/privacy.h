// What a text argument may be (DOMAIN.md, Privacy): a code, an id or an ISO date — never free text,
// a name or a BSN. A code is 1..64 characters of [A-Za-z0-9._:-]; a code of 9 digits that passes the
// BSN eleven test (elfproef) is refused as well, since a case system might have put a BSN there.
// Rules version 1 stopped there; from version 2 (Statute::refuse_embedded_bsn) any 9 consecutive
// digits inside a code that pass the elfproef are refused too, wherever they stand ("c123456782").
#pragma once

#include <string_view>

namespace joet {

inline constexpr size_t kMaxCodeChars = 64;

// sum_{i=0..7} d_i * (9 - i) - d_8 == 0 (mod 11), over exactly 9 ASCII digits.
bool passes_bsn_elfproef(std::string_view text);
bool is_code_charset(std::string_view text);  // non-empty, <= kMaxCodeChars, [A-Za-z0-9._:-]
// Some 9 consecutive digits of `text` pass the elfproef (a BSN could be embedded there).
bool contains_bsn_like_run(std::string_view text);
// A code that is not BSN-shaped: what every text argument must be under rules version 1.
bool is_allowed_code(std::string_view text);
// A code with no BSN-like run anywhere in it: what every text argument must be from version 2 on,
// and what anyone choosing a new id (a case system, the demo) should produce.
bool is_code_without_bsn(std::string_view text);

}  // namespace joet
