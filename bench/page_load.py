"""Load the demo's module page in Chromium, cold and warm; print requests, bytes and time to the thread as JSON.

Usage: python bench/page_load.py [--runs 5] [--path /onboarding/how-we-work/] [--tiny]

Builds the sample site (content/, programs.yml, mkdocs.yml of this repository) into a temporary
folder with `roundtable build`, seeds it with `roundtable seed-demo`, starts `roundtable serve`
on a free loopback port and signs a demo learner in. Then, per run:

- **cold**: a fresh browser context (its own empty HTTP cache) carrying only the session
  cookie opens the module page;
- **warm**: the same context opens the page again (a normal navigation, not a reload).

Per load: `requests` (what went over the network: answers from the HTTP cache are not
counted), `bytes` (bytes received, headers and encoded bodies, from Chromium's network
events), `api_calls` (path -> count), and times in ms from navigation start: the first API
request, DOMContentLoaded, and the thread drawn (the roundtable widget's comment list in the
DOM). `thread_after_dcl_ms` is the goal's figure (<= 300 ms). Medians over the runs.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ROUNDTABLE = str(Path(sys.executable).with_name("roundtable"))
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
THREAD_ITEM = '.rt-activity[data-rt-kind="roundtable"] .rt-comments > li'
# Runs in the page before its own scripts: note when the roundtable's comment list first shows.
WATCH_THREAD = """
new MutationObserver((_, observer) => {
  if (document.querySelector('%s')) {
    window.__rtThreadDrawn = performance.now();
    observer.disconnect();
  }
}).observe(document, {childList: true, subtree: true});
""" % THREAD_ITEM
TIMES = """() => {
  const nav = performance.getEntriesByType("navigation")[0];
  return {dcl: nav.domContentLoadedEventStart, drawn: window.__rtThreadDrawn ?? null};
}"""


def free_port() -> int:
    """Return a TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cli(*args, env, cwd=None) -> str:
    """Run `roundtable ARGS`; stop the benchmark with its output when it fails."""
    result = subprocess.run([ROUNDTABLE, *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        sys.exit(f"roundtable {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def prepare(folder: Path, port: int) -> tuple[dict, str]:
    """Build and seed the sample site in folder; return the server's environment and a learner's sign-in link."""
    project = folder / "project"
    project.mkdir()
    for name in ("content", "programs.yml", "mkdocs.yml", "roundtable.lock"):
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, project / name)
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "ROUNDTABLE_INSTANCE_PATH": str(folder / "instance"),
           "ROUNDTABLE_SITE_DIR": str(project / "site"), "ROUNDTABLE_BASE_URL": url}
    cli("build", env=env, cwd=project)
    seeded = cli("seed-demo", "--base-url", url, env=env)
    link = re.search(r"^learner .*\n\s+(\S+)", seeded, re.M)
    if not link:
        sys.exit(f"seed-demo printed no learner link:\n{seeded}")
    return env, link[1]


def start_server(env: dict, port: int) -> subprocess.Popen:
    """Start `roundtable serve` and wait until it answers."""
    server = subprocess.Popen([ROUNDTABLE, "serve", "--port", str(port), "--quiet"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"roundtable serve exited:\n{server.stderr.read().decode()}")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/session", timeout=1)
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    sys.exit("roundtable serve did not answer within 60 s")


class NetworkLog:
    """Chromium's network events for one page (DevTools protocol): what crossed the wire."""

    def __init__(self, context, page):
        self.cdp = context.new_cdp_session(page)
        self.cdp.send("Network.enable")
        self.started, self.cached, self.received = {}, set(), {}
        self.cdp.on("Network.requestWillBeSent", lambda e: self.started.setdefault(e["requestId"], e))
        self.cdp.on("Network.requestServedFromCache", lambda e: self.cached.add(e["requestId"]))
        self.cdp.on("Network.responseReceived", self._response)
        self.cdp.on("Network.loadingFinished", lambda e: self.received.__setitem__(e["requestId"],
                                                                                    e["encodedDataLength"]))

    def _response(self, event):
        if event["response"].get("fromDiskCache") or event["response"].get("fromPrefetchCache"):
            self.cached.add(event["requestId"])

    def reset(self):
        """Forget what was logged so far (the next load starts from nothing)."""
        self.started, self.cached, self.received = {}, set(), {}

    def summary(self, origin: str) -> dict:
        """Return requests over the network, bytes received and the API calls by path (with query)."""
        sent = [rid for rid in self.started if rid not in self.cached]
        api = {}
        for rid, event in self.started.items():
            url = event["request"]["url"]
            if url.startswith(origin + "/api/"):
                key = url[len(origin):]
                api[key] = api.get(key, 0) + 1
        return {"requests": len(sent), "bytes": sum(self.received.get(rid, 0) for rid in sent),
                "api_calls": api, "first_api_ms": self._first_api(origin)}

    def _first_api(self, origin):
        stamps = [e["timestamp"] for e in self.started.values() if e["request"]["url"].startswith(origin + "/api/")]
        navs = [e["timestamp"] for e in self.started.values() if e.get("type") == "Document"]
        return round((min(stamps) - min(navs)) * 1000, 1) if stamps and navs else None


def load(page, log: NetworkLog, url: str, origin: str) -> dict:
    """Open url, wait for the thread and a quiet network; return the load's figures."""
    log.reset()
    page.goto(url)
    page.wait_for_selector(THREAD_ITEM, timeout=30000)
    page.wait_for_load_state("networkidle")
    times = page.evaluate(TIMES)
    figures = log.summary(origin)
    figures.update(dcl_ms=round(times["dcl"], 1), thread_drawn_ms=round(times["drawn"], 1),
                   thread_after_dcl_ms=round(times["drawn"] - times["dcl"], 1))
    return figures


def measure(link: str, origin: str, path: str, runs: int) -> dict:
    """Sign in once, then load the page cold and warm `runs` times each."""
    from playwright.sync_api import sync_playwright

    loads = {"cold": [], "warm": []}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        signing = browser.new_context()
        signin = signing.new_page()
        signin.goto(link)  # the sign-in page trades the link's token for a session cookie
        signin.wait_for_load_state("networkidle")
        if not signin.request.get(origin + "/api/session").json().get("user"):
            sys.exit("the demo learner's sign-in link did not sign in")
        state = signing.storage_state()
        signing.close()
        for _ in range(runs):
            context = browser.new_context(storage_state=state)  # a new context has an empty HTTP cache
            context.add_init_script(WATCH_THREAD)
            page = context.new_page()
            log = NetworkLog(context, page)
            loads["cold"].append(load(page, log, origin + path, origin))
            loads["warm"].append(load(page, log, origin + path, origin))
            context.close()
        browser.close()
    return loads


def summarise(loads: dict) -> dict:
    """Return the median of each figure per kind of load, and the API calls of the last load."""
    out = {}
    for kind, rows in loads.items():
        numbers = {key: round(statistics.median(r[key] for r in rows), 1)
                   for key in ("requests", "bytes", "first_api_ms", "dcl_ms", "thread_drawn_ms", "thread_after_dcl_ms")}
        out[kind] = {**numbers, "api_calls": rows[-1]["api_calls"],
                     "thread_after_dcl_ms_all": [r["thread_after_dcl_ms"] for r in rows]}
    return out


def main() -> None:
    """Build, seed, serve, measure, print JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--path", default="/onboarding/how-we-work/", help="the module page (its first roundtable is seeded)")
    parser.add_argument("--tiny", action="store_true", help="one run: the smoke test's setting")
    args = parser.parse_args()
    runs = 1 if args.tiny else args.runs
    port = free_port()
    origin = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="roundtable-page-") as folder:
        env, link = prepare(Path(folder), port)
        server = start_server(env, port)
        try:
            loads = measure(link, origin, args.path, runs)
        finally:
            server.terminate()
            server.wait(30)
    print(json.dumps({"page": args.path, "runs": runs, "load_average": os.getloadavg()[0],
                      **summarise(loads)}, indent=1))


if __name__ == "__main__":
    main()
