#include "node/rpc/metrics.h"

#include <gtest/gtest.h>

namespace joet::rpc {
namespace {

TEST(RpcMetrics, HistogramBucketsAreCumulativeAndEndInInf) {
  ServerMetrics m;
  m.record("/v1/status", 200, 0.0005);
  m.record("/v1/status", 200, 0.02);
  m.record("/v1/status", 200, 100.0);
  EXPECT_EQ(m.requests("/v1/status", 200), 3u);
  const std::string text = m.render({}, nullptr);
  EXPECT_NE(text.find("joet_rpc_request_duration_seconds_bucket{route=\"/v1/status\",le=\"0.001\"} 1\n"),
            std::string::npos) << text;
  EXPECT_NE(text.find("joet_rpc_request_duration_seconds_bucket{route=\"/v1/status\",le=\"0.025\"} 2\n"),
            std::string::npos) << text;
  EXPECT_NE(text.find("joet_rpc_request_duration_seconds_bucket{route=\"/v1/status\",le=\"30\"} 2\n"),
            std::string::npos) << text;
  EXPECT_NE(text.find("joet_rpc_request_duration_seconds_bucket{route=\"/v1/status\",le=\"+Inf\"} 3\n"),
            std::string::npos) << text;
  EXPECT_NE(text.find("# TYPE joet_rpc_request_duration_seconds histogram\n"), std::string::npos);
}

TEST(RpcMetrics, BackendSamplesAreGroupedByNameAndBadNamesAreSkipped) {
  ServerMetrics m;
  std::vector<Metric> extra = {
      {"joet_peer_height", "Heights of peers.", Metric::Type::kGauge, {{"peer", "a\"b"}}, 5},
      {"bad name", "x", Metric::Type::kGauge, {}, 1},
      {"joet_blocks_total", "Blocks.", Metric::Type::kCounter, {}, 12},
      {"joet_peer_height", "", Metric::Type::kGauge, {{"peer", "c"}}, 6},
      {"joet_x", "x", Metric::Type::kGauge, {{"__reserved", "v"}}, 1},
      {"joet_rpc_requests_total", "clash with ours", Metric::Type::kCounter, {}, 1},
  };
  size_t skipped = 0;
  const std::string text = m.render(extra, &skipped);
  EXPECT_EQ(skipped, 3u);
  EXPECT_NE(text.find("# HELP joet_peer_height Heights of peers.\n# TYPE joet_peer_height gauge\n"
                      "joet_peer_height{peer=\"a\\\"b\"} 5\njoet_peer_height{peer=\"c\"} 6\n"),
            std::string::npos) << text;
  EXPECT_NE(text.find("# TYPE joet_blocks_total counter\njoet_blocks_total 12\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("bad name"), std::string::npos);
}

TEST(RpcMetrics, ValuesFormatAsPrometheusFloats) {
  EXPECT_EQ(format_metric_value(3), "3");
  EXPECT_EQ(format_metric_value(0.25), "0.25");
  EXPECT_EQ(format_metric_value(1.0 / 0.0), "+Inf");
  EXPECT_EQ(format_metric_value(0.0 / 0.0), "NaN");
  EXPECT_EQ(escape_label_value("a\\b\n\"c\""), "a\\\\b\\n\\\"c\\\"");
}

}  // namespace
}  // namespace joet::rpc
