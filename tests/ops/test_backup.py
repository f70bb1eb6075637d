"""Backup and restore (issue 11): a backup taken while writers post holds every comment acknowledged before
it began; it restores into a new instance; a damaged backup is refused; an instance that lost its database
refuses to start instead of quietly beginning an empty one."""

from __future__ import annotations

import sqlite3
import subprocess
import threading
import time

import pytest
from support import live
from support.browser import built_site, server_port  # noqa: F401  (the fixture program, built once)

pytestmark = pytest.mark.browser  # a real server subprocess, like the browser tests


@pytest.fixture
def server(built_site, tmp_path_factory):  # noqa: F811
    running = live.start_server(built_site, tmp_path_factory, live.free_port())
    try:
        yield running
    finally:
        running.stop()


def _writers(server, stop, acknowledged):
    """Post comments from two learners until ``stop``; record (id, monotonic time of the 201)."""
    def write(email):
        http = server.api_as(email)
        thread = http.get(f"{server.url}/api/activities/{live.ACTIVITY_ID}/thread").json()["thread"]["id"]
        n = 0
        while not stop.is_set():
            n += 1
            answer = http.post(f"{server.url}/api/threads/{thread}/comments", json={"body": f"{email} {n}"})
            if answer.status_code == 201:
                acknowledged.append((answer.json()["comment"]["id"], time.monotonic()))
    threads = [threading.Thread(target=write, args=(email,)) for email in ("lea@example.com", "liam@example.com")]
    for t in threads:
        t.start()
    return threads


def test_a_backup_taken_while_writers_post_restores_every_acknowledged_comment(server, tmp_path):
    stop, acknowledged = threading.Event(), []
    writers = _writers(server, stop, acknowledged)
    while len(acknowledged) < 20:
        time.sleep(0.05)
    began = time.monotonic()
    server.cli("backup", str(tmp_path / "backup"))
    time.sleep(0.3)  # keep writing after the backup: those may or may not be in it
    stop.set()
    for t in writers:
        t.join()
    before = {cid for cid, at in acknowledged if at < began}
    assert len(before) >= 20

    restored = tmp_path / "restored-instance"
    env = {**server.env, "ROUNDTABLE_INSTANCE_PATH": str(restored)}
    out = live.run_cli("restore", str(tmp_path / "backup"), env=env)
    assert "restored" in out.lower()
    conn = sqlite3.connect(restored / "roundtable.db")
    ids = {row[0] for row in conn.execute("SELECT id FROM comments")}
    conn.close()
    assert before <= ids, f"{len(before - ids)} acknowledged comments are missing from the backup"
    restarted = live.LiveServer(server.site_dir, restored, live.free_port()).start()
    try:
        lea = restarted.api_as("lea@example.com")
        thread = lea.get(f"{restarted.url}/api/activities/{live.ACTIVITY_ID}/thread?limit=200").json()
        assert thread["comments"], "the restored instance serves the restored thread"
    finally:
        restarted.stop()


def test_a_changed_backup_is_refused_and_an_instance_with_data_is_not_overwritten(server, tmp_path):
    server.cli("backup", str(tmp_path / "backup"))
    refused = subprocess.run([live.ROUNDTABLE, "restore", str(tmp_path / "backup")], env=server.env,
                             capture_output=True, text=True)
    assert refused.returncode != 0 and "--replace" in refused.stderr + refused.stdout
    (tmp_path / "backup" / "roundtable.db").write_bytes(b"not what was backed up")
    env = {**server.env, "ROUNDTABLE_INSTANCE_PATH": str(tmp_path / "elsewhere")}
    damaged = subprocess.run([live.ROUNDTABLE, "restore", str(tmp_path / "backup")], env=env,
                             capture_output=True, text=True)
    assert damaged.returncode != 0 and "roundtable.db" in damaged.stderr + damaged.stdout
    assert not (tmp_path / "elsewhere" / "roundtable.db").exists()


def test_an_instance_that_lost_its_database_refuses_to_start(server):
    server.stop()
    (server.instance_dir / "roundtable.db").unlink()
    for extra in ("roundtable.db-wal", "roundtable.db-shm"):
        (server.instance_dir / extra).unlink(missing_ok=True)
    start = subprocess.run([live.ROUNDTABLE, "serve", "--port", str(live.free_port())], env=server.env,
                           capture_output=True, text=True, timeout=60)
    said = start.stdout + start.stderr
    assert start.returncode != 0
    assert "roundtable.db is missing" in said and "roundtable restore" in said and "Traceback" not in said
    assert not (server.instance_dir / "roundtable.db").exists()
