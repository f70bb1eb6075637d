"""Generated pages: the home page, a landing page per program, the dynamic pages, and the nav that lists them."""

from __future__ import annotations

from generator.model import Catalog, Module, Program
from generator.mounts import mount

# (kind, title); each page is `<kind>.md` with the kind's single mount point.
DYNAMIC_PAGES = (
    ("signin", "Sign in"),
    ("progress", "My progress"),
    ("dashboard", "Dashboard"),
    ("forum", "Forum"),
    ("blogs", "Blogs"),
    ("wiki", "Wiki"),
    ("notifications", "Notifications"),  # issue 7
)
KIND_NAMES = {"read": "reading", "roundtable": "roundtable", "plan": "plan and debrief",
              "presentation": "presentation with peer review", "reflection": "reflection",
              "quiz": "quiz"}


def generated_paths(catalog: Catalog) -> set[str]:
    """Return the source paths of every page the plugin may generate."""
    paths = {"index.md", *(f"{kind}.md" for kind, _ in DYNAMIC_PAGES)}
    return paths | {f"{p.id}/index.md" for p in catalog.programs}


def nav(catalog: Catalog) -> list:
    """Return the site nav: home, a section per program (landing page, then modules), then the dynamic pages."""
    sections = [{p.title: [f"{p.id}/index.md", *({m.title: m.src_path} for m in p.modules)]} for p in catalog.programs]
    return [{"Home": "index.md"}, *sections, *({title: f"{kind}.md"} for kind, title in DYNAMIC_PAGES)]


# Front matter of a dynamic page. The dashboard is a desk: no table of contents beside the
# matrix (Material's own `hide`), and dashboard.css lifts the page's width limit. The site
# nav stays, because on a phone Material's drawer is the same nav, the only way elsewhere.
PAGE_META = {"dashboard": "---\nhide:\n  - toc\n---\n\n"}


def dynamic_page(kind: str, title: str) -> str:
    """Return the Markdown of a dynamic page: its front matter, a heading and its mount point."""
    return f"{PAGE_META.get(kind, '')}# {title}\n\n{mount(kind, heading=False)}\n"


def home_page(catalog: Catalog, site_name: str) -> str:
    """Return the Markdown of the home page, listing the programs."""
    lines = [f"# {site_name}", "", "Programs on this site:", ""]
    for program in catalog.programs:
        lines.append(f"- **[{_cell(program.title)}]({program.id}/index.md)**: {program.audience}")
    return "\n".join(lines) + "\n"


def landing_page(program: Program, with_title: bool = True) -> str:
    """Return the Markdown of a program's landing page: audience, schedule per cohort, modules."""
    lines = [f"# {program.title}", ""] if with_title else []
    lines += [f"**Audience:** {program.audience}", ""]
    if program.description:
        lines += [program.description.strip(), ""]
    lines += ["## Schedule", ""] + _schedule(program) + ["## Modules", ""]
    lines += [_module_item(module) for module in program.modules]
    lines += ["", "## Recent blog posts", "", mount("blog-recent", program.id, heading=False)]
    return "\n".join(lines) + "\n"


def _schedule(program: Program) -> list[str]:
    """Return a due-date table per cohort."""
    if not program.cohorts:
        return ["No cohort is scheduled yet.", ""]
    lines = []
    for cohort in program.cohorts:
        name = cohort.title or cohort.id
        lines += [f"### {name}", "", f"Starts {cohort.starts.isoformat()}, {cohort.pace} pace.", ""]
        lines += ["| # | Module | Due |", "| --- | --- | --- |"]
        for m in program.modules:
            lines.append(f"| {m.order} | [{_cell(m.title)}]({_link(m)}) | {cohort.due_date(m).isoformat()} |")
        lines.append("")
    return lines


def _module_item(module: Module) -> str:
    """Return one numbered list entry: title, summary and activities."""
    kinds = ", ".join(KIND_NAMES[a.kind] for a in module.activities)
    summary = f": {module.summary.strip()}" if module.summary else ""
    return f"{module.order}. **[{module.title}]({_link(module)})**{summary}  \n   Activities: {kinds}."


def _link(module: Module) -> str:
    """Return the link from the program's landing page to a module."""
    return module.src_path.split("/", 1)[1]


def _cell(text: str) -> str:
    """Escape text for a Markdown table cell or link text."""
    return text.replace("|", "\\|").replace("[", "\\[").replace("]", "\\]")


def generated_files(catalog: Catalog, site_name: str, existing) -> list[tuple[str, str]]:
    """Return (src_path, Markdown) for each generated page the author has not written themselves."""
    pages = [("index.md", home_page(catalog, site_name))]
    pages += [(f"{p.id}/index.md", landing_page(p)) for p in catalog.programs]
    pages += [(f"{kind}.md", dynamic_page(kind, title)) for kind, title in DYNAMIC_PAGES]
    return [(path, text) for path, text in pages if path not in existing]
