"""The events that notify: subscribers of domain events (actions/followups.py), inside the action's write.

Each function decides who is told, builds a short plain-text message and a
site-relative link to the thing to act on, and hands them to
``notify.notify`` with a visibility check for each recipient.
"""

from __future__ import annotations

from comments_server.access import threads as thread_access
from comments_server.access.community import topic_in_sight
from comments_server.domain import links
from comments_server.domain.render import MENTION
from comments_server.notify.core import notify
from comments_server.store import notifications as store
from comments_server.store import users


def _person(db, user_id):
    """Return a user with memberships (what access.py expects), or None."""
    return users.get_user(db, user_id=user_id)


def _sees_thread(db, thread):
    """Return a check: may this person read the thread (access/threads.py, the rule every view asks)?"""
    return lambda uid: thread_access.context(db, _person(db, uid), thread) is not None


def _sees_submission(db, submission_id):
    """Return a check: may this person see the submission (the rule ``submission.see``)?"""
    from comments_server.access.rules import can
    from comments_server.store import submissions

    sub = submissions.get(db, submission_id=submission_id)
    return lambda uid: can(db, _person(db, uid), "submission.see", sub)


def _short(text, limit=300):
    """Return the first ``limit`` characters of a text on one paragraph, with an ellipsis when cut."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# --------------------------------------------------------------------------- comments (every thread kind)


def comment_added(db, event):
    """Tell the people a new comment (CommentPosted) concerns: mentioned, replied to, asked, coaching, following."""
    thread, comment_id, author, parent = event.thread, event.comment_id, event.author, event.parent
    body_md, question = event.body_md, event.question
    where, url = _thread_place(db, thread, comment_id)
    sees = _sees_thread(db, thread)
    quote = _short(body_md)
    key = f"comment:{comment_id}"
    name = author["name"]
    told = set(notify(db, kind="mention", recipients=mentioned(db, body_md), actor=author, dedupe_key=key,
                      subject=f"{name} mentioned you in {where}", text=quote, url=url, can_see=sees))
    replied_to = store.comment_author(db, comment_id=parent["id"]) if parent else \
        store.thread_owner_author(db, thread_id=thread["id"]) if thread["kind"] in ("forum", "blog", "ask") else None
    told |= set(notify(db, kind="reply", recipients=[u for u in [replied_to] if u not in told], actor=author,
                       subject=f"{name} replied to you in {where}", text=quote, url=url, dedupe_key=key,
                       can_see=sees))
    for kind, subject, people in _interested(db, thread, author, parent, question, where):
        told |= set(notify(db, kind=kind, recipients=[u for u in people if u not in told], actor=author,
                           subject=subject.format(name=name), text=quote, url=url, dedupe_key=key, can_see=sees))
    return told


def _interested(db, thread, author, parent, question, where):
    """Yield (kind, subject, people) for the coaches, module authors and followers of a thread."""
    if thread["kind"] == "roundtable" and thread.get("cohort_id"):
        coaches = store.cohort_people(db, cohort_id=thread["cohort_id"], role="coach")
        yield "coach_post", "{name} posted in " + where, coaches
    if thread["kind"] == "ask" and question:
        module_id = store.question_module(db, thread_id=thread["id"])
        yield "question", "{name} asked you a question about " + where, \
            store.module_author_ids(db, module_id=module_id)
    if thread["kind"] == "forum":
        yield "subscription", "New reply in " + where, store.topic_subscribers(db, thread_id=thread["id"])


def _thread_place(db, thread, comment_id):
    """Return (what to call the thread in a subject, site-relative link to the comment)."""
    if thread["kind"] == "roundtable" or thread.get("module_url"):
        title = thread.get("module_title") or "the roundtable"
        return f"the roundtable of “{title}”", links.comment_path(thread.get("module_url"), comment_id)
    link = store.thread_link(db, thread_id=thread["id"])
    if link is None:
        return "a discussion", ""
    kind, title, item_id, module_url = link
    names = {"topic": "the topic", "post": "the blog post", "question": ""}
    url = {"topic": links.topic_path, "post": links.post_path}.get(kind)
    return f"{names[kind]} “{title}”".strip(), url(item_id) if url else links.question_path(module_url, item_id)


def mentioned(db, body_md):
    """Return the ids of people named as @First.Last, @e-mail-name or an unambiguous @first name."""
    handles = {h.lower().rstrip(".") for h in MENTION.findall(body_md)}
    matches = store.mention_candidates(db, handles=handles)
    by_handle = {}
    for user_id, handle in matches:
        by_handle.setdefault(handle, set()).add(user_id)
    return sorted({next(iter(ids)) for ids in by_handle.values() if len(ids) == 1})


# --------------------------------------------------------------------------- forum topics


def topic_created(db, event):
    """Tell the followers of a board about a new topic (TopicCreated), and the people it mentions."""
    topic_id, board_id, author, title, body_md = (event.topic_id, event.board_id, event.author, event.title,
                                                  event.body_md)
    sees = lambda uid: topic_in_sight(db, _person(db, uid), topic_id) is not None  # noqa: E731
    url, key = links.topic_path(topic_id), f"topic:{topic_id}"
    told = set(notify(db, kind="mention", recipients=mentioned(db, body_md), actor=author, dedupe_key=key,
                      subject=f"{author['name']} mentioned you in the topic “{title}”", text=_short(body_md),
                      url=url, can_see=sees))
    people = [u for u in store.board_subscribers(db, board=board_id) if u not in told]
    return told | set(notify(db, kind="subscription", recipients=people, actor=author, dedupe_key=key,
                             subject=f"New topic: {title}", text=_short(body_md), url=url, can_see=sees))


# --------------------------------------------------------------------------- plans


def plan_step(db, event):
    """Tell the feedback giver (the manager, or the cohort's coaches) that a plan or debrief waits for them.

    ``event``: ``PlanStepTaken``; only submit and debrief wait for someone.
    """
    sub, activity, action = event.sub, event.activity, event.action
    if action not in ("submit", "debrief"):
        return []
    what = "plan" if action == "submit" else "debrief"
    if activity["options"].get("feedback_from", "manager") == "coach":
        givers = store.cohort_people(db, cohort_id=sub["cohort_id"], role="coach")
    else:
        givers = [sub["owner_manager_id"]]
    return notify(db, kind="feedback_waiting", recipients=givers, actor=event.actor,
                  subject=f"{sub['owner_name']}'s {what} for “{activity['module_title']}” is waiting for you",
                  text=f"{sub['owner_name']} submitted their {what}. Open it to give your feedback.",
                  url=links.plan_path(activity["module_url"], sub["id"]),
                  dedupe_key=f"plan:{sub['id']}:{action}:{store.step_count(db, submission_id=sub['id'])}",
                  can_see=_sees_submission(db, sub["id"]))


def feedback_given(db, event):
    """Tell a learner that feedback, a revision request or a comment arrived on their plan (``PlanFeedbackGiven``)."""
    sub, activity, giver = event.sub, event.activity, event.giver
    what = {"feedback": "gave feedback on", "revision_request": "asked you to revise",
            "comment": "commented on"}[event.kind]
    return notify(db, kind="feedback_received", recipients=[sub["user_id"]], actor=giver,
                  subject=f"{giver['name']} {what} your plan for “{activity['module_title']}”",
                  text=_short(event.comment_md), url=links.plan_path(activity["module_url"], sub["id"], opened=False),
                  dedupe_key=None, can_see=_sees_submission(db, sub["id"]))


# --------------------------------------------------------------------------- peer reviews


def reviews_allocated(db, event):
    """Tell each reviewer about the presentations newly allocated to them (``ReviewersAllocated.pairs``)."""
    told = []
    for submission_id, reviewer_id in event.pairs:
        info = store.submission_place(db, submission_id=submission_id)
        told += notify(db, kind="review_allocated", recipients=[reviewer_id], actor=None,
                       subject=f"Please review {info['owner_name']}'s presentation for “{info['module_title']}”",
                       text=f"{info['owner_name']}'s presentation is waiting for your review.",
                       url=links.review_path(info["module_url"], submission_id),
                       dedupe_key=f"assign:{submission_id}", can_see=_sees_submission(db, submission_id))
    return told


def review_added(db, event):
    """Tell a presenter that a review of their presentation arrived (``ReviewAdded``; named only if the module says so)."""
    sub, activity, reviewer = event.sub, event.activity, event.reviewer
    named = bool(activity["options"].get("reviewers_named"))
    who = reviewer["name"] if named else "A reviewer"
    return notify(db, kind="feedback_received", recipients=[sub["user_id"]], actor=reviewer if named else None,
                  subject=f"{who} reviewed your presentation for “{activity['module_title']}”",
                  text="Open the module to read the review.", url=links.feedback_path(activity["module_url"]),
                  dedupe_key=f"review:{sub['id']}:{reviewer['id']}", can_see=_sees_submission(db, sub["id"]))
