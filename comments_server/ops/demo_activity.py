"""Demo activity: what the sample cohorts look like a few weeks in.

Called by ``seed.seed_demo`` after the people and the first roundtable posts
exist. Everything goes through the store functions the API views use, so
completions, xAPI events and notifications follow as they would for real
people. The store functions take no clock, so every record carries the time
the seed ran (due dates, and so "behind" and "doing well", still come from
the cohort's start and today).

Idempotent: each step first looks for what it would create (a submission's
stage, a comment with the same text by the same author, a topic or post with
the same title, a wiki page) and only does what is missing. Steps whose
module or cohort is not in the catalog are skipped, so a different catalog
simply gets no activity.
"""

from __future__ import annotations

import datetime as dt
import json

from comments_server.access.rules import can
from comments_server.actions import wiki as wiki_actions
from comments_server.access import community as scopes
from comments_server.access import threads as thread_access
from comments_server.actions import comments as comment_actions
from comments_server.actions import community as community_actions

from comments_server.actions import activities as actions
from comments_server.actions import quizzes as quiz_actions
from comments_server.domain import xapi
from comments_server.domain.completion import StepError
from comments_server.domain.timeutil import now
from comments_server.store import (
    blogs,
    comments,
    completions,
    reviews,
    submissions,
    threads,
    users,
    quizzes,
    wiki,
)
from comments_server.store.db import write_transaction

ONBOARDING = "onboarding-2026-11"
SALES = "sales-2026-q4"
FINANCE = "finance-2026-h2"
PLAN_ORDER = ("draft", "submitted", "encounter_set", "debrief_submitted", "feedback_given")

# --------------------------------------------------------------------------- texts

PLAN_TEXTS = {
    "onboarding/first-one-to-one/plan": (
        "**Learn:** what a great first quarter looks like from your side, and how you like to get updates.\n\n"
        "**Share:** I do my best work with a clear owner per task; I get quiet when I'm unsure.\n\n"
        "**Agree by the end:** a weekly 30-minute slot and one thing I own by the end of the month.",
        "It went better than planned. I learned the team's biggest worry is the Q1 migration, which I "
        "did not expect. We agreed a weekly slot on Tuesdays and that I own the hand-over checklist.\n\n"
        "I ran out of time before asking how they like to get updates; I'll open with that next week."),
    "onboarding/ship-your-first-work/plan": (
        "**Outcome:** a one-page onboarding checklist the support team can use on Monday.\n\n"
        "**Out of scope:** tooling changes. **Done when:** two new starters used it without asking me.",
        "Scope shrank to the first week only, which was the right call. We agreed 'done' means the "
        "support lead signs it off after two starters have used it."),
    "sales/plan-a-discovery-call/plan": (
        "**Who:** Head of Operations at a 200-person logistics firm.\n\n"
        "**Know:** they doubled headcount in a year; invoices are still matched by hand.\n\n"
        "**Learn:** what a late invoice costs them, who else feels it.\n\n"
        "**Next step to propose:** a 45-minute session with their finance lead.",
        "I talked less than half the time, which is a first. The real problem is month-end close, not "
        "invoices. They agreed to the session with finance next Thursday."),
}
FEEDBACK = {
    "onboarding/first-one-to-one/plan": (5, "Great first one-to-one. Owning the checklist is exactly right; "
                                            "let's look at the migration together next week."),
    "onboarding/ship-your-first-work/plan": (4, "Good scoping: cutting to the first week made it shippable."),
    "sales/plan-a-discovery-call/plan": (4, "Strong plan and an honest debrief. Next time, write down the "
                                            "question that uncovered month-end close so you can reuse it."),
}
REFLECTIONS = {
    "onboarding/how-we-work/reflection": "In 60 days I hope to know who decides what without having to ask, "
                                         "and to write things down the way this team does.",
    "onboarding/working-with-customers/reflection": "The support hand-over was clean because it came with a "
                                                    "short written summary and an owner. I'll do the same.",
    "sales/plan-a-discovery-call/reflection": "With a plan I asked better follow-up questions and the customer "
                                              "did most of the talking. Without one I pitched in minute five.",
    "modern-finance/why-budgets-break/reflection": "We lean on the budget as a target; separating the "
                                                   "forecast would stop the sandbagging we see every spring.",
}
POSTS = {
    "onboarding/first-one-to-one/roundtable": "I now send my manager three bullets every Friday: done, next, "
                                              "blocked. Our one-to-ones got much shorter and more useful.",
    "onboarding/working-with-customers/roundtable": "The billing team depends on my tickets being tagged "
                                                    "right. I didn't know a wrong tag costs them an hour.",
    "sales/discovery-calls/roundtable": "I started pitching at minute four. 'What happens today when an "
                                        "invoice is late?' would have opened the whole thing up.",
    "sales/objection-handling/roundtable": "'It's too expensive' is the one I hear most. Last time I dropped "
                                           "the price; now I'd ask what they're comparing it with.",
    "sales/next-steps-that-stick/roundtable": "Four of my nine opportunities have a dated next step. I'm fixing "
                                              "the logistics one with a mutual plan this Thursday.",
    "modern-finance/why-budgets-break/roundtable": "Travel was out of date by February, and we still cut "
                                                   "training in May because of it.",
}
SECOND_REFLECTION = ("Allocation, clearly: headcount is fixed in the budget and everything else is argued "
                     "around it. Separated, we could move money mid-year without a fight.")
