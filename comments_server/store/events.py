"""The append-only activity log, in the shape of xAPI statements."""

from __future__ import annotations

import json

from comments_server.domain.timeutil import now_iso

VERBS = {
    "commented": "http://adlnet.gov/expapi/verbs/commented",
    "asked": "http://adlnet.gov/expapi/verbs/asked",
    "answered": "http://adlnet.gov/expapi/verbs/answered",
    "edited": "http://activitystrea.ms/schema/1.0/update",
    "deleted": "http://activitystrea.ms/schema/1.0/delete",
    "hid": "https://roundtable.invalid/xapi/verbs/hid",
    "unhid": "https://roundtable.invalid/xapi/verbs/unhid",
    "liked": "http://activitystrea.ms/schema/1.0/like",
    "unliked": "http://activitystrea.ms/schema/1.0/unlike",
    "logged-in": "https://w3id.org/xapi/adl/verbs/logged-in",
    "logged-out": "https://w3id.org/xapi/adl/verbs/logged-out",
}


def actor(user):
    """Return the xAPI Agent for a user."""
    return {"objectType": "Agent", "name": user["name"], "mbox": f"mailto:{user['email']}"}


def activity_object(activity_id, kind="roundtable"):
    """Return the xAPI Activity object for a catalog activity."""
    return {
        "objectType": "Activity",
        "id": f"urn:roundtable:activity:{activity_id}",
        "definition": {"type": f"urn:roundtable:activitytype:{kind}"},
    }


def add_event(db, *, user, verb, obj, cohort_id=None, result=None, extensions=None):
    """Append one statement; call inside the transaction of the write it records."""
    context = {"extensions": {"urn:roundtable:cohort": cohort_id, **(extensions or {})}}
    db.execute(
        """INSERT INTO events (timestamp, user_id, cohort_id, actor, verb, object, result, context)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
        [now_iso(), user["id"], cohort_id, json.dumps(actor(user)),
         json.dumps({"id": VERBS[verb], "display": {"en": verb}}), json.dumps(obj),
         json.dumps(result) if result else None, json.dumps(context)],
    )


def list_events(db, *, verb=None):
    """Return the statements, oldest first (optionally one verb), with JSON decoded."""
    rows = db.query("SELECT * FROM events ORDER BY id")
    decoded = [{k: (json.loads(v) if k in ("actor", "verb", "object", "result", "context") and v
                    else v) for k, v in row.items()} for row in rows]
    return [e for e in decoded if verb is None or e["verb"]["id"] == VERBS[verb]]


def forget_comment_text(db, *, comment_id):
    """Drop the words of a comment from every logged statement about it (its author deleted it); the facts stay."""
    db.execute("""UPDATE events SET result = NULL
                  WHERE json_extract(context, '$.extensions."urn:roundtable:comment"') = ?""", [comment_id])


def forget_post_text(db, *, kind, ref):
    """Drop the words of a topic or blog post from the statements about it (its author deleted it)."""
    db.execute("UPDATE events SET result = NULL WHERE json_extract(object, '$.id') = ?",
               [f"urn:roundtable:{kind}:{ref}"])
