#include "tests/sim/faults.h"

#include <sstream>

namespace joet::sim {

Status apply_faults(const std::string& list, SimConfig& c) {
  std::stringstream ss(list);
  std::string name;
  bool network = false;
  auto byz = [&c](Byzantine b) {
    if (c.byzantine.size() < (c.nodes - 1) / 3) c.byzantine.push_back(b);
  };
  while (std::getline(ss, name, ',')) {
    if (name.empty() || name == "none") continue;
    if (name == "drop") { c.drop_permille = 200; network = true; }
    else if (name == "dup") { c.duplicate_permille = 100; network = true; }
    else if (name == "heavy-drop") { c.drop_permille = 450; network = true; }
    else if (name == "delay") { c.max_delay_ms = 2000; network = true; }
    else if (name == "partition") { c.partitions = true; network = true; }
    else if (name == "crash") { c.crashes = true; network = true; }
    else if (name == "skew") c.clock_skew = true;
    else if (name == "valset") c.validator_set_changes = true;
    else if (name == "members") c.membership_changes = true;
    else if (name == "slow-exec") c.max_validation_delay_ms = 400;
    else if (name == "silent") byz(Byzantine::kSilent);
    else if (name == "equivocate") byz(Byzantine::kEquivocate);
    else if (name == "other-rounds") byz(Byzantine::kOtherRounds);
    else if (name == "garbage") byz(Byzantine::kGarbage);
    else if (name == "invalid-blocks") byz(Byzantine::kInvalidBlocks);
    else if (name == "twin") byz(Byzantine::kTwin);
    else if (name == "all") {
      Status s = apply_faults("drop,dup,delay,partition,crash,skew,valset,members,slow-exec,equivocate,twin,other-rounds", c);
      if (!s.ok()) return s;
      network = true;
    } else {
      return make_error(ErrorCode::kInvalidArgument, "unknown fault '" + name + "'");
    }
  }
  if (network && c.gst_ms == 0) c.gst_ms = 20'000;
  return Status();
}

}  // namespace joet::sim
