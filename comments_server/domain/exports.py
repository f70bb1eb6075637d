"""Exports: the matrix and the events as CSV, the events as xAPI 1.0.3 statements (pure).

An event row holds a statement's parts as JSON (``store/events.py`` for the
comment engine, ``store/completions.add_statement`` for issue 4's records).
:func:`statement` turns one row into a statement that follows the xAPI
1.0.3 rules the same way whoever wrote it:

* ``id``: the UUID the statement was written with, else uuid5 of the event id
  (stable, so a learning record store that receives it twice keeps one);
* ``actor``: an Agent with a ``mailto:`` mbox; ``verb``: the IRI and display;
* ``object``: an Activity whose id is an IRI under the export base;
* ``timestamp``: ISO 8601 in UTC;
* ``context.registration``: uuid5 of the cohort, the same for every statement
  of the cohort; ``context.revision``: the module's content revision at the
  time of the event; ``context.contextActivities``: module as parent,
  program and cohort as grouping.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import uuid

from comments_server.domain import xapi

# uuid5 namespaces: one for cohorts (registration), one for event ids
COHORT_NS = uuid.UUID("0b7c6f7e-1a0e-5c39-9a53-3f6d3c0d6e11")
EVENT_NS = uuid.UUID("5d1f3a2b-8c4e-5f6a-9b7c-2e4d6f8a0b1c")
# moderation and housekeeping, not learning: left out of the xAPI export
NOT_EXPORTED = {"hid", "unhid"}
URN_ACTIVITY = "urn:roundtable:activity:"
URN_TYPE = "urn:roundtable:activitytype:"


def registration(cohort_id):
    """The registration UUID of a cohort: uuid5, the same in every export."""
    return str(uuid.uuid5(COHORT_NS, f"cohort:{cohort_id}"))


def matrix_csv(matrix):
    """The matrix as CSV: learner, email, manager, completed, last activity, one column per module."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["learner", "email", "manager", "completed", "last_activity", *[m["id"] for m in matrix["modules"]]])
    for r in matrix["rows"]:
        w.writerow([_safe(r["learner"]["name"]), r["learner"]["email"], _safe(r["manager"] or ""),
                    r["completed"], r["last_activity"] or "", *r["cells"]])
    return out.getvalue()


def _safe(text):
    """Keep a spreadsheet from reading a name as a formula (CSV injection)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


EVENT_COLUMNS = ["id", "timestamp", "user_id", "cohort_id", "actor_mbox", "verb", "object", "result", "revision"]


def events_csv(rows, revision_of):
    """Events as CSV, one per row: ids, time, who, verb IRI, object IRI, result JSON, module revision."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(EVENT_COLUMNS)
    for row in rows:
        actor, verb, obj = (json.loads(row[k]) for k in ("actor", "verb", "object"))
        w.writerow([row["id"], row["timestamp"], row["user_id"], row["cohort_id"] or "", actor.get("mbox", ""),
                    verb["id"], obj["id"], row["result"] or "", revision_of(row) or ""])
    return out.getvalue()


def activity_key(obj):
    """The catalog id (activity or module) an event's object refers to, or None."""
    oid = obj.get("id", "")
    if oid.startswith(URN_ACTIVITY):
        return oid[len(URN_ACTIVITY):]
    for kind in ("/activities/", "/modules/"):
        if kind in oid:
            return oid.split(kind, 1)[1]
    return None


def revision_at(history, when):
    """The content hash current at ``when`` from ``[(seen_at, hash), ...]`` oldest first."""
    current = history[0][1] if history else None
    for seen_at, content_hash in history:
        if seen_at <= when:
            current = content_hash
    return current


def statement(row, *, base, catalog, programs, history):
    """One event row as an xAPI 1.0.3 statement (see the module docstring), or None if not exported."""
    verb = json.loads(row["verb"])
    name = verb.get("display", {}).get("en-US") or verb.get("display", {}).get("en")
    if name in NOT_EXPORTED:
        return None
    obj = json.loads(row["object"])
    key = activity_key(obj)
    place = catalog.get(key) or {}
    st = {
        "id": _statement_id(row),
        "actor": _actor(json.loads(row["actor"])),
        "verb": {"id": verb["id"], "display": {"en-US": name or verb["id"].rsplit("/", 1)[-1]}},
        "object": _object(obj, key, place, base),
        "timestamp": xapi.timestamp(_parse(row["timestamp"])),
        "context": _context(row, place, base, programs, history),
        "version": "1.0.3",
    }
    if row["result"]:
        st["result"] = json.loads(row["result"])
    return st


def _statement_id(row):
    """The statement's own UUID if it was written with one, else uuid5 of the event id."""
    ctx = json.loads(row["context"] or "{}")
    sid = (ctx.get("extensions") or {}).get("urn:roundtable:statement-id")
    try:
        return str(uuid.UUID(sid)) if sid else str(uuid.uuid5(EVENT_NS, f"event:{row['id']}"))
    except ValueError:
        return str(uuid.uuid5(EVENT_NS, f"event:{row['id']}"))


def _actor(actor):
    """The Agent: objectType, name and a mailto: mbox."""
    mbox = actor.get("mbox", "")
    return {"objectType": "Agent", "name": actor.get("name") or mbox[7:],
            "mbox": mbox if mbox.startswith("mailto:") else f"mailto:{mbox}"}


def _object(obj, key, place, base):
    """The Activity under the export base, typed from the xapi vocabulary."""
    if key is None:
        return {**obj, "objectType": "Activity"}
    kind = place.get("kind") or obj.get("definition", {}).get("type", "").removeprefix(URN_TYPE) or "module"
    return xapi.activity(base, key, kind, place.get("title", ""))


def _context(row, place, base, programs, history):
    """Registration from the cohort, revision of the module, context activities and extensions."""
    stored = json.loads(row["context"] or "{}")
    cohort_id = row["cohort_id"]
    module_id = place.get("module_id")
    ctx = {"registration": registration(cohort_id)} if cohort_id else {}
    grouping = []
    if place.get("program_id") or (cohort_id and programs.get(cohort_id)):
        grouping.append(_ctx_activity(base, "programs", place.get("program_id") or programs[cohort_id], "program"))
    if cohort_id:
        grouping.append(_ctx_activity(base, "cohorts", cohort_id, "cohort"))
    activities = {"grouping": grouping} if grouping else {}
    if module_id and place.get("kind") != "module":
        activities["parent"] = [_ctx_activity(base, "modules", module_id, "module")]
    if activities:
        ctx["contextActivities"] = activities
    if module_id:
        ctx["revision"] = revision_at(history.get(module_id, []), row["timestamp"]) or place["content_hash"]
    if stored.get("instructor"):
        ctx["instructor"] = stored["instructor"]
    ctx["platform"] = "Roundtable"
    ctx["extensions"] = {**(stored.get("extensions") or {}), "urn:roundtable:event-id": row["id"]}
    return ctx


def _ctx_activity(base, kind, ident, type_key):
    """A context activity (IRI id and type)."""
    return {"objectType": "Activity", "id": xapi.iri(base, kind, ident),
            "definition": {"type": xapi.ACTIVITY_TYPES[type_key]}}


def _parse(iso):
    """A datetime from the stored ISO timestamp."""
    return dt.datetime.fromisoformat(iso.replace("Z", "+00:00"))


def statements(rows, **kw):
    """Every exported statement of some event rows, in event order."""
    return [st for st in (statement(r, **kw) for r in rows) if st is not None]
