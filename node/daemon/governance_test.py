#!/usr/bin/env python3
"""Governance on a real 4-node joet-node testnet on 127.0.0.1 (ctest -L testnet), with the shipped
commands only: every governance tx is written by `joet-client governance build`, signed apart by each
institution with its own member key file (`governance sign`, one output file each, as if mailed),
combined (`governance combine`) and submitted (`governance submit`), which waits until it is committed.

In order: (b) institution.add of a GI `gi-utrecht`, its admin key a fresh member key file; the new GI's
key reads its INSTITUTION_ADDED event and registers a professional (its role works). (c) policy.set
plan_days 30: signed by 3 of the now 5 institutions it is refused on admission (NOT_AUTHORIZED, nonce
not used); the new GI signs the same proposal and the 4 of 5 pass. (d) rules.schedule of the next version
(the genesis runs the latest) at a far height (RULES_SCHEDULED vN-from-H to the institutions), then
withdrawn (the version in force: `withdrawn`), the chain still at its version. (a) validator.update replacing node3's validator key: node3 stopped, its
key replaced with `joet-node keys new-validator` (the old key, guard and WAL retired), restarted as a
follower; GET /v1/validators shows the new set from height + 2; every node pins the new key from the
chain, those that must dial it get its address with `joet-node peers add` and SIGHUP, and node3 signs
again with its new key. Last, a case granted an OTS by the court
(through the new GI) has its D-PLAN due start + 30 days (the policy changed), read with `joet-client
query case`, verified by proof from genesis across the validator-set change.

Every process this script starts is stopped by pid on the way out.
"""
import argparse
import datetime
import importlib.util
import json
import os
import signal
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("testnet", os.path.join(HERE, "testnet_test.py"))
T = importlib.util.module_from_spec(spec)
spec.loader.exec_module(T)

INSTITUTIONS = ["rb-amsterdam", "rvdk", "gem-amsterdam", "gi-jbra"]  # node i holds INSTITUTIONS[i]'s member key


def log(msg):
    print(f"[governance] {msg}", flush=True)