OPEN_QUESTION = ("onboarding/first-one-to-one/roundtable",
                 "My manager cancelled our second one-to-one twice. How do I raise it without sounding "
                 "needy? Is it normal in the first month?")
REVIEW_TEXTS = [
    ({"clarity": 4, "concrete examples": 5, "advice the next new hire can use": 4},
     "The story about the support hand-over made it real. Slide 3 had too much text."),
    ({"clarity": 5, "concrete examples": 4, "advice the next new hire can use": 5},
     "Clear and honest. 'Ask who owns it before you start' is advice I wish I'd had."),
    ({"clarity": 3, "concrete examples": 4, "advice the next new hire can use": 4},
     "Good examples; the ending was rushed, so the advice got lost a bit."),
]
# the sample quiz: most miss the multiple-choice question at first, so the dashboard has something to show
DISCOVERY_QUIZ = "sales/discovery-calls/discovery-check"
QUIZ_ATTEMPTS = [
    [{"q1": "b", "q2": ["a"], "q3": "50%"}, {"q1": "b", "q2": ["a", "c"], "q3": "70 %"}],
    [{"q1": "a", "q2": ["a", "b", "c"], "q3": "70"}, {"q1": "b", "q2": ["a", "c"], "q3": "70"}],
    [{"q1": "b", "q2": ["a", "c"], "q3": "seventy percent"}],
]
COACH_REVIEW = ({"clarity": 4, "concrete examples": 5, "advice the next new hire can use": 5},
                "Well structured, and the advice is specific. Slow down in the last minute.")

# --------------------------------------------------------------------------- small helpers


def _user(db, person):
    """The full user (with memberships) the store functions expect."""
    return users.get_user(db, user_id=person["id"])


def _activity(db, activity_id):
    """A live activity with its module's fields, or None when the catalog has no such activity."""
    activity = completions.get_activity(db, activity_id=activity_id)
    return activity if activity and not activity["retired"] else None


def _base():
    """The statements' IRI base of the app being seeded (XAPI_BASE, else BASE_URL/xapi)."""
    from flask import current_app

    return xapi.base_from(current_app.config)


def _days_ago(days, hour=10):
    """An encounter time ``days`` before today, as the plan API formats it."""
    moment = (now() - dt.timedelta(days=days)).replace(hour=hour, minute=0, second=0, microsecond=0)
    return moment.strftime("%Y-%m-%dT%H:%M")


def _read(db, person, activity_id, cohort_id):
    """Mark a module read (idempotent in the store)."""
    activity = _activity(db, activity_id)
    if activity:
        actions.mark_read(db, viewer=_user(db, person), activity=activity, cohort_id=cohort_id, xapi_base=_base())


def _reflect(db, person, activity_id, cohort_id, body_md=None):
    """Post a reflection once (the text of REFLECTIONS unless given)."""
    activity = _activity(db, activity_id)
    if activity is None or completions.get_reflection(db, activity_id=activity_id, user_id=person["id"],
                                                      cohort_id=cohort_id):
        return
    actions.save_reflection(db, viewer=_user(db, person), activity=activity, cohort_id=cohort_id,
                            body_md=body_md or REFLECTIONS[activity_id], xapi_base=_base())


