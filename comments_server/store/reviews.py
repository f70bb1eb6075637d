"""Peer reviews: allocation glue, reviews, the presenter's feedback, helpfulness, escalation.

The decisions are made by the pure functions of ``allocation.py``; this module
reads the cohort (learners, coaches, presenters, live assignments) and writes
their answer back, always inside ``write_transaction`` so two presenters
submitting at once cannot both read the same loads.
"""

from __future__ import annotations

import datetime as dt
import json

from comments_server.domain import allocation, timeutil, xapi
from comments_server.domain.allocation import Assignment
from comments_server.domain.completion import StepError, cohort_due_date
from comments_server.domain.render import render
from comments_server.domain.timeutil import now_iso
from comments_server.notify.events import review_added, reviews_allocated
from comments_server.store import completions, submissions
from comments_server.store.db import write_transaction

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
    """(learners, coaches, {presenter user id: submission id}, live rows) for allocation."""
    learners = completions.cohort_members(db, cohort_id=cohort_id, role="learner")
    coaches = completions.cohort_members(db, cohort_id=cohort_id, role="coach")
    subs = {uid: sid for sid, uid in submissions.presenters(db, activity_id=activity["id"], cohort_id=cohort_id)}
    rows = live_assignments(db, activity_id=activity["id"], cohort_id=cohort_id)
    return learners, coaches, subs, rows


def allocate(db, *, activity, cohort_id, reason="allocated"):
    """Top every presentation of the cohort up to ``peer_reviews``; call inside the write.

    A late presenter is simply topped up; reviewers' loads stay balanced by
    moving open assignments where needed (``allocation.allocate``).
    """
    k = int(activity["options"].get("peer_reviews", 3))
    learners, coaches, subs, rows = _cohort_view(db, activity, cohort_id)
    existing = [_as_assignment(r) for r in rows]
    result = allocation.allocate(list(subs), learners, k, existing, coaches,
                                 seed=f"{activity['id']}:{cohort_id}", reason=reason)
    _apply(db, result.cancelled, result.assignments, subs, rows)
    target = allocation.review_target(k, len(learners), len(coaches))
    for sid in subs.values():
        submissions.set_reviews_target(db, submission_id=sid, target=target)
    return result


def _apply(db, cancelled, new, subs, rows):
    """Cancel moved assignments and insert new ones."""
    now = now_iso()
    for a in cancelled:
        row = next(r for r in rows if r["presenter_id"] == a.presenter and r["reviewer_id"] == a.reviewer)
        db.execute("UPDATE review_assignments SET cancelled_at = ? WHERE id = ?", [now, row["id"]])
    for a in new:
        db.execute(
            """INSERT INTO review_assignments (submission_id, reviewer_id, role, assigned_at, offered_reason)
               VALUES (?, ?, ?, ?, ?)""", [subs[a.presenter], a.reviewer, a.role, now, a.reason])
    reviews_allocated(db, pairs=[(subs[a.presenter], a.reviewer) for a in new])  # issue 7


def reallocate_departed(db, *, activity, cohort_id):
    """Move open assignments of reviewers who are no longer learners (or coaches) of the cohort.

    Also runs before presentation reads; returns the number of assignments moved.
    """
    with write_transaction(db):
        return move_departed(db, activity=activity, cohort_id=cohort_id)


def move_departed(db, *, activity, cohort_id):
    """Cancel the departed reviewers' open assignments and allocate again; call inside the write."""
    learners, coaches, subs, rows = _cohort_view(db, activity, cohort_id)
    members = set(learners) | set(coaches)
    gone = {r["reviewer_id"] for r in rows if r["completed_at"] is None and r["reviewer_id"] not in members}
    if not gone:
        return 0
    now = now_iso()
    for r in rows:
        if r["completed_at"] is None and r["reviewer_id"] in gone:
            db.execute("UPDATE review_assignments SET cancelled_at = ? WHERE id = ?", [now, r["id"]])
    result = allocate(db, activity=activity, cohort_id=cohort_id, reason="reallocated")
    return len(result.assignments)


