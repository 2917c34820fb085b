// The node's one log shape (docs/joet-node.md, "Logs"): one JSON object per line on stderr,
//   {"time_ms":..,"level":"info","node":"<moniker>","component":"node"|"p2p"|"rpc","msg":"..",...}
// for the daemon's own lines and for the lines the p2p transport and the RPC server write through the
// sinks this gives them, filtered by config.json log_level (trace < debug < info < warn < error).
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace joet::daemon {

enum class LogLevel { kTrace, kDebug, kInfo, kWarn, kError };

// "trace", "debug", "info", "warn", "error"; anything else is kInfo (config.json is checked at load).
LogLevel parse_log_level(std::string_view name);

class NodeLog {
 public:
  using Out = std::function<void(std::string_view line)>;  // one line, without its newline
  using Clock = std::function<int64_t()>;                  // wall-clock ms, for time_ms

  NodeLog(std::string moniker, LogLevel min_level, Out out, Clock clock);

  bool enabled(std::string_view level) const;
  // A line of `component`: the common fields first, then `fields` (which may not replace them).
  void write(std::string_view level, std::string_view component, std::string_view msg,
             const nlohmann::json& fields = nlohmann::json::object()) const;
  // A sink for a layer that makes its own lines (p2p::LogSink, rpc::LogSink): each line, a JSON object,
  // is put in the common shape (its "node" field, a p2p transport's key, becomes "key"; a missing
  // time_ms is added) and dropped below the level. A line that is not an object is logged as its text.
  std::function<void(nlohmann::json line)> sink_for(std::string component) const;

 private:
  void emit(nlohmann::json line) const;
  std::string moniker_;
  LogLevel min_level_;
  Out out_;
  Clock clock_;
};

}  // namespace joet::daemon
