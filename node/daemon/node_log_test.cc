#include "node/daemon/node_log.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace joet::daemon {
namespace {

using nlohmann::json;

struct Captured {
  std::vector<json> lines;
  NodeLog log(LogLevel level) {
    return NodeLog("node0", level, [this](std::string_view l) { lines.push_back(json::parse(l)); }, [] { return 1234; });
  }
};

TEST(NodeLog, EveryLineHasTheCommonFieldsWhateverItsSource) {
  Captured c;
  NodeLog log = c.log(LogLevel::kInfo);
  log.write("info", "node", "committed", {{"height", 7}, {"node", "not me"}, {"time_ms", 1}});
  log.sink_for("p2p")(json::parse(R"({"component":"p2p","level":"warn","msg":"peer refused","node":"ab12","reason":"unknown key"})"));
  log.sink_for("rpc")(json::parse(R"({"component":"rpc","level":"info","msg":"request","time_ms":99,"status":200})"));
  ASSERT_EQ(c.lines.size(), 3u);
  for (const json& l : c.lines) {
    EXPECT_EQ(l["node"], "node0") << l;
    EXPECT_TRUE(l.contains("time_ms") && l.contains("level") && l.contains("msg") && l.contains("component")) << l;
  }
  EXPECT_EQ(c.lines[0], (json{{"time_ms", 1234}, {"level", "info"}, {"component", "node"}, {"msg", "committed"},
                              {"height", 7}, {"node", "node0"}}));
  EXPECT_EQ(c.lines[1]["key"], "ab12");  // the transport's own key, no longer under "node"
  EXPECT_EQ(c.lines[1]["reason"], "unknown key");
  EXPECT_EQ(c.lines[1]["component"], "p2p");
  EXPECT_EQ(c.lines[2]["time_ms"], 99);  // the layer's own time is kept
}

TEST(NodeLog, LinesBelowTheLevelAreDroppedFromEverySource) {
  Captured c;
  NodeLog log = c.log(LogLevel::kWarn);
  log.write("info", "node", "committed");
  log.sink_for("rpc")(json::parse(R"({"level":"info","msg":"request"})"));
  log.sink_for("p2p")(json::parse(R"({"level":"warn","msg":"dial failed"})"));
  log.write("error", "node", "halted");
  ASSERT_EQ(c.lines.size(), 2u);
  EXPECT_EQ(c.lines[0]["msg"], "dial failed");
  EXPECT_EQ(c.lines[1]["msg"], "halted");
  EXPECT_TRUE(c.log(LogLevel::kTrace).enabled("debug"));
  EXPECT_FALSE(c.log(LogLevel::kError).enabled("warn"));
}

TEST(NodeLog, ALineThatIsNoJsonObjectIsKeptAsText) {
  Captured c;
  NodeLog log = c.log(LogLevel::kInfo);
  log.sink_for("rpc")(json("not json"));  // a value, but no object
  ASSERT_EQ(c.lines.size(), 1u);
  EXPECT_EQ(c.lines[0]["text"], "\"not json\"");
  EXPECT_EQ(c.lines[0]["level"], "warn");
}

TEST(NodeLog, LevelNamesAreConfigJsons) {
  EXPECT_EQ(parse_log_level("trace"), LogLevel::kTrace);
  EXPECT_EQ(parse_log_level("debug"), LogLevel::kDebug);
  EXPECT_EQ(parse_log_level("warn"), LogLevel::kWarn);
  EXPECT_EQ(parse_log_level("error"), LogLevel::kError);
  EXPECT_EQ(parse_log_level("info"), LogLevel::kInfo);
}

}  // namespace
}  // namespace joet::daemon
