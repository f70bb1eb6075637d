"""The lock file keeps activity ids stable: check refuses an edit that would re-point or orphan a published activity."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sitebuild import build, run

MODULE = Path("content") / "sales" / "pitch-day.md"
ACTIVITIES = (
    "activities:\n"
    "  - roundtable: Which pitch convinced you?\n"
    "  - roundtable: What would you cut?\n"
)


@pytest.fixture
def published(project, tmp_path) -> Path:
    """A copy of the minimal program with two unnamed roundtables, built once, so its lock is recorded."""
    root = project()
    page = root / MODULE
    page.write_text(page.read_text().replace("activities:\n", ACTIVITIES, 1))
    assert build(root, tmp_path / "site").exit_code == 0
    return root


def edit(root: Path, old: str, new: str) -> None:
    """Replace text in the pitch-day module."""
    page = root / MODULE
    assert old in page.read_text()
    page.write_text(page.read_text().replace(old, new, 1))


def check(root: Path):
    """Run `roundtable check` on a project."""
    return run("check", "-f", str(root / "mkdocs.yml"))


def ids(root: Path, tmp_path: Path) -> dict[str, str]:
    """Build and return activity id -> prompt of the pitch-day module."""
    result = build(root, tmp_path / "site")
    assert result.exit_code == 0, result.output
    catalog = json.loads((tmp_path / "site" / "catalog.json").read_text())
    module = next(m for m in catalog["programs"][0]["modules"] if m["id"] == "sales/pitch-day")
    return {a["id"]: a["prompt"] for a in module["activities"] if a["kind"] == "roundtable"}


def test_build_records_every_activity_in_the_lock(published):
    lock = json.loads((published / "roundtable.lock").read_text())
    assert lock["lock_version"] == 1
    entry = lock["activities"]["sales/pitch-day/roundtable-2"]
    assert entry["kind"] == "roundtable" and entry["explicit"] is False and entry["prompt"].startswith("sha256:")
    assert "sales/pitch-day/read" in lock["activities"]


def test_inserting_an_activity_above_an_unnamed_one_is_refused(published):
    edit(published, "activities:\n", "activities:\n  - roundtable: A new first question?\n")
    result = check(published)
    assert result.exit_code == 1
    assert result.output.splitlines()[1:] == [
        "content/sales/pitch-day.md:5: activity id 'sales/pitch-day/roundtable' was published for another roundtable "
        "prompt: learners' records would move to this one (fix: give the activity at line 6 `id: roundtable` "
        "(the mapping form: `- roundtable:` then `prompt:` and `id:` lines) and this one its own `id:`)",
        "content/sales/pitch-day.md:6: activity id 'sales/pitch-day/roundtable-2' was published for another roundtable "
        "prompt: learners' records would move to this one (fix: give the activity at line 7 `id: roundtable-2` "
        "(the mapping form: `- roundtable:` then `prompt:` and `id:` lines) and this one its own `id:`)",
    ]
    assert build(published, published / "site").exit_code == 1  # the build refuses too


def test_reordering_unnamed_activities_is_refused(published):
    edit(published, ACTIVITIES, "activities:\n  - roundtable: What would you cut?\n  - roundtable: Which pitch convinced you?\n")
    lines = check(published).output.splitlines()
    assert "content/sales/pitch-day.md:5: activity id 'sales/pitch-day/roundtable' was published for another " \
           "roundtable prompt: learners' records would move to this one (fix: give the activity at line 6 " \
           "`id: roundtable` (the mapping form: `- roundtable:` then `prompt:` and `id:` lines) and this one its own `id:`)" in lines


def test_rewording_an_unnamed_activity_is_refused_and_removing_one_orphans_it(published):
    edit(published, "  - roundtable: What would you cut?\n", "")
    edit(published, "Which pitch convinced you?", "Whose pitch convinced you most?")
    assert check(published).output.splitlines()[1:] == [
        "content/sales/pitch-day.md:5: activity 'sales/pitch-day/roundtable-2' (roundtable) was published but is gone: "
        "learners' records would be orphaned (fix: if you moved or renamed it, give it `id: roundtable-2` in the "
        "mapping form; to retire it on purpose, run `roundtable build --accept-changes`)",
        "content/sales/pitch-day.md:5: activity id 'sales/pitch-day/roundtable' was published for another roundtable "
        "prompt: learners' records would move to this one (fix: if you only reworded it, give it `id: roundtable` "
        "(the mapping form: `- roundtable:` then `prompt:` and `id:` lines); if it is a new activity, give it its own `id:`)",
    ]


def test_explicit_ids_keep_activities_stable_through_insert_reorder_and_reword(published, tmp_path):
    before = ids(published, tmp_path)
    edit(published, ACTIVITIES, (
        "activities:\n"
        "  - roundtable:\n      prompt: A new first question?\n      id: opener\n"
        "  - roundtable:\n      prompt: What would you cut from your pitch?\n      id: roundtable-2\n"
        "  - roundtable:\n      prompt: Which pitch convinced you?\n      id: roundtable\n"
    ))
    result = check(published)
    assert result.exit_code == 0, result.output
    after = ids(published, tmp_path)
    assert before == {"sales/pitch-day/roundtable": "Which pitch convinced you?",
                      "sales/pitch-day/roundtable-2": "What would you cut?"}
    assert after == {"sales/pitch-day/opener": "A new first question?",
                     "sales/pitch-day/roundtable-2": "What would you cut from your pitch?",
                     "sales/pitch-day/roundtable": "Which pitch convinced you?"}


def test_accept_changes_retires_a_removed_activity(published, tmp_path):
    edit(published, "  - roundtable: What would you cut?\n", "")
    assert build(published, tmp_path / "site").exit_code == 1
    assert build(published, tmp_path / "site", "--accept-changes").exit_code == 0
    assert check(published).exit_code == 0
    lock = json.loads((published / "roundtable.lock").read_text())
    assert lock["activities"]["sales/pitch-day/roundtable-2"]["retired"] is True
    # Reusing the retired id for another prompt would re-point its old records, so it is refused.
    edit(published, "activities:\n", "activities:\n  - roundtable:\n      prompt: Something else?\n      id: roundtable-2\n")
    edit(published, "  - roundtable: Which pitch convinced you?\n", "")
    assert "'sales/pitch-day/roundtable' (roundtable) was published but is gone" in check(published).output
