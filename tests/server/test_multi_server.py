"""Two `roundtable serve` processes on two ports sharing one PostgreSQL and one Redis (issue 15).

What a person notices when a load balancer sends their requests to either
server: a comment posted through one is read through the other (with a fresh
ETag), one write budget and one sign-in limit across both, a sign-out through
one ends the session on the other; and two outbox workers running at once send
each queued mail exactly once to a real SMTP server. The fault test: 64
writers across both servers, one server killed with SIGKILL mid-run, then
every acknowledged write is there, once.
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time

import pytest
import requests
from notifications.conftest import Smtp
from support.browser import built_site, server_port  # noqa: F401  (fixtures)
from support.live import ACTIVITY_ID, ROUNDTABLE, LiveServer, free_port
from support.redis_server import redis_url  # noqa: F401  (the fixture)

from comments_server.store import notifications
from comments_server.store.db import connect, write_transaction

THREAD = f"/api/activities/{ACTIVITY_ID}/thread"
SECRET = "one-secret-for-every-server"


def start_pair(site, tmp_path, database, redis, **config):
    """Two servers on their own ports and instance folders, sharing the database, Redis and the secret key."""
    servers = []
    shared = {"DATABASE_URL": database, "RATELIMIT_STORAGE_URI": redis, "SECRET_KEY": SECRET,
              "NOTIFY_EMBEDDED_WORKER": "false", **config}
    for name in ("one", "two"):
        folder = tmp_path / name
        folder.mkdir()
        servers.append(LiveServer(site, folder, free_port(), **shared).start())
    servers[0].add_people()
    return servers


@pytest.fixture
def pair(built_site, tmp_path, postgres_cluster, redis_url):  # noqa: F811
    servers = start_pair(built_site, tmp_path, postgres_cluster.new_database(), redis_url,
                         RATELIMIT_WRITES="4/minute", RATELIMIT_SIGNIN_EMAIL="2 per 15 minutes")
    yield servers
    for server in servers:
        server.stop()


def comment(http, server, thread_id, body):
    return http.post(f"{server.url}/api/threads/{thread_id}/comments", json={"body": body}, timeout=30)


def test_a_comment_posted_through_one_server_is_read_through_the_other_with_a_fresh_etag(pair):
    one, two = pair
    lea = one.api_as("lea@example.com")
    first = lea.get(two.url + THREAD)
    assert first.status_code == 200
    assert lea.get(two.url + THREAD, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304

    assert comment(lea, one, first.json()["thread"]["id"], "Posted through server one.").status_code == 201
    after = lea.get(two.url + THREAD, headers={"If-None-Match": first.headers["ETag"]})
    assert after.status_code == 200 and after.headers["ETag"] != first.headers["ETag"]
    assert [c["body"] for c in after.json()["comments"]] == ["Posted through server one."]


def test_one_write_budget_and_one_sign_in_limit_across_both_servers(pair):
    one, two = pair
    lea = one.api_as("lea@example.com")
    thread_id = lea.get(one.url + THREAD).json()["thread"]["id"]
    codes = [comment(lea, server, thread_id, f"Write {n}").status_code for n, server in enumerate((one, two) * 2)]
    assert codes == [201] * 4
    refused = comment(lea, two, thread_id, "A fifth write")
    assert refused.status_code == 429 and "error" in refused.json()
    assert comment(lea, one, thread_id, "A sixth write").status_code == 429

    anonymous = requests.Session()
    anonymous.headers["X-CSRF-Token"] = anonymous.get(f"{one.url}/api/session").json()["csrf_token"]
    asks = [anonymous.post(f"{server.url}/api/auth/request-link", json={"email": "liam@example.com"}).status_code
            for server in (one, two, one, two)]
    assert asks == [202, 202, 429, 429]  # two links per mailbox, counted across the servers


def test_a_sign_out_through_one_server_ends_the_session_on_the_other(pair):
    one, two = pair
    lea = one.api_as("lea@example.com")
    elsewhere = requests.Session()  # the same cookie, as the other server would receive it
    elsewhere.cookies.update(lea.cookies)
    elsewhere.headers.update(lea.headers)
    assert elsewhere.get(f"{two.url}/api/session").json()["user"]["email"] == "lea@example.com"

    assert lea.post(f"{one.url}/api/auth/logout", json={}).status_code == 200
    assert elsewhere.get(f"{two.url}/api/session").json()["user"] is None
    assert elsewhere.get(two.url + THREAD).status_code == 401


def test_two_workers_at_once_send_each_of_200_queued_mails_exactly_once(postgres_cluster, tmp_path):
    database = postgres_cluster.new_database()
    db = connect(database)
    try:
        with write_transaction(db):
            for n in range(200):
                notifications.enqueue(db, user_id=None, to_addr="queue@example.com", kind="reply",
                                      subject=f"Mail {n:03d}", text="Hello", url="demo/talk-less/")
    finally:
        db.close()
    smtp = Smtp().start()
    env = {**os.environ, "ROUNDTABLE_DATABASE_URL": database, "ROUNDTABLE_SECRET_KEY": SECRET,
           "ROUNDTABLE_SMTP_HOST": "127.0.0.1", "ROUNDTABLE_SMTP_PORT": str(smtp.port),
           "ROUNDTABLE_SMTP_STARTTLS": "false", "ROUNDTABLE_NOTIFY_BATCH": "10",
           "ROUNDTABLE_NOTIFY_INTERVAL_SECONDS": "1", "ROUNDTABLE_SITE_DIR": str(tmp_path)}
    workers = []
    for name in ("a", "b"):
        folder = tmp_path / name
        folder.mkdir()
        workers.append(subprocess.Popen([ROUNDTABLE, "worker"], env={**env, "ROUNDTABLE_INSTANCE_PATH": str(folder)},
                                        stdout=subprocess.DEVNULL, stderr=open(folder / "log", "w")))
    try:
        deadline = time.monotonic() + 120
        while len(smtp.inbox.to("queue@example.com")) < 200 and time.monotonic() < deadline:
            assert all(w.poll() is None for w in workers), "a worker exited"
            time.sleep(0.5)
        time.sleep(3)  # a few more rounds of both: nothing more may arrive
    finally:
        for w in workers:
            w.terminate()
            w.wait(10)
        smtp.stop()
    subjects = sorted(smtp.inbox.subjects("queue@example.com"))
    assert subjects == [f"Mail {n:03d}" for n in range(200)]
    db = connect(database)
    try:
        senders = {row["claimed_by"] for row in db.query("SELECT claimed_by FROM outbox WHERE sent_at IS NOT NULL")}
        assert db.execute("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL").fetchone()[0] == 0
    finally:
        db.close()
    assert len(senders) == 2, f"both workers sent: {senders}"


def _process_tree(pid):
    """The pid and every descendant's (the serving process, its workers, the outbox worker)."""
    children = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    return [pid] + [p for child in children for p in _process_tree(int(child))]


