"""What follows each action: the one table of domain events and their subscribers.

An action publishes its events with ``BUS.publish(db, event)`` inside its
write transaction; the subscribers below run in that transaction, in the
order listed. To see everything a comment post causes, read its line here.
"""

from __future__ import annotations

from comments_server.domain.events import Bus

BUS = Bus()

# ---------------------------------------------------------------- comments, questions (threads)

# ---------------------------------------------------------------- plans, presentations, reviews, progress

# ---------------------------------------------------------------- forums, blogs, wiki, notifications, auth
