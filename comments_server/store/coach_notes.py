"""The module a coach note belongs to: what the coach-notes rule needs to decide who reads them."""

from __future__ import annotations

import json


def get_module(db, *, module_id):
    """Return a live module's id, program and author e-mails, or None."""
    row = next(db.query("SELECT id, program_id, authors FROM modules WHERE id = ? AND retired = FALSE", [module_id]), None)
    if row is None:
        return None
    return {"id": row["id"], "program_id": row["program_id"], "authors": json.loads(row["authors"] or "[]")}
