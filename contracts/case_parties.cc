#include "contracts/case_parties.h"

#include <algorithm>

namespace joet {

std::vector<std::string> case_parties(const contracts::v1::Case& c) {
  std::vector<std::string> out;
  for (const std::string* id : {&c.municipality(), &c.rvdk(), &c.gi(), &c.court()}) {
    if (!id->empty() && std::find(out.begin(), out.end(), *id) == out.end()) out.push_back(*id);
  }
  return out;
}

}  // namespace joet
