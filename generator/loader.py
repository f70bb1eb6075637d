"""Load programs.yml and each module's front matter into the content model, recording problems with their lines."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from generator import snippets
from generator.activities import ID_FIX, ID_PATTERN, parse_activities
from generator.errors import Problem
from generator.model import PACE_DAYS, Catalog, Cohort, Module, Program
from generator.yamltree import Reader, did_you_mean

PROGRAM_KEYS = ("id", "title", "audience", "description", "visibility", "modules", "cohorts")
# who may open a program's pages: anyone, anyone signed in, or its cohorts' members (and admins)
VISIBILITIES = ("public", "signed-in", "enrolled")
COHORT_KEYS = ("id", "title", "starts", "pace", "late_joiners")
LATE_JOINERS = ("shift", "fixed")  # what a late joiner's due dates do: count from the day they joined, or stay
MODULE_KEYS = ("title", "id", "due", "activities", "completion", "authors", "summary")
# Front matter that MkDocs and Material understand; allowed so authors keep using it.
THEME_KEYS = ("hide", "search", "template", "icon", "status", "subtitle", "tags", "description")
DUE_PATTERN = re.compile(r"^\s*(\d+)\s*(d|w|days?|weeks?)\s*$")


@dataclass(frozen=True)
class Settings:
    """What loading and checking needs from mkdocs.yml beyond the plugin's options (generator/config.py)."""

    snippet_dirs: tuple[Path, ...] = ()  # empty when pymdownx.snippets is off
    template_dirs: tuple[Path, ...] | None = None  # the theme's folders; None skips the template check
    lock_file: Path | None = None
    slugify: Callable[[str], str] | None = None  # heading text -> id, as the toc extension makes them; None: its default


@dataclass
class Body:
    """A module's Markdown after its front matter, and the file line it starts on."""

    text: str
    first_line: int


@dataclass
class Project:
    """Everything loaded from one program repository, with the problems found on the way."""

    root: Path  # the folder of mkdocs.yml; problem paths are relative to it
    programs_file: Path
    docs_dir: Path
    settings: Settings = field(default_factory=Settings)
    catalog: Catalog = field(default_factory=lambda: Catalog(()))
    problems: list[Problem] = field(default_factory=list)
    bodies: dict[str, Body] = field(default_factory=dict)  # src_path -> body
    front_lines: dict[str, dict[str, int]] = field(default_factory=dict)  # src_path -> front matter key -> line
    templates: dict[str, str] = field(default_factory=dict)  # src_path -> its front matter `template`

    def rel(self, path: Path) -> str:
        """Return a path as authors see it, relative to the project folder."""
        return os.path.relpath(path, self.root).replace(os.sep, "/")


def load_project(root: Path, programs_file: Path, docs_dir: Path, settings: Settings | None = None) -> Project:
    """Read programs.yml and every listed module; never raise on bad content."""
    project = Project(Path(root), Path(programs_file), Path(docs_dir), settings or Settings())
    reader = Reader(project.rel(project.programs_file), project.problems)
    if not project.programs_file.is_file():
        reader.problem(1, "programs file not found", "create programs.yml or set `programs_file` in mkdocs.yml")
        return project
    top = reader.compose(project.programs_file.read_text(encoding="utf-8"))
    fields = reader.mapping(top, "programs.yml", ["programs"], ["programs"]) if top is not None else None
    if not fields or "programs" not in fields:
        return project
    items = reader.sequence(fields["programs"], "programs")
    programs = [_program(project, reader, node, n) for n, node in enumerate(items, 1)]
    project.catalog = Catalog(tuple(p for p in programs if p is not None))
    return project


def _program(project: Project, reader: Reader, node, order: int) -> Program | None:
    """Build one program from its programs.yml entry and its module files."""
    fields = reader.mapping(node, "a program", PROGRAM_KEYS, ("id", "title", "audience", "modules"))
    if fields is None:
        return None
    program_id = _identifier(reader, fields.get("id"), "program id") or f"program-{order}"
    cohort_nodes = reader.sequence(fields["cohorts"], "cohorts") if "cohorts" in fields else []
    cohorts = tuple(c for c in (_cohort(reader, n, program_id) for n in cohort_nodes) if c)
    pace = cohorts[0].pace if cohorts else "weekly"  # catalog due_days follow the first cohort's pace
    slugs = reader.sequence(fields["modules"], "modules") if "modules" in fields else []
    modules = tuple(m for m in (_module(project, reader, program_id, s, n, pace) for n, s in enumerate(slugs, 1)) if m)
    visibility = reader.text(fields.get("visibility"), "visibility", "signed-in")
    if visibility not in VISIBILITIES:
        reader.problem(fields["visibility"], f"unknown visibility '{visibility}'",
                       did_you_mean(visibility, VISIBILITIES) or f"use one of: {', '.join(VISIBILITIES)}")
        visibility = "signed-in"
    return Program(
        id=program_id,
        title=reader.string(fields.get("title"), "title", "") or program_id,
        audience=reader.string(fields.get("audience"), "audience", "") or "",
        description=reader.string(fields.get("description"), "description", "") or "",
        visibility=visibility,
        modules=modules,
        cohorts=cohorts,
        line=reader.line(node),
    )


