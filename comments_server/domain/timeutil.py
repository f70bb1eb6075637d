"""Timestamps: ISO 8601 in UTC with a Z, the one format stored and sent."""

from __future__ import annotations

from datetime import timedelta, timezone

from comments_server.domain import clock


def now():
    """Return the current time in UTC, by the clock in use (domain/clock.py)."""
    return clock.now()


def today():
    """Return today's date in UTC, by the clock in use."""
    return clock.now().date()


def iso(moment):
    """Format a datetime as ISO 8601 UTC with a Z."""
    # milliseconds: what JavaScript's Date parses everywhere
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def now_iso():
    """Return the current time as ISO 8601 UTC with a Z."""
    return iso(now())


def later_iso(**delta):
    """Return now plus a timedelta, as ISO 8601 UTC."""
    return iso(now() + timedelta(**delta))
