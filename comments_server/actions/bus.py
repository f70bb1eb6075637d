"""The bus every action publishes its domain events on; ``followups.py`` subscribes what follows each event.

Kept apart from the subscription table so that an action module can publish
without importing the subscribers (which may themselves call actions): the
table imports actions, actions import only this bus. The table is loaded the
first time anything is published, so no caller has to remember to wire it.

Two phases (issue 14). ``subscribe`` handlers run inside the action's write
transaction. ``subscribe_after_commit`` handlers (fan-out, visibility checks
per recipient, completion) run after it committed, outside the write lock,
in the same request: publishing writes a marker row (``store/followups.py``)
in the action's transaction, and the marker is removed once they all ran, in
the one write transaction that holds what they wrote (``write_later``).
Nothing is lost when the process dies between commit and fan-out, or a
follow-up fails: the outbox worker runs the markers left behind
(:meth:`WiredBus.finish_pending`). Every after-commit follow-up is therefore
idempotent (notifications carry a dedupe key; completion is recomputed from
the records).
"""

from __future__ import annotations

import dataclasses
import importlib
import json
import logging

from comments_server.domain.events import Bus
from comments_server.store import followups as markers
from comments_server.store.db import after_commit, gather_writes, in_transaction, rollback_if_open, write_step

log = logging.getLogger("roundtable.followups")

LEFT_BEHIND_SECONDS = 60  # a marker this old was not finished by its request: the worker runs it
MAX_ATTEMPTS = 5  # a follow-up that fails this often is left (logged) for someone to look at


class WiredBus(Bus):
    """A Bus that loads ``actions.followups`` (the subscriptions) before its first event, and runs after-commit ones."""

    wired = False

    def publish(self, db, event) -> None:
        """Publish ``event``; its after-commit follow-ups run once the caller's write has committed."""
        if not self.wired:
            # by name, not an import statement: the table imports the actions that import this bus
            importlib.import_module("comments_server.actions.followups")
        super().publish(db, event)
        if not self.after_commit_subscribers(type(event)):
            return
        if not in_transaction(db):  # nothing to wait for
            self.finish(db, event)
            return
        marker_id = markers.add(db, event=_name(type(event)), payload=_payload(event))
        after_commit(db, lambda: self.finish(db, event, marker_id))

    def finish(self, db, event, marker_id=None) -> bool:
        """Run an event's after-commit follow-ups, then drop its marker; False (marker kept) when one failed."""
        try:
            # the handlers read outside the lock; what they write (write_later) waits for ONE write
            # transaction that also drops the marker: a post takes two write transactions, not one per step
            with gather_writes(db) as writes:
                for handler in self.after_commit_subscribers(type(event)):
                    handler(db, event)
            if writes or marker_id is not None:
                with write_step(db):
                    for write in writes:
                        write(db)
                    if marker_id is not None:
                        markers.done(db, marker_id=marker_id)
        except Exception:  # the action has committed: answer it; the worker runs the marker again
            rollback_if_open(db)
            log.exception("After-commit follow-up of %s failed; the outbox worker will run it again",
                          type(event).__name__)
            return False
        return True

    def finish_pending(self, db, *, older_than_seconds=LEFT_BEHIND_SECONDS) -> int:
        """Run the follow-ups whose request never finished them (crash, failure); return how many ran."""
        if not self.wired:
            importlib.import_module("comments_server.actions.followups")
        types = {_name(t): t for t in self._after_commit}
        ran = 0
        for row in markers.left_behind(db, older_than_seconds=older_than_seconds, max_attempts=MAX_ATTEMPTS):
            with write_step(db):
                markers.attempted(db, marker_id=row["id"])
            event_type = types.get(row["event"])
            if event_type is None:
                log.error("Pending follow-up %s names an event nobody follows: %s", row["id"], row["event"])
                continue
            ran += self.finish(db, event_type(**json.loads(row["payload"])), row["id"])
        return ran


def _payload(event):
    """Return an event as JSON (its fields are plain rows and values; no deep copy needed)."""
    return json.dumps({field.name: getattr(event, field.name) for field in dataclasses.fields(event)})


def _name(event_type):
    """Return the stored name of an event type: module and class."""
    return f"{event_type.__module__}.{event_type.__qualname__}"


BUS = WiredBus()
