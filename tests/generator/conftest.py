"""Fixtures for the generator tests: fixture program trees and real builds of them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sitebuild import FIXTURES, build


@pytest.fixture
def project(tmp_path):
    """Return a factory that copies a fixture tree into tmp_path, so a test may edit it."""
    def copy(name: str = "minimal") -> Path:
        target = tmp_path / name
        shutil.copytree(FIXTURES / name, target)
        return target
    return copy


@pytest.fixture(scope="session")
def minimal_site(tmp_path_factory) -> Path:
    """Build tests/fixtures/programs/minimal once and return its site folder."""
    # A copy, because `roundtable build` writes roundtable.lock beside mkdocs.yml.
    root = tmp_path_factory.mktemp("minimal") / "minimal"
    shutil.copytree(FIXTURES / "minimal", root)
    site = root.parent / "site"
    result = build(root, site)
    assert result.exit_code == 0, result.output
    return site
