#include "tests/sim/faults.h"

#include <algorithm>
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
    else if (name == "time-shift") byz(Byzantine::kTimeShift);
    else if (name == "withhold") byz(Byzantine::kWithhold);
    else if (name == "fickle") byz(Byzantine::kFickle);
    else if (name == "two-bodies") byz(Byzantine::kTwoBodies);
    else if (name == "false-polka") { byz(Byzantine::kFalsePolka); network = true; }  // it holds a node's messages until GST
    else if (name == "crash-send") { c.crash_after_send_permille = 15; network = true; }
    else if (name == "crash-gst") { c.crashes_after_gst = true; network = true; }
    else if (name == "crash-lock") { c.crash_after_lock_permille = 700; network = true; }
    else if (name == "store") { c.store_faults = true; network = true; }
    else if (name == "commit-faults") { c.store_faults = true; c.wal_loss = false; network = true; }
    else if (name == "no-guard") c.signing_guard = false;
    else if (name == "evidence") {
      // Every offence an honest node saw must end convicted, once, in every honest chain; the
      // byzantine nodes stop misbehaving three quarters in, so the run can end; a smaller pool.
      c.require_evidence = true;
      c.byzantine_until_height = std::max<uint64_t>(1, c.heights * 3 / 4);
      c.max_pending_evidence = 16;
    }
    else if (name == "all") {
      Status s = apply_faults("drop,dup,delay,partition,crash,crash-send,crash-gst,store,skew,valset,members,slow-exec", c);
      if (!s.ok()) return s;
      // The f byzantine slots rotate through every kind with the seed, so a range of seeds meets each.
      static constexpr Byzantine kKinds[] = {Byzantine::kEquivocate, Byzantine::kTimeShift, Byzantine::kWithhold,
                                             Byzantine::kFickle,     Byzantine::kTwin,      Byzantine::kOtherRounds,
                                             Byzantine::kGarbage,    Byzantine::kSilent,    Byzantine::kInvalidBlocks,
                                             Byzantine::kTwoBodies,  Byzantine::kFalsePolka};
      constexpr size_t kCount = sizeof(kKinds) / sizeof(kKinds[0]);
      for (size_t k = 0; k < kCount; ++k) byz(kKinds[(c.seed + k) % kCount]);
      network = true;
    } else {
      return make_error(ErrorCode::kInvalidArgument, "unknown fault '" + name + "'");
    }
  }
  if (network && c.gst_ms == 0) c.gst_ms = 20'000;
  return Status();
}

}  // namespace joet::sim
