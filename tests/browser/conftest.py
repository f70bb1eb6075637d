"""Browser-test fixtures: a site built once from a tiny program, the real server
as a subprocess on a free port, people made with the real CLI, and Debian's
Chromium driven by pytest-playwright (docs: /work/shared/TOOLING.md, section 2)."""

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

HERE = Path(__file__).resolve().parent
FIXTURE_PROGRAM = HERE / "fixture_program"
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


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Drive Debian's Chromium: `playwright install` is neither needed nor wanted."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"The browser tests need Debian's Chromium at {CHROMIUM}: run `apt-get install chromium` "
                    "(or `make browser`).", pytrace=False)
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture
def browser_context_args(browser_context_args):
    """Every page the same size, so the screenshots compare."""
    return {**browser_context_args, "viewport": {"width": 1200, "height": 900}}


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


@pytest.fixture(scope="session")
def server_port() -> int:
    """The port of the session's server, known before the build so the site can name its own URL."""
    return free_port()


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


@pytest.fixture(scope="session")
def built_site(tmp_path_factory, server_port) -> Path:
    """The fixture program, built once for the session's server."""
    return build_program(tmp_path_factory.mktemp("program"), f"http://127.0.0.1:{server_port}/")


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
            except requests.ConnectionError:
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
            writer.writerow(["email", "name", "cohort", "role", "manager_email"])
            writer.writerows(people)
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


@pytest.fixture(scope="session")
def live_server(built_site, tmp_path_factory, server_port):
    """The real server for the whole session, on the port the site was built for."""
    server = start_server(built_site, tmp_path_factory, server_port)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def own_server(built_site, tmp_path_factory):
    """A server for one test that may stop and restart it."""
    server = start_server(built_site, tmp_path_factory, free_port())
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def editable_server(tmp_path, tmp_path_factory):
    """A server on a build of its own, for a test that changes a module and builds again."""
    site = build_program(tmp_path)
    server = start_server(site, tmp_path_factory, free_port(), CATALOG_CHECK_SECONDS=0)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def expiring_server(built_site, tmp_path_factory):
    """A server whose sign-in links have already expired when they are printed."""
    server = start_server(built_site, tmp_path_factory, free_port(), LOGIN_LINK_MINUTES=-1, ADMIN_LINK_DAYS=-1)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def shots(output_path):
    """Save a full-page screenshot under this test's folder in test-results/."""
    folder = Path(output_path)
    folder.mkdir(parents=True, exist_ok=True)

    def shot(page, name):
        path = folder / f"{name}.png"
        page.evaluate("window.scrollTo(0, 0)")  # else Material's sticky header lands mid-picture
        page.screenshot(path=str(path), full_page=True)
        return path

    return shot
