"""Static files the generator ships into every site that needs them: KaTeX for math (from templates/assets/)."""

from __future__ import annotations

from pathlib import Path

ASSETS = Path(__file__).parent / "templates" / "assets"
SITE_PREFIX = "assets/roundtable"  # where they land in site/, clear of Material's own assets/
KATEX_CSS = f"{SITE_PREFIX}/katex/katex.min.css"
# In this order: KaTeX, its auto-render, then ours, which calls it.
KATEX_SCRIPTS = [f"{SITE_PREFIX}/katex/katex.min.js", f"{SITE_PREFIX}/katex/contrib/auto-render.min.js",
                 f"{SITE_PREFIX}/katex-init.js"]


def katex_files() -> list[tuple[str, Path]]:
    """Return (path in the site, file in the package) for KaTeX, its fonts and licence, and our starter script."""
    files = [p for p in sorted((ASSETS / "katex").rglob("*")) if p.is_file()]
    files.append(ASSETS / "katex-init.js")
    return [(f"{SITE_PREFIX}/{p.relative_to(ASSETS).as_posix()}", p) for p in files]
