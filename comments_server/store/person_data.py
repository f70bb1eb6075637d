"""A person's own data: everything the product holds about them (export), and erasing it (right to erasure).

Export is generic: every row of every table with a foreign key to ``users``
that points at the person, so a table added later is exported without a
change here. Erasure follows ``ERASE``, one policy per such table (a test
fails when a table has none), and keeps other people's work intact:

- what the person wrote is emptied (comments stay as "deleted" placeholders
  where others replied; topics and blog posts stay as "(removed)" so their
  replies keep a home; plans, debriefs, reflections, feedback and review
  comments lose their text; uploads are deleted);
- what is only about them (sessions, sign-in links, memberships, preferences,
  subscriptions, read markers, their notifications and queued mail) is deleted;
- records that feed other people's figures keep their numbers but no longer
  name them: the user row becomes "Former participant" with an address at
  the reserved ``.invalid`` domain, and every xAPI statement that named them
  (as actor or as instructor) names that anonymous agent, with their own
  statements' text (``result``) removed;
- wiki revisions keep their text (a page's later revisions are built on it)
  and are credited to the anonymous person. See docs/operations.md.
"""

from __future__ import annotations

import json

from comments_server.domain.timeutil import now_iso
from comments_server.store import threads

ANONYMOUS_NAME = "Former participant"
REMOVED = "(removed)"

# table -> (column pointing at users, what erasure does); "keep" rows hold no text of theirs
ERASE = {
    "users": ("manager_id", "keep"),  # their reports keep their records; the manager link is cut below
    "memberships": ("user_id", "delete"),
    "login_tokens": ("user_id", "delete"),
    "sessions": ("user_id", "delete"),
    "comments": ("author_id", "empty_comments"),
    "comment_helpful": ("user_id", "keep"),
    "events": ("user_id", "anonymise_events"),
    "submissions": ("user_id", "empty_submissions"),
    "submission_steps": ("actor_id", "keep"),
    "feedback": ("giver_id", "empty_feedback"),
    "review_assignments": ("reviewer_id", "keep"),
    "reviews": ("reviewer_id", "empty_reviews"),
    "reads": ("user_id", "keep"),
    "reflections": ("user_id", "empty_reflections"),
    "quiz_attempts": ("user_id", "empty_quiz_answers"),  # scores stay (program figures); typed answers go
    "completions": ("user_id", "keep"),
    "forum_topics": ("author_id", "empty_topics"),
    "forum_subscriptions": ("user_id", "delete"),
    "thread_reads": ("user_id", "delete"),
    "blog_posts": ("author_id", "empty_posts"),
    "wiki_revisions": ("author_id", "keep"),
    "author_questions": ("learner_id", "empty_questions"),
    "notifications": ("user_id", "delete"),
    "outbox": ("user_id", "delete"),
    "notification_preferences": ("user_id", "delete"),
    "queue_marks": ("user_id", "delete"),
}


