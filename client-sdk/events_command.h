// joet-client events: an institution's notifications from a cursor, one JSON line per event, with no
// event lost across restarts or a node going down (client-sdk/subscription.h, docs/joet-client.md).
//   joet-client events --rpc HOST:PORT[,HOST:PORT...] --key FILE --chain-id ID --recipient INST
//                      [--cursor-file F | --after N] [--follow] [--limit N]
// Exit status: 0 done (without --follow: no more events; with it: stopped by SIGINT/SIGTERM), 2 usage,
// a bad key or cursor file, or a refused read (401/403), 3 the node sent a page that breaks the
// numbering (a gap or repeat), 1 no node answered.
#pragma once

namespace joet::sdk {

// argv[1] is "events". Returns the exit status.
int run_events_command(int argc, char** argv);

}  // namespace joet::sdk
