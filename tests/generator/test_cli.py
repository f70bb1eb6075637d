"""The authoring commands as an author runs them: init, check, build (and preview's options)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from sitebuild import build, external_requests, run

REPO = Path(__file__).resolve().parents[2]


def test_init_creates_a_repository_that_checks_and_builds(tmp_path):
    target = tmp_path / "academy"
    result = run("init", str(target))
    assert result.exit_code == 0 and "roundtable check" in result.output
    assert {p.name for p in target.iterdir()} >= {"mkdocs.yml", "programs.yml", "content", ".gitignore"}
    assert run("check", "-f", str(target / "mkdocs.yml")).output.startswith("OK: 1 program, 3 modules")
    assert build(target, target / "site").exit_code == 0
    catalog = json.loads((target / "site" / "catalog.json").read_text())
    kinds = {a["kind"] for m in catalog["programs"][0]["modules"] for a in m["activities"]}
    assert kinds == {"read", "roundtable", "plan", "presentation", "reflection", "quiz"}


def test_init_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    result = run("init", str(tmp_path))
    assert result.exit_code == 1 and "is not empty" in result.output
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_build_without_the_plugin_says_how_to_add_it(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n")
    result = run("build", "-f", str(tmp_path / "mkdocs.yml"))
    assert result.exit_code == 1 and "list `- roundtable` under `plugins:`" in result.output


def test_preview_takes_a_dev_address():
    assert "--dev-addr" in run("preview", "--help").output


@pytest.mark.skipif(not (REPO / "programs.yml").exists(), reason="the sample content is not written yet")
def test_sample_content_checks_and_builds_cleanly(tmp_path):
    check = run("check", "-f", str(REPO / "mkdocs.yml"))
    assert check.exit_code == 0, check.output
    assert check.output.endswith("no errors, 0 warnings.\n")
    result = build(REPO, tmp_path / "site", "--strict")
    assert result.exit_code == 0, result.output
    catalog = json.loads((tmp_path / "site" / "catalog.json").read_text())
    assert len(catalog["programs"]) >= 3
    assert all(len(p["modules"]) >= 4 for p in catalog["programs"])
    kinds = {a["kind"] for p in catalog["programs"] for m in p["modules"] for a in m["activities"]}
    assert kinds == {"read", "roundtable", "plan", "presentation", "reflection", "quiz"}
    assert external_requests(tmp_path / "site") == []


def test_long_build_shows_a_progress_bar(project, tmp_path):
    root = project()
    slugs = [f"step-{n:03d}" for n in range(100)]
    for slug in slugs:
        (root / "content" / "sales" / f"{slug}.md").write_text(f"# Step {slug}\n\nPractise one question.\n")
    programs = root / "programs.yml"
    programs.write_text(programs.read_text().replace("pitch-day]", "pitch-day, " + ", ".join(slugs) + "]"))
    result = build(root, tmp_path / "site")
    assert result.exit_code == 0, result.output
    assert "Building pages" in result.stderr
    assert "103 modules" in result.stdout and "Building pages" not in result.stdout


def test_init_makes_a_git_repository_with_a_first_commit(tmp_path):
    target = tmp_path / "academy"
    result = run("init", str(target))
    assert "It is a git repository with a first commit." in result.output
    log = subprocess.run(["git", "log", "--format=%s"], cwd=target, capture_output=True, text=True)
    assert log.stdout == "Start a Roundtable program repository\n"
    tracked = subprocess.run(["git", "ls-files"], cwd=target, capture_output=True, text=True).stdout.split()
    assert "README.md" in tracked and "programs.yml" in tracked


def test_init_without_git_still_creates_the_repository(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "no-bin"))
    result = run("init", str(tmp_path / "academy"))
    assert result.exit_code == 0
    assert "git is not installed" in result.output
    assert (tmp_path / "academy" / "programs.yml").is_file()