def _quiz(db, person, activity_id, cohort_id, attempts):
    """Submit a learner's quiz attempts once; nothing when the site was built without the quiz's answers."""
    activity = _activity(db, activity_id)
    if activity is None or quizzes.get_key(db, activity_id=activity_id) is None or quizzes.list_attempts(
            db, activity_id=activity_id, user_id=person["id"], cohort_id=cohort_id):
        return
    for answers in attempts:
        quiz_actions.submit_attempt(db, viewer=_user(db, person), activity=activity, cohort_id=cohort_id,
                                    answers=answers, xapi_base=_base())


def _comment(db, thread_ref, person, body_md, *, parent=None, question=False):
    """Add a comment as the comment API does (actions/comments.py), once; return its row."""
    stored = thread_ref if isinstance(thread_ref, int) else None
    if stored is None:
        pair = threads.parse_key(thread_ref)
        row = threads.find(db, activity_id=pair[0], cohort_id=pair[1])
        stored = row["id"] if row else None
    found = stored and comments.existing(db, thread_id=stored, author_id=person["id"], body_md=body_md)
    if found:
        return comments.get_row(db, comment_id=found, viewer_id=person["id"])
    row, _, _ = comment_actions.post_comment(db, viewer=_user(db, person), thread_ref=thread_ref, body_md=body_md,
                                             parent_id=parent["id"] if parent else None, question=question)
    return row


def _post(db, person, activity_id, cohort_id, body_md, *, question=False, parent=None):
    """Post in a cohort's roundtable for an activity; return the comment row (None without the activity)."""
    if _activity(db, activity_id) is None:
        return None
    thread = threads.roundtable(db, activity_id=activity_id, cohort_id=cohort_id)
    return _comment(db, thread["id"], person, body_md, parent=parent, question=question)


def _community_comment(db, thread_id, person, body_md):
    """Reply in a forum topic, blog post or author question thread, as its viewer."""
    thread, ctx = thread_access.load(db, _user(db, person), thread_id)
    return _comment(db, thread_id, person, body_md) if ctx else None


# --------------------------------------------------------------------------- plans


def _plan(db, person, activity_id, cohort_id, target, giver=None):
    """Take the learner's plan step by step up to ``target`` (a PLAN_ORDER stage)."""
    activity = _activity(db, activity_id)
    if activity is None:
        return None
    learner = _user(db, person)
    plan_md, debrief_md = PLAN_TEXTS[activity_id]
    sub = submissions.find(db, activity_id=activity_id, user_id=learner["id"], cohort_id=cohort_id)
    if sub is None:
        sub = actions.save_plan(db, viewer=learner, activity=activity, cohort_id=cohort_id, body_md=plan_md,
                                xapi_base=_base())
    while sub["stage"] in PLAN_ORDER and PLAN_ORDER.index(sub["stage"]) < PLAN_ORDER.index(target):
        sub = _plan_step(db, sub, activity, learner, giver, debrief_md)
    return sub


def _plan_step(db, sub, activity, learner, giver, debrief_md):
    """The one next step of a plan, by whoever takes it."""
    stage, plan_id, base = sub["stage"], sub["id"], _base()
    if stage == "draft":
        return actions.submit_plan(db, viewer=learner, plan_id=plan_id, xapi_base=base)[0]
    if stage == "submitted":
        return actions.set_encounter(db, viewer=learner, plan_id=plan_id, encounter_at=_days_ago(3), xapi_base=base)[0]
    if stage == "encounter_set":
        return actions.submit_debrief(db, viewer=learner, plan_id=plan_id, body_md=debrief_md, xapi_base=base)[0]
    rating, comment_md = FEEDBACK[activity["id"]]
    return actions.give_feedback(db, viewer=_user(db, giver), plan_id=plan_id, rating=rating, comment_md=comment_md,
                                 xapi_base=base)[0]


# --------------------------------------------------------------------------- presentations


def _present(db, person, activity, cohort_id, link):
    """Submit a presentation link and allocate reviewers, as the presentation API does."""
    learner = _user(db, person)
    if submissions.find(db, activity_id=activity["id"], user_id=learner["id"], cohort_id=cohort_id):
        return
    actions.submit_presentation(db, viewer=learner, activity=activity, cohort_id=cohort_id, link=link,
                                xapi_base=_base())


def _review(db, sub, activity, reviewer, role, scores, comment_md):
    """Give one review, once."""
    if reviews.get_review(db, submission_id=sub["id"], reviewer_id=reviewer["id"]):
        return
    try:
        actions.review(db, viewer=_user(db, reviewer), presentation_id=sub["id"], scores=scores,
                       comment_md=comment_md, xapi_base=_base())
    except StepError:
        pass  # reviewed in the meantime: nothing to add


