"""The dashboard's figures as pure functions over cohort snapshots (no I/O).

A *snapshot* is what ``dashboard.service`` builds for one cohort: its modules
(with due and opening dates) and, per learner, one status per module (from
issue 4's ``completion.module_progress``), days to complete, revision, last
activity and roundtable posts; plus the cohort's lists of plans waiting, open
review assignments, learner posts and their first coach reply, plan feedback
and rubric scores, each item tagged with its learner. A *view* is a snapshot
limited to some learners (a manager's reports): :func:`limit`.
"""

from __future__ import annotations

import datetime as dt
import functools
import statistics

from comments_server.domain.completion import (
    COMPLETE,
    IN_PROGRESS,
    NOT_STARTED,
    OVERDUE,
    WAITING,
    status_on,
)

STATUSES = (COMPLETE, IN_PROGRESS, WAITING, OVERDUE, NOT_STARTED)
DEFAULTS = {
    "feedback_target_days": 3,      # plan feedback slower than this is a hint
    "coach_reply_target_hours": 48,  # a coach's first reply slower than this is a hint
    "inactive_days": 7,             # no event for this long: needs attention
    "review_grace_days": 3,         # a peer review assigned this long ago and not given: needs attention
    "low_score": 2,                 # a rubric mean at or below this is low (scores run 1..5)
    "completion_gap": 0.2,          # a module this far below the program's completion rate
    "quiet_share": 0.2,             # a roundtable joined by fewer learners than this share
    "low_share": 0.5,               # a criterion most presenters score low on
}


def median(values):
    """The median of the values rounded to 2 places, or None when there are none."""
    values = [v for v in values if v is not None]
    return round(statistics.median(values), 2) if values else None


def day(iso):
    """The date of an ISO timestamp or date."""
    return dt.date.fromisoformat(iso[:10])


def days_between(start_iso, end_iso):
    """Days from one ISO timestamp (or date, taken at 00:00 UTC) to another, 2 places."""
    start, end = (_moment(start_iso), _moment(end_iso))
    return round((end - start).total_seconds() / 86400, 2)


def hours_between(start_iso, end_iso):
    """Hours from one ISO timestamp to another, 2 places."""
    return round((_moment(end_iso) - _moment(start_iso)).total_seconds() / 3600, 2)


@functools.lru_cache(maxsize=65536)
def _moment(iso):
    """An aware datetime from an ISO timestamp or date."""
    if len(iso) == 10:
        return dt.datetime.fromisoformat(iso).replace(tzinfo=dt.timezone.utc)
    return dt.datetime.fromisoformat(iso.replace("Z", "+00:00"))


def limit(snapshot, learner_ids):
    """The snapshot limited to some learners (None: all of them)."""
    if learner_ids is None:
        return snapshot
    keep = set(learner_ids)
    out = {**snapshot, "learners": [p for p in snapshot["learners"] if p["id"] in keep]}
    for key in ("plans", "reviews_owed", "posts", "feedback", "rubric"):
        out[key] = [item for item in snapshot[key] if item["learner"] in keep]
    return out


# --------------------------------------------------------------------------- matrix, attention, doing well


def matrix(view):
    """Learners x modules with status per cell, plus counts per status."""
    counts = {s: 0 for s in STATUSES}
    rows = []
    for p in view["learners"]:
        for s in p["cells"]:
            counts[s] += 1
        rows.append({"learner": _who(p), "manager": p["manager_name"], "cells": p["cells"],
                     "completed": p["cells"].count(COMPLETE), "last_activity": p["last_activity"]})
    modules = [{k: m[k] for k in ("id", "title", "url", "due")} for m in view["modules"]]
    return {"modules": modules, "rows": rows, "counts": counts}


def _who(p):
    """The learner as the dashboard names them."""
    return {"id": p["id"], "name": p["name"], "email": p["email"]}


def attention(view, *, today, cfg=DEFAULTS):
    """Learners who need attention, each with reasons; most reasons first, then most behind."""
    out = []
    for p in view["learners"]:
        reasons = _reasons(view, p, today, cfg)
        if reasons:
            out.append({"learner": _who(p), "reasons": reasons})
    behind = lambda a: next((r["n"] for r in a["reasons"] if r["code"] == "behind"), 0)  # noqa: E731
    return sorted(out, key=lambda a: (-len(a["reasons"]), -behind(a), a["learner"]["name"], a["learner"]["id"]))


