#!/usr/bin/env python3
"""Four institutions form a network on four "hosts" with the shipped commands only (ctest -L netns).

Each host is a Linux network namespace with its own address on one bridge (10.77.0.1 .. 10.77.0.4; the
bridge sits in a fifth namespace, so nothing is added to this machine's own network). On each host, as
an operator would (docs/joet-node.md, "Forming a network"): joet-node init, keys new-member and
institution export (with the host's address). The parts are handed to the court's host, which runs
genesis assemble; the genesis.json and the parts go back to every host, which runs genesis install and
peers set, and then joet-node start inside its namespace. The test waits (bounded) until every node's
RPC, read inside its own namespace with `joet-client get`, reports height >= 5 and the chain id, and
checks from the logs that the four agree on every block hash up to 5.

Every process this script starts is stopped by pid, and every namespace and link it made is deleted,
on success and on failure. Without root, without `ip`, or where `ip netns add` is refused (a container
without CAP_SYS_ADMIN), it exits 77, which ctest reports as skipped.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import time

SKIP = 77
DEADLINE = time.monotonic() + 100  # ctest TIMEOUT is 120
INSTITUTIONS = [("rb-amsterdam", "COURT"), ("rvdk", "RVDK"), ("gem-amsterdam", "MUNICIPALITY"), ("gi-jbra", "GI")]
SUBNET = "10.77.0"
P2P_PORT = 26656
RPC = "127.0.0.1:26657"  # init's rpc_address: each node's RPC is reachable inside its own namespace only
TARGET_HEIGHT = 5

# node/daemon/testnet_test.py's process table and stop_all (SIGTERM, then SIGKILL after 5 s, by pid).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "daemon"))
from testnet_test import PROCS, stop_all  # noqa: E402  (host index -> Popen of `ip netns exec NS joet-node start`)


def log(msg):
    print(f"[form-network] {msg}", flush=True)


def run(cmd, check=True, **kw):
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=30, **kw)
    if check and r.returncode != 0:
        raise AssertionError(f"{' '.join(cmd)}: exit {r.returncode}\nstdout: {r.stdout}\nstderr: {r.stderr}")
    return r


class Hosts:
    """The namespaces and links of this run, named after its pid so two runs never share one."""

    def __init__(self):
        tag = f"jf{os.getpid() % 100000}"
        self.switch = f"{tag}sw"
        self.ns = [f"{tag}h{i}" for i in range(4)]
        self.host_link = [f"{tag}a{i}" for i in range(4)]    # the host's end of its veth
        self.switch_link = [f"{tag}b{i}" for i in range(4)]  # the bridge's end
        self.made = []  # namespaces that exist, to delete

    def add_namespace(self, name):
        run(["ip", "netns", "add", name])
        self.made.append(name)
        run(["ip", "netns", "exec", name, "ip", "link", "set", "lo", "up"])

    def build(self):
        self.add_namespace(self.switch)
        run(["ip", "netns", "exec", self.switch, "ip", "link", "add", "br0", "type", "bridge"])
        run(["ip", "netns", "exec", self.switch, "ip", "link", "set", "br0", "up"])
        for i in range(4):
            self.add_namespace(self.ns[i])
            run(["ip", "link", "add", self.host_link[i], "type", "veth", "peer", "name", self.switch_link[i]])
            run(["ip", "link", "set", self.host_link[i], "netns", self.ns[i]])
            run(["ip", "link", "set", self.switch_link[i], "netns", self.switch])
            run(["ip", "netns", "exec", self.switch, "ip", "link", "set", self.switch_link[i], "master", "br0", "up"])
            self.exec(i, ["ip", "addr", "add", f"{self.address(i)}/24", "dev", self.host_link[i]])
            self.exec(i, ["ip", "link", "set", self.host_link[i], "up"])

    def address(self, i):
        return f"{SUBNET}.{i + 1}"

    def exec_cmd(self, i, cmd):
        return ["ip", "netns", "exec", self.ns[i]] + cmd

    def exec(self, i, cmd, check=True):
        return run(self.exec_cmd(i, cmd), check=check)

    def delete(self):
        for name in reversed(self.made):
            subprocess.run(["ip", "netns", "del", name], capture_output=True)
        # A veth still in this namespace (a failure between its creation and its move) goes too.
        for link in self.host_link + self.switch_link:
            subprocess.run(["ip", "link", "del", link], capture_output=True)
        left = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout
        stale = [n for n in self.made if n in left.split()]
        if stale:
            log(f"could not delete namespaces {stale}")


def skip_reason():
    if not sys.platform.startswith("linux"):
        return "needs Linux network namespaces"
    if os.geteuid() != 0:
        return "needs root (ip netns add)"
    if shutil.which("ip") is None:
        return "needs the ip command (iproute2)"
    probe = f"jf{os.getpid() % 100000}probe"
    r = subprocess.run(["ip", "netns", "add", probe], capture_output=True, text=True)
    if r.returncode != 0:
        return f"ip netns add is refused here: {r.stderr.strip()}"
    subprocess.run(["ip", "netns", "del", probe], capture_output=True)
    return None


def committed(log_path):
    """height -> block_hash from a node's log."""
    out = {}
    try:
        with open(log_path, "rb") as f:
            for raw in f:
                try:
                    line = json.loads(raw)
                except ValueError:
                    continue
                if line.get("msg") == "halted":
                    raise AssertionError(f"{log_path}: halted: {line}")
                if line.get("msg") == "committed":
                    out[line["height"]] = line["block_hash"]
    except FileNotFoundError:
        pass
    return out


