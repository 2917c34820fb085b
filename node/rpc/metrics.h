// The RPC server's own metrics and the Prometheus text exposition (format 0.0.4) of them together
// with the backend's. Used on the server's io_context thread only: no locks.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "node/rpc/backend.h"

namespace joet::rpc {

class ServerMetrics {
 public:
  // Upper bounds (seconds) of the request duration histogram; +Inf follows implicitly.
  static constexpr std::array<double, 11> kDurationBuckets = {0.001, 0.005, 0.01, 0.025, 0.05, 0.1,
                                                              0.25,  0.5,   1.0,  5.0,   30.0};

  // One answered request: `route` is the route template ("unmatched", "invalid" for the others).
  void record(const std::string& route, unsigned status, double duration_seconds);
  void set_connections(size_t open) { connections_open_ = open; }
  void connection_refused() { ++connections_refused_; }
  void connection_evicted() { ++connections_evicted_; }
  void set_long_polls(size_t waiting) { long_polls_waiting_ = waiting; }

  uint64_t requests(const std::string& route, unsigned status) const;

  // The exposition: the server's metrics, then the backend's `extra` samples grouped by name
  // (samples with an invalid metric or label name are left out and counted in `skipped`).
  std::string render(const std::vector<Metric>& extra, size_t* skipped) const;

 private:
  struct Histogram {
    std::array<uint64_t, kDurationBuckets.size()> buckets{};  // non-cumulative counts
    uint64_t count = 0;
    double sum = 0;
  };
  std::map<std::pair<std::string, unsigned>, uint64_t> requests_;
  std::map<std::string, Histogram> durations_;
  size_t connections_open_ = 0;
  uint64_t connections_refused_ = 0;
  uint64_t connections_evicted_ = 0;
  size_t long_polls_waiting_ = 0;
};

bool valid_metric_name(std::string_view name);
bool valid_label_name(std::string_view name);
std::string escape_label_value(std::string_view value);
std::string format_metric_value(double value);

}  // namespace joet::rpc
