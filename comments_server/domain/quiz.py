"""Quizzes as pure functions: check a learner's answers against the questions, grade them with the key.

The key (right options, accepted short answers, feedback) comes from the build's private
site/quiz-keys.json through the catalog sync; it never leaves the server. What goes back to
the learner after an attempt: per question right or wrong, the feedback of the options they
chose and the question's explanation; never which options were right.
"""

from __future__ import annotations

import json

MAX_SHORT_ANSWER = 200


def normalise(text: str) -> str:
    """Compare short answers without case or extra white space."""
    return " ".join(str(text).split()).casefold()


def answer_problems(questions: list[dict], answers) -> list[str]:
    """Return what is wrong with submitted answers, one sentence each (empty when they can be graded)."""
    if not isinstance(answers, dict):
        return ["answers must be an object of question id -> answer, e.g. {\"q1\": \"b\"}."]
    known = {q["id"] for q in questions}
    problems = [f"There is no question '{qid}' in this quiz." for qid in answers if qid not in known]
    for number, question in enumerate(questions, 1):
        if question["id"] not in answers:
            problems.append(f"Question {number} has no answer: answer every question, then submit.")
        else:
            problems += _shape_problems(number, question, answers[question["id"]])
    return problems


def _shape_problems(number: int, question: dict, given) -> list[str]:
    """What is wrong with one answer for its question's type."""
    ids = [o["id"] for o in question.get("options", [])]
    listed = ", ".join(ids)
    if question["type"] == "short":
        if not isinstance(given, str) or not given.strip():
            return [f"Question {number} needs a typed answer (text)."]
        if len(given) > MAX_SHORT_ANSWER:
            return [f"Question {number}: the answer is longer than {MAX_SHORT_ANSWER} characters."]
        return []
    if question["type"] == "single":
        if not isinstance(given, str) or given not in ids:
            return [f"Question {number} takes one option id ({listed}), not {given!r}."]
        return []
    if not isinstance(given, list) or not given or not all(isinstance(g, str) for g in given):
        return [f"Question {number} takes a non-empty list of option ids ({listed})."]
    wrong = [g for g in given if g not in ids]
    if wrong or len(set(given)) != len(given):
        return [f"Question {number} takes each option id at most once, from: {listed}."]
    return []


def grade(questions: list[dict], key: dict, answers: dict, pass_mark: int) -> dict:
    """Return ``{score, passed, results: {qid: bool}, feedback: [...]}`` for answers that passed the checks."""
    results, feedback = {}, []
    for question in questions:
        qid, given = question["id"], answers[question["id"]]
        answer = key.get(qid, {})
        right = _is_right(question["type"], answer, given)
        results[qid] = right
        chosen = given if isinstance(given, list) else [given] if question["type"] == "single" else []
        feedback.append({"question_id": qid, "correct": right, "explanation": answer.get("explanation", ""),
                         "options": [{"id": oid, "feedback": answer.get("feedback", {}).get(oid, "")}
                                     for oid in chosen]})
    score = (100 * sum(results.values())) // len(questions) if questions else 0
    return {"score": score, "passed": score >= pass_mark, "results": results, "feedback": feedback}


def _is_right(kind: str, answer: dict, given) -> bool:
    """Whether one answer is right: the exact set of right options, or an accepted short answer."""
    if kind == "short":
        return normalise(given) in {normalise(a) for a in answer.get("answers", [])}
    chosen = set(given) if isinstance(given, list) else {given}
    return bool(answer.get("correct")) and chosen == set(answer["correct"])


def best(attempts: list[dict]) -> dict | None:
    """The attempt that counts: the highest score, the earliest of equals."""
    return max(attempts, key=lambda a: (a["score"], -a["number"]), default=None)


def question_figures(quizzes: list[dict], attempts) -> list[dict]:
    """Per question of each quiz: learners who attempted, share right on their first and on their best attempt.

    ``quizzes``: the quiz activities (id, module title, options.questions); ``attempts``: rows of
    (activity id, user id, number, score, results JSON) in attempt order. Questions most learners
    miss on their first attempt come first: where the program might be improved.
    """
    first, best = {}, {}
    for activity_id, user_id, number, score, results in attempts:
        row = (score, -number, results)
        first.setdefault((activity_id, user_id), row)
        best[(activity_id, user_id)] = max(best.get((activity_id, user_id), row), row)
    out = []
    for activity in quizzes:
        learners = [uid for (aid, uid) in first if aid == activity["id"]]
        for number, question in enumerate(activity["options"].get("questions") or [], 1):
            out.append({"activity_id": activity["id"], "module_title": activity["module_title"],
                        "question_id": question["id"], "number": number, "text": question["text"],
                        "learners": len(learners),
                        "first_right": _share(first, activity["id"], learners, question["id"]),
                        "best_right": _share(best, activity["id"], learners, question["id"])})
    return sorted(out, key=lambda q: (q["first_right"] is None, q["first_right"] or 0, q["activity_id"], q["number"]))


def _share(rows, activity_id, learners, question_id):
    """The share of learners whose chosen attempt had the question right (None without learners)."""
    if not learners:
        return None
    right = sum(1 for uid in learners if json.loads(rows[(activity_id, uid)][2]).get(question_id))
    return round(right / len(learners), 4)