def form_and_run(args, hosts):
    node, client = args.joet_node, args.joet_client
    host_dirs = [os.path.join(args.work, f"host{i}") for i in range(4)]
    homes = [os.path.join(d, "home") for d in host_dirs]

    # On every host: a node home, a member key, the institution's part.
    parts = []
    for i, (inst, role) in enumerate(INSTITUTIONS):
        os.makedirs(host_dirs[i])
        hosts.exec(i, [node, "init", "--home", homes[i], "--moniker", inst, "--empty-block-interval-ms", "1000"])
        out = hosts.exec(i, [node, "keys", "new-member", "--out", os.path.join(homes[i], "keys", "member.key")]).stdout
        assert out.startswith("member_key "), out
        part = os.path.join(host_dirs[i], f"{inst}.part.json")
        hosts.exec(i, [node, "institution", "export", "--home", homes[i], "--id", inst, "--role", role,
                       "--member-key", os.path.join(homes[i], "keys", "member.key"),
                       "--address", f"{hosts.address(i)}:{P2P_PORT}", "--out", part])
        parts.append(part)
    log("four homes, member keys and parts made, each in its own namespace")

    # The parts are handed to the court's host (host0), which assembles the genesis.
    inbox = os.path.join(host_dirs[0], "parts")
    os.makedirs(inbox)
    received = [shutil.copy(p, inbox) for p in parts]
    genesis = os.path.join(host_dirs[0], "genesis.json")
    now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    out = hosts.exec(0, [node, "genesis", "assemble", "--chain-id", "joet-forming", "--time", now,
                         "--out", genesis] + received).stdout
    genesis_hash = next(l.split()[1] for l in out.splitlines() if l.startswith("genesis_hash "))
    log(f"genesis assembled on host0: {genesis_hash}")

    # The genesis and the parts go to every host: install, peers, start.
    for i in range(4):
        if i == 0:
            local_genesis, local_parts = genesis, received
        else:
            local_genesis = shutil.copy(genesis, os.path.join(host_dirs[i], "genesis.json"))
            os.makedirs(os.path.join(host_dirs[i], "parts"))
            local_parts = [shutil.copy(p, os.path.join(host_dirs[i], "parts")) for p in received]
        out = hosts.exec(i, [node, "genesis", "install", "--home", homes[i], local_genesis]).stdout
        assert f"genesis_hash {genesis_hash}" in out, out
        out = hosts.exec(i, [node, "peers", "set", "--home", homes[i]] + local_parts).stdout
        assert out.startswith("peers 3\n"), out
    for i in range(4):
        f = open(os.path.join(args.work, f"node{i}.log"), "ab")
        PROCS[i] = subprocess.Popen(hosts.exec_cmd(i, [node, "start", "--home", homes[i]]), stdout=f, stderr=f)
        f.close()
    log(f"four nodes started, pids {[p.pid for p in PROCS.values()]}")

    # Bounded: every node's RPC, inside its namespace, at height >= TARGET_HEIGHT.
    t0 = time.monotonic()
    heights = [0] * 4
    while True:
        for i, p in PROCS.items():
            if p.poll() is not None:
                raise AssertionError(f"node{i} exited with {p.returncode}")
        for i in range(4):
            if heights[i] >= TARGET_HEIGHT:
                continue
            r = hosts.exec(i, [client, "get", "--rpc", RPC, "/v1/status"], check=False)
            if r.returncode == 0:
                status = json.loads(r.stdout)
                assert status["chain_id"] == "joet-forming", status
                heights[i] = status["height"]
        if min(heights) >= TARGET_HEIGHT:
            break
        if time.monotonic() > DEADLINE:
            raise AssertionError(f"timed out: heights {heights} after {time.monotonic() - t0:.0f} s")
        time.sleep(0.5)
    log(f"every node at height >= {TARGET_HEIGHT} ({heights}) {time.monotonic() - t0:.1f} s after start")

    # One chain: the four logs agree on every block up to the target.
    logs = [committed(os.path.join(args.work, f"node{i}.log")) for i in range(4)]
    for h in range(1, TARGET_HEIGHT + 1):
        hashes = {c.get(h) for c in logs}
        assert len(hashes) == 1 and None not in hashes, f"height {h}: {hashes}"
    log(f"the four nodes agree on blocks 1..{TARGET_HEIGHT}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--joet-node", required=True)
    ap.add_argument("--joet-client", required=True)
    ap.add_argument("--work", required=True)
    args = ap.parse_args()
    reason = skip_reason()
    if reason:
        log(f"SKIP: {reason}")
        return SKIP
    shutil.rmtree(args.work, ignore_errors=True)
    os.makedirs(args.work)
    hosts = Hosts()
    ok = False
    try:
        hosts.build()
        log(f"namespaces {hosts.ns} on a bridge in {hosts.switch}, {SUBNET}.1-4/24")
        form_and_run(args, hosts)
        ok = True
    except (AssertionError, subprocess.TimeoutExpired) as e:
        log(f"FAIL: {e}")
    finally:
        codes = stop_all()
        hosts.delete()
        if ok and any(c != 0 for c in codes.values()):
            ok = False
            log(f"nodes did not exit 0 on SIGTERM: {codes}")
        if not ok:
            for i in range(4):
                log(f"--- tail of node{i}.log")
                try:
                    for line in open(os.path.join(args.work, f"node{i}.log"), errors="replace").readlines()[-8:]:
                        print(line.rstrip())
                except FileNotFoundError:
                    pass
    log("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
