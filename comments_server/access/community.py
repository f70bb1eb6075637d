"""Who sees and may do what in forums, blogs and ask-the-author, and in the threads they own.

A community thread (kind forum, blog or ask) is in sight exactly when the
topic, post or question owning it is; ``thread_context`` answers the comment
engine for them (access/threads.py asks it).
"""

from __future__ import annotations

import json

from comments_server.access import POSTING_ROLES, role_in, visible_cohort_ids
from comments_server.access.rules import rule
from comments_server.store import blogs, community, forums, questions

EVERYONE = forums.EVERYONE

# --------------------------------------------------------------------------- programs


def visible_program_ids(db, viewer):
    """Return the programs the viewer belongs to, through any visible cohort."""
    return community.program_ids_of_cohorts(db, cohort_ids=visible_cohort_ids(db, viewer))


def posting_program_ids(viewer):
    """Return the programs where the viewer holds a posting role (learner, coach, manager)."""
    return {m["program_id"] for m in viewer["memberships"] if m["role"] in POSTING_ROLES}


def coached_program_ids(viewer):
    """Return the programs where the viewer coaches a cohort."""
    return {m["program_id"] for m in viewer["memberships"] if m["role"] == "coach"}


# --------------------------------------------------------------------------- forums


def board(db, viewer, board_id):
    """Return a board the viewer may read with what they may do there, or None."""
    if viewer is None:
        return None
    admin = bool(viewer["admin"])
    if board_id == EVERYONE:
        return {"id": EVERYONE, "program_id": None, "title": "Everyone", "can_post": True,
                "moderator": admin or bool(coached_program_ids(viewer))}
    program = forums.program(db, program_id=board_id)
    if program is None or not (admin or board_id in visible_program_ids(db, viewer)):
        return None
    return {"id": board_id, "program_id": board_id, "title": program["title"] or board_id,
            "can_post": admin or board_id in posting_program_ids(viewer),
            "moderator": admin or board_id in coached_program_ids(viewer)}


def topic_in_sight(db, viewer, topic_id):
    """Return (topic row, board) if the viewer may read the topic, else None."""
    row = forums.topic_row(db, topic_id=topic_id, viewer_id=viewer["id"] if viewer else None)
    if row is None:
        return None
    found = board(db, viewer, forums.board_of(row["program_id"]))
    return (row, found) if found else None


def topic_permissions(row, board, viewer):
    """Return what the viewer may do with a topic: edit, delete, moderate, post."""
    author = row["author_id"] == viewer["id"]
    return {"edit": author, "delete": author or bool(viewer["admin"]),
            "moderate": board["moderator"],
            "post": board["can_post"] and (not row["locked"] or board["moderator"])}


# --------------------------------------------------------------------------- blogs


def blog_scope(db, viewer):
    """Return the viewer's reach over blog posts, as store/blogs.py's SCOPE reads it."""
    return {"admin": int(bool(viewer["admin"])), "viewer": viewer["id"],
            "programs": json.dumps(sorted(visible_program_ids(db, viewer))),
            "cohorts": json.dumps(sorted(visible_cohort_ids(db, viewer)))}


def post_in_sight(db, viewer, post_id):
    """Return a post row the viewer may read, else None."""
    if viewer is None:
        return None
    return blogs.get_in_scope(db, post_id=post_id, scope=blog_scope(db, viewer))


def post_permissions(row, viewer):
    """Return what the viewer may do with a post: edit (author), delete (author, admin); reflections stay."""
    author = row["author_id"] == viewer["id"]
    reflection = row["reflection_id"] is not None
    return {"edit": author, "edit_text": author and not reflection,
            "delete": (author or bool(viewer["admin"])) and not reflection}


# --------------------------------------------------------------------------- ask the author


def _authors(row):
    """Return the e-mail addresses of a module's (or a question's module's) authors."""
    return json.loads(row["authors"] or "[]")


def module_for_asking(db, viewer, module_id):
    """Return a module the viewer may see (its program is theirs, or they wrote it) with its authors, or None."""
    row = questions.module(db, module_id=module_id)
    if row is None or viewer is None:
        return None
    emails = _authors(row)
    mine = viewer["email"] in emails
    if not (viewer["admin"] or mine or row["program_id"] in visible_program_ids(db, viewer)):
        return None
    authors = questions.author_people(db, emails=emails)
    cohort = next((m["cohort_id"] for m in viewer["memberships"]
                   if m["program_id"] == row["program_id"] and m["role"] in POSTING_ROLES), None)
    return {**row, "emails": emails, "authors": [{"id": a["id"], "name": a["name"]} for a in authors],
            "is_author": mine, "cohort_id": cohort,
            "can_ask": bool(authors) and not mine and cohort is not None}