def test_64_writers_one_server_killed_every_acknowledged_write_is_there_once(built_site, tmp_path,  # noqa: F811
                                                                             postgres_cluster, redis_url):  # noqa: F811
    database = postgres_cluster.new_database()
    one, two = start_pair(built_site, tmp_path, database, redis_url, RATELIMIT_WRITES="100000/minute")
    try:
        people = [one.api_as(email) for email in ("lea@example.com", "liam@example.com")]
        thread_id = people[0].get(one.url + THREAD).json()["thread"]["id"]
        acknowledged, failed, lock = [], [], threading.Lock()
        start = threading.Barrier(65)

        def writer(n):
            http = requests.Session()
            http.cookies.update(people[n % 2].cookies)
            http.headers.update(people[n % 2].headers)
            start.wait(60)
            for k in range(8):
                body = f"writer {n} write {k}"
                try:
                    answer = comment(http, (one, two)[(n + k) % 2], thread_id, body)
                except requests.RequestException:
                    with lock:
                        failed.append(body)
                    continue
                with lock:
                    (acknowledged if answer.status_code == 201 else failed).append(
                        (body, answer.json()["comment"]["id"]) if answer.status_code == 201 else body)

        threads = [threading.Thread(target=writer, args=(n,)) for n in range(64)]
        for t in threads:
            t.start()
        start.wait(60)
        while len(acknowledged) < 100:
            time.sleep(0.02)
        for pid in _process_tree(two.process.pid):  # the machine of server two dies: no clean-up at all
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        for t in threads:
            t.join(180)
        assert not any(t.is_alive() for t in threads)
    finally:
        one.stop()
        two.stop()
    assert failed, "server two died mid-run: some writes to it were not acknowledged"
    assert len(acknowledged) > 100
    db = connect(database)
    try:
        stored = db.execute("SELECT id, body_md FROM comments WHERE body_md LIKE 'writer %'").fetchall()
    finally:
        db.close()
    bodies = [body for _id, body in stored]
    assert len(bodies) == len(set(bodies)), "no write stored twice"
    assert set(acknowledged) <= {(body, id_) for id_, body in stored}, "every acknowledged write is stored"
