"""A read-only instance (issue 11): `roundtable serve` refuses to start with a message naming the folder and the
fix (no traceback), and a running server whose folder becomes read-only answers writes with a clear 503 (reads
go on, nothing earlier is lost, writing resumes when the folder is writable again).

Root writes through any permission here (CAP_DAC_OVERRIDE), so the server runs without the capabilities that
bypass file permissions (setpriv drops them from its bounding set): a file or folder made read-only is then
read-only for the server, as it would be for an ordinary service user."""

from __future__ import annotations

import os
import re
import subprocess
import time

import pytest
import requests
from support.live import ROUNDTABLE, free_port

from server.conftest import make_catalog, write_catalog

pytestmark = pytest.mark.browser  # a real `roundtable serve`, like the browser tests

# root, but bound by file permissions like any other user
BOUND = ["setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner", "--inh-caps=-all"]
EMAIL = "lena.learner@example.com"


@pytest.fixture
def place(tmp_path):
    """site/ (a small catalog) and an empty instance/; made writable again afterwards so it can be removed."""
    write_catalog(tmp_path / "site", make_catalog())
    (tmp_path / "instance").mkdir()
    yield tmp_path
    _writable(tmp_path / "instance")


def _env(place, port):
    return {**os.environ, "HOME": str(place), "NO_MKDOCS_2_WARNING": "1",
            "ROUNDTABLE_INSTANCE_PATH": str(place / "instance"), "ROUNDTABLE_SITE_DIR": str(place / "site"),
            "ROUNDTABLE_BASE_URL": f"http://127.0.0.1:{port}", "ROUNDTABLE_RATELIMIT_WRITES": "1000/minute"}


def _bound(place, port, *args):
    """Run `roundtable ARGS` bound by file permissions; return the finished process."""
    return subprocess.run([*BOUND, ROUNDTABLE, *args], env=_env(place, port), capture_output=True, text=True,
                          timeout=120)


def _read_only(*paths):
    for path in paths:
        os.chmod(path, os.stat(path).st_mode & ~0o222)


def _writable(folder):
    for path in [folder, *folder.rglob("*")]:
        os.chmod(path, os.stat(path).st_mode | 0o200)


def _serve(place, port):
    """Start `roundtable serve` bound by file permissions and wait until it answers."""
    log = open(place / "serve.log", "w+")
    process = subprocess.Popen([*BOUND, ROUNDTABLE, "serve", "--port", str(port)], env=_env(place, port),
                               stdout=log, stderr=subprocess.STDOUT)
    for _ in range(300):
        assert process.poll() is None, (place / "serve.log").read_text()
        try:
            if requests.get(f"http://127.0.0.1:{port}/api/session", timeout=1).status_code == 200:
                return process
        except requests.ConnectionError:
            time.sleep(0.1)
    pytest.fail(f"the server did not answer:\n{(place / 'serve.log').read_text()}")


def _signed_in(place, port):
    """A session of a learner, signed in through a `roundtable login-link` token."""
    assert _bound(place, port, "user", "add", EMAIL, "--name", "Lena", "--cohort", "sales-a").returncode == 0
    out = _bound(place, port, "login-link", EMAIL).stdout
    token = re.search(r"token=([A-Za-z0-9_\-.~%]+)", out).group(1)
    http, url = requests.Session(), f"http://127.0.0.1:{port}"
    http.headers["X-CSRF-Token"] = http.get(f"{url}/api/session").json()["csrf_token"]
    answer = http.post(f"{url}/api/auth/redeem", json={"token": requests.utils.unquote(token)})
    assert answer.status_code == 200, answer.text
    http.headers["X-CSRF-Token"] = answer.json()["csrf_token"]
    return http


def _refused_start(place, port):
    """Start the server bound by file permissions; return its exit code and output (it must not keep running)."""
    done = _bound(place, port, "serve", "--port", str(port))
    return done.returncode, done.stdout + done.stderr


def test_a_read_only_instance_folder_is_refused_at_start_naming_it_and_the_fix(place):
    port = free_port()
    _read_only(place / "instance")
    code, out = _refused_start(place, port)
    assert code == 1
    assert f"{place / 'instance'} is read-only for root" in out
    assert "chown -R root" in out and "ROUNDTABLE_INSTANCE_PATH" in out
    assert "Traceback" not in out


def test_a_read_only_database_file_is_refused_at_start(place):
    port = free_port()
    assert _bound(place, port, "migrate").returncode == 0  # the instance held a database
    database = next((place / "instance").glob("*.db"))
    _read_only(database)
    code, out = _refused_start(place, port)
    assert code == 1 and f"{database} is read-only for root" in out and "Traceback" not in out


def test_writes_answer_503_while_the_folder_is_read_only_and_resume_after(place):
    port = free_port()
    server = _serve(place, port)
    try:
        url, http = f"http://127.0.0.1:{port}", _signed_in(place, port)
        thread = http.get(f"{url}/api/activities/sales/discovery-calls/roundtable/thread").json()["thread"]["id"]
        before = http.post(f"{url}/api/threads/{thread}/comments", json={"body": "Written before"})
        assert before.status_code == 201, before.text
        thread = before.json()["comment"]["thread_id"]
        instance = place / "instance"
        _read_only(instance, *instance.glob("*.db*"))

        refused = http.post(f"{url}/api/threads/{thread}/comments", json={"body": "Written while read-only"})
        assert refused.status_code == 503, refused.text
        assert refused.json()["error"].startswith("The server cannot save anything right now: its data folder is "
                                                  "read-only.")
        page = http.get(f"{url}/api/activities/sales/discovery-calls/roundtable/thread")  # reading goes on
        assert page.status_code == 200
        assert ["Written before" in c["body_html"] for c in page.json()["comments"]] == [True]
        assert "is read-only for the user running the server (root)" in (place / "serve.log").read_text()

        _writable(instance)
        again = http.post(f"{url}/api/threads/{thread}/comments", json={"body": "Written after"})
        assert again.status_code == 201, again.text
    finally:
        server.terminate()
        server.wait(10)
