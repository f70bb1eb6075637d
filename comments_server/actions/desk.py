"""Setting queue items aside: dismiss (until the item changes), snooze (until a date), or put back.

The key is checked against the viewer's own queue, so nobody marks an item
that is not waiting for them (404), and the state stored with a dismissal is
the server's reading of the item, never the client's.
"""

from __future__ import annotations

import datetime as dt

from comments_server.access.rules import NotFound
from comments_server.actions.activities import Invalid
from comments_server.dashboard import queue
from comments_server.domain.timeutil import now_iso
from comments_server.store import queue_marks
from comments_server.store.db import write_transaction

SNOOZE_MAX_DAYS = 90
NOT_IN_QUEUE = "No such item in your queue: it may have been dealt with already. Reload the dashboard."


def _item(db, viewer, scope, key, today):
    """The viewer's queue item under ``key``, or NotFound."""
    item = queue.find(db, viewer=viewer, scope=scope, today=today, key=key)
    if item is None:
        raise NotFound(NOT_IN_QUEUE)
    return item


def dismiss(db, *, viewer, scope, key, today):
    """Hide an item from the viewer's queue until it changes; return the item."""
    item = _item(db, viewer, scope, key, today)
    with write_transaction(db):
        queue_marks.set_mark(db, user_id=viewer["id"], item_key=key, action="dismiss", state=item["state"],
                             until=None, at=now_iso())
    return queue.public(item)


def snooze(db, *, viewer, scope, key, until, today):
    """Hide an item from the viewer's queue until the date ``until`` (it is back on that day); return the item."""
    if not today < until <= today + dt.timedelta(days=SNOOZE_MAX_DAYS):
        raise Invalid(f"'until' must be a date after today ({today.isoformat()}) and at most {SNOOZE_MAX_DAYS} "
                      f"days ahead, like {(today + dt.timedelta(days=1)).isoformat()}.")
    item = _item(db, viewer, scope, key, today)
    with write_transaction(db):
        queue_marks.set_mark(db, user_id=viewer["id"], item_key=key, action="snooze", state=item["state"],
                             until=until.isoformat(), at=now_iso())
    return queue.public(item)


def restore(db, *, viewer, key):
    """Put a dismissed or snoozed item back in the viewer's queue (404 when it was not set aside)."""
    with write_transaction(db):
        if not queue_marks.clear_mark(db, user_id=viewer["id"], item_key=key):
            raise NotFound("That item is not set aside in your queue.")