def _identifier(reader: Reader, node, what: str) -> str | None:
    """Read a URL-safe id, recording a problem if it is missing or unsafe."""
    value = reader.text(node, what)
    if value is not None and not ID_PATTERN.match(value):
        reader.problem(node, f"{what} '{value}' is not URL-safe", ID_FIX)
    return value


def _cohort(reader: Reader, node, program_id: str) -> Cohort | None:
    """Build one cohort, checking its start date and pace."""
    fields = reader.mapping(node, "a cohort", COHORT_KEYS, ("id", "starts"))
    if fields is None or "id" not in fields:
        return None
    pace = reader.text(fields.get("pace"), "pace", "weekly")
    if pace not in PACE_DAYS:
        reader.problem(fields["pace"], f"unknown pace '{pace}'", did_you_mean(pace, PACE_DAYS))
        pace = "weekly"
    late = reader.text(fields.get("late_joiners"), "late_joiners", "shift")
    if late not in LATE_JOINERS:
        reader.problem(fields["late_joiners"], f"late_joiners must be one of {', '.join(LATE_JOINERS)}, not '{late}'",
                       did_you_mean(late, LATE_JOINERS) or f"use one of: {', '.join(LATE_JOINERS)}")
        late = "shift"
    return Cohort(
        id=_identifier(reader, fields["id"], "cohort id") or "",
        program_id=program_id,
        starts=_date(reader, fields.get("starts")) or dt.date.min,
        pace=pace,
        late_joiners=late,
        title=reader.text(fields.get("title"), "title", "") or "",
        line=reader.line(node),
    )


def _date(reader: Reader, node) -> dt.date | None:
    """Read a calendar date written as YYYY-MM-DD."""
    if node is None:
        return None
    try:
        return dt.date.fromisoformat(str(node.value).strip())
    except (ValueError, TypeError):
        reader.problem(node, f"'{node.value}' is not a date", "write the date as YYYY-MM-DD, e.g. 2027-01-11")
        return None


def _module(project: Project, reader: Reader, program_id: str, node, order: int, pace: str) -> Module | None:
    """Load the module file named by one entry of a program's `modules` list."""
    slug = _identifier(reader, node, "module")
    if not slug or not ID_PATTERN.match(slug):
        return None
    path = project.docs_dir / program_id / f"{slug}.md"
    if not path.is_file():
        reader.problem(node, f"module '{slug}' is listed but {project.rel(path)} does not exist",
                       f"create {project.rel(path)} or remove '{slug}' from the list")
        return None
    return load_module(project, path, program_id, slug, order, pace, reader.line(node))


def load_module(project: Project, path: Path, program_id: str, slug: str, order: int, pace: str, line: int) -> Module:
    """Read one module file: front matter into the model, the body kept for the link checks."""
    raw = path.read_bytes()
    src_path = f"{program_id}/{slug}.md"
    reader = Reader(project.rel(path), project.problems, offset=1)  # front matter starts on line 2
    fields, body = _front_matter(reader, _decode(reader, raw))
    project.front_lines[src_path] = {key: reader.line(node) for key, node in fields.items()}
    if "template" in fields:
        project.templates[src_path] = reader.text(fields["template"], "template", "") or ""
    # An included snippet is part of the module: editing it must change the content hash too.
    project.bodies[src_path] = body
    included = snippets.included_bytes(reader, body, project.settings.snippet_dirs, project.rel)
    module_id = f"{program_id}/{_identifier(reader, fields.get('id'), 'module id') or slug}"
    activities = tuple(parse_activities(reader, fields.get("activities"), module_id))
    due_days = _due(reader, fields.get("due"))
    title = reader.string(fields.get("title"), "title") or _heading(body.text)
    return Module(
        id=module_id, slug=module_id.split("/", 1)[1], program_id=program_id,
        title=title or slug.replace("-", " ").capitalize(), src_path=src_path, order=order,
        due_days=order * PACE_DAYS[pace] if due_days is None else due_days, activities=activities,
        completion=_completion(reader, fields.get("completion"), activities),
        authors=_authors(reader, fields.get("authors")),
        summary=reader.string(fields.get("summary"), "summary", "") or "",
        content_hash="sha256:" + hashlib.sha256(raw + included).hexdigest(), due_set=due_days is not None, line=line,
    )


