"""Time `roundtable build` against a plain `mkdocs build` of the same generated Markdown; print JSON.

Usage: python bench/build.py [--modules 1000] [--runs 2] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

PROGRAMS = 10
WORDS = (
    "customer problem value outcome discovery question budget decision stakeholder risk timeline evidence "
    "forecast plan review feedback team manager coach cohort practice habit goal metric pipeline account "
    "renewal objection pricing proposal meeting agenda summary follow-up commitment trust listen explain "
    "compare decide prepare improve measure learn share write present clear concise honest useful"
).split()
# The same theme, features and extensions as the product's mkdocs.yml, so only the plugin differs.
BASE = {
    "site_name": "Bench",
    "docs_dir": "content",
    "theme": {"name": "material", "font": False, "features": [
        "navigation.sections", "navigation.indexes", "navigation.prune", "navigation.top",
        "search.suggest", "search.highlight", "toc.follow", "content.code.copy"]},
    "markdown_extensions": ["admonition", "attr_list", "md_in_html", "tables", "pymdownx.details",
                            "pymdownx.superfences", "pymdownx.highlight", {"toc": {"permalink": True}}],
}


def sentence(rng: random.Random, words: int = 14) -> str:
    """Return one plausible-looking sentence."""
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def paragraph(rng: random.Random) -> str:
    """Return a paragraph of five sentences."""
    return " ".join(sentence(rng, rng.randint(8, 20)) for _ in range(5))


def module_markdown(rng: random.Random, title: str, next_slug: str | None) -> str:
    """Return a module of about 600 words: front matter, headings, lists, code, a table, admonitions, a link."""
    front = {"title": title, "summary": sentence(rng), "activities": [
        {"roundtable": sentence(rng)},
        {"plan": {"prompt": sentence(rng), "debrief": sentence(rng)}},
        {"presentation": {"prompt": sentence(rng), "rubric": ["clarity", "evidence", "next step"]}},
    ]}
    parts = ["---", yaml.safe_dump(front, sort_keys=False).strip(), "---", f"# {title}", paragraph(rng)]
    for section in range(3):
        parts += [f"## Part {section + 1}: {rng.choice(WORDS)}", paragraph(rng), paragraph(rng)]
        parts += ["\n".join(f"- {sentence(rng, 8)}" for _ in range(4))]
    parts += ["```python\ndef score(call):\n    return sum(q.open for q in call.questions)\n```"]
    parts += ["| step | owner | when |\n| --- | --- | --- |\n" + "\n".join(
        f"| {rng.choice(WORDS)} | {rng.choice(WORDS)} | week {n} |" for n in range(1, 5))]
    parts += [f'!!! tip "Remember"\n    {sentence(rng)}', f'??? note "More"\n    {paragraph(rng)}']
    if next_slug:
        parts += [f"Next: [the next module]({next_slug}.md)."]
    return "\n\n".join(parts) + "\n"


def generate(root: Path, modules: int) -> list:
    """Write programs.yml, the modules and both configs; return the explicit nav of the plain build."""
    rng = random.Random(42)
    programs, nav = [], []
    per = max(1, modules // PROGRAMS)
    for p in range(PROGRAMS):
        slugs = [f"module-{n:04d}" for n in range(p * per, min(modules, (p + 1) * per))]
        if not slugs:
            break
        folder = root / "content" / f"program-{p}"
        folder.mkdir(parents=True)
        for i, slug in enumerate(slugs):
            following = slugs[i + 1] if i + 1 < len(slugs) else None
            (folder / f"{slug}.md").write_text(module_markdown(rng, f"Module {slug[-4:]}", following))
        programs.append({"id": f"program-{p}", "title": f"Program {p}", "audience": "Everyone", "modules": slugs,
                         "cohorts": [{"id": f"program-{p}-first", "starts": "2027-01-04", "pace": "weekly"}]})
        nav.append({f"Program {p}": [f"program-{p}/{s}.md" for s in slugs]})
    (root / "programs.yml").write_text(yaml.safe_dump({"programs": programs}, sort_keys=False))
    (root / "mkdocs.yml").write_text(yaml.safe_dump({**BASE, "plugins": ["search", "roundtable"]}))
    (root / "plain.yml").write_text(yaml.safe_dump({**BASE, "plugins": ["search"], "nav": nav}))
    return nav


def timed(command: list[str], cwd: Path) -> tuple[float, float]:
    """Run a build command and return (wall, CPU) seconds; fail loudly if it fails."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    cpu_before, started = _children_cpu(), time.perf_counter()
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    wall, cpu = time.perf_counter() - started, _children_cpu() - cpu_before
    if result.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}")
    return wall, cpu


def _children_cpu() -> float:
    """Return the user + system CPU seconds used so far by finished child processes."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    """Generate the modules, time both builds (alternating, best of --runs) and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--modules", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    args = parser.parse_args()
    if args.keep:
        run_bench(args.keep, args.modules, args.runs)
    else:  # a 1000-module bench leaves about 700 MB behind: remove it
        with tempfile.TemporaryDirectory(prefix="roundtable-bench-") as folder:
            run_bench(Path(folder), args.modules, args.runs)


def run_bench(root: Path, modules: int, runs_wanted: int) -> None:
    """Generate the project in root, time both builds alternately and print the JSON summary."""
    generate(root, modules)
    roundtable = [str(Path(sys.executable).parent / "roundtable"), "build", "-d", "site-roundtable"]
    plain = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", "plain.yml", "-d", "site-plain"]
    runs = {"roundtable": [], "plain": []}
    for _ in range(runs_wanted):  # alternate, so that a slow spell of the machine hits both
        runs["roundtable"].append(timed(roundtable, root))
        runs["plain"].append(timed(plain, root))
    print(json.dumps(summary(modules, runs)))


def summary(modules: int, runs: dict) -> dict:
    """Return the best wall and CPU times of each build, their ratios and the median of the rounds' CPU ratios.

    Wall time was the goal's first measure; CPU time (user + system of the build
    processes) barely moves when other work shares the machine, and wall time
    moves a lot: ``cpu_ratio_median`` (each round's two builds ran back to back)
    is the figure to judge by.
    """
    wall = {k: min(w for w, _ in v) for k, v in runs.items()}
    cpu = {k: min(c for _, c in v) for k, v in runs.items()}
    rounds = [r / p for (_, r), (_, p) in zip(runs["roundtable"], runs["plain"])]
    return {
        "modules": modules, "roundtable_s": round(wall["roundtable"], 2), "plain_s": round(wall["plain"], 2),
        "ratio": round(wall["roundtable"] / wall["plain"], 3),
        "roundtable_cpu_s": round(cpu["roundtable"], 2), "plain_cpu_s": round(cpu["plain"], 2),
        "cpu_ratio": round(cpu["roundtable"] / cpu["plain"], 3),
        "cpu_ratio_median": round(statistics.median(rounds), 3),
        "cpu_ratios": [round(r, 3) for r in rounds],
        "runs": {k: [round(w, 2) for w, _ in v] for k, v in runs.items()},
        "cpu_runs": {k: [round(c, 2) for _, c in v] for k, v in runs.items()},
        "load_average": round(os.getloadavg()[0], 2),
    }


if __name__ == "__main__":
    main()