def _reasons(view, p, today, cfg):
    """Why one learner needs attention (possibly nothing)."""
    reasons = []
    behind = p["cells"].count(OVERDUE)
    if behind:
        reasons.append(_reason("behind", behind, f"Behind schedule by {behind} module{'s' * (behind > 1)}"))
    inactive = _inactive(view, p, today, cfg)
    if inactive:
        reasons.append(inactive)
    for plan in view["plans"]:
        waited = _plan_wait(plan, today)
        if plan["learner"] == p["id"] and plan["feedback_from"] == "manager" and waited is not None \
                and waited >= cfg["feedback_target_days"]:
            reasons.append(_reason("plan_waiting", waited, f"Plan in {plan['module_title']} waiting for "
                                                           f"manager feedback for {waited} days"))
    owed = [r for r in view["reviews_owed"] if r["learner"] == p["id"] and r["role"] == "peer"
            and (today - day(r["assigned_at"])).days >= cfg["review_grace_days"]]
    if owed:
        reasons.append(_reason("reviews_owed", len(owed),
                               f"{len(owed)} peer review{'s' * (len(owed) > 1)} not given"))
    return reasons


def _reason(code, n, text):
    """One reason with its number."""
    return {"code": code, "n": n, "text": text}


def _inactive(view, p, today, cfg):
    """The 'no activity' reason, or None."""
    if p["last_activity"]:
        idle = (today - day(p["last_activity"])).days
        if idle >= cfg["inactive_days"]:
            return _reason("inactive", idle, f"No activity for {idle} days")
        return None
    starts, joined = view["cohort"]["starts"], p.get("member_since")
    if joined and starts and joined[:10] > starts[:10]:  # a late joiner: idle since they joined, not since the start
        idle = (today - day(joined)).days
        if idle >= cfg["inactive_days"]:
            return _reason("inactive", idle, f"No activity since joining {idle} days ago")
        return None
    idle = (today - day(starts)).days if starts else 0
    if idle >= cfg["inactive_days"]:
        return _reason("inactive", idle, f"No activity since the cohort started {idle} days ago")
    return None


def _plan_wait(plan, today):
    """Days a debriefed plan has waited for feedback, or None when it is not debriefed."""
    if plan["stage"] != "debrief_submitted" or not plan["debrief_at"]:
        return None
    return (today - day(plan["debrief_at"])).days


def doing_well(view, *, today, cfg=DEFAULTS):
    """Learners with nothing to worry about who have done every module due so far (and at least one)."""
    flagged = {a["learner"]["id"] for a in attention(view, today=today, cfg=cfg)}
    due = [i for i, m in enumerate(view["modules"]) if m["due"] and day(m["due"]) < today]
    out = []
    for p in view["learners"]:
        done = p["cells"].count(COMPLETE)
        on_time = all(p["cells"][i] in (COMPLETE, WAITING) for i in due)
        if p["id"] not in flagged and done and on_time:
            out.append({"learner": _who(p), "completed": done, "of": len(p["cells"])})
    return sorted(out, key=lambda w: (-w["completed"], w["learner"]["name"], w["learner"]["id"]))


# --------------------------------------------------------------------------- program health


def module_stats(view, *, today):
    """Per module of one view: counts by status, due-date figures, days to complete, roundtable joins."""
    stats = []
    for i, m in enumerate(view["modules"]):
        cells = [p["cells"][i] for p in view["learners"]]
        started, overdue = sum(c != NOT_STARTED for c in cells), cells.count(OVERDUE)
        stats.append(_stats_on(m, _module_base(view, i), started, overdue, today))
    return stats


def _module_base(view, i):
    """What no new day moves in module i's stats: learners, completions, days to complete, joins, revisions."""
    cells = [p["cells"][i] for p in view["learners"]]
    return {"learners": len(cells), "complete": cells.count(COMPLETE),
            "joined": sum(i in p["joined"] for p in view["learners"]),
            "days": [p["done_days"][i] for p in view["learners"] if p["done_days"][i] is not None],
            "revisions": _revision_split(view, i)}


def _stats_on(m, base, started, overdue, today):
    """Module ``m``'s stats on ``today`` from its :func:`_module_base` and its started and overdue counts."""
    due_passed = bool(m["due"]) and day(m["due"]) < today
    return {
        "learners": base["learners"], "started": started, "complete": base["complete"], "overdue": overdue,
        "due_learners": base["learners"] if due_passed else 0,
        "due_complete": base["complete"] if due_passed else 0,
        "opened_learners": base["learners"] if day(m["opens"]) <= today else 0,
        "joined": base["joined"] if m["has_roundtable"] else None,
        "due_joined": base["joined"] if due_passed else 0,
        "days": base["days"], "revisions": base["revisions"],
    }


