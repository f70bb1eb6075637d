"""Rate-limit counters in the database, so every server process counts against the same limit.

A storage for the ``limits`` library (which Flask-Limiter uses), registered as
``roundtable+sqlite://<database path>``: fixed-window counters, one row per key,
reset when their window has passed. With several web workers the old
``memory://`` default gave each worker its own count, so two workers doubled
every limit. Redis (``redis://...``) is the choice for several machines.
"""

from __future__ import annotations

import contextlib
import threading

from limits.storage import Storage

from comments_server.domain import clock
from comments_server.store.db import connect, driver_errors, write_transaction

SCHEME = "roundtable+sqlite"


def uri_for(database: str) -> str:
    """Return the storage URI for a database file."""
    return f"{SCHEME}://{database}"


class DatabaseCounters(Storage):
    """Fixed-window counters in the ``rate_counters`` table of the app's database."""

    STORAGE_SCHEME = [SCHEME]

    def __init__(self, uri: str, wrap_exceptions: bool = False, **options):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self.path = uri.split("://", 1)[1]
        self.local = threading.local()  # a connection per thread, apart from the request's own

    @property
    def base_exceptions(self):
        """What the database raises when it fails."""
        return driver_errors()

    @contextlib.contextmanager
    def _connection(self):
        """This thread's connection; one opened while the database could not be written is closed after use."""
        db = getattr(self.local, "db", None) or connect(self.path, existing=True)
        self.local.db = None if getattr(db, "opened_read_only", False) else db  # see store/db._connect_sqlite
        try:
            yield db
        finally:
            if self.local.db is None:
                db.close()

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        """Add ``amount`` to a key's count in its window (a new window when the last one ended); return it."""
        now = clock.now().timestamp()
        with self._connection() as db, write_transaction(db):
            count, expires = db.execute(
                """INSERT INTO rate_counters (key, count, expires) VALUES (?, ?, ?)
                   ON CONFLICT (key) DO UPDATE SET
                       count = CASE WHEN rate_counters.expires <= ? THEN excluded.count
                                    ELSE rate_counters.count + excluded.count END,
                       expires = CASE WHEN rate_counters.expires <= ? THEN excluded.expires
                                      ELSE rate_counters.expires END
                   RETURNING count, expires""", [key, amount, now + expiry, now, now]).fetchone()
        # a hit's window figures (the X-RateLimit-* headers) are read right after it, twice: answer them from here
        self.local.just_counted = [key, count, expires, 2]
        return count

    def _row(self, key):
        counted = getattr(self.local, "just_counted", None)
        if counted is not None:
            self.local.just_counted = None
            if counted[0] == key and counted[3] > 0:
                counted[3] -= 1
                self.local.just_counted = counted if counted[3] else None
                return (counted[1], counted[2]) if counted[2] > clock.now().timestamp() else None
        with self._connection() as db:
            row = db.execute("SELECT count, expires FROM rate_counters WHERE key = ?", [key]).fetchone()
        return row if row and row[1] > clock.now().timestamp() else None

    def get(self, key: str) -> int:
        """Return a key's count in its current window (0 when none)."""
        row = self._row(key)
        return row[0] if row else 0

    def get_expiry(self, key: str) -> float:
        """Return when a key's window ends (now when it has none)."""
        row = self._row(key)
        return row[1] if row else clock.now().timestamp()

    def check(self) -> bool:
        """Whether the database answers."""
        try:
            with self._connection() as db:
                db.execute("SELECT 1 FROM rate_counters LIMIT 1")
            return True
        except driver_errors():
            return False

    def reset(self) -> int | None:
        """Forget every counter."""
        self.local.just_counted = None
        with self._connection() as db, write_transaction(db):
            return db.execute("DELETE FROM rate_counters").rowcount

    def clear(self, key: str) -> None:
        """Forget one counter."""
        self.local.just_counted = None
        with self._connection() as db, write_transaction(db):
            db.execute("DELETE FROM rate_counters WHERE key = ?", [key])
