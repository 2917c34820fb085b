#!/usr/bin/env python3
"""A damaged table file of the ledger stops the node at start, naming the file and the remedy (ctest -L
daemon): a one-validator home commits blocks, is stopped and started once more (LevelDB turns its log
into a table file), stopped again; one bit of the table file is flipped; the next start must exit 1
within seconds with a `store corrupt` error line naming that file and saying what to do, before it signs
anything. Before, such a node started, committed dozens of blocks and answered 500 when a read reached
the damage. Every process it starts is stopped by its pid."""
import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request


def log(msg):
    print(f"[damaged-store] {msg}", flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def height(rpc):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{rpc}/v1/status", timeout=2) as r:
            return json.load(r)["height"]
    except OSError:
        return 0


def run_until(node, home, rpc, target, log_path):
    with open(log_path, "ab") as out:
        p = subprocess.Popen([node, "start", "--home", home], stdout=out, stderr=out)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and p.poll() is None and height(rpc) < target:
            time.sleep(0.1)
        assert height(rpc) >= target, f"the node did not reach height {target}: exit {p.poll()}"
    finally:
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
        code = p.wait(timeout=20)
    assert code == 0, f"stop: exit {code}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--joet-node", required=True)
    ap.add_argument("--work", required=True)
    args = ap.parse_args()
    shutil.rmtree(args.work, ignore_errors=True)
    os.makedirs(args.work)
    home = os.path.join(args.work, "node")
    subprocess.run([args.joet_node, "init", "--home", home, "--moniker", "damaged", "--empty-block-interval-ms", "20"],
                   check=True, stdout=subprocess.DEVNULL)
    config_path = os.path.join(home, "config.json")
    config = json.load(open(config_path))
    rpc = free_port()
    config["listen_address"] = f"127.0.0.1:{free_port()}"
    config["rpc_address"] = f"127.0.0.1:{rpc}"
    json.dump(config, open(config_path, "w"))
    log_path = os.path.join(args.work, "node.log")
    run_until(args.joet_node, home, rpc, 40, log_path)
    run_until(args.joet_node, home, rpc, 45, log_path)  # the reopen wrote the log's entries into a table
    ledger = os.path.join(home, "data", "ledger")
    tables = sorted(f for f in os.listdir(ledger) if f.endswith(".ldb"))
    assert tables, f"no table file in {os.listdir(ledger)}"
    table = os.path.join(ledger, tables[0])
    data = bytearray(open(table, "rb").read())
    data[len(data) // 3] ^= 0x08
    open(table, "wb").write(data)
    log(f"flipped one bit of {table} ({len(data)} bytes)")

    t0 = time.monotonic()
    r = subprocess.run([args.joet_node, "start", "--home", home], capture_output=True, text=True, timeout=60)
    took = time.monotonic() - t0
    assert r.returncode == 1, f"a damaged store: exit {r.returncode}\n{r.stderr[-1500:]}"
    lines = [json.loads(l) for l in r.stderr.splitlines() if l.startswith("{")]
    errors = [l for l in lines if l.get("level") == "error"]
    assert errors and errors[-1]["msg"] == "store corrupt", f"error lines: {errors}"
    assert table in errors[-1]["error"] and "re-syncs from its peers" in errors[-1]["error"], errors[-1]
    assert not any(l.get("msg") == "committed" for l in lines), "it committed before it stopped"
    log(f"start refused in {took:.1f} s: {errors[-1]['error'][:160]}...")
    log("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