def reallocate_cohort(db, *, cohort_id):
    """Move departed reviewers' open assignments on every presentation of a cohort; call inside the write.

    Called when someone stops being a learner or coach of the cohort (roster
    import, ``users.set_membership``, ``users.remove_membership``), so the
    presenters they owed a review do not wait for the next presentation read.
    """
    ids = [r["id"] for r in db.query(
        """SELECT a.id FROM activities a JOIN cohorts c ON c.program_id = a.program_id
           WHERE c.id = ? AND a.kind = 'presentation' AND a.retired = 0 ORDER BY a.id""", [cohort_id])]
    return sum(move_departed(db, activity=completions.get_activity(db, activity_id=aid), cohort_id=cohort_id)
               for aid in ids)


# --------------------------------------------------------------------------- escalation


def escalate_due(db, *, activity, cohort_id, today=None, days=3):
    """Offer presentations still short of reviews ``days`` after the due date to more reviewers.

    ``days`` after the due date: to more peers; ``2 * days`` after: to the
    cohort's coaches. Idempotent per stage (``submissions.escalation_stage``).
    Returns the new assignments. Called lazily on reads; callable from a CLI.
    """
    cohort = completions.get_cohort(db, cohort_id=cohort_id)
    due = cohort_due_date(cohort, {"id": activity["module_id"], "due_days": activity.get("due_days")})
    today = today or timeutil.today()
    if due is None or today < due + dt.timedelta(days=days):
        return []
    stage = 2 if today >= due + dt.timedelta(days=2 * days) else 1
    with write_transaction(db):
        return _escalate(db, activity, cohort_id, stage)


def _escalate(db, activity, cohort_id, stage):
    """Run the escalation stages up to ``stage`` for presentations not yet escalated that far."""
    k = int(activity["options"].get("peer_reviews", 3))
    added = []
    for step in range(1, stage + 1):
        learners, coaches, subs, rows = _cohort_view(db, activity, cohort_id)
        pending = _pending(db, subs, step)
        if not pending:
            continue
        existing = [_as_assignment(r) for r in rows]
        result = allocation.escalate(list(pending), learners, k, existing, coaches, to_coach=step == 2,
                                     seed=f"{activity['id']}:{cohort_id}:{step}")
        _apply(db, [], result.assignments, subs, rows)
        added += result.assignments
        for sid in pending.values():
            submissions.set_escalation_stage(db, submission_id=sid, stage=step)
    return added


def _pending(db, subs, step):
    """Presenters whose submissions have not been escalated to ``step`` yet."""
    out = {}
    for uid, sid in subs.items():
        row = next(db.query("SELECT escalation_stage FROM submissions WHERE id = ?", [sid]))
        if row["escalation_stage"] < step:
            out[uid] = sid
    return out


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


def add_review(db, *, sub, activity, reviewer, role, scores, comment_md):
    """Record a review, complete the assignment (a coach's own review creates one) and recompute.

    Raises ``completion.StepError`` when this reviewer has already reviewed it.
    """
    with write_transaction(db):
        if get_review(db, submission_id=sub["id"], reviewer_id=reviewer["id"]):
            raise StepError("You have already reviewed this presentation.")
        now = now_iso()
        db.execute(
            """INSERT INTO reviews (submission_id, reviewer_id, role, scores, comment_md, comment_html, created)
               VALUES (?, ?, ?, ?, ?, ?, ?)""",
            [sub["id"], reviewer["id"], role, json.dumps(scores, sort_keys=True), comment_md,
             render(comment_md), now])
        _complete_assignment(db, sub["id"], reviewer["id"], role, now)
        review_added(db, sub=sub, activity=activity, reviewer=reviewer,
                     named=bool(activity["options"].get("reviewers_named")))  # issue 7
        mean = sum(scores.values()) / len(scores)
        completions.add_statement(db, user=reviewer, verb="reviewed", activity=activity,
                                  cohort_id=sub["cohort_id"],
                                  result=xapi.result(score=(round(mean, 2), 1, 5), response=comment_md[:1000]))
        for uid in {sub["user_id"], reviewer["id"]}:
            completions.recompute(db, user_id=uid, cohort_id=sub["cohort_id"], module_id=activity["module_id"])
    return get_review(db, submission_id=sub["id"], reviewer_id=reviewer["id"])


