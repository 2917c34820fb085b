// One libFuzzer target per decoder: the same source, built once per decoder with
// JOET_FUZZ_DECODER set to the function's name. Invariants checked on every input:
//   - the decoder returns a value or a typed error, and never crashes or asserts;
//   - whatever it accepts re-encodes to exactly the input bytes (canonical encoding).
#include <cstdint>
#include <cstdlib>

#include "consensus/wire.h"
#include "ledger/codec.h"

#ifndef JOET_FUZZ_DECODER
#error "build with -DJOET_FUZZ_DECODER=<decoder function>"
#endif

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace joet;             // ledger/codec.h decoders
  using namespace joet::consensus;  // consensus/wire.h decoders
  ByteView input(data, size);
  auto decoded = JOET_FUZZ_DECODER(input);
  if (decoded.ok()) {
    Bytes again = encode(*decoded);
    if (!std::equal(again.begin(), again.end(), input.begin(), input.end())) std::abort();
  } else if (decoded.error().message.empty()) {
    std::abort();  // every refusal must say why
  }
  return 0;
}
