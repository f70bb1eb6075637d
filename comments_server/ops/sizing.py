"""How many workers and threads `roundtable serve` runs by default (issue 14).

Apart from ops/serve.py, which loads granian and the app, so that the CLI's
help can say the default without loading them.
"""

from __future__ import annotations

import os

# Threads per worker. CPU per request rises with threads (they take turns on the GIL, and SQLite
# hands it over for every statement): in one bench/peer.py run 2 workers x 1 thread posted 2.52x
# Isso's rate with a p99 of 84 ms at 64 connections, 2 x 2 2.10x and 112 ms; reads and counts the
# same. A worker then answers one request at a time, as gunicorn's default sync worker does: a
# slow upload holds its worker, so what serves the network is a buffering proxy in front
# (deploy/nginx/, `proxy_request_buffering on`); `serve` itself listens on 127.0.0.1 unless told.
# Give `--threads 2` or more when serving the network directly (docs/architecture.md, "Serving").
THREADS = 1


def available_cpus():
    """Return the CPUs this process may run on (its affinity, which containers narrow), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def shape(workers=None, threads=None, *, cpus=None):
    """Return (workers, threads) for `roundtable serve`: one worker per CPU and THREADS each, unless given."""
    return workers or (cpus or available_cpus()), threads or THREADS
