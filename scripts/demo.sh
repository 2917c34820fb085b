#!/usr/bin/env bash
# The demo command (README): installs what is missing, builds joet-node and joet-client, writes a
# 4-validator local network (one validator each for a court, the RvdK, a municipality and a GI), starts
# the four nodes on 127.0.0.1, and runs a demo case through them over RPC: the RvdK opens a case and
# asks for an OTS, the court grants it, the GI registers and assigns a jeugdbeschermer and files its
# plan. It then shows what the municipality was notified of (a read signed with the municipality's
# member key: the RPC serves case data only to signed requests, docs/rpc.md), and keeps the network
# running until Ctrl-C, which stops every node it started.
#   JOET_DEMO_DIR        where the network lives (default /tmp/joet-demo; emptied first)
#   JOET_DEMO_BASE_PORT  node i uses BASE + 2i (p2p) and BASE + 2i + 1 (rpc) (default 26656)
#   JOET_DEMO_EXIT=1     stop the network after the demo case instead of waiting for Ctrl-C
#   JOET_BUILD_DIR, JOET_JOBS as for scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh

build="${JOET_BUILD_DIR:-build}"
jobs="${JOET_JOBS:-$(nproc)}"
demo="${JOET_DEMO_DIR:-/tmp/joet-demo}"
base="${JOET_DEMO_BASE_PORT:-26656}"
echo "== build (joet-node, joet-client, joet-demo-cases, joet-inzicht) in $build"
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DJOET_WERROR=ON -DJOET_BENCH=ON >/dev/null
cmake --build "$build" -j "$jobs" --target joet-node joet-client joet-demo-cases joet-inzicht joet-audit joet-verify
node="$build/node/home/joet-node"
client="$build/client-sdk/joet-client"

echo "== a 4-validator network in $demo"
rm -rf "$demo"
"$node" testnet --validators 4 --output "$demo" --chain-id joet-demo --base-port "$base" >/dev/null

pids=()
stop_nodes() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  pids=()
}
trap stop_nodes EXIT
trap 'echo; echo "== stopping the network"; stop_nodes; exit 0' INT TERM
for i in 0 1 2 3; do
  "$node" start --home "$demo/node$i" 2>"$demo/node$i.log" &
  pids+=("$!")
done
echo "   nodes started (pids ${pids[*]}), logs in $demo/node*.log"

rpc() { echo "127.0.0.1:$((base + 2 * $1 + 1))"; }
# An unsigned GET on node $1's RPC (open routes: /v1/status): prints the body (python3 is installed by
# install-deps.sh).
get() {
  python3 - "$(rpc "$1")" "$2" <<'EOF'
import sys, urllib.request
with urllib.request.urlopen(f"http://{sys.argv[1]}{sys.argv[2]}", timeout=5) as r:
    print(r.read().decode())
EOF
}
height() { get "$1" /v1/status 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["height"])' 2>/dev/null || echo 0; }

echo "== waiting for the first blocks"
for _ in $(seq 1 120); do
  [ "$(height 0)" -ge 2 ] && break
  sleep 0.5
done
[ "$(height 0)" -ge 2 ] || { echo "the network did not commit a block within 60 s; see $demo/node0.log" >&2; exit 1; }
echo "   height $(height 0) on node0"

today=$(date -u +%Y-%m-%d)
in_a_year=$(date -u -d "$today + 1 year" +%Y-%m-%d)
in_two_years=$(date -u -d "$today + 2 years" +%Y-%m-%d)
court="$demo/node0/keys/member.key"   # rb-amsterdam
rvdk="$demo/node1/keys/member.key"    # rvdk
municipality="$demo/node2/keys/member.key"  # gem-amsterdam
gi="$demo/node3/keys/member.key"      # gi-jbra
# step SIGNER_KEY NONCE NODE ACTION ARGS...: submit through NODE's RPC and wait for the result.
step() {
  local key=$1 nonce=$2 via=$3 action=$4
  shift 4
  printf '   %-24s ' "$action"
  "$client" submit --rpc "$(rpc "$via")" --key "$key" --chain-id joet-demo --nonce "$nonce" "$action" "$@"
}

echo "== the demo case (each tx submitted to a different node, awaited until committed)"
step "$rvdk" 1 1 case.open case=demo-001 majority_date=2034-06-01 municipality=gem-amsterdam
step "$rvdk" 2 1 request.file case=demo-001 request=req-ots kind=OTS gi=gi-jbra document=doc:verzoekschrift-ots
step "$court" 1 0 court.decide case=demo-001 request=req-ots outcome=GRANTED start_date="$today" end_date="$in_a_year" ground.0=GEBREKKIGE_OUDERLIJKE_VAARDIGHEDEN
step "$gi" 1 3 professional.register professional=jb-demo skj_valid_until="$in_two_years"
step "$gi" 2 3 gi.assign case=demo-001 professional=jb-demo
step "$gi" 3 2 gi.plan case=demo-001 document=doc:plan-van-aanpak

