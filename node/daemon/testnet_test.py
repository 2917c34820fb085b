#!/usr/bin/env python3
"""A 4-node joet-node testnet on 127.0.0.1, as real processes (ctest -L testnet).

testnet --validators 4; start the 4 daemons; every node commits height >= 3 with the same block hash
and state root per height; a case.open signed with the RvdK member key (node1's keys/member.key) is
submitted over node0's RPC and committed on every node (tx status and events read with `joet-client get`,
signed with member keys; an unsigned events read gets 401, another institution's key 403); node3 is killed with SIGKILL and the other
three commit >= 2 more heights; node3 restarts and catches up to the others' height; node2 stops, its
data dir is deleted (keys/ kept), and it starts again: it logs its signing fence, catches up, and signs
again above the fence while the network keeps committing; node0 stops on
SIGTERM with exit 0, joet-audit verifies its whole chain offline, and, its genesis.json changed, refuses to start (genesis mismatch, exit 2); SIGTERM
stops every node with exit 0. Every process this script starts is stopped by pid on the way out.
"""
import argparse
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
PROCS = {}  # node index -> Popen
DEADLINE = time.monotonic() + 120


def log(msg):
    print(f"[testnet] {msg}", flush=True)


def ephemeral_range():
    try:
        lo, hi = open("/proc/sys/net/ipv4/ip_local_port_range").read().split()
        return int(lo), int(hi)
    except (OSError, ValueError):
        return 32768, 60999


def free_base_port():
    # 8 consecutive free ports (p2p + rpc for 4 nodes), from a range derived from our pid, below the
    # kernel's ephemeral range: a port in that range can be taken by an outgoing connection (a peer
    # redialing the dead node, an RPC client) while node3 is down, and node3 could not listen again.
    lo, hi = ephemeral_range()
    top = lo if lo > 12000 else 65536
    first = 10000 if lo > 12000 else hi + 1
    span = (top - first) // 8 * 8 - 8
    for attempt in range(50):
        base = first + ((os.getpid() * 7919 + attempt * 104729) % span) // 8 * 8
        socks = []
        try:
            for p in range(base, base + 8):
                s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                s.bind(("127.0.0.1", p))
                socks.append(s)
            return base
        except OSError:
            continue
        finally:
            for s in socks:
                s.close()
    raise RuntimeError("no free port range")


class Net:
    def __init__(self, joet_node, work, base):
        self.joet_node = joet_node
        self.work = work
        self.base = base
        self.net = os.path.join(work, "net")
        self.joet_client = None  # set with the chain id once the testnet is written
        self.chain_id = None

    def home(self, i):
        return os.path.join(self.net, f"node{i}")

    def log_path(self, i):
        return os.path.join(self.work, f"node{i}.log")

    def write(self, *extra):
        """`joet-node testnet`: four homes in self.net on this base port (extra flags passed on)."""
        subprocess.run([self.joet_node, "testnet", "--validators", "4", "--output", self.net, "--base-port",
                        str(self.base), *extra], check=True, stdout=subprocess.DEVNULL)

    def start_all(self, height=3, timeout=60):
        """Starts the four nodes and waits until every one committed `height`."""
        for i in range(4):
            self.start(i)
        wait_for(f"every node at height >= {height}", lambda: min(self.height(i) for i in range(4)) >= height, timeout)

    def start(self, i):
        f = open(self.log_path(i), "ab")
        PROCS[i] = subprocess.Popen([self.joet_node, "start", "--home", self.home(i)], stdout=f, stderr=f)
        f.close()

    def lines(self, i):
        out = []
        try:
            with open(self.log_path(i), "rb") as f:
                for raw in f:
                    try:
                        out.append(json.loads(raw))
                    except ValueError:
                        pass
        except FileNotFoundError:
            pass
        return out

    def commits(self, i):
        """height -> (block_hash, state_root, time_ms), from node i's log (restarts included)."""
        out = {}
        for line in self.lines(i):
            if line.get("msg") == "halted":
                raise AssertionError(f"node{i} halted: {line}")
            if line.get("msg") == "committed":
                h = line["height"]
                entry = (line["block_hash"], line.get("state_root"), line["time_ms"])
                if h in out and out[h][:2] != entry[:2]:
                    raise AssertionError(f"node{i} committed height {h} twice differently")
                out.setdefault(h, entry)
        return out

    def height(self, i):
        c = self.commits(i)
        return max(c) if c else 0

    def check_agreement(self):
        all_commits = [self.commits(i) for i in range(4)]
        heights = set().union(*[set(c) for c in all_commits])
        for h in heights:
            seen = {c[h][:2] for c in all_commits if h in c}
            if len(seen) != 1:
                raise AssertionError(f"height {h}: nodes disagree: {seen}")
        return len(heights)

    def signed_get(self, i, target, key_node):
        """GET `target` on node i's RPC with `joet-client get`, signed with node key_node's member key
        (testnet: node0 rb-amsterdam, node1 rvdk, node2 gem-amsterdam, node3 gi-jbra). (exit, json)."""
        key = os.path.join(self.home(key_node), "keys", "member.key")
        r = subprocess.run([self.joet_client, "get", "--rpc", f"127.0.0.1:{self.base + 2 * i + 1}", "--key", key,
                            "--chain-id", self.chain_id, target], capture_output=True, text=True, timeout=10)
        try:
            return r.returncode, json.loads(r.stdout or "{}")
        except ValueError:
            return r.returncode, {"stdout": r.stdout, "stderr": r.stderr}

    def metrics(self, i):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.base + 2 * i + 1}/metrics", timeout=5) as r:
                return r.status, r.read().decode()
        except (urllib.error.URLError, ConnectionError, TimeoutError) as e:
            return 0, str(e)

    def rpc(self, i, method, path, body=None):
        url = f"http://127.0.0.1:{self.base + 2 * i + 1}{path}"
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=5) as r:
                return r.status, json.loads(r.read())
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read() or b"{}")
        except (urllib.error.URLError, ConnectionError, TimeoutError) as e:
            return 0, {"error": str(e)}


