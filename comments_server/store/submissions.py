"""Submissions: planning exercises (plan -> encounter -> debrief -> feedback) and presentations.

Who may see a submission (anything else answers None, which views turn into 404):

* the learner who owns it;
* admins and coaches of its cohort;
* for a plan: the owner's manager (``users.manager_id``);
* for a presentation: its allocated reviewers (assignments not cancelled).

Every step runs in ``write_transaction`` (BEGIN IMMEDIATE), re-reads the stage
inside it, appends a step row and an xAPI statement, and recomputes the
owner's completions, so a step is all-or-nothing.
"""

from __future__ import annotations

from comments_server import access
from comments_server.domain import xapi
from comments_server.domain.completion import StepError, plan_transition
from comments_server.domain.render import render
from comments_server.domain.timeutil import now_iso
from comments_server.notify.events import feedback_given
from comments_server.notify.events import plan_step as notify_plan_step
from comments_server.store import completions
from comments_server.store.db import write_transaction

SELECT = """
SELECT s.*, u.name AS owner_name, u.email AS owner_email, u.manager_id AS owner_manager_id
FROM submissions s JOIN users u ON u.id = s.user_id
"""


def get(db, *, submission_id):
    """Return a submission by id with its owner's name and manager, or None (unscoped)."""
    return next(db.query(f"{SELECT} WHERE s.id = ?", [submission_id]), None)


def find(db, *, activity_id, user_id, cohort_id):
    """Return the learner's submission for an activity in a cohort, or None."""
    return next(db.query(f"{SELECT} WHERE s.activity_id = ? AND s.user_id = ? AND s.cohort_id = ?",
                         [activity_id, user_id, cohort_id]), None)


def relation(db, sub, viewer):
    """How the viewer relates to a submission: owner, manager, coach, reviewer, admin, or None."""
    if viewer is None:
        return None
    if sub["user_id"] == viewer["id"]:
        return "owner"
    if access.role_in(viewer, sub["cohort_id"]) == "coach":
        return "coach"
    if sub["kind"] == "plan" and sub["owner_manager_id"] == viewer["id"]:
        return "manager"
    if sub["kind"] == "presentation" and _is_reviewer(db, sub["id"], viewer["id"]):
        return "reviewer"
    if viewer["admin"]:
        return "admin"
    return None


def _is_reviewer(db, submission_id, user_id):
    """True when the user has a live review assignment on the submission."""
    return next(db.query(
        """SELECT 1 FROM review_assignments WHERE submission_id = ? AND reviewer_id = ?
           AND cancelled_at IS NULL""", [submission_id, user_id]), None) is not None


def get_visible(db, *, submission_id, viewer, kind=None):
    """Return ``(submission, relation)`` if the viewer may see it, else None."""
    sub = get(db, submission_id=submission_id)
    if sub is None or (kind and sub["kind"] != kind):
        return None
    rel = relation(db, sub, viewer)
    return (sub, rel) if rel else None


# --------------------------------------------------------------------------- plans


def may_give_feedback(sub, activity, viewer, rel):
    """True when the viewer is the feedback giver the module names (manager or coach), or admin."""
    wanted = activity["options"].get("feedback_from", "manager")
    return rel == "admin" or rel == wanted


def save_plan(db, *, user, activity, cohort_id, body_md):
    """Create or edit the learner's plan draft (or the plan sent back for revision)."""
    with write_transaction(db):
        sub = find(db, activity_id=activity["id"], user_id=user["id"], cohort_id=cohort_id)
        stage = plan_transition(sub["stage"] if sub else None, "save")
        now = now_iso()
        if sub is None:
            db.execute(
                """INSERT INTO submissions (activity_id, user_id, cohort_id, kind, stage, body_md, body_html,
                   created, updated) VALUES (?, ?, ?, 'plan', ?, ?, ?, ?, ?)""",
                [activity["id"], user["id"], cohort_id, stage, body_md, render(body_md), now, now])
            sub_id = db.execute("SELECT last_insert_rowid()").fetchone()[0]
            _step(db, sub_id, "save", stage, user)
            completions.add_statement(db, user=user, verb="progressed", activity=activity, cohort_id=cohort_id)
        else:
            sub_id = sub["id"]
            db.execute("UPDATE submissions SET body_md = ?, body_html = ?, updated = ? WHERE id = ?",
                       [body_md, render(body_md), now, sub_id])
        completions.recompute(db, user_id=user["id"], cohort_id=cohort_id, module_id=activity["module_id"])
    return get(db, submission_id=sub_id)


