#include "node/rpc/metrics.h"

#include <charconv>
#include <cmath>
#include <set>

namespace joet::rpc {

namespace {

bool name_char(char c, bool first, bool colon_ok) {
  const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (colon_ok && c == ':');
  return alpha || (!first && c >= '0' && c <= '9');
}

std::string escape_help(std::string_view help) {
  std::string out;
  for (char c : help) {
    if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

std::string labels_text(const std::vector<std::pair<std::string, std::string>>& labels) {
  if (labels.empty()) return "";
  std::string out = "{";
  for (size_t i = 0; i < labels.size(); ++i) {
    if (i > 0) out += ",";
    out += labels[i].first + "=\"" + escape_label_value(labels[i].second) + "\"";
  }
  return out + "}";
}

}  // namespace

bool valid_metric_name(std::string_view name) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    if (!name_char(name[i], i == 0, true)) return false;
  }
  return true;
}

bool valid_label_name(std::string_view name) {
  if (name.empty() || name.starts_with("__")) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    if (!name_char(name[i], i == 0, false)) return false;
  }
  return true;
}

std::string escape_label_value(std::string_view value) {
  std::string out;
  for (char c : value) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

std::string format_metric_value(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  char buf[64];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  if (ec != std::errc()) return "NaN";
  return std::string(buf, end);
}

void ServerMetrics::record(const std::string& route, unsigned status, double duration_seconds) {
  ++requests_[{route, status}];
  Histogram& h = durations_[route];
  size_t i = 0;
  while (i < kDurationBuckets.size() && duration_seconds > kDurationBuckets[i]) ++i;
  if (i < kDurationBuckets.size()) ++h.buckets[i];
  ++h.count;
  h.sum += duration_seconds;
}

uint64_t ServerMetrics::requests(const std::string& route, unsigned status) const {
  auto it = requests_.find({route, status});
  return it == requests_.end() ? 0 : it->second;
}

std::string ServerMetrics::render(const std::vector<Metric>& extra, size_t* skipped) const {
  std::string out;
  out += "# HELP joet_rpc_requests_total RPC requests answered, by route template and HTTP status.\n";
  out += "# TYPE joet_rpc_requests_total counter\n";
  for (const auto& [key, n] : requests_) {
    out += "joet_rpc_requests_total{route=\"" + escape_label_value(key.first) + "\",code=\"" +
           std::to_string(key.second) + "\"} " + std::to_string(n) + "\n";
  }
  out += "# HELP joet_rpc_request_duration_seconds Time from a complete request to its response.\n";
  out += "# TYPE joet_rpc_request_duration_seconds histogram\n";
  for (const auto& [route, h] : durations_) {
    const std::string r = "route=\"" + escape_label_value(route) + "\"";
    uint64_t cumulative = 0;
    for (size_t i = 0; i < kDurationBuckets.size(); ++i) {
      cumulative += h.buckets[i];
      out += "joet_rpc_request_duration_seconds_bucket{" + r + ",le=\"" +
             format_metric_value(kDurationBuckets[i]) + "\"} " + std::to_string(cumulative) + "\n";
    }
    out += "joet_rpc_request_duration_seconds_bucket{" + r + ",le=\"+Inf\"} " + std::to_string(h.count) + "\n";
    out += "joet_rpc_request_duration_seconds_sum{" + r + "} " + format_metric_value(h.sum) + "\n";
    out += "joet_rpc_request_duration_seconds_count{" + r + "} " + std::to_string(h.count) + "\n";
  }
  out += "# HELP joet_rpc_connections_open Client connections open now.\n";
  out += "# TYPE joet_rpc_connections_open gauge\n";
  out += "joet_rpc_connections_open " + std::to_string(connections_open_) + "\n";
  out += "# HELP joet_rpc_connections_refused_total Connections closed at accept: over max_connections_per_client, or over max_connections with none idle.\n";
  out += "# TYPE joet_rpc_connections_refused_total counter\n";
  out += "joet_rpc_connections_refused_total " + std::to_string(connections_refused_) + "\n";
  out += "# HELP joet_rpc_connections_evicted_total Idle connections closed to admit a new one at max_connections.\n";
  out += "# TYPE joet_rpc_connections_evicted_total counter\n";
  out += "joet_rpc_connections_evicted_total " + std::to_string(connections_evicted_) + "\n";
  out += "# HELP joet_rpc_long_polls_waiting Event long-polls waiting now.\n";
  out += "# TYPE joet_rpc_long_polls_waiting gauge\n";
  out += "joet_rpc_long_polls_waiting " + std::to_string(long_polls_waiting_) + "\n";

  // The backend's samples, grouped by name in first-seen order (one HELP/TYPE per name).
  size_t skip = 0;
  std::vector<std::string> order;
  std::map<std::string, std::vector<const Metric*>> by_name;
  for (const Metric& m : extra) {
    bool ok = valid_metric_name(m.name) && !m.name.starts_with("joet_rpc_");
    std::set<std::string> seen;
    for (const auto& [k, v] : m.labels) ok = ok && valid_label_name(k) && seen.insert(k).second;
    if (!ok) {
      ++skip;
      continue;
    }
    auto [it, fresh] = by_name.try_emplace(m.name);
    if (fresh) order.push_back(m.name);
    it->second.push_back(&m);
  }
  for (const std::string& name : order) {
    const std::vector<const Metric*>& samples = by_name[name];
    const Metric& first = *samples.front();
    out += "# HELP " + name + " " + escape_help(first.help) + "\n";
    out += "# TYPE " + name + (first.type == Metric::Type::kCounter ? " counter\n" : " gauge\n");
    for (const Metric* m : samples) out += name + labels_text(m->labels) + " " + format_metric_value(m->value) + "\n";
  }
  if (skipped != nullptr) *skipped = skip;
  return out;
}

}  // namespace joet::rpc
