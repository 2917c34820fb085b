#include "node/home/json_reader.h"

#include <algorithm>

#include "ledger/bytes.h"

namespace joet::home {

using nlohmann::json;

void JsonReader::fail(HomeErrorKind kind, std::string path, std::string message) {
  error_ = {kind, file_, std::move(path), std::move(message)};
  throw Failed{};
}

std::string JsonReader::join(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

std::string JsonReader::index(const std::string& path, size_t i) { return path + "[" + std::to_string(i) + "]"; }

void JsonReader::require_object(const json& j, const std::string& path, std::initializer_list<std::string_view> allowed) {
  if (!j.is_object()) fail(HomeErrorKind::kWrongType, path, std::string("an object expected, not ") + j.type_name());
  for (const auto& [key, value] : j.items()) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      fail(HomeErrorKind::kUnknownField, join(path, key), "no such field");
    }
  }
}

const json& JsonReader::field(const json& obj, const std::string& path, std::string_view key) {
  auto it = obj.find(std::string(key));
  if (it == obj.end()) fail(HomeErrorKind::kMissingField, join(path, key), "required");
  return *it;
}

std::string JsonReader::string_value(const json& j, const std::string& path) {
  if (!j.is_string()) fail(HomeErrorKind::kWrongType, path, std::string("a string expected, not ") + j.type_name());
  return j.get<std::string>();
}

const json& JsonReader::array_value(const json& j, const std::string& path, size_t max_size) {
  if (!j.is_array()) fail(HomeErrorKind::kWrongType, path, std::string("an array expected, not ") + j.type_name());
  if (j.size() > max_size) fail(HomeErrorKind::kBadValue, path, "at most " + std::to_string(max_size) + " entries");
  return j;
}

uint64_t JsonReader::unsigned_value(const json& j, const std::string& path) {
  if (j.is_number_unsigned()) return j.get<uint64_t>();
  if (j.is_number_integer()) fail(HomeErrorKind::kBadValue, path, "must not be negative");
  fail(HomeErrorKind::kWrongType, path, std::string("an integer expected, not ") + j.type_name());
}

PublicKey JsonReader::public_key_value(const json& j, const std::string& path) {
  const std::string hex = string_value(j, path);
  const bool lower_hex = std::all_of(hex.begin(), hex.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
  });
  if (hex.size() != 64 || !lower_hex) fail(HomeErrorKind::kBadKey, path, "not 64 lower-case hex digits");
  auto bytes = from_hex(hex);
  if (!bytes.ok()) fail(HomeErrorKind::kBadKey, path, "not 64 lower-case hex digits");
  auto key = PublicKey::from_bytes(*bytes);
  if (!key.ok()) fail(HomeErrorKind::kBadKey, path, "not an x-only public key (no curve point has this x)");
  return *key;
}

}  // namespace joet::home
