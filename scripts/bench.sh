#!/usr/bin/env bash
# Builds Release and runs the benchmarks with repetitions, reporting medians.
#   usage: scripts/bench.sh [extra Google Benchmark flags, e.g. --benchmark_filter=Verify]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
build="${JOET_BENCH_BUILD_DIR:-build-bench}"
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DJOET_BENCH=ON >/dev/null
cmake --build "$build" -j "$(nproc)" --target ledger_bench contracts_bench audit_bench inzicht_bench sim_bench sim_bench_standin
for bench in ledger_bench contracts_bench audit_bench inzicht_bench sim_bench sim_bench_standin; do
  echo "== $bench"
  "$build/bench/$bench" --benchmark_repetitions=5 --benchmark_report_aggregates_only=true \
    --benchmark_min_time=0.5 "$@"
done
