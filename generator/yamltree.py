"""Read YAML as nodes so that every value keeps its line, and report shape problems as we go."""

from __future__ import annotations

import difflib
import re
from typing import Any

import yaml

from generator.errors import Problem

# libyaml is several times faster on a thousand front matters, and keeps marks too.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


NOT_TEXT = {
    "tag:yaml.org,2002:bool": "a yes/no value",
    "tag:yaml.org,2002:int": "a number",
    "tag:yaml.org,2002:float": "a number",
    "tag:yaml.org,2002:timestamp": "a date",
}


def _syntax_fix(exc, lines: list[str]) -> str:
    """Suggest a fix for a YAML syntax error; a `: ` inside an unquoted value is the usual one."""
    mark = exc.problem_mark
    if str(exc.problem).startswith("mapping values are not allowed") and mark and mark.line < len(lines):
        key, _, value = lines[mark.line].strip().removeprefix("- ").partition(": ")
        quoted = value.replace("\\", "\\\\").replace('"', '\\"')
        what = "value" if key in ("title", "summary", "description", "audience") else "prompt"
        return f'put the {what} in quotes: {key}: "{quoted}"'
    return "check the indentation and quoting around this line"


def did_you_mean(word: str, choices) -> str:
    """Suggest the closest of choices to a misspelt word, or list them all."""
    close = difflib.get_close_matches(str(word), list(choices), n=1)
    if close:
        return f"did you mean '{close[0]}'?"
    return "use one of: " + ", ".join(choices)


class Reader:
    """Walk the YAML nodes of one file, recording problems against its lines."""

    def __init__(self, path: str, problems: list[Problem], offset: int = 0):
        """Report problems in `path` into `problems`, adding `offset` to every line."""
        self.path = path
        self.problems = problems
        self.offset = offset  # lines before the YAML text, e.g. the front matter's opening ---
        self.source: list[str] = []

    def line(self, node) -> int:
        """Return the 1-based line of a node in the whole file."""
        return node.start_mark.line + 1 + self.offset

    def problem(self, node_or_line, message: str, fix: str = "", warning: bool = False) -> None:
        """Record a problem at a node (or a line number)."""
        line = node_or_line if isinstance(node_or_line, int) else self.line(node_or_line)
        self.problems.append(Problem(self.path, line, message, fix, warning))

    def compose(self, text: str):
        """Parse YAML text into a node tree; record a syntax error and return None on failure."""
        self.source = text.splitlines()  # the comment check (comment_after) reads the raw lines
        try:
            return yaml.compose(text, Loader=_Loader)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            # For an unclosed quote or bracket, the line that opened it is the one to fix.
            opener = exc.context and ("flow" in exc.context or "quoted" in exc.context)
            if exc.context_mark and (opener or mark.index >= len(text.rstrip())):
                mark = exc.context_mark
            line = mark.line + 1 + self.offset if mark else 1 + self.offset
            what = " ".join(filter(None, [exc.context, exc.problem]))
            self.problem(line, f"YAML syntax error: {what}", _syntax_fix(exc, self.source))
        except yaml.YAMLError as exc:
            self.problem(1 + self.offset, f"YAML syntax error: {exc}", "check the file is valid YAML")
        return None

    def mapping(self, node, what: str, allowed, required=()) -> dict[str, Any] | None:
        """Return a mapping's key -> value node, recording unknown, repeated and missing keys."""
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, f"{what} must be a mapping of keys to values", "write it as `key: value` lines")
            return None
        found: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in found:
                self.problem(key_node, f"'{key}' appears twice in {what}", "keep only one of them")
            elif allowed is not None and key not in allowed:
                self.problem(key_node, f"unknown key '{key}' in {what}", did_you_mean(key, allowed))
            found[key] = value_node
        for key in required:
            if key not in found:
                self.problem(node, f"{what} needs '{key}'", f"add `{key}: ...`")
        return found

    def sequence(self, node, what: str) -> list:
        """Return a sequence's item nodes, recording a problem if it is not a list."""
        if isinstance(node, yaml.SequenceNode):
            return list(node.value)
        self.problem(node, f"{what} must be a list", "write one `- item` per line, or [a, b]")
        return []

    def value(self, node) -> Any:
        """Construct the Python value of a node; record a problem and return None if YAML cannot."""
        try:
            return yaml.constructor.SafeConstructor().construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, TypeError) as exc:
            self.problem(node, f"cannot read '{getattr(node, 'value', '')}': {exc}", "fix the value's format")
            return None

    def comment_after(self, node) -> bool:
        """Tell whether an unquoted value is followed by ` #` on its line, which YAML drops as a comment."""
        if not isinstance(node, yaml.ScalarNode) or node.style or node.end_mark.line >= len(self.source):
            return False
        return bool(re.match(r"[ \t]+#", self.source[node.end_mark.line][node.end_mark.column:]))

    def string(self, node, key: str, default: str | None = None) -> str | None:
        """Return a value that must be text; an unquoted Yes, 12 or 2027-01-11 (read as another type) is a problem."""
        if isinstance(node, yaml.ScalarNode) and not node.style and node.tag in NOT_TEXT:
            self.problem(node, f"{key} '{node.value}' is read as {NOT_TEXT[node.tag]}, not as text",
                         f'put it in quotes: {key}: "{node.value}"')
            return str(node.value)
        return self.text(node, key, default)

    def text(self, node, what: str, default: str | None = None) -> str | None:
        """Return a scalar as text, recording a problem for lists and mappings."""
        if node is None:
            return default
        if isinstance(node, yaml.ScalarNode):
            value = self.value(node)
            return default if value is None else str(value)
        self.problem(node, f"{what} must be a single value, not a list or mapping", "write it on one line")
        return default