def _revision_split(view, i):
    """Per content revision of module i: learners placed in it, completions, days to complete."""
    out = {}
    revisions = view["modules"][i]["revisions"]
    for p in view["learners"]:
        rev = revisions[p["rev"][i]]
        entry = out.setdefault(rev, {"learners": 0, "complete": 0, "days": []})
        entry["learners"] += 1
        if p["cells"][i] == COMPLETE:
            entry["complete"] += 1
            if p["done_days"][i] is not None:
                entry["days"].append(p["done_days"][i])
    return out


def summarize(view, *, today):
    """What program health needs from one view, small enough to cache and merge across 50 cohorts."""
    return {**_undated_parts(view), "stats": module_stats(view, today=today)}


def _undated_parts(view):
    """The parts of a view's summary that do not depend on the day (all but ``stats``), in summary order."""
    roundtables = sum(m["has_roundtable"] for m in view["modules"])
    timeline = {}
    for p in view["learners"]:
        for week, n in p["weekly"].items():
            timeline[week] = timeline.get(week, 0) + n
    return {
        "cohort": view["cohort"], "learners": len(view["learners"]),
        "modules": [{"id": m["id"], "title": m["title"]} for m in view["modules"]],
        "stats": None,
        "participation": [{"learner": _who(p), "posts": p["posts"], "roundtables_joined": len(p["joined"]),
                           "roundtables": roundtables} for p in view["learners"]],
        "reply_hours": [p["reply_hours"] for p in view["posts"]],
        "feedback": [{"role": f["role"], "days": f["days"]} for f in view["feedback"]],
        "rubric": view["rubric"], "timeline": timeline,
    }


def undated_summary(view):
    """From a view whose statuses are undated (never overdue): what :func:`summary_on` needs for any day.

    A cell's status on a day depends only on its undated status and its due date
    (``completion.status_on``), the module's date moved by its learner's join
    delay; so the cells are counted per module, learner's ``member_since`` (few
    distinct dates) and status, and a new day costs modules x join dates, not
    learners x modules.
    """
    counts = {}  # member_since -> per module {undated status: cells}
    for p in view["learners"]:
        per_module = counts.setdefault(p.get("member_since"), [{} for _ in view["modules"]])
        for i, c in enumerate(p["cells"]):
            per_module[i][c] = per_module[i].get(c, 0) + 1
    return {"parts": _undated_parts(view), "modules": view["modules"],
            "bases": [_module_base(view, i) for i in range(len(view["modules"]))], "counts": counts}


def summary_on(undated, *, today, delay):
    """:func:`summarize` of the view dated ``today`` from its :func:`undated_summary`.

    ``delay(member_since)`` is a learner's join delay in days (``completion.joiner_delay``).
    The result shares the undated summary's lists: callers build new ones, never change them.
    """
    delays = {joined: dt.timedelta(days=delay(joined)) for joined in undated["counts"]}
    stats = []
    for i, (m, base) in enumerate(zip(undated["modules"], undated["bases"])):
        due = day(m["due"]) if m["due"] else None
        started = overdue = 0
        for joined, per_module in undated["counts"].items():
            for undated_status, n in per_module[i].items():
                status = status_on(undated_status, due and due + delays[joined], today)
                started += n * (status != NOT_STARTED)
                overdue += n * (status == OVERDUE)
        stats.append(_stats_on(m, base, started, overdue, today))
    return {**undated["parts"], "stats": stats}


def health(summaries, *, today, cfg=DEFAULTS, per_learner=True):
    """Program health over the summaries of one or more cohorts of the same program.

    ``per_learner`` False leaves the per-learner participation rows out (a
    whole program), keeping the median and the distribution of posts.
    """
    modules = summaries[0]["modules"] if summaries else []
    merged = [_merge([s["stats"][i] for s in summaries]) for i in range(len(modules))]
    module_rows = [_module_row(m, s) for m, s in zip(modules, merged)]
    out = {
        "learners": sum(s["learners"] for s in summaries),
        "modules": module_rows,
        "funnel": _funnel(module_rows),
        "completion_rate": _rate(sum(s["due_complete"] for s in merged), sum(s["due_learners"] for s in merged)),
        "participation": _participation(summaries, per_learner),
        "coach_response": _coach_response(summaries),
        "feedback_turnaround": _feedback(summaries),
        "rubric": _rubric(summaries, cfg),
        "timeline": _timeline(summaries),
    }
    out["hints"] = hints(out, cfg)
    return out


