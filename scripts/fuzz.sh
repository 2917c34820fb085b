#!/usr/bin/env bash
# Builds the decoder fuzz targets with clang + libFuzzer + ASan/UBSan and runs each for RUNS
# executions from the seed corpus with a fixed seed (so a failure replays). Without clang it says so
# and exits 0: the gcc build already ran every target as a seeded mutation smoke test.
#   usage: scripts/fuzz.sh [RUNS]        (default 100000)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-100000}"
if ! command -v clang++ >/dev/null 2>&1; then
  echo "fuzz: clang++ not found, libFuzzer stage skipped (the smoke tests ran in ctest)"
  exit 0
fi
build="${JOET_FUZZ_BUILD_DIR:-build-fuzz}"
echo "== fuzz: configure ($build, clang, libFuzzer + ASan/UBSan)"
CC=clang CXX=clang++ cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DJOET_FUZZ=ON -DJOET_BENCH=OFF >/dev/null
targets=$(cd "$build" && ninja -t targets all | sed -n 's/^\(fuzz_decode_[a-z_]*\): .*/\1/p' | sort -u)
cmake --build "$build" -j "$(nproc)" --target joet-fuzz-seeds $targets
seeds="$build/fuzz-seeds"
rm -rf "$seeds" && mkdir -p "$seeds"
"$build/tests/fuzz/joet-fuzz-seeds" --write-seeds "$seeds"
total=0
for t in $targets; do
  corpus="$build/corpus/$t"
  mkdir -p "$corpus"
  log="$build/$t.log"
  if ! "$build/tests/fuzz/$t" -runs="$runs" -seed=1 -max_len=65536 -print_final_stats=1 "$corpus" "$seeds" >"$log" 2>&1; then
    echo "fuzz: $t FAILED; log: $log"
    tail -40 "$log"
    exit 1
  fi
  n=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  echo "fuzz: $t: ${n:-?} executions ran clean"
  total=$((total + ${n:-0}))
done
echo "fuzz: all targets clean, $total executions in total"
