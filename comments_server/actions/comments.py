"""Comment actions: post, edit, delete, hide, mark helpful; in any kind of thread.

Each loads its rows, asks ``access`` (404 out of sight, 403 not allowed),
renders outside the lock, writes in one transaction and publishes its event;
what follows (the xAPI log, notifications, completion) is in followups.py.
"""

from __future__ import annotations

from comments_server.access import threads as thread_access
from comments_server.access.comments import in_sight
from comments_server.access.rules import NotFound, require
from comments_server.actions.bus import BUS
from comments_server.domain.events.comments import (
    CommentDeleted,
    CommentEdited,
    CommentHidden,
    CommentMarkedHelpful,
    CommentPosted,
)
from comments_server.domain.render import render
from comments_server.store import comments, threads
from comments_server.store.db import write_transaction


class CommentInputError(ValueError):
    """A comment request that cannot be carried out as sent (answered 400); ``str()`` says why."""


def post_comment(db, *, viewer, thread_ref, body_md, parent_id=None, question=False):
    """Add a comment (or reply) to a thread; return (comment row, thread, ctx).

    ``thread_ref`` is a thread id, or the key of a roundtable thread nobody has
    posted to yet: this first post stores it.
    """
    thread, ctx = thread_access.load(db, viewer, thread_ref)
    require(db, viewer, "thread.post", thread)
    parent = _parent(db, viewer, parent_id, thread, question)
    html = render(body_md)  # before taking the write lock: other writers need not wait for it
    with write_transaction(db):
        thread, comment_id = add_in_write(db, viewer=viewer, thread=thread, ctx=ctx, body_md=body_md, html=html,
                                          parent=parent, question=question)
    return comments.get_row(db, comment_id=comment_id, viewer_id=viewer["id"]), thread, ctx


def add_in_write(db, *, viewer, thread, ctx, body_md, html, parent=None, question=False):
    """Store a comment whose permission is checked, inside the caller's write; return (stored thread, id).

    For actions that post as part of a larger write (ask the author, publish a question).
    """
    if thread.get("virtual"):
        thread = threads.store_virtual(db, thread=thread)
    answers = parent is not None and bool(parent["is_question"]) and ctx["moderator"]
    comment_id = comments.insert(db, thread_id=thread["id"], author_id=viewer["id"], body_md=body_md,
                                 body_html=html, revision=thread["content_hash"],
                                 parent_id=parent["id"] if parent else None, question=question)
    if answers:
        comments.mark_answered(db, question_id=parent["id"], answer_id=comment_id)
    threads.bump_version(db, thread_id=thread["id"])
    BUS.publish(db, CommentPosted(thread=thread, object_id=ctx["object_id"], comment_id=comment_id,
                                  author=viewer, body_md=body_md, parent=parent, question=question,
                                  answers=answers))
    return thread, comment_id


def _parent(db, viewer, parent_id, thread, question):
    """Return the comment being replied to (in sight, same thread, not hidden), or None for a top-level post."""
    if parent_id is None:
        return None
    if question:
        raise CommentInputError("Only a top-level post can be a question; drop 'question' on replies.")
    row = comments.get_row(db, comment_id=parent_id)
    seen = in_sight(db, viewer, row)
    if seen is None or seen[0]["id"] != thread["id"]:
        raise NotFound("'parent_id' is not a comment of this thread.")  # no such comment here: 404
    if row["hidden"]:
        raise CommentInputError("You cannot reply to a hidden comment.")
    return row


def _load(db, viewer, comment_id, action):
    """Return (row, thread, ctx) of a comment the viewer may take ``action`` on; raise NotFound/Forbidden."""
    row = require(db, viewer, f"comment.{action}", comments.get_row(db, comment_id=comment_id))
    seen = in_sight(db, viewer, row)
    if seen is None:  # gone between the two reads
        raise NotFound("No such comment.")
    return (row, *seen)


def edit_comment(db, *, viewer, comment_id, body_md):
    """Replace the text of one's own comment; it is marked edited. Return (row, thread, ctx)."""
    row, thread, ctx = _load(db, viewer, comment_id, "edit")
    html = render(body_md)
    with write_transaction(db):
        comments.update_text(db, comment_id=row["id"], body_md=body_md, body_html=html,
                             revision=thread["content_hash"])
        threads.bump_version(db, thread_id=thread["id"])
        BUS.publish(db, CommentEdited(thread=thread, object_id=ctx["object_id"], comment_id=row["id"],
                                      editor=viewer, body_md=body_md))
    return _fresh(db, viewer, row), thread, ctx


def delete_comment(db, *, viewer, comment_id):
    """Delete a comment; return (row, thread, ctx), row None unless replies keep it as a placeholder."""
    row, thread, ctx = _load(db, viewer, comment_id, "delete")
    with write_transaction(db):
        comments.mark_deleted(db, comment_id=row["id"], parent_id=row["parent_id"])
        threads.bump_version(db, thread_id=thread["id"])
        BUS.publish(db, CommentDeleted(thread=thread, object_id=ctx["object_id"], comment_id=row["id"],
                                       actor=viewer, author_id=row["author_id"]))
    fresh = _fresh(db, viewer, row)
    return (fresh if fresh["has_replies"] else None), thread, ctx


def hide_comment(db, *, viewer, comment_id, hidden):
    """Hide a comment from learners, or show it again. Return (row, thread, ctx)."""
    row, thread, ctx = _load(db, viewer, comment_id, "hide")
    with write_transaction(db):
        comments.set_hidden(db, comment_id=row["id"], hidden=hidden)
        threads.bump_version(db, thread_id=thread["id"])
        BUS.publish(db, CommentHidden(thread=thread, object_id=ctx["object_id"], comment_id=row["id"],
                                      actor=viewer, hidden=hidden))
    return _fresh(db, viewer, row), thread, ctx


def mark_helpful(db, *, viewer, comment_id, helpful):
    """Mark a coach's reply as helpful to this learner, or take the mark back. Return (row, thread, ctx)."""
    row, thread, ctx = _load(db, viewer, comment_id, "mark_helpful")
    with write_transaction(db):
        comments.set_helpful(db, comment_id=row["id"], user_id=viewer["id"], helpful=helpful)
        threads.bump_version(db, thread_id=thread["id"])
        BUS.publish(db, CommentMarkedHelpful(thread=thread, object_id=ctx["object_id"], comment_id=row["id"],
                                             actor=viewer, helpful=helpful))
    return _fresh(db, viewer, row), thread, ctx


def _fresh(db, viewer, row):
    """Return the comment row as it is now, marked for the viewer."""
    return comments.get_row(db, comment_id=row["id"], viewer_id=viewer["id"])
