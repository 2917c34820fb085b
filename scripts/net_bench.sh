#!/usr/bin/env bash
# Committed tx/s of a real 4-validator network on this machine: starts 4 joet-node processes on
# 127.0.0.1 (a fresh testnet, default config), offers load with bench/net_load.cc (signed case.open
# and professional.register txs over the RPC) JOET_NET_RUNS times, prints each run and the median,
# and stops the nodes by pid.
#   JOET_NET_TXS   txs per run (default 4000)     JOET_NET_RUNS  runs (default 3)
#   JOET_BUILD_DIR build directory (default build-bench, Release)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
build="${JOET_BUILD_DIR:-build-bench}"
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DJOET_BENCH=ON >/dev/null
cmake --build "$build" -j "${JOET_JOBS:-$(nproc)}" --target joet-node joet-net-load
node="$build/node/home/joet-node"
load="$build/bench/joet-net-load"
net=$(mktemp -d /tmp/joet-net-bench.XXXXXX)
base=${JOET_NET_BASE_PORT:-27100}
"$node" testnet --validators 4 --output "$net" --chain-id joet-bench --base-port "$base" >/dev/null
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$net"
}
trap cleanup EXIT
for i in 0 1 2 3; do
  "$node" start --home "$net/node$i" 2>"$net/node$i.log" &
  pids+=("$!")
done
rpc="127.0.0.1:$((base + 1)),127.0.0.1:$((base + 3)),127.0.0.1:$((base + 5)),127.0.0.1:$((base + 7))"
for _ in $(seq 1 100); do
  grep -q '"height":2,' "$net/node0.log" 2>/dev/null && break
  sleep 0.2
done
results=()
for run in $(seq 1 "${JOET_NET_RUNS:-3}"); do
  line=$("$load" --rpc "$rpc" --chain-id joet-bench --rvdk-key "$net/node1/keys/member.key" \
    --gi-key "$net/node3/keys/member.key" --txs "${JOET_NET_TXS:-4000}" --run "$run")
  echo "run $run: $line"
  results+=("$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["committed_tx_per_s"])' "$line")")
done
python3 - "${results[@]}" <<'PY'
import statistics, sys
v = sorted(float(x) for x in sys.argv[1:])
print(f"median committed tx/s over {len(v)} runs: {statistics.median(v):.0f} (runs: {', '.join(f'{x:.0f}' for x in v)})")
PY
