"""Events of people and their memberships (the roster, `roundtable user`)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ReviewerLeft:
    """A learner or coach left a reviewing role in a cohort: their open peer reviews go to others."""

    user_id: int
    cohort_id: str