def plan_step(db, *, sub, activity, action, actor, fields=None, verb=None, result=None):
    """Move a plan one step on (``completion.PLAN_TRANSITIONS``); StepError if out of order.

    ``fields`` are extra submission columns to set in the same write.
    """
    with write_transaction(db):
        current = get(db, submission_id=sub["id"])
        stage = plan_transition(current["stage"], action)
        values = {"stage": stage, "updated": now_iso(), **(fields or {})}
        sets = ", ".join(f"{k} = ?" for k in values)
        db.execute(f"UPDATE submissions SET {sets} WHERE id = ?", [*values.values(), sub["id"]])
        _step(db, sub["id"], action, stage, actor)
        notify_plan_step(db, sub=current, activity=activity, action=action, actor=actor)  # issue 7
        if verb:
            completions.add_statement(db, user=actor, verb=verb, activity=activity,
                                      cohort_id=sub["cohort_id"], result=result)
        completions.recompute(db, user_id=sub["user_id"], cohort_id=sub["cohort_id"],
                              module_id=activity["module_id"])
    return get(db, submission_id=sub["id"])


def submit_plan(db, *, sub, activity, actor, encounter_at=None):
    """Submit the draft (optionally with the encounter time already set)."""
    fields = {"submitted_at": now_iso()}
    sub = plan_step(db, sub=sub, activity=activity, action="submit", actor=actor, fields=fields,
                    verb="submitted")
    if encounter_at:
        sub = set_encounter(db, sub=sub, activity=activity, actor=actor, encounter_at=encounter_at)
    return sub


def set_encounter(db, *, sub, activity, actor, encounter_at):
    """Set (or move) when the planned encounter happens."""
    return plan_step(db, sub=sub, activity=activity, action="set_encounter", actor=actor,
                     fields={"encounter_at": encounter_at}, verb="scheduled")


def submit_debrief(db, *, sub, activity, actor, body_md):
    """Submit the debrief of how the encounter went against the plan."""
    fields = {"debrief_md": body_md, "debrief_html": render(body_md), "debrief_at": now_iso()}
    return plan_step(db, sub=sub, activity=activity, action="debrief", actor=actor, fields=fields,
                     verb="submitted", result=xapi.result(response=body_md[:1000]))


def give_feedback(db, *, sub, activity, giver, role, rating, comment_md):
    """The feedback giver rates the debrief and comments; the plan activity completes."""
    scale = int(activity["options"].get("rating_scale", 5))
    with write_transaction(db):
        current = get(db, submission_id=sub["id"])
        stage = plan_transition(current["stage"], "feedback")
        _feedback_row(db, sub["id"], giver, role, "feedback", comment_md, rating, scale)
        db.execute("UPDATE submissions SET stage = ?, updated = ? WHERE id = ?", [stage, now_iso(), sub["id"]])
        _step(db, sub["id"], "feedback", stage, giver)
        owner = {"id": sub["user_id"], "name": sub["owner_name"], "email": sub["owner_email"]}
        completions.add_statement(db, user=owner, verb="scored", activity=activity, cohort_id=sub["cohort_id"],
                                  result=xapi.result(score=(rating, 1, scale), completion=True),
                                  instructor=giver)
        completions.recompute(db, user_id=sub["user_id"], cohort_id=sub["cohort_id"],
                              module_id=activity["module_id"])
    return get(db, submission_id=sub["id"])