def _presentations(db, cohort_id, people):
    """Three learners share a link; peers review some of them, the coach reviews the printed learner's."""
    activity = _activity(db, "onboarding/show-what-you-learned/presentation")
    if activity is None:
        return
    amara, lukas, priya, _behind = people["learners"][:4]
    for person, slug in ((amara, "first-60-days"), (lukas, "what-i-shipped"), (priya, "notes-for-new-hires")):
        _present(db, person, activity, cohort_id, f"https://slides.example.com/{slug}")
    givers = {lukas["id"]: lukas, priya["id"]: priya, amara["id"]: amara}
    amara_gave = 0
    for row in reviews.live_assignments(db, activity_id=activity["id"], cohort_id=cohort_id):
        reviewer = givers.get(row["reviewer_id"])
        if reviewer is None or row["role"] != "peer":
            continue  # the learner who is behind has not reviewed yet
        if reviewer is amara:
            if amara_gave:
                continue  # one left for the printed learner to do
            amara_gave += 1
        sub = submissions.get(db, submission_id=row["submission_id"])
        scores, text = REVIEW_TEXTS[(row["submission_id"] + row["reviewer_id"]) % len(REVIEW_TEXTS)]
        _review(db, sub, activity, reviewer, "peer", scores, text)
    own = submissions.find(db, activity_id=activity["id"], user_id=amara["id"], cohort_id=cohort_id)
    _review(db, own, activity, people["coach"], "coach", *COACH_REVIEW)


# --------------------------------------------------------------------------- the printed cohort


def _printed_cohort(db, cohort_id, people, sales_cohort):
    """The printed learner a few weeks in, one peer doing well, one in the middle, one behind."""
    amara, lukas, priya, tomas = people["learners"][:4]
    manager, coach = people["manager"], people["coach"]
    # Amara: first modules complete, the one-to-one debrief waiting for her manager
    for slug in ("how-we-work", "first-one-to-one", "working-with-customers", "show-what-you-learned"):
        _read(db, amara, f"onboarding/{slug}/read", cohort_id)
    _reflect(db, amara, "onboarding/how-we-work/reflection", cohort_id)
    shared = _post(db, amara, "onboarding/first-one-to-one/roundtable", cohort_id,
                   POSTS["onboarding/first-one-to-one/roundtable"])
    if shared:
        _post(db, coach, "onboarding/first-one-to-one/roundtable", cohort_id,
              "Done, next, blocked is a great habit. Try adding one line: *what I need from you*.", parent=shared)
    _post(db, amara, "onboarding/working-with-customers/roundtable", cohort_id,
          POSTS["onboarding/working-with-customers/roundtable"])
    _reflect(db, amara, "onboarding/working-with-customers/reflection", cohort_id)
    _plan(db, amara, "onboarding/first-one-to-one/plan", cohort_id, "debrief_submitted")
    # Lukas: doing well, everything due done, first deliverable debriefed for the coach
    for slug in ("how-we-work", "first-one-to-one", "working-with-customers", "ship-your-first-work"):
        _read(db, lukas, f"onboarding/{slug}/read", cohort_id)
    _plan(db, lukas, "onboarding/first-one-to-one/plan", cohort_id, "feedback_given", giver=manager)
    _post(db, lukas, "onboarding/first-one-to-one/roundtable", cohort_id,
          "We agreed I bring one decision I need from my manager to each one-to-one. Fewer surprises both ways.")
    tagged = _post(db, lukas, "onboarding/working-with-customers/roundtable", cohort_id,
                   "Finance needs my expense tags right at month end; I set a reminder for the 25th.")
    if tagged:
        _post(db, coach, "onboarding/working-with-customers/roundtable", cohort_id,
              "Nice catch. Ask finance which other tags they fix by hand: there is usually a second one.",
              parent=tagged)
    _reflect(db, lukas, "onboarding/working-with-customers/reflection", cohort_id)
    _plan(db, lukas, "onboarding/ship-your-first-work/plan", cohort_id, "debrief_submitted")
    # Priya: plan submitted and waiting for the manager to look at it; an open question for the coach
    for slug in ("how-we-work", "first-one-to-one"):
        _read(db, priya, f"onboarding/{slug}/read", cohort_id)
    _plan(db, priya, "onboarding/first-one-to-one/plan", cohort_id, "submitted")
    _post(db, priya, OPEN_QUESTION[0], cohort_id, OPEN_QUESTION[1], question=True)
    # Tomás: read the first module only, three modules overdue
    _read(db, tomas, "onboarding/how-we-work/read", cohort_id)
    _presentations(db, cohort_id, people)
    if sales_cohort:
        _earlier_plan(db, amara, manager, coach, sales_cohort)


