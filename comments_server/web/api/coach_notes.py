"""Coach-only blocks of a module (site/coach-notes.json, written by the build), for those the access rule allows.

Anyone else, signed in or not, gets the same 404 as for a module that does not
exist: the answer never tells a learner that a module has notes.
"""

from __future__ import annotations

import json
import os
import threading

from flask import Blueprint, current_app, g

from comments_server.access.rules import require
from comments_server.store import coach_notes
from comments_server.web.database import get_db

bp = Blueprint("coach_notes", __name__, url_prefix="/api")

NOTES_FILE = "coach-notes.json"  # generator/coach.py writes it; web/site.py never serves it
_cache: dict[str, tuple[tuple[int, int], dict]] = {}  # path -> ((mtime_ns, size), modules)
_lock = threading.Lock()


@bp.get("/modules/<path:module_id>/coach-notes")
def module_coach_notes(module_id):
    """Return a module's coach-only blocks (title and sanitised HTML each) to a coach, author or admin."""
    module = require(get_db(), g.get("user"), "coach_notes.read", coach_notes.get_module(get_db(), module_id=module_id))
    notes = _site_notes(os.path.join(current_app.config["SITE_DIR"], NOTES_FILE)).get(module["id"], [])
    return {"ok": True, "module_id": module["id"],
            "notes": [{"n": n["n"], "title": n["title"], "html": n["html"]} for n in notes]}


def _site_notes(path):
    """Return module id -> notes from the build's file, read again only when it changes; {} without one."""
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        return {}
    key = (stat.st_mtime_ns, stat.st_size)
    with _lock:
        cached = _cache.get(path)
        if cached is None or cached[0] != key:
            with open(path, encoding="utf-8") as f:
                cached = _cache[path] = (key, json.load(f).get("modules", {}))
        return cached[1]