def _complete_assignment(db, submission_id, reviewer_id, role, now):
    """Mark the live assignment done, creating a coach's assignment when they review unasked."""
    found = assignment(db, submission_id=submission_id, reviewer_id=reviewer_id)
    if found is None:
        db.execute(
            """INSERT INTO review_assignments (submission_id, reviewer_id, role, assigned_at, offered_reason,
               completed_at) VALUES (?, ?, ?, ?, 'volunteered', ?)""",
            [submission_id, reviewer_id, "coach" if role == "coach" else "peer", now, now])
    else:
        db.execute("UPDATE review_assignments SET completed_at = ? WHERE id = ?", [now, found["id"]])


def rate_helpfulness(db, *, review, sub, activity, presenter, rating):
    """The presenter rates how helpful a review was (1..5); may be changed."""
    with write_transaction(db):
        db.execute("UPDATE reviews SET helpfulness = ? WHERE id = ?", [rating, review["id"]])
        completions.add_statement(db, user=presenter, verb="rated", activity=activity,
                                  cohort_id=sub["cohort_id"], result=xapi.result(score=(rating, 1, 5)))
    return next(db.query("SELECT * FROM reviews WHERE id = ?", [review["id"]]))


def get_review_by_id(db, *, review_id):
    """A review row by id, or None (unscoped; the view checks the submission)."""
    return next(db.query("SELECT * FROM reviews WHERE id = ?", [review_id]), None)


def feedback_for_presenter(db, *, sub, rubric, named):
    """All reviews of a submission together, with averages per criterion.

    Reviewer names are shown only when the module says ``reviewers_named``;
    a coach is always shown as "Coach" (by name when named).
    """
    rows = list(db.query(
        """SELECT r.*, u.name AS reviewer_name FROM reviews r JOIN users u ON u.id = r.reviewer_id
           WHERE r.submission_id = ? ORDER BY r.id""", [sub["id"]]))
    reviews = [_review_json(r, i, named) for i, r in enumerate(rows, 1)]
    averages = {}
    for criterion in rubric:
        values = [r["scores"][criterion] for r in reviews if criterion in r["scores"]]
        averages[criterion] = round(sum(values) / len(values), 2) if values else None
    return {"reviews": reviews, "averages": averages, "count": len(reviews),
            "target": sub["reviews_target"]}


def _review_json(row, number, named):
    """One review as the presenter sees it."""
    label = row["reviewer_name"] if named else ("Coach" if row["role"] == "coach" else f"Peer {number}")
    return {"id": row["id"], "reviewer": label, "role": row["role"], "scores": json.loads(row["scores"]),
            "comment_html": row["comment_html"], "helpfulness": row["helpfulness"], "created": row["created"]}


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


def review_json(row):
    """A review as its reviewer sees it."""
    return {"id": row["id"], "submission_id": row["submission_id"], "role": row["role"],
            "scores": json.loads(row["scores"]), "comment_html": row["comment_html"],
            "helpfulness": row["helpfulness"], "created": row["created"]}


def escalate_all(db, *, today=None, days=3):
    """Run :func:`escalate_due` for every live presentation activity in every cohort of its program.

    For a scheduled job or a CLI command (``roundtable`` is the core's; one line
    there can call this). Returns ``{(activity id, cohort id): new assignments}``.
    """
    done = {}
    for row in db.query(
            """SELECT a.id AS activity_id, c.id AS cohort_id FROM activities a
               JOIN cohorts c ON c.program_id = a.program_id
               WHERE a.kind = 'presentation' AND a.retired = 0 AND c.retired = 0 ORDER BY a.id, c.id"""):
        activity = completions.get_activity(db, activity_id=row["activity_id"])
        added = escalate_due(db, activity=activity, cohort_id=row["cohort_id"], today=today, days=days)
        if added:
            done[(row["activity_id"], row["cohort_id"])] = added
    return done
