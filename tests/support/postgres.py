"""A throwaway PostgreSQL 15 cluster for the tests: initdb into a temporary folder, served on 127.0.0.1.

PostgreSQL refuses to run as root, so when the tests run as root the cluster
belongs to the ``postgres`` user Debian's package creates (``runuser``).
Each test gets a database of its own, copied from a migrated template
(``CREATE DATABASE ... TEMPLATE``), which is much faster than migrating.
"""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg

# Every server on one PostgreSQL must sign sessions with the same configured key (it refuses to start without).
POSTGRES_SECRET = {"SECRET_KEY": "a-test-key-shared-by-every-server-on-this-database"}
BIN = Path(os.environ.get("ROUNDTABLE_PG_BIN", "/usr/lib/postgresql/15/bin"))
INSTALL = "apt-get install -y postgresql (or make system-deps)"


def _as_owner(argv, owner):
    """Run a command as the cluster's owner (``runuser`` when we are root)."""
    if owner:
        argv = ["runuser", "-u", owner, "--", *argv]
    return subprocess.run(argv, check=True, capture_output=True, text=True)


class Cluster:
    """One PostgreSQL cluster: started by ``start()``, removed by ``stop()``."""

    def __init__(self, port):
        self.port = port
        self.owner = "postgres" if os.geteuid() == 0 else None
        self.root = Path(tempfile.mkdtemp(prefix="roundtable-pg-"))
        self.data = self.root / "data"
        self.names = itertools.count(1)

    def url(self, database="postgres"):
        return f"postgresql://roundtable@127.0.0.1:{self.port}/{database}"

    def start(self):
        if not (BIN / "initdb").exists():
            raise RuntimeError(f"PostgreSQL 15 is not installed ({BIN}/initdb is missing): {INSTALL}")
        if self.owner:
            shutil.chown(self.root, self.owner)
        _as_owner([str(BIN / "initdb"), "-D", str(self.data), "-U", "roundtable", "--auth=trust",
                   "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"], self.owner)
        options = (f"-c listen_addresses=127.0.0.1 -c port={self.port} -c unix_socket_directories={self.root} "
                   "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300 "
                   "-c shared_buffers=64MB")
        _as_owner([str(BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.root / "log"), "-o", options,
                   "-w", "start"], self.owner)
        return self

    def stop(self):
        try:
            _as_owner([str(BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"], self.owner)
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def admin(self, sql):
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(sql)

    def template(self, migrate):
        """Create the migrated template database once (``migrate(url)`` applies the schema)."""
        self.admin("CREATE DATABASE rt_template")
        migrate(self.url("rt_template"))
        return self

    def drop(self, url):
        """Drop a test's database, ending any connection left to it (a worker thread the test started)."""
        self.admin(f"DROP DATABASE IF EXISTS {url.rsplit('/', 1)[1]} WITH (FORCE)")

    def empty_database(self):
        """Return the URL of a new database with no schema at all."""
        name = f"rt_{os.getpid()}_{next(self.names)}_empty"
        self.admin(f"CREATE DATABASE {name}")
        return self.url(name)

    def new_database(self):
        """Return the URL of a fresh database copied from the template."""
        name = f"rt_{os.getpid()}_{next(self.names)}"
        for attempt in range(50):  # the template must have no connection while it is copied
            try:
                self.admin(f"CREATE DATABASE {name} TEMPLATE rt_template")
                return self.url(name)
            except psycopg.errors.ObjectInUse:
                time.sleep(0.1)
        raise RuntimeError("the template database stayed in use")