def _decode(reader: Reader, raw: bytes) -> str:
    """Return a module's text without a UTF-8 byte-order mark; record a problem if it is empty or not UTF-8."""
    if not raw.strip():
        reader.problem(1, "the module file is empty", "add front matter and a `# Title`, or remove the module from programs.yml")
    try:
        # MkDocs reads pages as utf-8-sig too, so a BOM written by an editor is harmless.
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        reader.problem(line, f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x} cannot be read)",
                       "save the file as UTF-8 in your editor")
        return raw.decode("utf-8-sig", errors="replace")


def _front_matter(reader: Reader, text: str) -> tuple[dict, Body]:
    """Return the front matter's key -> node mapping (empty if absent or broken) and the body."""
    front, body = split_front_matter(reader, text)
    node = reader.compose(front) if front is not None else None
    if node is None:
        return {}, body
    return reader.mapping(node, "the front matter", MODULE_KEYS + THEME_KEYS) or {}, body


def split_front_matter(reader: Reader, text: str) -> tuple[str | None, Body]:
    """Split `---` front matter from the Markdown body, as MkDocs does."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip() != "---":
        _misplaced_front_matter(reader, lines)
        return None, Body(text, 1)
    for end, line in enumerate(lines[1:], 1):
        if line.rstrip() in ("---", "..."):
            return "".join(lines[1:end]), Body("".join(lines[end + 1:]), end + 2)
    reader.problem(1, "the front matter opened with --- is never closed", "add a line with --- after the front matter")
    return None, Body(text, 1)


def _misplaced_front_matter(reader: Reader, lines: list[str]) -> None:
    """Report front matter that does not start on line 1: MkDocs would publish it as page text."""
    blank = 0
    while blank < len(lines) and not lines[blank].strip():
        blank += 1
    if 0 < blank < len(lines) and lines[blank].rstrip() == "---":
        reader.problem(blank + 1, f"the front matter must start on line 1, not after {blank} blank line(s)",
                       "delete the blank line(s) above ---, or MkDocs shows the front matter as page text")


def _heading(markdown: str) -> str | None:
    """Return the text of the first level-1 heading, the title MkDocs would pick."""
    match = re.search(r"^#\s+(.+?)\s*#*\s*$", markdown, re.MULTILINE)
    return match.group(1) if match else None


def _due(reader: Reader, node) -> int | None:
    """Read a due offset like `10d` or `2w` (or a number of days) as days."""
    if node is None:
        return None
    text = str(node.value)
    if text.isdigit():
        return int(text)
    match = DUE_PATTERN.match(text)
    if not match:
        reader.problem(node, f"due '{text}' is not an offset from the cohort start",
                       "write a number of days or weeks, e.g. due: 10d or due: 2w")
        return None
    return int(match.group(1)) * (7 if match.group(2).startswith("w") else 1)


def _completion(reader: Reader, node, activities) -> str | tuple[str, ...]:
    """Read the completion rule: `all`, or a list naming activities of this module."""
    if node is None:
        return "all"
    if isinstance(node, yaml.ScalarNode):
        if node.value != "all":
            reader.problem(node, f"completion must be `all` or a list of activities, not '{node.value}'",
                           "write `completion: all` or e.g. `completion: [read, roundtable]`")
        return "all"
    ids = []
    for item in reader.sequence(node, "completion (or `all`)"):
        key = str(getattr(item, "value", ""))
        match = next((a for a in activities if key in (a.key, a.id)), None)
        if match is None:
            known = [a.key for a in activities]
            reader.problem(item, f"completion names unknown activity '{key}'", did_you_mean(key, known))
        else:
            ids.append(match.id)
    return tuple(ids)


def _authors(reader: Reader, node) -> tuple[str, ...]:
    """Read the authors' e-mail addresses."""
    if node is None:
        return ()
    emails = []
    for item in reader.sequence(node, "authors"):
        email = reader.text(item, "an author", "") or ""
        if "@" not in email:
            reader.problem(item, f"author '{email}' is not an e-mail address", "list authors by e-mail, e.g. ana@example.com")
        emails.append(email)
    return tuple(emails)
