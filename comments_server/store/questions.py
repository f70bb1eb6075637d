"""Ask the author: a learner's private question on a module, in a thread that only the learner,
the module's authors, the cohort's coaches and admins see; an author may publish it to the roundtable."""

from __future__ import annotations

import json

from comments_server import access
from comments_server.domain.timeutil import now_iso
from comments_server.store import comments, community, threads
from comments_server.store.db import write_transaction

QUESTION_SELECT = """
SELECT q.*, u.name AS learner_name, m.title AS module_title, m.url AS module_url, m.authors,
       m.program_id, (SELECT COUNT(*) FROM comments c WHERE c.thread_id = q.thread_id
                                                      AND c.deleted IS NULL) AS comment_count
FROM author_questions q JOIN users u ON u.id = q.learner_id JOIN modules m ON m.id = q.module_id
"""


def get_module(db, *, module_id, viewer):
    """Return a module the viewer may see (its program is theirs, or they wrote it) with its authors."""
    row = next(db.query("SELECT id, title, url, program_id, authors FROM modules WHERE id = ?",
                        [module_id]), None)
    if row is None or viewer is None:
        return None
    emails = json.loads(row["authors"] or "[]")
    mine = viewer["email"] in emails
    if not (viewer["admin"] or mine or row["program_id"] in community.visible_program_ids(db, viewer)):
        return None
    authors = list(db.query(
        "SELECT id, name, email FROM users WHERE email IN (SELECT value FROM json_each(?)) ORDER BY name",
        [json.dumps(emails)]))
    cohort = _asking_cohort(viewer, row["program_id"])
    return {**row, "emails": emails, "authors": [{"id": a["id"], "name": a["name"]} for a in authors],
            "is_author": mine, "cohort_id": cohort,
            "can_ask": bool(authors) and not mine and cohort is not None}


def _asking_cohort(viewer, program_id):
    """Return the viewer's cohort in a program where they may post, or None."""
    for membership in viewer["memberships"]:
        if membership["program_id"] == program_id and membership["role"] in access.POSTING_ROLES:
            return membership["cohort_id"]
    return None


def _visible(row, viewer):
    """Tell whether a question row is the viewer's to see."""
    if viewer is None:
        return False
    return bool(viewer["admin"] or row["learner_id"] == viewer["id"]
                or viewer["email"] in json.loads(row["authors"] or "[]")
                or (row["cohort_id"] and access.role_in(viewer, row["cohort_id"]) == "coach"))


def get_visible(db, *, question_id, viewer):
    """Return a question row the viewer may see, else None."""
    row = next(db.query(f"{QUESTION_SELECT} WHERE q.id = ?", [question_id]), None)
    return row if row is not None and _visible(row, viewer) else None


def list_visible(db, *, viewer, module_id=None):
    """Return the questions the viewer may see (of one module if given), newest first."""
    where, params = ("WHERE q.module_id = ?", [module_id]) if module_id else ("", [])
    rows = db.query(f"{QUESTION_SELECT} {where} ORDER BY q.id DESC", params)
    return [to_json(row, viewer) for row in rows if _visible(row, viewer)]


def to_json(row, viewer):
    """Return the API form of a question."""
    is_author = viewer["email"] in json.loads(row["authors"] or "[]")
    return {"id": row["id"], "thread_id": row["thread_id"], "title": row["title"],
            "module": {"id": row["module_id"], "title": row["module_title"], "url": row["module_url"]},
            "learner": {"id": row["learner_id"], "name": row["learner_name"]},
            "cohort_id": row["cohort_id"], "created": row["created"], "published": row["published"],
            "comment_count": row["comment_count"],
            "can": {"publish": (is_author or bool(viewer["admin"])) and not row["published"]}}


def ask(db, *, module, learner, title, body_md):
    """Open a private question thread on a module and post the learner's question in it; return its id."""
    with write_transaction(db):
        thread_id = community.add_thread(db, kind="ask", cohort_id=module["cohort_id"])
        question_id = db.table("author_questions").insert({
            "thread_id": thread_id, "module_id": module["id"], "learner_id": learner["id"],
            "cohort_id": module["cohort_id"], "title": title, "created": now_iso()}).last_pk
    thread = threads.get_visible(db, thread_id=thread_id, viewer=learner)
    ctx = threads.context(db, thread=thread, viewer=learner)
    comments.add(db, thread=thread, ctx=ctx, author=learner, body_md=body_md, question=True)
    return question_id


def owner_of_thread(db, *, thread_id, viewer):
    """Return what the comment engine needs about the question owning a thread, or None if out of scope."""
    row = next(db.query(f"{QUESTION_SELECT} WHERE q.thread_id = ?", [thread_id]), None)
    if row is None or not _visible(row, viewer):
        return None
    moderator = bool(viewer["admin"]) or viewer["email"] in json.loads(row["authors"] or "[]") \
        or access.role_in(viewer, row["cohort_id"]) == "coach"
    return {"object_id": f"module/{row['module_id']}/question/{row['id']}", "moderator": moderator,
            "can_post": True, "refusal": None}


def published_text(db, *, question):
    """Return the Markdown that publishes a question and the authors' answers (learner unnamed)."""
    rows = list(db.query(
        """SELECT c.body_md, c.author_id, u.name FROM comments c JOIN users u ON u.id = c.author_id
           WHERE c.thread_id = ? AND c.deleted IS NULL AND c.hidden = 0 ORDER BY c.id""",
        [question["thread_id"]]))
    asked = [r["body_md"] for r in rows if r["author_id"] == question["learner_id"]][:1]
    emails = json.loads(question["authors"] or "[]")
    authors = {r["id"] for r in db.query(
        "SELECT id FROM users WHERE email IN (SELECT value FROM json_each(?))", [json.dumps(emails)])}
    answers = [f"**{r['name']}** (author): {r['body_md']}" for r in rows if r["author_id"] in authors]
    quoted = "\n".join(f"> {line}" for line in (asked[0] if asked else question["title"]).splitlines())
    return f"**Asked the author:** {question['title']}\n\n{quoted}\n\n" + "\n\n".join(answers)


def roundtable_of(db, *, module_id):
    """Return the id of the module's first live roundtable activity, or None."""
    row = next(db.query("""SELECT id FROM activities WHERE module_id = ? AND kind = 'roundtable'
                           AND retired = 0 ORDER BY ord LIMIT 1""", [module_id]), None)
    return row["id"] if row else None


def publish(db, *, question, author, activity_id):
    """Post the question and answers into the module's roundtable of every cohort; return the count."""
    text = published_text(db, question=question)
    cohorts = [r["id"] for r in db.query("SELECT id FROM cohorts WHERE program_id = ? AND retired = 0",
                                         [question["program_id"]])]
    for cohort_id in cohorts:
        thread = threads.get_or_add(db, activity_id=activity_id, cohort_id=cohort_id)
        ctx = access.thread_context(author, cohort_id, thread["content_hash"])
        comments.add(db, thread=thread, ctx=ctx, author=author, body_md=text)
    with write_transaction(db):
        db.execute("UPDATE author_questions SET published = ? WHERE id = ?", [now_iso(), question["id"]])
        community.add_event(db, user=author, verb="published", kind="question", ref=question["id"],
                            cohort_id=question["cohort_id"],
                            extensions={"urn:roundtable:activity": activity_id})
    return len(cohorts)
