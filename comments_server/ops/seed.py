"""Demo data: people for every cohort of the catalog, a few posts in the first roundtables and,
for the sample catalog, a few weeks of activity (``demo_activity``)."""

from __future__ import annotations

import unicodedata

from comments_server.actions.comments import post_comment
from comments_server.domain import clock
from comments_server.ops import demo_activity
from comments_server.ops.auth_links import signin_link_for
from comments_server.store import catalog, notifications, threads, users
from comments_server.store.db import connect, write_transaction

LEARNERS = [
    "Amara Okafor", "Lukas Brandt", "Priya Raman", "Tomás Alvarez", "Hannah Keller",
    "Kenji Watanabe", "Sofia Lindqvist", "Malik Johnson", "Chloé Bernard", "Ravi Menon",
    "Ines Duarte", "Oliver Grant", "Mei Chen", "Jonas Weber", "Fatima Haddad", "Noah Fischer",
    "Aisha Bello", "Henrik Dahl", "Lucia Romano", "Ethan Brooks", "Zanele Mokoena", "Pavel Novak",
    "Camila Reyes", "Arjun Nair", "Freya Larsen", "Diego Castillo", "Leah Goldberg", "Omar Farouk",
]
COACHES = ["Grace Whitfield", "Daniel Osei", "Elena Petrova", "Marcus Hale"]
MANAGERS = ["Rebecca Stone", "Samuel Ortiz", "Yuki Tanaka", "Laura Bianchi"]
ADMIN = "Nadia Kowalski"

POSTS = [
    ("learner", 0, "This happened in my team last quarter. We noticed it late because nobody owned "
                   "the follow-up. The fix was boring: one name next to each action, and a check-in "
                   "a week later.", False),
    ("learner", 1, "How do you apply this when your manager prefers a different approach? I agree "
                   "with the module, but I'm not sure how to raise it without sounding like I'm "
                   "quoting a course.", True),
    ("coach", 1, "Good question. Start from the outcome you both want, not the method: *\"We both "
                 "want X - can I try this for two weeks and show you what changes?\"* A small, "
                 "time-boxed experiment is **easy to say yes to**.", None),
    ("learner", 2, "Trying the first idea this week with my own team. I will report back on what "
                   "happened.", False),
]


def _email(name):
    """Return a demo email address for a name (example.com never delivers)."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    plain = plain.replace(" ", ".")
    return f"{plain}@example.com"


def _people(db, cohort_index, cohort_id, starts=None):
    """Create one cohort's learners, coach and manager, members from the cohort's start; return them by role."""
    manager = users.upsert_user(db, email=_email(MANAGERS[cohort_index % 4]),
                                name=MANAGERS[cohort_index % 4])
    learners = []
    for i in range(4):
        name = LEARNERS[(cohort_index * 4 + i) % len(LEARNERS)]
        learner = users.upsert_user(db, email=_email(name), name=name, manager_id=manager["id"])
        users.set_membership(db, user_id=learner["id"], cohort_id=cohort_id, role="learner", joined=starts)
        learners.append(learner)
    coach = users.upsert_user(db, email=_email(COACHES[cohort_index % 4]),
                              name=COACHES[cohort_index % 4])
    users.set_membership(db, user_id=coach["id"], cohort_id=cohort_id, role="coach", joined=starts)
    users.set_membership(db, user_id=manager["id"], cohort_id=cohort_id, role="manager", joined=starts)
    return {"learners": learners, "coach": coach, "manager": manager}


def _posts(db, cohort, people):
    """Post the demo conversation in the program's first roundtable, once."""
    activity_id = catalog.first_roundtable(db, program_id=cohort["program_id"])
    if activity_id is None:
        return
    thread = threads.roundtable(db, activity_id=activity_id, cohort_id=cohort["id"])
    if not thread.get("virtual") and next(db.query("SELECT 1 FROM comments WHERE thread_id = ?",
                                                   [thread["id"]]), None):
        return  # already seeded (or real people have posted): leave it alone
    question_id = None
    for n, (role, who, text, question) in enumerate(POSTS):
        author = people["coach"] if role == "coach" else people["learners"][who]
        author = users.get_user(db, user_id=author["id"])
        with demo_activity.day(17 - n, 11 + 2 * n):  # week one's conversation, a post or two a day
            row, thread, _ = post_comment(db, viewer=author, thread_ref=thread["id"], body_md=text,
                                          parent_id=question_id if role == "coach" else None,
                                          question=bool(question))
        if question:
            question_id = row["id"]


def seed_demo(app, base_url):
    """Seed every cohort of the catalog; return [(role, name, email, link)], one per role.

    Idempotent: people are upserted, posts are only added to empty threads and
    ``demo_activity`` only adds what is missing.
    Links are valid for ADMIN_LINK_DAYS and point at ``base_url``.
    """
    db = connect(app.config["DATABASE"])
    try:
        with clock.use(app.extensions["clock"]):  # the app's clock (ROUNDTABLE_CLOCK): "now" for the seeded history
            return _seed(app, db, base_url)
    finally:
        db.close()


def _seed(app, db, base_url):
    """:func:`seed_demo`'s work, on an open connection."""
    cohorts = [c for c in catalog.list_cohorts(db) if not c["retired"]]
    with write_transaction(db):
        admin = users.upsert_user(db, email=_email(ADMIN), name=ADMIN, admin=True)
        groups = [_people(db, index, cohort["id"], cohort["starts"]) for index, cohort in enumerate(cohorts)]
    with demo_activity.history():  # the seeded steps carry times over the last three weeks (demo_activity.day)
        for cohort, people in zip(cohorts, groups):
            _posts(db, cohort, people)
        with app.app_context():  # xAPI statements read the app's config
            demo_activity.seed_activity(db, cohorts, groups)
    # the seeded weeks are history: they show in-site, but nobody is mailed about them
    notifications.file_pending_as_history(db, transport="demo seed")
    return _links(app, db, base_url, groups[0] if groups else None, admin)


def _links(app, db, base_url, first, admin):
    """Return one sign-in link per role."""
    picks = [("admin", admin)]
    if first:
        picks = [("learner", first["learners"][0]), ("coach", first["coach"]),
                 ("manager", first["manager"])] + picks
    return [(role, person["name"], person["email"],
             signin_link_for(app, db, person, base_url=base_url)) for role, person in picks]
