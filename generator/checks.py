"""Rules that span files: repeated ids, unlisted or missing modules, broken links, images and anchors (links.py)."""

from __future__ import annotations

from pathlib import Path

from generator import coach, snippets
from generator.errors import ContentError, Problem, errors_only
from generator.links import broken_links
from generator.lock import changed_activities, read_lock
from generator.loader import Project, Settings, load_project
from generator.pages import generated_paths


def check_project(project: Project) -> list[Problem]:
    """Return every problem: those found while loading plus the cross-file ones, sorted."""
    problems = list(project.problems)
    problems += _repeated_ids(project)
    problems += _unlisted_modules(project)
    problems += broken_links(project)
    problems += _unclosed_coach_blocks(project)
    problems += _coach_blocks_in_snippets(project)
    problems += _missing_templates(project)
    problems += _due_before_previous(project)
    lock = read_lock(project.settings.lock_file)
    if lock is not None:
        problems += changed_activities(project, lock)
    return sorted(set(problems))


def _repeated_ids(project: Project) -> list[Problem]:
    """Report programs, cohorts and modules that share an id."""
    where = project.rel(project.programs_file)
    programs = project.catalog.programs
    found = _repeats(where, "program id '{}' is used twice", [(p.id, p.line) for p in programs])
    found += _repeats(where, "cohort id '{}' is used twice", [(c.id, c.line) for p in programs for c in p.cohorts])
    for program in programs:
        found += _repeats(where, "module '{}' is listed twice", [(m.src_path.rsplit("/", 1)[-1][:-3], m.line) for m in program.modules])
        found += _shared_module_ids(project, program)
    return found


def _shared_module_ids(project: Project, program) -> list[Problem]:
    """Report a module id claimed by two files, at the second file, naming where the first one claims it."""
    first: dict[str, str] = {}
    found = []
    for module in {m.src_path: m for m in program.modules}.values():
        where = f"{project.rel(project.docs_dir / module.src_path)}:{project.front_lines.get(module.src_path, {}).get('id', 1)}"
        if module.id in first:
            path, line = where.rsplit(":", 1)
            found.append(Problem(path, int(line), f"module id '{module.id}' is used by two files: {first[module.id]} and {where}",
                                 "give one of them another `id:` in its front matter"))
        first.setdefault(module.id, where)
    return found


def _repeats(path: str, message: str, values: list[tuple[str, int]]) -> list[Problem]:
    """Report every occurrence after the first of a value that appears more than once."""
    seen: set[str] = set()
    found = []
    for value, line in values:
        if value in seen:
            found.append(Problem(path, line, message.format(value), "give each one its own id, or remove the repeat"))
        seen.add(value)
    return found


def _unlisted_modules(project: Project) -> list[Problem]:
    """Warn about Markdown files in a program's folder that its `modules` list leaves out."""
    found = []
    for program in project.catalog.programs:
        listed = {m.src_path for m in program.modules}
        for path in sorted((project.docs_dir / program.id).glob("*.md")):
            if path.name != "index.md" and f"{program.id}/{path.name}" not in listed:
                hint = f"add '{path.stem}' to the modules of '{program.id}' in {project.rel(project.programs_file)}"
                found.append(Problem(project.rel(path), 1, "module file is not listed in any program", hint, warning=True))
    folders = {p.id for p in project.catalog.programs}
    for path in sorted(project.docs_dir.rglob("*.md")):
        src = path.relative_to(project.docs_dir).as_posix()
        if src.split("/", 1)[0] not in folders and src not in generated_paths(project.catalog):
            found.append(Problem(project.rel(path), 1, "Markdown file outside every program folder: it is not published",
                                 "move it into a program's folder and list it in programs.yml, or delete it", warning=True))
    return found


def published_pages(project: Project) -> set[str]:
    """Return the Markdown pages the site publishes: modules, home, landing and dynamic pages; nothing unlisted."""
    return {m.src_path for m in project.catalog.modules()} | generated_paths(project.catalog)


def _unclosed_coach_blocks(project: Project) -> list[Problem]:
    """Report a `::: coach` block never closed: the build hides the rest of the page from learners."""
    found = []
    for src_path, body in project.bodies.items():
        for line in coach.unclosed(body.text, body.first_line):
            message = "this coach-only block is never closed: the rest of the page would be hidden from learners"
            found.append(Problem(project.rel(project.docs_dir / src_path), line, message,
                                 "add a line `:::` where the notes end"))
    return found


def _coach_blocks_in_snippets(project: Project) -> list[Problem]:
    """Report an included snippet that holds a coach-only block: snippets expand after the blocks are cut."""
    dirs = project.settings.snippet_dirs
    found = []
    for src_path, body in project.bodies.items() if dirs else ():
        for line, name in snippets.includes(body.text, body.first_line):
            path = snippets.find(name, dirs)
            if path and coach.extract(path.read_text(encoding="utf-8", errors="replace"), "")[1]:
                found.append(Problem(project.rel(project.docs_dir / src_path), line,
                                     f"snippet '{name}' holds a coach-only block: learners would see it",
                                     "move the block into the module itself"))
    return found


def _due_before_previous(project: Project) -> list[Problem]:
    """Warn about a module due before the one listed above it (in the program's first cohort)."""
    found = []
    for program in project.catalog.programs:
        for above, module in zip(program.modules, program.modules[1:]):
            if module.due_days < above.due_days:
                line = project.front_lines.get(module.src_path, {}).get("due", 1)
                found.append(Problem(project.rel(project.docs_dir / module.src_path), line,
                                     f"module '{module.id}' is due on day {module.due_days}, before '{above.id}' "
                                     f"above it (day {above.due_days})",
                                     "change its `due:`, or move it above in programs.yml", warning=True))
    return found


def _missing_templates(project: Project) -> list[Problem]:
    """Report a front matter `template` that the theme (or its custom_dir) does not have."""
    dirs = project.settings.template_dirs
    if dirs is None:
        return []
    found = []
    for src_path, name in sorted(project.templates.items()):
        if name and not any((Path(d) / name).is_file() for d in dirs):
            line = project.front_lines[src_path]["template"]
            found.append(Problem(project.rel(project.docs_dir / src_path), line, f"template '{name}' does not exist",
                                 "remove `template:`, or add the file to the theme's custom_dir (e.g. overrides/)"))
    return found


def load_checked(root, programs_file, docs_dir, settings: Settings | None = None) -> tuple[Project, list[Problem]]:
    """Load and check a project; raise ContentError listing every error, else return it with its warnings."""
    project = load_project(Path(root), Path(programs_file), Path(docs_dir), settings)
    problems = check_project(project)
    if errors_only(problems):
        raise ContentError(problems)
    return project, problems
