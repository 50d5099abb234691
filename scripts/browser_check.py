#!/usr/bin/env python3
"""Drives headless Chromium through the claim procedure on a running `neraca serve --demo`:
a claimant logs in, files a claim with a receipt photo, submits it; the coordinator logs in
and approves it. Each page is saved as a screenshot at 390 px (a phone) and 1280 px wide.

Usage: browser_check.py BASE_URL DEVTOOLS_PORT OUT_DIR CLAIMANT_PASSWORD COORDINATOR_PASSWORD RECEIPT.png
Talks to Chromium over the DevTools protocol (websocket-client from PyPI); no JavaScript
runs in the pages themselves: forms are filled and submitted as a person would.
"""
import base64
import datetime
import json
import sys
import time
import urllib.request

import websocket


class Browser:
    def __init__(self, devtools_port):
        targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{devtools_port}/json"))
        page = next(t for t in targets if t["type"] == "page")
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=30)
        self.next_id = 0
        self.call("Page.enable")

    def call(self, method, **params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def wait_for_load(self):
        deadline = time.time() + 30
        while time.time() < deadline:
            message = json.loads(self.ws.recv())
            if message.get("method") == "Page.loadEventFired":
                return
        raise RuntimeError("the page did not load")

    def go(self, url):
        self.call("Page.navigate", url=url)
        self.wait_for_load()

    def evaluate(self, expression):
        """The expression's value in the page; a script error (a selector that finds nothing) stops the check."""
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"in the page: {expression[:120]}: {result['exceptionDetails'].get('exception', {}).get('description', result['exceptionDetails'])}")
        return result.get("result", {}).get("value")

    def submit(self, form_selector):
        """Submits the form as its button would, then waits for the next page."""
        self.evaluate(f"document.querySelector({json.dumps(form_selector)}).requestSubmit()")
        self.wait_for_load()

    def fill(self, values):
        """Types each value as a person would: the field changes and says so (an input event)."""
        for selector, value in values.items():
            self.evaluate(f"(function (field) {{ field.value = {json.dumps(value)}; "
                          f"field.dispatchEvent(new Event('input', {{bubbles: true}})); }})"
                          f"(document.querySelector({json.dumps(selector)}))")

    def attach(self, selector, path):
        root = self.call("DOM.getDocument")["root"]["nodeId"]
        node = self.call("DOM.querySelector", nodeId=root, selector=selector)["nodeId"]
        self.call("DOM.setFileInputFiles", nodeId=node, files=[path])

    def shoot(self, out_dir, name):
        for width in (390, 1280):
            self.call("Emulation.setDeviceMetricsOverride", width=width, height=900, deviceScaleFactor=1,
                      mobile=width < 600)
            height = self.evaluate("document.documentElement.scrollHeight") or 900
            self.call("Emulation.setDeviceMetricsOverride", width=width, height=max(int(height), 300),
                      deviceScaleFactor=1, mobile=width < 600)
            data = self.call("Page.captureScreenshot", format="png")["data"]
            with open(f"{out_dir}/{name}-{width}.png", "wb") as file:
                file.write(base64.b64decode(data))

    def text(self):
        return self.evaluate("document.body.innerText") or ""


def main():
    base, devtools_port, out_dir, claimant_password, coordinator_password, receipt, finance_password = sys.argv[1:8]
    browser = Browser(devtools_port)

    def log_in(person, password, shot):
        browser.go(f"{base}/login")
        browser.shoot(out_dir, shot)
        browser.fill({"#login": person, "#password": password})
        browser.submit("form[action='/login']")
        if "/login" in browser.evaluate("location.pathname"):
            raise RuntimeError(f"{person} could not log in: {browser.text()[:200]}")

    log_in("P-SBT-003", claimant_password, "01-login")
    browser.go(f"{base}/claims/new")
    day = (datetime.date.today() - datetime.timedelta(days=2)).isoformat()
    browser.fill({"#budgetLine": "1.1", "#activity": "Village meeting, Desa Bula", "#activityFrom": day,
                  "#activityTo": day, "#quantity": "1", "#unitRate": "150,000", "#category": "honorarium"})
    browser.attach("#receipt", receipt)
    browser.shoot(out_dir, "02-new-claim")
    browser.submit("form[action='/claims/new']")
    claim = browser.evaluate("location.pathname")
    if not claim.startswith("/claims/FC-"):
        raise RuntimeError(f"the claim was not created: {browser.text()[:300]}")
    browser.shoot(out_dir, "03-draft")
    browser.submit(f"form[action='{claim}/submit']")
    browser.shoot(out_dir, "04-submitted")
    browser.submit("form[action='/logout']")

    log_in("P-SBT-001", coordinator_password, "05-coordinator-login")
    browser.shoot(out_dir, "06-coordinator-home")
    if claim.split("/")[-1] not in browser.text():
        raise RuntimeError("the submitted claim is not among those waiting for the coordinator")
    browser.go(f"{base}{claim}")
    browser.evaluate(f"document.querySelector(\"form[action='{claim}/approve'] input[name=acknowledgeFlags]\").checked = true")
    browser.shoot(out_dir, "07-review")
    browser.submit(f"form[action='{claim}/approve']")
    browser.shoot(out_dir, "08-approved")
    if "approved" not in browser.text():
        raise RuntimeError(f"the claim was not approved: {browser.text()[:300]}")
    print(f"claim {claim.split('/')[-1]} filed, submitted and approved in the browser")
    browser.submit("form[action='/logout']")

    # A finance officer's manual entry: refused while it does not balance, posted once it does.
    log_in("P-MKS-003", finance_password, "09-finance-login")
    browser.go(f"{base}/journal/new")
    browser.fill({"#description": "Fuel for the district motorbike", "#account-1": "5-1100", "#district-1": "SBT",
                  "#budgetLine-1": "1.1", "#debit-1": "350,000", "#account-2": "1-1120", "#credit-2": "300,000"})
    live = browser.evaluate("document.getElementById('live-balance').textContent")
    if "difference of 50,000." not in live:
        raise RuntimeError(f"the live totals do not show the difference: {live!r}")
    browser.submit("form[action='/journal/new']")
    browser.shoot(out_dir, "10-entry-unbalanced")
    if "does not balance" not in browser.text():
        raise RuntimeError(f"an unbalanced entry was not refused: {browser.text()[:300]}")
    browser.fill({"#credit-2": "350,000"})
    browser.submit("form[action='/journal/new']")
    entry = browser.evaluate("location.pathname")
    if not entry.startswith("/journal/JE-"):
        raise RuntimeError(f"the entry was not posted: {browser.text()[:300]}")
    browser.shoot(out_dir, "11-entry-posted")
    browser.go(f"{base}/budgets")
    browser.shoot(out_dir, "12-budgets")
    # The drill-down from the line just spent on (SBT 1.1): the entry is among its postings.
    drill = browser.evaluate("document.querySelector(\"a[href*='/SBT/1.1']\").getAttribute('href')")
    browser.go(f"{base}{drill}")
    browser.shoot(out_dir, "13-budget-postings")
    if entry.split("/")[-1] not in browser.text():
        raise RuntimeError(f"the posted entry is not behind the budget line's spending: {browser.text()[:300]}")
    print(f"entry {entry.split('/')[-1]} posted in the browser; budget drill-down {drill} opened")


if __name__ == "__main__":
    main()
