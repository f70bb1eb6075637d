"""The server's shape, as JSON: modules over 300 lines and the 15 most complex functions (radon).

Usage: python bench/code_shape.py [PACKAGE_DIR]   (default comments_server; needs `pip install radon`)
Issue 13 reports these before and after the restructure; `duplicates` gives the third figure.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from radon.complexity import cc_visit


def shape(root: Path) -> dict:
    """Return the long modules and the most complex functions under ``root``."""
    long_modules, blocks = [], []
    for path in sorted(root.rglob("*.py")):
        text = path.read_text()
        lines = text.count("\n")
        if lines > 300:
            long_modules.append({"module": str(path), "lines": lines})
        for block in cc_visit(text):
            name = f"{block.classname}.{block.name}" if getattr(block, "classname", None) else block.name
            blocks.append({"function": f"{path}:{block.lineno} {name}", "complexity": block.complexity})
    blocks.sort(key=lambda b: -b["complexity"])
    return {"modules_over_300_lines": sorted(long_modules, key=lambda m: -m["lines"]),
            "most_complex": blocks[:15],
            "mean_complexity": round(sum(b["complexity"] for b in blocks) / max(len(blocks), 1), 2)}


if __name__ == "__main__":
    print(json.dumps(shape(Path(sys.argv[1] if len(sys.argv) > 1 else "comments_server")), indent=2))
