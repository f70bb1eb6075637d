"""Plans, presentations, reviews and activities as the API answers them (rows in, JSON-ready dicts out)."""

from __future__ import annotations

import json

from comments_server.domain.completion import encounter_passed


def activity_json(activity):
    """The activity part of the widget's answer (prompt, options, module)."""
    return {"id": activity["id"], "kind": activity["kind"], "prompt": activity["prompt"],
            "options": activity["options"],
            "module": {"id": activity["module_id"], "title": activity["module_title"],
                       "url": activity["module_url"]}}


def plan_json(sub, rel, *, feedback, steps):
    """The plan as the API returns it; the draft body only to its owner."""
    draft_hidden = sub["stage"] == "draft" and rel != "owner"
    return {
        "id": sub["id"], "activity_id": sub["activity_id"], "cohort_id": sub["cohort_id"],
        "owner": {"id": sub["user_id"], "name": sub["owner_name"]},
        "stage": sub["stage"],
        "body": sub["body_md"] if rel == "owner" else None,
        "body_html": "" if draft_hidden else sub["body_html"],
        "encounter_at": sub["encounter_at"], "encounter_passed": encounter_passed(sub["encounter_at"]),
        "submitted_at": sub["submitted_at"],
        "debrief": sub["debrief_md"] if rel == "owner" else None,
        "debrief_html": sub["debrief_html"], "debrief_at": sub["debrief_at"],
        "created": sub["created"], "updated": sub["updated"],
        "feedback": feedback, "steps": steps,
        "viewer_relation": rel,
    }


def waiting_plan_json(r):
    """A plan waiting for the viewer (manager or coach) on My progress and the plan widget."""
    return {"id": r["id"], "activity_id": r["activity_id"], "cohort_id": r["cohort_id"],
            "owner": {"id": r["user_id"], "name": r["owner_name"]}, "stage": r["stage"],
            "module": {"id": r["module_id"], "title": r["module_title"], "url": r["module_url"]},
            "needs": "feedback" if r["stage"] == "debrief_submitted" else "review the plan",
            "updated": r["updated"]}


def cohort_plan_json(r):
    """A submitted plan of the cohort, for its coaches."""
    return {"id": r["id"], "activity_id": r["activity_id"], "cohort_id": r["cohort_id"],
            "owner": {"id": r["user_id"], "name": r["owner_name"]}, "stage": r["stage"],
            "needs": "feedback" if r["stage"] == "debrief_submitted" else "comment", "updated": r["updated"]}


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


def review_json(row):
    """A review as its reviewer sees it."""
    return {"id": row["id"], "submission_id": row["submission_id"], "role": row["role"],
            "scores": json.loads(row["scores"]), "comment_html": row["comment_html"],
            "helpfulness": row["helpfulness"], "created": row["created"]}


def presenter_feedback(rows, *, sub, rubric, named):
    """All reviews of a submission together, with averages per criterion.

    Reviewer names are shown only when the module says ``reviewers_named``;
    a coach is always shown as "Coach" (by name when named).
    """
    reviews = [_review_for_presenter(r, i, named) for i, r in enumerate(rows, 1)]
    averages = {}
    for criterion in rubric:
        values = [r["scores"][criterion] for r in reviews if criterion in r["scores"]]
        averages[criterion] = round(sum(values) / len(values), 2) if values else None
    return {"reviews": reviews, "averages": averages, "count": len(reviews),
            "target": sub["reviews_target"]}


def _review_for_presenter(row, number, named):
    """One review as the presenter sees it."""
    label = row["reviewer_name"] if named else ("Coach" if row["role"] == "coach" else f"Peer {number}")
    return {"id": row["id"], "reviewer": label, "role": row["role"], "scores": json.loads(row["scores"]),
            "comment_html": row["comment_html"], "helpfulness": row["helpfulness"], "created": row["created"]}


def reflection_json(own):
    """The viewer's own reflection (with its Markdown), or None."""
    return ({"id": own["id"], "body": own["body_md"], "body_html": own["body_html"],
             "created": own["created"], "edited": own["edited"]} if own else None)
