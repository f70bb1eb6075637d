"""Read a roster CSV for ``roundtable roster import``; the checks and the writes are ``actions.people``'s."""

from __future__ import annotations

import csv

from comments_server.actions.people import RosterError, import_roster as import_rows

COLUMNS = ("email", "name", "cohort", "role", "manager_email")
OPTIONAL = ("joined",)  # YYYY-MM-DD a new member joined the cohort; empty: the day of the import


def read_rows(path):
    """Return the CSV's rows as (row number, dict); row 1 is the header, as in a spreadsheet."""
    with open(path, newline="", encoding="utf-8-sig") as f:
        reader = csv.DictReader(f)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise RosterError([f"row 1: missing column(s) {', '.join(missing)}; "
                               f"the header must be {','.join(COLUMNS)}"])
        return [(n, {k: (v or "").strip() for k, v in row.items() if k})
                for n, row in enumerate(reader, start=2)]


def import_roster(db, path):
    """Import a roster CSV, all or nothing; return counts. Raises RosterError naming rows."""
    return import_rows(db, read_rows(path))


__all__ = ["COLUMNS", "RosterError", "import_roster", "read_rows"]
