// joet-client get: one GET of the node's RPC, signed with a member key (docs/rpc.md "Access control"),
// its JSON answer printed as it came (docs/joet-client.md).
//   joet-client get --rpc HOST:PORT [--key FILE --chain-id ID] [--timeout-ms MS] TARGET
// TARGET is the path and query, e.g. "/v1/events?recipient=gem-amsterdam&after=0"; without --key the
// request goes unsigned (open routes only). Exit status: 0 a 2xx answer, 3 a 4xx answer (401/403 included;
// the body is still printed), 2 usage or a bad key file, 1 no answer or a 5xx.
#pragma once

namespace joet::sdk {

// argv[1] is "get". Returns the exit status.
int run_get_command(int argc, char** argv);

}  // namespace joet::sdk
