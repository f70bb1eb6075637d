"""Keep the database's copy of the catalog in step with SITE_DIR/catalog.json."""

from __future__ import annotations

import json
import os
import threading
import time

from comments_server.domain import xapi
from comments_server.store import catalog as catalog_store
from comments_server.store import completions, quizzes
from comments_server.store.db import connect, write_transaction

SUPPORTED_SCHEMA = 1
KEYS_FILE = "quiz-keys.json"  # the quizzes' answers, written beside the catalog by the build (never served)


class CatalogError(Exception):
    """The catalog file exists but cannot be used."""


def catalog_path(app):
    """Return where the build writes catalog.json."""
    return os.path.join(app.config["SITE_DIR"], "catalog.json")


def load(path):
    """Read and minimally check a catalog.json file."""
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, ValueError) as exc:
        raise CatalogError(f"{path}: cannot read the catalog: {exc}") from exc
    if data.get("schema_version") != SUPPORTED_SCHEMA:
        raise CatalogError(
            f"{path}: schema_version {data.get('schema_version')!r} is not supported "
            f"(expected {SUPPORTED_SCHEMA}); rebuild the site with this version of roundtable."
        )
    return data


def sync_file(db, path, *, xapi_base=xapi.DEFAULT_BASE):
    """Upsert the catalog at ``path`` into ``db``; return counts, or None if there is no file.

    A module whose completion rule or live activities changed has its
    learners' completion rows recomputed after the sync, one transaction per
    cohort (a deploy, not a user action, and never one long lock).
    """
    if not os.path.exists(path):
        return None
    data = load(path)
    keys = _quiz_keys(os.path.join(os.path.dirname(path), KEYS_FILE))
    # lock: several servers starting at once on PostgreSQL sync one after the other, each seeing the last's rows
    with write_transaction(db, lock="catalog"):
        before = completions.completion_rules(db)
        counts = catalog_store.sync(db, catalog=data)
        counts["quiz_keys"] = quizzes.sync_keys(db, keys=keys)
        after = completions.completion_rules(db)
    changed = sorted(mid for mid, rule in after.items() if before.get(mid) not in (None, rule))
    for program_id in sorted({after[mid][0] for mid in changed}):
        for cohort_id, learners in completions.program_learners(db, program_id=program_id):
            with write_transaction(db):
                for mid in (m for m in changed if after[m][0] == program_id):
                    completions.recompute_many(db, user_ids=learners, cohort_id=cohort_id, module_id=mid,
                                               xapi_base=xapi_base)
    return counts


def _quiz_keys(path):
    """Read the quizzes' answer keys ({activity id: {questions}}); none when the site has no such file."""
    if not os.path.exists(path):
        return {}
    return load(path).get("activities", {})


class Watcher:
    """Re-sync when catalog.json's mtime changes, looking at most every few seconds."""

    def __init__(self, app):
        self.app = app
        self.path = catalog_path(app)
        self.interval = float(app.config["CATALOG_CHECK_SECONDS"])
        self.mtime = None
        self.synced = 0  # syncs finished in this process: what a catalog-derived per-process cache is keyed by
        self.checked = 0.0
        self.lock = threading.Lock()

    def _mtime(self):
        try:
            return os.stat(self.path).st_mtime_ns
        except OSError:
            return None

    def sync_now(self, db=None):
        """Sync unconditionally and remember the file's mtime."""
        self.mtime = self._mtime()
        self.checked = time.monotonic()
        own = db is None
        db = db or connect(self.app.config["DATABASE"])
        try:
            counts = sync_file(db, self.path, xapi_base=xapi.base_from(self.app.config))
        finally:
            self.synced += 1
            if own:
                db.close()
        if counts:
            self.app.logger.info("Catalog synced from %s: %s", self.path, counts)
        return counts

    def maybe_sync(self):
        """Sync if the interval has passed and the file changed; errors are logged, not raised."""
        now = time.monotonic()
        if now - self.checked < self.interval or not self.lock.acquire(blocking=False):
            return
        try:
            self.checked = now
            if self._mtime() != self.mtime:
                self.sync_now()
        except CatalogError as exc:
            self.app.logger.error("%s", exc)
        finally:
            self.lock.release()


def init_app(app):
    """Sync the catalog at start and check for changes before API requests."""
    from flask import request

    watcher = Watcher(app)
    app.extensions["roundtable_catalog"] = watcher
    try:
        watcher.sync_now()
    except CatalogError as exc:
        app.logger.error("%s", exc)

    @app.before_request
    def _check_catalog():
        if request.path.startswith("/api/"):
            watcher.maybe_sync()
