// Valid encodings of every decoded type, built from a really signed test chain: the starting corpus
// of the fuzz targets (mutations of valid input reach far deeper than random bytes).
#pragma once

#include <vector>

#include "ledger/bytes.h"

namespace joet::fuzz {
std::vector<Bytes> seed_inputs();
}
