"""The server's copy of the catalog: programs, cohorts, modules, activities (retired, never deleted)."""

from __future__ import annotations

import json

TABLES = ("programs", "cohorts", "modules", "activities")


def sync(db, *, catalog):
    """Upsert every catalog record and mark the ones no longer in it as retired."""
    rows = {name: [] for name in TABLES}
    for program in catalog.get("programs", []):
        _collect_program(rows, program)
    for name in TABLES:
        table = db.table(name)
        seen = [row["id"] for row in rows[name]]
        if rows[name]:
            table.upsert_all(rows[name], pk="id")
        placeholders = ",".join("?" for _ in seen) or "NULL"
        db.execute(
            f"UPDATE {name} SET retired = TRUE WHERE retired = FALSE AND id NOT IN ({placeholders})", seen
        )
    return {name: len(rows[name]) for name in TABLES}


def _collect_program(rows, program):
    """Flatten one catalog program into table rows."""
    pid = program["id"]
    rows["programs"].append({
        "id": pid, "title": program.get("title", ""), "audience": program.get("audience", ""),
        "description": program.get("description", ""), "url": program.get("url", ""),
        "ord": program.get("order", 0), "retired": 0,
        # a catalog from before programs had a visibility was a public site: it stays one until rebuilt
        "visibility": program.get("visibility", "public"),
    })
    for cohort in program.get("cohorts", []):
        rows["cohorts"].append({
            "id": cohort["id"], "program_id": pid, "title": cohort.get("title", ""),
            "starts": cohort.get("starts"), "pace": cohort.get("pace"), "retired": 0,
            "late_joiners": cohort.get("late_joiners") or "shift",
            # module id -> ISO date, computed by the build for this cohort's pace; None: an older catalog
            "due_dates": json.dumps(cohort["due_dates"], sort_keys=True) if "due_dates" in cohort else None,
        })
    for module in program.get("modules", []):
        rows["modules"].append(_module_row(pid, module))
        for activity in module.get("activities", []):
            rows["activities"].append({
                "id": activity["id"], "module_id": module["id"], "program_id": pid,
                "key": activity.get("key", ""), "kind": activity["kind"],
                "ord": activity.get("order", 0), "prompt": activity.get("prompt", ""),
                "options": json.dumps(activity.get("options", {}), sort_keys=True), "retired": 0,
            })


def _module_row(program_id, module):
    """Return the modules row for one catalog module."""
    return {
        "id": module["id"], "program_id": program_id, "slug": module.get("slug", ""),
        "title": module.get("title", ""), "ord": module.get("order", 0),
        "url": module.get("url", ""), "src_path": module.get("src_path", ""),
        "due_days": module.get("due_days"), "summary": module.get("summary", ""),
        "content_hash": module.get("content_hash", ""),
        "completion": json.dumps(module.get("completion", "all")), "retired": 0,
        "authors": json.dumps(module.get("authors", [])),  # e-mails, for ask-the-author (0005)
    }


def get_activity(db, *, activity_id):
    """Return an activity with its module's title, url and content hash, or None."""
    rows = db.query(
        """SELECT a.id, a.kind, a.prompt, a.program_id, a.retired, m.id AS module_id,
                  m.title AS module_title, m.url AS module_url, m.content_hash
           FROM activities a JOIN modules m ON m.id = a.module_id WHERE a.id = ?""",
        [activity_id],
    )
    return next(rows, None)


_ROUNDTABLE_PROGRAMS = {}  # (database, catalog stamp, activity ids) -> {activity id: program id}
_ROUNDTABLE_PROGRAMS_KEPT = 1024  # an index page asks the same ids again and again


def roundtable_programs(db, *, activity_ids, catalog_stamp=None):
    """Return {activity id: program id} of the roundtable activities among ``activity_ids`` (others left out).

    With ``catalog_stamp`` (the count of this process's catalog syncs) the answer is kept per process:
    only a catalog sync changes which activities are roundtables of which program.
    """
    key = (getattr(db, "path", None), catalog_stamp, tuple(activity_ids)) if catalog_stamp is not None else None
    kept = _ROUNDTABLE_PROGRAMS.get(key) if key else None
    if kept is not None:
        return dict(kept)
    marks = ",".join("?" * len(activity_ids))
    found = {r["id"]: r["program_id"] for r in db.query(
        f"SELECT id, program_id FROM activities WHERE kind = 'roundtable' AND id IN ({marks})", list(activity_ids))}
    if key:
        if len(_ROUNDTABLE_PROGRAMS) >= _ROUNDTABLE_PROGRAMS_KEPT:
            _ROUNDTABLE_PROGRAMS.clear()
        _ROUNDTABLE_PROGRAMS[key] = found
    return dict(found)


def list_cohorts(db, *, program_id=None):
    """Return cohorts (of one program, if given) in catalog program order, then start order."""
    where, params = ("WHERE c.program_id = ?", [program_id]) if program_id else ("", [])
    return list(db.query(
        f"""SELECT c.* FROM cohorts c JOIN programs p ON p.id = c.program_id {where}
            ORDER BY p.ord, c.starts, c.id""", params))


def first_roundtable(db, *, program_id):
    """Return the id of the program's first live roundtable activity, or None."""
    row = next(db.query(
        """SELECT a.id FROM activities a JOIN modules m ON m.id = a.module_id
           WHERE a.program_id = ? AND a.kind = 'roundtable' AND a.retired = FALSE
           ORDER BY m.ord, a.ord LIMIT 1""",
        [program_id],
    ), None)
    return row["id"] if row else None


def program_visibility(db, *, program_id):
    """Return a live program's visibility (public, signed-in, enrolled), or None when no program has that id."""
    row = next(db.query("SELECT visibility FROM programs WHERE id = ? AND retired = FALSE", [program_id]), None)
    return row["visibility"] if row else None


def visibilities(db):
    """Return {program id: visibility} of every live program."""
    return {r["id"]: r["visibility"] for r in db.query("SELECT id, visibility FROM programs WHERE retired = FALSE")}
