"""Submissions: planning exercises (plan -> encounter -> debrief -> feedback) and presentations. SQL only.

Who may see a submission is decided in ``access/activities.py``; the steps,
their notifications, xAPI statements and completion recompute are the
actions' and their follow-ups' (``actions/activities.py``, ``actions/followups.py``).

Correctness without the global write lock: a learner has one submission per
activity and cohort (``UNIQUE (activity_id, user_id, cohort_id)``, inserts
``ON CONFLICT DO NOTHING``), and a plan moves one step only from the stage it
was read at (``UPDATE ... WHERE stage = ?``, checked by rowcount).
"""

from __future__ import annotations

SELECT = """
SELECT s.*, u.name AS owner_name, u.email AS owner_email, u.manager_id AS owner_manager_id,
       COALESCE(json_extract(a.options, '$.feedback_from'), 'manager') AS feedback_from
FROM submissions s JOIN users u ON u.id = s.user_id JOIN activities a ON a.id = s.activity_id
"""


def get(db, *, submission_id):
    """Return a submission by id with its owner's name and manager, or None (unscoped)."""
    return next(db.query(f"{SELECT} WHERE s.id = ?", [submission_id]), None)


def find(db, *, activity_id, user_id, cohort_id):
    """Return the learner's submission for an activity in a cohort, or None."""
    return next(db.query(f"{SELECT} WHERE s.activity_id = ? AND s.user_id = ? AND s.cohort_id = ?",
                         [activity_id, user_id, cohort_id]), None)


def is_reviewer(db, *, submission_id, user_id):
    """True when the user has a live review assignment on the submission."""
    return next(db.query(
        """SELECT 1 FROM review_assignments WHERE submission_id = ? AND reviewer_id = ?
           AND cancelled_at IS NULL""", [submission_id, user_id]), None) is not None


# --------------------------------------------------------------------------- plans


def insert_plan(db, *, activity_id, user_id, cohort_id, stage, body_md, body_html, at):
    """Insert the learner's plan draft; return its id, or None when they already have one (unique key)."""
    cursor = db.execute(
        """INSERT INTO submissions (activity_id, user_id, cohort_id, kind, stage, body_md, body_html,
           created, updated) VALUES (?, ?, ?, 'plan', ?, ?, ?, ?, ?)
           ON CONFLICT (activity_id, user_id, cohort_id) DO NOTHING""",
        [activity_id, user_id, cohort_id, stage, body_md, body_html, at, at])
    return cursor.lastrowid if cursor.rowcount == 1 else None


def update_body(db, *, submission_id, stage, body_md, body_html, at):
    """Edit the plan's text while it is still at ``stage``; False when it moved on meanwhile."""
    cursor = db.execute("UPDATE submissions SET body_md = ?, body_html = ?, updated = ? WHERE id = ? AND stage = ?",
                        [body_md, body_html, at, submission_id, stage])
    return cursor.rowcount == 1


def move_stage(db, *, submission_id, before, after, fields=None, at):
    """Move a plan from stage ``before`` to ``after`` setting ``fields`` too; False when it is no longer at ``before``.

    ``fields`` are extra submission columns (names chosen by the caller, never by a request).
    """
    values = {"stage": after, "updated": at, **(fields or {})}
    sets = ", ".join(f"{k} = ?" for k in values)
    cursor = db.execute(f"UPDATE submissions SET {sets} WHERE id = ? AND stage = ?",
                        [*values.values(), submission_id, before])
    return cursor.rowcount == 1


def add_step(db, *, submission_id, action, stage, actor_id, at):
    """Append one step to the submission's history."""
    db.execute("INSERT INTO submission_steps (submission_id, action, stage, actor_id, at) VALUES (?, ?, ?, ?, ?)",
               [submission_id, action, stage, actor_id, at])


