"""Find the pymdownx.snippets includes of a module, so that a missing one is a check error and an edited one changes the hash."""

from __future__ import annotations

import re
from pathlib import Path

# The two forms pymdownx.snippets reads: `--8<-- "file.md"` on its own line, and a block of
# file names between two `--8<--` lines. A leading `;` escapes the marker (it is then left as text).
INLINE = re.compile(r"""^[ \t]*-+8<-+[ \t]+(["'])(?P<name>.+?)\1[ \t]*$""")
BLOCK = re.compile(r"^[ \t]*-+8<-+[ \t]*$")
RANGE = re.compile(r"(:[\w,-]*)+$")  # file.md:3:9 (lines) or file.md:section


def includes(text: str, first_line: int):
    """Yield (line, file name) for each snippet a Markdown text includes."""
    in_block = False
    for number, line in enumerate(text.splitlines(), first_line):
        if BLOCK.match(line):
            in_block = not in_block
            continue
        match = INLINE.match(line)
        name = match.group("name") if match else (line.strip() if in_block else "")
        if name and not name.startswith(";") and "://" not in name:
            yield number, RANGE.sub("", name)


def find(name: str, dirs) -> Path | None:
    """Return the first base folder's file of that name, as pymdownx.snippets picks it."""
    return next((Path(d) / name for d in dirs if (Path(d) / name).is_file()), None)


def included_bytes(reader, body, dirs, rel) -> bytes:
    """Return the bytes of every snippet a module body includes (nested ones too); report missing ones."""
    if not dirs:
        return b""  # pymdownx.snippets is off: `--8<--` is plain text
    found, seen = [], set()
    pending = [(line, name, True) for line, name in includes(body.text, body.first_line)]
    while pending:
        line, name, top = pending.pop(0)
        path = find(name, dirs)
        if path is None:
            if top:  # a snippet's own missing include has no line in this module to point at
                where = ", ".join(rel(d) + "/" for d in dirs)
                reader.problem(line, f"snippet '{name}' not found in {where}",
                               f"create {rel(Path(dirs[0]) / name)}, or correct the name: it is relative to {where}")
            continue
        if path in seen:
            continue
        seen.add(path)
        data = path.read_bytes()
        found.append(data)
        pending += [(line, nested, False) for _, nested in includes(data.decode("utf-8", "replace"), 1)]
    return b"".join(found)