def _merge(stats):
    """Sum one module's stats over several views."""
    out = {k: sum(s[k] for s in stats) for k in ("learners", "started", "complete", "overdue",
                                                 "due_learners", "due_complete", "opened_learners",
                                                 "due_joined")}
    joins = [s["joined"] for s in stats if s["joined"] is not None]
    out["joined"] = sum(joins) if joins else None
    out["days"] = [d for s in stats for d in s["days"]]
    out["revisions"] = {}
    for s in stats:
        for rev, e in s["revisions"].items():
            acc = out["revisions"].setdefault(rev, {"learners": 0, "complete": 0, "days": []})
            acc["learners"] += e["learners"]
            acc["complete"] += e["complete"]
            acc["days"] += e["days"]
    return out


def _rate(part, whole):
    """A share rounded to 4 places, or None of nothing."""
    return round(part / whole, 4) if whole else None


def _module_row(m, s):
    """One module's health figures."""
    return {
        "id": m["id"], "title": m["title"], "learners": s["learners"], "started": s["started"],
        "complete": s["complete"], "overdue": s["overdue"],
        "completion_rate": _rate(s["complete"], s["learners"]),
        "due_completion_rate": _rate(s["due_complete"], s["due_learners"]),
        "median_days_to_complete": median(s["days"]),
        "roundtable_joined": s["joined"],
        "roundtable_join_rate": _rate(s["joined"], s["opened_learners"]) if s["joined"] is not None else None,
        "roundtable_due_join_rate": _rate(s["due_joined"], s["due_learners"]) if s["joined"] is not None else None,
        "opened_learners": s["opened_learners"], "due_learners": s["due_learners"],
        "revisions": [{"revision": rev, "learners": e["learners"], "complete": e["complete"],
                       "completion_rate": _rate(e["complete"], e["learners"]),
                       "median_days_to_complete": median(e["days"])}
                      for rev, e in s["revisions"].items()],
    }


def _funnel(rows):
    """Learners who started and completed each module, and how many fewer completed than the module before."""
    out, before = [], None
    for r in rows:
        out.append({"id": r["id"], "title": r["title"], "started": r["started"], "complete": r["complete"],
                    "drop_off": (before - r["complete"]) if before is not None else 0})
        before = r["complete"]
    return out


def _participation(summaries, per_learner):
    """Roundtable posts per learner (most first), their median and distribution."""
    rows = [r for s in summaries for r in s["participation"]]
    distribution = {}
    for r in rows:
        distribution[r["posts"]] = distribution.get(r["posts"], 0) + 1
    out = {"median_posts": median([r["posts"] for r in rows]),
           "distribution": [{"posts": k, "learners": n} for k, n in sorted(distribution.items())]}
    if per_learner:
        out["learners"] = sorted(rows, key=lambda r: (-r["posts"], r["learner"]["name"], r["learner"]["id"]))
    return out


def _coach_response(summaries):
    """Hours from a learner's post to the first coach reply: median, answered and unanswered counts."""
    hours = [h for s in summaries for h in s["reply_hours"]]
    answered = [h for h in hours if h is not None]
    return {"posts": len(hours), "answered": len(answered), "unanswered": len(hours) - len(answered),
            "median_hours": median(answered)}


def _feedback(summaries):
    """Days from a plan's debrief to its feedback, per role of the giver."""
    by_role = {}
    for s in summaries:
        for f in s["feedback"]:
            by_role.setdefault(f["role"], []).append(f["days"])
    return {role: {"count": len(days), "median_days": median(days)} for role, days in sorted(by_role.items())}


def _rubric(summaries, cfg):
    """Per presentation activity and criterion: score counts, mean, share of presenters scoring low."""
    acc = {}
    for v in summaries:
        for r in v["rubric"]:
            for criterion, score in r["scores"].items():
                c = acc.setdefault(r["activity_id"], {}).setdefault(criterion, {"counts": {}, "presenters": {}})
                c["counts"][str(score)] = c["counts"].get(str(score), 0) + 1
                c["presenters"].setdefault(r["learner"], []).append(score)
    out = []
    for activity_id, criteria in sorted(acc.items()):
        for criterion, c in criteria.items():
            means = [sum(s) / len(s) for s in c["presenters"].values()]
            scores = [int(k) for k, n in c["counts"].items() for _ in range(n)]
            out.append({"activity_id": activity_id, "criterion": criterion,
                        "counts": dict(sorted(c["counts"].items(), key=lambda kv: int(kv[0]))),
                        "mean": round(sum(scores) / len(scores), 2), "presenters": len(means),
                        "low_share": _rate(sum(m <= cfg["low_score"] for m in means), len(means))})
    return out


