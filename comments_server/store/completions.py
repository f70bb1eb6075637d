"""Completion records, reads, reflections, learner events (xAPI) and progress: SQL only.

Completions are derived: :func:`recompute` gathers a learner's records for a
module, applies ``completion.module_progress`` and rewrites that learner's
``completions`` rows for the module. It is a follow-up of the events that
change a learner's records (``actions/followups.py``), run inside the
action's write transaction, so progress reads never write.
"""

from __future__ import annotations

import json

from comments_server.domain import timeutil, xapi
from comments_server.domain.completion import (
    OVERDUE,
    PresentationRecord,
    Records,
    learner_due_date,
    module_progress,
)
from comments_server.domain.timeutil import now_iso
from comments_server.store.users import joined_on

# --------------------------------------------------------------------------- catalog helpers


def get_activity(db, *, activity_id):
    """Return a live activity with options decoded and its module's fields, or None."""
    row = next(db.query(
        """SELECT a.id, a.kind, a.key, a.prompt, a.options, a.program_id, a.ord, a.retired,
                  m.id AS module_id, m.title AS module_title, m.url AS module_url,
                  m.due_days, m.completion
           FROM activities a JOIN modules m ON m.id = a.module_id WHERE a.id = ?""",
        [activity_id]), None)
    if row is None:
        return None
    row["options"] = json.loads(row["options"] or "{}")
    return row


def get_module(db, *, module_id):
    """Return a module with its live activities (in order) and its completion rule."""
    module = next(db.query("SELECT * FROM modules WHERE id = ?", [module_id]), None)
    if module is None:
        return None
    module["completion"] = json.loads(module["completion"] or '"all"')
    module["activities"] = [
        {**a, "order": a["ord"], "options": json.loads(a["options"] or "{}")}
        for a in db.query("SELECT * FROM activities WHERE module_id = ? AND retired = FALSE ORDER BY ord",
                          [module_id])
    ]
    return module


def cohort_members(db, *, cohort_id, role):
    """User ids with ``role`` in a cohort, in id order."""
    return [r["user_id"] for r in db.query(
        "SELECT user_id FROM memberships WHERE cohort_id = ? AND role = ? ORDER BY user_id",
        [cohort_id, role])]


def get_cohort(db, *, cohort_id):
    """Return a cohort row, or None."""
    return next(db.query("SELECT * FROM cohorts WHERE id = ?", [cohort_id]), None)


# --------------------------------------------------------------------------- events


