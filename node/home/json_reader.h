// The typed-error JSON reading shared by genesis.json, config.json and the key files, in the manner of
// node/replay/scenario.cc: every accessor names the JSON path of what it reads, and the first error
// stops the parse (JsonReader::parse catches the internal Failed). Nothing here asserts on the input.
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "ledger/keys.h"
#include "node/home/home_error.h"

namespace joet::home {

class JsonReader {
 public:
  explicit JsonReader(std::string file) : file_(std::move(file)) {}

  // Parses `text` as JSON and hands the document to `read`; the first fail() inside ends it.
  template <typename T>
  Loaded<T> parse(std::string_view text, const std::function<T(const nlohmann::json&)>& read) {
    nlohmann::json doc = nlohmann::json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded()) return Loaded<T>::failure({HomeErrorKind::kSyntax, file_, "", "not valid JSON"});
    Loaded<T> out;
    try {
      out.value = read(doc);
    } catch (const Failed&) {
      out.value.reset();
      out.error = error_;
    }
    return out;
  }

  [[noreturn]] void fail(HomeErrorKind kind, std::string path, std::string message);

  static std::string join(const std::string& path, std::string_view key);
  static std::string index(const std::string& path, size_t i);

  // An object whose keys are all in `allowed`.
  void require_object(const nlohmann::json& j, const std::string& path,
                      std::initializer_list<std::string_view> allowed);
  // obj[key], or MISSING_FIELD.
  const nlohmann::json& field(const nlohmann::json& obj, const std::string& path, std::string_view key);
  std::string string_value(const nlohmann::json& j, const std::string& path);
  const nlohmann::json& array_value(const nlohmann::json& j, const std::string& path, size_t max_size);
  uint64_t unsigned_value(const nlohmann::json& j, const std::string& path);
  // 64 lower-case hex digits of a valid x-only public key (ledger/keys.h).
  PublicKey public_key_value(const nlohmann::json& j, const std::string& path);

 private:
  struct Failed {};
  std::string file_;
  HomeError error_;
};

}  // namespace joet::home
