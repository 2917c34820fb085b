// Structured logs of the p2p layer: one JSON object per line, handed as an object to a sink the caller chooses
// (default: stderr). E.g. {"level":"warn","msg":"peer refused","reason":"unknown key","remote":"127.0.0.1:1234"}.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace joet::p2p {

// Receives one line as its JSON object: the sink writes it (the node's NodeLog adds the common fields
// and filters by level without a parse; stderr_log_sink dumps it on one line).
using LogSink = std::function<void(nlohmann::json line)>;
LogSink stderr_log_sink();

class Logger {
 public:
  // `context` fields (e.g. {"node": "..."}) are added to every line.
  Logger(LogSink sink, nlohmann::json context);

  void info(std::string_view msg, const nlohmann::json& fields = nlohmann::json::object()) const {
    write("info", msg, fields);
  }
  void warn(std::string_view msg, const nlohmann::json& fields = nlohmann::json::object()) const {
    write("warn", msg, fields);
  }

 private:
  void write(std::string_view level, std::string_view msg, const nlohmann::json& fields) const;
  LogSink sink_;
  nlohmann::json context_;
};

}  // namespace joet::p2p
