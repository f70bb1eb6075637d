"""Quizzes through the API (issue 12): the server checks attempts against answers learners never receive,
counts and limits attempts, and the best attempt at the pass mark completes the module."""

from __future__ import annotations

import copy
import json

import pytest
from activities.conftest import CATALOG, COHORT, PEOPLE, Api, assert_error

from comments_server import create_app
from comments_server.web.database import get_db
from support.people import enroll

QUIZ = "sales/knowledge/quiz"
URL = f"/api/activities/{QUIZ}/quiz"
QUESTIONS = [
    {"id": "q1", "type": "single", "text": "What is a discovery call for?",
     "options": [{"id": "a", "text": "A demo"}, {"id": "b", "text": "Finding the problem"}]},
    {"id": "q2", "type": "multiple", "text": "Which are open questions?",
     "options": [{"id": "a", "text": "What happens when..?"}, {"id": "b", "text": "Do you..?"},
                 {"id": "c", "text": "How do you..?"}]},
    {"id": "q3", "type": "short", "text": "Which acronym names the question types?"},
]
KEY = {
    "q1": {"type": "single", "correct": ["b"], "explanation": "",
           "feedback": {"a": "That is a demo, for later.", "b": "Yes: the problem first."}},
    "q2": {"type": "multiple", "correct": ["a", "c"], "explanation": "Open questions start with what or how.",
           "feedback": {"b": "Yes or no: closed."}},
    "q3": {"type": "short", "answers": ["SPIN", "spin selling"], "explanation": ""},
}
RIGHT = {"q1": "b", "q2": ["c", "a"], "q3": "  Spin   SELLING "}
ONE_RIGHT = {"q1": "a", "q2": ["a"], "q3": "spin"}


def quiz_catalog():
    """The activity tests' catalog plus a module whose completion is its quiz (pass mark 60, 2 attempts)."""
    catalog = copy.deepcopy(CATALOG)
    module = {"id": "sales/knowledge", "slug": "knowledge", "title": "Knowledge", "order": 5,
              "url": "sales/knowledge/", "src_path": "sales/knowledge.md", "due_days": 40, "summary": "",
              "authors": [], "content_hash": "sha256:knowledge", "completion": [QUIZ],
              "activities": [
                  {"id": "sales/knowledge/read", "key": "read", "kind": "read", "order": 0, "prompt": "",
                   "options": {}},
                  {"id": QUIZ, "key": "quiz", "kind": "quiz", "order": 1, "prompt": "Check yourself.",
                   "options": {"pass_mark": 60, "attempts": 2, "questions": QUESTIONS}}]}
    catalog["programs"][0]["modules"].append(module)
    return catalog


