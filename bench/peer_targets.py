"""The two servers bench/peer.py compares, each started, seeded with the same threads and described as a target.

A target is a dict: its serving ``process``, ``base`` URL, the wrk ``loads`` of
each scenario (method, paths rotated per request, body, and for counts ``per_page``),
Roundtable's signed-in ``sessions``, and ``count_posts()`` reading its database.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import requests

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import server as rt_bench  # noqa: E402  bench/server.py: catalog, seeding, sign-in, serve

from comments_server import create_app  # noqa: E402
from comments_server.store import threads, tokens, users  # noqa: E402
from comments_server.store.db import connect, write_transaction  # noqa: E402

ISSO = "isso==0.14.0"
COUNTS_PER_PAGE = 10


def thread_sizes(tiny):
    """Return {slug: comments}: the big threads (read first), seven small ones, and the thread posted to."""
    big = (5, 2, 1) if tiny else (200, 20, 5)
    sizes = {"read": big[0], "t-mid": big[1], "t-few": big[2]}
    sizes |= {f"small-{i}": n for i, n in enumerate((3, 1, 2, 1, 3, 2, 1), 1)}
    return sizes | {"post": 1}


def install_isso(cache):
    """Return the bin/ folder of a virtual environment holding Isso and gunicorn, installing it once."""
    venv = cache.resolve() / "peer-venv"  # absolute: Isso starts in its own folder
    bin_dir = venv / "bin"
    check = [str(bin_dir / "python"), "-c", "import importlib.metadata as m; print(m.version('isso'))"]
    if (bin_dir / "gunicorn").exists() and subprocess.run(check, capture_output=True, text=True).stdout.strip() == ISSO.split("==")[1]:
        return bin_dir
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
    pip = subprocess.run([str(bin_dir / "pip"), "install", "-q", ISSO, "gunicorn"], capture_output=True, text=True)
    if pip.returncode != 0:
        sys.exit(f"Could not install {ISSO} and gunicorn from the package registry into {venv}:\n{pip.stderr[-3000:]}")
    return bin_dir


def wait_for(url, process, log):
    """Wait until ``url`` answers anything; exit with the server's log if it dies or never answers."""
    for _ in range(300):
        try:
            requests.get(url, timeout=1)
            return
        except requests.ConnectionError:
            if process.poll() is not None:
                sys.exit(f"{url} exited early:\n{log.read_text()[-3000:]}")
            time.sleep(0.1)
    sys.exit(f"{url} did not start:\n{log.read_text()[-3000:]}")


# --------------------------------------------------------------------------- Isso


def start_isso(bin_dir, root, port):
    """Write isso.cfg (SQLite in ``root``, guard off) and start Isso under gunicorn, 2 sync workers."""
    cfg = root / "isso.cfg"
    cfg.write_text(f"[general]\ndbpath = {root / 'isso.db'}\nhost = http://127.0.0.1/\n\n"
                   f"[guard]\nenabled = false\n\n[server]\nlisten = http://127.0.0.1:{port}/\n")
    log = root / "isso.log"
    command = [str(bin_dir / "gunicorn"), "--workers", "2", "--preload", "--bind", f"127.0.0.1:{port}", "isso.run"]
    process = subprocess.Popen(command, env={**os.environ, "ISSO_SETTINGS": str(cfg)}, cwd=root,
                               stdout=subprocess.DEVNULL, stderr=open(log, "w"))
    wait_for(f"http://127.0.0.1:{port}/info", process, log)
    return process


def seed_isso(base, sizes):
    """Post every thread's comments through Isso's API, a coach reply to every fourth as on Roundtable."""
    for slug, count in sizes.items():
        parent = None
        for i in range(count):
            coach = i % 4 == 3
            body = {"text": f"{i}: {rt_bench.TEXT}", "author": "Coach Carter" if coach else f"Learner {i % 8}",
                    "title": slug, "parent": parent if coach else None}
            answer = requests.post(f"{base}/new", params={"uri": isso_uri(slug)}, json=body, timeout=10)
            answer.raise_for_status()
            parent = answer.json()["id"]


def isso_uri(slug):
    """Return the page address Isso files a thread under."""
    return f"/bench/{slug}/"


def isso_target(bin_dir, root, sizes):
    """Start and seed Isso; return its target description."""
    port = rt_bench.free_port()
    process = start_isso(bin_dir, root, port)
    base = f"http://127.0.0.1:{port}"
    seed_isso(base, sizes)
    count_uris = [isso_uri(s) for s in sizes if s != "post"][:COUNTS_PER_PAGE]
    post = {"text": rt_bench.TEXT, "author": "Learner", "title": "post"}
    return {
        "name": "isso", "server": f"Isso {ISSO.split('==')[1]} under gunicorn, 2 sync workers (--preload), guard off",
        "process": process, "base": base,
        "loads": {
            "read": {"method": "GET", "paths": [f"/?uri={isso_uri('read')}"]},
            "counts": {"method": "POST", "paths": ["/count"], "body": json.dumps(count_uris), "per_page": 1},
            "post": {"method": "POST", "paths": [f"/new?uri={isso_uri('post')}"], "body": json.dumps(post)},
        },
        "count_posts": lambda: sql_count(root / "isso.db", "SELECT COUNT(*) FROM comments c JOIN threads t "
                                         "ON c.tid = t.id WHERE t.uri = ?", isso_uri("post")),
    }


