#include "node/daemon/node_log.h"

#include <array>
#include <utility>

namespace joet::daemon {
namespace {

constexpr std::array<std::string_view, 5> kNames = {"trace", "debug", "info", "warn", "error"};

}  // namespace

LogLevel parse_log_level(std::string_view name) {
  for (size_t i = 0; i < kNames.size(); ++i) {
    if (kNames[i] == name) return static_cast<LogLevel>(i);
  }
  return LogLevel::kInfo;
}

NodeLog::NodeLog(std::string moniker, LogLevel min_level, Out out, Clock clock)
    : moniker_(std::move(moniker)), min_level_(min_level), out_(std::move(out)), clock_(std::move(clock)) {}

bool NodeLog::enabled(std::string_view level) const { return parse_log_level(level) >= min_level_; }

void NodeLog::write(std::string_view level, std::string_view component, std::string_view msg,
                    const nlohmann::json& fields) const {
  if (!enabled(level)) return;
  nlohmann::json line = fields.is_object() ? fields : nlohmann::json::object();
  line["level"] = level;
  line["component"] = component;
  line["msg"] = msg;
  line.erase("time_ms");
  line.erase("node");
  emit(std::move(line));
}

std::function<void(nlohmann::json)> NodeLog::sink_for(std::string component) const {
  return [this, component = std::move(component)](nlohmann::json line) {
    if (!line.is_object()) {
      line = nlohmann::json{{"level", "warn"}, {"msg", "unshaped log line"},
                            {"text", line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)}};
    }
    const std::string level = line.value("level", "info");
    if (!enabled(level)) return;
    if (line.contains("node")) {
      line["key"] = line["node"];
      line.erase("node");
    }
    line["level"] = level;
    line["component"] = component;
    emit(std::move(line));
  };
}

void NodeLog::emit(nlohmann::json line) const {
  if (!line.contains("time_ms")) line["time_ms"] = clock_();
  line["node"] = moniker_;
  out_(line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

}  // namespace joet::daemon
