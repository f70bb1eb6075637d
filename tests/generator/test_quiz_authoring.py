"""Quiz activities (issue 12): every authoring mistake named with file, line and fix; answers never reach learners."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from sitebuild import FIXTURES, build, run

QUIZ_PROGRAM = Path(__file__).resolve().parents[1] / "activities" / "fixture_program"
PAGE = "skills/check-your-understanding"

MISTAKES = [
    "content/sales/discovery-calls.md:5: pass_mark must be a whole number from 1 to 100, not '120' "
    "(fix: write e.g. pass_mark: 80 (the percentage of questions right))",
    "content/sales/discovery-calls.md:6: attempts must be a whole number from 1 to 20, not '0' "
    "(fix: write e.g. attempts: 3, or leave it out for no limit)",
    "content/sales/discovery-calls.md:10: single-choice question 'q1' has no correct option "
    "(fix: mark the right option with `correct: true`)",
    "content/sales/discovery-calls.md:14: single-choice question 'q2' has 2 correct options "
    "(fix: mark only one `correct: true`, or make it `multiple:`)",
    "content/sales/discovery-calls.md:18: unknown question type 'ranking' in question 3 "
    "(fix: use one of: single, multiple, short)",
    "content/sales/discovery-calls.md:22: multiple-choice question 'q4' needs at least two options "
    "(fix: add `options:` with one `- text: ...` per option)",
    "content/sales/discovery-calls.md:26: correct must be true or false, not 'yes please' (fix: write correct: true)",
    "content/sales/discovery-calls.md:29: a quiz needs at least one question "
    "(fix: add e.g. `questions:` then `  - single: Your question?` with its `options:`)",
    "content/sales/short-answers.md:6: short-answer question 'q1' has no accepted answer "
    "(fix: add e.g. `answers: [SPIN, spin selling]` (case and spaces are ignored))",
    "content/sales/short-answers.md:8: short-answer question 'q2' takes `answers`, not `options` "
    "(fix: list what counts as right: `answers: [SPIN, spin selling]`)",
    "content/sales/short-answers.md:11: single-choice question 'q3' takes `options`, not `answers` "
    "(fix: mark the right option(s) with `correct: true`, or make it `short:`)",
    "content/sales/short-answers.md:16: question id 'Bad Id' is not URL-safe "
    "(fix: use lower-case letters, digits and dashes)",
]


@pytest.fixture(scope="module")
def quiz_site(tmp_path_factory):
    """The activity fixture program (it has a quiz), built once."""
    root = tmp_path_factory.mktemp("quiz") / "program"
    shutil.copytree(QUIZ_PROGRAM, root)
    result = build(root, root.parent / "site")
    assert result.exit_code == 0, result.output
    return root.parent / "site"


@pytest.mark.parametrize("expected", MISTAKES)
def test_check_names_each_quiz_mistake_with_file_line_and_fix(expected):
    result = run("check", "-f", str(FIXTURES / "quiz_mistakes" / "mkdocs.yml"))
    assert result.exit_code == 1
    assert expected in result.output.splitlines()


def test_check_counts_every_quiz_mistake_as_an_error():
    result = run("check", "-f", str(FIXTURES / "quiz_mistakes" / "mkdocs.yml"))
    assert f"Error: {len(MISTAKES)} error(s) in the content; nothing was built" in result.output.splitlines()


def test_the_catalog_carries_the_questions_without_their_answers(quiz_site):
    catalog = json.loads((quiz_site / "catalog.json").read_text())
    module = next(m for p in catalog["programs"] for m in p["modules"] if m["id"] == PAGE)
    quiz = next(a for a in module["activities"] if a["kind"] == "quiz")
    assert quiz["options"]["pass_mark"] == 60 and quiz["options"]["attempts"] == 3
    assert [q["type"] for q in quiz["options"]["questions"]] == ["single", "multiple", "short"]
    assert quiz["options"]["questions"][0]["options"][1] == {
        "id": "b", "text": "Find out whether the customer has a problem worth solving"}
    text = json.dumps(catalog)
    for secret in ("correct", "SPIN", "Neil Rackham", "That is a demo", "can be answered with yes"):
        assert secret not in text


def test_the_answers_are_only_in_the_private_keys_file(quiz_site):
    keys = json.loads((quiz_site / "quiz-keys.json").read_text())["activities"][f"{PAGE}/quiz"]["questions"]
    assert keys["q1"]["correct"] == ["b"]
    assert keys["q2"]["correct"] == ["a", "c"]
    assert keys["q3"]["answers"] == ["SPIN"]
    assert keys["q1"]["feedback"]["a"] == "That is a demo, for a later call."
    page = (quiz_site / PAGE / "index.html").read_text()
    index = (quiz_site / "search" / "search_index.json").read_text()
    for published in (page, index):
        assert "SPIN" not in published and "That is a demo" not in published
    assert 'data-rt-kind="quiz" data-rt-id="skills/check-your-understanding/quiz"' in page
