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

# ---------------------------------------------------------------- forums, blogs, wiki, notifications, auth
