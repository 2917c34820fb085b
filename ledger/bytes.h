// Byte strings and fixed-size digests, and their text encodings (hex, base64).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/status.h"

namespace joet {

using Bytes = std::vector<uint8_t>;
using ByteView = std::span<const uint8_t>;
using Hash32 = std::array<uint8_t, 32>;

inline ByteView as_bytes(std::string_view s) {
  return ByteView(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}
inline Bytes to_bytes(std::string_view s) { return Bytes(s.begin(), s.end()); }
inline std::string to_string(ByteView b) { return std::string(b.begin(), b.end()); }

std::string to_hex(ByteView bytes);
Result<Bytes> from_hex(std::string_view hex);          // upper or lower case, even length
Result<Hash32> hash32_from_hex(std::string_view hex);  // exactly 64 hex digits
Result<Hash32> hash32_from_bytes(ByteView bytes);      // exactly 32 bytes

// A decimal number of ASCII digits only (no sign, no spaces, 1 to 20 digits) that fits 64 bits.
std::optional<uint64_t> parse_decimal_u64(std::string_view text);

std::string to_base64(ByteView bytes);
Result<Bytes> from_base64(std::string_view text);  // standard alphabet, with padding

// Fixed-width big-endian integers: keys that sort by number in LevelDB.
void put_u64_be(Bytes& out, uint64_t v);
uint64_t get_u64_be(const uint8_t* p);

}  // namespace joet
