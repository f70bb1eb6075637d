"""What judging a hostile upload costs: a 0.5 MB .odp whose ``mimetype`` inflates to 512 MB, as JSON.

Usage: python bench/upload_check.py   (issue 11: before web/uploads.py the check took 2.1 GB and 7.6 s)
"""

from __future__ import annotations

import json
import os
import tempfile
import time
import tracemalloc
import zipfile

from comments_server.web.uploads import ODP_MIME, looks_like


def bomb(path, megabytes=512):
    """Write an .odp whose mimetype member inflates to ``megabytes`` MB."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        with z.open("mimetype", "w") as member:
            member.write(ODP_MIME)
            zeros = b"\x00" * (1 << 20)
            for _ in range(megabytes):
                member.write(zeros)


def main():
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "bomb.odp")
        bomb(path)
        tracemalloc.start()
        started = time.perf_counter()
        accepted = looks_like(path, "odp")
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        print(json.dumps({"file_bytes": os.path.getsize(path), "inflates_to_mb": 512, "accepted": accepted,
                          "check_ms": round(elapsed * 1000, 2), "peak_traced_kb": round(peak / 1024, 1)}))


if __name__ == "__main__":
    main()
