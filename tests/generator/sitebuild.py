"""Helpers for the generator tests: run `roundtable` in-process and build fixture trees."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from roundtable.cli import main

FIXTURES = Path(__file__).parent.parent / "fixtures" / "programs"


def run(*args: str):
    """Invoke the `roundtable` command in-process and return click's Result."""
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def build(project: Path, site: Path, *extra: str):
    """Build a project's site into `site` with `roundtable build`."""
    return run("build", "-f", str(project / "mkdocs.yml"), "-d", str(site), *extra)


