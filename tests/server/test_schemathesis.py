"""The OpenAPI document matches the server (issue 11): schemathesis runs every check (`--checks all`) against
a real `roundtable serve` on the journey scene, signed in as a learner, a coach, a manager and an admin, with
bounded examples and a fixed, deterministic generation. Each run prints its counts; any failure fails the test
with schemathesis' report (the request to replay included)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from support.journeys import ADMIN, AUTHOR, PEOPLE, journey_port, journey_site, set_scene  # noqa: F401
from support.live import LiveServer

pytestmark = pytest.mark.browser  # a real `roundtable serve`, like the browser tests

SCHEMATHESIS = str(Path(sys.executable).with_name("schemathesis"))
ROLES = {"learner": "lea@example.com", "coach": "cora@example.com", "manager": "mona@example.com",
         "admin": ADMIN[0]}
EXAMPLES = 5  # per operation and phase: with the coverage and stateful phases, some 3,000 cases a role
# Ending the very session the run signs in with would leave the rest of the run signed out.
SIGNS_OUT = r"^/api/(auth/logout|session/end-everywhere|users/\{user_id\}/sessions/end)$"


@pytest.fixture(scope="module")
def server(journey_site, journey_port, tmp_path_factory):  # noqa: F811
    """The journey program and its scene on a real server; limits raised so that generated requests are not 429s."""
    running = LiveServer(journey_site, tmp_path_factory.mktemp("instance"), journey_port,
                         RATELIMIT_WRITES="100000/minute", RATELIMIT_SIGNIN="100000/minute",
                         RATELIMIT_SIGNIN_EMAIL="100000/minute").start()
    try:
        running.add_people(PEOPLE)
        for (email, name), extra in ((AUTHOR, ()), (ADMIN, ("--admin",))):
            running.cli("user", "add", email, "--name", name, *extra)
        set_scene(running)
        yield running
    finally:
        running.stop()


def _counts(output):
    """(operations tested, cases generated, failures) from schemathesis' summary."""
    tested = re.search(r"Tested: (\d+)", output)
    cases = re.search(r"(\d+) generated", output)
    failures = re.search(r"found (\d+) unique failures?", output)
    return (int(tested.group(1)) if tested else 0, int(cases.group(1)) if cases else 0,
            int(failures.group(1)) if failures else 0)


@pytest.mark.parametrize("role", list(ROLES))
def test_schemathesis_finds_no_failure(server, role, tmp_path):
    http = server.api_as(ROLES[role])
    cookie = "; ".join(f"{k}={v}" for k, v in http.cookies.items())
    run = subprocess.run(
        [SCHEMATHESIS, "run", f"{server.url}/api/openapi.json", "--checks", "all", "--max-examples", str(EXAMPLES),
         "--generation-deterministic", "--workers", "1", "--no-color", "--request-timeout", "30",
         "--exclude-path-regex", SIGNS_OUT,
         "-H", f"Cookie: {cookie}", "-H", f"X-CSRF-Token: {http.headers['X-CSRF-Token']}"],
        cwd=tmp_path, capture_output=True, text=True, timeout=900)  # cwd: its .hypothesis/ stays in tmp_path
    output = run.stdout + run.stderr
    operations, cases, failures = _counts(output)
    print(f"schemathesis as {role}: {operations} operations, {cases} cases, {failures} failures")
    assert operations > 60 and cases > 1000, output  # the run really exercised the API
    assert run.returncode == 0, output
