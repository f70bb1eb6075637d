"""Read a Carpentries Workbench lesson: config.yaml's episode order, episodes/*.md with pandoc fenced divs."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from generator.importers.blocks import (
    COACH_ONLY,
    FENCE,
    Links,
    admonition,
    asset_files,
    coach_block,
    image_attributes,
)
from generator.importers.lesson import Episode, Lesson, Warnings, as_list, split_front_matter, unique_slugs

DIV_OPEN = re.compile(r"^\s*:{3,}\s*\{?\s*\.?([A-Za-z][\w-]*)[^:]*?\}?\s*:*\s*$")
DIV_CLOSE = re.compile(r"^\s*:{3,}\s*$")
CHUNK = re.compile(r"^(\s*`{3,})\s*\{([a-zA-Z0-9_+-]+)[^}]*\}\s*$", re.MULTILINE)  # R Markdown: ```{r name, echo=FALSE}
LIST_ITEM = re.compile(r"^\s*[-*+]\s+(.*\S)")


def is_workbench(src: Path) -> bool:
    """Tell a Workbench lesson by its config.yaml next to an episodes/ folder."""
    return (src / "config.yaml").is_file() and (src / "episodes").is_dir()


def read(src: Path) -> Lesson:
    """Read every episode config.yaml lists (else all of episodes/, by name) and convert it."""
    config = yaml.safe_load((src / "config.yaml").read_text(encoding="utf-8")) or {}
    names = as_list(config.get("episodes")) or sorted(p.name for p in (src / "episodes").glob("*.*md"))
    lesson = Lesson(title=str(config.get("title") or src.name), episodes=[], source_url=str(config.get("source") or ""))
    paths = [src / "episodes" / name for name in names]
    for path in [p for p in paths if not p.is_file()]:
        Warnings("config.yaml", lesson.warnings)(1, f"episode '{path.name}' is listed but episodes/{path.name} does not exist")
    paths = [p for p in paths if p.is_file()]
    slugs = unique_slugs([p.stem for p in paths])
    stems = {p.stem.lower(): slug for p, slug in zip(paths, slugs)}
    links_md = (src / "links.md").read_text(encoding="utf-8") if (src / "links.md").is_file() else ""
    lesson.assets = [d for d in (src / "episodes" / "fig", src / "episodes" / "data", src / "episodes" / "files") if d.is_dir()]
    for path, slug in zip(paths, slugs):
        lesson.episodes.append(_episode(src, path, slug, stems, links_md, lesson))
    return lesson


def _episode(src: Path, path: Path, slug: str, stems: dict, links_md: str, lesson: Lesson) -> Episode:
    """Convert one episode file."""
    source = path.relative_to(src).as_posix()
    warn = Warnings(source, lesson.warnings)
    meta, body, first = split_front_matter(path.read_text(encoding="utf-8"), warn)
    episode = Episode(source, slug, str(meta.get("title") or slug.replace("-", " ").capitalize()))
    numbered = list(enumerate(image_attributes(body).splitlines(), first))
    if path.suffix.lower() == ".rmd" and CHUNK.search(body):
        warn(first, "R Markdown code chunks are shown as code; they are not run", "paste the output you want shown")
    lines = Links(stems, warn, asset_files(lesson.assets)).rewrite(Divs(warn, episode.questions).convert(numbered))
    # sandpaper appends links.md to every episode, so its reference links resolve everywhere
    shared = Warnings("links.md", [])
    lines += Links(stems, shared).rewrite(list(enumerate(["", *links_md.splitlines()], 0))) if links_md else []
    lesson.warnings += [w for w in shared.into if w not in lesson.warnings]
    episode.body = "\n".join(lines).strip() + "\n"
    return episode


class Divs:
    """Turn pandoc fenced divs (`::: challenge` ... `:::`) into admonitions, nested ones included."""

    def __init__(self, warn: Warnings, questions: list[str]):
        """Report into `warn`; collect the items of `::: questions` into `questions`."""
        self.warn = warn
        self.questions = questions

    def convert(self, numbered: list[tuple[int, str]]) -> list[tuple[int, str]]:
        """Return the episode's lines with every div rendered; lines keep their source line numbers."""
        stack = [("", 0, [])]  # (class, line it opened on, converted lines inside)
        in_fence = False
        for line, text in numbered:
            if FENCE.match(text):
                in_fence = not in_fence
                text = CHUNK.sub(r"\1\2", text)
            elif not in_fence and DIV_CLOSE.match(text):
                if len(stack) == 1:
                    self.warn(line, "a closing ':::' without an opening div was left out")
                    continue
                closed = stack.pop()
                stack[-1][2].extend(self._render(*closed))
                continue
            elif not in_fence and DIV_OPEN.match(text):
                stack.append((DIV_OPEN.match(text).group(1).lower(), line, []))
                continue
            stack[-1][2].append((line, text))
        while len(stack) > 1:
            kind, line, inner = closed = stack.pop()
            self.warn(line, f"div '{kind}' is never closed; it was closed at the end of the file")
            stack[-1][2].extend(self._render(*closed))
        return stack[0][2]

    def _render(self, kind: str, line: int, inner: list[tuple[int, str]]) -> list[tuple[int, str]]:
        """Render one closed div as numbered admonition lines (a coach-only block for instructor notes)."""
        if kind in COACH_ONLY:
            return [(line, text) for text in coach_block([text for _, text in inner])]
        if kind == "questions":
            self.questions += [m.group(1) for _, t in inner if (m := LIST_ITEM.match(t))]
        rendered = admonition(kind, [text for _, text in inner], self.warn, line)
        return [(line, text) for text in rendered]
