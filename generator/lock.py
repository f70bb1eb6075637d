"""The lock file: every activity id already published, so that `check` refuses an edit that would move learners' records."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from generator.errors import Problem

LOCK_VERSION = 1


def fingerprint(prompt: str) -> str:
    """Return a short hash of a prompt, blind to changes in white space."""
    return "sha256:" + hashlib.sha256(" ".join(prompt.split()).encode("utf-8")).hexdigest()[:16]


def lock_dict(catalog, previous: dict | None = None) -> dict:
    """Return the lock for a catalog; ids of the previous lock that are gone stay, marked retired."""
    entries = {a.id: {"kind": a.kind, "prompt": fingerprint(a.prompt), "explicit": a.explicit}
               for m in catalog.modules() for a in m.activities}
    for activity_id, entry in (previous or {}).get("activities", {}).items():
        # A retired id stays so that reusing it for another prompt is caught like any re-pointing.
        entries.setdefault(activity_id, {**entry, "retired": True})
    return {"lock_version": LOCK_VERSION, "activities": dict(sorted(entries.items()))}


def read_lock(path: Path | None) -> dict | None:
    """Return the lock file's content, or None when there is none yet."""
    if path is None or not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def write_lock(path: Path, catalog) -> None:
    """Write the lock for a catalog, keeping the ids the previous lock retired (sorted, so diffs stay small)."""
    text = json.dumps(lock_dict(catalog, read_lock(path)), indent=2, sort_keys=True)
    path.write_text(text + "\n", encoding="utf-8")


def changed_activities(project, lock: dict) -> list[Problem]:
    """Report activities whose id would now mean another prompt or kind, and published ids that are gone."""
    entries = lock.get("activities", {})
    current = {a.id: (m, a) for m in project.catalog.modules() for a in m.activities}
    found = []
    for activity_id, (module, activity) in current.items():
        entry = entries.get(activity_id)
        if entry and _repointed(entry, activity):
            found.append(_repointed_problem(project, module, activity, entry))
    gone = [i for i, e in entries.items() if i not in current and not e.get("retired")]
    modules = {m.id: m for m in project.catalog.modules()}
    for activity_id in gone:
        found.append(_gone_problem(project, modules.get(activity_id.rsplit("/", 1)[0]), activity_id, entries[activity_id]))
    return found


def _repointed(entry: dict, activity) -> bool:
    """Tell whether a published id now names another kind, or (without an explicit id) another prompt."""
    if entry["kind"] != activity.kind:
        return True
    return not activity.explicit and entry["prompt"] != fingerprint(activity.prompt)


def _repointed_problem(project, module, activity, entry: dict) -> Problem:
    """Say which activity took over a published id and where the prompt it had went."""
    path = project.rel(project.docs_dir / module.src_path)
    moved = next((a for a in module.activities if a is not activity and a.kind == entry["kind"]
                  and fingerprint(a.prompt) == entry["prompt"]), None)
    message = (f"activity id '{activity.id}' was published for another {entry['kind']} prompt: "
               "learners' records would move to this one")
    if moved is not None:
        fix = (f"give the activity at line {moved.line} `id: {activity.key}` (the mapping form: `- {moved.kind}:` "
               f"then `prompt:` and `id:` lines) and this one its own `id:`")
    else:
        fix = (f"if you only reworded it, give it `id: {activity.key}` (the mapping form: `- {activity.kind}:` "
               "then `prompt:` and `id:` lines); if it is a new activity, give it its own `id:`")
    return Problem(path, activity.line, message, fix)


def _gone_problem(project, module, activity_id: str, entry: dict) -> Problem:
    """Say that a published activity is gone, at its module if it is still there, else at programs.yml."""
    key = activity_id.rsplit("/", 1)[1]
    retire = "to retire it on purpose, run `roundtable build --accept-changes`"
    if module is None:
        return Problem(project.rel(project.programs_file), 1,
                       f"activity '{activity_id}' was published but its module is gone: learners' records would be orphaned",
                       f"list the module again (or restore its `id:`); {retire}")
    path = project.rel(project.docs_dir / module.src_path)
    line = project.front_lines.get(module.src_path, {}).get("activities", 1)
    return Problem(path, line, f"activity '{activity_id}' ({entry['kind']}) was published but is gone: "
                               "learners' records would be orphaned",
                   f"if you moved or renamed it, give it `id: {key}` in the mapping form; {retire}")
