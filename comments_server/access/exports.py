"""Which logged events a viewer's export may hold: those whose item the same viewer's API shows.

The event log keeps every statement; an export (CSV or xAPI, the dashboard's
download, ``roundtable export`` for a viewer) asks each row here, and this
asks the same rules the API asks for the item the row is about:

- a comment event (any thread kind): the comment is in sight (a hidden
  comment for non-moderators, a private question to an author, a deleted
  comment: not);
- a forum topic, a blog post, a question, a wiki page: their own rules;
- an activity statement that carries someone's words (a plan, a debrief, a
  review, a reflection): the plan or presentation is in sight; a review's
  text only for the cohort's coaches and admins (who read every review);
- any statement about a plan still in draft: its owner's alone;
- everything else (read, completed, scored, signed in) is a fact the
  viewer's dashboard already shows.
"""

from __future__ import annotations

import json

from comments_server.access import comments as comment_access
from comments_server.access import community
from comments_server.access.activities import owner_only
from comments_server.access.rules import can
from comments_server.store import comments, submissions

REVIEWED = "http://id.tincanapi.com/verb/reviewed"
URN_ACTIVITY = "urn:roundtable:activity:"


def _json(text):
    return json.loads(text) if text else {}


def _community_item(db, viewer, ident):
    """True/False for a community object id (urn:roundtable:<kind>:<ref>), None when it is not one."""
    kind, _, ref = ident.removeprefix("urn:roundtable:").partition(":")
    if kind == "topic":
        return community.topic_in_sight(db, viewer, int(ref)) is not None
    if kind == "post":
        return community.post_in_sight(db, viewer, int(ref)) is not None
    if kind == "question":
        return community.question_in_sight(db, viewer, int(ref)) is not None
    if kind == "wiki":
        return can(db, viewer, "wiki.read", {"program_id": ref.split("/", 1)[0]})
    return None


def _activity_id(ident):
    """The catalog activity id of an activity statement's object, or None."""
    if ident.startswith(URN_ACTIVITY):
        return ident[len(URN_ACTIVITY):]
    return ident.split("/activities/", 1)[1] if "/activities/" in ident else None


def event_visible(db, viewer, row) -> bool:
    """Whether ``viewer`` may have the logged event ``row`` in an export."""
    extensions = _json(row["context"]).get("extensions", {})
    comment_id = extensions.get("urn:roundtable:comment")
    if comment_id is not None:
        return comment_access.in_sight(db, viewer, comments.get_row(db, comment_id=comment_id)) is not None
    ident = _json(row["object"]).get("id", "")
    if ident.startswith("urn:roundtable:") and not ident.startswith(URN_ACTIVITY):
        found = _community_item(db, viewer, ident)
        if found is not None:
            return found
    activity_id = _activity_id(ident)
    sub = submissions.find(db, activity_id=activity_id, user_id=row["user_id"], cohort_id=row["cohort_id"]) \
        if activity_id and row["user_id"] is not None else None
    if sub is not None and owner_only(sub["kind"], sub["stage"]):
        return can(db, viewer, "submission.see", sub)
    if "response" not in _json(row["result"]):
        return True
    if _json(row["verb"]).get("id") == REVIEWED:
        return bool(viewer["admin"]) or any(m["cohort_id"] == row["cohort_id"] and m["role"] == "coach"
                                             for m in viewer["memberships"])
    if sub is not None:
        return can(db, viewer, "submission.see", sub)
    # a reflection: the cohort's members read each other's (the API lists them), and admins
    return bool(viewer["admin"]) or any(m["cohort_id"] == row["cohort_id"] and m["role"] != "observer"
                                         for m in viewer["memberships"])
