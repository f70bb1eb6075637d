"""Domain events: what happened, raised by an action inside its transaction and handed to subscribers.

An action (``comments_server.actions``) does its own writes, then publishes
events such as ``CommentPosted``; the subscribers that follow each event
(notifications, completion, the xAPI log, search, dashboard freshness) are
listed in one table, ``comments_server.actions.followups``. Subscribers run
in the same transaction, so a post and what must be atomic with it commit or
roll back together; after-commit subscribers (fan-out, derived figures) run
once it committed, from a durable marker written in that transaction. Event classes live in this package, one module per area,
so that every room may import them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable


class Bus:
    """Subscribers per event type, called in the order they were subscribed.

    Two phases: ``subscribe`` handlers run inside the action's write
    transaction (what must be atomic with it); ``subscribe_after_commit``
    handlers run once it has committed, outside the write lock (fan-out,
    derived figures). Running the second phase is the publisher's business
    (``actions/bus.py``): this class only keeps the table.
    """

    def __init__(self):
        self._subscribers: dict[type, list[Callable]] = defaultdict(list)
        self._after_commit: dict[type, list[Callable]] = defaultdict(list)

    def subscribe(self, event_type: type, *handlers: Callable) -> None:
        """Call each handler as ``handler(db, event)`` whenever an ``event_type`` is published."""
        self._subscribers[event_type].extend(handlers)

    def subscribe_after_commit(self, event_type: type, *handlers: Callable) -> None:
        """Call each handler as ``handler(db, event)`` after the write that published ``event_type`` committed."""
        self._after_commit[event_type].extend(handlers)

    def subscribers(self, event_type: type) -> list[Callable]:
        """Return the handlers of an event type, in order (for tests and docs)."""
        return list(self._subscribers[event_type])

    def after_commit_subscribers(self, event_type: type) -> list[Callable]:
        """Return the after-commit handlers of an event type, in order."""
        return list(self._after_commit.get(event_type, ()))

    def publish(self, db, event) -> None:
        """Hand ``event`` to every subscriber of its type; call inside the action's write transaction."""
        for handler in self._subscribers[type(event)]:
            handler(db, event)
