"""Read an older Carpentries (styles, Jekyll) lesson: _episodes/*.md, blockquote boxes marked `{: .challenge}`, Liquid."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from generator.importers.blocks import FENCE, Links, admonition, asset_files, image_attributes
from generator.importers.lesson import Episode, Lesson, Warnings, as_list, split_front_matter, unique_slugs

CLASS_LINE = re.compile(r"^\s*\{:\s*\.([\w-]+)[^}]*\}\s*$")
CODE_CLASSES = {"output": "output", "error": "error", "source": "", "warning": "output"}
QUOTE = re.compile(r"^ {0,3}> ?")
LIQUID_VAR = re.compile(r"\{\{\s*([\w.]+)\s*\}\}")
LIQUID_TAG = re.compile(r"\{%-?\s*(\w+)\s*([^%]*?)\s*-?%\}")


def is_jekyll(src: Path) -> bool:
    """Tell a styles lesson by its _episodes/ folder."""
    return (src / "_episodes").is_dir()


def read(src: Path) -> Lesson:
    """Read _episodes/*.md in file-name order and convert each."""
    config_path = src / "_config.yml"
    site = (yaml.safe_load(config_path.read_text(encoding="utf-8")) or {}) if config_path.is_file() else {}
    paths = sorted((src / "_episodes").glob("*.md"))
    slugs = unique_slugs([p.stem for p in paths])
    stems = {p.stem.lower(): slug for p, slug in zip(paths, slugs)}
    lesson = Lesson(title=str(site.get("title") or src.name), episodes=[], source_url=str(site.get("repository") or ""))
    lesson.assets = [d for d in (src / "fig", src / "data", src / "files") if d.is_dir()]
    for path, slug in zip(paths, slugs):
        lesson.episodes.append(_episode(src, path, slug, stems, site, lesson))
    return lesson


def _episode(src: Path, path: Path, slug: str, stems: dict, site: dict, lesson: Lesson) -> Episode:
    """Convert one episode: Liquid first (it may pull in lines), then boxes and code, then links."""
    source = path.relative_to(src).as_posix()
    warn = Warnings(source, lesson.warnings)
    meta, body, first = split_front_matter(path.read_text(encoding="utf-8"), warn)
    episode = Episode(source, slug, str(meta.get("title") or slug.replace("-", " ").capitalize()),
                      questions=as_list(meta.get("questions")))
    liquid = Liquid(src, site, meta, warn)
    numbered = [(n, t) for line, text in enumerate(body.splitlines(), first) for n, t in liquid.line(line, text)]
    numbered = Boxes(warn).convert(numbered)
    lines = _overview(meta) + Links(stems, warn, asset_files(lesson.assets)).rewrite(numbered) + _keypoints(meta)
    episode.body = image_attributes("\n".join(lines)).strip() + "\n"
    return episode


def _overview(meta: dict) -> list[str]:
    """The episode's questions and objectives from its front matter, as boxes at the top."""
    out = []
    for key in ("questions", "objectives"):
        items = as_list(meta.get(key))
        if items:
            out += admonition(key, [f"- {item}" for item in items], None, 0)
    return out


def _keypoints(meta: dict) -> list[str]:
    """The episode's key points from its front matter, as a box at the end."""
    items = as_list(meta.get("keypoints"))
    return ["", *admonition("keypoints", [f"- {item}" for item in items], None, 0)] if items else []


class Liquid:
    """Evaluate the simple Liquid a lesson uses; remove (and list) the rest."""

    def __init__(self, src: Path, site: dict, page: dict, warn: Warnings):
        """Variables come from _config.yml (`site.*`) and the front matter (`page.*`)."""
        self.src = src
        self.site = site
        self.page = page
        self.warn = warn
        self.raw = False

    def line(self, line: int, text: str) -> list[tuple[int, str]]:
        """Return the numbered lines one source line becomes (an include may make many)."""
        if self.raw or re.search(r"\{%-?\s*raw\s*-?%\}", text):
            # inside {% raw %}, Liquid is shown as text: only the markers go
            self.raw = not re.search(r"\{%-?\s*endraw\s*-?%\}", text)
            return [(line, re.sub(r"\{%-?\s*(end)?raw\s*-?%\}", "", text))]
        include = LIQUID_TAG.fullmatch(text.strip())
        if include and include.group(1) == "include":
            return [(line, t) for t in self._include(line, include.group(2))]
        return [(line, self.text(line, text))]

    def text(self, line: int, text: str) -> str:
        """Replace variables and drop tags within one line."""
        # raw HTML is not rewritten by MkDocs: from the page's URL (program/module/) the folders are one up
        text = re.sub(r"=\"\{\{\s*page\.root\s*\}\}/", '="../', text)
        text = re.sub(r"\{\{\s*page\.root\s*\}\}/?", "", text)
        text = LIQUID_VAR.sub(lambda m: self._variable(line, m.group(1)), text)
        return LIQUID_TAG.sub(lambda m: self._tag(line, m), text)

    def _variable(self, line: int, name: str) -> str:
        """Return a `site.*` or `page.*` scalar as text, or '' with a warning."""
        scope, _, key = name.partition(".")
        values = {"site": self.site, "page": self.page}.get(scope, {})
        value = values.get(key) if isinstance(values, dict) else None
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            return str(value)
        self.warn(line, f"Liquid variable '{{{{ {name} }}}}' has no simple value; it was removed")
        return ""

    def _tag(self, line: int, match) -> str:
        """Drop a Liquid tag (`link x.md` becomes its path); `raw` markers go quietly, the rest with a warning."""
        if match.group(1) == "link":
            return match.group(2).strip()
        if match.group(1) not in ("raw", "endraw"):
            self.warn(line, f"Liquid tag '{{% {match.group(1)} %}}' was left out", "rewrite that part by hand")
        return ""

    def _include(self, line: int, name: str) -> list[str]:
        """Inline `_includes/links.md` (reference link definitions); leave other includes out."""
        path = self.src / "_includes" / name.strip()
        if name.strip() != "links.md" or not path.is_file():
            self.warn(line, f"Liquid include '{name.strip()}' was left out", "copy what it adds by hand")
            return []
        lines = []
        for text in path.read_text(encoding="utf-8").splitlines():
            if LIQUID_TAG.search(text) or re.search(r"\{\{\s*(?!site\.|page\.)", text):
                continue  # base_path.html's assignments and the links built from them cannot be evaluated
            lines.append(self.text(line, text))
        return lines


class Boxes:
    """Turn blockquotes marked `{: .challenge}` into admonitions and code marked `{: .language-x}` into fenced code."""

    def __init__(self, warn: Warnings):
        """Report into `warn`."""
        self.warn = warn

    def convert(self, numbered: list[tuple[int, str]]) -> list[tuple[int, str]]:
        """Return the converted lines, each with the source line it came from."""
        out, i = [], 0
        while i < len(numbered):
            line, text = numbered[i]
            if FENCE.match(text) and not text.startswith("    "):
                block, i = self._code(numbered, i)
            elif QUOTE.match(text):
                block, i = self._quote(numbered, i)
            else:
                block, i = [(line, text)], i + 1
            out += block
        return out

    def _code(self, numbered, i):
        """Fenced code up to its closing fence, tagged with the language of a following `{: .language-x}`."""
        line, opening = numbered[i]
        fence = FENCE.match(opening).group(1)
        end = i + 1
        while end < len(numbered) and not numbered[end][1].strip().startswith(fence):
            end += 1
        body = [t for _, t in numbered[i + 1:end]]
        after = end + 1
        language = opening.strip()[len(fence):].strip()
        marker = CLASS_LINE.match(numbered[after][1]) if after < len(numbered) else None
        if marker:
            cls = marker.group(1)
            language = cls[len("language-"):] if cls.startswith("language-") else CODE_CLASSES.get(cls, cls)
            after += 1
        ticks = "~~~~" if any("```" in t for t in body) else "```"
        return [(line, f"{ticks}{language}"), *[(line, t) for t in body], (line, ticks)], after

    def _quote(self, numbered, i):
        """A blockquote (with lazy continuation lines) and the box class that follows it, if any."""
        start_line = numbered[i][0]
        inner = []
        while i < len(numbered):
            line, text = numbered[i]
            if QUOTE.match(text):
                inner.append((line, QUOTE.sub("", text, count=1)))
            elif text.strip() and inner and inner[-1][1].strip() and not CLASS_LINE.match(text):
                inner.append((line, text))  # a lazy continuation line of the paragraph above
            else:
                break
            i += 1
        marker = CLASS_LINE.match(numbered[i][1]) if i < len(numbered) else None
        converted = self.convert(inner)
        if not marker:
            return [(n, f"> {t}" if t.strip() else ">") for n, t in converted], i
        kind = marker.group(1)
        rendered = admonition(kind, [t for _, t in converted], self.warn, start_line)
        return [(start_line, t) for t in rendered], i + 1

