"""A person's own data: export everything the product holds about them, or erase it (store/person_data.py).

Used by `roundtable user export` / `roundtable user erase` and by
``GET /api/me/export`` (the signed-in person's own copy).
"""

from __future__ import annotations

from comments_server.domain.timeutil import now_iso
from comments_server.store import person_data
from comments_server.store.db import write_transaction


def export_document(db, *, user_id):
    """Return the person's data as one JSON-ready document: every row that points at them, by table."""
    tables = person_data.export(db, user_id=user_id)
    return {"format": 1, "exported": now_iso(), "person": tables["users"][0], "tables": tables,
            "uploads": person_data.uploads_of(db, user_id=user_id)}


def erase_person(db, *, user_id, files):
    """Erase the person in one transaction, then delete their uploaded files from ``files`` (store/files.py);
    return what changed."""
    with write_transaction(db):
        names = person_data.uploads_of(db, user_id=user_id)
        counts = person_data.erase(db, user_id=user_id)
    for name in names:  # after the commit: a failed erase keeps the files its rows point at
        files.delete(name)
    return {"rows": counts, "files_removed": len(names)}
