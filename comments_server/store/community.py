"""What forums, blogs and ask-the-author share: their threads in the one comment engine, scopes and events.

A community thread is a ``threads`` row with no activity (kind ``forum``,
``blog`` or ``ask``); the topic, post or question that owns it decides who
sees it and who may post, through ``visible_thread`` and ``context`` below,
which ``store/threads.py`` calls for these kinds.
"""

from __future__ import annotations

from comments_server import access
from comments_server.domain.timeutil import now_iso
from comments_server.store import events

KINDS = {"forum", "blog", "ask"}

events.VERBS.update({
    "created": "http://activitystrea.ms/schema/1.0/create",
    "pinned": "https://roundtable.invalid/xapi/verbs/pinned",
    "locked": "https://roundtable.invalid/xapi/verbs/locked",
    "moved": "https://roundtable.invalid/xapi/verbs/moved",
    "subscribed": "https://roundtable.invalid/xapi/verbs/subscribed",
    "unsubscribed": "https://roundtable.invalid/xapi/verbs/unsubscribed",
    "reverted": "https://roundtable.invalid/xapi/verbs/reverted",
    "protected": "https://roundtable.invalid/xapi/verbs/protected",
    "published": "https://roundtable.invalid/xapi/verbs/published",
})


def add_thread(db, *, kind, cohort_id=None):
    """Insert an empty community thread and return its id (call inside the owner's transaction)."""
    return db.table("threads").insert({"kind": kind, "cohort_id": cohort_id, "created": now_iso(),
                                       "version": 0}).last_pk


def visible_program_ids(db, viewer):
    """Return the programs the viewer belongs to, through any visible cohort."""
    cohorts = access.visible_cohort_ids(db, viewer)
    if not cohorts:
        return set()
    marks = ",".join("?" for _ in cohorts)
    return {row["program_id"] for row in db.query(
        f"SELECT DISTINCT program_id FROM cohorts WHERE id IN ({marks})", list(cohorts))}


def posting_program_ids(viewer):
    """Return the programs where the viewer holds a posting role (learner, coach, manager)."""
    return {m["program_id"] for m in viewer["memberships"] if m["role"] in access.POSTING_ROLES}


def coached_program_ids(viewer):
    """Return the programs where the viewer coaches a cohort."""
    return {m["program_id"] for m in viewer["memberships"] if m["role"] == "coach"}


def object_for(kind, ref):
    """Return the xAPI object for a community record, e.g. ("topic", 12)."""
    return {"objectType": "Activity", "id": f"urn:roundtable:{kind}:{ref}",
            "definition": {"type": f"urn:roundtable:activitytype:{kind}"}}


def add_event(db, *, user, verb, kind, ref, cohort_id=None, result=None, extensions=None):
    """Append one xAPI-shaped statement about a community record (inside the write's transaction)."""
    events.add_event(db, user=user, verb=verb, obj=object_for(kind, ref), cohort_id=cohort_id,
                     result=result, extensions=extensions)


def _owner(kind):
    """Return the store module that owns threads of a kind."""
    from comments_server.store import blogs, forums, questions

    return {"forum": forums, "blog": blogs, "ask": questions}[kind]


def visible_thread(db, *, thread, viewer):
    """Return a community thread row ready for the comment engine if the viewer may see it, else None."""
    owner = _owner(thread["kind"]).owner_of_thread(db, thread_id=thread["id"], viewer=viewer)
    if owner is None:
        return None
    # The comment engine records events against activity_id: name the owning record instead.
    return {**thread, "activity_id": owner["object_id"], "content_hash": "", "owner": owner}


def context(db, *, thread, viewer):
    """Return the comment engine's viewer context for a community thread (see access.thread_context)."""
    owner = thread.get("owner") or _owner(thread["kind"]).owner_of_thread(
        db, thread_id=thread["id"], viewer=viewer)
    admin = bool(viewer and viewer["admin"])
    return {
        "viewer_id": viewer["id"] if viewer else None,
        "role": access.role_in(viewer, thread["cohort_id"]) if thread["cohort_id"] else None,
        "admin": admin,
        "moderator": admin or bool(owner and owner["moderator"]),
        "can_post": bool(owner and owner["can_post"]),
        "refusal": owner["refusal"] if owner else None,
        "content_hash": "",
    }


def mark_read(db, *, user_id, thread_id):
    """Remember the newest comment of a thread the user has seen (the unread marker)."""
    row = next(db.query("SELECT COALESCE(MAX(id), 0) AS last FROM comments WHERE thread_id = ?",
                        [thread_id]))
    db.execute(
        """INSERT INTO thread_reads (user_id, thread_id, last_comment_id, at) VALUES (?, ?, ?, ?)
           ON CONFLICT (user_id, thread_id) DO UPDATE SET
               last_comment_id = MAX(last_comment_id, excluded.last_comment_id), at = excluded.at""",
        [user_id, thread_id, row["last"], now_iso()])