def guard_height(path):
    """The height node/signing_guard.h's state file records: its valid record with the higher sequence."""
    data = open(path, "rb").read()
    best = None
    for at in (0, 4096):
        r = data[at:at + 88]
        if len(r) == 88 and r[:8] == b"JOETSGD2" and hashlib.sha256(r[:56]).digest() == r[56:]:
            seq, height = int.from_bytes(r[8:16], "big"), int.from_bytes(r[16:24], "big")
            if best is None or seq > best[0]:
                best = (seq, height)
    assert best is not None, f"{path}: no valid record"
    return best[1]


def wait_for(what, cond, timeout):
    end = min(time.monotonic() + timeout, DEADLINE)
    while time.monotonic() < end:
        for i, p in PROCS.items():
            if p.poll() is not None:
                raise AssertionError(f"node{i} exited with {p.returncode} while waiting for {what}")
        if cond():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def print_log_tails(net, lines_of):
    """The last lines of the nodes' logs, for a failed run: lines_of maps node index -> how many, in order."""
    for i, n in lines_of.items():
        log(f"--- tail of node{i}.log")
        try:
            for line in open(net.log_path(i), errors="replace").readlines()[-n:]:
                print(line.rstrip())
        except FileNotFoundError:
            pass


def fresh_net(joet_node, work, seconds):
    """A Net in an emptied `work` on free ports, with the run bounded to `seconds` from now (DEADLINE);
    the caller writes it (net.write) and starts it."""
    global DEADLINE
    DEADLINE = time.monotonic() + seconds
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    return Net(joet_node, work, free_base_port())