def add_statement(db, *, xapi_base, user, verb, activity, cohort_id, result=None, instructor=None):
    """Append one xAPI statement for ``user`` acting on ``activity`` (IRIs under ``xapi_base``); call inside the write."""
    st = xapi.statement(xapi_base, user=user, verb_name=verb, activity_id=activity["id"],
                        kind=activity["kind"], cohort_id=cohort_id, program_id=activity["program_id"],
                        module_id=activity["module_id"], title=activity.get("module_title", ""),
                        result_obj=result, instructor=instructor)
    st["context"]["extensions"] = {"urn:roundtable:cohort": cohort_id,
                                   "urn:roundtable:statement-id": st["id"]}
    db.execute(
        """INSERT INTO events (timestamp, user_id, cohort_id, actor, verb, object, result, context)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
        [st["timestamp"], user["id"], cohort_id, json.dumps(st["actor"]), json.dumps(st["verb"]),
         json.dumps(st["object"]), json.dumps(st["result"]) if "result" in st else None,
         json.dumps(st["context"])])
    return st


# --------------------------------------------------------------------------- reads and reflections


def is_read(db, *, user_id, activity_id, cohort_id):
    """When the learner marked the activity read, or None."""
    row = next(db.query("SELECT at FROM reads WHERE user_id = ? AND activity_id = ? AND cohort_id = ?",
                        [user_id, activity_id, cohort_id]), None)
    return row["at"] if row else None


def read_by_work(db, *, user_id, cohort_id, module_id):
    """True when the learner did some of the module's work, which counts as reading it (``Records.did_work``)."""
    module = get_module(db, module_id=module_id)
    return bool(module) and records_for(db, user_id=user_id, cohort_id=cohort_id, module=module).did_work()


def insert_read(db, *, user_id, activity_id, cohort_id, at):
    """Record that the learner read the module; True when this is the first time (the key is unique)."""
    cursor = db.execute(
        """INSERT INTO reads (user_id, activity_id, cohort_id, at) VALUES (?, ?, ?, ?)
           ON CONFLICT (user_id, activity_id, cohort_id) DO NOTHING""", [user_id, activity_id, cohort_id, at])
    return cursor.rowcount == 1


def get_reflection(db, *, activity_id, user_id, cohort_id):
    """The learner's reflection on an activity, or None."""
    return next(db.query(
        "SELECT * FROM reflections WHERE activity_id = ? AND user_id = ? AND cohort_id = ?",
        [activity_id, user_id, cohort_id]), None)


def upsert_reflection(db, *, user_id, activity_id, cohort_id, body_md, body_html, at):
    """Post the learner's reflection, or edit it when there is one; True when it was posted (first time)."""
    cursor = db.execute(
        """INSERT INTO reflections (activity_id, user_id, cohort_id, body_md, body_html, created)
           VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (activity_id, user_id, cohort_id) DO NOTHING""",
        [activity_id, user_id, cohort_id, body_md, body_html, at])
    if cursor.rowcount == 1:
        return True
    db.execute("""UPDATE reflections SET body_md = ?, body_html = ?, edited = ?
                  WHERE activity_id = ? AND user_id = ? AND cohort_id = ?""",
               [body_md, body_html, at, activity_id, user_id, cohort_id])
    return False


def list_reflections(db, *, activity_id, cohort_id):
    """Every reflection of a cohort on an activity, newest first, with the author's name."""
    return list(db.query(
        """SELECT r.id, r.user_id, u.name AS author_name, r.body_html, r.created, r.edited
           FROM reflections r JOIN users u ON u.id = r.user_id
           WHERE r.activity_id = ? AND r.cohort_id = ? ORDER BY r.created DESC, r.id DESC""",
        [activity_id, cohort_id]))


# --------------------------------------------------------------------------- records and recompute


def records_for(db, *, user_id, cohort_id, module):
    """Gather one learner's records for one module into a ``completion.Records``."""
    ids = [a["id"] for a in module["activities"]]
    if not ids:
        return Records()
    marks = ",".join("?" for _ in ids)
    params = [user_id, cohort_id, *ids]
    return Records(
        read={r["activity_id"] for r in db.query(
            f"SELECT activity_id FROM reads WHERE user_id = ? AND cohort_id = ? AND activity_id IN ({marks})",
            params)},
        posted=_posted(db, user_id, cohort_id, ids, marks),
        plans={r["activity_id"]: r["stage"] for r in db.query(
            f"""SELECT activity_id, stage FROM submissions WHERE user_id = ? AND cohort_id = ?
                AND kind = 'plan' AND activity_id IN ({marks})""", params)},
        presentations=_presentations(db, user_id, cohort_id, module),
        reflections={r["activity_id"] for r in db.query(
            f"SELECT activity_id FROM reflections WHERE user_id = ? AND cohort_id = ? AND activity_id IN ({marks})",
            params)},
        quizzes={r["activity_id"]: (r["best"], r["used"]) for r in db.query(
            f"""SELECT activity_id, MAX(score) AS best, COUNT(*) AS used FROM quiz_attempts
                WHERE user_id = ? AND cohort_id = ? AND activity_id IN ({marks}) GROUP BY activity_id""", params)},
    )


def _posted(db, user_id, cohort_id, ids, marks):
    """Roundtable activities the learner has a live comment in (their cohort's thread).

    One probe per thread of the module in the index ``comments_author_thread``
    (migration 0020), never a scan of the thread's comments.
    """
    return {r["activity_id"] for r in db.query(
        f"""SELECT t.activity_id FROM threads t WHERE t.cohort_id = ? AND t.activity_id IN ({marks})
            AND EXISTS (SELECT 1 FROM comments c WHERE c.author_id = ? AND c.thread_id = t.id
                        AND c.deleted IS NULL)""", [cohort_id, *ids, user_id])}


def _presentations(db, user_id, cohort_id, module):
    """A PresentationRecord per presentation activity of the module."""
    out = {}
    for activity in module["activities"]:
        if activity["kind"] != "presentation":
            continue
        own = next(db.query(
            """SELECT s.id, s.reviews_target,
                      (SELECT COUNT(*) FROM reviews r WHERE r.submission_id = s.id) AS received
               FROM submissions s WHERE s.activity_id = ? AND s.user_id = ? AND s.cohort_id = ?""",
            [activity["id"], user_id, cohort_id]), None)
        given = next(db.query(
            """SELECT COUNT(*) AS assigned, COUNT(ra.completed_at) AS done
               FROM review_assignments ra JOIN submissions s ON s.id = ra.submission_id
               WHERE ra.reviewer_id = ? AND ra.role = 'peer' AND ra.cancelled_at IS NULL
               AND s.activity_id = ? AND s.cohort_id = ?""",
            [user_id, activity["id"], cohort_id]))
        out[activity["id"]] = PresentationRecord(
            submitted=own is not None, reviews_received=own["received"] if own else 0,
            reviews_target=own["reviews_target"] if own else 0,
            reviews_assigned=given["assigned"], reviews_given=given["done"])
    return out


def module_state(db, *, user_id, cohort_id, module, today=None, cohort=None):
    """``completion.module_progress`` for one learner, module and cohort (no writes).

    ``cohort`` is the cohort's row when the caller already has it. The due
    date is the learner's own (``completion.learner_due_date``: counted from
    when they joined, unless the cohort's dates are fixed).
    """
    cohort = cohort or get_cohort(db, cohort_id=cohort_id)
    due = learner_due_date(cohort, module, joined_on(db, user_id=user_id, cohort_id=cohort_id))
    records = records_for(db, user_id=user_id, cohort_id=cohort_id, module=module)
    return module_progress(module, records, due=due, today=today or timeutil.today())


def recompute(db, *, user_id, cohort_id, module_id, xapi_base=xapi.DEFAULT_BASE):
    """Rewrite the learner's completions for a module from their records; call inside the write.

    Rows that stay complete keep their first ``at``; rows no longer complete
    (a review withdrawn, say) are removed. Returns the module state.
    """
    module = get_module(db, module_id=module_id)
    if module is None:
        return None
    return _recompute(db, user_id, cohort_id, module, get_cohort(db, cohort_id=cohort_id), xapi_base)


def recompute_many(db, *, user_ids, cohort_id, module_id, xapi_base=xapi.DEFAULT_BASE):
    """:func:`recompute` for some learners of one cohort and module, reading the module and cohort once."""
    module = get_module(db, module_id=module_id)
    if module is None:
        return {}
    cohort = get_cohort(db, cohort_id=cohort_id)
    return {uid: _recompute(db, uid, cohort_id, module, cohort, xapi_base) for uid in sorted(user_ids)}


def _recompute(db, user_id, cohort_id, module, cohort, xapi_base):
    """Rewrite one learner's completion rows for a module (see :func:`recompute`)."""
    module_id = module["id"]
    state, done, have = _wanted(db, user_id, cohort_id, module, cohort)
    for gone in have - done:
        db.execute("DELETE FROM completions WHERE user_id = ? AND cohort_id = ? AND activity_id = ?",
                   [user_id, cohort_id, gone])
    for new in done - have:
        db.execute("INSERT INTO completions (user_id, cohort_id, activity_id, scope, at) VALUES (?, ?, ?, ?, ?)",
                   [user_id, cohort_id, new, "module" if new == module_id else "activity", now_iso()])
    if module_id in done - have:
        _module_completed_statement(db, user_id, cohort_id, module, xapi_base)
    return state


def _wanted(db, user_id, cohort_id, module, cohort):
    """Return (module state, completion ids the records call for, completion ids stored) for one learner."""
    module_id = module["id"]
    state = module_state(db, user_id=user_id, cohort_id=cohort_id, module=module, cohort=cohort)
    done = set(state["complete"])
    if state["status"] == "complete":
        done.add(module_id)
    have = {r["activity_id"] for r in db.query(
        """SELECT activity_id FROM completions WHERE user_id = ? AND cohort_id = ?
           AND (activity_id = ? OR activity_id LIKE ?)""",
        [user_id, cohort_id, module_id, module_id + "/%"])}
    return state, done, have


def recompute_after_post(db, *, user_id, thread, xapi_base=xapi.DEFAULT_BASE):
    """Recompute a learner's module after a post in a roundtable thread changed; call inside the write.

    The comment engine calls this when a comment is added or deleted, so a
    roundtable post counts toward completion at once. Other kinds of thread
    (forum, blog, ask) and people who are not learners of the cohort have no
    completion to move.
    """
    module_id = _post_module(db, user_id, thread)
    if module_id is None:
        return None
    return recompute(db, user_id=user_id, cohort_id=thread["cohort_id"], module_id=module_id, xapi_base=xapi_base)


def post_moves_completion(db, *, user_id, thread):
    """Whether :func:`recompute_after_post` would change a stored completion (reads only, no lock needed).

    Most posts (a learner's second, a coach's) change nothing: the caller then takes no write lock.
    """
    module_id = _post_module(db, user_id, thread)
    module = get_module(db, module_id=module_id) if module_id else None
    if module is None:
        return False
    _, done, have = _wanted(db, user_id, thread["cohort_id"], module, get_cohort(db, cohort_id=thread["cohort_id"]))
    return done != have


def roundtable_stays_complete(db, *, user_id, thread):
    """Whether ``user_id`` has completed the roundtable of ``thread`` already (one primary-key probe).

    A roundtable is complete once its learner posted (``completion``'s rule), and
    that post already counted as reading the module: a further post moves nothing.
    """
    if thread.get("kind") != "roundtable" or not thread.get("activity_id"):
        return False
    return next(db.query("SELECT 1 FROM completions WHERE user_id = ? AND cohort_id = ? AND activity_id = ?",
                         [user_id, thread["cohort_id"], thread["activity_id"]]), None) is not None


def _post_module(db, user_id, thread):
    """Return the module whose completion a post in ``thread`` moves for ``user_id`` (a learner of it), or None."""
    if thread.get("kind") != "roundtable" or not thread.get("activity_id"):
        return None
    learner = next(db.query(
        "SELECT 1 FROM memberships WHERE user_id = ? AND cohort_id = ? AND role = 'learner'",
        [user_id, thread["cohort_id"]]), None)
    if learner is None:
        return None
    row = next(db.query("SELECT module_id FROM activities WHERE id = ?", [thread["activity_id"]]), None)
    return row["module_id"] if row else None


def _module_completed_statement(db, user_id, cohort_id, module, xapi_base):
    """Record xAPI "completed" for a module the learner has just completed."""
    user = next(db.query("SELECT id, name, email FROM users WHERE id = ?", [user_id]))
    activity = {"id": module["id"], "kind": "module", "program_id": module["program_id"],
                "module_id": None, "module_title": module["title"]}
    add_statement(db, xapi_base=xapi_base, user=user, verb="completed", activity=activity, cohort_id=cohort_id,
                  result=xapi.result(completion=True))


def completion_rules(db):
    """``{module id: (program id, completion rule, live activity ids)}``: what a module's completion depends on."""
    rules = {}
    for r in db.query("""SELECT m.id, m.program_id, m.completion, m.retired, a.id AS activity_id, a.kind
                         FROM modules m LEFT JOIN activities a ON a.module_id = m.id AND a.retired = FALSE
                         ORDER BY m.id, a.id"""):
        rule = rules.setdefault(r["id"], (r["program_id"], f"{r['completion']}/{r['retired']}", []))
        if r["activity_id"] is not None:
            rule[2].append(f"{r['activity_id']}:{r['kind']}")
    return {mid: (program, rule, ",".join(live) or None) for mid, (program, rule, live) in rules.items()}


def program_learners(db, *, program_id):
    """``[(cohort id, [learner ids])]`` for every cohort of a program."""
    out = {}
    for r in db.query("""SELECT c.id AS cohort_id, m.user_id FROM cohorts c
                         JOIN memberships m ON m.cohort_id = c.id AND m.role = 'learner'
                         WHERE c.program_id = ? ORDER BY c.id, m.user_id""", [program_id]):
        out.setdefault(r["cohort_id"], []).append(r["user_id"])
    return list(out.items())


def completed_ids(db, *, user_id, cohort_id):
    """Every completed activity or module id for a learner in a cohort."""
    return {r["activity_id"] for r in db.query(
        "SELECT activity_id FROM completions WHERE user_id = ? AND cohort_id = ?", [user_id, cohort_id])}


# --------------------------------------------------------------------------- progress reads


def learner_cohorts(db, *, user_id):
    """The cohorts a user is a learner in, with their program, in program order."""
    return list(db.query(
        """SELECT c.id AS cohort_id, c.title AS cohort_title, c.starts, p.id AS program_id,
                  p.title AS program_title, p.url AS program_url
           FROM memberships ms JOIN cohorts c ON c.id = ms.cohort_id JOIN programs p ON p.id = c.program_id
           WHERE ms.user_id = ? AND ms.role = 'learner' AND p.retired = FALSE ORDER BY p.ord, c.starts""",
        [user_id]))


def program_module_ids(db, *, program_id):
    """The live modules of a program, in order."""
    return [r["id"] for r in db.query(
        "SELECT id FROM modules WHERE program_id = ? AND retired = FALSE ORDER BY ord", [program_id])]


def reports_of(db, *, manager_id):
    """A manager's direct reports."""
    return list(db.query("SELECT id, name, email FROM users WHERE manager_id = ? ORDER BY name, id",
                         [manager_id]))


def user_submissions(db, *, user_id, cohort_id, module_id):
    """The learner's plan and presentation submissions in a module (for feedback received)."""
    return list(db.query(
        """SELECT s.id, s.kind, s.stage, s.activity_id, s.reviews_target, a.options
           FROM submissions s JOIN activities a ON a.id = s.activity_id
           WHERE s.user_id = ? AND s.cohort_id = ? AND a.module_id = ? ORDER BY a.ord""",
        [user_id, cohort_id, module_id]))


def overdue_modules(db, *, user_id, cohort, today):
    """The live modules a learner is overdue on: the dashboard's rule (``module_progress``, the cohort's due dates)."""
    modules = [get_module(db, module_id=r["id"]) for r in db.query(
        "SELECT id FROM modules WHERE program_id = ? AND retired = FALSE ORDER BY ord", [cohort["program_id"]])]
    return [m for m in modules if module_state(db, user_id=user_id, cohort_id=cohort["id"], module=m,
                                               today=today, cohort=cohort)["status"] == OVERDUE]
