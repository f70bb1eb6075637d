"""Peer reviews: allocation glue, reviews, helpfulness, escalation. SQL only.

The decisions are made by the pure functions of ``allocation.py``; this module
reads the cohort (learners, coaches, presenters, live assignments) and writes
their answer back. Callers run it inside the action's ``write_transaction`` so
two presenters submitting at once cannot both read the same loads; the
notifications and completion recompute that follow are the action's events'.
One review per reviewer and presentation (``UNIQUE (submission_id, reviewer_id)``)
and one live assignment (partial unique index ``review_assignments_live``) are
kept by the database: inserts say ``ON CONFLICT``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from comments_server.domain import allocation
from comments_server.domain.allocation import Assignment
from comments_server.domain.timeutil import now_iso
from comments_server.store import completions, submissions
from comments_server.store.db import lock_for_update


@dataclass
class Moves:
    """What an allocation wrote: new assignments, ``(submission id, reviewer id)`` pairs to tell,
    and the learners whose records changed (reviewers given or relieved of a review, presenters
    whose review target moved): the ones whose completion follows."""

    assignments: list = field(default_factory=list)
    pairs: list = field(default_factory=list)
    concerned: set = field(default_factory=set)

    def add(self, other):
        """Fold another allocation's moves into these."""
        self.assignments += other.assignments
        self.pairs += other.pairs
        self.concerned |= other.concerned
        return self

# --------------------------------------------------------------------------- allocation


def live_assignments(db, *, activity_id, cohort_id):
    """Rows of every live (not cancelled) assignment on a cohort's presentations of an activity."""
    return list(db.query(
        """SELECT ra.*, s.user_id AS presenter_id FROM review_assignments ra
           JOIN submissions s ON s.id = ra.submission_id
           WHERE s.activity_id = ? AND s.cohort_id = ? AND ra.cancelled_at IS NULL ORDER BY ra.id""",
        [activity_id, cohort_id]))


def _as_assignment(row):
    """A database assignment row as an ``allocation.Assignment``."""
    return Assignment(row["presenter_id"], row["reviewer_id"], row["role"], row["offered_reason"],
                      row["completed_at"] is not None)


def _cohort_view(db, activity, cohort_id):
    """(learners, coaches, {presenter user id: submission id}, live rows) for allocation.

    Called inside the write: the cohort's row is locked first, so two allocations
    of one cohort (two servers on PostgreSQL) run one after the other, each
    reading what the other wrote.
    """
    lock_for_update(db, table="cohorts", key=cohort_id)
    learners = completions.cohort_members(db, cohort_id=cohort_id, role="learner")
    coaches = completions.cohort_members(db, cohort_id=cohort_id, role="coach")
    subs = {uid: sid for sid, uid in submissions.presenters(db, activity_id=activity["id"], cohort_id=cohort_id)}
    rows = live_assignments(db, activity_id=activity["id"], cohort_id=cohort_id)
    return learners, coaches, subs, rows


def allocate(db, *, activity, cohort_id, reason="allocated"):
    """Top every presentation of the cohort up to ``peer_reviews``; call inside the write. Returns :class:`Moves`.

    A late presenter is simply topped up; reviewers' loads stay balanced by
    moving open assignments where needed (``allocation.allocate``).
    """
    k = int(activity["options"].get("peer_reviews", 3))
    learners, coaches, subs, rows = _cohort_view(db, activity, cohort_id)
    existing = [_as_assignment(r) for r in rows]
    result = allocation.allocate(list(subs), learners, k, existing, coaches,
                                 seed=f"{activity['id']}:{cohort_id}", reason=reason)
    moves = _apply(db, result.cancelled, result.assignments, subs, rows, learners)
    target = allocation.review_target(k, len(learners), len(coaches))
    moves.concerned |= set(submissions.set_reviews_target(db, submission_ids=list(subs.values()), target=target))
    return moves


def _apply(db, cancelled, new, subs, rows, learners):
    """Cancel moved assignments and insert new ones; return the :class:`Moves`."""
    now = now_iso()
    for a in cancelled:
        row = next(r for r in rows if r["presenter_id"] == a.presenter and r["reviewer_id"] == a.reviewer)
        db.execute("UPDATE review_assignments SET cancelled_at = ? WHERE id = ?", [now, row["id"]])
    for a in new:
        db.execute(
            """INSERT INTO review_assignments (submission_id, reviewer_id, role, assigned_at, offered_reason)
               VALUES (?, ?, ?, ?, ?)""", [subs[a.presenter], a.reviewer, a.role, now, a.reason])
    touched = {a.reviewer for a in cancelled} | {a.reviewer for a in new}
    return Moves(list(new), [(subs[a.presenter], a.reviewer) for a in new], touched & set(learners))


