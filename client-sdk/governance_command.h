// joet-client governance build|sign|combine|submit: a governance tx (client-sdk/governance.h) as files
// mailed between institutions, each signing on its own host with its own key (docs/joet-client.md
// "governance"):
//   joet-client governance build   --chain-id ID --nonce N (--key FILE | --first-signer HEX)
//                                  [--max-height H] --out FILE ACTION [NAME=VALUE ...]
//   joet-client governance sign    --in FILE --key FILE --out FILE
//   joet-client governance combine --out FILE IN_FILE [IN_FILE ...]
//   joet-client governance submit  --rpc HOST:PORT --in FILE --key FILE [--wait-ms MS]
// An output file is written atomically, never over an existing file, and only after every check
// passed: bad input leaves no file behind. Exit status as joet-client submit: 0 done (submit:
// committed with OK), 2 usage, bad input (the fault named on stderr) or refused on admission,
// 3 committed but refused by the contracts, 4 not committed within the wait, 1 I/O, network or
// internal error.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace joet::sdk {

// `args` are the words after "governance" (args[0] the subcommand). Returns the exit status.
int run_governance_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace joet::sdk