echo "== what the municipality (gem-amsterdam) was notified of, read from node2 with its member key"
"$client" get --rpc "$(rpc 2)" --key "$municipality" --chain-id joet-demo \
  "/v1/events?recipient=gem-amsterdam&after=0&limit=20" | python3 -c "$(cat <<'PY'
import json, sys
for e in json.load(sys.stdin)["events"]:
    print("   #%d height %d: %s case=%s detail=%s" % (e["seq"], e["height"], e["kind"], e["case_id"], e["detail"]))
PY
)"
echo "== the D-PLAN and D-ASSIGN deadlines are satisfied; D-PROGRESS, D-EXTEND, D-NONEXT, D-LAPSE wait in"
echo "   the queue and fire in the first block after they fall due (docs/contracts.md)."
echo "   node status: $(get 3 /v1/status)"

echo "== a few hundred synthetic cases for the dashboard (joet-demo-cases: back-dated over 12 months)"
"$build/client-sdk/joet-demo-cases" --home-dir "$demo" --cases "${JOET_DEMO_CASES:-300}" --keys-out "$demo/keys-extra"

echo "== the inspectorate's audit (joet-audit): node3 stops, its ledger is re-executed from genesis, it restarts"
kill -TERM "${pids[3]}" && wait "${pids[3]}" 2>/dev/null || true
"$build/client-sdk/joet-audit" --genesis "$demo/node3/genesis.json" --ledger "$demo/node3/data/ledger" --quiet \
  > "$demo/audit.json" || echo "   the audit found something: see $demo/audit.json"
"$node" start --home "$demo/node3" 2>>"$demo/node3.log" &
pids[3]=$!
python3 -c 'import json,sys; r=json.loads(open(sys.argv[1]).read().splitlines()[-1]); print("   %d heights verified, finding: %s" % (r["heights"], r["finding"]))' "$demo/audit.json"

echo "== the extract of demo-001 for a parent's lawyer (joet-client extract), checked offline (joet-verify)"
"$client" extract demo-001 --rpc "$(rpc 1)" --genesis "$demo/node1/genesis.json" --key "$rvdk" \
  --out "$demo/demo-001.json" --html "$demo/demo-001.html" 2>/dev/null
"$build/client-sdk/joet-verify" "$demo/demo-001.json" --genesis "$demo/node1/genesis.json" \
  || echo "   the extract did not verify" >&2
echo "   readable: $demo/demo-001.html (docs/case-extract.md)"

inzicht_port="${JOET_DEMO_INZICHT_PORT:-8443}"
echo "== the dashboard (joet-inzicht, docs/inzicht.md) on https://127.0.0.1:$inzicht_port/"
python3 scripts/inzicht_for_testnet.py --testnet "$demo" --out "$demo/inzicht" \
  --inzicht "$build/inzicht/joet-inzicht" --web-dir inzicht/web --port "$inzicht_port" \
  --extra "gi-wsg=GI:$demo/keys-extra/gi-wsg.key" --extra "gem-utrecht=MUNICIPALITY:$demo/keys-extra/gem-utrecht.key" \
  --extra "igj=AUDITOR:$demo/keys-extra/igj.key" --audit-report "$demo/audit.json" \
  > "$demo/inzicht.json"
"$build/inzicht/joet-inzicht" serve --config "$demo/inzicht/inzicht.json" 2>"$demo/inzicht.log" &
pids+=("$!")
for _ in $(seq 1 50); do
  grep -q '"listening"' "$demo/inzicht.log" 2>/dev/null && break
  sleep 0.2
done
grep -q '"listening"' "$demo/inzicht.log" || { echo "joet-inzicht did not start; see $demo/inzicht.log" >&2; exit 1; }
python3 - "$demo/inzicht.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
print("   open %s (a self-signed certificate: accept it in the browser)" % s["url"])
print("   log in as (user / password):")
for a in s["accounts"]:
    print("     %-13s %-14s %s" % (a["role"], a["user"], a["password"]))
print("   Power BI token (header X-Api-Key): %s" % s["token"])
print("   e.g. curl -k -H 'X-Api-Key: %s' %sfeed/v1/signals.csv" % (s["token"], s["url"]))
PY
if [ "${JOET_DEMO_EXIT:-0}" = "1" ]; then
  echo "== JOET_DEMO_EXIT=1: stopping the network and the dashboard"
  exit 0
fi
echo "== the network keeps running (RPC on $(rpc 0) .. $(rpc 3), docs/rpc.md), the dashboard on"
echo "   https://127.0.0.1:$inzicht_port/ (logs in $demo/inzicht.log, access log $demo/inzicht/access.log); Ctrl-C stops all"
wait
