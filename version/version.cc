#include "version/version.h"

#include <iostream>

#include "version/build_info.h"

namespace joet::version {

std::string_view project_version() { return JOET_PROJECT_VERSION; }

std::string_view git_commit() { return JOET_GIT_COMMIT; }

std::string version_line(std::string_view argv0) {
  const size_t slash = argv0.rfind('/');
  const std::string_view program = slash == std::string_view::npos ? argv0 : argv0.substr(slash + 1);
  return std::string(program) + " " + std::string(project_version()) + " (commit " + std::string(git_commit()) + ")";
}

bool is_version_request(int argc, const char* const* argv) {
  return argc >= 2 && argv[1] != nullptr && std::string_view(argv[1]) == "--version";
}

int print_version(std::string_view argv0) {
  std::cout << version_line(argv0) << "\n";
  std::cout.flush();
  return std::cout ? 0 : 1;
}

}  // namespace joet::version
