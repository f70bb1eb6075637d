"""Dashboard reads: bulk records per cohort, the coach's queue, the event log for exports and the LRS cursor.

Who may see which cohort is ``access.activities.dashboard_scope``: the API
asks for a cohort only when the scope holds it, and a manager's scope names
the learners (their reports) the rows are limited to.
"""

from __future__ import annotations

import json
from collections import defaultdict

from comments_server.domain.completion import PresentationRecord, Records
from comments_server.domain.timeutil import now_iso

# the condition of the partial index events_cohort_activity (migration 0004): learners' own events
LEARNER_EVENTS = """verb NOT LIKE '%/verbs/completed"%'"""

def cohorts_with_programs(db, *, cohort_ids):
    """Cohort rows with their program's title, in program then start order."""
    marks = ",".join("?" for _ in cohort_ids) or "NULL"
    return list(db.query(
        f"""SELECT c.id, c.title, c.starts, c.pace, c.due_dates, c.late_joiners, c.program_id, p.title AS program_title
            FROM cohorts c JOIN programs p ON p.id = c.program_id
            WHERE c.id IN ({marks}) ORDER BY p.ord, p.id, c.starts, c.id""", list(cohort_ids)))


# --------------------------------------------------------------------------- catalog


def program_modules(db, *, program_id):
    """The program's live modules in order, each with live activities and completion rule decoded."""
    modules = [dict(m, completion=json.loads(m["completion"] or '"all"'), activities=[]) for m in db.query(
        "SELECT * FROM modules WHERE program_id = ? AND retired = FALSE ORDER BY ord, id", [program_id])]
    by_id = {m["id"]: m for m in modules}
    for a in db.query("""SELECT * FROM activities WHERE program_id = ? AND retired = FALSE
                         ORDER BY module_id, ord""", [program_id]):
        if a["module_id"] in by_id:
            by_id[a["module_id"]]["activities"].append(
                {**a, "order": a["ord"], "options": json.loads(a["options"] or "{}")})
    return modules


def revision_history(db, *, module_ids):
    """``{module_id: [(seen_at, content_hash), ...]}`` oldest first (migration 0004 keeps it)."""
    marks = ",".join("?" for _ in module_ids) or "NULL"
    out = defaultdict(list)
    for r in db.query(f"""SELECT module_id, content_hash, seen_at FROM module_revisions
                          WHERE module_id IN ({marks}) ORDER BY seen_at, rowid""", list(module_ids)):
        out[r["module_id"]].append((r["seen_at"], r["content_hash"]))
    return dict(out)


# --------------------------------------------------------------------------- cohort records (bulk)


def cohort_learners(db, *, cohort_id):
    """The cohort's learners with their manager and the date they joined, by name."""
    return list(db.query(
        """SELECT u.id, u.name, u.email, u.manager_id, mg.name AS manager_name, m.joined
           FROM memberships m JOIN users u ON u.id = m.user_id LEFT JOIN users mg ON mg.id = u.manager_id
           WHERE m.cohort_id = ? AND m.role = 'learner' ORDER BY u.name, u.id""", [cohort_id]))


def cohort_records(db, *, cohort_id, modules):
    """``{user_id: {module_id: completion.Records}}`` for a whole cohort in a few queries.

    The bulk twin of ``store.completions.records_for`` (issue 4): same rules,
    one query per record kind for the cohort instead of several per learner
    and module. tests/dashboard/test_figures.py checks that both agree.
    """
    module_of = {a["id"]: m["id"] for m in modules for a in m["activities"]}
    recs = defaultdict(lambda: defaultdict(Records))

    def rec(uid, aid):
        return recs[uid][module_of[aid]]

    def rows(sql):  # plain tuples: the cohort's records are thousands of rows
        return (r for r in db.execute(sql, [cohort_id]).fetchall() if r[1] in module_of)

    for uid, aid in rows("SELECT user_id, activity_id FROM reads WHERE cohort_id = ?"):
        rec(uid, aid).read.add(aid)
    for uid, aid in rows(POSTED):
        rec(uid, aid).posted.add(aid)
    for uid, aid in rows("SELECT user_id, activity_id FROM reflections WHERE cohort_id = ?"):
        rec(uid, aid).reflections.add(aid)
    for uid, aid, stage in rows("SELECT user_id, activity_id, stage FROM submissions "
                                "WHERE cohort_id = ? AND kind = 'plan'"):
        rec(uid, aid).plans[aid] = stage
    for uid, aid, best, used in rows("SELECT user_id, activity_id, MAX(score), COUNT(*) FROM quiz_attempts "
                                     "WHERE cohort_id = ? GROUP BY user_id, activity_id"):
        rec(uid, aid).quizzes[aid] = (best, used)
    _presentation_records(db, cohort_id, module_of, rec)
    return recs


