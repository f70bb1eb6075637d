"""Events of signing in and out."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SignedIn:
    """Someone redeemed a sign-in link; ``user`` is their row."""

    user: dict


@dataclass(frozen=True)
class SignedOut:
    """Someone signed out."""

    user: dict
