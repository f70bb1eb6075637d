"""Peer-review upkeep: escalating presentations short of reviews, moving departed reviewers' assignments.

Run by ``roundtable reviews escalate`` (daily), by membership changes, and,
when a read check finds work, by a presentation read. Each run is one ``write_transaction`` that
publishes ``ReviewersAllocated`` (notifications and completion follow, see
``actions/followups.py``).
"""

from __future__ import annotations

import datetime as dt

from comments_server.actions.bus import BUS
from comments_server.domain import timeutil
from comments_server.domain.completion import cohort_due_date
from comments_server.domain.events.activities import ReviewersAllocated
from comments_server.store import completions, reviews
from comments_server.store.users import REVIEWING_ROLES
from comments_server.store.db import write_transaction


def tend_reviews(db, *, activity, cohort_id, days, xapi_base, today=None):
    """Move departed reviewers' open assignments and escalate late presentations, when (and only when) due.

    The checks are reads; the write lock is taken only on the rare read that
    finds work (a reviewer left without ``users`` re-allocating, or a stage of
    escalation falling due). Returns the new assignments.
    """
    stage = _escalation_stage(db, activity, cohort_id, today or timeutil.now().date(), days)
    departed = reviews.has_departed(db, activity_id=activity["id"], cohort_id=cohort_id)
    if not departed and not (stage and reviews.unescalated(db, activity_id=activity["id"], cohort_id=cohort_id,
                                                           stage=stage)):
        return []
    with write_transaction(db):
        moves = reviews.move_departed(db, activity=activity, cohort_id=cohort_id)
        if stage:
            moves.add(reviews.escalate(db, activity=activity, cohort_id=cohort_id, stage=stage))
        _allocated(db, activity, cohort_id, moves, xapi_base)
    return moves.assignments


def after_membership_change(db, *, cohort_id, before, after, xapi_base):
    """Hand on the open peer reviews of someone who stopped reviewing in a cohort; call inside the write.

    ``before``/``after`` are their roles (None: not in the cohort). A learner
    or coach who leaves, or becomes an observer or manager, has their open
    assignments moved to others (roster import, ``user add --role``,
    ``user remove``); the new reviewers are told and completion follows.
    Returns the number of new assignments.
    """
    if before not in REVIEWING_ROLES or after in REVIEWING_ROLES:
        return 0
    return hand_on_open_reviews(db, cohort_id=cohort_id, xapi_base=xapi_base)


def hand_on_open_reviews(db, *, cohort_id, xapi_base):
    """Move every open review of people no longer reviewing in a cohort to others; return how many moved."""
    added = 0
    for activity in reviews.cohort_presentation_activities(db, cohort_id=cohort_id):
        moves = reviews.move_departed(db, activity=activity, cohort_id=cohort_id)
        _allocated(db, activity, cohort_id, moves, xapi_base)
        added += len(moves.assignments)
    return added


def _escalation_stage(db, activity, cohort_id, today, days):
    """0 before ``days`` after the due date, 1 (more peers) after it, 2 (the coach) after twice that."""
    cohort = completions.get_cohort(db, cohort_id=cohort_id)
    due = cohort_due_date(cohort, {"id": activity["module_id"], "due_days": activity.get("due_days")})
    if due is None or today < due + dt.timedelta(days=days):
        return 0
    return 2 if today >= due + dt.timedelta(days=2 * days) else 1


def escalate_due(db, *, activity, cohort_id, xapi_base, today=None, days=3):
    """Offer presentations still short of reviews ``days`` after the due date to more reviewers.

    ``days`` after the due date: to more peers; ``2 * days`` after: to the
    cohort's coaches. Idempotent per stage (``submissions.escalation_stage``).
    Returns the new assignments.
    """
    stage = _escalation_stage(db, activity, cohort_id, today or timeutil.now().date(), days)
    if not stage:
        return []
    with write_transaction(db):
        moves = reviews.escalate(db, activity=activity, cohort_id=cohort_id, stage=stage)
        _allocated(db, activity, cohort_id, moves, xapi_base)
    return moves.assignments


def escalate_all(db, *, xapi_base, today=None, days=3):
    """:func:`escalate_due` for every live presentation activity in every cohort of its program.

    For the daily ``roundtable reviews escalate``. Returns ``{(activity id, cohort id): new assignments}``.
    """
    done = {}
    for activity_id, cohort_id in reviews.presentation_activities(db):
        activity = completions.get_activity(db, activity_id=activity_id)
        added = escalate_due(db, activity=activity, cohort_id=cohort_id, today=today, days=days, xapi_base=xapi_base)
        if added:
            done[(activity_id, cohort_id)] = added
    return done


def _allocated(db, activity, cohort_id, moves, xapi_base):
    """Publish an allocation's moves (inside the caller's transaction) when it made any."""
    if moves.pairs or moves.concerned:
        BUS.publish(db, ReviewersAllocated(activity, cohort_id, tuple(moves.pairs), frozenset(moves.concerned),
                                           xapi_base))
