"""Building cohort snapshots (cached per cohort version and day) and the views each viewer gets.

A snapshot is computed from the records with issue 4's completion rules
(``completion.module_progress`` over ``store.dashboard.cohort_records``, the
bulk twin of ``store.completions.records_for``) and cached in this process
(:data:`_SNAPSHOTS`): a dashboard GET reads, never writes. The cohort's
version, moved by triggers on every record the dashboard reads (migration
0004), and today's date make the key, so a cached snapshot is always exact;
each process builds its own copy once per version.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections import OrderedDict

import orjson
from flask import current_app

from comments_server.access.activities import OWNER_ONLY_STAGES, stage_for_others
from comments_server.access.exports import event_visible
from comments_server.domain import figures, quiz, xapi
from comments_server.domain.completion import COMPLETE, cohort_due_date, joiner_delay, module_progress, status_on
from comments_server.store import dashboard as store
from comments_server.store import quizzes

CONFIG_KEYS = {key: f"DASHBOARD_{key.upper()}" for key in figures.DEFAULTS}


def settings():
    """The figures' thresholds: DASHBOARD_* settings over the defaults."""
    cfg = current_app.config
    return {key: type(default)(cfg.get(CONFIG_KEYS[key], default)) for key, default in figures.DEFAULTS.items()}


# (database, cohort id, "full") -> (version, day, JSON bytes): the dated snapshot cache of this process
_SNAPSHOTS: OrderedDict = OrderedDict()
_SNAPSHOTS_LOCK = threading.Lock()
SNAPSHOTS_KEPT = 256


def _cached(key, version, day):
    """The cached snapshot under ``key`` if it was built at this version and day, else None (a fresh copy)."""
    with _SNAPSHOTS_LOCK:
        found = _SNAPSHOTS.get(key)
        if found is None or found[:2] != (version, day):
            return None
        _SNAPSHOTS.move_to_end(key)
    return orjson.loads(found[2])


def _keep(key, version, day, payload):
    """Cache a snapshot (one per cohort and part, replaced), dropping the least recently used past the limit."""
    with _SNAPSHOTS_LOCK:
        _SNAPSHOTS[key] = (version, day, orjson.dumps(payload))
        _SNAPSHOTS.move_to_end(key)
        while len(_SNAPSHOTS) > SNAPSHOTS_KEPT:
            _SNAPSHOTS.popitem(last=False)


def snapshot(db, *, cohort, today, part="full"):
    """The cohort's snapshot (``part="summary"``: its summary) for ``today``, cached while still exact.

    The summary is worked out each time from the undated one (:func:`_undated`), a
    few counts per module and join date, instead of from the day's snapshot.
    """
    version = store.cohort_version(db, cohort_id=cohort["id"])
    if part == "summary":
        undated = _undated(db, cohort, version)
        if "summary" not in undated:  # made on first use: a cohort matrix alone does not need it
            undated["summary"] = figures.undated_summary(undated["payload"])  # two threads: the same value twice
        return figures.summary_on(undated["summary"], today=today,
                                  delay=lambda joined: joiner_delay(cohort, joined))
    place = (getattr(db, "path", None), cohort["id"], part)
    day = today.isoformat()
    cached = _cached(place, version, day)
    if cached is not None:
        return cached
    payload = build(db, cohort=cohort, today=today, version=version)
    _keep(place, version, day, payload)
    return payload


def build(db, *, cohort, today, version):
    """Compute a cohort's snapshot from its records (see ``dashboard.figures``) at its ``version``.

    The completion rows it reads (when a module was completed) are kept in
    step by the completion follow-up of every record's event. Everything but
    the day's statuses is built once per cohort version (:func:`_undated`): the
    first call of a new day only moves past-due cells to overdue
    (``completion.status_on``).
    """
    undated = _undated(db, cohort, version)["payload"]
    dues = [_date(m["due"]) for m in undated["modules"]]
    past_due = {}  # a learner's delay (completion.joiner_delay) -> [(module index, their due date)] already past

    def passed(delay):
        if delay not in past_due:
            past_due[delay] = [(i, d + dt.timedelta(days=delay)) for i, d in enumerate(dues)
                               if d and d + dt.timedelta(days=delay) < today]
        return past_due[delay]

    learners = [{**row, "cells": _on(row["cells"], passed(joiner_delay(cohort, row["member_since"])), today)}
                for row in undated["learners"]]
    return {**undated, "day": today.isoformat(), "learners": learners}


