// Runs a fuzz target without libFuzzer (gcc builds, the default test suite): the seed corpus, then a
// fixed number of seeded mutations of it (bit flips, truncations, splices, inserted bytes).
// `--write-seeds DIR` writes the seed corpus for the libFuzzer build (scripts/fuzz.sh).
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <random>
#include <string>

#include "ledger/hash.h"
#include "tests/fuzz/seeds.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

int main(int argc, char** argv) {
  using joet::Bytes;
  auto seeds = joet::fuzz::seed_inputs();
  if (argc == 3 && std::strcmp(argv[1], "--write-seeds") == 0) {
    for (const auto& s : seeds) {
      std::ofstream f(std::string(argv[2]) + "/" + joet::to_hex(joet::sha256(s)).substr(0, 16), std::ios::binary);
      f.write(reinterpret_cast<const char*>(s.data()), static_cast<std::streamsize>(s.size()));
    }
    return 0;
  }
  long runs = argc >= 2 ? std::strtol(argv[1], nullptr, 10) : 20000;
  std::mt19937_64 rng(20261123);  // fixed: a failure replays exactly
  long executed = 0;
  for (const auto& s : seeds) {
    LLVMFuzzerTestOneInput(s.data(), s.size());
    ++executed;
  }
  for (long i = 0; i < runs; ++i) {
    Bytes in = seeds[rng() % seeds.size()];
    int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits; ++e) {
      switch (rng() % 5) {
        case 0:
          if (!in.empty()) in[rng() % in.size()] ^= static_cast<uint8_t>(1u << (rng() % 8));
          break;
        case 1:
          if (!in.empty()) in.resize(rng() % in.size());
          break;
        case 2:
          in.insert(in.begin() + static_cast<long>(in.empty() ? 0 : rng() % in.size()), static_cast<uint8_t>(rng()));
          break;
        case 3: {
          const Bytes& other = seeds[rng() % seeds.size()];
          size_t cut = in.empty() ? 0 : rng() % in.size();
          in.resize(cut);
          in.insert(in.end(), other.begin() + static_cast<long>(other.size() / 2), other.end());
          break;
        }
        default:
          if (!in.empty()) in[rng() % in.size()] = static_cast<uint8_t>(rng());
      }
    }
    LLVMFuzzerTestOneInput(in.data(), in.size());
    ++executed;
  }
  std::printf("fuzz smoke: %ld inputs ran clean\n", executed);
  return 0;
}
