"""Follow-up handlers ``handler(db, event)`` that are neither notifications nor figures, named by followups.py.

Each writes what an event leaves behind in the store: the xAPI log entry of
a sign-in or a wiki edit, the peer reviews a departed reviewer owed.
"""

from __future__ import annotations

from comments_server.domain import xapi
from comments_server.store import community, events

SITE = {"objectType": "Activity", "id": "urn:roundtable:site"}

# ---------------------------------------------------------------- sign-in, people, wiki


def log_signed_in(db, event):
    """Record a sign-in in the xAPI log."""
    events.add_event(db, user=event.user, verb="logged-in", obj=SITE)


def log_signed_out(db, event):
    """Record a sign-out in the xAPI log."""
    events.add_event(db, user=event.user, verb="logged-out", obj=SITE)


def reallocate_reviews(db, event):
    """Hand the open peer reviews of someone who left a reviewing role to others of the cohort.

    The new reviewers are told and completion follows (actions/reviews.py); statements name
    activities under the site root this command or request runs for.
    """
    from comments_server.actions import reviews as review_upkeep

    review_upkeep.hand_on_open_reviews(db, cohort_id=event.cohort_id, xapi_base=xapi.current_base())


def log_wiki_saved(db, event):
    """Record a wiki revision (created, edited or reverted) in the xAPI log, with its text and number."""
    community.add_event(db, user=event.author, verb=event.verb, kind="wiki",
                        ref=f"{event.program_id}/{event.slug}",
                        result={"response": event.body_md, "extensions": {"urn:roundtable:revision": event.revision}})


def log_wiki_protected(db, event):
    """Record a page protected or opened again in the xAPI log."""
    community.add_event(db, user=event.actor, verb="protected", kind="wiki", ref=f"{event.program_id}/{event.slug}",
                        result={"extensions": {"urn:roundtable:value": bool(event.protected)}})