# (author, roundtable activity) pairs with a live comment in the cohort's threads
POSTED = """SELECT DISTINCT c.author_id, t.activity_id FROM threads t JOIN comments c ON c.thread_id = t.id
            WHERE t.cohort_id = ? AND c.deleted IS NULL"""


def _presentation_records(db, cohort_id, module_of, rec):
    """Fill PresentationRecords: own submission and reviews received, peer reviews assigned and given."""
    for r in db.query(
            """SELECT s.user_id, s.activity_id, s.reviews_target,
                      (SELECT COUNT(*) FROM reviews r WHERE r.submission_id = s.id) AS received
               FROM submissions s WHERE s.cohort_id = ? AND s.kind = 'presentation'""", [cohort_id]):
        if r["activity_id"] in module_of:
            p = rec(r["user_id"], r["activity_id"]).presentations.setdefault(r["activity_id"], PresentationRecord())
            p.submitted, p.reviews_received, p.reviews_target = True, r["received"], r["reviews_target"]
    for r in db.query(
            """SELECT ra.reviewer_id, s.activity_id, COUNT(*) AS assigned, COUNT(ra.completed_at) AS done
               FROM review_assignments ra JOIN submissions s ON s.id = ra.submission_id
               WHERE s.cohort_id = ? AND ra.role = 'peer' AND ra.cancelled_at IS NULL
               GROUP BY ra.reviewer_id, s.activity_id""", [cohort_id]):
        if r["activity_id"] in module_of:
            p = rec(r["reviewer_id"], r["activity_id"]).presentations.setdefault(r["activity_id"],
                                                                                  PresentationRecord())
            p.reviews_assigned, p.reviews_given = r["assigned"], r["done"]


def module_completion_times(db, *, cohort_id):
    """``{(user_id, module_id): at}`` from the derived module completions."""
    return {(uid, mid): at for uid, mid, at in db.execute(
        "SELECT user_id, activity_id, at FROM completions WHERE cohort_id = ? AND scope = 'module'",
        [cohort_id]).fetchall()}


def _learner_events(owner_only_stages):
    """The WHERE clause (and its parameters) of a learner's own events that others may count.

    Leaves out the "completed" statements the server writes when it recomputes
    (possibly on someone else's action, a peer's review say: they say nothing
    about when the learner was active) and the statements about a plan still in
    a stage its owner keeps to themself (``owner_only_stages``, from access/).
    """
    marks = ",".join("?" for _ in owner_only_stages) or "NULL"
    # the statement's object id ends in /ACTIVITY or :ACTIVITY; substr counts from the start, as a negative
    # start counts from the end on SQLite but not on PostgreSQL
    return f"""{LEARNER_EVENTS} AND NOT EXISTS (
        SELECT 1 FROM submissions s WHERE s.user_id = events.user_id AND s.cohort_id = events.cohort_id
        AND s.kind = 'plan' AND s.stage IN ({marks})
        AND substr(json_extract(events.object, '$.id'),
                   length(json_extract(events.object, '$.id')) - length(s.activity_id))
            IN ('/' || s.activity_id, ':' || s.activity_id))""", list(owner_only_stages)


