// node/rpc/openapi.json, compiled into the node: GET /v1/openapi.json serves the very document
// openapi_test checks against the server's routes (the build embeds the file; it is never read at run time).
#pragma once

#include <string_view>

namespace joet::rpc {

std::string_view openapi_document();

}  // namespace joet::rpc