def move_departed(db, *, activity, cohort_id):
    """Cancel the departed reviewers' open assignments and allocate again; call inside the write.

    Returns :class:`Moves` (empty when nobody left).
    """
    learners, coaches, subs, rows = _cohort_view(db, activity, cohort_id)
    members = set(learners) | set(coaches)
    gone = {r["reviewer_id"] for r in rows if r["completed_at"] is None and r["reviewer_id"] not in members}
    if not gone:
        return Moves()
    now = now_iso()
    for r in rows:
        if r["completed_at"] is None and r["reviewer_id"] in gone:
            db.execute("UPDATE review_assignments SET cancelled_at = ? WHERE id = ?", [now, r["id"]])
    return allocate(db, activity=activity, cohort_id=cohort_id, reason="reallocated")


def has_departed(db, *, activity_id, cohort_id):
    """True when a reviewer who is no longer a learner or coach of the cohort holds an open assignment (a read)."""
    return next(db.query(
        """SELECT 1 FROM review_assignments ra JOIN submissions s ON s.id = ra.submission_id
           WHERE s.activity_id = ? AND s.cohort_id = ? AND ra.cancelled_at IS NULL AND ra.completed_at IS NULL
           AND NOT EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = ra.reviewer_id AND m.cohort_id = ?
                           AND m.role IN ('learner', 'coach')) LIMIT 1""",
        [activity_id, cohort_id, cohort_id]), None) is not None


def cohort_presentation_activities(db, *, cohort_id):
    """The live presentation activities of a cohort's program, by id."""
    return [completions.get_activity(db, activity_id=r["id"]) for r in db.query(
        """SELECT a.id FROM activities a JOIN cohorts c ON c.program_id = a.program_id
           WHERE c.id = ? AND a.kind = 'presentation' AND a.retired = FALSE ORDER BY a.id""", [cohort_id])]


# --------------------------------------------------------------------------- escalation


def unescalated(db, *, activity_id, cohort_id, stage):
    """True when a presentation of the cohort short of its reviews has not been escalated to ``stage`` (a read)."""
    return next(db.query(
        """SELECT 1 FROM submissions s WHERE s.activity_id = ? AND s.cohort_id = ? AND s.kind = 'presentation'
           AND s.escalation_stage < ? LIMIT 1""", [activity_id, cohort_id, stage]), None) is not None


def escalate(db, *, activity, cohort_id, stage):
    """Run the escalation stages up to ``stage`` for presentations not yet escalated that far; call inside the write.

    Returns :class:`Moves`.
    """
    k = int(activity["options"].get("peer_reviews", 3))
    moves = Moves()
    for step in range(1, stage + 1):
        learners, coaches, subs, rows = _cohort_view(db, activity, cohort_id)
        pending = _pending(db, subs, step)
        if not pending:
            continue
        existing = [_as_assignment(r) for r in rows]
        result = allocation.escalate(list(pending), learners, k, existing, coaches, to_coach=step == 2,
                                     seed=f"{activity['id']}:{cohort_id}:{step}")
        moves.add(_apply(db, [], result.assignments, subs, rows, learners))
        for sid in pending.values():
            submissions.set_escalation_stage(db, submission_id=sid, stage=step)
    return moves


def _pending(db, subs, step):
    """Presenters whose submissions have not been escalated to ``step`` yet."""
    out = {}
    for uid, sid in subs.items():
        row = next(db.query("SELECT escalation_stage FROM submissions WHERE id = ?", [sid]))
        if row["escalation_stage"] < step:
            out[uid] = sid
    return out


def presentation_activities(db):
    """``(activity id, cohort id)`` of every live presentation activity in every live cohort of its program."""
    return [(r["activity_id"], r["cohort_id"]) for r in db.query(
        """SELECT a.id AS activity_id, c.id AS cohort_id FROM activities a
           JOIN cohorts c ON c.program_id = a.program_id
           WHERE a.kind = 'presentation' AND a.retired = FALSE AND c.retired = FALSE ORDER BY a.id, c.id""")]


