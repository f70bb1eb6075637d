"""Who may see the mail outbox: admins only (a person's own notifications are always theirs alone)."""

from __future__ import annotations

from comments_server.access.rules import rule

OUTBOX = "outbox"  # the thing the rule is asked about: the whole outbox


@rule("outbox.read", not_found="Not found.")
def read_outbox(db, viewer, thing):
    """Admins read the outbox, with every address and error in it; others are told why not."""
    if viewer is None:
        return None
    return True if viewer["admin"] else "Only admins can read the outbox."
