"""Community actions: topics (start, edit, delete, moderate, follow, read), blog posts, ask the author.

Replies and comments in their threads are comment actions (actions/comments.py).
"""

from __future__ import annotations

from comments_server.access import community as scopes
from comments_server.access import threads as thread_access
from comments_server.access.rules import Forbidden, NotFound, require
from comments_server.actions.comments import add_in_write
from comments_server.actions.bus import BUS
from comments_server.domain.events.community import TopicCreated
from comments_server.domain.render import render
from comments_server.store import blogs, community, events, forums, questions, threads
from comments_server.store.db import write_transaction

# --------------------------------------------------------------------------- forums


def _board(db, viewer, board_id):
    """Return a board the viewer may read, or raise NotFound."""
    board = scopes.board(db, viewer, board_id)
    if board is None:
        raise NotFound(f"No forum board '{board_id}' of yours.")
    return board


def _topic(db, viewer, topic_id):
    """Return (topic row, board) of a topic the viewer may read, or raise NotFound."""
    found = scopes.topic_in_sight(db, viewer, topic_id)
    if found is None:
        raise NotFound("No such topic.")
    return found


def start_topic(db, *, viewer, board_id, title, body_md):
    """Start a topic on a board the viewer may post in; return its id."""
    board = require(db, viewer, "board.post", _board(db, viewer, board_id))
    html = render(body_md)
    with write_transaction(db):
        topic_id = forums.add_topic(db, program_id=board["program_id"], author_id=viewer["id"], title=title,
                                    body_md=body_md, body_html=html)
        community.add_event(db, user=viewer, verb="created", kind="topic", ref=topic_id,
                            result={"response": body_md}, extensions={"urn:roundtable:board": board["id"]})
        BUS.publish(db, TopicCreated(topic_id=topic_id, board_id=board["id"], author=viewer, title=title,
                                     body_md=body_md))
    return topic_id


def edit_topic(db, *, viewer, topic_id, title=None, body_md=None):
    """Change the title or opening text of one's own topic."""
    row, _ = require(db, viewer, "topic.edit", _topic(db, viewer, topic_id))
    title = row["title"] if title is None else title
    body_md = row["body_md"] if body_md is None else body_md
    html = render(body_md)
    with write_transaction(db):
        forums.update_topic(db, topic_id=row["id"], title=title, body_md=body_md, body_html=html)
        community.add_event(db, user=viewer, verb="edited", kind="topic", ref=row["id"],
                            result={"response": body_md})


def delete_topic(db, *, viewer, topic_id):
    """Delete a topic (its author or an admin)."""
    row, _ = require(db, viewer, "topic.delete", _topic(db, viewer, topic_id))
    with write_transaction(db):
        forums.delete_topic(db, topic_id=row["id"])
        community.add_event(db, user=viewer, verb="deleted", kind="topic", ref=row["id"])


def moderate_topic(db, *, viewer, topic_id, pinned=None, locked=None, board_id=None):
    """Pin, lock or move a topic (coaches of the board's program and admins); one event per change.

    :raises ValueError: when nothing changes, or the target board is not one the viewer moderates.
    """
    row, _ = require(db, viewer, "topic.moderate", _topic(db, viewer, topic_id))
    changes = {name: int(value) for name, value in (("pinned", pinned), ("locked", locked)) if value is not None}
    if board_id is not None:
        target = scopes.board(db, viewer, board_id)
        if target is None or not target["moderator"]:
            raise ValueError("'board' must be a board you moderate.")
        changes["program_id"] = target["program_id"]
    if not changes:
        raise ValueError("Send at least one of 'pinned', 'locked', 'board'.")
    verbs = {"pinned": "pinned", "locked": "locked", "program_id": "moved"}
    with write_transaction(db):
        forums.moderate(db, topic=row, changes=changes)
        for field, value in changes.items():
            community.add_event(db, user=viewer, verb=verbs[field], kind="topic", ref=row["id"],
                                result={"extensions": {"urn:roundtable:value": value}})


def follow(db, *, viewer, on, board_id=None, topic_id=None):
    """Follow (or stop following) a board or a topic the viewer may read; idempotent."""
    if board_id is not None:
        _board(db, viewer, board_id)
    else:
        _topic(db, viewer, topic_id)
    with write_transaction(db):
        forums.set_subscription(db, user_id=viewer["id"], on=on, board=board_id, topic_id=topic_id)
        community.add_event(db, user=viewer, verb="subscribed" if on else "unsubscribed",
                            kind="board" if board_id is not None else "topic",
                            ref=board_id if board_id is not None else topic_id)


