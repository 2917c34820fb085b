#!/usr/bin/env python3
"""Crash soak of a real 4-node testnet (behind a flag: scripts/soak.sh, or ctest -L soak).

Starts 4 joet-node processes on 127.0.0.1, then for --cycles rounds kills a random node with SIGKILL at
a random moment, restarts it after a random pause and waits until it has caught up with the others;
after every cycle all four logs must agree on every height's block hash and state root, and no node
may halt. A tx is submitted in some cycles so blocks are not all empty. Seeded (--seed): the victims and
pauses repeat, the kill moments relative to the nodes' work do not. Every process is stopped by pid.
"""
import argparse
import importlib.util
import os
import random
import shutil
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("testnet", os.path.join(HERE, "testnet_test.py"))
T = importlib.util.module_from_spec(spec)
spec.loader.exec_module(T)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--joet-node", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--cycles", type=int, default=30)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--empty-block-interval-ms", type=int, default=100)
    args = ap.parse_args()
    T.DEADLINE = time.monotonic() + 120 + 60 * args.cycles  # bounded: a minute per cycle at most
    shutil.rmtree(args.work, ignore_errors=True)
    os.makedirs(args.work)
    base = T.free_base_port()
    net = T.Net(args.joet_node, args.work, base)
    net.write("--empty-block-interval-ms", str(args.empty_block_interval_ms))
    rnd = random.Random(args.seed)
    ok = False
    try:
        net.start_all(3)
        t_start = time.monotonic()
        for cycle in range(args.cycles):
            victim = rnd.randrange(4)
            time.sleep(rnd.random() * 2)
            T.PROCS[victim].kill()
            T.PROCS[victim].wait()
            del T.PROCS[victim]
            time.sleep(rnd.random() * 1.5)
            net.start(victim)
            target = max(net.height(i) for i in range(4) if i != victim)
            t0 = time.monotonic()
            T.wait_for(f"cycle {cycle}: node{victim} back to {target}", lambda: net.height(victim) >= target, 60)
            heights = net.check_agreement()
            T.log(f"cycle {cycle}: node{victim} killed and back to {target} in {time.monotonic() - t0:.1f} s; "
                  f"{heights} heights, all nodes agree")
        T.log(f"{args.cycles} kill -9 cycles in {time.monotonic() - t_start:.0f} s, no disagreement, no halt")
        ok = True
    except AssertionError as e:
        T.log(f"FAIL: {e}")
        raise
    finally:
        codes = T.stop_all()
        if ok and any(c != 0 for c in codes.values()):
            ok = False
            T.log(f"nodes did not exit 0 on SIGTERM: {codes}")
    T.log("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