def last_activity(db, *, cohort_id, owner_only_stages=()):
    """``{user_id: timestamp of their latest event in the cohort}`` (see :func:`_learner_events`)."""
    where, params = _learner_events(owner_only_stages)
    return dict(db.execute(
        f"""SELECT user_id, MAX(timestamp) FROM events WHERE cohort_id = ? AND user_id IS NOT NULL
            AND {where} GROUP BY user_id""", [cohort_id, *params]).fetchall())


# The Monday (UTC) of an event's week, as an ISO date.
MONDAY = {"sqlite": "date(timestamp, '-6 days', 'weekday 1')",
          "postgresql": "to_char(date_trunc('week', timestamp AT TIME ZONE 'UTC'), 'YYYY-MM-DD')"}


def weekly_events(db, *, cohort_id, owner_only_stages=()):
    """``{user_id: {monday (ISO date): learner events}}`` for the cohort's time series."""
    where, params = _learner_events(owner_only_stages)
    out = defaultdict(dict)
    for uid, week, n in db.execute(
            f"""SELECT user_id, {MONDAY[db.dialect]} AS week, COUNT(*)
                FROM events WHERE cohort_id = ? AND user_id IS NOT NULL AND {where}
                GROUP BY user_id, week""", [cohort_id, *params]).fetchall():
        out[uid][week] = n
    return out


def plans_waiting(db, *, cohort_id):
    """Plans of the cohort waiting for their feedback giver (submitted or debriefed)."""
    return list(db.query(
        """SELECT s.id, s.user_id, s.activity_id, s.stage, s.submitted_at, s.debrief_at, s.updated,
                  a.module_id, m.title AS module_title, m.url AS module_url,
                  COALESCE(json_extract(a.options, '$.feedback_from'), 'manager') AS feedback_from
           FROM submissions s JOIN activities a ON a.id = s.activity_id JOIN modules m ON m.id = a.module_id
           WHERE s.cohort_id = ? AND s.kind = 'plan'
           AND s.stage IN ('submitted', 'encounter_set', 'debrief_submitted')""", [cohort_id]))


def open_peer_reviews(db, *, cohort_id):
    """Live, unfinished review assignments in the cohort (peer and coach)."""
    return list(db.query(
        """SELECT ra.reviewer_id, ra.role, ra.assigned_at, ra.submission_id, s.activity_id, s.user_id
           FROM review_assignments ra JOIN submissions s ON s.id = ra.submission_id
           WHERE s.cohort_id = ? AND ra.cancelled_at IS NULL AND ra.completed_at IS NULL""", [cohort_id]))


def roundtable_comments(db, *, cohort_id):
    """Live comments in the cohort's roundtables with their author's role in the cohort."""
    return list(db.query(
        """SELECT c.id, c.parent_id, c.author_id, c.created, c.is_question, c.question_answered_by,
                  c.reply_count, c.hidden, t.activity_id, m.role AS author_role
           FROM threads t JOIN comments c ON c.thread_id = t.id
           LEFT JOIN memberships m ON m.user_id = c.author_id AND m.cohort_id = t.cohort_id
           WHERE t.cohort_id = ? AND t.kind = 'roundtable' AND c.deleted IS NULL
           ORDER BY c.id""", [cohort_id]))


def feedback_given(db, *, cohort_id):
    """Plan feedback in the cohort: owner, debrief time, feedback time and the giver's role."""
    return list(db.query(
        """SELECT s.user_id, s.activity_id, s.debrief_at, f.created, f.role
           FROM feedback f JOIN submissions s ON s.id = f.submission_id
           WHERE s.cohort_id = ? AND f.kind = 'feedback' AND s.debrief_at IS NOT NULL""", [cohort_id]))


def rubric_reviews(db, *, cohort_id):
    """Every review of a presentation in the cohort: presenter, activity, scores."""
    return [dict(r, scores=json.loads(r["scores"] or "{}")) for r in db.query(
        """SELECT s.user_id, s.activity_id, r.scores, r.role
           FROM reviews r JOIN submissions s ON s.id = r.submission_id
           WHERE s.cohort_id = ? AND s.kind = 'presentation'""", [cohort_id])]