@pytest.fixture
def app(tmp_path, database_url):
    """The server with the quiz catalog and its private answer file beside it."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "quiz-keys.json").write_text(json.dumps({"schema_version": 1,
                                                     "activities": {QUIZ: {"questions": KEY}}}))
    (site / "catalog.json").write_text(json.dumps(quiz_catalog()))
    app = create_app({"TESTING": True, "SECRET_KEY": "test", "SITE_DIR": str(site), "DATABASE_URL": database_url,
                      "RATELIMIT_WRITES": "10000/minute", "BASE_URL": "http://rt.test"},
                     instance_path=str(tmp_path / "instance"))
    with app.app_context():
        enroll(get_db(), [*PEOPLE, ("zoe@example.com", "Zoe Elsewhere", None, None, None)])
    return app


@pytest.fixture
def as_user(app):
    """``as_user("ana")`` -> a signed-in JSON client."""
    return lambda name: Api(app, f"{name}@example.com")


def status_of(client, module_id="sales/knowledge"):
    """The module's status on the learner's My progress."""
    programs = client.get("/api/progress").get_json()["learner"]["programs"]
    return next(m for p in programs for m in p["modules"] if m["id"] == module_id)["status"]


def test_a_learner_reads_the_questions_but_never_the_answers(as_user):
    body = as_user("ana").get(URL).get_json()
    assert [q["id"] for q in body["activity"]["options"]["questions"]] == ["q1", "q2", "q3"]
    assert body["attempts"] == [] and body["attempts_left"] == 2 and body["can_attempt"] is True
    text = json.dumps(body)
    for secret in ("correct", "SPIN", "spin selling", "That is a demo", "Yes or no: closed"):
        assert secret not in text


def test_the_answers_file_is_never_served(app, as_user):
    assert as_user("ana").get("/quiz-keys.json").status_code == 404
    assert app.test_client().get("/quiz-keys.json").status_code == 404


def test_an_attempt_is_graded_with_feedback_for_the_chosen_options(as_user):
    response = as_user("ana").post(f"{URL}/attempts", {"answers": ONE_RIGHT})
    assert response.status_code == 201
    body = response.get_json()
    assert body["attempt"] == {**body["attempt"], "number": 1, "score": 33, "passed": False,
                               "results": {"q1": False, "q2": False, "q3": True}}
    q1, q2, q3 = body["feedback"]
    assert q1["options"] == [{"id": "a", "feedback": "That is a demo, for later."}]
    assert q2["explanation"] == "Open questions start with what or how." and q2["correct"] is False
    assert q3["correct"] is True
    assert body["attempts_left"] == 1 and body["passed"] is False
    assert "correct" not in json.dumps(body["activity"])


def test_failing_leaves_the_module_open_and_passing_completes_it(as_user):
    ana = as_user("ana")
    ana.post(f"{URL}/attempts", {"answers": ONE_RIGHT})
    assert status_of(ana) == "in_progress"
    body = ana.post(f"{URL}/attempts", {"answers": RIGHT}).get_json()
    assert body["attempt"]["score"] == 100 and body["passed"] is True
    assert status_of(ana) == "complete"


def test_the_best_attempt_counts(as_user, app):
    ana = as_user("ana")
    ana.post(f"{URL}/attempts", {"answers": {"q1": "b", "q2": ["a", "c"], "q3": "nope"}})  # 66: passes at 60
    ana.post(f"{URL}/attempts", {"answers": ONE_RIGHT})  # 33
    body = ana.get(URL).get_json()
    assert [a["score"] for a in body["attempts"]] == [66, 33]
    assert body["best"]["number"] == 1 and body["passed"] is True
    assert status_of(ana) == "complete"


def test_attempts_are_counted_and_refused_once_used_up(as_user, app):
    ana = as_user("ana")
    for _ in range(2):
        assert ana.post(f"{URL}/attempts", {"answers": ONE_RIGHT}).status_code == 201
    assert_error(ana.post(f"{URL}/attempts", {"answers": RIGHT}), 403,
                 "You have used all 2 attempts at this quiz")
    body = ana.get(URL).get_json()
    assert len(body["attempts"]) == 2 and body["attempts_left"] == 0 and body["can_attempt"] is False
    with app.app_context():
        assert get_db().execute("SELECT COUNT(*) FROM quiz_attempts").fetchone()[0] == 2


@pytest.mark.parametrize("answers, message", [
    ({"q1": "b", "q2": ["a"]}, "Question 3 has no answer: answer every question, then submit."),
    ({**RIGHT, "q9": "a"}, "There is no question 'q9' in this quiz."),
    ({**RIGHT, "q1": "z"}, "Question 1 takes one option id (a, b), not 'z'."),
    ({**RIGHT, "q2": "a"}, "Question 2 takes a non-empty list of option ids (a, b, c)."),
    ({**RIGHT, "q2": ["a", "a"]}, "Question 2 takes each option id at most once, from: a, b, c."),
    ({**RIGHT, "q3": ["SPIN"]}, "Question 3 needs a typed answer (text)."),
    (["b", ["a"], "SPIN"], "answers must be an object of question id -> answer"),
])
def test_malformed_answers_are_refused_with_what_to_fix_and_use_no_attempt(as_user, answers, message):
    ana = as_user("ana")
    assert_error(ana.post(f"{URL}/attempts", {"answers": answers}), 400, message)
    assert ana.get(URL).get_json()["attempts_left"] == 2


def test_a_body_without_answers_is_refused(as_user):
    assert_error(as_user("ana").post(f"{URL}/attempts", {"answer": RIGHT}), 400)


def test_someone_outside_the_program_gets_404(as_user):
    zoe = as_user("zoe")  # signed in, enrolled nowhere
    assert_error(zoe.get(URL), 404)
    assert_error(zoe.post(f"{URL}/attempts", {"answers": RIGHT}), 404)


def test_a_learner_of_another_cohort_sees_their_own_attempts_only(as_user):
    as_user("ana").post(f"{URL}/attempts", {"answers": RIGHT})
    body = as_user("ola").get(URL).get_json()
    assert body["cohort_id"] != COHORT and body["attempts"] == []


def test_only_learners_take_the_quiz(as_user):
    assert_error(as_user("cora").post(f"{URL}/attempts", {"answers": RIGHT}), 403, "Only learners")
    assert as_user("cora").get(URL).get_json()["can_attempt"] is False


def test_signed_out_visitors_are_asked_to_sign_in(app):
    assert app.test_client().get(URL).status_code == 401


def test_an_unknown_quiz_is_404(as_user):
    assert_error(as_user("ana").get("/api/activities/sales/knowledge/nope/quiz"), 404)


def test_an_attempt_writes_a_scored_xapi_statement(as_user, app):
    as_user("ana").post(f"{URL}/attempts", {"answers": ONE_RIGHT})
    as_user("ana").post(f"{URL}/attempts", {"answers": RIGHT})
    with app.app_context():
        rows = get_db().execute("SELECT verb, result FROM events WHERE object LIKE ? ORDER BY id",
                                [f"%{QUIZ}%"]).fetchall()
    verbs = [json.loads(v)["id"].rsplit("/", 1)[1] for v, _ in rows]
    assert verbs[:2] == ["failed", "passed"]
    assert json.loads(rows[1][1])["score"]["raw"] == 100 and json.loads(rows[1][1])["success"] is True


def test_a_site_published_without_the_answers_cannot_be_graded(tmp_path, database_url):
    site = tmp_path / "site"
    site.mkdir()
    (site / "catalog.json").write_text(json.dumps(quiz_catalog()))
    app = create_app({"TESTING": True, "SECRET_KEY": "test", "SITE_DIR": str(site), "DATABASE_URL": database_url,
                      "RATELIMIT_WRITES": "10000/minute"}, instance_path=str(tmp_path / "instance"))
    with app.app_context():
        enroll(get_db(), PEOPLE)
    assert_error(Api(app, "ana@example.com").post(f"{URL}/attempts", {"answers": RIGHT}), 503, "quiz-keys.json")


def test_the_dashboard_shows_per_question_figures_to_staff_only(as_user):
    as_user("ana").post(f"{URL}/attempts", {"answers": ONE_RIGHT})  # q3 only
    as_user("ana").post(f"{URL}/attempts", {"answers": RIGHT})
    as_user("ben").post(f"{URL}/attempts", {"answers": {"q1": "b", "q2": ["a"], "q3": "no"}})  # q1 only
    health = "/api/dashboard/programs/sales/health"
    figures = as_user("cora").get(f"{health}?cohort={COHORT}").get_json()["quiz_questions"]
    by_id = {q["question_id"]: q for q in figures}
    assert by_id["q1"] == {**by_id["q1"], "learners": 2, "first_right": 0.5, "best_right": 1.0,
                           "text": "What is a discovery call for?", "module_title": "Knowledge"}
    assert by_id["q2"]["first_right"] == 0.0 and by_id["q2"]["best_right"] == 0.5
    assert figures[0]["question_id"] == "q2"  # the most missed first
    assert_error(as_user("ana").get(f"{health}?cohort={COHORT}"), 403)
