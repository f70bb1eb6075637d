"""Ask the author: a learner's private question on a module, in a thread that only the learner,
the module's authors, the cohort's coaches and admins see (access/community.py); an author may publish
it to the roundtable (actions/community.py). SQL only."""

from __future__ import annotations

import json

from comments_server.domain.timeutil import now_iso
from comments_server.store import community

QUESTION_SELECT = """
SELECT q.*, u.name AS learner_name, m.title AS module_title, m.url AS module_url, m.authors,
       m.program_id, (SELECT COUNT(*) FROM comments c WHERE c.thread_id = q.thread_id
                                                      AND c.deleted IS NULL) AS comment_count
FROM author_questions q JOIN users u ON u.id = q.learner_id JOIN modules m ON m.id = q.module_id
"""


def module(db, *, module_id):
    """Return a module's id, title, url, program and authors (JSON e-mails), or None."""
    return next(db.query("SELECT id, title, url, program_id, authors FROM modules WHERE id = ?",
                         [module_id]), None)


def author_people(db, *, emails):
    """Return the people (id, name, email) among a module's author e-mails, by name."""
    return list(db.query(
        "SELECT id, name, email FROM users WHERE email IN (SELECT value FROM json_each(?)) ORDER BY name",
        [json.dumps(emails)]))


def get(db, *, question_id):
    """Return a question row, or None."""
    return next(db.query(f"{QUESTION_SELECT} WHERE q.id = ?", [question_id]), None)


def of_thread(db, *, thread_id):
    """Return the question owning a thread, or None."""
    return next(db.query(f"{QUESTION_SELECT} WHERE q.thread_id = ?", [thread_id]), None)


def list_rows(db, *, module_id=None):
    """Return every question row (of one module if given), newest first; access/community.py filters them."""
    where, params = ("WHERE q.module_id = ?", [module_id]) if module_id else ("", [])
    return list(db.query(f"{QUESTION_SELECT} {where} ORDER BY q.id DESC", params))


def add(db, *, module_id, learner_id, cohort_id, title):
    """Open a private question thread on a module; return (question id, thread id) (inside a write)."""
    thread_id = community.add_thread(db, kind="ask", cohort_id=cohort_id)
    question_id = db.table("author_questions").insert({
        "thread_id": thread_id, "module_id": module_id, "learner_id": learner_id,
        "cohort_id": cohort_id, "title": title, "created": now_iso()}).last_pk
    return question_id, thread_id


def mark_published(db, *, question_id):
    """Record that a question was published, once: return False if it already was (inside a write)."""
    return db.execute("UPDATE author_questions SET published = ? WHERE id = ? AND published IS NULL",
                      [now_iso(), question_id]).rowcount == 1


def program_cohorts(db, *, program_id):
    """Return the ids of a program's live cohorts (where a question is published)."""
    return [r["id"] for r in db.query("SELECT id FROM cohorts WHERE program_id = ? AND retired = FALSE", [program_id])]


def published_text(db, *, question):
    """Return the Markdown that publishes a question and the authors' answers (learner unnamed)."""
    rows = list(db.query(
        """SELECT c.body_md, c.author_id, u.name FROM comments c JOIN users u ON u.id = c.author_id
           WHERE c.thread_id = ? AND c.deleted IS NULL AND c.hidden = FALSE ORDER BY c.id""",
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
                           AND retired = FALSE ORDER BY ord LIMIT 1""", [module_id]), None)
    return row["id"] if row else None