def _earlier_plan(db, amara, manager, coach, sales_cohort):
    """The printed learner also takes the sales program, on schedule: an earlier plan with her manager's feedback."""
    with write_transaction(db):
        if users.get_role(db, user_id=amara["id"], cohort_id=sales_cohort) is None:
            users.set_membership(db, user_id=amara["id"], cohort_id=sales_cohort, role="learner")
    for slug in ("discovery-calls", "plan-a-discovery-call"):
        _read(db, amara, f"sales/{slug}/read", sales_cohort)
    _post(db, amara, "sales/discovery-calls/roundtable", sales_cohort, POSTS["sales/discovery-calls/roundtable"])
    _plan(db, amara, "sales/plan-a-discovery-call/plan", sales_cohort, "feedback_given", giver=manager)
    _reflect(db, amara, "sales/plan-a-discovery-call/reflection", sales_cohort)
    # on time with the rest: role-play shared and waiting for peer reviews, next steps done
    for slug in ("objection-handling", "next-steps-that-stick"):
        _read(db, amara, f"sales/{slug}/read", sales_cohort)
        _post(db, amara, f"sales/{slug}/roundtable", sales_cohort, POSTS[f"sales/{slug}/roundtable"])
    role_play = _activity(db, "sales/objection-handling/presentation")
    if role_play:
        _present(db, amara, role_play, sales_cohort, "https://video.example.com/too-expensive-role-play")


def _other_cohort(db, cohort_id, people, program):
    """A lighter picture of another started cohort: two learners finish the first module, the rest lag."""
    first = {"sales": "sales/discovery-calls", "modern-finance": "modern-finance/why-budgets-break"}[program]
    for person in people["learners"][:2]:
        _read(db, person, f"{first}/read", cohort_id)
    post_id = f"{first}/roundtable"
    if post_id in POSTS:
        _post(db, people["learners"][3], post_id, cohort_id, POSTS[post_id])
    if program == "sales":
        for person, attempts in zip(people["learners"], QUIZ_ATTEMPTS):
            _quiz(db, person, DISCOVERY_QUIZ, cohort_id, attempts)
    if f"{first}/reflection" in REFLECTIONS:
        _reflect(db, people["learners"][0], f"{first}/reflection", cohort_id)
        _reflect(db, people["learners"][1], f"{first}/reflection", cohort_id, SECOND_REFLECTION)


# --------------------------------------------------------------------------- community


def _module_authors(db):
    """The module authors named in the catalog (content front matter) become people who can answer."""
    emails = set()
    for row in db.query("SELECT authors FROM modules WHERE retired = FALSE"):
        emails.update(json.loads(row["authors"] or "[]"))
    with write_transaction(db):
        for email in sorted(emails):
            name = " ".join(part.capitalize() for part in email.split("@")[0].split("."))
            users.upsert_user(db, email=email, name=name)


def _topic(db, board_id, author, title, body_md, replies):
    """A forum topic with replies, once (found by board and title)."""
    viewer = _user(db, author)
    board = scopes.board(db, viewer, board_id)
    if board is None:
        return
    found = next(db.query("SELECT id FROM forum_topics WHERE title = ? AND program_id IS NOT DISTINCT FROM ? AND deleted IS NULL",
                          [title, board["program_id"]]), None)
    topic_id = found["id"] if found else community_actions.start_topic(
        db, viewer=viewer, board_id=board_id, title=title, body_md=body_md)
    thread_id = next(db.query("SELECT thread_id FROM forum_topics WHERE id = ?", [topic_id]))["thread_id"]
    for person, text in replies:
        _community_comment(db, thread_id, person, text)


def _blog(db, author, cohort_id, title, body_md, commenter, comment_md):
    """A blog post for the cohort with one comment, once (found by author and title)."""
    viewer = _user(db, author)
    found = next(db.query("SELECT id, thread_id FROM blog_posts WHERE author_id = ? AND title = ?",
                          [author["id"], title]), None)
    if found is None:
        cohort, program = blogs.audience(db, author=viewer, visibility="program", cohort_id=cohort_id)
        post_id = community_actions.publish_post(db, viewer=viewer, title=title, body_md=body_md,
                                                 visibility="program", cohort_id=cohort, program_id=program)
        found = next(db.query("SELECT id, thread_id FROM blog_posts WHERE id = ?", [post_id]))
    _community_comment(db, found["thread_id"], commenter, comment_md)


