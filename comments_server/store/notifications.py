"""Notifications: the in-site list, the mail outbox, preferences, and who is told about what.

Writes here never open a transaction of their own: ``notify.notify`` calls
them inside the write transaction of the action that caused the message, so
the message exists exactly when the action does. The worker's claims are
conditional UPDATEs checked by rowcount; its results run in ``write_transaction``.
"""

from __future__ import annotations

import json
from datetime import timedelta

from comments_server.domain.timeutil import iso, now, now_iso
from comments_server.store.db import write_transaction

DELIVERIES = ("immediate", "digest", "never")

# The outbox kind of sign-in mail: claimed before every other kind, never digested, never subject to
# preferences (it is not one of notify.core.KINDS); the row holds the address typed, not a person.
SIGNIN = "signin"

# --------------------------------------------------------------------------- writing (inside the caller's write)


def add_notification(db, *, user_id, kind, subject, text, url, actor_id, dedupe_key, delivery):
    """Insert one notification; return its id, or None when ``dedupe_key`` was already used for this person."""
    cursor = db.execute(
        """INSERT INTO notifications (user_id, kind, subject, text, url, actor_id, dedupe_key,
                                      delivery, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT DO NOTHING""",
        [user_id, kind, subject, text, url, actor_id, dedupe_key, delivery, now_iso()])
    return cursor.lastrowid if cursor.rowcount else None


def enqueue(db, *, user_id, to_addr, kind, subject, text, url="", base_url="", items=None, dedupe_key=None,
            when=None):
    """Queue one mail for the worker; return the outbox id (None if ``dedupe_key`` was queued before)."""
    created = iso(when) if when else now_iso()
    cursor = db.execute(
        """INSERT INTO outbox (user_id, to_addr, kind, subject, text, url, base_url, items, dedupe_key,
                               next_attempt, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT DO NOTHING""",
        [user_id, to_addr, kind, subject, text, url, base_url, json.dumps(items) if items is not None else None,
         dedupe_key, created, created])
    return cursor.lastrowid if cursor.rowcount else None


def recipient(db, *, user_id):
    """Return ``{id, name, email}`` of a person, or None."""
    return next(db.query("SELECT id, name, email FROM users WHERE id = ?", [user_id]), None)


# --------------------------------------------------------------------------- preferences


def preferences(db, *, user_id):
    """Return the person's stored choices, kind -> delivery (kinds they never changed are absent)."""
    return {r["kind"]: r["delivery"] for r in db.query(
        "SELECT kind, delivery FROM notification_preferences WHERE user_id = ?", [user_id])}


def set_preferences(db, *, user_id, choices):
    """Store kind -> delivery choices for a person (call inside a write transaction)."""
    for kind, delivery in choices.items():
        db.execute(
            """INSERT INTO notification_preferences (user_id, kind, delivery, updated) VALUES (?, ?, ?, ?)
               ON CONFLICT (user_id, kind) DO UPDATE SET delivery = excluded.delivery, updated = excluded.updated""",
            [user_id, kind, delivery, now_iso()])


# --------------------------------------------------------------------------- the in-site list


def list_for(db, *, user_id, before=None, limit=30):
    """Return a person's newest notifications (ids below ``before``), newest first, with the actor's name."""
    return list(db.query(
        """SELECT n.id, n.kind, n.subject, n.text, n.url, n.created, n.read_at, u.name AS actor_name
           FROM notifications n LEFT JOIN users u ON u.id = n.actor_id
           WHERE n.user_id = ? AND n.id < ? ORDER BY n.id DESC LIMIT ?""",
        [user_id, before or 2**62, limit]))


def unread_count(db, *, user_id):
    """Return how many of a person's notifications are unread."""
    return db.execute("SELECT COUNT(*) FROM notifications WHERE user_id = ? AND read_at IS NULL",
                      [user_id]).fetchone()[0]


def mark_read(db, *, user_id, ids=None):
    """Mark some (or all) of a person's notifications read; return how many changed (call inside the write)."""
    if ids is None:
        cursor = db.execute("UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL",
                            [now_iso(), user_id])
    else:
        marks = ",".join("?" for _ in ids) or "NULL"
        cursor = db.execute(
            f"""UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL
                AND id IN ({marks})""", [now_iso(), user_id, *ids])
    return cursor.rowcount


# --------------------------------------------------------------------------- recipients


def cohort_people(db, *, cohort_id, role):
    """Return the ids of a cohort's members with a role."""
    return [r[0] for r in db.execute(
        "SELECT user_id FROM memberships WHERE cohort_id = ? AND role = ? ORDER BY user_id", [cohort_id, role])]


def comment_author(db, *, comment_id):
    """Return the author id of a comment, or None."""
    row = db.execute("SELECT author_id FROM comments WHERE id = ?", [comment_id]).fetchone()
    return row[0] if row else None


def thread_owner_author(db, *, thread_id):
    """Return the author of the topic or blog post that owns a community thread, or None."""
    row = db.execute(
        """SELECT author_id FROM forum_topics WHERE thread_id = :t
           UNION ALL SELECT author_id FROM blog_posts WHERE thread_id = :t
           UNION ALL SELECT learner_id FROM author_questions WHERE thread_id = :t LIMIT 1""",
        {"t": thread_id}).fetchone()
    return row[0] if row else None


