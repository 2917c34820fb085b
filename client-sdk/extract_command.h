// joet-client extract: the case extract of client-sdk/case_extract.h, written to a file (and an HTML
// rendering), every item verified on the way against the validators of a genesis.json.
//   joet-client extract CASE_ID --rpc HOST:PORT --genesis FILE --key FILE --out FILE [--html FILE]
// Exit status: 0 written, 2 usage or bad input, 3 an answer failed verification (the item on stderr),
// 1 the node did not answer.
#pragma once

namespace joet::sdk {

// argv[1] is "extract". Returns the exit status.
int run_extract_command(int argc, char** argv);

}  // namespace joet::sdk