# --------------------------------------------------------------------------- Roundtable


def prepare_roundtable(root, sizes):
    """Write the site and instance, add 8 learners and a coach, seed the threads; return (db path, tokens)."""
    site = root / "site"
    site.mkdir(parents=True)
    (site / "catalog.json").write_text(json.dumps(rt_bench.catalog(list(sizes))))
    (site / "index.html").write_text("bench")
    app = create_app({"SITE_DIR": str(site)}, instance_path=str(root / "instance"))
    db = connect(app.config["DATABASE"])
    with write_transaction(db):
        learners = [users.upsert_user(db, email=f"learner{i}@example.com", name=f"Learner {i}") for i in range(8)]
        coach = users.upsert_user(db, email="coach@example.com", name="Coach Carter")
        for person in learners:
            users.set_membership(db, user_id=person["id"], cohort_id="bench-1", role="learner")
        users.set_membership(db, user_id=coach["id"], cohort_id="bench-1", role="coach")
    learners = [users.get_user(db, user_id=p["id"]) for p in learners]
    with app.app_context():  # comments.add records completions, whose xAPI ids read the config
        for slug, count in sizes.items():
            rt_bench.fill_thread(db, learners, users.get_user(db, user_id=coach["id"]),
                                 activity_id=activity(slug), count=count)
    with write_transaction(db):
        sign_ins = [tokens.add_token(db, user_id=p["id"], minutes=60) for p in learners]
        # the post target's thread is stored up front, as its first post would store it
        post_thread = threads.store_virtual(db, thread=threads.roundtable(db, activity_id=activity("post"),
                                                                          cohort_id="bench-1"))["id"]
    db.close()
    return app.config["DATABASE"], sign_ins, post_thread


def activity(slug):
    """Return the roundtable activity id of a thread's module."""
    return f"bench/{slug}/roundtable"


def roundtable_target(root, sizes, shape):
    """Seed a fresh instance, start `roundtable serve` in ``shape`` (workers, threads), sign the learners in."""
    database, sign_ins, post_thread = prepare_roundtable(root, sizes)
    port = rt_bench.free_port()
    # the mail worker polls every second, so a post's mail is built while its run is measured
    process = rt_bench.start_server(root, port, *shape, extra_env={"ROUNDTABLE_NOTIFY_INTERVAL_SECONDS": "1"})
    base = f"http://127.0.0.1:{port}"
    sessions = [rt_bench.sign_in(base, token)[:2] for token in sign_ins]
    thread_path = "/api/activities/{}/thread?limit={}"
    # an index page's counts: one request for its 10 threads (GET /api/threads/counts), as Isso's POST /count
    counted = [activity(s) for s in sizes if s != "post"][:COUNTS_PER_PAGE]
    count_path = f"/api/threads/counts?activities={','.join(counted)}"
    answer = requests.get(base + count_path, headers={"Cookie": sessions[0][0]}, timeout=10).json()
    if sorted(answer["counts"]) != sorted(counted):
        sys.exit(f"The counts endpoint did not count every seeded thread: {answer}")
    return {
        "process": process, "base": base, "sessions": sessions,
        "loads": {
            "read": {"method": "GET", "paths": [thread_path.format(activity("read"), 200)]},
            "counts": {"method": "GET", "paths": [count_path], "per_page": 1},
            "post": {"method": "POST", "paths": [f"/api/threads/{post_thread}/comments"],
                     "body": json.dumps({"body": rt_bench.TEXT})},
        },
        "count_posts": lambda: sql_count(database, "SELECT COUNT(*) FROM comments WHERE thread_id = ?", post_thread),
    }


def roundtable_shapes(spec):
    """Parse --roundtable: 'default' is `roundtable serve`'s own defaults, 'WxT' a workers x threads shape."""
    from comments_server.ops.sizing import shape

    shapes = {}
    for item in spec.split(","):
        if item == "default":
            shapes["roundtable"] = shape()  # what `roundtable serve` picks on this machine
        else:
            workers, threads_per_worker = (int(n) for n in item.split("x"))
            shapes[f"roundtable-{workers}x{threads_per_worker}"] = (workers, threads_per_worker)
    return shapes


def sql_count(path, sql, arg):
    """Return one COUNT(*) from a database file, read-only."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        return conn.execute(sql, (arg,)).fetchone()[0]