def add_feedback(db, *, submission_id, giver_id, role, kind, comment_md, comment_html, at, rating=None,
                 scale=None):
    """Insert one feedback, revision request or comment; return its id."""
    cursor = db.execute(
        """INSERT INTO feedback (submission_id, giver_id, role, kind, rating, scale, comment_md,
           comment_html, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [submission_id, giver_id, role, kind, rating, scale, comment_md, comment_html, at])
    return cursor.lastrowid


def list_feedback(db, *, submission_id):
    """Feedback, revision requests and comments on a submission, oldest first, with names."""
    return list(db.query(
        """SELECT f.id, f.kind, f.role, f.rating, f.scale, f.comment_html, f.created,
                  u.id AS giver_id, u.name AS giver_name
           FROM feedback f JOIN users u ON u.id = f.giver_id WHERE f.submission_id = ? ORDER BY f.id""",
        [submission_id]))


def list_steps(db, *, submission_id):
    """The submission's step history, oldest first."""
    return list(db.query(
        "SELECT action, stage, at FROM submission_steps WHERE submission_id = ? ORDER BY id",
        [submission_id]))


def waiting_plans(db, *, viewer):
    """Plans waiting for the viewer: submitted plans and debriefs of reports (or of coached cohorts).

    For a manager: their direct reports' plans in modules whose ``feedback_from`` is
    manager; for a coach: plans in their cohorts whose ``feedback_from`` is coach.
    """
    coached = [m["cohort_id"] for m in viewer["memberships"] if m["role"] == "coach"]
    marks = ",".join("?" for _ in coached) or "NULL"
    columns = """SELECT s.*, u.name AS owner_name, a.module_id, m.title AS module_title, m.url AS module_url
            FROM submissions s JOIN users u ON u.id = s.user_id
            JOIN activities a ON a.id = s.activity_id JOIN modules m ON m.id = a.module_id
            WHERE s.kind = 'plan' AND s.stage IN ('submitted', 'encounter_set', 'debrief_submitted')"""
    # two parts, each through an index (reports by manager, then their plans; the coached cohorts' plans):
    # one WHERE with OR read every submission
    rows = db.query(
        f"""SELECT * FROM (
              {columns} AND u.manager_id = ? AND json_extract(a.options, '$.feedback_from') IS DISTINCT FROM 'coach'
              UNION ALL
              {columns} AND s.cohort_id IN ({marks}) AND json_extract(a.options, '$.feedback_from') = 'coach'
            ) AS waiting ORDER BY stage = 'debrief_submitted' DESC, updated""",
        [viewer["id"], *coached])
    return list(rows)


# --------------------------------------------------------------------------- presentations


def insert_presentation(db, *, activity_id, user_id, cohort_id, at, attachment=None, link=None):
    """Insert the learner's presentation; return its id, or None when they already submitted one (unique key).

    ``attachment`` is ``{path, name, type, size}`` of a file already stored.
    """
    att = attachment or {}
    cursor = db.execute(
        """INSERT INTO submissions (activity_id, user_id, cohort_id, kind, stage, attachment_path,
           attachment_name, attachment_type, attachment_size, link, created, updated, submitted_at)
           VALUES (?, ?, ?, 'presentation', 'submitted', ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (activity_id, user_id, cohort_id) DO NOTHING""",
        [activity_id, user_id, cohort_id, att.get("path"), att.get("name"), att.get("type"),
         att.get("size"), link, at, at, at])
    return cursor.lastrowid if cursor.rowcount == 1 else None


def presenters(db, *, activity_id, cohort_id):
    """``(submission id, user id)`` of every presentation submitted in a cohort."""
    return [(r["id"], r["user_id"]) for r in db.query(
        """SELECT id, user_id FROM submissions WHERE activity_id = ? AND cohort_id = ?
           AND kind = 'presentation' ORDER BY submitted_at, id""", [activity_id, cohort_id])]


def set_reviews_target(db, *, submission_ids, target):
    """Record how many reviews the presenters can expect (what the cohort allows); return the owners it changed."""
    marks = ",".join("?" for _ in submission_ids) or "NULL"
    changed = [r["user_id"] for r in db.query(
        f"SELECT user_id FROM submissions WHERE id IN ({marks}) AND reviews_target != ?", [*submission_ids, target])]
    if changed:
        db.execute(f"UPDATE submissions SET reviews_target = ? WHERE id IN ({marks}) AND reviews_target != ?",
                   [target, *submission_ids, target])
    return changed


def set_escalation_stage(db, *, submission_id, stage):
    """Record how far a short presentation has been escalated (1: more peers, 2: coach)."""
    db.execute("UPDATE submissions SET escalation_stage = ? WHERE id = ?", [stage, submission_id])


def cohort_plans(db, *, activity_id, cohort_id):
    """Every submitted (non-draft) plan of an activity in a cohort, for its coaches."""
    return list(db.query(f"""{SELECT} WHERE s.activity_id = ? AND s.cohort_id = ? AND s.kind = 'plan'
                             AND s.stage != 'draft' ORDER BY u.name, s.id""", [activity_id, cohort_id]))
