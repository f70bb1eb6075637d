"""Structured activities: plans, presentations, peer review, completion, progress."""
