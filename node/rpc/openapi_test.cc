// node/rpc/openapi.json is valid JSON and describes every route the server has, with its method.
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "node/rpc/handler.h"

namespace joet::rpc {
namespace {

nlohmann::json load_openapi() {
  std::ifstream in(JOET_RPC_OPENAPI);
  std::stringstream text;
  text << in.rdbuf();
  return nlohmann::json::parse(text.str(), nullptr, false);
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

TEST(RpcOpenApi, IsValidJsonOfOpenApi3) {
  const nlohmann::json doc = load_openapi();
  ASSERT_TRUE(doc.is_object()) << "openapi.json does not parse";
  EXPECT_EQ(doc.value("openapi", "").rfind("3.0", 0), 0u);
  EXPECT_TRUE(doc.contains("info"));
  ASSERT_TRUE(doc.contains("paths"));
}

TEST(RpcOpenApi, DescribesEveryRouteOfTheServerWithItsMethodAndResponses) {
  const nlohmann::json doc = load_openapi();
  ASSERT_TRUE(doc.is_object());
  const nlohmann::json& paths = doc["paths"];
  for (const RouteInfo& route : routes()) {
    const std::string path(route.path);
    ASSERT_TRUE(paths.contains(path)) << path;
    const std::string method = lower(route.method);
    ASSERT_TRUE(paths[path].contains(method)) << route.method << " " << path;
    const nlohmann::json& op = paths[path][method];
    EXPECT_TRUE(op.contains("operationId")) << path;
    ASSERT_TRUE(op.contains("responses")) << path;
    EXPECT_FALSE(op["responses"].empty()) << path;
  }
  // And nothing the server does not serve.
  size_t operations = 0;
  for (const auto& [path, item] : paths.items()) {
    for (const auto& [method, op] : item.items()) {
      if (method == "parameters") continue;
      ++operations;
      bool served = false;
      for (const RouteInfo& route : routes()) served = served || (route.path == path && lower(route.method) == method);
      EXPECT_TRUE(served) << method << " " << path;
    }
  }
  EXPECT_EQ(operations, routes().size());
}

}  // namespace
}  // namespace joet::rpc