def _on(cells, past_due, today):
    """A learner's undated cells as they stand on ``today``: only modules past due can have moved."""
    cells = list(cells)
    for i, due in past_due:
        cells[i] = status_on(cells[i], due, today)
    return cells


# (database, cohort id) -> (version, {"payload": the snapshot without its day, "summary": its
# figures.undated_summary, once asked for}): what a new day reuses. Shared, not copied (decoding 50 cohorts' copies was most of a
# new day's first call): nothing changes a snapshot in place; build() makes new learner rows and the figures
# (domain/figures.py) build new structures from what they read.
_UNDATED: OrderedDict = OrderedDict()


def _undated(db, cohort, version):
    """The cohort's snapshot with undated statuses (never overdue) and its summary, cached per cohort ``version``
    (read from the database by the caller, so every server rebuilds once a record changes)."""
    key = (getattr(db, "path", None), cohort["id"])
    with _SNAPSHOTS_LOCK:
        found = _UNDATED.get(key)
    if found is not None and found[0] == version:
        return found[1]
    payload = _build_undated(db, cohort)
    undated = {"payload": payload}
    with _SNAPSHOTS_LOCK:
        _UNDATED[key] = (version, undated)
        _UNDATED.move_to_end(key)
        while len(_UNDATED) > SNAPSHOTS_KEPT:
            _UNDATED.popitem(last=False)
    return undated


def _build_undated(db, cohort):
    """Compute a cohort's snapshot from its records, every status as if no due date had passed."""
    modules = _modules(db, cohort)
    catalog = store.program_modules(db, program_id=cohort["program_id"])
    learners = store.cohort_learners(db, cohort_id=cohort["id"])
    records = _as_others_see(store.cohort_records(db, cohort_id=cohort["id"], modules=catalog))
    memo = {}  # one build's learners share few patterns of records
    cells = {p["id"]: _statuses(catalog, records[p["id"]], memo) for p in learners}
    done_at = store.module_completion_times(db, cohort_id=cohort["id"])
    comments = store.roundtable_comments(db, cohort_id=cohort["id"])
    ctx = {"modules": modules, "done_at": done_at,
           "last": store.last_activity(db, cohort_id=cohort["id"], owner_only_stages=OWNER_ONLY_STAGES),
           "weekly": store.weekly_events(db, cohort_id=cohort["id"], owner_only_stages=OWNER_ONLY_STAGES),
           "posts": _posts_by_module(comments, catalog)}
    return {
        "cohort": {k: cohort[k] for k in ("id", "title", "starts", "program_id", "program_title")},
        "modules": modules,
        "learners": [_learner(p, cells[p["id"]], ctx) for p in learners],
        "plans": [_plan(r) for r in store.plans_waiting(db, cohort_id=cohort["id"])],
        "reviews_owed": [{"learner": r["reviewer_id"], "role": r["role"], "assigned_at": r["assigned_at"],
                          "submission_id": r["submission_id"]}
                         for r in store.open_peer_reviews(db, cohort_id=cohort["id"])],
        "posts": _posts(comments),
        "feedback": [{"learner": r["user_id"], "role": r["role"],
                      "days": figures.days_between(r["debrief_at"], r["created"])}
                     for r in store.feedback_given(db, cohort_id=cohort["id"])],
        "rubric": [{"learner": r["user_id"], "activity_id": r["activity_id"], "scores": r["scores"]}
                   for r in store.rubric_reviews(db, cohort_id=cohort["id"])],
    }


