#!/usr/bin/env bash
# The one test command (README): installs what is missing, builds everything with warnings as
# errors, runs every test with ctest, then runs each decoder's libFuzzer target for a short,
# seeded budget when clang is available. Exits non-zero on any failure.
#   JOET_BUILD_DIR   build directory (default: build)
#   JOET_JOBS        parallel jobs (default: number of cores)
#   JOET_FUZZ_RUNS   libFuzzer executions per decoder (default 100000; 0 skips the libFuzzer stage)
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh

build="${JOET_BUILD_DIR:-build}"
jobs="${JOET_JOBS:-$(nproc)}"
echo "== configure ($build)"
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DJOET_WERROR=ON -DJOET_BENCH=ON >/dev/null
echo "== build"
cmake --build "$build" -j "$jobs"
echo "== test"
(cd "$build" && ctest --output-on-failure -j "$jobs" --timeout 900)

if [ "${JOET_FUZZ_RUNS:-100000}" != "0" ]; then
  bash scripts/fuzz.sh "${JOET_FUZZ_RUNS:-100000}"
fi