def _wiki(db, program_id, first, second):
    """A wiki page written by one person and improved by another: two revisions, once."""
    slug, title = "first-week-checklist", "First-week checklist"
    texts = [
        "- Get your laptop and accounts set up\n- Book your first one-to-one\n- Read *How we work*",
        "- Get your laptop and accounts set up (IT answers in #help-it)\n- Book your first one-to-one\n"
        "- Read *How we work*\n- Find out who uses your work: ask in your team channel",
    ]
    for number, (person, body, note) in enumerate(((first, texts[0], "First version"),
                                                   (second, texts[1], "Added where to get help")), start=1):
        viewer = _user(db, person)
        if not can(db, viewer, "wiki.edit", wiki.new_page(program_id, slug)):
            return
        page = wiki.get_page(db, program_id=program_id, slug=slug)
        if (page["revision"] if page else 0) >= number:
            continue
        wiki_actions.save_page(db, viewer=viewer, program_id=program_id, slug=slug, title=title, body_md=body,
                               base_revision=number - 1, note=note)


def _ask_author(db, learner, module_id, title, body_md, answer_md):
    """A learner asks a module's author a question and the first author answers, once."""
    viewer = _user(db, learner)
    module = scopes.module_for_asking(db, viewer, module_id)
    if module is None or not module["can_ask"]:
        return
    found = next(db.query("SELECT id, thread_id FROM author_questions WHERE learner_id = ? AND title = ?",
                          [learner["id"], title]), None)
    if found is None:
        question_id = community_actions.ask_author(db, viewer=viewer, module=module, title=title, body_md=body_md)
        found = next(db.query("SELECT id, thread_id FROM author_questions WHERE id = ?", [question_id]))
    author = users.get_user(db, email=module["emails"][0])
    if author:
        _community_comment(db, found["thread_id"], author, answer_md)


def _community(db, cohort_id, people):
    """Forum topics on the program board and the everyone board, a blog post, a wiki page, an author question."""
    amara, lukas, priya, _tomas = people["learners"][:4]
    coach, manager = people["coach"], people["manager"]
    _topic(db, "onboarding", lukas, "Which internal tools did you wish you'd known about in week one?",
           "I found the team directory only in week three. What else is hiding in plain sight?",
           [(amara, "The meeting-notes search. Every decision from the last two years is in there."),
            (coach, "Great thread. I'll add the best answers to the wiki's first-week checklist.")])
    _topic(db, "everyone", manager, "How do you keep one-to-ones useful after the first month?",
           "Managers and new hires alike: what keeps your one-to-ones from becoming status updates?",
           [(amara, "A shared doc with three bullets each, written the day before."),
            (priya, "We swap who sets the agenda every other week.")])
    _blog(db, amara, cohort_id, "What I learned shipping my first checklist",
          "Three weeks in, the most useful thing I've done is ship something small. Scoping it down "
          "to the **first week only** was the difference between shipping and polishing.",
          coach, "Lovely write-up. The scoping point is exactly what the next module is about.")
    _wiki(db, "onboarding", lukas, amara)
    _ask_author(db, amara, "onboarding/first-one-to-one", "What if my manager is in another time zone?",
                "Our overlap is one hour a day. Should the first one-to-one still be live, or is a written "
                "one-to-one fine to start?",
                "Keep the first one live, even if it's short: it sets up the relationship. After that, "
                "alternating written and live works well across time zones.")


# --------------------------------------------------------------------------- entry point


def seed_activity(db, cohorts, groups):
    """Seed the sample cohorts' activity; ``groups`` are ``seed._people`` results in cohort order."""
    by_id = {cohort["id"]: (cohort, people) for cohort, people in zip(cohorts, groups)}
    if ONBOARDING not in by_id:
        return  # not the sample catalog: people and posts only
    _module_authors(db)
    cohort, people = by_id[ONBOARDING]
    _printed_cohort(db, cohort["id"], people, SALES if SALES in by_id else None)
    for cohort_id, program in ((SALES, "sales"), (FINANCE, "modern-finance")):
        if cohort_id in by_id:
            _other_cohort(db, cohort_id, by_id[cohort_id][1], program)
    _community(db, cohort["id"], people)
