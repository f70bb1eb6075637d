"""Markdown pieces shared by the lesson readers: admonitions for lesson boxes, image attributes, links between episodes."""

from __future__ import annotations

import posixpath
import re

from generator.importers.lesson import Warnings
from generator.links import default_slug, heading_ids

# Lesson box class -> (Material admonition type, default title, collapsed)
BOXES = {
    "callout": ("note", "Callout", False),
    "challenge": ("example", "Challenge", False),
    "solution": ("success", "Solution", True),
    "hint": ("tip", "Hint", True),
    "spoiler": ("note", "More", True),
    "discussion": ("question", "Discussion", False),
    "checklist": ("abstract", "Checklist", False),
    "prereq": ("info", "Prerequisites", False),
    "questions": ("question", "Questions", False),
    "objectives": ("abstract", "Objectives", False),
    "keypoints": ("success", "Key points", False),
    "testimonial": ("quote", "Testimonial", False),
    "quotation": ("quote", "Quotation", False),
    "caution": ("warning", "Caution", False),
    "warning": ("warning", "Warning", False),
}
# Only coaches should see these: they become coach-only blocks (`!!! coach`, generator/coach.py).
COACH_ONLY = {"instructor"}
HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
ASSET_DIRS = ("fig", "data", "files")


def admonition(kind: str, lines: list[str], warn: Warnings, line: int) -> list[str]:
    """Render a lesson box as a Material admonition; an unknown class becomes a note, with a warning."""
    if kind not in BOXES:
        warn(line, f"unknown box class '{kind}' became a plain note", "pick another admonition type by hand")
    kind_type, default_title, collapsed = BOXES.get(kind, ("note", kind.replace("-", " ").capitalize(), False))
    title, body = take_title(lines)
    title = (title or default_title).replace('"', "'")
    marker = "???" if collapsed else "!!!"
    out = [f'{marker} {kind_type} "{title}"', ""]
    out += [f"    {text}" if text.strip() else "" for text in trim_blank(body)]
    return out + [""]


def coach_block(lines: list[str]) -> list[str]:
    """Render an instructor note as a coach-only block: the build gives it to coaches only, never to learners."""
    title, body = take_title(lines)
    title = (title or "Instructor notes").replace('"', "'")
    return [f'!!! coach "{title}"', ""] + [f"    {text}" if text.strip() else "" for text in trim_blank(body)] + [""]


def take_title(lines: list[str]) -> tuple[str, list[str]]:
    """Return the first heading of a box (its title) and the lines without it."""
    for index, text in enumerate(lines):
        if not text.strip():
            continue
        match = HEADING.match(text)
        if match:
            return match.group(1), lines[:index] + lines[index + 1:]
        break
    return "", lines


def trim_blank(lines: list[str]) -> list[str]:
    """Drop blank lines at both ends."""
    start, end = 0, len(lines)
    while start < end and not lines[start].strip():
        start += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return lines[start:end]


IMAGE_ATTRS = re.compile(r"(!\[(?P<caption>[^\]]*)\]\((?P<src>[^)\s]+)\))\{(?P<attrs>[^}]*)\}", re.DOTALL)
ALT = re.compile(r"""alt\s*=\s*(?:'(?P<single>[^']*)'|"(?P<double>[^"]*)")""", re.DOTALL)


def image_attributes(text: str) -> str:
    """Turn pandoc's `![caption](src){alt='...'}` into `![alt](src "caption")`, which Python-Markdown reads."""
    def replace(match):
        alt = ALT.search(match.group("attrs"))
        if not alt:
            return match.group(1)
        alt_text = " ".join((alt.group("single") or alt.group("double") or "").split())
        caption = " ".join(match.group("caption").split()).replace('"', "'")
        title = f' "{caption}"' if caption else ""
        return f"![{alt_text}]({match.group('src')}{title})"
    return IMAGE_ATTRS.sub(replace, text)


INLINE_LINK = re.compile(r"(!?)\[((?:[^\[\]]|\[[^\]]*\])*)\]\(\s*<?([^)\s>]+)>?((?:\s+\"[^\"]*\")?)\s*\)")
REFERENCE_DEF = re.compile(r"^(\s{0,3}\[([^\]^][^\]]*)\]:\s*)<?([^\s>]+)>?(.*)$")  # not footnotes [^x]:
CODE_SPAN = re.compile(r"(`+)[^`].*?\1", re.DOTALL)
SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def asset_files(folders) -> set[str]:
    """Return the files of a lesson's asset folders as links name them after rewriting (`fig/a.png`)."""
    return {f"{folder.name}/{path.relative_to(folder).as_posix()}"
            for folder in folders for path in folder.rglob("*") if path.is_file()}


