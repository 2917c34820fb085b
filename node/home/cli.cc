#include "node/home/cli.h"

#include <algorithm>
#include <iostream>

namespace joet::home::cli {

std::optional<Args> parse_args(const std::vector<std::string>& argv, std::initializer_list<std::string_view> names,
                               std::string& error, std::initializer_list<std::string_view> repeatable) {
  Args out;
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (a == "--help" || a == "-h") {
      out.help = true;
    } else if (a.starts_with("--")) {
      const std::string name = a.substr(2);
      const bool once = std::find(names.begin(), names.end(), name) != names.end();
      const bool many = std::find(repeatable.begin(), repeatable.end(), name) != repeatable.end();
      if (!once && !many) {
        error = "unknown option " + a;
        return std::nullopt;
      }
      if (i + 1 >= argv.size()) {
        error = a + " needs a value";
        return std::nullopt;
      }
      if (many) {
        out.repeated[name].push_back(argv[++i]);
      } else if (!out.options.emplace(name, argv[++i]).second) {
        error = a + " given twice";
        return std::nullopt;
      }
    } else {
      out.positional.push_back(a);
    }
  }
  return out;
}

int help(std::string_view usage) {
  std::cout << usage;
  return 0;
}

int usage_error(std::string_view usage, const std::string& message) {
  std::cerr << "joet-node: " << message << "\n" << usage;
  return 2;
}

int failed(const HomeError& error) {
  std::cerr << "joet-node: " << error.to_string() << "\n";
  return error.is_bad_input() ? 2 : 1;
}

}  // namespace joet::home::cli
