// joet-client query: a record read from a node's RPC and verified by proof against the validator set
// of a genesis.json (client-sdk/light_client_rpc.h), printed as JSON (docs/joet-client.md).
//   joet-client query case CASE_ID --rpc HOST:PORT --genesis FILE [--height H] [--key FILE] [--trust-file FILE]
//   joet-client query tx TX_ID --rpc HOST:PORT --genesis FILE [--key FILE] [--trust-file FILE]
// Exit status: 0 verified, 2 usage or bad input, 3 verification failed (the fault on stderr),
// 1 the node did not answer (network, HTTP error).
#pragma once

namespace joet::sdk {

// argv[1] is "query". Returns the exit status.
int run_query_command(int argc, char** argv);

}  // namespace joet::sdk
