#include "node/p2p/log.h"

#include <cstdio>

#include "ledger/status.h"

namespace joet::p2p {

LogSink stderr_log_sink() {
  return [](nlohmann::json line) {
    // Peer-supplied text could be invalid UTF-8: replace rather than throw.
    const std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    std::fwrite(text.data(), 1, text.size(), stderr);
    std::fputc('\n', stderr);
  };
}

Logger::Logger(LogSink sink, nlohmann::json context)
    : sink_(sink ? std::move(sink) : stderr_log_sink()), context_(std::move(context)) {
  JOET_ASSERT(context_.is_object());
}

void Logger::write(std::string_view level, std::string_view msg, const nlohmann::json& fields) const {
  JOET_ASSERT(fields.is_object());
  nlohmann::json line = nlohmann::json::object();
  line["level"] = level;
  line["msg"] = msg;
  for (const auto& [k, v] : context_.items()) line[k] = v;
  for (const auto& [k, v] : fields.items()) line[k] = v;
  sink_(std::move(line));
}

}  // namespace joet::p2p
