"""Synthetic catalog.json content shared by the benchmarks (the shape of docs/architecture.md, Seam 1)."""

from __future__ import annotations


def bench_module(program, i, *, plan_every):
    """Module i of a bench program: read + roundtable, and a plan on every ``plan_every``-th module."""
    mid = f"{program}/m{i:02d}"
    acts = [{"id": f"{mid}/read", "key": "read", "kind": "read", "order": 0, "prompt": "", "options": {}},
            {"id": f"{mid}/roundtable", "key": "roundtable", "kind": "roundtable", "order": 1,
             "prompt": "Discuss.", "options": {}}]
    if i % plan_every == 0:
        acts.append({"id": f"{mid}/plan", "key": "plan", "kind": "plan", "order": 2, "prompt": "Plan.",
                     "options": {"debrief": "How did it go?", "feedback_from": "manager", "rating_scale": 5}})
    return {"id": mid, "slug": f"m{i:02d}", "title": f"Module {i}", "order": i, "url": f"{mid}/",
            "src_path": f"{mid}.md", "due_days": 7 * i, "summary": "", "authors": [],
            "content_hash": f"sha256:m{i}", "completion": "all", "activities": acts}


def bench_catalog(program, title, modules, cohorts):
    """A one-program catalog."""
    return {"schema_version": 1, "programs": [{"id": program, "title": title, "audience": "", "description": "",
                                               "url": f"{program}/", "order": 1, "cohorts": cohorts,
                                               "modules": modules}]}
