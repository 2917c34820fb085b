#!/usr/bin/env python3
"""A rules upgrade on a running network of four real nodes (docs/contracts.md "Rule versions"): the
network starts under rules version 1 (`joet-node testnet --rules-version 1`); a grant without grounds and
a case id hiding a BSN behind a prefix are accepted, as version 1 did. Three of the four institutions
schedule version 2 a few heights ahead with `rules.schedule` (governance build / sign / combine /
submit). From that height on every node runs version 2: /v1/status and the block headers say 2, the same
grant without grounds is refused GROUNDS_MISSING (on admission already: the node checks a tx against its
state), with grounds it is granted, the BSN-like id is refused, and a municipality records a tariff (an
action version 1 did not have). Then version 3 (decision 0017): from its height the headers commit every
tx's result, and `joet-client query` proves against genesis alone that a tx was refused DUPLICATE in a
block, that another took effect, that a version-1 tx has no committed result, and which events the RvdK
received at a height; a party of the case writes its extract (joet-client extract) and joet-verify checks
it offline, and names the tx whose result was changed in the file. Every node commits the same blocks
throughout. Every process started is stopped by
its pid.

usage: rules_upgrade_test.py --joet-node BIN --joet-client BIN --work DIR
"""
import argparse
import importlib.util
import json
import os
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def load(name, file):
    spec = importlib.util.spec_from_file_location(name, os.path.join(HERE, file))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


T = load("testnet", "testnet_test.py")
G = load("governance", "governance_test.py")


