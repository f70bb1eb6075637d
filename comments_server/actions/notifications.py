"""What a person does with their notifications: mark them read, choose how to hear, unsubscribe by mail link."""

from __future__ import annotations

from comments_server.notify.core import KINDS
from comments_server.notify.emails import ALL_KINDS
from comments_server.store import notifications as store
from comments_server.store.db import write_transaction


def mark_read(db, *, viewer, ids=None):
    """Mark some (``ids``) or all of the viewer's notifications read; return how many changed.

    Ids of other people's notifications change nothing: the UPDATE is limited to the viewer's own.
    """
    with write_transaction(db):
        return store.mark_read(db, user_id=viewer["id"], ids=ids)


def choose(db, *, viewer, choices):
    """Store the viewer's delivery per kind (``{"reply": "digest"}``); kinds not named keep theirs."""
    with write_transaction(db):
        store.set_preferences(db, user_id=viewer["id"], choices=choices)


def unsubscribe(db, *, user_id, kind):
    """Stop one kind of mail (or every kind: ``ALL_KINDS``) for the person a signed link names."""
    kinds = list(KINDS) if kind == ALL_KINDS else [kind]
    with write_transaction(db):
        store.set_preferences(db, user_id=user_id, choices={k: "never" for k in kinds})
