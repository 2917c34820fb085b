// Instants as the project writes them for people and files (scenarios, genesis.json, the RPC):
// ISO-8601 / RFC 3339 UTC, YYYY-MM-DDTHH:MM:SSZ or YYYY-MM-DDTHH:MM:SS.mmmZ.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace joet {

// Either form, inside is_supported_utc_ms (contracts/amsterdam_time.h); nullopt otherwise.
std::optional<int64_t> parse_utc_time(std::string_view text);
// The inverse: ".mmm" only when the milliseconds are not zero.
std::string format_utc_time(int64_t utc_ms);

}  // namespace joet