def presentations_short(db, *, cohort_ids):
    """Presentations in the cohorts with fewer reviews than their target, oldest first."""
    marks = ",".join("?" for _ in cohort_ids) or "NULL"
    return list(db.query(
        f"""SELECT * FROM (
              SELECT s.id, s.user_id, u.name AS owner_name, s.cohort_id, s.activity_id, s.submitted_at,
                     s.reviews_target, m.title AS module_title, m.url AS module_url,
                     (SELECT COUNT(*) FROM reviews r WHERE r.submission_id = s.id) AS received
              FROM submissions s JOIN users u ON u.id = s.user_id
              JOIN activities a ON a.id = s.activity_id JOIN modules m ON m.id = a.module_id
              WHERE s.cohort_id IN ({marks}) AND s.kind = 'presentation') AS shown
            WHERE received < reviews_target ORDER BY submitted_at, id""", list(cohort_ids)))


def queue_comments(db, *, cohort_ids):
    """Open questions and learner posts nobody has replied to, in the cohorts' roundtables."""
    marks = ",".join("?" for _ in cohort_ids) or "NULL"
    return list(db.query(
        f"""SELECT c.id, c.thread_id, c.created, c.is_question, c.body_md, c.reply_count, c.edited,
                   c.author_id, u.name AS author_name,
                   t.cohort_id, t.activity_id, md.title AS module_title, md.url AS module_url
            FROM threads t JOIN comments c ON c.thread_id = t.id JOIN users u ON u.id = c.author_id
            JOIN memberships m ON m.user_id = c.author_id AND m.cohort_id = t.cohort_id
            JOIN activities a ON a.id = t.activity_id JOIN modules md ON md.id = a.module_id
            WHERE t.cohort_id IN ({marks}) AND t.kind = 'roundtable' AND c.deleted IS NULL AND c.hidden = FALSE
            AND m.role = 'learner'
            AND ((c.is_question = TRUE AND c.question_answered_by IS NULL)
                 OR (c.is_question = FALSE AND c.parent_id IS NULL AND c.reply_count = 0))
            ORDER BY c.created, c.id""", list(cohort_ids)))


# --------------------------------------------------------------------------- one learner (the learner page)


def membership(db, *, cohort_id, user_id):
    """A person's membership of a cohort with their name and manager (what the learner page's rule needs), or None."""
    return next(db.query(
        """SELECT m.cohort_id, m.role, u.id AS user_id, u.name, u.manager_id, mg.name AS manager_name
           FROM memberships m JOIN users u ON u.id = m.user_id LEFT JOIN users mg ON mg.id = u.manager_id
           WHERE m.cohort_id = ? AND m.user_id = ?""", [cohort_id, user_id]), None)


def learner_submissions(db, *, cohort_id, user_id):
    """A learner's plans past their draft and presentations in a cohort, with their module, oldest first."""
    return list(db.query(
        """SELECT s.id, s.kind, s.stage, s.created, s.updated, s.submitted_at, a.module_id
           FROM submissions s JOIN activities a ON a.id = s.activity_id
           WHERE s.cohort_id = ? AND s.user_id = ? AND s.stage != 'draft' ORDER BY s.created, s.id""",
        [cohort_id, user_id]))


def learner_posts(db, *, cohort_id, user_id):
    """A learner's live, visible roundtable posts and replies in a cohort, with their module, oldest first."""
    return list(db.query(
        """SELECT c.id, c.created, c.body_md, c.is_question, c.parent_id, a.module_id
           FROM threads t JOIN comments c ON c.thread_id = t.id JOIN activities a ON a.id = t.activity_id
           WHERE t.cohort_id = ? AND t.kind = 'roundtable' AND c.author_id = ? AND c.deleted IS NULL
           AND c.hidden = FALSE ORDER BY c.created, c.id""", [cohort_id, user_id]))


