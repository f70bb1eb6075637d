"""How much of the server's SQL is SQLite-only: the evidence behind the PostgreSQL engine choice, as JSON.

Walks ``comments_server/`` (migrations apart, counted on their own), takes every
string literal (f-strings too) that starts like a statement, and counts those
that use a construct PostgreSQL does not accept as written. Everything else
differs only in its placeholders (``?`` / ``:name``), which the driver room
translates. Also counts sqlite-utils' table API calls and the schema's
SQLite-only parts (triggers, FTS5, PRAGMA).

Usage: python bench/sql_dialect.py
"""

from __future__ import annotations

import ast
import collections
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "comments_server"
STATEMENT = re.compile(r"^\s*(SELECT|INSERT|UPDATE|DELETE|WITH|REPLACE)\b", re.I)
SQLITE_ONLY = {
    "INSERT OR IGNORE/REPLACE": r"INSERT OR (IGNORE|REPLACE)",
    "json_extract/json_each": r"\bjson_\w+\(",
    "FTS5 MATCH/snippet/rank": r"\bMATCH\b",
    "rowid": r"\browid\b|last_insert_rowid",
    "sqlite_master/PRAGMA": r"sqlite_master|PRAGMA",
    "group_concat": r"group_concat",
    "instr()/COLLATE NOCASE": r"\binstr\(|COLLATE NOCASE",
    "two-argument MAX/MIN": r"\b(MAX|MIN)\(\s*[\w.]+\s*,",
    "IS value (null-safe =)": r"\bIS (NOT )?(\?|'|:)",
    "boolean compared with 0/1": r"\b(retired|admin|hidden|is_question|pinned|locked|protected)\s*(=|!=|<>)\s*[01]\b",
    "date()/strftime()": r"\b(datetime|strftime|julianday|date)\(",
    "LIKE on a JSON column": r"\b(verb|actor|context|object)\s+(NOT\s+)?LIKE",
}
TABLE_API = re.compile(r"\.table\([^)]*\)\.(insert|upsert|update|delete|upsert_all|insert_all)\b|\.upsert_all\(")


def literal_text(node):
    """Return the text of a str constant or an f-string (expressions as 'x'), else None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "x" for v in node.values)
    return None


def statements(path):
    """Yield every statement-like string literal of one module."""
    for node in ast.walk(ast.parse(path.read_text())):
        text = literal_text(node)
        if text and len(text) >= 12 and STATEMENT.match(text):
            yield text


def main():
    total, differ, rooms = 0, 0, collections.Counter()
    features, files = collections.Counter(), collections.Counter()
    table_api = 0
    for path in sorted(ROOT.rglob("*.py")):
        table_api += len(TABLE_API.findall(path.read_text()))
        if path.name == "migrations.py":
            continue
        for text in statements(path):
            total += 1
            rooms[path.relative_to(ROOT).parts[0]] += 1
            hits = [name for name, pattern in SQLITE_ONLY.items() if re.search(pattern, text, re.I)]
            features.update(hits)
            if hits:
                differ += 1
                files[str(path.relative_to(ROOT))] += 1
    schema = (ROOT / "store" / "migrations.py").read_text()
    print(json.dumps({
        "statements": total, "statements_by_room": dict(rooms),
        "sqlite_only_statements": differ, "portable_but_placeholders": total - differ,
        "sqlite_only_by_construct": dict(features.most_common()), "sqlite_only_by_file": dict(files.most_common()),
        "sqlite_utils_table_api_calls": table_api,
        "schema": {"migrations": schema.count("@migrations("), "triggers": len(re.findall(r"CREATE TRIGGER", schema)),
                   "trigger_generators": schema.count("def _bump("), "fts5_tables": schema.count("USING fts5"),
                   "pragmas": schema.count("PRAGMA")},
    }, indent=2))


if __name__ == "__main__":
    main()
