"""`roundtable import`: turn an existing lesson repository into a Roundtable program.

Each reader (workbench, jekyll, plain) turns a lesson into episodes of Material Markdown;
this module writes them as `content/<program>/<slug>.md`, copies the figures and data,
and adds the program to programs.yml (making a new repository first when DEST is new).
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import click
import yaml

from generator.importers import jekyll, plain, workbench
from generator.importers.lesson import Episode, Lesson, slugify

TEMPLATE = Path(__file__).resolve().parent.parent / "init_template"
NEEDED_EXTENSIONS = ("admonition", "pymdownx.details", "pymdownx.superfences", "attr_list")


@dataclass
class Imported:
    """What an import wrote, for the command to report."""

    program_id: str
    lesson_format: str
    lesson: Lesson
    program_dir: Path


def read_lesson(src: Path) -> tuple[str, Lesson]:
    """Recognise the lesson's format and read it."""
    if workbench.is_workbench(src):
        return "Carpentries Workbench", workbench.read(src)
    if jekyll.is_jekyll(src):
        return "Carpentries styles (Jekyll)", jekyll.read(src)
    return "plain Markdown", plain.read(src)


def import_lesson(src: Path, dest: Path, program_id: str | None = None) -> Imported:
    """Import the lesson in `src` as a new program of the repository in `dest` (created if new)."""
    lesson_format, lesson = read_lesson(src)
    if not lesson.episodes:
        raise click.ClickException(f"{src} has no episodes or Markdown files to import")
    program_id = slugify(program_id or src.resolve().name)
    if not (dest / "mkdocs.yml").is_file():
        _new_repository(dest, lesson.title)
    docs_dir, programs_file = _repository_paths(dest)
    program_dir = docs_dir / program_id
    if program_dir.exists():
        raise click.ClickException(f"{program_dir} already exists (fix: pass --id to import under another name)")
    program_dir.mkdir(parents=True)
    for episode in lesson.episodes:
        (program_dir / f"{episode.slug}.md").write_text(module_text(episode), encoding="utf-8")
    for folder in lesson.assets:
        shutil.copytree(folder, program_dir / folder.name, dirs_exist_ok=True)
    _keep_licence(src, dest, program_id)
    _add_program(programs_file, program_id, lesson, src, lesson_format)
    return Imported(program_id, lesson_format, lesson, program_dir)


def module_text(episode: Episode) -> str:
    """Return a module file: front matter (title, a roundtable from the episode's questions), then the body."""
    meta = {"title": episode.title}
    if episode.questions:
        meta["activities"] = [{"roundtable": " ".join(episode.questions)}]
    front = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=1000)
    return f"---\n{front}---\n\n{episode.body}"


def missing_extensions(dest: Path) -> list[str]:
    """Return the Markdown extensions the converted modules need that mkdocs.yml does not list."""
    text = (dest / "mkdocs.yml").read_text(encoding="utf-8")
    return [name for name in NEEDED_EXTENSIONS if not re.search(rf"^\s*-\s*{re.escape(name)}\b", text, re.MULTILINE)]


def _new_repository(dest: Path, title: str) -> None:
    """Start a program repository in dest from `roundtable init`'s mkdocs.yml, with no example program."""
    if dest.exists() and any(dest.iterdir()):
        raise click.ClickException(f"{dest} has files but no mkdocs.yml; choose a new folder or a program repository")
    dest.mkdir(parents=True, exist_ok=True)
    config = (TEMPLATE / "mkdocs.yml").read_text(encoding="utf-8")
    config = re.sub(r"^site_name:.*$", f"site_name: {_quoted(title)}", config, count=1, flags=re.MULTILINE)
    (dest / "mkdocs.yml").write_text(config, encoding="utf-8")
    (dest / "programs.yml").write_text("# Programs, their modules in order, and the cohorts that take them.\nprograms:\n",
                                       encoding="utf-8")


def _repository_paths(dest: Path) -> tuple[Path, Path]:
    """Return (docs_dir, programs file) as mkdocs.yml sets them."""
    class Lenient(yaml.SafeLoader):
        """A loader that reads mkdocs.yml's !!python and !ENV tags as plain values."""

    Lenient.add_multi_constructor("", lambda loader, suffix, node: None)
    config = yaml.load((dest / "mkdocs.yml").read_text(encoding="utf-8"), Lenient) or {}
    programs = "programs.yml"
    for plugin in config.get("plugins") or []:
        if isinstance(plugin, dict) and isinstance(plugin.get("roundtable"), dict):
            programs = plugin["roundtable"].get("programs_file") or programs
    return dest / (config.get("docs_dir") or "docs"), dest / programs


def _keep_licence(src: Path, dest: Path, program_id: str) -> None:
    """Copy the lesson's licence beside the repository (CC BY asks for attribution)."""
    for name in ("LICENSE.md", "LICENSE", "LICENSE.txt"):
        if (src / name).is_file():
            (dest / "licences").mkdir(exist_ok=True)
            shutil.copy(src / name, dest / "licences" / f"{program_id}-{name}")
            return


def _add_program(programs_file: Path, program_id: str, lesson: Lesson, src: Path, lesson_format: str) -> None:
    """Append the program to programs.yml as text, so the author's comments and layout stay."""
    origin = lesson.source_url or src.resolve().name
    entry = {
        "id": program_id,
        "title": lesson.title,
        "audience": f"Anyone who wants to learn: {lesson.title}",
        "description": f"Adapted from {origin} ({lesson_format}); see licences/ for its licence.",
        "modules": [e.slug for e in lesson.episodes],
    }
    item = yaml.safe_dump([entry], sort_keys=False, allow_unicode=True, width=1000, default_flow_style=None)
    text = programs_file.read_text(encoding="utf-8") if programs_file.is_file() else "programs:\n"
    text = re.sub(r"^programs:\s*\[\s*\]\s*$", "programs:", text, flags=re.MULTILINE)
    indent = re.search(r"^programs:[ \t]*\n(?:[ \t]*(?:#.*)?\n)*([ \t]*)- ", text, re.MULTILINE)
    pad = indent.group(1) if indent else "  "
    block = f"{pad}# Imported by `roundtable import`: check the audience and description.\n"
    block += "".join(f"{pad}{line}\n" for line in item.splitlines())
    updated = text.rstrip("\n") + "\n" + block
    if not _lists_program(updated, program_id):
        raise click.ClickException(f"could not add the program to {programs_file} (fix: make `programs:` its last "
                                   f"top-level key, or add this entry by hand):\n{item}")
    programs_file.write_text(updated, encoding="utf-8")


def _lists_program(text: str, program_id: str) -> bool:
    """Tell whether programs.yml text parses and lists the program."""
    try:
        programs = (yaml.safe_load(text) or {}).get("programs") or []
    except yaml.YAMLError:
        return False
    return any(isinstance(p, dict) and p.get("id") == program_id for p in programs)


def _quoted(text: str) -> str:
    """Return text as a YAML scalar on one line."""
    return yaml.safe_dump(text, width=1000).strip().removesuffix("\n...").strip()
