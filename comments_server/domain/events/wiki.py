"""Events of the program wikis."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class WikiPageSaved:
    """A new revision of a page was written; ``verb`` is created, edited or reverted."""

    author: dict
    program_id: str
    slug: str
    revision: int
    body_md: str
    verb: str


@dataclass(frozen=True)
class WikiPageProtected:
    """A page was protected (only coaches and admins edit it) or opened again."""

    actor: dict
    program_id: str
    slug: str
    protected: bool
