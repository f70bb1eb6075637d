"""Quiz answer keys and learners' attempts: SQL only."""

from __future__ import annotations

import json


def sync_keys(db, *, keys):
    """Store every quiz's answer key (``{activity id: {questions: ...}}``) for the activities the catalog has."""
    live = {r["id"] for r in db.query("SELECT id FROM activities WHERE kind = 'quiz'")}
    rows = [{"activity_id": aid, "questions": json.dumps(entry.get("questions", {}), sort_keys=True)}
            for aid, entry in keys.items() if aid in live]
    if rows:
        db.table("quiz_keys").upsert_all(rows, pk="activity_id")
    return len(rows)


def get_key(db, *, activity_id):
    """Return a quiz's answer key by question id, or None when the build gave none."""
    row = next(db.query("SELECT questions FROM quiz_keys WHERE activity_id = ?", [activity_id]), None)
    return json.loads(row["questions"]) if row else None


def list_attempts(db, *, activity_id, user_id, cohort_id):
    """The learner's attempts at a quiz, first to last, answers and results decoded."""
    return [_decoded(r) for r in db.query(
        """SELECT id, number, answers, results, score, passed, created FROM quiz_attempts
           WHERE activity_id = ? AND user_id = ? AND cohort_id = ? ORDER BY number""",
        [activity_id, user_id, cohort_id])]


def _decoded(row):
    """An attempt row with its JSON columns read."""
    return {**row, "answers": json.loads(row["answers"]), "results": json.loads(row["results"]),
            "passed": bool(row["passed"])}


def add_attempt(db, *, activity_id, user_id, cohort_id, number, answers, results, score, passed, at):
    """Store attempt ``number``; return its row, or None when that number was already taken (call inside the write)."""
    inserted = db.execute(
        """INSERT INTO quiz_attempts (activity_id, user_id, cohort_id, number, answers, results, score, passed, created)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""",
        [activity_id, user_id, cohort_id, number, json.dumps(answers, sort_keys=True),
         json.dumps(results, sort_keys=True), score, int(passed), at]).rowcount
    if not inserted:
        return None
    return next(_decoded(r) for r in db.query(
        """SELECT id, number, answers, results, score, passed, created FROM quiz_attempts
           WHERE activity_id = ? AND user_id = ? AND cohort_id = ? AND number = ?""",
        [activity_id, user_id, cohort_id, number]))


def cohort_results(db, *, cohort_ids):
    """Every learner attempt of some cohorts: (activity id, user id, number, score, results JSON), for the figures."""
    marks = ",".join("?" for _ in cohort_ids) or "NULL"
    return db.execute(
        f"""SELECT q.activity_id, q.user_id, q.number, q.score, q.results FROM quiz_attempts q
            JOIN memberships m ON m.user_id = q.user_id AND m.cohort_id = q.cohort_id AND m.role = 'learner'
            WHERE q.cohort_id IN ({marks}) ORDER BY q.activity_id, q.user_id, q.number""",
        list(cohort_ids)).fetchall()
