#include "client-sdk/events_command.h"

#include <chrono>
#include <csignal>
#include <exception>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include "client-sdk/subscription.h"
#include "node/home/key_file.h"

namespace joet::sdk {

namespace {

constexpr std::string_view kEventsUsage =
    "usage:\n"
    "  joet-client events --rpc HOST:PORT[,HOST:PORT...] --key FILE --chain-id ID --recipient INST\n"
    "                     [--cursor-file F | --after N] [--follow] [--limit N]\n"
    "\n"
    "Prints the notifications of institution INST after a cursor, one JSON object per line, in order\n"
    "(each node numbers INST's events 1, 2, 3, ... the same way). Reads are signed with the member key\n"
    "in FILE (a member of INST, or of an auditor). With --cursor-file the cursor is read from F (absent:\n"
    "0) and written back (atomically) after each page printed, so a rerun continues where the last one\n"
    "stopped; a crash between printing and saving prints a page again, never skips one. With\n"
    "--follow it long-polls for new events until SIGINT/SIGTERM, moving to the next --rpc node when\n"
    "one does not answer; without it, it stops when no event is left.\n"
    "\n"
    "exit status: 0 done, 2 usage, a bad key or cursor file, or the node refused the read (401/403),\n"
    "3 the node broke the numbering (gap or repeat), 1 no node answered\n";

int events_usage(const std::string& why) {
  std::cerr << "joet-client events: " << why << "\n" << kEventsUsage;
  return 2;
}

volatile std::sig_atomic_t g_stop = 0;
void on_signal(int) { g_stop = 1; }

std::vector<std::string> split_commas(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    const size_t comma = std::min(s.find(',', start), s.size());
    if (comma > start) out.push_back(s.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

}  // namespace

int run_events_command(int argc, char** argv) {
  std::map<std::string, std::string> flags;
  bool follow = false;
  for (int i = 2; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--follow") {
      follow = true;
      continue;
    }
    if (a == "--help" || a == "-h") {
      std::cout << kEventsUsage;
      return 0;
    }
    if (!a.starts_with("--")) return events_usage("unexpected argument " + a);
    if (i + 1 >= argc) return events_usage(a + " needs a value");
    const std::string name = a.substr(2);
    if (name != "rpc" && name != "key" && name != "chain-id" && name != "recipient" && name != "cursor-file" &&
        name != "after" && name != "limit") {
      return events_usage("unknown option " + a);
    }
    flags[name] = argv[++i];
  }
  for (const char* required : {"rpc", "key", "chain-id", "recipient"}) {
    if (!flags.count(required)) return events_usage(std::string("--") + required + " is required");
  }
  if (flags.count("cursor-file") && flags.count("after")) return events_usage("--cursor-file or --after, not both");
  SubscriptionConfig config;
  config.rpc = split_commas(flags["rpc"]);
  if (config.rpc.empty()) return events_usage("--rpc: HOST:PORT expected");
  config.recipient = flags["recipient"];
  config.wait_ms = follow ? 25'000 : 0;
  if (flags.count("limit")) {
    const std::optional<uint64_t> limit = parse_decimal_u64(flags["limit"]);
    if (!limit || *limit < 1 || *limit > 1000) return events_usage("--limit: 1 to 1000");
    config.limit = static_cast<uint32_t>(*limit);
  }
  auto key = home::load_key_file(flags["key"]);
  if (!key.ok()) {
    std::cerr << "joet-client events: " << key.error.to_string() << "\n";
    return 2;
  }
  config.signer = RequestSigner{*key.value, flags["chain-id"]};

  uint64_t cursor = 0;
  const std::string cursor_file = flags.count("cursor-file") ? flags["cursor-file"] : "";
  if (!cursor_file.empty()) {
    auto loaded = load_cursor(cursor_file);
    if (!loaded.ok()) {
      std::cerr << "joet-client events: " << loaded.error().to_string() << "\n";
      return 2;
    }
    cursor = *loaded;
  } else if (flags.count("after")) {
    const std::optional<uint64_t> after = parse_decimal_u64(flags["after"]);
    if (!after) return events_usage("--after: not a decimal number");
    cursor = *after;
  }

  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  Subscription sub(config, cursor);
  const EventHandler print = [](const Event& e) {
    std::cout << e.fields.dump() << "\n" << std::flush;
    return Status();
  };
  CursorSaver saver;
  if (!cursor_file.empty()) saver = [&cursor_file](uint64_t c) { return save_cursor(cursor_file, c); };
  while (!g_stop) {
    auto handled = sub.poll_once(print, saver);
    if (handled.ok()) {
      if (*handled == 0 && !follow) return 0;  // nothing left
      continue;
    }
    if (!sub.last_error_retryable()) {
      std::cerr << "joet-client events: " << handled.error().to_string() << "\n";
      const ErrorCode code = handled.error().code;
      return code == ErrorCode::kCorruption || code == ErrorCode::kMalformed ? 3 : 2;
    }
    if (!follow && sub.failures() >= 3 * config.rpc.size()) {
      std::cerr << "joet-client events: no node answered: " << handled.error().to_string() << "\n";
      return 1;
    }
    const uint64_t ms = sub.backoff_ms();
    std::cerr << "joet-client events: " << handled.error().to_string() << "; retrying in " << ms << " ms on "
              << sub.current_node() << "\n";
    for (uint64_t waited = 0; waited < ms && !g_stop; waited += 50) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  return 0;
}

}  // namespace joet::sdk
