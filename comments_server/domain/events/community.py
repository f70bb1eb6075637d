"""What happens in forums, blogs and ask-the-author (besides comments: domain/events/comments.py)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TopicCreated:
    """A topic was started on a board (``board_id``: a program id or "everyone")."""

    topic_id: int
    board_id: str
    author: dict
    title: str
    body_md: str