class Client:
    """joet-client and joet-node runs, and the member keys and nonces of the institutions."""

    def __init__(self, joet_client, joet_node, net, work, chain_id):
        self.joet_client = joet_client
        self.joet_node = joet_node
        self.net = net
        self.work = work
        self.chain_id = chain_id
        self.keys = {inst: os.path.join(net.home(i), "keys", "member.key") for i, inst in enumerate(INSTITUTIONS)}
        self.nonces = {inst: 0 for inst in INSTITUTIONS}

    def rpc(self, i):
        return f"127.0.0.1:{self.net.base + 2 * i + 1}"

    def run(self, *argv, timeout=30):
        return subprocess.run([self.joet_client, *argv], capture_output=True, text=True, timeout=timeout)

    def ok(self, *argv):
        r = self.run(*argv)
        assert r.returncode == 0, f"joet-client {argv[:2]}: exit {r.returncode}: {r.stderr[-600:]}"
        return json.loads(r.stdout)

    def get(self, i, target, inst):
        r = self.run("get", "--rpc", self.rpc(i), "--key", self.keys[inst], "--chain-id", self.chain_id, target)
        assert r.returncode == 0, f"get {target} as {inst}: exit {r.returncode}: {r.stdout[-300:]} {r.stderr[-300:]}"
        return json.loads(r.stdout)

    def submit(self, inst, action, *args, node=0):
        """An ordinary tx signed by inst's member key, submitted and awaited: its committed status."""
        self.nonces[inst] += 1
        return self.ok("submit", "--rpc", self.rpc(node), "--key", self.keys[inst], "--chain-id", self.chain_id,
                       "--nonce", str(self.nonces[inst]), "--wait-ms", "20000", action, *args)

    def new_member_key(self, name):
        """A fresh key file made by the shipped joet-node command; (path, public key hex)."""
        path = os.path.join(self.work, "keys", f"{name}.key")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        r = subprocess.run([self.joet_node, "keys", "new-member", "--out", path], capture_output=True, text=True,
                           timeout=10)
        assert r.returncode == 0, f"joet-node keys new-member: exit {r.returncode}: {r.stderr[-300:]}"
        (key,) = [line.split()[1] for line in r.stdout.splitlines() if line.startswith("member_key ")]
        return path, key

    def proposal(self, name, first, action, *args):
        """`governance build` by the first signer `first` with its next nonce: the proposal file."""
        d = os.path.join(self.work, "gov", name)
        os.makedirs(d)
        path = os.path.join(d, "proposal.json")
        built = self.ok("governance", "build", "--chain-id", self.chain_id, "--nonce", str(self.nonces[first] + 1),
                        "--key", self.keys[first], "--out", path, action, *args)
        assert os.path.exists(path) and built["signatures"] == 0, built
        return path

    def sign(self, proposal, inst):
        """inst signs its own copy of the proposal, as it would on its own host: the signed file."""
        out = os.path.join(os.path.dirname(proposal), f"signed-{inst}.json")
        signed = self.ok("governance", "sign", "--in", proposal, "--key", self.keys[inst], "--out", out)
        assert signed["signatures"] == 1, signed
        return out

    def combine(self, proposal, signed, name):
        out = os.path.join(os.path.dirname(proposal), name)
        combined = self.ok("governance", "combine", "--out", out, *signed)
        assert len(combined["signers"]) == len(signed), combined
        return out, combined

    def submit_governance(self, combined, first, node=0):
        """(exit, stdout json or None, stderr); the first signer's nonce counts as used when committed."""
        r = self.run("governance", "submit", "--rpc", self.rpc(node), "--in", combined, "--key", self.keys[first],
                     "--wait-ms", "20000")
        answer = json.loads(r.stdout) if r.returncode in (0, 3) else None
        if answer is not None:
            self.nonces[first] += 1
        return r.returncode, answer, r.stderr

    def governance(self, name, signers, action, *args, node=0):
        """The whole flow, signed by `signers` (the first one builds): the committed status, result OK."""
        proposal = self.proposal(name, signers[0], action, *args)
        combined, printed = self.combine(proposal, [self.sign(proposal, s) for s in signers], "combined.json")
        code, answer, err = self.submit_governance(combined, signers[0], node)
        assert code == 0 and answer["result"]["code"] == "OK", f"{name}: exit {code} {answer} {err[-600:]}"
        assert answer["tx_id"] == printed["tx_id"], (answer, printed)
        return answer

    def events(self, i, recipient, inst):
        return self.get(i, f"/v1/events?recipient={recipient}&after=0", inst)["events"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--joet-node", required=True)
    ap.add_argument("--joet-client", required=True)
    ap.add_argument("--work", required=True)
    args = ap.parse_args()
    net = T.fresh_net(args.joet_node, args.work, 150)  # ctest's TIMEOUT is 180
    base = net.base
    net.write()
    genesis = json.load(open(os.path.join(net.home(0), "genesis.json")))
    c = Client(args.joet_client, args.joet_node, net, args.work, genesis["chain_id"])
    log(f"testnet in {net.net}, base port {base}")
    ok = False
    try:
        t0 = time.monotonic()
        net.start_all(3)
        log(f"all nodes at height >= 3 after {time.monotonic() - t0:.1f} s")

        # (b) institution.add: gi-utrecht, a GI, its admin key a fresh member key file. 3 of 4 sign.
        gi_key, gi_pub = c.new_member_key("gi-utrecht")
        c.keys["gi-utrecht"], c.nonces["gi-utrecht"] = gi_key, 0
        added = c.governance("institution-add", ["rb-amsterdam", "rvdk", "gem-amsterdam"], "institution.add",
                             "institution=gi-utrecht", "role=GI", f"admin_key=hash:{gi_pub}")
        mine = [(e["kind"], e["detail"]) for e in c.events(1, "gi-utrecht", "gi-utrecht")]
        assert ("INSTITUTION_ADDED", "gi-utrecht") in mine, f"gi-utrecht's events: {mine}"
        registered = c.submit("gi-utrecht", "professional.register", "professional=jb-0001",
                              "skj_valid_until=2035-01-01")
        assert registered["result"]["code"] == "OK", registered
        log(f"institution.add gi-utrecht committed at height {added['height']} (3 of 4 signed); its admin key reads "
            f"its INSTITUTION_ADDED event and registers a professional (height {registered['height']})")

        # (c) policy.set plan_days 30. Five institutions now: 3 signatures are too few (3*3 <= 2*5), and the
        # refused tx does not use the nonce; the new GI signs the same proposal, and 4 of 5 pass.
        proposal = c.proposal("policy-set", "rvdk", "policy.set", "name=plan_days", "value=int:30")
        signed = [c.sign(proposal, s) for s in ("rvdk", "rb-amsterdam", "gem-amsterdam")]
        too_few, _ = c.combine(proposal, signed, "combined-3.json")
        code, answer, err = c.submit_governance(too_few, "rvdk")
        assert code == 2 and "NOT_AUTHORIZED" in err and "3 of 5" in err, f"3 of 5 signatures: {code} {answer} {err}"
        signed.append(c.sign(proposal, "gi-utrecht"))
        enough, printed = c.combine(proposal, signed, "combined-4.json")
        code, answer, err = c.submit_governance(enough, "rvdk")
        assert code == 0 and answer["result"]["code"] == "OK", f"4 of 5 signatures: {code} {answer} {err}"
        log(f"policy.set plan_days=30: 3 of 5 refused on admission (NOT_AUTHORIZED), the same proposal with "
            f"gi-utrecht's signature added committed at height {answer['height']}")

        # (d) rules.schedule: the next version from a far height, announced to every institution; then
        # withdrawn by scheduling the version in force (the genesis's: the latest of this build).
        status, st = net.rpc(0, "GET", "/v1/status")
        assert status == 200 and st["rules_version"] == genesis.get("rules_version", 1), (st, genesis.get("rules_version"))
        now = st["rules_version"]
        tip = max(net.height(i) for i in range(4))
        far = tip + 1_000_000
        scheduled = c.governance("rules-schedule", ["gem-amsterdam", "rvdk", "gi-jbra", "gi-utrecht"],
                                 "rules.schedule", f"version=int:{now + 1}", f"from_height=int:{far}")
        withdrawn = c.governance("rules-withdraw", ["gem-amsterdam", "rb-amsterdam", "rvdk", "gi-utrecht"],
                                 "rules.schedule", f"version=int:{now}", f"from_height=int:{tip + 100}")
        details = [e["detail"] for e in c.events(2, "gem-amsterdam", "gem-amsterdam") if e["kind"] == "RULES_SCHEDULED"]
        assert details == [f"v{now + 1}-from-{far}", "withdrawn"], f"RULES_SCHEDULED events: {details}"
        status, st = net.rpc(0, "GET", "/v1/status")
        assert status == 200 and st["rules_version"] == now, st
        log(f"rules.schedule v{now + 1} from {far} committed at height {scheduled['height']} (RULES_SCHEDULED "
            f"v{now + 1}-from-{far}), withdrawn at height {withdrawn['height']}; rules_version {st['rules_version']}")

        # (a) validator.update: node3's validator key replaced (a lost or compromised key). Its operator stops
        # node3 and makes a new key in its home with the shipped command, which retires the old key with its
        # signing guard and WAL; node3 starts again and follows the chain without signing (the three other
        # validators carry on). Then the institutions put the new key into the set.
        home3 = net.home(3)
        T.PROCS[3].send_signal(signal.SIGTERM)
        T.PROCS[3].wait(timeout=20)
        old_guard = T.guard_height(os.path.join(home3, "keys", "validator.state"))
        r = subprocess.run([args.joet_node, "keys", "new-validator", "--home", home3], capture_output=True, text=True,
                           timeout=10)
        assert r.returncode == 0, f"joet-node keys new-validator: exit {r.returncode}: {r.stderr[-300:]}"
        printed = dict(line.split(" ", 1) for line in r.stdout.splitlines())
        new_key, retired = printed["validator_key"], printed["retired_dir"]
        old = genesis["validators"]
        assert printed["retired_key"] == old[3]["key"], printed
        for name in ("validator.key", "validator.state", "consensus.wal"):
            assert os.path.exists(os.path.join(retired, name)), f"{name} not retired to {retired}"
        net.start(3)
        update = []
        for i, v in enumerate(old):
            key = new_key if i == 3 else v["key"]
            update += [f"validator.{i}.key=hash:{key}", f"validator.{i}.power=int:{v['power']}",
                       f"validator.{i}.institution={v['institution']}"]
        rotated = c.governance("validator-update", ["gi-jbra", "rb-amsterdam", "rvdk", "gem-amsterdam"],
                               "validator.update", *update)
        h = rotated["height"]
        before = [v["public_key"] for v in c.get(0, f"/v1/validators/{h + 1}", "rvdk")["validators"]]
        assert before == [v["key"] for v in old], f"set at {h + 1}: {before}"
        T.wait_for(f"height {h + 1} on node0", lambda: net.height(0) >= h + 1, 20)
        after = [v["public_key"] for v in c.get(0, f"/v1/validators/{h + 2}", "rvdk")["validators"]]
        assert after == [v["key"] for v in old[:3]] + [new_key], f"set at {h + 2}: {after}"
        # Every node pins the new key from the chain's set. Of each pair the node with the larger key dials,
        # so an operator whose node must dial node3 adds its address and reloads the peers (SIGHUP).
        dialers = [i for i in range(3) if old[i]["key"] > new_key]
        for i in dialers:
            r = subprocess.run([args.joet_node, "peers", "add", "--home", net.home(i), "--key", new_key,
                                "--address", f"127.0.0.1:{net.base + 2 * 3}"], capture_output=True, text=True, timeout=10)
            assert r.returncode == 0, f"joet-node peers add: exit {r.returncode}: {r.stderr[-300:]}"
            T.PROCS[i].send_signal(signal.SIGHUP)
        target = h + 2 + 5
        T.wait_for(f"every node past height {target} under the new set",
                   lambda: min(net.height(i) for i in range(4)) >= target, 40)
        count = net.check_agreement()
        # node3 signs again, with its new key, from height h + 2 on (its new guard records it); its old key
        # signed nothing after it was retired.
        retired_guard = T.guard_height(os.path.join(retired, "validator.state"))
        assert retired_guard == old_guard, f"the retired key's guard moved: {old_guard} -> {retired_guard}"
        T.wait_for(f"node3's new key signing past height {target}",
                   lambda: T.guard_height(os.path.join(home3, "keys", "validator.state")) >= target, 20)
        new_guard = T.guard_height(os.path.join(home3, "keys", "validator.state"))
        pinned = [i for i in range(3) if any(l.get("msg") == "peer pinned" and l.get("peer") == new_key
                                             for l in net.lines(i))]
        assert pinned == [0, 1, 2], f"nodes that pinned node3's new key: {pinned}"
        log(f"validator.update committed at height {h}: node3's key replaced by {new_key[:16]}.. (joet-node keys "
            f"new-validator; the old key retired at height {old_guard}); nodes {dialers} dial it (peers add + "
            f"SIGHUP), the others accept it from the chain's set; node3 signs again (to height {new_guard}), "
            f"{count} heights, all agree")

        # The policy change at work: an OTS granted from 2030-01-01 through the new GI has its D-PLAN due
        # 30 days on (00:00 Amsterdam, CET in January: UTC+1), not the default 42. Read by proof from genesis.
        c.submit("rvdk", "case.open", "case=case-gov-001", "municipality=gem-amsterdam", "majority_date=2035-01-01")
        c.submit("rvdk", "request.file", "case=case-gov-001", "request=req-ots", "kind=OTS", "gi=gi-utrecht",
                 "document=doc:verzoek")
        c.submit("rb-amsterdam", "court.decide", "case=case-gov-001", "request=req-ots", "outcome=GRANTED",
                 "start_date=2030-01-01", "end_date=2030-12-01", "ground.0=GEBREKKIGE_OUDERLIJKE_VAARDIGHEDEN")
        r = c.run("query", "case", "case-gov-001", "--rpc", c.rpc(1), "--genesis",
                  os.path.join(net.home(0), "genesis.json"), "--key", c.keys["rvdk"])
        assert r.returncode == 0, f"joet-client query: exit {r.returncode} {r.stdout[-300:]} {r.stderr[-300:]}"
        verified = json.loads(r.stdout)
        assert verified["verified"] is True and verified["height"] > h + 2, verified
        case = verified["case"]
        cet = datetime.timezone(datetime.timedelta(hours=1))
        due_ms = int(case["measure"]["plan"]["due_ms"])
        expected = int(datetime.datetime(2030, 1, 31, tzinfo=cet).timestamp() * 1000)
        assert case["gi"] == "gi-utrecht" and due_ms == expected, f"D-PLAN due {due_ms}, expected {expected}: {case}"
        log(f"case-gov-001: OTS through gi-utrecht, D-PLAN due 2030-01-31 (start + 30 days), verified by proof "
            f"at height {verified['height']} across the validator-set change")
        ok = True
    except AssertionError as e:
        log(f"FAIL: {e}")
        raise
    finally:
        codes = T.stop_all()
        if ok:
            bad = {i: code for i, code in codes.items() if code != 0}
            if bad:
                ok = False
                log(f"nodes did not exit 0 on SIGTERM: {bad}")
        if not ok:
            T.print_log_tails(net, {i: 12 for i in (3, 0, 1, 2)})
    log("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
