"""What follows each action: the one table of domain events and their subscribers.

An action publishes its events with ``BUS.publish(db, event)`` inside its
write transaction; the subscribers below run in that transaction, in the
order listed. To see everything a comment post causes, read its line here.
"""

from __future__ import annotations

from comments_server.domain.events import Bus

BUS = Bus()

# ---------------------------------------------------------------- comments, questions (threads)
# slice A: the comment engine (every thread kind) and the forums built on it.
from comments_server.actions import comment_followups as _comments  # noqa: E402
from comments_server.domain.events import comments as _comment_events  # noqa: E402
from comments_server.domain.events.community import TopicCreated  # noqa: E402
from comments_server.notify import events as _notify  # noqa: E402

BUS.subscribe(_comment_events.CommentPosted,
              _comments.log_posted, _notify.comment_added, _comments.recompute_completion)
BUS.subscribe(_comment_events.CommentEdited, _comments.log_edited)
BUS.subscribe(_comment_events.CommentDeleted, _comments.log_deleted, _comments.recompute_completion)
BUS.subscribe(_comment_events.CommentHidden, _comments.log_hidden)
BUS.subscribe(_comment_events.CommentMarkedHelpful, _comments.log_helpful)
BUS.subscribe(TopicCreated, _notify.topic_created)

# ---------------------------------------------------------------- plans, presentations, reviews, progress

# ---------------------------------------------------------------- forums, blogs, wiki, notifications, auth

from comments_server.actions import subscribers as c  # noqa: E402  (slice C's handlers; keeps sections apart)
from comments_server.domain.events.auth import SignedIn, SignedOut  # noqa: E402
from comments_server.domain.events.people import ReviewerLeft  # noqa: E402
from comments_server.domain.events.wiki import WikiPageProtected, WikiPageSaved  # noqa: E402

BUS.subscribe(SignedIn, c.log_signed_in)
BUS.subscribe(SignedOut, c.log_signed_out)
BUS.subscribe(ReviewerLeft, c.reallocate_reviews)
BUS.subscribe(WikiPageSaved, c.log_wiki_saved)
BUS.subscribe(WikiPageProtected, c.log_wiki_protected)