class Links:
    """Rewrite links between episodes to the new module files; unlink pages, files and #anchors the program lacks."""

    def __init__(self, slugs: dict[str, str], warn: Warnings, files: set[str] | None = None):
        """`slugs` maps each source episode's file stem (lower case) to its module slug; `files` is asset_files()."""
        self.slugs = slugs
        self.warn = warn
        self.files = files
        self.dropped: set[str] = set()
        self.anchors: set[str] | None = None  # the heading ids of the episode being rewritten

    def rewrite(self, numbered: list[tuple[int, str]]) -> list[str]:
        """Return the lines with every relative link pointing at what the program has."""
        # `check` refuses an #anchor no heading has: kramdown gave box titles ids, admonition titles have none
        self.anchors = heading_ids("\n".join(text for _, text in numbered), default_slug)
        out, paragraph, in_fence = [], [], False
        for line, text in numbered:
            if FENCE.match(text):
                in_fence = not in_fence
            if in_fence or FENCE.match(text) or not text.strip():
                out += self._paragraph(paragraph) + [text]
                paragraph = []
            else:
                paragraph.append((line, text))
        return self._unlink_references(out + self._paragraph(paragraph))

    def _paragraph(self, numbered: list[tuple[int, str]]) -> list[str]:
        """Rewrite the links of a paragraph as a whole, since link text may run over lines."""
        kept = []
        for line, text in numbered:
            definition = REFERENCE_DEF.match(text)
            if definition:
                text = self._definition(line, definition)
            if text is not None:
                kept.append((line, text))
        if not kept:
            return []
        joined = "\n".join(text for _, text in kept)
        lines = [line for line, _ in kept]

        def replace(match, offset):
            target = self.target(match.group(3))
            if target is None:
                at = lines[joined[:offset + match.start()].count("\n")]
                self.warn(at, self._why(match.group(3), image=bool(match.group(1))))
                return match.group(2)
            return f"{match.group(1)}[{match.group(2)}]({target}{match.group(4)})"
        # code spans show link syntax as text: rewrite only between them
        pieces, last = [], 0
        for span in CODE_SPAN.finditer(joined):
            part = joined[last:span.start()]
            pieces += [INLINE_LINK.sub(lambda m, o=last: replace(m, o), part), span.group(0)]
            last = span.end()
        pieces.append(INLINE_LINK.sub(lambda m, o=last: replace(m, o), joined[last:]))
        return "".join(pieces).split("\n")

    def _definition(self, line: int, definition) -> str | None:
        """Rewrite a reference definition; None drops one whose page was not imported."""
        target = self.target(definition.group(3))
        if target is None:
            self.warn(line, f"link to '{definition.group(3)}' left out: that page was not imported")
            self.dropped.add(definition.group(2).lower())
            return None
        return f"{definition.group(1)}{target}{definition.group(4)}"

    def _why(self, target: str, image: bool) -> str:
        """Say why a link or image was left out."""
        if image:
            return f"image '{target}' left out: the lesson has no such file (its alt text stays)"
        if target.startswith("#"):
            return f"link to '{target}' left out: no heading of the page has that id"
        return f"link to '{target}' left out: that page was not imported"

    def target(self, target: str) -> str | None:
        """Return the new target of a link, the same one if it leaves the lesson, or None if it is gone."""
        if target.startswith("#") and self.anchors is not None and target[1:] not in self.anchors:
            return None
        if SCHEME.match(target) or target.startswith(("#", "//")) or not target:
            return target
        path, hash_, anchor = target.partition("#")
        parts = [p for p in posixpath.normpath(path).split("/") if p not in ("", ".", "..")]
        for index, part in enumerate(parts):
            if part in ASSET_DIRS:
                new = "/".join(parts[index:])
                return None if self.files is not None and new not in self.files else new + hash_ + anchor
        if parts and parts[-1] == "index.html":
            parts.pop()
        if not parts:
            return None
        stem = re.sub(r"\.(html|md|rmd)$", "", parts[-1], flags=re.IGNORECASE).lower()
        if stem in self.slugs:
            return f"{self.slugs[stem]}.md{hash_}{anchor}"
        return None

    def _unlink_references(self, lines: list[str]) -> list[str]:
        """Turn `[text][label]` uses of dropped reference definitions into plain text."""
        if not self.dropped:
            return lines
        labels = "|".join(re.escape(label) for label in sorted(self.dropped))
        full = re.compile(r"\[([^\]]+)\]\[(?i:" + labels + r")\]")
        short = re.compile(r"\[((?i:" + labels + r"))\](?:\[\])?(?![(:\[])")
        return [short.sub(r"\1", full.sub(r"\1", text)) for text in lines]
