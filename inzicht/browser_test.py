#!/usr/bin/env python3
"""The dashboard in a real browser against a real network (issue 10): four joet-node processes on
127.0.0.1, synthetic cases put through them by joet-demo-cases, joet-inzicht serving the pages over
TLS, and headless Chromium driven by Selenium. Checks what people see:

  - a municipality officer logs in; the signal tiles show the numbers the node's RPC answers (read
    independently with joet-client, signed with the municipality's key); a suppressed tile shows no
    number;
  - the drill-down lists the municipality's own cases and opens a case page with its timeline, and the
    view is in the access log;
  - another municipality cannot open that case (the page says so; the API answers 403);
  - the escalation button commits an escalation.request (seen in the case's timeline on the node);
  - a GI team lead sees its deadlines; a narrow (360 px) viewport does not scroll sideways;
  - bad input: a wrong password (and then the throttle), a forged CSRF token, a lost session, a month
    range out of bounds, a revoked Power BI token: each a clear error, nothing changed;
  - the Power BI feed: every table as the docs' Power Query recipe asks for it.

A screenshot of every page goes to --work/screenshots. Every process started is stopped by its pid.
"""
import argparse
import datetime
import json
import os
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zoneinfo

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "node", "daemon"))
import testnet_test as tn  # noqa: E402  (Net, PROCS, wait_for, stop_all, free_base_port, log)

tn.DEADLINE = time.monotonic() + 400

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

INSECURE = ssl.create_default_context()
INSECURE.check_hostname = False
INSECURE.verify_mode = ssl.CERT_NONE


def https(url, method="GET", body=None, headers=None):
    """(status, parsed JSON or text) of one request to joet-inzicht (its certificate is self-signed)."""
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=30, context=INSECURE) as r:
            raw, status, ctype = r.read(), r.status, r.headers.get("Content-Type", "")
    except urllib.error.HTTPError as e:
        raw, status, ctype = e.read(), e.code, e.headers.get("Content-Type", "")
    except (urllib.error.URLError, ConnectionError, TimeoutError) as e:
        return 0, str(e)
    return status, json.loads(raw) if "json" in ctype else raw.decode()


