"""The real server for tests: `roundtable serve` in a subprocess on a free port, the `roundtable` CLI,
and the browser fixture program (tests/browser/fixture_program) built with `roundtable build`."""

from __future__ import annotations

import csv
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import pytest
import requests

FIXTURE_PROGRAM = Path(__file__).resolve().parents[1] / "browser" / "fixture_program"
ROUNDTABLE = str(Path(sys.executable).with_name("roundtable"))  # the venv running pytest
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

MODULE_URL = "demo/talk-less/"
ACTIVITY_ID = "demo/talk-less/roundtable"
PEOPLE = [  # email, name, cohort, role, manager_email: the roster CSV of the issue
    ("lea@example.com", "Lea Learner", "demo-cohort", "learner", ""),
    ("liam@example.com", "Liam Learner", "demo-cohort", "learner", ""),
    ("cora@example.com", "Cora Coach", "demo-cohort", "coach", ""),
    ("cora@example.com", "Cora Coach", "demo-cohort-2", "coach", ""),
]


def free_port() -> int:
    """Return a TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_cli(*args, env=None, cwd=None) -> str:
    """Run `roundtable ARGS`; fail the test with its output when it fails."""
    result = subprocess.run([ROUNDTABLE, *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=120)
    if result.returncode != 0:
        pytest.fail(f"`roundtable {' '.join(args)}` exited {result.returncode}:\n{result.stdout}\n{result.stderr}",
                    pytrace=False)
    return result.stdout + result.stderr


def build_program(folder: Path, site_url: str | None = None) -> Path:
    """Copy the fixture program into folder, build it with `roundtable build`; return the site folder."""
    program = folder / "fixture_program"
    shutil.copytree(FIXTURE_PROGRAM, program)
    if site_url:
        # Material's instant navigation only runs when site_url is where the site is served.
        with open(program / "mkdocs.yml", "a") as f:
            f.write(f"site_url: {site_url}\n")
    rebuild(program)
    site = program / "site"
    assert (site / MODULE_URL / "index.html").exists(), f"the build wrote no {MODULE_URL}index.html"
    return site


def rebuild(program: Path):
    """Run `roundtable build` in a program folder."""
    run_cli("build", env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, cwd=program)


class LiveServer:
    """`roundtable serve` in a subprocess, with its own instance folder."""

    def __init__(self, site_dir: Path, instance_dir: Path, port: int, **config):
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.site_dir = site_dir
        self.instance_dir = instance_dir
        self.env = {
            **os.environ,
            "NO_MKDOCS_2_WARNING": "1",
            "ROUNDTABLE_INSTANCE_PATH": str(instance_dir),
            "ROUNDTABLE_SITE_DIR": str(site_dir),
            "ROUNDTABLE_BASE_URL": self.url,
            # Many sign-ins from one address in a few seconds is the test, not an attack.
            "ROUNDTABLE_RATELIMIT_SIGNIN": "1000/minute",
            "ROUNDTABLE_RATELIMIT_WRITES": "1000/minute",
            **{f"ROUNDTABLE_{key}": str(value) for key, value in config.items()},
        }
        self.process = None

    def start(self):
        """Start the server and wait until it answers; fail with its stderr if it exits."""
        self.log = open(self.instance_dir / f"serve-{time.time_ns()}.log", "w+")
        self.process = subprocess.Popen([ROUNDTABLE, "serve", "--port", str(self.port)], env=self.env,
                                        stdout=self.log, stderr=subprocess.STDOUT)
        self.wait_for_server()
        return self

    def wait_for_server(self, timeout=30.0):
        """Poll GET /api/session until it answers 200."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"`roundtable serve` exited {self.process.returncode} before answering:\n{self.output()}",
                            pytrace=False)
            try:
                if requests.get(f"{self.url}/api/session", timeout=1).status_code == 200:
                    return
            except (requests.ConnectionError, requests.Timeout):  # not up yet, or slow on a busy machine
                pass
            time.sleep(0.1)
        pytest.fail(f"`roundtable serve` did not answer within {timeout} s:\n{self.output()}", pytrace=False)

    def output(self) -> str:
        """Return what the server printed so far."""
        self.log.flush()
        self.log.seek(0)
        return self.log.read()

    def stop(self):
        """Stop the server (SIGTERM, then SIGKILL after 5 s)."""
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)

    def rebuild_site(self):
        """Build the site this server serves again (after a test changed its content)."""
        rebuild(self.site_dir.parent)

    def cli(self, *args) -> str:
        """Run a `roundtable` command against this server's instance folder."""
        return run_cli(*args, env=self.env)

    def add_people(self, people=PEOPLE):
        """Import people into the cohort with `roundtable roster import`."""
        path = self.instance_dir / "roster.csv"
        with open(path, "w", newline="") as f:
            writer = csv.writer(f)
            # joined long before any test cohort starts: nobody is a late joiner unless a test says so
            writer.writerow(["email", "name", "cohort", "role", "manager_email", "joined"])
            writer.writerows([(*row, "2000-01-01")[:6] for row in people])
        self.cli("roster", "import", str(path))

    def api_as(self, email: str) -> requests.Session:
        """Return an HTTP session signed in as email, sending the CSRF token: for setting a scene fast."""
        http = requests.Session()
        token = urllib.parse.parse_qs(urllib.parse.urlparse(self.login_link(email)).query)["token"][0]
        http.headers["X-CSRF-Token"] = http.get(f"{self.url}/api/session").json()["csrf_token"]
        answer = http.post(f"{self.url}/api/auth/redeem", json={"token": token})
        assert answer.status_code == 200, answer.text
        http.headers["X-CSRF-Token"] = answer.json()["csrf_token"]
        return http

    def login_link(self, email: str, next_path: str | None = None) -> str:
        """Return a one-time sign-in link from `roundtable login-link`, on this server's URL."""
        out = self.cli("login-link", email)
        match = re.search(r"token=([A-Za-z0-9_\-.~%]+)", out)
        assert match, f"no token in the output of `roundtable login-link {email}`:\n{out}"
        query = {"token": urllib.parse.unquote(match.group(1))}
        if next_path:
            query["next"] = next_path
        return f"{self.url}/signin/?{urllib.parse.urlencode(query)}"


def start_server(built_site, tmp_path_factory, port, **config) -> LiveServer:
    """Start a server with a fresh instance folder and the test roster."""
    server = LiveServer(built_site, tmp_path_factory.mktemp("instance"), port, **config).start()
    server.add_people()  # after start: the cohort comes from the catalog the server synced
    return server
