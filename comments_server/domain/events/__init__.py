"""Domain events: what happened, raised by an action inside its transaction and handed to subscribers.

An action (``comments_server.actions``) does its own writes, then publishes
events such as ``CommentPosted``; the subscribers that follow each event
(notifications, completion, the xAPI log, search, dashboard freshness) are
listed in one table, ``comments_server.actions.followups``. Subscribers run
in the same transaction, so a post and everything that follows it commit or
roll back together. Event classes live in this package, one module per area,
so that every room may import them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable


class Bus:
    """Subscribers per event type, called in the order they were subscribed."""

    def __init__(self):
        self._subscribers: dict[type, list[Callable]] = defaultdict(list)

    def subscribe(self, event_type: type, *handlers: Callable) -> None:
        """Call each handler as ``handler(db, event)`` whenever an ``event_type`` is published."""
        self._subscribers[event_type].extend(handlers)

    def subscribers(self, event_type: type) -> list[Callable]:
        """Return the handlers of an event type, in order (for tests and docs)."""
        return list(self._subscribers[event_type])

    def publish(self, db, event) -> None:
        """Hand ``event`` to every subscriber of its type; call inside the action's write transaction."""
        for handler in self._subscribers[type(event)]:
            handler(db, event)