def sees_question(row, viewer):
    """Tell whether a question row is the viewer's to see: asker, module authors, the cohort's coaches, admins."""
    if viewer is None:
        return False
    return bool(viewer["admin"] or row["learner_id"] == viewer["id"] or viewer["email"] in _authors(row)
                or (row["cohort_id"] and role_in(viewer, row["cohort_id"]) == "coach"))


def question_in_sight(db, viewer, question_id):
    """Return a question row the viewer may see, else None."""
    row = questions.get(db, question_id=question_id)
    return row if row is not None and sees_question(row, viewer) else None


def may_publish(row, viewer):
    """An author of the module (or an admin) may publish a question, once."""
    return (viewer["email"] in _authors(row) or bool(viewer["admin"])) and not row["published"]


# --------------------------------------------------------------------------- community threads


def thread_context(db, viewer, thread):
    """Return the comment engine's viewer context for a forum, blog or ask thread, or None if out of sight."""
    owner = _OWNERS[thread["kind"]](db, viewer, thread["id"])
    if owner is None:
        return None
    admin = bool(viewer["admin"])
    return {
        "viewer_id": viewer["id"],
        "role": role_in(viewer, thread["cohort_id"]) if thread["cohort_id"] else None,
        "admin": admin, "moderator": admin or owner["moderator"], "can_post": owner["can_post"],
        "refusal": owner["refusal"], "content_hash": "", "object_id": owner["object_id"],
    }


def _topic_owner(db, viewer, thread_id):
    """What the comment engine needs about the topic owning a thread, or None if out of sight."""
    topic_id = forums.topic_of_thread(db, thread_id=thread_id)
    found = topic_id and topic_in_sight(db, viewer, topic_id)
    if not found:
        return None
    topic, board = found
    refusal = ("This topic is locked: only a coach or an admin can unlock it." if topic["locked"]
               else "You can read this board but not post in it.")
    return {"object_id": f"forum/topic/{topic['id']}", "moderator": board["moderator"],
            "can_post": topic_permissions(topic, board, viewer)["post"], "refusal": refusal}


def _post_owner(db, viewer, thread_id):
    """What the comment engine needs about the blog post owning a thread, or None if out of sight."""
    post_id = blogs.post_of_thread(db, thread_id=thread_id)
    post = post_id and post_in_sight(db, viewer, post_id)
    if not post:
        return None
    moderator = bool(viewer["admin"]) or post["program_id"] in coached_program_ids(viewer)
    return {"object_id": f"blog/post/{post['id']}", "moderator": moderator, "can_post": True, "refusal": None}


def _question_owner(db, viewer, thread_id):
    """What the comment engine needs about the question owning a thread, or None if out of sight."""
    row = questions.of_thread(db, thread_id=thread_id)
    if row is None or not sees_question(row, viewer):
        return None
    moderator = bool(viewer["admin"]) or viewer["email"] in _authors(row) \
        or role_in(viewer, row["cohort_id"]) == "coach"
    return {"object_id": f"module/{row['module_id']}/question/{row['id']}", "moderator": moderator,
            "can_post": True, "refusal": None}


_OWNERS = {"forum": _topic_owner, "blog": _post_owner, "ask": _question_owner}


# --------------------------------------------------------------------------- rules (things: rows in sight or not)


@rule("board.post", not_found="No forum board of yours.")
def post_on_board(db, viewer, board_row):
    """Start topics where the board allows it."""
    return True if board_row["can_post"] else "You can read this board but not start topics on it."


@rule("topic.edit", not_found="No such topic.")
def edit_topic(db, viewer, found):
    """Only the author edits a topic. ``found`` is (topic row, board) from topic_in_sight."""
    return True if topic_permissions(*found, viewer)["edit"] else "Only the author can edit a topic."


@rule("topic.delete", not_found="No such topic.")
def delete_topic(db, viewer, found):
    """The author or an admin deletes a topic."""
    return True if topic_permissions(*found, viewer)["delete"] else "Only the author or an admin can delete a topic."


@rule("topic.moderate", not_found="No such topic.")
def moderate_topic(db, viewer, found):
    """Coaches of the board's program and admins pin, lock and move topics."""
    return True if found[1]["moderator"] else "Only a coach or an admin can pin, lock or move topics."


@rule("post.edit", not_found="No such post.")
def edit_post(db, viewer, row):
    """Only the author edits a post."""
    return True if post_permissions(row, viewer)["edit"] else "Only the author can edit a post."


@rule("post.delete", not_found="No such post.")
def delete_post(db, viewer, row):
    """The author or an admin deletes a post; a reflection stays with its module."""
    return True if post_permissions(row, viewer)["delete"] else \
        "Only the author or an admin can delete a post; a reflection stays with its module."


@rule("question.publish", not_found="No such question.")
def publish_question(db, viewer, row):
    """An author of the module (or an admin) publishes a question, once."""
    return True if may_publish(row, viewer) else "Only an author of the module can publish a question, and only once."
