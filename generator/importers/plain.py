"""Read a plain folder of Markdown files, ordered by file name."""

from __future__ import annotations

import re
from pathlib import Path

from generator.importers.blocks import Links, image_attributes
from generator.importers.lesson import Episode, Lesson, Warnings, as_list, split_front_matter, unique_slugs

SKIP = {"readme.md", "license.md", "contributing.md", "code_of_conduct.md", "changelog.md"}


def read(src: Path) -> Lesson:
    """Read every *.md of the folder (not README, LICENSE and friends) as one episode each."""
    paths = sorted(p for p in src.glob("*.md") if p.name.lower() not in SKIP)
    slugs = unique_slugs([p.stem for p in paths])
    stems = {p.stem.lower(): slug for p, slug in zip(paths, slugs)}
    lesson = Lesson(title=src.resolve().name.replace("-", " ").replace("_", " ").capitalize(), episodes=[])
    for path, slug in zip(paths, slugs):
        warn = Warnings(path.name, lesson.warnings)
        meta, body, first = split_front_matter(path.read_text(encoding="utf-8"), warn)
        title = str(meta.get("title") or _first_heading(body) or slug.replace("-", " ").capitalize())
        lines = Links(stems, warn).rewrite(list(enumerate(body.splitlines(), first)))
        episode = Episode(path.name, slug, title, questions=as_list(meta.get("questions")))
        episode.body = image_attributes("\n".join(lines)).strip() + "\n"
        lesson.episodes.append(episode)
    lesson.assets = [d for d in (src / "fig", src / "images", src / "img", src / "data") if d.is_dir()]
    return lesson


def _first_heading(body: str) -> str:
    """Return the text of the first `#` heading, if any."""
    match = re.search(r"^#\s+(.+?)\s*#*$", body, re.MULTILINE)
    return match.group(1) if match else ""
