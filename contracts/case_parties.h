// The institutions involved in a case, from its record: the municipality responsible for the child,
// the RvdK that opened it, the GI named by the last granted measure, and the court that decided last
// (each when set, in that order, without repeats). An institution that was involved earlier but is no
// longer named (a GI replaced by a later measure) is not. The RPC's read policy (node/rpc/access_policy.h)
// and the node's dashboard index (node/inzicht/) both use this one definition.
#pragma once

#include <string>
#include <vector>

#include "contracts.pb.h"

namespace joet {

std::vector<std::string> case_parties(const contracts::v1::Case& c);

}  // namespace joet