def _as_others_see(records):
    """The cohort's records without the plans their owners keep to themselves (a draft is not started)."""
    for modules in records.values():
        for rec in modules.values():
            rec.plans = {aid: stage for aid, stage in rec.plans.items() if stage_for_others("plan", stage)}
    return records


def _statuses(catalog, records, memo):
    """One learner's undated module statuses with issue 4's ``module_progress``, memoised on identical records."""
    out = []
    for m in catalog:
        rec = records[m["id"]]
        key = (m["id"], _records_key(rec))
        if key not in memo:
            memo[key] = module_progress(m, rec, due=None)["status"]
        out.append(memo[key])
    return out


def _records_key(rec):
    """A hashable form of a ``completion.Records`` (with the module, due date and today: the memo key)."""
    return (frozenset(rec.read), frozenset(rec.posted), tuple(sorted(rec.plans.items())),
            tuple(sorted((k, tuple(vars(v).values())) for k, v in rec.presentations.items())),
            frozenset(rec.reflections))


def _posts_by_module(comments, catalog):
    """``{author id: (posts, sorted module indexes posted in)}`` from the cohort's roundtable comments."""
    index = {a["id"]: i for i, m in enumerate(catalog) for a in m["activities"]}
    out = {}
    for c in comments:
        posts, joined = out.get(c["author_id"], (0, set()))
        joined.add(index.get(c["activity_id"]))
        out[c["author_id"]] = (posts + 1, joined)
    return {uid: (n, sorted(i for i in joined if i is not None)) for uid, (n, joined) in out.items()}


def _modules(db, cohort):
    """The program's modules with this cohort's due and opening dates and their revision history."""
    catalog = store.program_modules(db, program_id=cohort["program_id"])
    history = store.revision_history(db, module_ids=[m["id"] for m in catalog])
    out, opens = [], cohort["starts"]
    for m in catalog:
        due = cohort_due_date(cohort, m)  # the catalog's date for this cohort, else start + due_days
        out.append({"id": m["id"], "title": m["title"], "url": m["url"], "due": due and due.isoformat(),
                    "opens": opens or "1970-01-01", "revision": m["content_hash"],
                    "history": history.get(m["id"]) or [("", m["content_hash"])],
                    "revisions": [h for _, h in history.get(m["id"]) or [("", m["content_hash"])]],
                    "has_roundtable": any(a["kind"] == "roundtable" for a in m["activities"])})
        opens = (due and due.isoformat()) or opens
    return out


def _learner(p, cells, ctx):
    """One learner's row: status, days to complete and revision per module; posts; activity."""
    days, revs = [], []
    for m, status in zip(ctx["modules"], cells):
        at = ctx["done_at"].get((p["id"], m["id"])) if status == COMPLETE else None
        days.append(figures.days_between(m["opens"], at) if at else None)
        revs.append(_revision_index(m["history"], at or m["opens"]))
    posts, joined = ctx["posts"].get(p["id"], (0, []))
    return {"id": p["id"], "name": p["name"], "email": p["email"], "manager_id": p["manager_id"],
            "manager_name": p["manager_name"], "member_since": p["joined"], "cells": cells, "done_days": days,
            "rev": revs,
            "last_activity": ctx["last"].get(p["id"]), "posts": posts, "joined": joined,
            "weekly": ctx["weekly"].get(p["id"], {})}


def _date(iso):
    """A date from an ISO date, or None."""
    return dt.date.fromisoformat(iso) if iso else None


def _revision_index(history, when):
    """The index of the revision that was current at ``when`` (the first one if before all)."""
    index = 0
    for i, (seen_at, _) in enumerate(history):
        if seen_at <= when:
            index = i
    return index


def _plan(r):
    """A plan waiting for its feedback giver."""
    return {"learner": r["user_id"], "id": r["id"], "activity_id": r["activity_id"],
            "module_title": r["module_title"], "module_url": r["module_url"], "stage": r["stage"], "feedback_from": r["feedback_from"],
            "debrief_at": r["debrief_at"], "since": r["debrief_at"] or r["submitted_at"] or r["updated"]}


