"""The viewer's to-do list (the desk): what waits for them, each item with its stable key and its URL.

Coaches (admins and observers: every cohort) get open questions, posts nobody
answered, presentations short of reviews, plans waiting for coach feedback and
learners needing attention; managers the plans waiting for *their* feedback and
their reports needing attention. Every item carries a ``key`` that names it
while it exists (``kind:cohort:ref``) and an absolute ``url`` built by
``domain.links``, the one rule for where an item lives.

Set aside (migration 0060, ``store.queue_marks``): a *snoozed* item is hidden
until its date; a *dismissed* one until it changes, i.e. until its ``state``
(a question's reply count, a plan's stage, a presentation's reviews received,
a learner's reasons) differs from what it was when dismissed.
"""

from __future__ import annotations

from comments_server.access.rules import can
from comments_server.dashboard import service
from comments_server.domain import figures, links
from comments_server.store import dashboard as store
from comments_server.store import queue_marks


def items(db, *, viewer, scope, today):
    """Every item waiting for the viewer, oldest first, each with a ``state`` (what dismissing compares)."""
    coached = sorted(scope["queue"])
    out = [_comment_item(c, today) for c in store.queue_comments(db, cohort_ids=coached)]
    out += [_presentation_item(s, today) for s in store.presentations_short(db, cohort_ids=coached)]
    cohorts = {c["id"]: c for c in store.cohorts_with_programs(db, cohort_ids=list(scope["cohorts"]))}
    cfg = service.settings()
    for cid, learners in sorted(scope["cohorts"].items()):
        coach = cid in scope["queue"]
        if not coach and learners is None:
            continue
        view = service.cohort_view(db, cohort=cohorts[cid], learners=None if coach else learners, today=today)
        mine = [p for p in view["plans"] if (coach and p["feedback_from"] == "coach")
                or (p["feedback_from"] == "manager" and _manages(view, p, viewer))]
        out += [_plan_item(p, view, today) for p in mine]
        out += [_attention_item(db, viewer, a, view, today) for a in figures.attention(view, today=today, cfg=cfg)]
    return sorted(out, key=lambda i: (i["since"] or "", i["kind"], str(i["ref"])))


def _manages(view, plan, viewer):
    """The plan's owner reports to the viewer."""
    return any(p["id"] == plan["learner"] and p["manager_id"] == viewer["id"] for p in view["learners"])


def desk(db, *, viewer, scope, today):
    """``(shown, set_aside)``: the viewer's items without and with a mark that still hides them."""
    marks = queue_marks.marks_of(db, user_id=viewer["id"])
    shown, aside = [], []
    for item in items(db, viewer=viewer, scope=scope, today=today):
        mark = marks.get(item["key"])
        if mark and hides(mark, item, today):
            aside.append({**public(item), "set_aside": {"action": mark["action"], "until": mark["until"]}})
        else:
            shown.append(public(item))
    return shown, aside


def hides(mark, item, today):
    """A snooze hides until its date; a dismissal while the item is as it was."""
    if mark["action"] == "snooze":
        return today.isoformat() < mark["until"]
    return mark["state"] == item["state"]


def public(item):
    """The item as the API shows it (its state is the server's own business)."""
    return {k: v for k, v in item.items() if k != "state"}


def find(db, *, viewer, scope, today, key):
    """The viewer's item under ``key`` (shown or set aside), or None."""
    return next((i for i in items(db, viewer=viewer, scope=scope, today=today) if i["key"] == key), None)


def _item(kind, cohort_id, ref, *, since, today, who, title, path, state):
    """One queue item: kind, stable key, what it is about, how old, where it lives."""
    return {"kind": kind, "key": f"{kind}:{cohort_id}:{ref}", "ref": ref, "cohort_id": cohort_id, "since": since,
            "age_days": (today - figures.day(since)).days if since else None, "who": who, "title": title,
            "url": links.absolute(path), "state": state}


def _comment_item(c, today):
    """An open question (it changes when someone replies) or an unanswered post."""
    kind = "open_question" if c["is_question"] else "unanswered_post"
    words = " ".join(c["body_md"].split())
    return _item(kind, c["cohort_id"], c["id"], since=c["created"], today=today, who=c["author_name"],
                 title=f"{'Question' if c['is_question'] else 'Post'} in {c['module_title']}: {words[:80]}",
                 path=links.comment_path(c["module_url"], c["id"]), state=f"{c['reply_count']}:{c['edited'] or ''}")


def _presentation_item(s, today):
    """A presentation short of reviews: opens its review form."""
    return _item("presentation_short", s["cohort_id"], s["id"], since=s["submitted_at"], today=today,
                 who=s["owner_name"],
                 title=f"Presentation in {s['module_title']}: {s['received']} of {s['reviews_target']} reviews",
                 path=links.review_path(s["module_url"], s["id"]), state=str(s["received"]))


def _plan_item(p, view, today):
    """A plan waiting for the viewer's feedback: opens the plan with the giver's form."""
    who = next((x["name"] for x in view["learners"] if x["id"] == p["learner"]), "")
    need = "debrief waiting for feedback" if p["stage"] == "debrief_submitted" else "plan to review"
    return _item("plan_waiting", view["cohort"]["id"], p["id"], since=p["since"], today=today, who=who,
                 title=f"{p['module_title']}: {need}", path=links.plan_path(p["module_url"], p["id"]),
                 state=f"{p['stage']}:{p['since']}")


def _attention_item(db, viewer, a, view, today):
    """A learner who needs attention: opens their learner page; their age is how long since they last did anything.

    Its state is the reasons with their counts, leaving out the day counts that grow by themselves
    (days inactive, days a plan waited): a dismissed learner comes back when another module falls
    behind or another review is owed, not every morning.
    """
    p = next(x for x in view["learners"] if x["id"] == a["learner"]["id"])
    since = p["last_activity"] or view["cohort"]["starts"]
    state = ";".join(f"{r['code']}:{r['n'] if r['code'] in ('behind', 'reviews_owed') else ''}" for r in a["reasons"])
    person = {"cohort_id": view["cohort"]["id"], "role": "learner", "user_id": p["id"], "manager_id": p["manager_id"]}
    # an observer reads every cohort's figures but no one's page: their link is the dashboard
    path = (links.learner_path(view["cohort"]["id"], p["id"]) if can(db, viewer, "dashboard.learner", person)
            else "dashboard/")
    return _item("learner_attention", view["cohort"]["id"], p["id"], since=since, today=today, who=p["name"],
                 title="; ".join(r["text"] for r in a["reasons"]), path=path, state=state)
