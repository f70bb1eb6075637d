"""Forwarding statements to a learning record store that is down, then up: nothing lost, nothing twice.

The store is a tiny real HTTP server on 127.0.0.1 that records what it is sent.
"""

from __future__ import annotations

import base64
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from click.testing import CliRunner
from support.live import free_port

from comments_server.dashboard import service
from comments_server.ops import lrs
from comments_server.ops.cli import commands
from comments_server.store import dashboard as store
from comments_server.web.database import get_db


class Store:
    """A learning record store on a port: records batches; can fail the next N requests with 503."""

    def __init__(self, port):
        """A store that will listen on ``port`` once started."""
        self.port, self.batches, self.headers, self.fail_next = port, [], [], 0
        self.server = None

    def start(self):
        """Listen on 127.0.0.1:port in a thread."""
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                outer.headers.append({k.lower(): v for k, v in self.headers.items()})
                if outer.fail_next:
                    outer.fail_next -= 1
                    self.send_response(503)
                else:
                    outer.batches.append(body)
                    self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self):
        """Stop listening (the port is refused again)."""
        if self.server:
            self.server.shutdown()
            self.server.server_close()

    @property
    def ids(self):
        """Every statement id received, in order."""
        return [st["id"] for batch in self.batches for st in batch]


@pytest.fixture
def port():
    """A port nobody listens on (yet)."""
    return free_port()


@pytest.fixture
def lrs_store(port):
    """The store, not started: the test starts it when it wants it up."""
    s = Store(port)
    yield s
    s.stop()


def forward(app, port, **kw):
    """Run the forwarder once against the store on ``port`` without real waits."""
    with app.app_context():
        db = get_db()
        context = service.export_context(db)
        return lrs.forward(db, endpoint=f"http://127.0.0.1:{port}/xapi/", context=context, user="rt",
                           password="secret", batch=10, attempts=3, backoff=0.01, sleep=lambda s: None, **kw)


def exported(app):
    """Every statement the events table can export, in order."""
    with app.app_context():
        return service.export_events(get_db())


def test_down_then_up_loses_nothing_and_sends_nothing_twice(app, scenario, lrs_store, port):
    with pytest.raises(lrs.LrsError, match="after 3 attempts.*unreachable"):
        forward(app, port)
    with app.app_context():
        cursor = store.lrs_cursor(get_db())
    assert cursor["last_event_id"] == 0 and "unreachable" in cursor["last_error"]

    lrs_store.start()
    done = forward(app, port)
    want = [st["id"] for st in exported(app)]
    assert lrs_store.ids == want and done["sent"] == len(want)
    assert all(len(b) <= 10 for b in lrs_store.batches) and done["batches"] == len(lrs_store.batches)
    assert {h["x-experience-api-version"] for h in lrs_store.headers} == {"1.0.3"}
    assert {h["authorization"] for h in lrs_store.headers} == {"Basic " + base64.b64encode(b"rt:secret").decode()}

    assert forward(app, port)["sent"] == 0  # nothing new: nothing sent again
    assert lrs_store.ids == want


def test_a_failing_store_is_retried_with_backoff_and_new_events_follow(app, scenario, lrs_store, port, people):
    lrs_store.start()
    lrs_store.fail_next = 2
    waits = []
    with app.app_context():
        db = get_db()
        done = lrs.forward(db, endpoint=f"http://127.0.0.1:{port}/xapi", context=service.export_context(db),
                           batch=500, attempts=3, backoff=0.5, sleep=waits.append)
    assert waits == [0.5, 1.0] and len(lrs_store.batches) == 1 and done["sent"] == len(exported(app))
    people["ana"].post("/api/activities/acme/wrap-up/read/read")
    assert forward(app, port)["sent"] == 1  # only the statement written since: Ana read module 4
    assert len(lrs_store.ids) == len(set(lrs_store.ids)) == len(exported(app))


def test_lrs_forward_command(app, scenario, lrs_store, port, monkeypatch, tmp_path):
    for key, value in {"INSTANCE_PATH": app.instance_path, "SITE_DIR": str(tmp_path / "site"),
                       "LRS_ENDPOINT": f"http://127.0.0.1:{port}/xapi", "DATABASE_URL": app.config["DATABASE_URL"],
                       "SECRET_KEY": app.config["SECRET_KEY"]}.items():
        monkeypatch.setenv(f"ROUNDTABLE_{key}", value)
    runner = CliRunner()
    down = runner.invoke(commands, ["lrs-forward", "--attempts", "1"])
    assert down.exit_code == 1 and "Nothing is lost" in down.output
    lrs_store.start()
    up = runner.invoke(commands, ["lrs-forward"])
    assert up.exit_code == 0, up.output
    assert f"Sent {len(exported(app))} statements" in up.output
