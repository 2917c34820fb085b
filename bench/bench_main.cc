// The main of the Google Benchmark binaries (BENCHMARK_MAIN, with --version first): ledger_bench,
// contracts_bench, audit_bench, sim_bench, sim_bench_standin.
#include <benchmark/benchmark.h>

#include "version/version.h"

int main(int argc, char** argv) {
  if (joet::version::is_version_request(argc, argv)) return joet::version::print_version(argv[0]);
  ::benchmark::Initialize(&argc, argv);
  if (::benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  ::benchmark::RunSpecifiedBenchmarks();
  ::benchmark::Shutdown();
  return 0;
}