def person_tables(db):
    """Return [(table, column)] for every column of every table that points at ``users``."""
    if db.dialect == "postgresql":  # the catalog's foreign keys instead of SQLite's PRAGMA
        return [tuple(r) for r in db.execute(
            """SELECT src.relname, att.attname FROM pg_constraint c
               JOIN pg_class src ON src.oid = c.conrelid JOIN pg_class dst ON dst.oid = c.confrelid
               JOIN pg_attribute att ON att.attrelid = c.conrelid AND att.attnum = ANY (c.conkey)
               WHERE c.contype = 'f' AND dst.relname = 'users' AND src.relnamespace = 'public'::regnamespace
               ORDER BY src.relname, c.conname""").fetchall()]
    out = []
    for (table,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").fetchall():
        for fk in db.execute(f"PRAGMA foreign_key_list('{table}')").fetchall():
            if fk[2] == "users":
                out.append((table, fk[3]))
    return out


def export(db, *, user_id):
    """Return {table: [rows]} of every row that points at the person, plus their user row."""
    data = {"users": list(db.query("SELECT * FROM users WHERE id = ?", [user_id]))}
    for table, column in person_tables(db):
        rows = list(db.query(f'SELECT * FROM "{table}" WHERE "{column}" = ?', [user_id]))
        if rows:
            data.setdefault(table, []).extend(r for r in rows if r not in data.get(table, []))
    return data


def uploads_of(db, *, user_id):
    """Return the stored file names of the person's uploads."""
    return [r["attachment_path"] for r in db.query(
        "SELECT attachment_path FROM submissions WHERE user_id = ? AND attachment_path IS NOT NULL "
        "AND attachment_path != ''", [user_id])]


def erase(db, *, user_id):
    """Erase the person by ``ERASE`` (call inside a write transaction); return rows changed per table."""
    person = next(db.query("SELECT id, name, email FROM users WHERE id = ?", [user_id]))
    threads.bump_versions_of_author(db, user_id=user_id)  # no server may go on serving their words from a cache
    counts = {}
    for table, column in person_tables(db):
        policy = ERASE[table][1] if ERASE.get(table, (None,))[0] == column else _second_column(table, column)
        counts[f"{table}.{column}"] = _apply(db, policy, table, column, person)
    _unname_messages(db, person)
    db.execute("UPDATE users SET manager_id = NULL WHERE manager_id = ?", [user_id])
    db.execute("UPDATE users SET name = ?, email = ?, admin = FALSE, manager_id = NULL WHERE id = ?",
               [ANONYMOUS_NAME, anonymous_email(user_id), user_id])
    return counts


def _second_column(table, column):
    """The policy of a second column pointing at users (e.g. notifications.actor_id)."""
    return {("notifications", "actor_id"): "delete_with_mail", ("users", "manager_id"): "keep"}[(table, column)]


def anonymous_email(user_id):
    """The address an erased person's records carry (the reserved .invalid domain never delivers)."""
    return f"erased-{user_id}@roundtable.invalid"


def _apply(db, policy, table, column, person):
    """Apply one policy to the rows of ``table`` whose ``column`` is the person; return how many changed."""
    uid, now = person["id"], now_iso()
    where = f'"{column}" = ?'
    if policy == "keep":
        return 0
    if policy == "delete":
        return db.execute(f'DELETE FROM "{table}" WHERE {where}', [uid]).rowcount
    if policy == "empty_comments":
        return db.execute(f"UPDATE comments SET body_md = '', body_html = '', deleted = COALESCE(deleted, ?) "
                          f"WHERE {where}", [now, uid]).rowcount
    if policy == "empty_submissions":
        return db.execute(f"UPDATE submissions SET body_md = '', body_html = '', debrief_md = '', debrief_html = '', "
                          f"attachment_path = NULL, attachment_name = NULL, link = NULL WHERE {where}", [uid]).rowcount
    if policy in ("empty_feedback", "empty_reviews"):
        return db.execute(f'UPDATE "{table}" SET comment_md = \'\', comment_html = \'\' WHERE {where}', [uid]).rowcount
    if policy == "empty_quiz_answers":
        return db.execute(f"UPDATE quiz_attempts SET answers = '{{}}' WHERE {where}", [uid]).rowcount
    if policy == "empty_reflections":
        return db.execute(f"UPDATE reflections SET body_md = '', body_html = '' WHERE {where}", [uid]).rowcount
    if policy in ("empty_topics", "empty_posts"):
        return db.execute(f'UPDATE "{table}" SET title = ?, body_md = \'\', body_html = \'\' WHERE {where}',
                          [REMOVED, uid]).rowcount
    if policy == "empty_questions":
        return db.execute(f"UPDATE author_questions SET title = ? WHERE {where}", [REMOVED, uid]).rowcount
    if policy == "delete_with_mail":  # notifications about their actions, and the mail that quoted them
        _delete_mail_quoting(db, where, uid)
        return db.execute(f'DELETE FROM "{table}" WHERE {where}', [uid]).rowcount
    if policy == "anonymise_events":
        return _anonymise_events(db, person)
    raise ValueError(f"no erasure policy {policy!r} for {table}.{column}")


def _unname_messages(db, person):
    """Other people's notifications and mail that name the person (e.g. "review Ana's presentation") no longer do."""
    for table, columns in (("notifications", ("subject", "text")), ("outbox", ("subject", "text", "items"))):
        for column in columns:
            value = f'replace(CAST("{column}" AS TEXT), ?, ?)'
            if column == "items" and db.dialect == "postgresql":  # a jsonb column there
                value = f"CAST({value} AS jsonb)"
            db.execute(f'UPDATE "{table}" SET "{column}" = {value} WHERE instr(CAST("{column}" AS TEXT), ?) > 0',
                       [person["name"], ANONYMOUS_NAME, person["name"]])


def _delete_mail_quoting(db, where, uid):
    """Delete the outbox copies (queued or sent) of notifications about the person's actions, digests included."""
    for n in db.query(f"SELECT user_id, kind, subject, text, digest_outbox_id FROM notifications WHERE {where}", [uid]):
        db.execute("DELETE FROM outbox WHERE user_id = ? AND kind = ? AND subject = ? AND text = ?",
                   [n["user_id"], n["kind"], n["subject"], n["text"]])
        if n["digest_outbox_id"]:
            db.execute("DELETE FROM outbox WHERE id = ?", [n["digest_outbox_id"]])


def _anonymise_events(db, person):
    """Rewrite every statement that names the person; drop the text of their own."""
    mbox, changed = f"mailto:{person['email']}", 0
    anon = {"objectType": "Agent", "name": ANONYMOUS_NAME, "mbox": f"mailto:{anonymous_email(person['id'])}"}
    rows = list(db.query("SELECT id, user_id, actor, context, result FROM events WHERE user_id = ? "
                         "OR actor LIKE ? OR context LIKE ?", [person["id"], f"%{mbox}%", f"%{mbox}%"]))
    for row in rows:
        actor = _replace_agent(json.loads(row["actor"]), mbox, anon)
        context = _replace_agent(json.loads(row["context"] or "{}"), mbox, anon)
        result = None if row["user_id"] == person["id"] else row["result"]
        db.execute("UPDATE events SET actor = ?, context = ?, result = ? WHERE id = ?",
                   [json.dumps(actor), json.dumps(context), result, row["id"]])
        changed += 1
    return changed


def _replace_agent(value, mbox, anon):
    """Return ``value`` with every agent whose mbox is ``mbox`` replaced by ``anon``."""
    if isinstance(value, dict):
        if value.get("mbox") == mbox:
            return dict(anon)
        return {k: _replace_agent(v, mbox, anon) for k, v in value.items()}
    if isinstance(value, list):
        return [_replace_agent(v, mbox, anon) for v in value]
    return value
