"""Tell people when they are needed: one ``notify`` call per event, inside or just after the event's write.

``notify`` writes the in-site notification and, unless the person chose
otherwise, a mail into the ``outbox``, with plain INSERTs in the caller's open
write transaction, or, called after the commit (actions/followups.py), in one
short write of its own after reading who may see it: the action's marker
makes it run again if that never happens (actions/bus.py), and a mail server
that is down cannot slow or fail the action. The worker
(``outbox_worker.py``) sends the outbox. The events that call ``notify`` are
in ``notify_events.py``.

Rules kept here for every event: the actor is never told about their own
action, and nobody is told about something they cannot see (``can_see``,
a check the event site builds from ``access.py`` and the owning store).

Links in the mail are made from the site root the caller's context names
(``domain.links.current_root``: the web layer installs it per request, the
worker per round); nothing here reads the request or the app.
"""

from __future__ import annotations

from comments_server.domain import links
from comments_server.store import notifications as store
from comments_server.store.db import write_later

# kind -> (what the preferences page calls it, delivery when the person never chose)
KINDS = {
    "reply": ("Replies to your comments and posts", "immediate"),
    "coach_post": ("New posts in roundtables you coach", "immediate"),
    "mention": ("Mentions of you (@name)", "immediate"),
    "question": ("Questions asked of you as a module's author", "immediate"),
    "feedback_waiting": ("Plans and debriefs waiting for your feedback", "immediate"),
    "review_allocated": ("Peer reviews allocated to you", "immediate"),
    "review_reminder": ("Reminders of peer reviews due soon", "immediate"),
    "feedback_received": ("Feedback on your work", "immediate"),
    "learner_behind": ("Learners of your cohorts falling behind", "digest"),
    "subscription": ("New posts in topics and boards you follow", "digest"),
    "moderation": ("Your comments hidden by a coach or moderator", "immediate"),
}


def delivery_for(db, *, user_id, kind):
    """Return how a person wants mail of a kind: immediate, digest or never."""
    return store.preferences(db, user_id=user_id).get(kind) or KINDS[kind][1]


def notify(db, *, kind, recipients, subject, text, url, actor, dedupe_key, can_see=None):
    """Tell ``recipients`` (user ids) about one event; call inside the event's write transaction.

    ``subject`` and ``text`` are plain text (escaped when mailed as HTML);
    ``url`` is site-relative (``sales/discovery-calls/#rt-comment-12``).
    ``dedupe_key`` makes the call idempotent per person (a retried or
    repeated event tells nobody twice). ``can_see(user_id) -> bool`` drops
    people who may not see the thing. Returns the ids of the people told.
    """
    actor_id = actor["id"] if actor else None
    plan = []  # the reads (visibility, address, preference) first: after commit they take no write lock
    for user_id in dict.fromkeys(recipients):  # unique, in order
        if user_id is None or user_id == actor_id or (can_see and not can_see(user_id)):
            continue
        person = store.recipient(db, user_id=user_id)
        if person is not None:
            plan.append((person, delivery_for(db, user_id=user_id, kind=kind)))
    if not plan:
        return []

    def write(db):
        return [person["id"] for person, delivery in plan
                if _tell(db, person, delivery, kind, subject, text, url, actor_id, dedupe_key)]

    # one short write for everyone told (or a part of the caller's open one, or of the follow-ups' one write)
    told = write_later(db, write)
    return [person["id"] for person, _ in plan] if told is None else told


def _tell(db, person, delivery, kind, subject, text, url, actor_id, dedupe_key):
    """Write one person's notification and, for "immediate", their mail; False if told before."""
    user_id = person["id"]
    if store.add_notification(db, user_id=user_id, kind=kind, subject=subject, text=text, url=url,
                              actor_id=actor_id, dedupe_key=dedupe_key, delivery=delivery) is None:
        return False
    if delivery == "immediate":
        store.enqueue(db, user_id=user_id, to_addr=person["email"], kind=kind, subject=subject, text=text,
                      url=url, base_url=links.current_root(),
                      dedupe_key=f"{kind}:{user_id}:{dedupe_key}" if dedupe_key else None)
    return True