def stop_all():
    for i, p in PROCS.items():
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
    codes = {}
    for i, p in PROCS.items():
        try:
            codes[i] = p.wait(timeout=5)
        except subprocess.TimeoutExpired:
            p.kill()
            codes[i] = p.wait()
    return codes


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--joet-node", required=True)
    ap.add_argument("--joet-audit", required=True)
    ap.add_argument("--joet-client", required=True)
    ap.add_argument("--work", required=True)
    args = ap.parse_args()
    shutil.rmtree(args.work, ignore_errors=True)
    os.makedirs(args.work)
    base = free_base_port()
    net = Net(args.joet_node, args.work, base)
    net.write()
    log(f"testnet in {net.net}, base port {base}")
    ok = False
    try:
        t0 = time.monotonic()
        net.start_all(3)
        net.check_agreement()
        log(f"all nodes at height >= 3 after {time.monotonic() - t0:.1f} s, agreeing")

        # A case.open by the RvdK (node1's member key) through node0's RPC, committed everywhere.
        genesis = json.load(open(os.path.join(net.home(0), "genesis.json")))
        net.joet_client = args.joet_client
        net.chain_id = genesis["chain_id"]
        out = subprocess.run([args.joet_client, "tx", "--key", os.path.join(net.home(1), "keys", "member.key"),
                              "--chain-id", genesis["chain_id"], "--nonce", "1", "case.open", "case=case-daemon-001",
                              "municipality=gem-amsterdam", "majority_date=2035-01-01"],
                             check=True, capture_output=True, text=True).stdout
        fields = json.loads(out)
        status, body = net.rpc(0, "POST", "/v1/txs", {"tx": fields["tx"]})
        assert status == 202, f"submit: {status} {body}"
        assert body["tx_id"] == fields["tx_id"], body
        tx_id = fields["tx_id"]

        # Tx status: any member key may read it (here the RvdK's, node1's), signed; unsigned it is 401.
        def committed_everywhere():
            return all(net.signed_get(i, f"/v1/txs/{tx_id}", 1)[1].get("status") == "committed" for i in range(4))
        wait_for("the case.open committed on every node", committed_everywhere, 20)
        code, tx_status = net.signed_get(0, f"/v1/txs/{tx_id}", 1)
        assert code == 0, f"signed tx status: exit {code} {tx_status}"
        h = tx_status["height"]
        assert net.commits(0)[h] is not None
        status, body = net.rpc(0, "GET", f"/v1/txs/{tx_id}")
        assert status == 401 and body["error"]["code"] == "UNAUTHENTICATED", f"unsigned tx status: {status} {body}"
        status, st = net.rpc(2, "GET", "/v1/status")
        assert status == 200 and st["height"] >= h, st
        # The municipality's events: its own key (node2's) reads them; unsigned is 401; the RvdK's key 403.
        events = "/v1/events?recipient=gem-amsterdam&after=0"
        code, ev = net.signed_get(2, events, 2)
        assert code == 0, f"events: exit {code} {ev}"
        kinds = [(e.get("kind"), e.get("case_id")) for e in ev["events"]]
        assert ("CASE_OPENED", "case-daemon-001") in kinds, f"events for gem-amsterdam: {ev}"
        status, body = net.rpc(2, "GET", events)
        assert status == 401 and body["error"]["code"] == "UNAUTHENTICATED", f"unsigned events read: {status} {body}"
        code, body = net.signed_get(2, events, 1)
        assert code == 3 and body["error"]["code"] == "FORBIDDEN", f"events read with the RvdK's key: {code} {body}"
        log(f"case.open {tx_id[:16]}.. committed at height {h} on every node; CASE_OPENED event on node2's RPC "
            f"for gem-amsterdam's key; unsigned 401, the RvdK's key 403")

        # The SDK's subscription CLI: every event from a cursor file, once; a rerun prints nothing new.
        cursor = os.path.join(args.work, "gem-amsterdam.cursor")
        sub = [args.joet_client, "events", "--rpc", f"127.0.0.1:{base + 5},127.0.0.1:{base + 1}", "--key",
               os.path.join(net.home(2), "keys", "member.key"), "--chain-id", net.chain_id,
               "--recipient", "gem-amsterdam", "--cursor-file", cursor]
        r = subprocess.run(sub, capture_output=True, text=True, timeout=30)
        assert r.returncode == 0, f"joet-client events: exit {r.returncode} {r.stderr[-300:]}"
        lines = [json.loads(line) for line in r.stdout.splitlines()]
        assert [e["seq"] for e in lines] == list(range(1, len(lines) + 1)) and lines, f"events: {r.stdout}"
        assert any(e["kind"] == "CASE_OPENED" for e in lines), r.stdout
        assert open(cursor).read().strip() == str(len(lines)), "cursor file"
        r = subprocess.run(sub, capture_output=True, text=True, timeout=30)
        assert r.returncode == 0 and r.stdout == "", f"events rerun: exit {r.returncode} {r.stdout!r}"
        # The light client: the case record verified by proof against genesis.json's validators.
        r = subprocess.run([args.joet_client, "query", "case", "case-daemon-001", "--rpc", f"127.0.0.1:{base + 7}",
                            "--genesis", os.path.join(net.home(0), "genesis.json"), "--key",
                            os.path.join(net.home(1), "keys", "member.key")], capture_output=True, text=True, timeout=30)
        assert r.returncode == 0, f"joet-client query: exit {r.returncode} {r.stdout[-300:]} {r.stderr[-300:]}"
        verified = json.loads(r.stdout)
        assert verified.get("verified") is True, verified
        log(f"joet-client events printed {len(lines)} events once (cursor file {len(lines)}); joet-client query "
            f"verified case-daemon-001 by proof at height {verified.get('height')}")

        # A case system's submit with two nodes, the first one down: the same tx goes to the second; the nonce
        # comes from the node (--nonce next: 2, after the case.open above); a typo'd nonce is refused.
        dead = free_base_port()
        rvdk_key = os.path.join(net.home(1), "keys", "member.key")
        submit = [args.joet_client, "submit", "--rpc", f"127.0.0.1:{dead},127.0.0.1:{base + 3}", "--key", rvdk_key,
                  "--chain-id", net.chain_id, "--wait-ms", "20000"]
        r = subprocess.run(submit + ["--nonce", "next", "case.open", "case=case-daemon-002", "municipality=gem-amsterdam",
                                     "majority_date=2035-01-01"], capture_output=True, text=True, timeout=40)
        assert r.returncode == 0, f"submit with failover: exit {r.returncode} {r.stdout[-300:]} {r.stderr[-300:]}"
        second = json.loads(r.stdout)
        assert second["result"]["code"] == "OK", second
        r = subprocess.run(submit + ["--nonce", "20000", "case.open", "case=case-daemon-003", "municipality=gem-amsterdam",
                                     "majority_date=2035-01-01"], capture_output=True, text=True, timeout=40)
        assert r.returncode == 2 and "NONCE_TOO_FAR" in r.stderr, f"nonce 20000: exit {r.returncode} {r.stderr[-300:]}"
        code, nonce = net.signed_get(3, f"/v1/keys/{json.load(open(rvdk_key))['public']}/nonce", 1)
        assert code == 0 and nonce["last_used"] == 2 and nonce["next"] == 3, f"nonce route: {code} {nonce}"
        log(f"joet-client submit --nonce next over a dead node and node1: committed at height {second['height']}; "
            f"nonce 20000 refused NONCE_TOO_FAR; the key's next nonce 3")

        # An idle network keeps to config.json empty_block_interval_ms (testnet default 1000): no burst of
        # empty blocks (without the interval, four local nodes commit about 80 a second).
        h0, t_idle = max(net.height(i) for i in range(4)), time.monotonic()
        time.sleep(3)
        h1, dt = max(net.height(i) for i in range(4)), time.monotonic() - t_idle
        assert h1 - h0 <= dt + 2, f"{h1 - h0} heights in {dt:.1f} s of idling: the interval is not kept"
        log(f"idle: {h1 - h0} heights in {dt:.1f} s (empty_block_interval_ms 1000)")

        # node3 dies; the other three go on.
        PROCS[3].kill()
        PROCS[3].wait()
        del PROCS[3]
        h_kill = max(net.height(i) for i in range(3))
        t_kill = time.monotonic()
        # Down for 10 s at least, so node3 has a sync to do (about one height a second while idle).
        wait_for("three nodes commit 2 more heights, 10 s without node3",
                 lambda: min(net.height(i) for i in range(3)) >= h_kill + 2 and time.monotonic() - t_kill >= 10, 40)
        log(f"node3 killed at height {net.height(3)}; the others went from {h_kill} to "
            f"{min(net.height(i) for i in range(3))}")

        # node3 comes back and catches up.
        target = max(net.height(i) for i in range(3))
        behind = target - net.height(3)
        t_restart = time.monotonic()
        net.start(3)
        wait_for(f"node3 catching up to {target}", lambda: net.height(3) >= target, 40)
        count = net.check_agreement()
        log(f"node3 caught up {behind} heights to {net.height(3)} in {time.monotonic() - t_restart:.1f} s; "
            f"{count} heights, all nodes agree")

        # node2 loses its data dir (block store and consensus WAL), its keys/ kept: the signing guard
        # (keys/validator.state) fences the heights it signed at, so it follows the chain silently
        # through them and signs again above (docs/joet-node.md, "Keys, the consensus WAL and the
        # signing guard").
        t_wipe = time.monotonic()
        os.kill(PROCS[2].pid, signal.SIGTERM)
        assert PROCS[2].wait(timeout=10) == 0, "node2 did not exit 0 on SIGTERM"
        del PROCS[2]
        h_stop = net.height(2)
        shutil.rmtree(os.path.join(net.home(2), "data"))
        state = os.path.join(net.home(2), "keys", "validator.state")
        recorded = guard_height(state)
        assert recorded >= 1, f"node2's guard records height {recorded}"
        seen = len(net.lines(2))  # node2's log so far: its life before the wipe
        target = max(net.height(i) for i in (0, 1, 3))
        net.start(2)
        fences = []
        def fence_logged():
            fences[:] = [l for l in net.lines(2)[seen:] if l.get("msg") == "signing fence"]
            return bool(fences)
        wait_for("node2's signing fence warning", fence_logged, 10)
        fence = fences[0]["fence"]
        assert fences[0]["level"] == "warn" and fence == recorded, f"fence {fences[0]}, recorded {recorded}"
        def since_wipe():  # node2's height, from its log since the restart
            return max((l["height"] for l in net.lines(2)[seen:] if l.get("msg") == "committed"), default=0)
        wait_for(f"node2 catching up from a wiped data dir to {target}", lambda: since_wipe() >= target, 30)
        # The network goes on, and node2 signs again above its fence (its guard records a higher height).
        wait_for("node2 signing above its fence, the others 2 more heights",
                 lambda: guard_height(state) > fence and min(net.height(i) for i in (0, 1, 3)) >= target + 2, 20)
        status, text = net.metrics(2)
        fence_metric = f"joet_signing_fence_height {fence}"
        assert status == 200 and fence_metric in text.splitlines(), f"metrics: {status} {text[-300:]}"
        # The shipped alert rules name only metrics a node exports (the histogram's _bucket/_sum/_count aside).
        exported = set(re.findall(r"^# TYPE (joet_\w+)", text, re.M))
        rules = open(os.path.join(HERE, "..", "..", "packaging", "joet-alerts.yml")).read()
        unknown = sorted(set(re.findall(r"\b(joet_\w+)", rules)) - exported - {"joet_node"})
        assert not unknown, f"packaging/joet-alerts.yml names metrics no node exports: {unknown}"
        assert re.search(r'^joet_build_info\{version="[^"]+",commit="[^"]+"\} 1$', text, re.M), "no joet_build_info"
        count = net.check_agreement()
        log(f"node2 stopped at height {h_stop}, its data dir wiped: fenced through {fence}, caught up to "
            f"{since_wipe()} and signing again (guard at {guard_height(state)}) "
            f"{time.monotonic() - t_wipe:.1f} s after the stop; {count} heights, all nodes agree")

        # The commit rate, from node0's log over the run.
        c = net.commits(0)
        hs = sorted(c)
        if len(hs) > 1:
            dt = (c[hs[-1]][2] - c[hs[0]][2]) / 1000.0
            log(f"commit rate: {len(hs) - 1} heights in {dt:.1f} s = {(len(hs) - 1) / max(dt, 1e-3):.1f} heights/s")
        # A home whose genesis.json changed refuses the data dir made for the old genesis (exit 2).
        PROCS[0].send_signal(signal.SIGTERM)
        assert PROCS[0].wait(timeout=10) == 0, "node0 did not exit 0 on SIGTERM"
        del PROCS[0]
        # The auditor verifies node0's whole chain offline: certificates, re-execution, no tx twice.
        ledger = os.path.join(net.home(0), "data", "ledger")

        def fingerprint():
            return {n: hashlib.sha256(open(os.path.join(ledger, n), "rb").read()).hexdigest() for n in os.listdir(ledger)}

        before = fingerprint()
        r = subprocess.run([args.joet_audit, "--genesis", os.path.join(net.home(0), "genesis.json"), "--ledger", ledger],
                           capture_output=True, text=True, timeout=60)
        assert r.returncode == 0, f"joet-audit: exit {r.returncode}: {r.stdout[-500:]} {r.stderr[-500:]}"
        assert fingerprint() == before, "joet-audit changed the ledger it audited"
        report = json.loads(r.stdout)
        assert report["finding"] is None and report["heights"] >= 3 and report["txs"] >= 1, f"audit report {report}"
        log(f"joet-audit verified node0's chain: {report['heights']} heights, {report['txs']} txs, "
            f"{report['events']} events in {report['seconds']:.2f} s")
        path = os.path.join(net.home(0), "genesis.json")
        text = open(path).read()
        open(path, "w").write(text.replace(genesis["genesis_time"], "2026-01-01T00:00:00Z"))
        r = subprocess.run([args.joet_node, "start", "--home", net.home(0)], capture_output=True, text=True, timeout=20)
        assert r.returncode == 2 and "genesis mismatch" in r.stderr, f"changed genesis: {r.returncode} {r.stderr[-500:]}"
        open(path, "w").write(text)
        log("a changed genesis.json is refused (genesis mismatch, exit 2)")
        ok = True
    except AssertionError as e:
        log(f"FAIL: {e}")
        raise
    finally:
        codes = stop_all()
        if ok:
            bad = {i: c for i, c in codes.items() if c != 0}
            if bad:
                ok = False
                log(f"nodes did not exit 0 on SIGTERM: {bad}")
        if not ok:
            # node3 (killed and restarted) and node2 (wiped) first and longest: CI keeps only part of the output.
            print_log_tails(net, {3: 25, 2: 25, 0: 6, 1: 6})
    log("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
