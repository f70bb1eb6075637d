"""Parse a module's `activities` front matter into Activity records with their options filled in."""

from __future__ import annotations

import re

import yaml

from generator import quiz
from generator.model import ACTIVITY_KINDS, Activity
from generator.yamltree import Reader, did_you_mean

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ID_FIX = "use lower-case letters, digits and dashes only, e.g. plan-a-call"
FORMATS = ("pdf", "pptx", "odp", "mp4", "webm", "link")

# Options each kind accepts beyond `prompt` and `id`, with the defaults the
# catalog carries so that the server never guesses (docs/architecture.md).
DEFAULTS = {
    "roundtable": {},
    "reflection": {},
    "plan": {"debrief": "", "feedback_from": "manager", "rating_scale": 5},
    "presentation": {"peer_reviews": 3, "rubric": None, "reviewers_named": False, "formats": list(FORMATS)},
    # questions: generator/quiz.py; `attempts: null` is no limit
    "quiz": {"pass_mark": 80, "attempts": None, "questions": None},
}


def parse_activities(reader: Reader, node, module_id: str) -> list[Activity]:
    """Turn the `activities` list into activities with unique keys, after the implicit read."""
    activities = [Activity(f"{module_id}/read", "read", "read", "", {}, 0, explicit=True)]
    if node is None or (isinstance(node, yaml.ScalarNode) and node.value in ("", "~", "null")):
        return activities
    counts: dict[str, int] = {}
    for item in reader.sequence(node, "activities"):
        parsed = _parse_item(reader, item)
        if parsed is None:
            continue
        kind, prompt, options, key_node = parsed
        counts[kind] = counts.get(kind, 0) + 1
        given = options.pop("id", None)
        answer_key = options.pop("answer_key", {})  # a quiz's answers: never in the catalog (generator/quiz.py)
        key = _activity_key(reader, kind, counts[kind], given, key_node)
        if any(a.key == key for a in activities):
            reader.problem(item, f"activity id '{key}' is used twice in this module", "give one of them `id: another-name`")
            continue
        activities.append(Activity(f"{module_id}/{key}", key, kind, prompt, options, reader.line(item),
                                   given is not None, answer_key))
    return activities


def _activity_key(reader: Reader, kind: str, count: int, given, node) -> str:
    """Return an activity's key: its own id if given, else its kind, numbered from the second."""
    if given is None:
        return kind if count == 1 else f"{kind}-{count}"
    if not ID_PATTERN.match(given):
        reader.problem(node, f"activity id '{given}' is not URL-safe", ID_FIX)
    return given


def _parse_item(reader: Reader, item):
    """Return (kind, prompt, options, id node) for one list item, or None after a problem."""
    if isinstance(item, yaml.ScalarNode):
        return _with_kind(reader, item, str(item.value), None)
    if not isinstance(item, yaml.MappingNode):
        reader.problem(item, "an activity is one `kind: prompt` entry, not a list", "write e.g. `- roundtable: Your question?`")
        return None
    kind_node, body = item.value[0]
    if len(item.value) > 1:
        keys = ", ".join(str(k.value) for k, _ in item.value)
        reader.problem(item, f"an activity is one `kind: prompt` entry, found: {keys}",
                       "indent the options under the kind, e.g. `- plan:` then `    prompt: ...`")
        if not (isinstance(body, yaml.ScalarNode) and body.tag.endswith(":null")):
            return None
        # Most likely the options lost their indent: read them anyway so later checks do not cascade.
        body = yaml.MappingNode("tag:yaml.org,2002:map", item.value[1:], item.start_mark, item.end_mark)
    return _with_kind(reader, kind_node, str(kind_node.value), body)


