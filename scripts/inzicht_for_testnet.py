#!/usr/bin/env python3
"""Sets up joet-inzicht (docs/inzicht.md) for a testnet made by `joet-node testnet`: a self-signed TLS
certificate for 127.0.0.1, a config serving every institution of the testnet's genesis (their member
keys from node<i>/keys/member.key) and any extra ones given, a staff account per institution, and a
Power BI token. Used by scripts/demo.sh and by the browser test. Prints a JSON summary on stdout:
{"config", "url", "accounts": [{"user", "password", "institution", "role"}], "token"}.

usage: inzicht_for_testnet.py --testnet DIR --out DIR --inzicht BIN --web-dir DIR --port N
                              [--extra ID=ROLE:KEYFILE ...] [--password-prefix TEXT] [--audit-report FILE]
"""
import argparse
import json
import os
import subprocess
import sys


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--testnet", required=True, help="the directory `joet-node testnet --output` wrote")
    p.add_argument("--out", required=True, help="where to write config, certificate, accounts, tokens, logs")
    p.add_argument("--inzicht", required=True, help="the joet-inzicht binary")
    p.add_argument("--web-dir", required=True, help="the pages (inzicht/web)")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--extra", action="append", default=[], help="ID=ROLE:KEYFILE of an institution added later")
    p.add_argument("--audit-report", help="joet-audit's JSON report, shown on the inspectorate's chain health")
    p.add_argument("--password-prefix", default="demo-wachtwoord-", help="each account's password is this + its user")
    args = p.parse_args()

    os.makedirs(args.out, exist_ok=True)
    nodes = sorted(d for d in os.listdir(args.testnet) if d.startswith("node") and d[4:].isdigit())
    genesis = json.load(open(os.path.join(args.testnet, nodes[0], "genesis.json")))
    node_config = [json.load(open(os.path.join(args.testnet, n, "config.json"))) for n in nodes]
    institutions = []
    for i, inst in enumerate(genesis["institutions"]):
        if i >= len(nodes):
            break  # testnet: institution i runs node i and holds its member key there
        key = os.path.abspath(os.path.join(args.testnet, nodes[i], "keys", "member.key"))
        institutions.append({"id": inst["id"], "role": inst["role"], "key_file": key})
    for extra in args.extra:
        ident, rest = extra.split("=", 1)
        role, key = rest.split(":", 1)
        institutions.append({"id": ident, "role": role, "key_file": os.path.abspath(key)})

    cert = os.path.join(args.out, "tls.crt")
    key = os.path.join(args.out, "tls.key")
    if not os.path.exists(cert):
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                        "-nodes", "-days", "30", "-subj", "/CN=joet-inzicht demo", "-addext",
                        "subjectAltName=IP:127.0.0.1,DNS:localhost", "-keyout", key, "-out", cert],
                       check=True, capture_output=True)
        os.chmod(key, 0o600)
    config = {
        "listen": "127.0.0.1:%d" % args.port,
        "tls_cert": cert,
        "tls_key": key,
        "node_rpc": [c["rpc_address"] for c in node_config],
        "chain_id": genesis["chain_id"],
        "institutions": institutions,
        "accounts": os.path.join(args.out, "accounts.json"),
        "tokens": os.path.join(args.out, "tokens.json"),
        "access_log": os.path.join(args.out, "access.log"),
        "web_dir": os.path.abspath(args.web_dir),
    }
    if args.audit_report:
        config["audit_report"] = os.path.abspath(args.audit_report)
    config_path = os.path.join(args.out, "inzicht.json")
    with open(config_path, "w") as f:
        json.dump(config, f, indent=2)

    names = {"COURT": "Rechter", "RVDK": "Raadsonderzoeker", "MUNICIPALITY": "Beleidsmedewerker",
             "GI": "Teamleider", "AUDITOR": "Inspecteur"}
    accounts = []
    if os.path.exists(config["accounts"]):
        os.remove(config["accounts"])
    for inst in institutions:
        user = inst["id"].replace("_", "-").lower()
        password = args.password_prefix + user
        subprocess.run([args.inzicht, "users", "--config", config_path, "add", "--user", user,
                        "--name", "%s %s" % (names.get(inst["role"], "Medewerker"), inst["id"]),
                        "--institution", inst["id"], "--password-stdin"],
                       input=password + "\n", text=True, check=True, capture_output=True)
        accounts.append({"user": user, "password": password, "institution": inst["id"], "role": inst["role"]})
    if os.path.exists(config["tokens"]):
        os.remove(config["tokens"])
    token = subprocess.run([args.inzicht, "tokens", "--config", config_path, "issue", "--name", "powerbi-demo"],
                           check=True, capture_output=True, text=True).stdout.strip()
    json.dump({"config": config_path, "url": "https://127.0.0.1:%d/" % args.port, "accounts": accounts,
               "token": token}, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
