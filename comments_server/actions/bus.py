"""The bus every action publishes its domain events on; ``followups.py`` subscribes what follows each event.

Kept apart from the subscription table so that an action module can publish
without importing the subscribers (which may themselves call actions): the
table imports actions, actions import only this bus. The table is loaded the
first time anything is published, so no caller has to remember to wire it.
"""

from __future__ import annotations

import importlib

from comments_server.domain.events import Bus


class WiredBus(Bus):
    """A Bus that loads ``actions.followups`` (the subscriptions) before its first event."""

    wired = False

    def publish(self, db, event) -> None:
        """Publish ``event``, loading the follow-ups table first if nothing has yet."""
        if not self.wired:
            # by name, not an import statement: the table imports the actions that import this bus
            importlib.import_module("comments_server.actions.followups")
        super().publish(db, event)


BUS = WiredBus()
