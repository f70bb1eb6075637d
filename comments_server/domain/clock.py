"""The clock the code asks for: real time in production, a set time in tests, the demo and the worker.

Nothing reads ``datetime.now()`` directly. The app factory installs one clock
per app (``ROUNDTABLE_CLOCK`` starts it at a given moment), every request,
worker round and seed step runs inside :func:`use`, and the code asks
:func:`now`. A test or the demo seed that needs another moment wraps the
work in ``with use(FixedClock(moment)):``.
"""

from __future__ import annotations

import contextlib
import contextvars
from datetime import datetime, timedelta, timezone


class SystemClock:
    """Real time, in UTC."""

    def now(self) -> datetime:
        """Return the current time in UTC."""
        return datetime.now(timezone.utc)


class OffsetClock:
    """Real time moved so that it started at ``start`` when the clock was made: time still passes."""

    def __init__(self, start: datetime, *, real=None):
        self.real = real or SystemClock()
        self.offset = start - self.real.now()

    def now(self) -> datetime:
        """Return the moved time."""
        return self.real.now() + self.offset


class FixedClock:
    """A clock that stands still until moved: for tests and for seeding history."""

    def __init__(self, moment: datetime):
        self.moment = moment

    def now(self) -> datetime:
        """Return the set moment."""
        return self.moment

    def advance(self, **delta) -> datetime:
        """Move the clock on by a timedelta's keywords; return the new moment."""
        self.moment += timedelta(**delta)
        return self.moment


def parse(text: str) -> datetime:
    """Read an ISO 8601 moment (``2027-01-25T09:00:00Z`` or a date); naive means UTC."""
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def from_setting(value) -> SystemClock | OffsetClock | FixedClock:
    """Return the clock a ``CLOCK`` setting names: empty for real time, an ISO moment to start there."""
    if not value:
        return SystemClock()
    if hasattr(value, "now"):
        return value
    return OffsetClock(parse(str(value)))


_current: contextvars.ContextVar = contextvars.ContextVar("roundtable_clock", default=SystemClock())


@contextlib.contextmanager
def use(clock):
    """Run a block with ``clock`` as the clock :func:`now` asks."""
    token = _current.set(clock)
    try:
        yield clock
    finally:
        _current.reset(token)


def install(clock):
    """Make ``clock`` the clock of this context until it ends (a request, a thread); return a reset token."""
    return _current.set(clock)


def reset(token):
    """Undo :func:`install`."""
    _current.reset(token)


def now() -> datetime:
    """Return the time by the clock in use."""
    return _current.get().now()
