"""Quiz questions: read from a quiz activity's front matter, split into what learners see and the answer key.

The questions and options go into the catalog (the widget reads them through the API);
which options are right, the accepted short answers and the feedback go only into
site/quiz-keys.json, a private file the server reads and never serves (docs/architecture.md, Seam 4).
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from generator.yamltree import Reader, did_you_mean

KEYS_FILE = "quiz-keys.json"
QUESTION_TYPES = ("single", "multiple", "short")
QUESTION_KEYS = ("id", "options", "answers", "feedback")
OPTION_KEYS = ("text", "correct", "feedback")
OPTION_LETTERS = "abcdefghijklmnopqrstuvwxyz"
EXAMPLE = "add e.g. `questions:` then `  - single: Your question?` with its `options:`"


def parse_questions(reader: Reader, node, kind_node, id_pattern) -> tuple[list[dict], dict]:
    """Return (questions as learners see them, answer key by question id) for a quiz's `questions` node."""
    if node is None or (isinstance(node, yaml.ScalarNode) and node.value in ("", "~", "null")):
        reader.problem(node or kind_node, "a quiz needs at least one question", EXAMPLE)
        return [], {}
    public, key = [], {}
    for number, item in enumerate(reader.sequence(node, "questions"), 1):
        parsed = _question(reader, item, number, id_pattern)
        if parsed is None:
            continue
        question, answer = parsed
        if question["id"] in key:
            reader.problem(item, f"question id '{question['id']}' is used twice in this quiz",
                           "give one of them another `id:`")
            continue
        public.append(question)
        key[question["id"]] = answer
    return public, key


def _question(reader: Reader, item, number: int, id_pattern):
    """Read one question: its type key holds the text; return (public question, answer) or None."""
    if not isinstance(item, yaml.MappingNode):
        reader.problem(item, f"question {number} must be a mapping such as `- single: Your question?`",
                       "start the question with its type: single, multiple or short")
        return None
    types = [(k, v) for k, v in item.value if str(k.value) in QUESTION_TYPES]
    others = [k for k, _ in item.value if str(k.value) not in QUESTION_TYPES + QUESTION_KEYS]
    if not types:
        word = str(others[0].value) if others else ""
        reader.problem(others[0] if others else item, f"unknown question type '{word}' in question {number}",
                       did_you_mean(word, QUESTION_TYPES))
        return None
    if len(types) > 1:
        reader.problem(item, f"question {number} has more than one type: "
                       + ", ".join(str(k.value) for k, _ in types), "keep one of single, multiple or short")
        return None
    type_node, text_node = types[0]
    kind = str(type_node.value)
    fields = reader.mapping(item, f"question {number}", (*QUESTION_TYPES, *QUESTION_KEYS)) or {}
    qid = reader.text(fields.get("id"), "id", None) or f"q{number}"
    if "id" in fields and not id_pattern.match(qid):
        reader.problem(fields["id"], f"question id '{qid}' is not URL-safe", "use lower-case letters, digits and dashes")
    text = reader.string(text_node, kind, "") or ""
    if not text.strip():
        reader.problem(type_node, f"question {number} has no text", f"write it after the type: `{kind}: Your question?`")
    question = {"id": qid, "type": kind, "text": text}
    answer = {"type": kind, "explanation": reader.string(fields.get("feedback"), "feedback", "") or ""}
    if kind == "short":
        answer["answers"] = _short_answers(reader, fields, type_node, qid)
    else:
        label = f"{kind}-choice question '{qid}'"
        question["options"], answer["correct"], answer["feedback"] = _options(reader, type_node, label, fields)
    return question, answer


def _short_answers(reader: Reader, fields: dict, type_node, qid: str) -> list[str]:
    """Read a short-answer question's accepted answers."""
    if "options" in fields:
        reader.problem(fields["options"], f"short-answer question '{qid}' takes `answers`, not `options`",
                       "list what counts as right: `answers: [SPIN, spin selling]`")
    node = fields.get("answers")
    value = reader.value(node) if node is not None else None
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        value = [value]
    answers = [str(a).strip() for a in value or [] if isinstance(a, (str, int, float)) and str(a).strip()]
    if not answers:
        reader.problem(node or type_node, f"short-answer question '{qid}' has no accepted answer",
                       "add e.g. `answers: [SPIN, spin selling]` (case and spaces are ignored)")
    return answers


def _options(reader: Reader, type_node, label: str, fields: dict) -> tuple[list[dict], list[str], dict]:
    """Read the options of a choice question: (public options, correct option ids, feedback by option id)."""
    if "answers" in fields:
        reader.problem(fields["answers"], f"{label} takes `options`, not `answers`",
                       "mark the right option(s) with `correct: true`, or make it `short:`")
    items = reader.sequence(fields["options"], "options") if "options" in fields else []
    public, correct, feedback = [], [], {}
    for index, item in enumerate(items[:len(OPTION_LETTERS)]):
        oid = OPTION_LETTERS[index]
        text, right, said = _option(reader, item)
        public.append({"id": oid, "text": text})
        if right:
            correct.append(oid)
        if said:
            feedback[oid] = said
    if len(public) < 2:
        reader.problem(fields.get("options", type_node), f"{label} needs at least two options",
                       "add `options:` with one `- text: ...` per option")
    elif not correct:
        reader.problem(fields["options"], f"{label} has no correct option",
                       "mark the right option with `correct: true`")
    elif label.startswith("single-") and len(correct) > 1:
        reader.problem(fields["options"], f"{label} has {len(correct)} correct options",
                       "mark only one `correct: true`, or make it `multiple:`")
    return public, correct, feedback


def _option(reader: Reader, item) -> tuple[str, bool, str]:
    """Read one option: plain text (a wrong option) or a mapping of text, correct and feedback."""
    if isinstance(item, yaml.ScalarNode):
        return reader.string(item, "text", "") or "", False, ""
    fields = reader.mapping(item, "an option", OPTION_KEYS, required=("text",)) or {}
    right = reader.value(fields["correct"]) if "correct" in fields else False
    if not isinstance(right, bool):
        reader.problem(fields["correct"], f"correct must be true or false, not '{right}'", "write correct: true")
        right = False
    return (reader.string(fields.get("text"), "text", "") or "", right,
            reader.string(fields.get("feedback"), "feedback", "") or "")


def keys_dict(catalog) -> dict:
    """Return every quiz's answer key, by activity id."""
    keys = {a.id: {"questions": a.answer_key} for m in catalog.modules() for a in m.activities if a.kind == "quiz"}
    return {"schema_version": 1, "activities": dict(sorted(keys.items()))}


def write_keys(catalog, site_dir: str | Path) -> Path:
    """Write site/quiz-keys.json (sorted keys, like catalog.json); the server refuses to serve it."""
    path = Path(site_dir) / KEYS_FILE
    path.write_text(json.dumps(keys_dict(catalog), indent=2, sort_keys=True, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    return path
