#!/usr/bin/env python3
"""How much disk an idle network writes (docs/joet-node.md, "Idle disk growth"): a 4-node testnet on
127.0.0.1 runs idle with a short empty_block_interval_ms (so many empty heights pass quickly), and the
data dir of every node is measured (apparent bytes of every file, LevelDB and the consensus WAL) at the
start and after the nodes stop. Prints one JSON line: bytes per empty height per node, and what that
makes per day at a given heartbeat (default 60 s, the default of a real node's config.json).
Needs a build tree (scripts/test.sh or cmake --build build). Stops every node it started, by pid.

    python3 scripts/idle_disk_growth.py [--build build] [--seconds 120] [--interval-ms 200] [--heartbeat-s 60]
"""
import argparse
import importlib.util
import json
import os
import shutil
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
spec = importlib.util.spec_from_file_location("testnet", os.path.join(ROOT, "node", "daemon", "testnet_test.py"))
T = importlib.util.module_from_spec(spec)
spec.loader.exec_module(T)


def data_bytes(home):
    total = 0
    for dirpath, _, files in os.walk(os.path.join(home, "data")):
        for f in files:
            try:
                total += os.path.getsize(os.path.join(dirpath, f))
            except FileNotFoundError:
                pass
    return total


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--seconds", type=float, default=120)
    ap.add_argument("--interval-ms", type=int, default=200)
    ap.add_argument("--heartbeat-s", type=float, default=60)
    ap.add_argument("--work", default="/tmp/joet-idle-growth")
    args = ap.parse_args()
    node = os.path.join(args.build, "node", "home", "joet-node")
    shutil.rmtree(args.work, ignore_errors=True)
    os.makedirs(args.work)
    T.DEADLINE = time.monotonic() + args.seconds + 120
    base = T.free_base_port()
    net = T.Net(node, args.work, base)
    net.write("--empty-block-interval-ms", str(args.interval_ms))
    try:
        net.start_all(10)
        h0 = [net.height(i) for i in range(4)]
        b0 = [data_bytes(net.home(i)) for i in range(4)]
        time.sleep(args.seconds)
        h1 = [net.height(i) for i in range(4)]
    finally:
        T.stop_all()
    b1 = [data_bytes(net.home(i)) for i in range(4)]  # after a clean stop
    per_height = [(b1[i] - b0[i]) / max(1, h1[i] - h0[i]) for i in range(4)]
    median = sorted(per_height)[len(per_height) // 2]
    per_day = 86400 / args.heartbeat_s * median
    print(json.dumps({"heights": [h1[i] - h0[i] for i in range(4)], "bytes_per_empty_height": [round(x) for x in per_height],
                      "median_bytes_per_empty_height": round(median), "heartbeat_s": args.heartbeat_s,
                      "bytes_per_day_at_heartbeat": round(per_day), "mb_per_day_at_heartbeat": round(per_day / 1e6, 2),
                      "mb_per_day_at_1s": round(86400 * median / 1e6, 1)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