class Browser:
    def __init__(self, shots):
        opts = webdriver.ChromeOptions()
        for a in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--ignore-certificate-errors",
                  "--window-size=1280,900", "--disable-gpu"):
            opts.add_argument(a)
        opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        self.driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=opts)
        self.shots = shots
        tn.PROCS["chromedriver"] = self.driver.service.process  # stopped by pid with the rest

    def wait(self, what, css, timeout=20):
        try:
            return WebDriverWait(self.driver, timeout).until(EC.presence_of_element_located((By.CSS_SELECTOR, css)))
        except Exception:
            self.shot("failed-" + what)
            raise AssertionError(f"timed out waiting for {what} ({css}); console: {self.console()}")

    def wait_true(self, what, fn, timeout=20):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            try:
                if fn():
                    return
            except Exception:  # an element replaced while we looked: look again
                pass
            time.sleep(0.2)
        self.shot("failed-" + what)
        raise AssertionError(f"timed out waiting for {what}; console: {self.console()}")

    def shot(self, name):
        os.makedirs(self.shots, exist_ok=True)
        self.driver.save_screenshot(os.path.join(self.shots, name + ".png"))

    def console(self):
        try:
            return [e["message"] for e in self.driver.get_log("browser") if e["level"] == "SEVERE"]
        except Exception:
            return []

    def login(self, url, user, password):
        d = self.driver
        d.get(url)
        self.wait("the login form", "#login-form")
        d.find_element(By.CSS_SELECTOR, "#login-user").clear()
        d.find_element(By.CSS_SELECTOR, "#login-user").send_keys(user)
        d.find_element(By.CSS_SELECTOR, "#login-password").clear()
        d.find_element(By.CSS_SELECTOR, "#login-password").send_keys(password)
        d.find_element(By.CSS_SELECTOR, "#login-submit").click()

    def logout(self):
        self.driver.find_element(By.CSS_SELECTOR, "#logout").click()
        self.wait_true("the login view after logout", lambda: self.driver.find_element(By.CSS_SELECTOR, "#login-form").is_displayed())

    def fetch(self, path, method="GET", headers=None):
        """A same-origin fetch from the page (its session cookie): (status, body text)."""
        return self.driver.execute_async_script(
            "const [path, method, headers, done] = arguments;"
            "fetch(path, {method, headers, credentials: 'same-origin'})"
            ".then(async r => done([r.status, await r.text()])).catch(e => done([0, String(e)]));",
            path, method, headers or {})

    def quit(self):
        self.driver.quit()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--joet-node", required=True)
    ap.add_argument("--joet-client", required=True)
    ap.add_argument("--joet-inzicht", required=True)
    ap.add_argument("--joet-demo-cases", required=True)
    ap.add_argument("--joet-audit", required=True)
    ap.add_argument("--work", required=True)
    args = ap.parse_args()
    shutil.rmtree(args.work, ignore_errors=True)
    os.makedirs(args.work)
    shots = os.path.join(args.work, "screenshots")
    base = tn.free_base_port()
    net = tn.Net(args.joet_node, args.work, base)
    browser = None
    try:
        net.write()
        genesis = json.load(open(os.path.join(net.home(0), "genesis.json")))
        net.chain_id = genesis["chain_id"]
        net.joet_client = args.joet_client
        net.start_all(height=2)

        tn.log("synthetic cases (joet-demo-cases)")
        extra = os.path.join(args.work, "keys-extra")
        subprocess.run([args.joet_demo_cases, "--home-dir", net.net, "--cases", "300", "--keys-out", extra],
                       check=True, timeout=180, stdout=subprocess.DEVNULL)

        tn.log("the inspectorate's audit: node3 stops, joet-audit re-executes its ledger from genesis, node3 restarts")
        tn.PROCS[3].send_signal(signal.SIGTERM)
        tn.PROCS[3].wait(timeout=30)
        audit_report = os.path.join(args.work, "audit.json")
        with open(audit_report, "w") as out:
            subprocess.run([args.joet_audit, "--genesis", os.path.join(net.home(3), "genesis.json"), "--ledger",
                            os.path.join(net.home(3), "data", "ledger"), "--quiet"], check=True, stdout=out, timeout=120)
        audited = json.loads(open(audit_report).read().splitlines()[-1])
        assert audited["finding"] is None and audited["heights"] > 10, audited
        net.start(3)

        tn.log("joet-inzicht")
        with socket.socket() as s:  # a port the OS has free now
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        setup = json.loads(subprocess.run(
            [sys.executable, os.path.join(ROOT, "scripts", "inzicht_for_testnet.py"), "--testnet", net.net,
             "--out", os.path.join(args.work, "inzicht"), "--inzicht", args.joet_inzicht,
             "--web-dir", os.path.join(HERE, "web"), "--port", str(port),
             "--extra", f"gem-utrecht=MUNICIPALITY:{extra}/gem-utrecht.key", "--extra", f"gi-wsg=GI:{extra}/gi-wsg.key",
             "--extra", f"igj=AUDITOR:{extra}/igj.key", "--audit-report", audit_report],
            check=True, capture_output=True, text=True).stdout)
        url = setup["url"]
        accounts = {a["user"]: a for a in setup["accounts"]}
        log_file = open(os.path.join(args.work, "inzicht.log"), "ab")
        tn.PROCS["inzicht"] = subprocess.Popen([args.joet_inzicht, "serve", "--config", setup["config"]],
                                               stdout=log_file, stderr=log_file)
        tn.wait_for("joet-inzicht listening", lambda: https(url + "api/me")[0] == 401, 20)

        # What the node says, read apart from the dashboard: the municipality's signals of the chain's month.
        status = net.rpc(0, "GET", "/v1/status")[1]
        # The month as the contracts count it: the civil month in Europe/Amsterdam of the tip's time.
        month = datetime.datetime.fromtimestamp(status["time_ms"] / 1000, zoneinfo.ZoneInfo("Europe/Amsterdam")).strftime("%Y-%m")
        code, report = net.signed_get(0, f"/v1/stuurinformatie?from={month}&to={month}", 2)
        assert code == 0, report
        node_signals = {c["kind"]: c for c in report["signals"] if c["institution"] == "gem-amsterdam"}
        assert node_signals.get("NO_CONTACT_SIGNAL", {}).get("cases", 0) >= 10, node_signals  # the founders' ask
        assert any(c.get("suppressed") for c in node_signals.values()), "no suppressed cell to check: " + str(node_signals)

        browser = Browser(shots)
        d = browser.driver
        gem = accounts["gem-amsterdam"]

        tn.log("a wrong password, then the right one")
        browser.login(url, "gem-amsterdam", "niet-het-wachtwoord")
        browser.wait_true("the wrong-password message",
                          lambda: "onjuist wachtwoord" in d.find_element(By.CSS_SELECTOR, "#login-error").text)
        browser.shot("login-wrong-password")
        browser.login(url, gem["user"], gem["password"])
        browser.wait("the signal tiles", "#signal-tiles button.tile[data-signal]")
        browser.wait_true("the tiles of the chain's month",
                          lambda: d.find_element(By.CSS_SELECTOR, "#signal-tiles button.tile[data-signal='NO_CONTACT_SIGNAL']").get_attribute("data-month") == month)
        browser.shot("gemeente-signalen")

        tn.log("the norms on the tiles are the node's policy")
        policy = net.rpc(0, "GET", "/v1/status")[1]["policy"]
        tile_text = d.find_element(By.CSS_SELECTOR, "#signal-tiles button.tile[data-signal='NO_CONTACT_SIGNAL']").text
        assert f"{policy['no_contact_signal_days']} dagen" in tile_text, (tile_text, policy)

        tn.log("the tiles show the node's numbers; a suppressed one shows none")
        tiles = d.find_elements(By.CSS_SELECTOR, "#signal-tiles button.tile[data-signal]")
        seen = {}
        for tile in tiles:
            kind = tile.get_attribute("data-signal")
            count = tile.find_element(By.CSS_SELECTOR, ".count")
            seen[kind] = (count.text.strip(), "suppressed" in count.get_attribute("class"))
        for kind, cell in node_signals.items():
            shown, suppressed = seen.get(kind, ("", False))
            if cell.get("suppressed"):
                assert suppressed and not any(ch.isdigit() for ch in shown.replace("5", "", 1)), (kind, shown)
            else:
                assert shown == str(cell["cases"]), f"{kind}: page {shown!r}, node {cell['cases']}"
        for kind, (shown, suppressed) in seen.items():
            if kind not in node_signals:
                assert shown in ("0", ""), f"{kind}: page {shown!r}, the node has no cell"

        tn.log("grounds and costs (rules version 2): the page shows the node's cells, suppressed ones without a number")
        year, mon = int(month[:4]), int(month[5:])
        first = f"{year - 1}-{mon + 1:02d}" if mon < 12 else f"{year}-01"  # the dashboard's default: the last 12 months
        code, full = net.signed_get(0, f"/v1/stuurinformatie?from={first}&to={month}", 2)
        assert code == 0, full
        assert any(not c.get("suppressed") for c in full["grounds"]), full["grounds"]
        shown_costs = [c for c in full["costs"] if not c.get("suppressed")]
        assert {c["kind"] for c in shown_costs} == {"PROJECTED", "INVOICED"}, full["costs"]
        browser.wait("the costs table", "#costs-table td[data-month] .amount[data-cents]")
        for c in full["costs"]:
            row = d.find_element(By.CSS_SELECTOR, f"#costs-table tr[data-kind='{c['kind']}'][data-institution='{c['institution']}']")
            td = row.find_element(By.CSS_SELECTOR, f"td[data-month='{c['month']}']")
            if c.get("suppressed"):
                assert td.text.strip() == "< 5" and not td.find_elements(By.CSS_SELECTOR, "[data-cents]"), (c, td.text)
            else:
                amount = td.find_element(By.CSS_SELECTOR, ".amount")
                assert amount.get_attribute("data-cents") == str(c["cents"]), (c, amount.get_attribute("data-cents"))
                assert "€" in amount.text, amount.text
        ground = next(c for c in full["grounds"] if not c.get("suppressed"))
        cell = d.find_element(By.CSS_SELECTOR, f"#grounds-table tr[data-kind='{ground['kind']}'][data-institution='{ground['institution']}'] td[data-month='{ground['month']}']")
        assert cell.text.strip() == str(ground["cases"]), (ground, cell.text)
        d.execute_script("document.getElementById('costs-table').scrollIntoView()")
        browser.shot("kosten")

        tn.log("drill down to the municipality's own cases, open one")
        d.find_element(By.CSS_SELECTOR, "#signal-tiles button.tile[data-signal='NO_CONTACT_SIGNAL']").click()
        browser.wait("the drill-down list", "#drilldown a.case-link[data-case]")
        listed = [a.get_attribute("data-case") for a in d.find_elements(By.CSS_SELECTOR, "#drilldown a.case-link[data-case]")]
        code, cell = net.signed_get(0, f"/v1/stuurinformatie/cases?month={month}&metric=NO_CONTACT_SIGNAL&institution=gem-amsterdam", 2)
        assert code == 0 and sorted(listed) == sorted(cell["cases"]), (listed, cell)
        browser.shot("gemeente-drilldown")
        case_id = listed[0]
        d.find_element(By.CSS_SELECTOR, f"#drilldown a.case-link[data-case='{case_id}']").click()
        browser.wait("the case's timeline", "#timeline li.timeline-entry")
        assert d.find_element(By.CSS_SELECTOR, "#case-page").get_attribute("data-case-id") == case_id
        # Who acted: the case was opened by the RvdK (the node resolves the signer's key).
        assert "door rvdk" in d.find_element(By.CSS_SELECTOR, "#timeline li.timeline-entry[data-action='case.open']").text
        # The legal quickscan: the rows the node computed, in Dutch, each status as the node says.
        code, scan = net.signed_get(0, f"/v1/cases/{case_id}/quickscan", 2)
        assert code == 0 and scan["items"], scan
        rows = d.find_elements(By.CSS_SELECTOR, "#quickscan tbody tr[data-check]")
        assert sorted((r.get_attribute("data-check"), r.get_attribute("data-status")) for r in rows) == \
            sorted((i["check"], i["status"]) for i in scan["items"]), ([r.text for r in rows], scan["items"])
        assert "Juridische quickscan" in d.find_element(By.CSS_SELECTOR, "#quickscan h2").text
        assert any("BW 1:" in r.text for r in rows), [r.text for r in rows]
        browser.shot("zaak")
        d.execute_script("document.getElementById('quickscan').scrollIntoView()")
        browser.shot("zaak-quickscan")
        # The rights explainer: the node's own sentences, every one of them, under their Dutch headings.
        code, explained = net.signed_get(0, f"/v1/cases/{case_id}/explanation", 2)
        assert code == 0 and explained["sections"][0]["title"] == "Wat loopt er nu", explained
        shown = [li.text for li in d.find_elements(By.CSS_SELECTOR, "#explanation li[data-topic]")]
        expected = [line["text"] for s in explained["sections"] for line in s["lines"]]
        assert len(shown) == len(expected) and all(t in s for t, s in zip(expected, shown)), (shown, expected)
        assert any("Uw kind" in t for t in shown), shown
        d.execute_script("document.getElementById('explanation').scrollIntoView()")
        browser.shot("zaak-uitleg")
        access = [json.loads(line) for line in open(os.path.join(args.work, "inzicht", "access.log"))]
        assert any(a["action"] == "view_case" and a["subject"] == case_id and a["user"] == "gem-amsterdam"
                   and a["status"] == 200 for a in access), access

        tn.log("the escalation button commits an escalation.request")
        browser.wait("the escalation button", "#escalate-button")
        d.find_element(By.CSS_SELECTOR, "#escalate-button").click()
        browser.wait_true("the escalation's block", lambda: "blok" in d.find_element(By.CSS_SELECTOR, "#escalation-result").text, 40)
        browser.shot("zaak-escalatie")
        code, timeline = net.signed_get(1, f"/v1/cases/{case_id}/timeline?limit=1000", 2)
        assert code == 0 and any(e["type"] == "tx" and e["action"] == "escalation.request" and e["result"] == "OK"
                                 for e in timeline["entries"]), timeline

        tn.log("a forged CSRF token and a month range out of bounds change nothing")
        st, body = browser.fetch(f"/api/cases/{case_id}/escalations", "POST", {"X-CSRF-Token": "0" * 64})
        assert st == 403 and "BAD_CSRF" in body, (st, body)
        st, body = browser.fetch("/api/stuurinformatie?from=2000-01&to=2026-12")
        assert st == 400 and "BAD_RANGE" in body, (st, body)
        code, after = net.signed_get(1, f"/v1/cases/{case_id}/timeline?limit=1000", 2)
        assert sum(e.get("action") == "escalation.request" for e in after["entries"]) == 1, after

        tn.log("the share of running measures without a jeugdbeschermer is the node's")
        code, load = net.signed_get(0, "/v1/caseload?institution=gem-amsterdam", 2)
        assert code == 0, load
        browser.wait("the share card", "#share-unassigned .share-figure[data-running]")
        figure = d.find_element(By.CSS_SELECTOR, "#share-unassigned .share-figure")
        assert int(figure.get_attribute("data-unassigned")) == sum(g["unassigned"] for g in load["gis"]), load
        assert int(figure.get_attribute("data-running")) == sum(g["assigned"] + g["unassigned"] for g in load["gis"]), load

        tn.log("acknowledging a notification from the page commits notification.ack")
        code, newest = net.signed_get(0, "/v1/events?recipient=gem-amsterdam&after=0&limit=1", 2)
        assert code == 0 and newest["last"] > 0, newest
        d.get(url + "#/")
        browser.wait("the notifications", "#notifications li.notification")
        d.find_element(By.CSS_SELECTOR, "#section-meldingen").location_once_scrolled_into_view
        # The newest first: the top row is the municipality's latest event (read before the page loaded,
        # or a later one), however many it has.
        browser.wait_true("the newest notification on top", lambda: int(d.find_element(
            By.CSS_SELECTOR, "#notifications li.notification").get_attribute("data-seq")) >= newest["last"], 20)
        top = int(d.find_element(By.CSS_SELECTOR, "#notifications li.notification").get_attribute("data-seq"))
        older = "oudere niet geladen" in d.find_element(By.CSS_SELECTOR, "#notifications-summary").text
        assert older == (top > 2000), (top, d.find_element(By.CSS_SELECTOR, "#notifications-summary").text)
        tn.log(f"gem-amsterdam has {newest['last']} notifications; the page shows the newest")
        button = next(b for b in d.find_elements(By.CSS_SELECTOR, "#notifications li.notification.unacked button.ack")
                      if b.is_displayed())
        row = button.find_element(By.XPATH, "./ancestor::li[@data-seq]")
        seq = int(row.get_attribute("data-seq"))
        button.click()
        browser.wait_true("the acknowledgement's block", lambda: "blok" in d.find_element(
            By.CSS_SELECTOR, f"#notifications li.notification[data-seq='{seq}'] .ack-status").text, 40)
        code, events = net.signed_get(0, f"/v1/events?recipient=gem-amsterdam&after={seq - 1}&limit=1", 2)
        assert code == 0 and events["events"][0]["seq"] == seq and events["events"][0]["acked"] is True, events
        browser.shot("gemeente-melding-gezien")

        tn.log("a narrow viewport stays usable")
        d.set_window_size(360, 800)
        d.get(url + "#/")
        browser.wait("the tiles at 360 px", "#signal-tiles button.tile[data-signal]")
        width = d.execute_script("return document.documentElement.scrollWidth")
        assert width <= 360, f"the page is {width} px wide at a 360 px viewport"
        browser.shot("gemeente-smal")
        d.set_window_size(1280, 900)
        browser.logout()

        tn.log("another municipality cannot open that case")
        utr = accounts["gem-utrecht"]
        browser.login(url, utr["user"], utr["password"])
        browser.wait("gem-utrecht's page", "#signal-tiles")
        d.get(url + f"#/case/{case_id}")
        browser.wait_true("the refusal", lambda: "Geen toegang" in d.find_element(By.CSS_SELECTOR, "#case-error").text)
        browser.shot("andere-gemeente-geen-toegang")
        st, body = browser.fetch(f"/api/cases/{case_id}")
        assert st == 403, (st, body)
        browser.logout()

        tn.log("a GI team lead sees its deadlines")
        gi = accounts["gi-jbra"]
        browser.login(url, gi["user"], gi["password"])
        browser.wait("the GI's deadlines", "#deadlines-42")
        browser.wait_true("deadlines listed", lambda: len(d.find_elements(By.CSS_SELECTOR, "#deadlines-42 li.deadline")) > 0)
        shown = {int(li.get_attribute("data-deadline-id")) for li in d.find_elements(By.CSS_SELECTOR, "#deadlines-42 li.deadline")}
        code, node_deadlines = net.signed_get(0, "/v1/deadlines?institution=gi-jbra&limit=1000", 3)
        assert code == 0 and shown <= {dl["id"] for dl in node_deadlines["deadlines"]}, "the page shows deadlines the node does not"
        browser.shot("gi-termijnen")
        code, load = net.signed_get(0, "/v1/caseload?institution=gi-jbra", 3)
        assert code == 0 and load["professionals"], load
        browser.wait("the jeugdbeschermers", "#professionals-table tr[data-professional]")
        rows = {tr.get_attribute("data-professional"): int(tr.find_element(By.CSS_SELECTOR, "td.caseload").text)
                for tr in d.find_elements(By.CSS_SELECTOR, "#professionals-table tr[data-professional]")}
        assert rows == {p["professional"]: p["cases"] for p in load["professionals"]}, (rows, load)
        assert d.find_element(By.CSS_SELECTOR, "#unassigned-count").text.count(str(load["unassigned"])) >= 1
        d.find_element(By.CSS_SELECTOR, "#section-jeugdbeschermers").location_once_scrolled_into_view
        browser.shot("gi-jeugdbeschermers")
        browser.logout()

        tn.log("the court sees the pending requests")
        subprocess.run([args.joet_client, "submit", "--rpc", f"127.0.0.1:{base + 1}", "--key",
                        os.path.join(net.home(1), "keys", "member.key"), "--chain-id", net.chain_id, "--nonce", "next",
                        "request.file", f"case={case_id}", "request=r-lift-browser", "kind=LIFT", "document=doc:opheffing"],
                       check=True, capture_output=True, timeout=60)
        code, pending = net.signed_get(0, "/v1/requests/pending?institution=rb-amsterdam&limit=1000", 0)
        assert code == 0 and pending["requests"], pending
        court = accounts["rb-amsterdam"]
        browser.login(url, court["user"], court["password"])
        browser.wait("the pending requests", "#pending-requests li.request")
        listed = {(li.get_attribute("data-case"), li.get_attribute("data-request"))
                  for li in d.find_elements(By.CSS_SELECTOR, "#pending-requests li.request")}
        assert listed == {(r["case"], r["request"]) for r in pending["requests"]}, (listed, pending)
        d.find_element(By.CSS_SELECTOR, "#section-verzoeken").location_once_scrolled_into_view
        browser.shot("rechtbank-verzoeken")
        browser.logout()

        tn.log("the inspectorate: chain health with the validators and the last audit result")
        status = net.rpc(0, "GET", "/v1/status")[1]
        code, validators = net.signed_get(0, f"/v1/validators/{status['height'] + 1}", 2)
        igj = accounts["igj"]
        browser.login(url, igj["user"], igj["password"])
        browser.wait("the chain health", "#chain-health #chain-audit [data-ok]")
        assert d.find_element(By.CSS_SELECTOR, "#chain-validators").text.strip() == str(len(validators["validators"])), validators
        audit_fact = d.find_element(By.CSS_SELECTOR, "#chain-audit [data-ok]")
        assert audit_fact.get_attribute("data-ok") == "true", audit_fact.text
        assert audit_fact.get_attribute("data-heights") == str(audited["heights"]), (audit_fact.text, audited)
        browser.shot("inspectie-ketengezondheid")

        tn.log("a lost session goes back to the login")
        d.delete_all_cookies()  # the session is gone (as after expiry or a server restart); the page asks again
        d.find_element(By.CSS_SELECTOR, "#refresh").click()
        browser.wait_true("the login view saying why",
                          lambda: d.find_element(By.CSS_SELECTOR, "#login-form").is_displayed()
                          and "sessie" in d.find_element(By.CSS_SELECTOR, "#login-error").text)
        browser.shot("sessie-verlopen")
        severe = [m for m in browser.console() if "401" not in m and "403" not in m and "400" not in m]
        assert not severe, severe

        tn.log("the Power BI feed: every table, as the recipe loads it; a revoked token opens nothing")
        for table in ("running", "ended", "extensions", "missed_deadlines", "signals", "complaints", "assignment",
                      "grounds", "costs"):
            year, mon = int(month[:4]), int(month[5:])
            first = f"{year - 1}-{mon:02d}" if mon < 12 else f"{year}-01"  # the last 12 months
            st, text = https(url + f"feed/v1/{table}.csv?from={first}&to={month}", headers={"X-Api-Key": setup["token"]})
            assert st == 200 and text.startswith("month,kind,institution,cases,suppressed"), (table, st, text[:200])
            assert "c-" not in text, f"{table}: a case id in the feed"
            assert table != "costs" or text.splitlines()[0].endswith(",cents"), text[:200]
        subprocess.run([args.joet_inzicht, "tokens", "--config", setup["config"], "revoke", "--name", "powerbi-demo"],
                       check=True, capture_output=True)
        tn.PROCS["inzicht"].send_signal(signal.SIGHUP)
        tn.wait_for("the revoked token refused",
                    lambda: https(url + "feed/v1/signals.csv", headers={"X-Api-Key": setup["token"]})[0] == 401, 10)

        tn.log("too many wrong passwords: the throttle")
        for _ in range(6):
            st, _ = https(url + "api/login", "POST", {"user": "gi-wsg", "password": "niet-het-wachtwoord"})
        st, body = https(url + "api/login", "POST", {"user": "gi-wsg", "password": accounts["gi-wsg"]["password"]})
        assert st == 429 and body["error"]["code"] == "TOO_MANY_ATTEMPTS", (st, body)
        tn.log(f"PASS: screenshots in {shots}")
        return 0
    except Exception:
        for name in ("inzicht.log",):
            path = os.path.join(args.work, name)
            if os.path.exists(path):
                tn.log(f"--- tail of {name}")
                print("".join(open(path, errors="replace").readlines()[-30:]))
        raise
    finally:
        if browser is not None:
            try:
                browser.quit()
            except Exception:
                pass
        tn.stop_all()


if __name__ == "__main__":
    sys.exit(main())
