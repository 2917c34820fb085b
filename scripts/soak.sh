#!/usr/bin/env bash
# Longer runs kept out of the default suite (README): a kill -9 soak of a real 4-node testnet and
# the consensus simulator over many seeds. Builds what it needs first.
#   JOET_SOAK_CYCLES  kill/restart cycles (default 100)
#   JOET_SOAK_SEED    the soak's seed (default 1)
#   JOET_SIM_SEEDS    simulator seeds per network size (default 200)
#   JOET_BUILD_DIR    build directory (default: build)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
build="${JOET_BUILD_DIR:-build}"
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j "${JOET_JOBS:-$(nproc)}" --target joet-node
echo "== kill -9 soak: ${JOET_SOAK_CYCLES:-100} cycles"
python3 node/daemon/soak_test.py --joet-node "$build/node/home/joet-node" --work "$build/soak" \
  --cycles "${JOET_SOAK_CYCLES:-100}" --seed "${JOET_SOAK_SEED:-1}"

echo "== consensus simulator: seeds 1..${JOET_SIM_SEEDS:-200}, 4 and 7 nodes, every fault"
cmake --build "$build" -j "${JOET_JOBS:-$(nproc)}" --target joet-sim
for n in 4 7; do
  "$build/tests/sim/joet-sim" --seeds "1..${JOET_SIM_SEEDS:-200}" --heights 50 --nodes "$n" \
    --faults drop,dup,partition,crash,equivocate
done
