#!/usr/bin/env bash
# The long consensus-simulator run, outside the default suite (issue 9): seeds over n = 4, 7 and 10
# validators with every fault ("all": network faults, crashes anywhere, store faults, and the f byzantine
# slots rotating through every adversary). Most seeds run with the fast stand-in signer (joet-sim-fast);
# every tenth seed range runs with the real BIP-340 keys (joet-sim). One process per core. Exits non-zero
# if any seed found a violation; a failing seed prints its replay command.
#   JOET_SIM_SEEDS      seeds per network size (default 3400: about 10^4 seeds in all)
#   JOET_SIM_HEIGHTS    heights per seed (default 100: about 10^6 heights in all)
#   JOET_SIM_BUDGET     wall seconds per (size, binary) run, 0 = none (default 0)
#   JOET_BUILD_DIR      build directory (default: build)
#   JOET_JOBS           parallel processes (default: number of cores)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
build="${JOET_BUILD_DIR:-build}"
seeds="${JOET_SIM_SEEDS:-3400}"
heights="${JOET_SIM_HEIGHTS:-100}"
budget="${JOET_SIM_BUDGET:-0}"
jobs="${JOET_JOBS:-$(nproc)}"
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j "$jobs" --target joet-sim joet-sim-fast
out="$build/sim-long-run"
mkdir -p "$out"
rm -f "$out"/*.json "$out"/*.log

# One line of work per (size, binary, seed range): ranges of 100 seeds, every tenth with real keys.
work=()
for n in 4 7 10; do
  base=$(( n * 1000000 ))
  for (( first = 1; first <= seeds; first += 100 )); do
    last=$(( first + 99 > seeds ? seeds : first + 99 ))
    bin=joet-sim-fast
    if (( (first / 100) % 10 == 9 )); then bin=joet-sim; fi
    work+=("$n $bin $(( base + first )) $(( base + last ))")
  done
done

run_one() {
  local n=$1 bin=$2 first=$3 last=$4
  local name="n${n}-${first}-${last}-${bin}"
  local args=(--seeds "$first..$last" --heights "$heights" --nodes "$n" --faults all)
  if [ "$budget" != "0" ]; then args+=(--budget-seconds "$budget"); fi
  if "$build/tests/sim/$bin" "${args[@]}" >"$out/$name.json" 2>"$out/$name.log"; then
    echo "ok   $name"
  else
    echo "FAIL $name (see $out/$name.log)"
  fi
}
export -f run_one
export build heights budget out
start=$(date +%s)
printf '%s\n' "${work[@]}" | xargs -P "$jobs" -L 1 bash -c 'run_one $0 $1 $2 $3' | tee "$out/progress.txt"
end=$(date +%s)

python3 - "$out" "$(( end - start ))" <<'PY'
import glob, json, sys
out, wall = sys.argv[1], int(sys.argv[2])
tot = {}
for path in glob.glob(out + "/*.json"):
    with open(path) as f:
        r = json.load(f)
    key = (r["nodes"], "real BIP-340" if path.endswith("-joet-sim.json") else "stand-in")
    t = tot.setdefault(key, {"seeds": 0, "heights": 0, "violations": 0, "restarts": 0, "seconds": 0.0, "max_round": 0})
    t["seeds"] += r["seeds"][1] - r["seeds"][0] + 1
    t["heights"] += r["heights_committed"]
    t["violations"] += r["violations"]
    t["restarts"] += r["restarts"]
    t["seconds"] += r["wall_seconds"]
    t["max_round"] = max(t["max_round"], r["max_round"])
print("| nodes | signer | seeds | heights | violations | restarts | max round | heights/s (one core) |")
print("| --- | --- | --- | --- | --- | --- | --- | --- |")
seeds = heights = violations = 0
for (n, signer), t in sorted(tot.items()):
    rate = t["heights"] / t["seconds"] if t["seconds"] else 0
    print(f"| {n} | {signer} | {t['seeds']} | {t['heights']} | {t['violations']} | {t['restarts']} | {t['max_round']} | {rate:.0f} |")
    seeds += t["seeds"]; heights += t["heights"]; violations += t["violations"]
print(f"total: {seeds} seeds, {heights} heights, {violations} violations, {wall} s wall")
sys.exit(1 if violations else 0)
PY
