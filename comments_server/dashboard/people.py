"""Two views of the dashboard beyond one cohort's matrix: one learner's page, and a program's cohorts side by side.

The learner page is a learner's progress across their cohort's program (each
module's status from the cohort snapshot) with a link to each plan,
presentation, reflection and post of theirs that the viewer may open: every
item is asked of the rule its own page asks (``plan.see``,
``presentation.see``), so a manager sees their report's plans but not the
presentations only coaches and reviewers see. Links come from ``domain.links``.
"""

from __future__ import annotations

from comments_server.access.rules import can
from comments_server.dashboard import service
from comments_server.domain import figures, links
from comments_server.domain.completion import COMPLETE, OVERDUE
from comments_server.store import dashboard as store
from comments_server.store import submissions

STAGES = {"submitted": "Submitted, waiting for feedback", "encounter_set": "Encounter planned",
          "debrief_submitted": "Debrief waiting for feedback", "revision_requested": "Revision asked for",
          "feedback_given": "Feedback given", "complete": "Complete"}


def learner_page(db, *, viewer, cohort, person, today):
    """One learner's page in one cohort, as ``viewer`` may see it."""
    view = service.cohort_view(db, cohort=cohort, learners=None, today=today)
    row = next((p for p in view["learners"] if p["id"] == person["user_id"]), None)
    cells = row["cells"] if row else [None] * len(view["modules"])
    work = _work(db, viewer=viewer, cohort=cohort, user_id=person["user_id"])
    modules = [{"id": m["id"], "title": m["title"], "url": links.absolute(m["url"]), "due": m["due"], "status": status,
                "work": work.pop(m["id"], [])} for m, status in zip(view["modules"], cells)]
    reasons = next((a["reasons"] for a in figures.attention(view, today=today, cfg=service.settings())
                    if a["learner"]["id"] == person["user_id"]), [])
    return {"cohort": view["cohort"], "today": today.isoformat(),
            "learner": {"id": person["user_id"], "name": person["name"],
                        "manager": person["manager_name"], "last_activity": row and row["last_activity"],
                        "url": links.absolute(links.learner_path(cohort["id"], person["user_id"]))},
            "completed": cells.count(COMPLETE), "overdue": cells.count(OVERDUE), "of": len(cells),
            "attention": reasons, "modules": modules, "other_posts": [i for items in work.values() for i in items]}


def _work(db, *, viewer, cohort, user_id):
    """``{module id or None: [item]}``: what the learner did that the viewer may open, each with its link."""
    urls = {m["id"]: m["url"] for m in store.program_modules(db, program_id=cohort["program_id"])}
    out = {}

    def add(module_id, item):
        out.setdefault(module_id if module_id in urls else None, []).append(item)

    for s in store.learner_submissions(db, cohort_id=cohort["id"], user_id=user_id):
        sub = submissions.get(db, submission_id=s["id"])
        if not can(db, viewer, f"{s['kind']}.see", sub):
            continue
        url = urls.get(s["module_id"])
        path = links.plan_path(url, s["id"]) if s["kind"] == "plan" else links.review_path(url, s["id"])
        add(s["module_id"], {"kind": s["kind"], "id": s["id"], "at": s["submitted_at"] or s["created"],
                             "title": "Plan" if s["kind"] == "plan" else "Presentation",
                             "status": STAGES.get(s["stage"], s["stage"].replace("_", " ").capitalize()),
                             "url": links.absolute(path)})
    for c in store.learner_posts(db, cohort_id=cohort["id"], user_id=user_id):
        words = " ".join(c["body_md"].split())
        add(c["module_id"], {"kind": "question" if c["is_question"] else ("reply" if c["parent_id"] else "post"),
                             "id": c["id"], "at": c["created"], "title": words[:80], "status": None,
                             "url": links.absolute(links.comment_path(urls.get(c["module_id"]), c["id"]))})
    for b in store.learner_blog_posts(db, cohort_id=cohort["id"], program_id=cohort["program_id"], user_id=user_id):
        add(b["module_id"], {"kind": "reflection" if b["reflection_id"] else "blog_post", "id": b["id"],
                             "at": b["created"], "title": b["title"], "status": None,
                             "url": links.absolute(links.post_path(b["id"]))})
    return out


def program_cohorts(db, *, program_id, cohort_ids, today):
    """Every cohort of a program the viewer sees whole, side by side: size, progress, who needs attention."""
    cohorts = [c for c in store.cohorts_with_programs(db, cohort_ids=cohort_ids) if c["program_id"] == program_id]
    cfg = service.settings()
    rows = []
    for c in cohorts:
        view = service.cohort_view(db, cohort=c, learners=None, today=today)
        cells = [s for p in view["learners"] for s in p["cells"]]
        due = [i for i, m in enumerate(view["modules"]) if m["due"] and figures.day(m["due"]) < today]
        rows.append({
            "id": c["id"], "title": c["title"], "starts": c["starts"], "learners": len(view["learners"]),
            "modules": len(view["modules"]), "complete_share": _share(cells.count(COMPLETE), len(cells)),
            "modules_past_due": len(due), "overdue": cells.count(OVERDUE),
            "attention": len(figures.attention(view, today=today, cfg=cfg)),
            "doing_well": len(figures.doing_well(view, today=today, cfg=cfg)),
            "plans_waiting": len(view["plans"]),
            "posts_without_coach_reply": sum(1 for p in view["posts"] if p["reply_hours"] is None),
            "last_activity": max((p["last_activity"] for p in view["learners"] if p["last_activity"]), default=None),
        })
    return cohorts, rows


def _share(part, whole):
    """A share rounded to two places (None of nothing)."""
    return round(part / whole, 2) if whole else None
