"""`roundtable serve` as a real subprocess on a free port: sign in and post over HTTP."""

from __future__ import annotations

import os
import subprocess
import time

import pytest
import requests
from support.live import ROUNDTABLE, free_port
from support.postgres import POSTGRES_SECRET

from .conftest import THREAD_URL, make_catalog, write_catalog


@pytest.fixture
def live_env(tmp_path, database_url):
    """Environment for the commands: own instance folder and database, a site holding the test catalog."""
    write_catalog(tmp_path / "site", make_catalog())
    return {**os.environ, "ROUNDTABLE_INSTANCE_PATH": str(tmp_path / "instance"),
            "ROUNDTABLE_SITE_DIR": str(tmp_path / "site"), "ROUNDTABLE_DATABASE_URL": database_url,
            **({"ROUNDTABLE_SECRET_KEY": POSTGRES_SECRET["SECRET_KEY"]} if database_url else {})}


def roundtable(env, *args):
    """Run a roundtable command and return its stdout; fail with its output if it fails."""
    result = subprocess.run([ROUNDTABLE, *args], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.fixture
def live_server(live_env, tmp_path):
    """Start `roundtable serve` on a free port; yield its URL; stop it."""
    port = free_port()
    log = open(tmp_path / "serve.log", "w+")
    process = subprocess.Popen([ROUNDTABLE, "serve", "--port", str(port), "--workers", "2"],
                               env=live_env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_server(url, process, log)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


def wait_for_server(url, process, log, timeout=20.0):
    """Wait until the server answers; fail with its output if it exits or never answers."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            pytest.fail(f"roundtable serve exited {process.returncode}:\n{log.read()}")
        try:
            requests.get(url + "/api/session", timeout=1)
            return
        except requests.ConnectionError:
            time.sleep(0.1)
    log.seek(0)
    pytest.fail(f"roundtable serve did not answer within {timeout} s:\n{log.read()}")


def test_sign_in_and_post_over_http(live_env, live_server):
    roundtable(live_env, "user", "add", "lena@example.com", "--name", "Lena", "--cohort", "sales-a")
    link = roundtable(live_env, "login-link", "lena@example.com", "--base-url", live_server).strip()
    assert link.startswith(live_server + "/signin/?token=")
    http = requests.Session()
    csrf = http.get(live_server + "/api/session").json()["csrf_token"]
    signed_in = http.post(live_server + "/api/auth/redeem", json={"token": link.split("token=")[1]},
                          headers={"X-CSRF-Token": csrf})
    assert signed_in.status_code == 200, signed_in.text
    csrf = signed_in.json()["csrf_token"]
    thread = http.get(live_server + THREAD_URL).json()["thread"]
    posted = http.post(f"{live_server}/api/threads/{thread['id']}/comments",
                       json={"body": "Hello from a *real* server"}, headers={"X-CSRF-Token": csrf})
    assert posted.status_code == 201, posted.text
    comments = http.get(live_server + THREAD_URL).json()["comments"]
    assert comments[0]["body_html"] == "<p>Hello from a <em>real</em> server</p>"
    assert http.get(live_server + "/").text == "<h1>Roundtable test site</h1>"
    assert http.get(live_server + "/static/roundtable.js").status_code == 200
