"""What happens to comments, in every kind of thread (roundtable, forum, blog, ask)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CommentPosted:
    """A comment or reply was added. ``answers``: a moderator's reply to an open question."""

    thread: dict
    object_id: str
    comment_id: int
    author: dict
    body_md: str
    parent: dict | None = None
    question: bool = False
    answers: bool = False


@dataclass(frozen=True)
class CommentEdited:
    """A comment's text was replaced by its author."""

    thread: dict
    object_id: str
    comment_id: int
    editor: dict
    body_md: str


@dataclass(frozen=True)
class CommentDeleted:
    """A comment was soft-deleted by ``actor``; ``author_id`` wrote it."""

    thread: dict
    object_id: str
    comment_id: int
    actor: dict
    author_id: int


@dataclass(frozen=True)
class CommentHidden:
    """A moderator hid a comment from learners (``hidden``) or showed it again."""

    thread: dict
    object_id: str
    comment_id: int
    actor: dict
    hidden: bool


@dataclass(frozen=True)
class CommentMarkedHelpful:
    """A learner marked a coach's reply as helpful (``helpful``) or took the mark back."""

    thread: dict
    object_id: str
    comment_id: int
    actor: dict
    helpful: bool
