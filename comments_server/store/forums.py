"""Forums: a board per program and one for everyone; topics (each owning a comment thread),
pinning, locking, moving, subscriptions and unread markers."""

from __future__ import annotations

from comments_server.domain.render import render
from comments_server.domain.timeutil import now_iso
from comments_server.notify.events import topic_created
from comments_server.store import community
from comments_server.store.db import write_transaction

EVERYONE = "everyone"

TOPIC_SELECT = """
SELECT f.*, u.name AS author_name,
       (SELECT COUNT(*) FROM comments c WHERE c.thread_id = f.thread_id AND c.deleted IS NULL
                                          AND c.hidden = 0) AS reply_count,
       (SELECT COUNT(*) FROM comments c WHERE c.thread_id = f.thread_id AND c.deleted IS NULL
            AND c.hidden = 0 AND c.author_id != :viewer AND c.id > COALESCE((SELECT r.last_comment_id FROM thread_reads r
                WHERE r.thread_id = f.thread_id AND r.user_id = :viewer), 0)) AS unread_count,
       f.author_id = :viewer OR EXISTS (SELECT 1 FROM thread_reads r WHERE r.thread_id = f.thread_id
                                              AND r.user_id = :viewer) AS seen,
       EXISTS (SELECT 1 FROM forum_subscriptions s WHERE s.topic_id = f.id
                                                     AND s.user_id = :viewer) AS subscribed
FROM forum_topics f JOIN users u ON u.id = f.author_id
"""


def board_of(program_id):
    """Return the board id of a topic's program_id (None is the board for everyone)."""
    return program_id or EVERYONE


def get_board(db, *, board, viewer):
    """Return a board the viewer may read with what they may do there, or None."""
    if viewer is None:
        return None
    admin = bool(viewer["admin"])
    if board == EVERYONE:
        return {"id": EVERYONE, "program_id": None, "title": "Everyone", "can_post": True,
                "moderator": admin or bool(community.coached_program_ids(viewer))}
    program = next(db.query("SELECT id, title FROM programs WHERE id = ?", [board]), None)
    if program is None or not (admin or board in community.visible_program_ids(db, viewer)):
        return None
    return {"id": board, "program_id": board, "title": program["title"] or board,
            "can_post": admin or board in community.posting_program_ids(viewer),
            "moderator": admin or board in community.coached_program_ids(viewer)}


def list_boards(db, *, viewer):
    """Return the boards the viewer may read, everyone's first, with topic and unread counts."""
    programs = [row["id"] for row in db.query("SELECT id FROM programs WHERE retired = 0 ORDER BY ord, id")]
    boards = [get_board(db, board=b, viewer=viewer) for b in [EVERYONE] + programs]
    boards = [b for b in boards if b]
    for board in boards:
        counts = next(db.query(
            f"""SELECT COUNT(*) AS topics, COALESCE(SUM(unread_count > 0 OR NOT seen), 0) AS unread
                FROM ({TOPIC_SELECT} WHERE f.program_id IS :program AND f.deleted IS NULL)""",
            {"program": board["program_id"], "viewer": viewer["id"]}))
        board.update(topic_count=counts["topics"], unread_topics=counts["unread"],
                     subscribed=is_subscribed(db, user_id=viewer["id"], board=board["id"]))
    return boards


def list_topics(db, *, board, viewer):
    """Return a board's live topics, pinned first, then by last activity."""
    rows = db.query(
        f"""{TOPIC_SELECT} WHERE f.program_id IS :program AND f.deleted IS NULL
            ORDER BY f.pinned DESC, f.last_activity DESC, f.id DESC""",
        {"program": board["program_id"], "viewer": viewer["id"]})
    return [to_json(row, board, viewer) for row in rows]


def _row(db, topic_id, viewer_id):
    """Return one live topic row with its counts, or None."""
    return next(db.query(f"{TOPIC_SELECT} WHERE f.id = :id AND f.deleted IS NULL",
                         {"id": topic_id, "viewer": viewer_id}), None)


def get_visible(db, *, topic_id, viewer):
    """Return (topic row, board) if the viewer may read the topic, else None."""
    row = _row(db, topic_id, viewer["id"] if viewer else None)
    if row is None:
        return None
    board = get_board(db, board=board_of(row["program_id"]), viewer=viewer)
    return (row, board) if board else None


def permissions(row, board, viewer):
    """Return what the viewer may do with a topic: edit, delete, moderate, post."""
    author = row["author_id"] == viewer["id"]
    return {"edit": author, "delete": author or bool(viewer["admin"]),
            "moderate": board["moderator"],
            "post": board["can_post"] and (not row["locked"] or board["moderator"])}


def to_json(row, board, viewer):
    """Return the API form of a topic for the viewer."""
    can = permissions(row, board, viewer)
    topic = {
        "id": row["id"], "board": board["id"], "thread_id": row["thread_id"], "title": row["title"],
        "body_html": row["body_html"], "author": {"id": row["author_id"], "name": row["author_name"]},
        "created": row["created"], "edited": row["edited"], "last_activity": row["last_activity"],
        "pinned": bool(row["pinned"]), "locked": bool(row["locked"]),
        "reply_count": row["reply_count"], "unread_count": row["unread_count"],
        "unread": bool(row["unread_count"]) or not row["seen"], "subscribed": bool(row["subscribed"]),
        "can": can,
    }
    if can["edit"]:
        topic["body"] = row["body_md"]
    return topic


