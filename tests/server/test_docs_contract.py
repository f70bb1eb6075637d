"""The docs say what the code does: every setting and every command is documented, from one declaration.

In the spirit of sqlite-utils' test_docs.py: a setting or command added without docs fails here.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import click
import pytest

from comments_server.settings import BY_NAME, markdown_table
from roundtable.cli import main

ROOT = Path(__file__).resolve().parents[2]
OPERATIONS = ROOT / "docs" / "operations.md"


def _commands(group, prefix=("roundtable",)):
    """Yield (words, command) for every command and subcommand of a click group."""
    for name, command in sorted(group.commands.items()):
        words = (*prefix, name)
        yield words, command
        if isinstance(command, click.Group):
            yield from _commands(command, words)


COMMANDS = list(_commands(main))


def test_the_settings_table_in_the_docs_is_the_declared_one():
    text = OPERATIONS.read_text()
    documented = re.search(r"<!-- settings:start -->\n(.*)<!-- settings:end -->", text, re.S).group(1)
    assert documented == markdown_table(), "run `roundtable settings` and paste its table into docs/operations.md"


def test_every_setting_the_server_reads_is_declared():
    read = set()
    for path in (ROOT / "comments_server").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            key = None
            if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
                target, key = node.value, node.slice.value
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get" \
                    and node.args and isinstance(node.args[0], ast.Constant):
                target, key = node.func.value, node.args[0].value
            if isinstance(key, str) and re.fullmatch(r"[A-Z][A-Z0-9_]+", key) \
                    and isinstance(target, ast.Attribute | ast.Name) \
                    and getattr(target, "attr", getattr(target, "id", "")) in ("config", "cfg"):
                read.add((key, f"{path.relative_to(ROOT)}:{node.lineno}"))
    assert len(read) > 30  # the walk finds the reads (guards the test itself)
    flask_own = {"TESTING", "SERVER_NAME", "SECRET_KEY"}
    undeclared = sorted(f"{where}: {key}" for key, where in read if key not in BY_NAME and key not in flask_own)
    assert not undeclared, "declare these in comments_server/settings.py: " + ", ".join(undeclared)


@pytest.mark.parametrize("words, command", COMMANDS, ids=[" ".join(w) for w, _ in COMMANDS])
def test_every_command_has_help_and_is_in_the_operations_guide(words, command):
    assert command.help, f"`{' '.join(words)}` has no help text"
    assert f"`{' '.join(words)}" in OPERATIONS.read_text(), f"`{' '.join(words)}` is missing from docs/operations.md"