def _timeline(summaries):
    """Events per week (Monday's date), all cohorts together."""
    weeks = {}
    for s in summaries:
        for week, n in s["timeline"].items():
            weeks[week] = weeks.get(week, 0) + n
    return [{"week": w, "events": n} for w, n in sorted(weeks.items())]


# --------------------------------------------------------------------------- hints


def hints(h, cfg=DEFAULTS):
    """Ranked improvement hints with evidence: highest severity first (0..1), then kind, then subject."""
    found = _completion_hints(h, cfg) + _roundtable_hints(h, cfg) + _feedback_hints(h, cfg) \
        + _reply_hints(h, cfg) + _rubric_hints(h, cfg)
    order = ["low_completion", "quiet_roundtable", "slow_feedback", "slow_coach_reply", "low_rubric"]
    return sorted(found, key=lambda x: (-x["severity"], order.index(x["kind"]), x["subject"]))


def _hint(kind, subject, severity, text, evidence):
    """One hint."""
    return {"kind": kind, "subject": subject, "severity": round(min(1.0, severity), 4), "text": text,
            "evidence": evidence}


def _completion_hints(h, cfg):
    """Modules whose completion (among learners past the due date) is far below the program's."""
    overall = h["completion_rate"]
    out = []
    for m in h["modules"]:
        rate = m["due_completion_rate"]
        gap = round(overall - rate, 4) if rate is not None and overall is not None else None
        if gap is None or gap < cfg["completion_gap"]:
            continue
        out.append(_hint("low_completion", m["id"], gap,
                         f"{m['title']}: completion far below the program's",
                         f"{_pct(rate)} of learners past the due date completed it, against {_pct(overall)} "
                         f"across the program's modules."))
    return out


def _roundtable_hints(h, cfg):
    """Roundtables (of modules past their due date) that few or no learners have joined."""
    out = []
    for m in h["modules"]:
        rate = m["roundtable_due_join_rate"]
        if rate is None or rate >= cfg["quiet_share"]:
            continue
        who = "none of them has joined" if not rate else f"only {_pct(rate)} have joined"
        out.append(_hint("quiet_roundtable", m["id"], 1 - rate, f"{m['title']}: a quiet roundtable",
                         f"{m['due_learners']} learners are past the module's due date; {who} its roundtable."))
    return out


def _feedback_hints(h, cfg):
    """Plan feedback that takes longer than the target."""
    target = cfg["feedback_target_days"]
    out = []
    for role, f in h["feedback_turnaround"].items():
        if f["median_days"] is not None and f["median_days"] > target:
            out.append(_hint("slow_feedback", role, (f["median_days"] - target) / target,
                             f"{role.title()} feedback is slower than the target",
                             f"Median {f['median_days']} days from debrief to {role} feedback "
                             f"over {f['count']} plans; the target is {target} days."))
    return out


def _reply_hints(h, cfg):
    """Coach replies slower than the target."""
    target = cfg["coach_reply_target_hours"]
    c = h["coach_response"]
    if c["median_hours"] is None or c["median_hours"] <= target:
        return []
    return [_hint("slow_coach_reply", "coach", (c["median_hours"] - target) / target,
                  "Coaches reply to roundtable posts slower than the target",
                  f"Median {c['median_hours']} hours to the first coach reply over {c['answered']} answered "
                  f"posts ({c['unanswered']} unanswered); the target is {target} hours.")]


def _rubric_hints(h, cfg):
    """Rubric criteria where most presenters score low."""
    out = []
    for r in h["rubric"]:
        if r["low_share"] is not None and r["low_share"] > cfg["low_share"]:
            out.append(_hint("low_rubric", f"{r['activity_id']}#{r['criterion']}", r["low_share"],
                             f"Most presenters score low on '{r['criterion']}'",
                             f"{_pct(r['low_share'])} of {r['presenters']} presenters average "
                             f"{cfg['low_score']} or less on '{r['criterion']}' (mean {r['mean']})."))
    return out


def _pct(share):
    """A share as a whole percentage."""
    return f"{round(share * 100)}%"