def request_revision(db, *, sub, activity, giver, role, comment_md):
    """The feedback giver sends the plan back before the encounter, saying why."""
    with write_transaction(db):
        current = get(db, submission_id=sub["id"])
        stage = plan_transition(current["stage"], "request_revision")
        _feedback_row(db, sub["id"], giver, role, "revision_request", comment_md)
        db.execute("UPDATE submissions SET stage = ?, updated = ? WHERE id = ?", [stage, now_iso(), sub["id"]])
        _step(db, sub["id"], "request_revision", stage, giver)
        completions.recompute(db, user_id=sub["user_id"], cohort_id=sub["cohort_id"],
                              module_id=activity["module_id"])
    return get(db, submission_id=sub["id"])


def add_comment(db, *, sub, giver, role, comment_md):
    """A coach (or the feedback giver) comments on a submitted plan or debrief."""
    if sub["stage"] == "draft":
        raise StepError("A draft is private to the learner until it is submitted.")
    with write_transaction(db):
        _feedback_row(db, sub["id"], giver, role, "comment", comment_md)
    return get(db, submission_id=sub["id"])


def _feedback_row(db, submission_id, giver, role, kind, comment_md, rating=None, scale=None):
    """Insert one feedback, revision request or comment (and tell the learner, issue 7)."""
    sub = get(db, submission_id=submission_id)
    feedback_given(db, sub=sub, activity=completions.get_activity(db, activity_id=sub["activity_id"]), giver=giver,
                   kind=kind, comment_md=comment_md)
    db.execute(
        """INSERT INTO feedback (submission_id, giver_id, role, kind, rating, scale, comment_md,
           comment_html, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [submission_id, giver["id"], role, kind, rating, scale, comment_md, render(comment_md), now_iso()])


def _step(db, submission_id, action, stage, actor):
    """Append one step to the submission's history."""
    db.execute("INSERT INTO submission_steps (submission_id, action, stage, actor_id, at) VALUES (?, ?, ?, ?, ?)",
               [submission_id, action, stage, actor["id"], now_iso()])


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


def plan_json(db, sub, rel):
    """The plan as the API returns it; the draft body only to its owner."""
    draft_hidden = sub["stage"] == "draft" and rel != "owner"
    return {
        "id": sub["id"], "activity_id": sub["activity_id"], "cohort_id": sub["cohort_id"],
        "owner": {"id": sub["user_id"], "name": sub["owner_name"]},
        "stage": sub["stage"],
        "body": sub["body_md"] if rel == "owner" else None,
        "body_html": "" if draft_hidden else sub["body_html"],
        "encounter_at": sub["encounter_at"], "submitted_at": sub["submitted_at"],
        "debrief": sub["debrief_md"] if rel == "owner" else None,
        "debrief_html": sub["debrief_html"], "debrief_at": sub["debrief_at"],
        "created": sub["created"], "updated": sub["updated"],
        "feedback": list_feedback(db, submission_id=sub["id"]),
        "steps": list_steps(db, submission_id=sub["id"]),
        "viewer_relation": rel,
    }


def waiting_plans(db, *, viewer):
    """Plans waiting for the viewer: submitted plans and debriefs of reports (or of coached cohorts).

    For a manager: their direct reports' plans in modules whose ``feedback_from`` is
    manager; for a coach: plans in their cohorts whose ``feedback_from`` is coach.
    """
    coached = [m["cohort_id"] for m in viewer["memberships"] if m["role"] == "coach"]
    marks = ",".join("?" for _ in coached) or "NULL"
    rows = db.query(
        f"""SELECT s.*, u.name AS owner_name, a.module_id, m.title AS module_title, m.url AS module_url
            FROM submissions s JOIN users u ON u.id = s.user_id
            JOIN activities a ON a.id = s.activity_id JOIN modules m ON m.id = a.module_id
            WHERE s.kind = 'plan' AND s.stage IN ('submitted', 'encounter_set', 'debrief_submitted')
            AND ((u.manager_id = ? AND json_extract(a.options, '$.feedback_from') IS NOT 'coach')
              OR (s.cohort_id IN ({marks}) AND json_extract(a.options, '$.feedback_from') = 'coach'))
            ORDER BY s.stage = 'debrief_submitted' DESC, s.updated""",
        [viewer["id"], *coached])
    return [{"id": r["id"], "activity_id": r["activity_id"], "cohort_id": r["cohort_id"],
             "owner": {"id": r["user_id"], "name": r["owner_name"]}, "stage": r["stage"],
             "module": {"id": r["module_id"], "title": r["module_title"], "url": r["module_url"]},
             "needs": "feedback" if r["stage"] == "debrief_submitted" else "review the plan",
             "updated": r["updated"]} for r in rows]


# --------------------------------------------------------------------------- presentations


def insert_presentation(db, *, user, activity, cohort_id, attachment=None, link=None):
    """Insert the learner's presentation; call inside the caller's write transaction.

    ``attachment`` is ``{path, name, type, size}`` of a file already stored.
    Raises StepError when the learner has already submitted one.
    """
    if find(db, activity_id=activity["id"], user_id=user["id"], cohort_id=cohort_id):
        raise StepError("You have already submitted a presentation for this activity.")
    now = now_iso()
    att = attachment or {}
    db.execute(
        """INSERT INTO submissions (activity_id, user_id, cohort_id, kind, stage, attachment_path,
           attachment_name, attachment_type, attachment_size, link, created, updated, submitted_at)
           VALUES (?, ?, ?, 'presentation', 'submitted', ?, ?, ?, ?, ?, ?, ?, ?)""",
        [activity["id"], user["id"], cohort_id, att.get("path"), att.get("name"), att.get("type"),
         att.get("size"), link, now, now, now])
    completions.add_statement(db, user=user, verb="submitted", activity=activity, cohort_id=cohort_id)
    return find(db, activity_id=activity["id"], user_id=user["id"], cohort_id=cohort_id)


def presenters(db, *, activity_id, cohort_id):
    """``(submission id, user id)`` of every presentation submitted in a cohort."""
    return [(r["id"], r["user_id"]) for r in db.query(
        """SELECT id, user_id FROM submissions WHERE activity_id = ? AND cohort_id = ?
           AND kind = 'presentation' ORDER BY submitted_at, id""", [activity_id, cohort_id])]


def set_reviews_target(db, *, submission_id, target):
    """Record how many reviews the presenter can expect (what the cohort allows)."""
    db.execute("UPDATE submissions SET reviews_target = ? WHERE id = ?", [target, submission_id])


def set_escalation_stage(db, *, submission_id, stage):
    """Record how far a short presentation has been escalated (1: more peers, 2: coach)."""
    db.execute("UPDATE submissions SET escalation_stage = ? WHERE id = ?", [stage, submission_id])


def presentation_json(sub, rel):
    """The presentation as the API returns it (file served separately)."""
    return {
        "id": sub["id"], "activity_id": sub["activity_id"], "cohort_id": sub["cohort_id"],
        "owner": {"id": sub["user_id"], "name": sub["owner_name"]},
        "stage": sub["stage"], "submitted_at": sub["submitted_at"], "link": sub["link"],
        "file": ({"name": sub["attachment_name"], "type": sub["attachment_type"],
                  "size": sub["attachment_size"], "url": f"/api/presentations/{sub['id']}/file"}
                 if sub["attachment_path"] else None),
        "reviews_target": sub["reviews_target"], "viewer_relation": rel,
    }


def cohort_plans(db, *, activity_id, cohort_id):
    """Every submitted (non-draft) plan of an activity in a cohort, for its coaches."""
    return [{"id": r["id"], "activity_id": r["activity_id"], "cohort_id": r["cohort_id"],
             "owner": {"id": r["user_id"], "name": r["owner_name"]}, "stage": r["stage"],
             "needs": "feedback" if r["stage"] == "debrief_submitted" else "comment", "updated": r["updated"]}
            for r in db.query(f"""{SELECT} WHERE s.activity_id = ? AND s.cohort_id = ? AND s.kind = 'plan'
                                  AND s.stage != 'draft' ORDER BY u.name, s.id""", [activity_id, cohort_id])]
