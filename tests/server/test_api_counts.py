"""GET /api/threads/counts (issue 14): an index page's comment counts in one request, in each viewer's own
cohort, out-of-sight roundtables absent (as a thread read answers 404), ETag and 304."""

from __future__ import annotations

from comments_server.store import users
from comments_server.store.db import write_transaction

from .conftest import PEOPLE, THREAD_URL, assert_error, post_comment

DISCOVERY = "sales/discovery-calls/roundtable"
OBJECTIONS = "sales/objection-handling/roundtable"
OPS = "ops/basics/roundtable"
ALL = f"/api/threads/counts?activities={DISCOVERY},{OBJECTIONS},{OPS},sales/discovery-calls/plan,no/such/thing"


def _thread_id(api, activity=DISCOVERY):
    return api.get(f"/api/activities/{activity}/thread").json["thread"]["id"]


def _counts(api, url=ALL, **kw):
    response = api.get(url, **kw)
    assert response.status_code == 200, response.json
    return response.json["counts"]


def test_each_viewer_counts_their_own_cohort_and_never_another(sign_in):
    learner, other = sign_in("learner"), sign_in("other_learner")
    thread = _thread_id(learner)
    for n in range(3):
        post_comment(learner, thread, f"Post {n}")
    post_comment(other, _thread_id(other), "In cohort b")
    # the plan, an unknown id and the ops program (no cohort of theirs) are absent, as their threads are 404
    assert _counts(learner) == {DISCOVERY: {"cohort_id": "sales-a", "comments": 3},
                                OBJECTIONS: {"cohort_id": "sales-a", "comments": 0}}
    assert _counts(other) == {DISCOVERY: {"cohort_id": "sales-b", "comments": 1},
                              OBJECTIONS: {"cohort_id": "sales-b", "comments": 0}}
    assert learner.get(f"/api/activities/{OPS}/thread").status_code == 404  # the same answer as absent


def test_coach_manager_observer_and_admin_read_the_counts_they_may_see(sign_in):
    learner = sign_in("learner")
    post_comment(learner, _thread_id(learner), "One")
    sales_a = {DISCOVERY: {"cohort_id": "sales-a", "comments": 1}, OBJECTIONS: {"cohort_id": "sales-a", "comments": 0}}
    for role in ("coach", "manager", "observer"):
        assert _counts(sign_in(role)) == sales_a, role
    admin = _counts(sign_in("admin"))  # no membership: the latest cohort of each program, every program
    assert admin == {DISCOVERY: {"cohort_id": "sales-b", "comments": 0},
                     OBJECTIONS: {"cohort_id": "sales-b", "comments": 0},
                     OPS: {"cohort_id": "ops-a", "comments": 0}}


def test_outsiders_see_no_count_and_strangers_must_sign_in(sign_in, anon):
    learner = sign_in("learner")
    post_comment(learner, _thread_id(learner), "One")
    assert _counts(sign_in("outsider")) == {}
    assert_error(anon.get(ALL), 401, "sign in")


def test_hidden_and_deleted_comments_are_not_counted(sign_in):
    learner, coach = sign_in("learner"), sign_in("coach")
    thread = _thread_id(learner)
    kept, hidden, deleted = (post_comment(learner, thread, t) for t in ("Kept", "Hidden", "Deleted"))
    assert coach.post(f"/api/comments/{hidden['id']}/hide", {"hidden": True}).status_code == 200
    assert learner.delete(f"/api/comments/{deleted['id']}").status_code == 200
    assert _counts(learner)[DISCOVERY]["comments"] == 1
    assert _counts(coach)[DISCOVERY]["comments"] == 1


def test_an_unchanged_page_answers_304_and_a_new_comment_changes_it(sign_in):
    learner = sign_in("learner")
    thread = _thread_id(learner)
    first = learner.get(ALL)
    etag = first.headers["ETag"]
    assert first.headers["Cache-Control"] == "private, no-cache"
    again = learner.get(ALL, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""
    post_comment(learner, thread, "New")
    changed = learner.get(ALL, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.json["counts"][DISCOVERY]["comments"] == 1
    assert changed.headers["ETag"] != etag
    # another cohort's answer is another answer: its ETag does not match
    other = sign_in("other_learner")
    assert other.get(ALL, headers={"If-None-Match": changed.headers["ETag"]}).status_code == 200


def test_bad_lists_are_refused_with_what_to_do(sign_in):
    learner = sign_in("learner")
    assert_error(learner.get("/api/threads/counts"), 400, "activities")
    assert_error(learner.get("/api/threads/counts?activities=,"), 400, "at least one")
    too_many = ",".join(f"sales/m{i}/roundtable" for i in range(51))
    assert_error(learner.get(f"/api/threads/counts?activities={too_many}"), 400, "at most 50")
    assert_error(learner.get("/api/threads/counts?activities=Sales/../x"), 400, "not an activity id")
    # a query string is parsed once per process: a refused one is refused again, and a good one after it works
    assert_error(learner.get("/api/threads/counts?activities=,"), 400, "at least one")
    assert learner.get(f"/api/threads/counts?activities={DISCOVERY}").status_code == 200


def test_a_thread_read_and_the_counts_agree(sign_in):
    learner = sign_in("learner")
    thread = _thread_id(learner)
    for n in range(4):
        post_comment(learner, thread, f"Post {n}")
    shown = learner.get(THREAD_URL).json["comments"]
    assert _counts(learner)[DISCOVERY]["comments"] == len(shown) == 4


def test_a_rebuilt_catalog_changes_what_is_counted_at_once(sign_in, site_dir):
    from .conftest import activity, make_catalog, write_catalog

    learner = sign_in("learner")
    second = "sales/discovery-calls/second-round"
    url = f"/api/threads/counts?activities={DISCOVERY},{second}"
    assert list(_counts(learner, url)) == [DISCOVERY]  # asked once: the answer's roundtables are kept in the process
    catalog = make_catalog()
    module = next(m for p in catalog["programs"] for m in p["modules"] if m["id"] == "sales/discovery-calls")
    module["activities"].append(activity(module["id"], "second-round", "roundtable", 9, "And now?"))
    write_catalog(site_dir, catalog)  # a rebuilt site with a second roundtable in the module
    assert sorted(_counts(learner, url)) == [DISCOVERY, second]


def test_a_learner_of_two_cohorts_reads_and_counts_the_later_one_and_an_admin_their_own(sign_in, db):
    learner, admin = sign_in("learner"), sign_in("admin")
    post_comment(learner, _thread_id(learner), "In cohort a")
    with write_transaction(db):
        for role, cohort in (("learner", "sales-b"), ("admin", "sales-a")):
            person = users.get_user(db, email=PEOPLE[role][0])
            users.set_membership(db, user_id=person["id"], cohort_id=cohort, role="learner")
    # sales-b starts after sales-a: the later of a person's own cohorts, in the counts and the thread alike
    assert _counts(learner)[DISCOVERY] == {"cohort_id": "sales-b", "comments": 0}
    assert learner.get(f"/api/activities/{DISCOVERY}/thread").json["thread"]["cohort_id"] == "sales-b"
    # an admin who belongs to a cohort reads that one, not the program's latest
    assert _counts(admin)[DISCOVERY] == {"cohort_id": "sales-a", "comments": 1}
    assert _counts(admin)[OPS] == {"cohort_id": "ops-a", "comments": 0}  # elsewhere still the latest
    # the cohort asked for still wins when the person may see it
    assert learner.get(f"/api/activities/{DISCOVERY}/thread?cohort=sales-a").json["thread"]["cohort_id"] == "sales-a"