def thread_link(db, *, thread_id):
    """Return ``(kind, title, id, module url or None)`` of the topic, post or question owning a thread, or None."""
    row = db.execute(
        """SELECT 'topic', title, id, NULL FROM forum_topics WHERE thread_id = :t
           UNION ALL SELECT 'post', title, id, NULL FROM blog_posts WHERE thread_id = :t
           UNION ALL SELECT 'question', m.title, q.id, m.url
           FROM author_questions q JOIN modules m ON m.id = q.module_id WHERE q.thread_id = :t LIMIT 1""",
        {"t": thread_id}).fetchone()
    return tuple(row) if row else None


def question_module(db, *, thread_id):
    """Return the module id of the ask-the-author question owning a thread, or None."""
    row = db.execute("SELECT module_id FROM author_questions WHERE thread_id = ?", [thread_id]).fetchone()
    return row[0] if row else None


def step_count(db, *, submission_id):
    """Return how many steps a submission has taken (tells a resubmission from the first one)."""
    return db.execute("SELECT COUNT(*) FROM submission_steps WHERE submission_id = ?", [submission_id]).fetchone()[0]


def submission_place(db, *, submission_id):
    """Return the owner's name and the module (title, url) of a submission."""
    return next(db.query(
        """SELECT u.name AS owner_name, m.title AS module_title, m.url AS module_url
           FROM submissions s JOIN users u ON u.id = s.user_id JOIN activities a ON a.id = s.activity_id
           JOIN modules m ON m.id = a.module_id WHERE s.id = ?""", [submission_id]))


def topic_subscribers(db, *, thread_id):
    """Return the ids of people following the forum topic that owns a thread, or its board."""
    return [r[0] for r in db.execute(
        """SELECT s.user_id FROM forum_subscriptions s JOIN forum_topics t ON t.id = s.topic_id
           WHERE t.thread_id = :t
           UNION SELECT s.user_id FROM forum_subscriptions s JOIN forum_topics t
           ON s.board = COALESCE(t.program_id, 'everyone') WHERE t.thread_id = :t""", {"t": thread_id})]


def board_subscribers(db, *, board):
    """Return the ids of people following a forum board ('everyone' or a program id)."""
    return [r[0] for r in db.execute("SELECT user_id FROM forum_subscriptions WHERE board = ?", [board])]


def module_author_ids(db, *, module_id):
    """Return the ids of people whose e-mail the module lists among its authors."""
    return [r[0] for r in db.execute(
        """SELECT u.id FROM users u, modules m, json_each(m.authors) a
           WHERE m.id = ? AND lower(a.value) = u.email ORDER BY u.id""", [module_id])]


def mention_candidates(db, *, handles):
    """Return ``(id, handle matched)`` for people whose First.Last, e-mail name or first name is a handle."""
    if not handles:
        return []
    return [(r[0], r[1]) for r in db.execute(
        """SELECT u.id, h.value FROM users u, json_each(?) h
           WHERE lower(replace(trim(u.name), ' ', '.')) = h.value
              OR lower(substr(u.email, 1, instr(u.email, '@') - 1)) = h.value
              OR (instr(h.value, '.') = 0 AND substr(lower(u.name), 1, length(h.value) + 1) = h.value || ' ')
           ORDER BY u.id""", [json.dumps(sorted(handles))])]


# --------------------------------------------------------------------------- daily checks


def open_assignments_due(db):
    """Every open peer/coach review assignment with its cohort start and module's due offset."""
    return list(db.query(
        """SELECT ra.id, ra.reviewer_id, ra.submission_id, s.cohort_id, s.activity_id, c.starts, c.due_dates,
                  m.id AS module_id, m.due_days,
                  m.title AS module_title, m.url AS module_url, u.name AS presenter_name
           FROM review_assignments ra JOIN submissions s ON s.id = ra.submission_id
           JOIN cohorts c ON c.id = s.cohort_id JOIN activities a ON a.id = s.activity_id
           JOIN modules m ON m.id = a.module_id JOIN users u ON u.id = s.user_id
           WHERE ra.cancelled_at IS NULL AND ra.completed_at IS NULL ORDER BY ra.id"""))


def program_modules(db, *, program_id):
    """The live modules of a program with their due offset, in order."""
    return list(db.query("SELECT id, title, due_days FROM modules WHERE program_id = ? AND retired = FALSE ORDER BY ord",
                         [program_id]))


def live_cohorts(db):
    """Every cohort that is not retired, with its start."""
    return list(db.query("SELECT id, program_id, starts, due_dates FROM cohorts WHERE retired = FALSE ORDER BY id"))


# --------------------------------------------------------------------------- digests


def digest_due_people(db):
    """Return the ids of people with digest items not yet sent in a digest."""
    return [r[0] for r in db.execute(
        """SELECT DISTINCT user_id FROM notifications WHERE delivery = 'digest' AND digest_outbox_id IS NULL
           ORDER BY user_id""")]


