"""The sample backend of `roundtable preview`: the real server on a throw-away instance, seeded with the demo
cohort, answering /api and /static behind the preview as a signed-in sample learner.

It lives in the `roundtable` package because it needs both sides: the generator's preview
(generator/preview.py) calls it, and it runs comments_server unchanged.
"""

from __future__ import annotations

import datetime as dt
import http.cookies
import json
import os
import shutil
import tempfile
import threading


class SampleBackend:
    """A WSGI app for the widgets' paths, with sample data, for one preview session."""

    prefixes = ("/api/", "/static/", "/unsubscribe")

    def __init__(self, site_dir: str):
        """Start the server on a temporary instance; its catalog is a copy of the preview's, one cohort added."""
        from comments_server import create_app

        self.folder = tempfile.mkdtemp(prefix="roundtable_sample_")
        self.catalog_dir = os.path.join(self.folder, "site")
        os.makedirs(self.catalog_dir)
        self.app = create_app({"SITE_DIR": self.catalog_dir, "CATALOG_CHECK_SECONDS": 0, "RATELIMIT_ENABLED": False,
                               "NOTIFY_EMBEDDED_WORKER": False}, instance_path=os.path.join(self.folder, "instance"))
        self.cookie = None  # the sample learner's session, once seeded
        self.lock = threading.Lock()

    def after_build(self, site_dir: str) -> None:
        """Copy the new catalog (with a sample cohort for programs without one), sync it and seed the sample people."""
        with open(os.path.join(site_dir, "catalog.json"), encoding="utf-8") as f:
            catalog = json.load(f)
        for program in catalog["programs"]:
            if not program["cohorts"]:
                program["cohorts"] = [{"id": f"{program['id']}-preview", "title": "Preview cohort",
                                       "starts": dt.date.today().isoformat(), "pace": "weekly", "due_dates": {}}]
        keys = os.path.join(site_dir, "quiz-keys.json")  # so sample quizzes are graded as on the real site
        if os.path.exists(keys):
            shutil.copyfile(keys, os.path.join(self.catalog_dir, "quiz-keys.json"))
        path = os.path.join(self.catalog_dir, "catalog.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(catalog, f)
        with self.lock:
            self._seed(path)

    def _seed(self, path: str) -> None:
        """Sync the catalog, seed the demo cohorts and make the first learner a learner of every program."""
        from comments_server.actions.catalog_sync import sync_file
        from comments_server.store.db import connect, write_transaction
        from comments_server.ops.seed import seed_demo
        from comments_server.store import catalog, users

        db = connect(self.app.config["DATABASE"])
        try:
            sync_file(db, path)
            links = seed_demo(self.app, "http://127.0.0.1")
            email = next((e for role, _, e, _ in links if role == "learner"), None)
            if email is None:
                return
            learner = users.get_user(db, email=email)
            # one cohort per program (the seeded one where there is one), so no cohort picker shows
            joined = {m["program_id"] for m in learner["memberships"]}
            with write_transaction(db):
                for cohort in catalog.list_cohorts(db):
                    if not cohort["retired"] and cohort["program_id"] not in joined:
                        users.set_membership(db, user_id=learner["id"], cohort_id=cohort["id"], role="learner")
                        joined.add(cohort["program_id"])
            self.cookie = self._session_cookie(learner["id"])
        finally:
            db.close()

    def _session_cookie(self, user_id: int) -> str:
        """Return a Flask session cookie that signs the sample learner in, as the sign-in link would."""
        serializer = self.app.session_interface.get_signing_serializer(self.app)
        return serializer.dumps({"uid": user_id, "_permanent": True})

    def __call__(self, environ, start_response):
        """Serve a widget request; a browser without a session is the sample learner."""
        name = self.app.config["SESSION_COOKIE_NAME"]
        cookies = http.cookies.SimpleCookie(environ.get("HTTP_COOKIE", ""))
        if self.cookie and name not in cookies:
            environ = {**environ, "HTTP_COOKIE": "; ".join(filter(None, [environ.get("HTTP_COOKIE"),
                                                                          f"{name}={self.cookie}"]))}
        return self.app(environ, start_response)

    def close(self) -> None:
        """Remove the temporary instance."""
        shutil.rmtree(self.folder, ignore_errors=True)
