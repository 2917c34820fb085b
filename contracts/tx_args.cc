#include "contracts/tx_args.h"

#include "contracts/privacy.h"

namespace joet {
namespace {

Refusal bad_field(std::string_view name, std::string_view why) {
  return refuse("BAD_FIELD", "argument '" + std::string(name) + "': " + std::string(why));
}

}  // namespace

TxArgs::TxArgs(const v1::TxBody& body) {
  for (const v1::Arg& arg : body.args()) by_name_.emplace(arg.name(), &arg);
}

const v1::Arg* TxArgs::find(std::string_view name) const {
  auto it = by_name_.find(name);
  return it == by_name_.end() ? nullptr : it->second;
}

Outcome TxArgs::check_all_text_args(bool refuse_embedded_bsn) const {
  for (const auto& [name, arg] : by_name_) {
    if (!is_code_charset(name)) return bad_field("?", "argument name is not a code");
    if (refuse_embedded_bsn && contains_bsn_like_run(name)) return bad_field("?", "argument name holds a BSN-like number");
    if (arg->value_case() != v1::Arg::kText) continue;
    if (!is_code_charset(arg->text())) {
      return bad_field(name, "not a code (1..64 of [A-Za-z0-9._:-]; no free text)");
    }
    if (passes_bsn_elfproef(arg->text())) return bad_field(name, "looks like a BSN");
    if (refuse_embedded_bsn && contains_bsn_like_run(arg->text())) {
      return bad_field(name, "holds 9 digits that pass the BSN eleven test: use an id without a BSN-like number");
    }
  }
  return Outcome();
}

Outcome TxArgs::text(std::string_view name, std::string& out) const {
  const v1::Arg* arg = find(name);
  if (arg == nullptr) return bad_field(name, "missing");
  if (arg->value_case() != v1::Arg::kText) return bad_field(name, "not text");
  if (!is_allowed_code(arg->text())) return bad_field(name, "not a code");
  out = arg->text();
  return Outcome();
}

Outcome TxArgs::optional_text(std::string_view name, std::string& out) const {
  out.clear();
  if (find(name) == nullptr) return Outcome();
  return text(name, out);
}

Outcome TxArgs::one_of(std::string_view name, std::initializer_list<std::string_view> allowed,
                       std::string& out) const {
  JOET_CTR_TRY(text(name, out));
  for (std::string_view a : allowed) {
    if (out == a) return Outcome();
  }
  return bad_field(name, "unknown value '" + out + "'");
}

Outcome TxArgs::date(std::string_view name, CivilDate& out) const {
  std::string s;
  JOET_CTR_TRY(text(name, s));
  auto d = parse_civil_date(s);
  if (!d.ok()) return bad_field(name, "not a date YYYY-MM-DD");
  out = *d;
  return Outcome();
}

Outcome TxArgs::hash(std::string_view name, Hash32& out) const {
  const v1::Arg* arg = find(name);
  if (arg == nullptr) return bad_field(name, "missing");
  if (arg->value_case() != v1::Arg::kHash) return bad_field(name, "not a hash");
  auto h = hash32_from_bytes(as_bytes(arg->hash()));
  if (!h.ok()) return bad_field(name, "not 32 bytes");
  out = *h;
  return Outcome();
}

Outcome TxArgs::integer(std::string_view name, int64_t& out) const {
  const v1::Arg* arg = find(name);
  if (arg == nullptr) return bad_field(name, "missing");
  if (arg->value_case() != v1::Arg::kInteger) return bad_field(name, "not an integer");
  out = arg->integer();
  return Outcome();
}

size_t TxArgs::count_with_prefix(std::string_view prefix) const {
  size_t n = 0;
  for (auto it = by_name_.lower_bound(prefix); it != by_name_.end() && it->first.starts_with(prefix); ++it) ++n;
  return n;
}

}  // namespace joet
