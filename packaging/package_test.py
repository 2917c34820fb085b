#!/usr/bin/env python3
"""The Debian package of joet-node, for real (ctest -L package): cpack builds it; its control fields
and files are checked; dpkg installs it (the postinst makes the user joet and /var/lib/joet); the unit
passes `systemd-analyze verify`; then a node home is made as the user joet and a node started with the
unit's own ExecStart line, as the unit's User, until its RPC reports height >= 3; SIGTERM stops it
(exit 0); the package is purged and the test's home removed. Needs root and dpkg, and a machine where
joet-node is not installed already (exit 77, skipped, otherwise). Every process it starts is stopped by
its pid."""
import argparse
import json
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request

HOME_NAME = "pkgtest"


def log(msg):
    print(f"[package] {msg}", flush=True)


def run(*argv, check=True, **kw):
    r = subprocess.run(list(argv), capture_output=True, text=True, timeout=kw.pop("timeout", 120), **kw)
    if check and r.returncode != 0:
        raise AssertionError(f"{' '.join(argv)}: exit {r.returncode}\n{r.stdout[-800:]}\n{r.stderr[-800:]}")
    return r


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def installed(package):
    r = run("dpkg-query", "-W", "-f=${Status}", package, check=False)
    return r.returncode == 0 and "install ok installed" in r.stdout


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", required=True)
    ap.add_argument("--work", required=True)
    args = ap.parse_args()
    if os.geteuid() != 0 or shutil.which("dpkg") is None or shutil.which("cpack") is None:
        log("SKIP: needs root, dpkg and cpack")
        return 77
    if installed("joet-node") or os.path.exists("/usr/bin/joet-node"):
        log("SKIP: joet-node is installed on this machine already")
        return 77
    shutil.rmtree(args.work, ignore_errors=True)
    os.makedirs(args.work)

    r = run("cpack", "-G", "DEB", cwd=args.build, timeout=240)
    debs = re.findall(r"package: (\S+\.deb) generated", r.stdout)
    assert len(debs) == 1 and os.path.exists(debs[0]), f"cpack wrote {debs}: {r.stdout[-500:]}"
    deb = debs[0]
    fields = {k: run("dpkg-deb", "-f", deb, k).stdout.strip() for k in ("Package", "Version", "Depends", "Architecture")}
    assert fields["Package"] == "joet-node", fields
    for lib in ("libleveldb", "libssl3", "libsecp256k1", "libprotobuf", "libsodium", "libjs-chart.js", "adduser"):
        assert lib in fields["Depends"], f"Depends lacks {lib}: {fields['Depends']}"
    contents = run("dpkg-deb", "-c", deb).stdout
    for path in ("./usr/bin/joet-node", "./usr/bin/joet-client", "./usr/bin/joet-audit", "./usr/bin/joet-verify",
                 "./usr/lib/systemd/system/joet-node@.service", "./usr/share/doc/joet-node/joet-node.md",
                 "./usr/share/joet-node/prometheus/joet-alerts.yml", "./usr/bin/joet-inzicht",
                 "./usr/lib/systemd/system/joet-inzicht@.service", "./usr/share/joet-inzicht/web/index.html",
                 "./usr/share/joet-inzicht/web/app.js", "./usr/share/doc/joet-node/inzicht.md"):
        assert path in contents, f"{path} not in the package"
    log(f"{os.path.basename(deb)}: {fields['Version']} {fields['Architecture']}, Depends: {fields['Depends']}")

    proc = None
    home = f"/var/lib/joet/{HOME_NAME}"
    try:
        run("dpkg", "-i", deb)
        user = pwd.getpwnam("joet")
        st = os.stat("/var/lib/joet")
        assert st.st_uid == user.pw_uid and (st.st_mode & 0o777) == 0o750, oct(st.st_mode)
        version = run("/usr/bin/joet-node", "--version").stdout.strip()
        assert run("/usr/bin/joet-inzicht", "--version").stdout.startswith("joet-inzicht ")
        log(f"installed: {version}; user joet uid {user.pw_uid}")
        unit = "/usr/lib/systemd/system/joet-node@.service"
        if shutil.which("systemd-analyze"):
            for unit_name in (f"joet-node@{HOME_NAME}.service", f"joet-inzicht@{HOME_NAME}.service"):
                v = run("systemd-analyze", "verify", unit_name, check=False)
                assert v.returncode == 0, f"systemd-analyze verify {unit_name}: {v.stdout} {v.stderr}"
            log("systemd-analyze verify: the unit is clean")

        # The operator's steps (docs/packaging.md): a home as the user joet, then the unit's command.
        run("runuser", "-u", "joet", "--", "/usr/bin/joet-node", "init", "--home", home, "--moniker", HOME_NAME)
        config_path = os.path.join(home, "config.json")
        config = json.load(open(config_path))
        rpc = free_port()
        config["listen_address"] = f"127.0.0.1:{free_port()}"
        config["rpc_address"] = f"127.0.0.1:{rpc}"
        config["empty_block_interval_ms"] = 100
        with open(config_path, "w") as f:
            json.dump(config, f)
        text = open(unit).read()
        (exec_start,) = re.findall(r"^ExecStart=(.*)$", text, re.M)
        (unit_user,) = re.findall(r"^User=(.*)$", text, re.M)
        argv = exec_start.replace("%i", HOME_NAME).split()
        log_path = os.path.join(args.work, "node.log")
        with open(log_path, "wb") as out:
            # setpriv execs the command as the user (runuser would stay the parent and take the signal).
            proc = subprocess.Popen(["setpriv", f"--reuid={unit_user}", f"--regid={unit_user}", "--init-groups", "--", *argv],
                                    stdout=out, stderr=out)
        deadline = time.monotonic() + 60
        height = 0
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{rpc}/v1/status", timeout=2) as resp:
                    height = json.load(resp)["height"]
                if height >= 3:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        assert height >= 3, f"node at height {height}, exit {proc.poll()}: {open(log_path).read()[-1500:]}"
        owner = os.stat(os.path.join(home, "data")).st_uid
        assert owner == user.pw_uid, f"the data dir belongs to uid {owner}, not joet"
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=30)
        proc = None
        assert code == 0, f"the node exited {code} on SIGTERM"
        log(f"the unit's ExecStart as {unit_user} ran a node to height {height}; SIGTERM stopped it (exit 0)")
    finally:
        if proc is not None and proc.poll() is None:
            proc.kill()
            proc.wait()
        shutil.rmtree(home, ignore_errors=True)
        run("dpkg", "--purge", "joet-node", check=False)
    assert not installed("joet-node") and not os.path.exists("/usr/bin/joet-node"), "the package did not go"
    try:
        pwd.getpwnam("joet")
        raise AssertionError("the user joet outlived the purge although no home was left")
    except KeyError:
        pass
    log("purged: no binary, no user joet left")
    log("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
