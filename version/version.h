// The version of this build, for every binary's --version: the project version (CMakeLists.txt
// project()) and the git commit it was built from (version/build_info.cmake: `git rev-parse --short
// HEAD`, "-dirty" when tracked files differed from it, "unknown" outside a git checkout).
//
// Each main() begins with
//   if (joet::version::is_version_request(argc, argv)) return joet::version::print_version(argv[0]);
#pragma once

#include <string>
#include <string_view>

namespace joet::version {

std::string_view project_version();  // e.g. "0.1.0"
std::string_view git_commit();       // e.g. "4c9867f", "4c9867f-dirty" or "unknown"

// "<program> <project_version> (commit <git_commit>)", program being the file name of argv0.
std::string version_line(std::string_view argv0);

// argv[1] is "--version".
bool is_version_request(int argc, const char* const* argv);

// Writes version_line(argv0) and a newline to stdout: 0, or 1 when stdout cannot be written.
int print_version(std::string_view argv0);

}  // namespace joet::version
