"""The API form of notifications and delivery preferences."""

from __future__ import annotations

from comments_server.notify.core import KINDS

NOTIFICATION_FIELDS = ("id", "kind", "subject", "text", "url", "created")


def item(row):
    """Return the API form of one notification."""
    return {**{k: row[k] for k in NOTIFICATION_FIELDS}, "actor": row["actor_name"], "read": row["read_at"] is not None}


def preferences(chosen):
    """Return every kind with its label, the person's delivery (``chosen``, else the default) and the default."""
    return [{"kind": kind, "label": label, "default": default, "delivery": chosen.get(kind, default)}
            for kind, (label, default) in KINDS.items()]
