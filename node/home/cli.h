// The argument handling shared by joet-node's commands (main.cc, network_commands.cc): options of the
// form --name VALUE, the usage and error messages, and the exit statuses of docs/joet-node.md
// (0 ok, 2 usage or bad input, 1 internal error).
#pragma once

#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "node/home/home_error.h"

namespace joet::home::cli {

struct Args {
  std::map<std::string, std::string> options;                 // each at most once
  std::map<std::string, std::vector<std::string>> repeated;   // may be given several times, in order
  std::vector<std::string> positional;
  bool help = false;
};

// --name VALUE for the names in `names` (once each) and `repeatable`, --help / -h, and positional
// arguments; nullopt with `error` set for an unknown option, a missing value or a repeated one.
std::optional<Args> parse_args(const std::vector<std::string>& argv, std::initializer_list<std::string_view> names,
                               std::string& error, std::initializer_list<std::string_view> repeatable = {});

// Prints `usage` on stdout: 0.
int help(std::string_view usage);
// "joet-node: <message>" and `usage` on stderr: 2.
int usage_error(std::string_view usage, const std::string& message);
// "joet-node: <error>" on stderr: 2 for bad input, 1 for a failure of the operating system.
int failed(const HomeError& error);

}  // namespace joet::home::cli