def _with_kind(reader: Reader, kind_node, kind: str, body):
    """Check the kind, then read its prompt and options."""
    if kind not in DEFAULTS:
        hint = did_you_mean(kind, ACTIVITY_KINDS) if kind != "read" else "reading is implicit: remove this entry"
        reader.problem(kind_node, f"unknown activity kind '{kind}'", hint)
        return None
    if body is None or isinstance(body, yaml.ScalarNode):
        options = _check_options(reader, kind, kind_node, {})
        return kind, _prompt(reader, body, kind), options, kind_node
    fields = reader.mapping(body, f"the {kind} activity", ["prompt", "id", *DEFAULTS[kind]])
    if fields is None:
        return None
    prompt = _prompt(reader, fields.get("prompt"), "prompt")
    options = _check_options(reader, kind, kind_node, fields)
    if "id" in fields:
        options["id"] = reader.text(fields["id"], "id", "")
    return kind, prompt, options, fields.get("id", kind_node)


def _prompt(reader: Reader, node, key: str) -> str:
    """Read a prompt as text, warning when an unquoted ` #` cut it short."""
    if reader.comment_after(node):
        reader.problem(node, "the prompt stops before ' #': YAML reads the rest of the line as a comment",
                       f'put the prompt in quotes: {key}: "..."', warning=True)
    return reader.string(node, key, "") or ""


def _check_options(reader: Reader, kind: str, kind_node, fields: dict) -> dict:
    """Validate each option of a kind and fill in the defaults."""
    options = {}
    for name, default in DEFAULTS[kind].items():
        node = fields.get(name)
        if name == "questions":
            options[name], options["answer_key"] = quiz.parse_questions(reader, node, kind_node, ID_PATTERN)
            continue
        value = default if node is None else reader.value(node)
        options[name] = OPTION_CHECKS[name](reader, node or kind_node, value)
    return options


def _feedback_from(reader: Reader, node, value):
    """Accept `manager` or `coach`."""
    if value not in ("manager", "coach"):
        reader.problem(node, f"feedback_from must be manager or coach, not '{value}'", "write feedback_from: manager")
        return "manager"
    return value


def _int_between(low: int, high: int, name: str, example: str = "", optional: bool = False):
    """Make a check for an integer option within [low, high] (None allowed when optional)."""
    def check(reader: Reader, node, value):
        """Return the value if it is an integer in range, else record a problem."""
        if optional and value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            reader.problem(node, f"{name} must be a whole number from {low} to {high}, not '{value}'",
                           example or f"write e.g. {name}: {low + 2}")
            return low
        return value
    return check


def _rubric(reader: Reader, node, value):
    """Require a non-empty list of criteria."""
    if not isinstance(value, list) or not value or not all(isinstance(c, str) and c.strip() for c in value):
        reader.problem(node, "a presentation needs a rubric: a non-empty list of criteria",
                       "add e.g. `rubric: [clarity, customer focus, next step]`")
        return []
    return value


def _formats(reader: Reader, node, value):
    """Accept a subset of the known submission formats."""
    wrong = [f for f in value if f not in FORMATS] if isinstance(value, list) else [value]
    if wrong:
        reader.problem(node, f"unknown format(s): {', '.join(map(str, wrong))}", "use some of: " + ", ".join(FORMATS))
        return list(FORMATS)
    return value


def _boolean(reader: Reader, node, value):
    """Accept true or false."""
    if not isinstance(value, bool):
        reader.problem(node, f"reviewers_named must be true or false, not '{value}'", "write reviewers_named: false")
        return False
    return value


def _debrief(reader: Reader, node, value):
    """Accept a debrief prompt as text."""
    if isinstance(value, (bool, int, float)) and node is not None and not node.style:
        reader.problem(node, f"debrief '{node.value}' is read as a yes/no value or number, not as text",
                       f'put it in quotes: debrief: "{node.value}"')
    return "" if value is None else str(value)


OPTION_CHECKS = {
    "debrief": _debrief,
    "feedback_from": _feedback_from,
    "rating_scale": _int_between(3, 10, "rating_scale"),
    "peer_reviews": _int_between(0, 10, "peer_reviews"),
    "rubric": _rubric,
    "reviewers_named": _boolean,
    "formats": _formats,
    "pass_mark": _int_between(1, 100, "pass_mark", "write e.g. pass_mark: 80 (the percentage of questions right)"),
    "attempts": _int_between(1, 20, "attempts", "write e.g. attempts: 3, or leave it out for no limit", optional=True),
}