def read_topic(db, *, viewer, topic_id):
    """Move the viewer's unread marker to the topic's newest reply."""
    row, _ = _topic(db, viewer, topic_id)
    with write_transaction(db):
        community.mark_read(db, user_id=viewer["id"], thread_id=row["thread_id"])


# --------------------------------------------------------------------------- blogs


def _post(db, viewer, post_id):
    """Return a post the viewer may read, or raise NotFound."""
    row = scopes.post_in_sight(db, viewer, post_id)
    if row is None:
        raise NotFound("No such post.")
    return row


def publish_post(db, *, viewer, title, body_md, visibility, cohort_id, program_id):
    """Publish a post on one's own blog (audience checked by blogs.audience); return its id."""
    html = render(body_md)
    with write_transaction(db):
        post_id = blogs.add_post(db, author_id=viewer["id"], title=title, body_md=body_md, body_html=html,
                                 visibility=visibility, cohort_id=cohort_id, program_id=program_id)
        community.add_event(db, user=viewer, verb="created", kind="post", ref=post_id, cohort_id=cohort_id,
                            result={"response": body_md})
    return post_id


def edit_post(db, *, viewer, post_id, changes, text_changed):
    """Apply an author's changes (title, body_md, visibility, cohort_id, program_id); marked edited."""
    row = require(db, viewer, "post.edit", _post(db, viewer, post_id))
    if text_changed and not scopes.post_permissions(row, viewer)["edit_text"]:
        raise Forbidden("This post is a reflection: edit its text on the module page.")
    if "body_md" in changes:
        changes = {**changes, "body_html": render(changes["body_md"])}
    with write_transaction(db):
        blogs.update_post(db, post_id=row["id"], changes=changes)
        community.add_event(db, user=viewer, verb="edited", kind="post", ref=row["id"],
                            cohort_id=row["cohort_id"], result={"response": changes.get("body_md", "")})


def delete_post(db, *, viewer, post_id):
    """Delete a post (its author or an admin; reflections stay with their module)."""
    row = require(db, viewer, "post.delete", _post(db, viewer, post_id))
    with write_transaction(db):
        blogs.delete_post(db, post_id=row["id"])
        events.forget_post_text(db, kind="post", ref=row["id"])
        community.add_event(db, user=viewer, verb="deleted", kind="post", ref=row["id"],
                            cohort_id=row["cohort_id"])


# --------------------------------------------------------------------------- ask the author


def ask_author(db, *, viewer, module, title, body_md):
    """Open a private question thread on a module and post the question in it, in one write; return its id."""
    html = render(body_md)
    with write_transaction(db):
        question_id, thread_id = questions.add(db, module_id=module["id"], learner_id=viewer["id"],
                                               cohort_id=module["cohort_id"], title=title)
        thread = threads.get(db, thread_id=thread_id)
        ctx = thread_access.context(db, viewer, thread)
        add_in_write(db, viewer=viewer, thread=thread, ctx=ctx, body_md=body_md, html=html, question=True)
    return question_id


def publish_question(db, *, viewer, question, activity_id):
    """Post the question and its answers into the module's roundtable of every cohort; return the count."""
    require(db, viewer, "question.publish", question)
    text = questions.published_text(db, question=question)
    html = render(text)
    cohorts = questions.program_cohorts(db, program_id=question["program_id"])
    with write_transaction(db):
        # conditional on "not yet published": two publishes at once post once (no reliance on the lock)
        if not questions.mark_published(db, question_id=question["id"]):
            raise Forbidden("Only an author of the module can publish a question, and only once.")
        for cohort_id in cohorts:
            thread = threads.roundtable(db, activity_id=activity_id, cohort_id=cohort_id)
            ctx = thread_access.roundtable_context(viewer, thread)
            add_in_write(db, viewer=viewer, thread=thread, ctx=ctx, body_md=text, html=html)
        community.add_event(db, user=viewer, verb="published", kind="question", ref=question["id"],
                            cohort_id=question["cohort_id"], extensions={"urn:roundtable:activity": activity_id})
    return len(cohorts)