# --------------------------------------------------------------------------- reviews


def assignment(db, *, submission_id, reviewer_id):
    """The reviewer's live assignment on a submission, or None."""
    return next(db.query(
        """SELECT * FROM review_assignments WHERE submission_id = ? AND reviewer_id = ?
           AND cancelled_at IS NULL""", [submission_id, reviewer_id]), None)


def get_review(db, *, submission_id, reviewer_id):
    """The reviewer's review of a submission, or None."""
    return next(db.query("SELECT * FROM reviews WHERE submission_id = ? AND reviewer_id = ?",
                         [submission_id, reviewer_id]), None)


def add_review(db, *, submission_id, reviewer_id, role, scores, comment_md, comment_html, at):
    """Insert a review; return its id, or None when this reviewer already reviewed it (unique key)."""
    cursor = db.execute(
        """INSERT INTO reviews (submission_id, reviewer_id, role, scores, comment_md, comment_html, created)
           VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (submission_id, reviewer_id) DO NOTHING""",
        [submission_id, reviewer_id, role, json.dumps(scores, sort_keys=True), comment_md, comment_html, at])
    return cursor.lastrowid if cursor.rowcount == 1 else None


def complete_assignment(db, *, submission_id, reviewer_id, role, at):
    """Mark the live assignment done, creating a coach's (volunteered) assignment when they review unasked."""
    db.execute(
        """INSERT INTO review_assignments (submission_id, reviewer_id, role, assigned_at, offered_reason,
           completed_at) VALUES (?, ?, ?, ?, 'volunteered', ?)
           ON CONFLICT (submission_id, reviewer_id) WHERE cancelled_at IS NULL
           DO UPDATE SET completed_at = excluded.completed_at""",
        [submission_id, reviewer_id, "coach" if role == "coach" else "peer", at, at])


def set_helpfulness(db, *, review_id, rating):
    """The presenter's rating of how helpful a review was (1..5); may be changed."""
    db.execute("UPDATE reviews SET helpfulness = ? WHERE id = ?", [rating, review_id])


def get_review_by_id(db, *, review_id):
    """A review row by id, or None (unscoped; the view checks the submission)."""
    return next(db.query("SELECT * FROM reviews WHERE id = ?", [review_id]), None)


def list_reviews(db, *, submission_id):
    """Every review of a submission, oldest first, with the reviewer's name."""
    return list(db.query(
        """SELECT r.*, u.name AS reviewer_name FROM reviews r JOIN users u ON u.id = r.reviewer_id
           WHERE r.submission_id = ? ORDER BY r.id""", [submission_id]))


def review_count(db, *, submission_id):
    """How many reviews a submission has received."""
    return next(db.query("SELECT COUNT(*) AS n FROM reviews WHERE submission_id = ?", [submission_id]))["n"]


def to_review_for(db, *, reviewer_id, activity_id, cohort_id):
    """The presentations the reviewer is asked to review, with whether each is done."""
    return [{"submission_id": r["submission_id"], "presenter": {"id": r["user_id"], "name": r["presenter_name"]},
             "role": r["role"], "reason": r["offered_reason"], "assigned_at": r["assigned_at"],
             "done": r["completed_at"] is not None}
            for r in db.query(
                """SELECT ra.*, s.user_id, u.name AS presenter_name FROM review_assignments ra
                   JOIN submissions s ON s.id = ra.submission_id JOIN users u ON u.id = s.user_id
                   WHERE ra.reviewer_id = ? AND s.activity_id = ? AND s.cohort_id = ?
                   AND ra.cancelled_at IS NULL ORDER BY ra.id""",
                [reviewer_id, activity_id, cohort_id])]


def open_assignments(db, *, reviewer_id):
    """Every open review assignment of a reviewer (any activity), for the progress page."""
    return list(db.query(
        """SELECT ra.submission_id, ra.role, s.activity_id, s.cohort_id, u.name AS presenter_name,
                  m.title AS module_title, m.url AS module_url
           FROM review_assignments ra JOIN submissions s ON s.id = ra.submission_id
           JOIN users u ON u.id = s.user_id JOIN activities a ON a.id = s.activity_id
           JOIN modules m ON m.id = a.module_id
           WHERE ra.reviewer_id = ? AND ra.cancelled_at IS NULL AND ra.completed_at IS NULL
           ORDER BY ra.id""", [reviewer_id]))
