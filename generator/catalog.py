"""The content model as site/catalog.json, the file the server reads (docs/architecture.md, Seam 1)."""

from __future__ import annotations

import json
from pathlib import Path

from generator.model import Activity, Catalog, Cohort, Module, Program

SCHEMA_VERSION = 1


def catalog_dict(catalog: Catalog) -> dict:
    """Return the catalog as plain JSON-ready data."""
    programs = [_program(p, order) for order, p in enumerate(catalog.programs, 1)]
    return {"schema_version": SCHEMA_VERSION, "programs": programs}


def write_catalog(catalog: Catalog, site_dir: str | Path) -> Path:
    """Write catalog.json into the site folder with sorted keys, and return its path."""
    path = Path(site_dir) / "catalog.json"
    text = json.dumps(catalog_dict(catalog), indent=2, sort_keys=True, ensure_ascii=False)
    path.write_text(text + "\n", encoding="utf-8")
    return path


def _program(program: Program, order: int) -> dict:
    """Return one program with its cohorts and modules."""
    return {
        "id": program.id,
        "title": program.title,
        "audience": program.audience,
        "description": program.description,
        "visibility": program.visibility,
        "url": program.url,
        "order": order,
        "cohorts": [_cohort(c, program.modules) for c in program.cohorts],
        "modules": [_module(m) for m in program.modules],
    }


def _cohort(cohort: Cohort, modules) -> dict:
    """Return one cohort, with each module's due date for its pace."""
    return {
        "id": cohort.id,
        "title": cohort.title,
        "starts": cohort.starts.isoformat(),
        "pace": cohort.pace,
        "late_joiners": cohort.late_joiners,
        "due_dates": {m.id: cohort.due_date(m).isoformat() for m in modules},
    }


def _module(module: Module) -> dict:
    """Return one module with its activities and completion rule."""
    completion = module.completion if module.completion == "all" else list(module.completion)
    return {
        "id": module.id,
        "slug": module.slug,
        "title": module.title,
        "order": module.order,
        "url": module.url,
        "src_path": module.src_path,
        "due_days": module.due_days,
        "summary": module.summary,
        "authors": list(module.authors),
        "content_hash": module.content_hash,
        "completion": completion,
        "activities": [_activity(a, order) for order, a in enumerate(module.activities)],
    }


def _activity(activity: Activity, order: int) -> dict:
    """Return one activity; read is order 0, the authored ones follow from 1."""
    return {
        "id": activity.id,
        "key": activity.key,
        "kind": activity.kind,
        "order": order,
        "prompt": activity.prompt,
        "options": dict(activity.options),
    }
