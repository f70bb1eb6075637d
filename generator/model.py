"""The content model: programs, cohorts, modules and activities.

Plain frozen dataclasses with no I/O and no MkDocs imports, so that the loader,
the checks, the plugin and the catalog writer all speak about the same things.
Every value that came from a file keeps the line it came from, so that a check
can point an author at it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

# Activity kinds an author may list in front matter. `read` is implicit: every
# module has one, with the id `<program>/<module>/read`.
ACTIVITY_KINDS = ("roundtable", "plan", "presentation", "reflection", "quiz")
IMPLICIT_KINDS = ("read",)

# How far apart consecutive modules fall due when a module names no `due`.
PACE_DAYS = {"daily": 1, "weekly": 7, "biweekly": 14, "monthly": 30}


@dataclass(frozen=True)
class Activity:
    """One thing a learner does in a module, with a stable, URL-safe id."""

    id: str  # "program/module/activity"
    key: str  # the activity part of the id
    kind: str  # one of ACTIVITY_KINDS or IMPLICIT_KINDS
    prompt: str
    options: dict = field(default_factory=dict)  # kind-specific, already validated
    line: int = 0
    explicit: bool = False  # the author gave its `id:`, so moving or rewording it keeps the id (generator/lock.py)
    answer_key: dict = field(default_factory=dict)  # a quiz's answers by question id: site/quiz-keys.json only


@dataclass(frozen=True)
class Module:
    """A Markdown page of a program, with its activities and completion rule."""

    id: str  # "program/module"
    slug: str  # the module part of the id
    program_id: str
    title: str
    src_path: str  # relative to the content folder, e.g. "sales/discovery-calls.md"
    order: int  # 1-based position in the program
    due_days: int  # offset from the cohort's start
    activities: tuple[Activity, ...]
    completion: str | tuple[str, ...]  # "all" or activity ids
    authors: tuple[str, ...] = ()  # e-mail addresses of people in the roster
    summary: str = ""
    content_hash: str = ""  # "sha256:..." of the Markdown source
    due_set: bool = False  # True when the module names its own `due`; else it follows the cohort's pace
    line: int = 0  # the module's line in programs.yml

    @property
    def url(self) -> str:
        """The module page's URL, relative to the site root (from the file name, as MkDocs makes it)."""
        return self.src_path.removesuffix(".md") + "/"

    def activity(self, key: str) -> Activity | None:
        """The activity with this key or full id, if any."""
        return next((a for a in self.activities if key in (a.key, a.id)), None)

    def required_activity_ids(self) -> tuple[str, ...]:
        """Activity ids a learner must complete for the module to be complete."""
        if self.completion == "all":
            return tuple(a.id for a in self.activities)
        return tuple(self.completion)


@dataclass(frozen=True)
class Cohort:
    """A group of people taking a program together from a start date."""

    id: str
    program_id: str
    starts: dt.date
    pace: str = "weekly"
    title: str = ""

    line: int = 0

    def due_days(self, module: Module) -> int:
        """Days after the start at which this cohort should have completed the module."""
        if module.due_set:
            return module.due_days
        return module.order * PACE_DAYS[self.pace]

    def due_date(self, module: Module) -> dt.date:
        """The date this cohort is expected to have completed the module."""
        return self.starts + dt.timedelta(days=self.due_days(module))


@dataclass(frozen=True)
class Program:
    """A training program: an audience, ordered modules and cohorts."""

    id: str
    title: str
    audience: str
    modules: tuple[Module, ...]
    cohorts: tuple[Cohort, ...]
    description: str = ""
    visibility: str = "signed-in"  # public | signed-in | enrolled: who the server shows its pages to
    line: int = 0

    @property
    def url(self) -> str:
        """The program landing page's URL, relative to the site root."""
        return f"{self.id}/"


@dataclass(frozen=True)
class Catalog:
    """Everything the build knows: the programs in the order of programs.yml."""

    programs: tuple[Program, ...]

    def modules(self):
        """Every module of every program, in order."""
        for program in self.programs:
            yield from program.modules

    def module_by_src(self, src_path: str) -> Module | None:
        """The module whose Markdown file is src_path, if any."""
        return next((m for m in self.modules() if m.src_path == src_path), None)