def digest_items(db, *, user_id):
    """Return a person's digest items not yet sent, oldest first."""
    return list(db.query(
        """SELECT id, kind, subject, text, url, created FROM notifications
           WHERE user_id = ? AND delivery = 'digest' AND digest_outbox_id IS NULL ORDER BY id""", [user_id]))


def attach_to_digest(db, *, ids, outbox_id):
    """Mark digest items as carried by one digest mail."""
    marks = ",".join("?" for _ in ids)
    db.execute(f"UPDATE notifications SET digest_outbox_id = ? WHERE id IN ({marks})", [outbox_id, *ids])


# --------------------------------------------------------------------------- the outbox, for the worker


def claim(db, *, worker, at, lease_seconds, limit):
    """Claim due rows for one worker: pending ones whose time has come, and claims older than the lease.

    Sign-in mail comes first. Each row is taken by a conditional UPDATE that
    checks the row is still due and counts the rows it changed: two workers
    that read the same candidates never both take one row, with or without
    a database-wide write lock. Returns the rows this worker took, as claimed.
    """
    due = "((status = 'pending' AND next_attempt <= :now) OR (status = 'sending' AND claimed_at <= :stale))"
    params = {"now": iso(at), "stale": iso(at - timedelta(seconds=lease_seconds)), "worker": worker}
    if db.dialect == "postgresql":
        taken = _claim_skip_locked(db, due=due, params=params, limit=limit)
    else:
        taken = []
        candidates = _due_ids(db, due=due, params=params, limit=limit)
        with write_transaction(db):
            for outbox_id in candidates:
                cursor = db.execute(f"""UPDATE outbox SET status = 'sending', claimed_by = :worker, claimed_at = :now
                                        WHERE id = :id AND {due}""", {**params, "id": outbox_id})
                if cursor.rowcount == 1:
                    taken.append(outbox_id)
    marks = ",".join("?" for _ in taken) or "NULL"
    return list(db.query(f"""SELECT * FROM outbox WHERE id IN ({marks})
                             ORDER BY kind = '{SIGNIN}' DESC, id""", taken))


def _claim_skip_locked(db, *, due, params, limit):
    """PostgreSQL: take due rows in one statement; rows another worker is claiming are skipped, not waited for."""
    with write_transaction(db):
        return sorted(r[0] for r in db.execute(
            f"""UPDATE outbox SET status = 'sending', claimed_by = :worker, claimed_at = :now
                WHERE id IN (SELECT id FROM outbox WHERE {due} ORDER BY kind = '{SIGNIN}' DESC, id LIMIT :limit
                             FOR UPDATE SKIP LOCKED)
                RETURNING id""", {**params, "limit": limit}).fetchall())


def _due_ids(db, *, due, params, limit):
    """Return the ids of rows due for sending, sign-in mail first (a read: claiming is the UPDATE)."""
    return [r[0] for r in db.execute(
        f"SELECT id FROM outbox WHERE {due} ORDER BY kind = '{SIGNIN}' DESC, id LIMIT :limit",
        {**params, "limit": limit})]


def drop(db, *, outbox_id):
    """Remove a queued mail that has no one to go to (a sign-in link asked for an unknown address)."""
    with write_transaction(db):
        db.execute("DELETE FROM outbox WHERE id = ?", [outbox_id])


def mark_sent(db, *, outbox_id, transport, at=None):
    """Record that the mail server accepted a message (or that it was logged)."""
    with write_transaction(db):
        db.execute("""UPDATE outbox SET status = 'sent', sent_at = ?, transport = ?, attempts = attempts + 1,
                      last_error = NULL WHERE id = ?""", [iso(at or now()), transport, outbox_id])


def file_pending_as_history(db, *, transport):
    """Mark every pending mail as already sent: for seeded history that nobody should be mailed about."""
    with write_transaction(db):
        db.execute("""UPDATE outbox SET status = 'sent', sent_at = ?, transport = ?
                      WHERE status = 'pending'""", [iso(now()), transport])


def mark_failed(db, *, outbox_id, error, retry_at):
    """Record a failed attempt: back to pending until ``retry_at``, or kept as failed when None."""
    with write_transaction(db):
        db.execute(
            """UPDATE outbox SET status = ?, attempts = attempts + 1, last_error = ?, next_attempt = ?,
               claimed_by = NULL, claimed_at = NULL WHERE id = ?""",
            ["pending" if retry_at else "failed", error[:2000], iso(retry_at) if retry_at else iso(now()),
             outbox_id])


def outbox_rows(db, *, status=None, limit=100):
    """Return outbox rows for admins, newest first, optionally of one status."""
    where, params = ("WHERE status = ?", [status]) if status else ("", [])
    return list(db.query(
        f"""SELECT id, user_id, to_addr, kind, subject, status, attempts, next_attempt, last_error, transport,
                   created, sent_at FROM outbox {where} ORDER BY id DESC LIMIT ?""", [*params, limit]))


def outbox_counts(db):
    """Return the number of outbox rows per status."""
    return {r["status"]: r["n"] for r in db.query("SELECT status, COUNT(*) AS n FROM outbox GROUP BY status")}