def learner_blog_posts(db, *, cohort_id, program_id, user_id):
    """A learner's live blog posts for their cohort or program (reflections included), oldest first."""
    return list(db.query(
        """SELECT id, title, created, module_id, reflection_id FROM blog_posts
           WHERE author_id = ? AND deleted IS NULL AND ((visibility = 'cohort' AND cohort_id = ?)
           OR (visibility = 'program' AND program_id = ?) OR visibility = 'everyone')
           ORDER BY created, id""", [user_id, cohort_id, program_id]))


def user_names(db, *, user_ids):
    """``{id: name}`` for some users."""
    marks = ",".join("?" for _ in user_ids) or "NULL"
    return {r["id"]: r["name"] for r in db.query(f"SELECT id, name FROM users WHERE id IN ({marks})",
                                                   list(user_ids))}


# --------------------------------------------------------------------------- events (exports)


def events_page(db, *, cohort_ids=None, user_ids=None, after_id=0, limit=None):
    """Events with id > ``after_id`` (oldest first), optionally limited to cohorts and users."""
    where, params = ["id > ?"], [after_id]
    if cohort_ids is not None:
        where.append(f"cohort_id IN ({','.join('?' for _ in cohort_ids) or 'NULL'})")
        params += list(cohort_ids)
    if user_ids is not None:
        where.append(f"user_id IN ({','.join('?' for _ in user_ids) or 'NULL'})")
        params += list(user_ids)
    sql = f"SELECT * FROM events WHERE {' AND '.join(where)} ORDER BY id"
    if limit:
        sql += f" LIMIT {int(limit)}"
    return list(db.query(sql, params))


def catalog_index(db):
    """What an export needs to place an activity or module id: module, program, kind, title."""
    out = {}
    for r in db.query("SELECT id, program_id, title, content_hash FROM modules"):
        out[r["id"]] = {"module_id": r["id"], "program_id": r["program_id"], "kind": "module",
                        "title": r["title"], "content_hash": r["content_hash"]}
    for r in db.query("""SELECT a.id, a.kind, a.module_id, a.program_id, m.title, m.content_hash
                         FROM activities a JOIN modules m ON m.id = a.module_id"""):
        out[r["id"]] = {"module_id": r["module_id"], "program_id": r["program_id"], "kind": r["kind"],
                        "title": r["title"], "content_hash": r["content_hash"]}
    return out


def cohort_programs(db):
    """``{cohort_id: program_id}``."""
    return {r["id"]: r["program_id"] for r in db.query("SELECT id, program_id FROM cohorts")}


# --------------------------------------------------------------------------- snapshot cache


def cohort_version(db, *, cohort_id):
    """The cohort's dashboard version, moved on by the triggers of migration 0004."""
    row = next(db.query("SELECT version FROM dashboard_versions WHERE cohort_id = ?", [cohort_id]), None)
    return row["version"] if row else 0


# --------------------------------------------------------------------------- LRS cursor


def lrs_cursor(db, *, name="default"):
    """The forwarder's cursor: last event id the store accepted, how many sent, last error."""
    row = next(db.query("SELECT * FROM lrs_cursor WHERE name = ?", [name]), None)
    return row or {"name": name, "last_event_id": 0, "sent": 0, "updated": None, "last_error": None}


def set_lrs_cursor(db, *, name="default", last_event_id=None, sent=0, error=None):
    """Move the cursor on after an accepted batch (or record the last error); call inside the write."""
    cur = lrs_cursor(db, name=name)
    db.execute(
        """INSERT INTO lrs_cursor (name, last_event_id, sent, updated, last_error) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (name) DO UPDATE SET last_event_id = excluded.last_event_id, sent = excluded.sent,
           updated = excluded.updated, last_error = excluded.last_error""",
        [name, cur["last_event_id"] if last_event_id is None else last_event_id, cur["sent"] + sent,
         now_iso(), error])