def add_topic(db, *, board, author, title, body_md):
    """Start a topic on a board, with an empty thread for the replies; return its id."""
    with write_transaction(db):
        stamp = now_iso()
        topic_id = db.table("forum_topics").insert({
            "thread_id": community.add_thread(db, kind="forum"), "program_id": board["program_id"],
            "author_id": author["id"], "title": title, "body_md": body_md,
            "body_html": render(body_md), "created": stamp, "last_activity": stamp,
            "pinned": 0, "locked": 0}).last_pk
        community.add_event(db, user=author, verb="created", kind="topic", ref=topic_id,
                            result={"response": body_md},
                            extensions={"urn:roundtable:board": board["id"]})
        topic_created(db, topic_id=topic_id, board_id=board["id"], author=author, title=title,
                      body_md=body_md)  # issue 7
    return topic_id


def update_topic(db, *, topic, editor, title, body_md):
    """Change a topic's title and opening text; it is marked edited."""
    with write_transaction(db):
        db.table("forum_topics").update(topic["id"], {
            "title": title, "body_md": body_md, "body_html": render(body_md), "edited": now_iso()})
        community.add_event(db, user=editor, verb="edited", kind="topic", ref=topic["id"],
                            result={"response": body_md})


def delete_topic(db, *, topic, actor):
    """Soft-delete a topic: it leaves its board, the search index and every listing."""
    with write_transaction(db):
        db.execute("UPDATE forum_topics SET deleted = ? WHERE id = ?", [now_iso(), topic["id"]])
        community.add_event(db, user=actor, verb="deleted", kind="topic", ref=topic["id"])


def moderate(db, *, topic, actor, changes):
    """Apply pinned / locked / program_id changes by a moderator, one event per change."""
    verbs = {"pinned": "pinned", "locked": "locked", "program_id": "moved"}
    with write_transaction(db):
        db.table("forum_topics").update(topic["id"], changes)
        db.execute("UPDATE threads SET version = version + 1 WHERE id = ?", [topic["thread_id"]])
        for field, value in changes.items():
            community.add_event(db, user=actor, verb=verbs[field], kind="topic", ref=topic["id"],
                                result={"extensions": {"urn:roundtable:value": value}})


def is_subscribed(db, *, user_id, board=None, topic_id=None):
    """Tell whether the user follows a board or a topic."""
    column, value = ("board", board) if board is not None else ("topic_id", topic_id)
    return bool(next(db.query(
        f"SELECT 1 FROM forum_subscriptions WHERE user_id = ? AND {column} = ?", [user_id, value]), None))


def set_subscription(db, *, user, on, board=None, topic_id=None):
    """Follow (or stop following) a board or a topic; idempotent."""
    column, value = ("board", board) if board is not None else ("topic_id", topic_id)
    with write_transaction(db):
        if on:
            db.execute(f"""INSERT INTO forum_subscriptions (user_id, {column}, created)
                           SELECT ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM forum_subscriptions
                                                            WHERE user_id = ? AND {column} = ?)""",
                       [user["id"], value, now_iso(), user["id"], value])
        else:
            db.execute(f"DELETE FROM forum_subscriptions WHERE user_id = ? AND {column} = ?",
                       [user["id"], value])
        community.add_event(db, user=user, verb="subscribed" if on else "unsubscribed",
                            kind="board" if board is not None else "topic", ref=value)


def list_subscriptions(db, *, user):
    """Return the user's subscriptions (boards and topics), still visible to them, oldest first."""
    rows = list(db.query("SELECT board, topic_id, created FROM forum_subscriptions WHERE user_id = ? ORDER BY id",
                         [user["id"]]))
    out = []
    for row in rows:
        if row["board"] is not None and get_board(db, board=row["board"], viewer=user):
            out.append({"board": row["board"], "topic_id": None, "created": row["created"]})
        elif row["topic_id"] is not None and get_visible(db, topic_id=row["topic_id"], viewer=user):
            out.append({"board": None, "topic_id": row["topic_id"], "created": row["created"]})
    return out


def mark_read(db, *, topic, user):
    """Move the user's unread marker of a topic to its newest reply."""
    with write_transaction(db):
        community.mark_read(db, user_id=user["id"], thread_id=topic["thread_id"])


def owner_of_thread(db, *, thread_id, viewer):
    """Return what the comment engine needs about the topic owning a thread, or None if out of scope."""
    row = next(db.query("SELECT id FROM forum_topics WHERE thread_id = ? AND deleted IS NULL",
                        [thread_id]), None)
    found = row and get_visible(db, topic_id=row["id"], viewer=viewer)
    if not found:
        return None
    topic, board = found
    can = permissions(topic, board, viewer)
    refusal = ("This topic is locked: only a coach or an admin can unlock it." if topic["locked"]
               else "You can read this board but not post in it.")
    return {"object_id": f"forum/topic/{topic['id']}", "moderator": board["moderator"],
            "can_post": can["post"], "refusal": refusal}