def _posts(comments):
    """Each learner post with the hours to its first coach reply (None: no coach reply yet)."""
    first_coach = {}
    for c in comments:
        if c["author_role"] == "coach" and c["parent_id"] is not None:
            first_coach.setdefault(c["parent_id"], c["created"])
    return [{"learner": c["author_id"], "id": c["id"], "created": c["created"],
             "reply_hours": (figures.hours_between(c["created"], first_coach[c["id"]])
                             if c["id"] in first_coach else None)}
            for c in comments if c["author_role"] == "learner"]


# --------------------------------------------------------------------------- views


def cohort_view(db, *, cohort, learners, today):
    """The cohort's snapshot limited to what the viewer may see (``learners`` None: everyone)."""
    return figures.limit(snapshot(db, cohort=cohort, today=today), learners)


def program_summaries(db, *, scope, program_id, cohort_id=None, today):
    """Summaries of every cohort of a program in the viewer's scope (or one cohort), and the cohorts.

    A cohort the viewer sees whole uses its cached summary; a manager's
    view of their reports is summarised on the fly from the limited snapshot.
    """
    cohorts = store.cohorts_with_programs(db, cohort_ids=list(scope["cohorts"]))
    chosen = [c for c in cohorts if c["program_id"] == program_id and (cohort_id is None or c["id"] == cohort_id)]
    out = []
    for c in chosen:
        learners = scope["cohorts"][c["id"]]
        if learners is None:
            out.append(snapshot(db, cohort=c, today=today, part="summary"))
        else:
            out.append(figures.summarize(cohort_view(db, cohort=c, learners=learners, today=today), today=today))
    return chosen, out


def quiz_questions(db, *, scope, program_id, cohorts):
    """Per-question figures of the program's quizzes over ``cohorts``, limited to the learners in the viewer's scope."""
    activities = [{**a, "module_title": m["title"]} for m in store.program_modules(db, program_id=program_id)
                  for a in m["activities"] if a["kind"] == "quiz"]
    if not activities:
        return []
    rows = []
    for c in cohorts:
        learners = scope["cohorts"][c["id"]]  # None: every learner of the cohort
        rows += [r for r in quizzes.cohort_results(db, cohort_ids=[c["id"]]) if learners is None or r[1] in learners]
    return quiz.question_figures(activities, rows)


# --------------------------------------------------------------------------- exports


def export_context(db, *, xapi_base=None):
    """What turning events into statements needs: base IRI, catalog places, programs, revision history.

    ``xapi_base`` defaults to the app's (``xapi.base_from(config)``).
    """
    catalog = store.catalog_index(db)
    modules = sorted({p["module_id"] for p in catalog.values()})
    return {"base": xapi_base or xapi.base_from(current_app.config), "catalog": catalog, "programs": store.cohort_programs(db),
            "history": store.revision_history(db, module_ids=modules)}


def export_events(db, *, cohort_ids=None, user_ids=None, fmt="xapi", viewer=None):
    """The events of some cohorts (and learners) as xAPI statements (a list) or CSV (a string).

    With a ``viewer``, only the rows whose item that viewer's API shows (access/exports.py);
    without one (an operator's ``roundtable export``), every row.
    """
    from comments_server.domain import exports

    rows = store.events_page(db, cohort_ids=cohort_ids, user_ids=user_ids)
    if viewer is not None:
        rows = [row for row in rows if event_visible(db, viewer, row)]
    ctx = export_context(db)
    if fmt == "xapi":
        return exports.statements(rows, **ctx)

    def revision_of(row):
        place = ctx["catalog"].get(exports.activity_key(_json(row["object"])))
        return exports.revision_at(ctx["history"].get(place["module_id"], []), row["timestamp"]) if place else None

    return exports.events_csv(rows, revision_of)


def _json(text):
    """Decode a JSON column."""
    return json.loads(text)
