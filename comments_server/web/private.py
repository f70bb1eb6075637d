"""Private programs: who may open a program's pages and find them in search (``visibility`` in programs.yml).

A program's pages and files live under ``<program id>/`` in the built site.
``public`` programs are served to anyone; ``signed-in`` ones to anyone with a
live session; ``enrolled`` ones to the members of the program's cohorts (any
role) and admins. A visitor who is not signed in is sent to sign in; someone
signed in who may not open the page gets the site's "not found", as an
out-of-scope API id does. MkDocs writes one search index for the whole site;
the server answers each reader with the entries they may open.
"""

from __future__ import annotations

import json
import os
import threading
from urllib.parse import quote

from flask import redirect, request

from comments_server.store import catalog
from comments_server.web.database import get_db
from comments_server.web.sessions import signed_in_user

SEARCH_INDEX = "search/search_index.json"


def viewer():
    """Return the signed-in person of this page request (a user with memberships), or None."""
    return signed_in_user()


def may_open(visibility, person, program_id):
    """Whether ``person`` (or None) may open the pages of a program with this visibility."""
    if visibility in (None, "public"):
        return True
    if person is None:
        return False
    if visibility == "signed-in" or person["admin"]:
        return True
    return any(m["program_id"] == program_id for m in person["memberships"])


def gate(path):
    """Return None when this request may have the site file at ``path``, else the answer to give instead."""
    program_id = path.split("/", 1)[0]
    visibility = catalog.program_visibility(get_db(), program_id=program_id) if program_id else None
    if visibility in (None, "public"):
        return None
    person = viewer()
    if may_open(visibility, person, program_id):
        return None
    if person is None and (path.endswith("/") or path.endswith(".html") or "." not in path.rsplit("/", 1)[-1]):
        return redirect(f"/signin/?next={quote(request.full_path.rstrip('?'), safe='/')}", 303)
    return "not found"


class SearchIndexes:
    """The site's search index cut down to what a reader may open, remembered per (index version, programs)."""

    def __init__(self):
        self.cache, self.lock = {}, threading.Lock()

    def for_reader(self, root, person):
        """Return the JSON text of the search index holding only the pages ``person`` may open."""
        path = os.path.join(root, SEARCH_INDEX)
        visibilities = catalog.visibilities(get_db())
        hidden = frozenset(pid for pid, vis in visibilities.items()
                           if not may_open(vis, person, pid))
        key = (path, os.stat(path).st_mtime_ns, hidden)
        with self.lock:
            if key in self.cache:
                return self.cache[key]
        with open(path, encoding="utf-8") as f:
            index = json.load(f)
        index["docs"] = [doc for doc in index.get("docs", [])
                         if doc.get("location", "").split("/", 1)[0] not in hidden]
        text = json.dumps(index, ensure_ascii=False, separators=(",", ":"))
        with self.lock:
            if len(self.cache) > 256:
                self.cache.clear()
            self.cache[key] = text
        return text


SEARCH = SearchIndexes()
