"""What follows each action: the one table of domain events and their subscribers.

An action publishes its events with ``BUS.publish(db, event)`` inside its
write transaction; the subscribers below run in that transaction, in the
order listed. To see everything a comment post causes, read its line here.
"""

from __future__ import annotations

from comments_server.actions.bus import BUS

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

from comments_server.actions import progress as _progress  # noqa: E402
from comments_server.domain.events import activities as _activities  # noqa: E402
from comments_server.notify import events as _notify  # noqa: E402

BUS.subscribe(_activities.PlanSaved, _progress.log_plan_saved, _progress.recompute_owner)
BUS.subscribe(_activities.PlanStepTaken, _notify.plan_step, _progress.log_plan_step, _progress.recompute_owner)
BUS.subscribe(_activities.PlanFeedbackGiven, _notify.feedback_given, _progress.log_plan_feedback,
              _progress.recompute_owner)
BUS.subscribe(_activities.PresentationSubmitted, _progress.log_presentation)
BUS.subscribe(_activities.ReviewersAllocated, _notify.reviews_allocated, _progress.recompute_allocated)
BUS.subscribe(_activities.ReviewAdded, _notify.review_added, _progress.log_review, _progress.recompute_review)
BUS.subscribe(_activities.ReviewRated, _progress.log_rating)
BUS.subscribe(_activities.ModuleRead, _progress.log_read, _progress.recompute_actor)
BUS.subscribe(_activities.ReflectionSaved, _progress.log_reflection, _progress.recompute_actor)
BUS.subscribe(_activities.QuizAttempted, _progress.log_quiz_attempt, _progress.recompute_actor)

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

BUS.wired = True  # the table is loaded (actions/bus.py loads it before the first event otherwise)