def log(msg):
    print(f"[rules-upgrade] {msg}", flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--joet-node", required=True)
    ap.add_argument("--joet-client", required=True)
    ap.add_argument("--work", required=True)
    args = ap.parse_args()
    net = T.fresh_net(args.joet_node, args.work, 120)  # ctest's TIMEOUT is 150
    net.write("--rules-version", "1")
    genesis = json.load(open(os.path.join(net.home(0), "genesis.json")))
    assert genesis["rules_version"] == 1, genesis.get("rules_version")
    c = G.Client(args.joet_client, args.joet_node, net, args.work, genesis["chain_id"])
    ok = False
    try:
        net.start_all(2)

        def submit(inst, action, *argv):
            """An ordinary tx, awaited: {"code", "height"}: OK (exit 0), refused in a block (exit 3), or refused
            on admission by the node's check of the tx against its state (exit 2, nothing committed, the
            nonce not used)."""
            c.nonces[inst] += 1
            r = c.run("submit", "--rpc", c.rpc(0), "--key", c.keys[inst], "--chain-id", c.chain_id, "--nonce",
                      str(c.nonces[inst]), "--wait-ms", "20000", action, *argv)
            if r.returncode in (0, 3):
                answer = json.loads(r.stdout)
                return {"code": answer["result"]["code"], "height": answer["height"], "tx_id": answer["tx_id"]}
            assert r.returncode == 2 and "refused (422)" in r.stderr, f"{action}: exit {r.returncode}: {r.stderr[-400:]}"
            c.nonces[inst] -= 1
            return {"code": json.loads(r.stderr[r.stderr.index("{"):])["error"]["code"], "height": None}

        def status(i=0):
            code, s = net.rpc(i, "GET", "/v1/status")
            assert code == 200, s
            return s

        def open_and_file(case):
            submit("rvdk", "case.open", f"case={case}", "municipality=gem-amsterdam", "majority_date=2035-01-01")
            submit("rvdk", "request.file", f"case={case}", "request=req-ots", "kind=OTS", "gi=gi-jbra",
                     "document=doc:verzoek")

        def decide(case, *grounds):
            return submit("rb-amsterdam", "court.decide", f"case={case}", "request=req-ots", "outcome=GRANTED",
                            "start_date=2030-01-01", "end_date=2030-12-01", *grounds)

        # Under version 1.
        assert status()["rules_version"] == 1
        open_and_file("case-v1")
        before = decide("case-v1")
        assert before["code"] == "OK", before
        hidden = submit("rvdk", "case.open", "case=c123456782", "municipality=gem-amsterdam", "majority_date=2035-01-01")
        assert hidden["code"] == "OK", hidden
        log(f"version 1: a grant without grounds and the id c123456782 accepted (heights {before['height']}, "
            f"{hidden['height']})")

        # The upgrade: 3 of 4 sign rules.schedule version 2 from a few heights on.
        tip = max(net.height(i) for i in range(4))
        switch = tip + 6
        scheduled = c.governance("rules-v2", ["gem-amsterdam", "rvdk", "gi-jbra"], "rules.schedule", "version=int:2",
                                 f"from_height=int:{switch}")
        assert scheduled["height"] < switch, (scheduled, switch)
        T.wait_for(f"every node past height {switch}", lambda: min(net.height(i) for i in range(4)) >= switch, 60)
        for i in range(4):
            assert status(i)["rules_version"] == 2, (i, status(i))
        headers = {h: c.get(0, f"/v1/blocks/{h}", "rvdk")["header"]["rules_version"] for h in (switch - 1, switch)}
        assert headers == {switch - 1: 1, switch: 2}, headers
        log(f"rules.schedule committed at height {scheduled['height']}; headers say 1 at {switch - 1}, 2 at {switch}")

        # Under version 2.
        open_and_file("case-v2")
        missing = decide("case-v2")
        assert missing["code"] == "GROUNDS_MISSING", missing
        granted = decide("case-v2", "ground.0=ACUUT_ONTWIKKELINGSGEVAAR")
        assert granted["code"] == "OK", granted
        refused = submit("rvdk", "case.open", "case=c111222333", "municipality=gem-amsterdam", "majority_date=2035-01-01")
        assert refused["code"] == "BAD_FIELD", refused
        tariff = submit("gem-amsterdam", "cost.project", "case=case-v2", "measure=OTS", "basis=PER_DAY",
                          "amount_cents=int:4500")
        assert tariff["code"] == "OK", tariff
        log("version 2: GROUNDS_MISSING, then granted with a ground; a BSN-like id refused; a tariff recorded")

        # Version 3: results under the header.
        tip = max(net.height(i) for i in range(4))
        switch3 = tip + 6
        c.governance("rules-v3", ["gem-amsterdam", "rvdk", "gi-jbra"], "rules.schedule", "version=int:3",
                     f"from_height=int:{switch3}")
        T.wait_for(f"every node past height {switch3}", lambda: min(net.height(i) for i in range(4)) >= switch3, 60)
        for i in range(4):
            assert status(i)["rules_version"] == 3, (i, status(i))
        genesis_file = os.path.join(net.home(0), "genesis.json")

        def query(*argv):
            r = c.run("query", *argv, "--rpc", c.rpc(1), "--genesis", genesis_file, "--key", c.keys["rvdk"])
            assert r.returncode == 0, f"query {argv}: exit {r.returncode}: {r.stdout[-300:]} {r.stderr[-300:]}"
            answer = json.loads(r.stdout)
            assert answer["verified"] is True, answer
            return answer

        # A refusal in a block: one case opened by two txs (nonces n+2, n+3). Each passes admission, which
        # dry-runs a tx alone on the committed state; in one block the second is DUPLICATE. A first tx (n+1,
        # another case) goes ahead of them, so that they wait in the mempools while its block is agreed and
        # the next proposer takes both; they go to every node at once. When a block takes the first of the
        # pair alone, the nodes drop the second on their next check, and the test tries again (at most 5).
        duplicate = None
        for attempt in range(5):
            case = f"case-twice-{attempt}"
            signed = []
            for opens in (f"case-ahead-{attempt}", case, case):
                c.nonces["rvdk"] += 1
                signed.append(c.ok("tx", "--key", c.keys["rvdk"], "--chain-id", c.chain_id, "--nonce",
                                   str(c.nonces["rvdk"]), "case.open", f"case={opens}", "municipality=gem-amsterdam",
                                   "majority_date=2035-01-01"))
            gate = threading.Barrier(4)

            def post_both(i):
                gate.wait(timeout=10)
                for t in signed:
                    net.rpc(i, "POST", "/v1/txs", {"tx": t["tx"]})  # a copy gossip brought first: DUPLICATE_TX

            workers = [threading.Thread(target=post_both, args=(i,)) for i in range(4)]
            for w in workers:
                w.start()
            for w in workers:
                w.join(timeout=20)
            states = {}

            def settled():
                for t in signed:
                    states[t["tx_id"]] = c.get(0, f"/v1/txs/{t['tx_id']}", "rvdk")
                return all(s["status"] != "pending" for s in states.values())

            T.wait_for("both txs committed or dropped", settled, 20)
            ahead, first, second = (states[t["tx_id"]] for t in signed)
            assert ahead["status"] == first["status"] == "committed", (ahead, first)
            assert first["result"]["code"] == "OK", first
            if second["status"] == "committed":
                duplicate = dict(second, tx_id=signed[2]["tx_id"])
                opened = dict(first, tx_id=signed[1]["tx_id"])
                break
            log(f"attempt {attempt}: the first tx was in a block alone, the second dropped; again")
        assert duplicate is not None, "five attempts, the two txs never in one block"
        assert duplicate["result"]["code"] == "DUPLICATE", duplicate
        proven = query("tx", duplicate["tx_id"])
        assert proven["result"]["code"] == "DUPLICATE", proven
        assert proven["result"]["message"] == duplicate["result"]["message"] != "", (proven, duplicate)
        assert proven["height"] == duplicate["height"] >= switch3, (proven, duplicate)
        assert query("tx", opened["tx_id"])["result"] == {"code": "OK", "message": ""}
        # A tx of a version-1 block: proven included, its result not committed.
        old = query("tx", hidden["tx_id"])
        assert old["result"] is None and old["height"] == hidden["height"], old
        # The RvdK's events of the height that opened the case, proven complete.
        events = query("events", "rvdk", "--height", str(opened["height"]))
        assert events["complete"] is True, events
        assert any(e["kind"] == "CASE_OPENED" and e["case_id"] == case for e in events["events"]), events
        log(f"version 3: DUPLICATE at height {duplicate['height']} proven with its message; OK proven; a version-1 "
            f"tx has no committed result; {len(events['events'])} events of the RvdK at {opened['height']} proven")

        # The case extract: written by a party of the case, checked offline by joet-verify against genesis
        # alone; the refusal turned into OK in the file fails at that tx.
        joet_verify = os.path.join(os.path.dirname(os.path.abspath(c.joet_client)), "joet-verify")
        out = os.path.join(args.work, "extract.json")
        r = c.run("extract", case, "--rpc", c.rpc(2), "--genesis", genesis_file, "--key", c.keys["rvdk"],
                  "--out", out, "--html", os.path.join(args.work, "extract.html"))
        assert r.returncode == 0, f"extract: exit {r.returncode}: {r.stdout[-300:]} {r.stderr[-600:]}"
        verified = subprocess.run([joet_verify, out, "--genesis", genesis_file], capture_output=True, text=True, timeout=60)
        assert verified.returncode == 0, f"joet-verify: exit {verified.returncode}: {verified.stdout} {verified.stderr}"
        assert json.loads(verified.stdout)["verified"] is True, verified.stdout
        extract = json.load(open(out))
        refused = [i for i, t in enumerate(extract["txs"]) if (t["result"] or {}).get("code") == "DUPLICATE"]
        assert refused, extract["txs"]
        extract["txs"][refused[0]]["result"] = {"code": "OK", "message": ""}
        with open(out, "w") as f:
            f.write(json.dumps(extract, indent=1, ensure_ascii=False) + "\n")
        tampered = subprocess.run([joet_verify, out, "--genesis", genesis_file], capture_output=True, text=True, timeout=60)
        assert tampered.returncode == 3, f"a tampered extract: exit {tampered.returncode}: {tampered.stdout}"
        assert json.loads(tampered.stdout)["item"] == f"txs[{refused[0]}]", tampered.stdout
        assert extract["events"] and all(e["event"]["case_id"] == case for e in extract["events"]), extract["events"]
        log(f"extract of {case}: {len(extract['txs'])} txs and {len(extract['events'])} events verified offline by "
            f"joet-verify; the refusal changed to OK fails at txs[{refused[0]}]")

        # One chain on every node.
        last = min(net.height(i) for i in range(4))
        commits = [net.commits(i) for i in range(4)]
        for h in range(1, last + 1):
            assert len({commits[i][h][:2] for i in range(4)}) == 1, f"height {h} differs between nodes"
        log(f"PASS: the four nodes agree on heights 1..{last}")
        ok = True
    finally:
        codes = T.stop_all()
        if not ok:
            T.print_log_tails(net, {0: 20, 1: 10})
        log(f"stopped every node: exit codes {codes}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
