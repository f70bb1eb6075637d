"""What every lesson reader produces: episodes with their Markdown, questions and the warnings met on the way."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from generator.errors import Problem

FRONT_MATTER = re.compile(r"\A---\s*\n(.*?\n)---\s*\n", re.DOTALL)


@dataclass
class Episode:
    """One page of the source lesson, converted to Material-flavoured Markdown."""

    source: str  # path relative to the lesson folder, as authors see it
    slug: str  # the module file name without .md
    title: str
    body: str = ""
    questions: list[str] = field(default_factory=list)


@dataclass
class Lesson:
    """A whole source lesson: its title, episodes in order, asset folders and warnings."""

    title: str
    episodes: list[Episode]
    assets: list[Path] = field(default_factory=list)  # folders copied beside the modules (fig/, data/)
    warnings: list[Problem] = field(default_factory=list)
    source_url: str = ""


class Warnings:
    """Collect `path:line: warning: ...` problems for one source file."""

    def __init__(self, path: str, into: list[Problem]):
        """Report problems in `path` into the shared list."""
        self.path = path
        self.into = into

    def __call__(self, line: int, message: str, fix: str = "") -> None:
        """Record one warning at a line of the source file."""
        self.into.append(Problem(self.path, line, message, fix, warning=True))


def split_front_matter(text: str, warn: Warnings) -> tuple[dict, str, int]:
    """Return (front matter, body, file line of the body's first line)."""
    match = FRONT_MATTER.match(text)
    if not match:
        return {}, text, 1
    try:
        meta = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as exc:
        warn(1, f"front matter is not valid YAML ({exc.__class__.__name__}); it was left out")
        meta = {}
    if not isinstance(meta, dict):
        meta = {}
    return meta, text[match.end():], match.group(0).count("\n") + 1


def slugify(name: str) -> str:
    """Turn a file stem like `01-Intro_Shell` into a module slug like `intro-shell`."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    unnumbered = re.sub(r"^\d+-", "", slug)
    return unnumbered or slug or "episode"


def unique_slugs(stems: list[str]) -> list[str]:
    """Slugify every stem, numbering repeats so that no two modules share a file name."""
    seen: dict[str, int] = {}
    slugs = []
    for stem in stems:
        slug = slugify(stem)
        seen[slug] = seen.get(slug, 0) + 1
        slugs.append(slug if seen[slug] == 1 else f"{slug}-{seen[slug]}")
    return slugs


def as_list(value) -> list[str]:
    """Return a front matter value as a list of non-empty strings."""
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    return [str(item).strip() for item in items if str(item).strip()]
