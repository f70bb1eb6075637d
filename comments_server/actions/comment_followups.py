"""What follows a comment event (subscribed in actions/followups.py): its xAPI statement and completion.

Kept apart from actions/comments.py, which publishes the events: the
follow-ups table imports this module, and the actions import the table.
"""

from __future__ import annotations

from comments_server.domain import xapi
from comments_server.domain.events.comments import CommentPosted
from comments_server.store import completions, events
from comments_server.store.db import write_later


def _log(db, event, user, verb, result=None):
    """Append the xAPI statement of a comment event against its thread's activity (or owner) and cohort."""
    events.add_event(
        db, user=user, verb=verb, obj=events.activity_object(event.object_id, event.thread["kind"]),
        cohort_id=event.thread["cohort_id"], result=result,
        extensions={"urn:roundtable:comment": event.comment_id, "urn:roundtable:thread": event.thread["id"]},
    )


def log_posted(db, event):
    """xAPI: commented, asked (a question) or answered (a moderator's reply to a question)."""
    verb = "asked" if event.question else "answered" if event.answers else "commented"
    _log(db, event, event.author, verb, result={"response": event.body_md})


def log_edited(db, event):
    """xAPI: edited, with the new text."""
    _log(db, event, event.editor, "edited", result={"response": event.body_md})


def log_deleted(db, event):
    """xAPI: deleted; the deleted comment's words leave the log too (exports and the LRS forwarder read it)."""
    events.forget_comment_text(db, comment_id=event.comment_id)
    _log(db, event, event.actor, "deleted")


def log_hidden(db, event):
    """xAPI: hid or unhid."""
    _log(db, event, event.actor, "hid" if event.hidden else "unhid")


def log_helpful(db, event):
    """xAPI: liked or unliked."""
    _log(db, event, event.actor, "liked" if event.helpful else "unliked")


def recompute_completion(db, event):
    """A roundtable post (or its deletion) moves its author's completion of the module; after the commit.

    Read first without the write lock: most posts change nothing, and those take no lock at all.
    Deleting a comment can undo a completion: only a post takes the short way.
    """
    posted = isinstance(event, CommentPosted)
    author_id = event.author["id"] if posted else event.author_id
    if posted and completions.roundtable_stays_complete(db, user_id=author_id, thread=event.thread):
        return  # a learner's further posts: one probe instead of the module's records
    if not completions.post_moves_completion(db, user_id=author_id, thread=event.thread):
        return
    base = xapi.current_base()
    # read again under the lock: another write may have moved it meanwhile
    write_later(db, lambda db: completions.recompute_after_post(db, user_id=author_id, thread=event.thread,
                                                                xapi_base=base))
