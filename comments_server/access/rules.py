"""The access vocabulary: ``can(db, viewer, action, thing)`` and ``require(...)``, one rule per action.

A rule is a function ``rule(db, viewer, thing)`` registered under an action
name such as ``"comment.edit"``. It answers:

- ``True``: allowed;
- ``None``: the viewer may not even know the thing exists (answered as 404);
- a string: the thing is in sight but the action is not allowed; the string
  says why and becomes the 403 message.

Every exit asks the same rules: API views through ``require``, exports,
notifications, digests, search and dashboard figures through ``can``.
"""

from __future__ import annotations

from collections.abc import Callable


class Refused(Exception):
    """An action the viewer may not take; ``status`` is the HTTP answer it becomes."""

    status = 403

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NotFound(Refused):
    """The thing is out of the viewer's sight (or does not exist): the same answer for both."""

    status = 404


class Forbidden(Refused):
    """The thing is in sight, the action is not allowed."""

    status = 403


_RULES: dict[str, Callable] = {}
_NOT_FOUND: dict[str, str] = {}


def rule(action: str, *, not_found: str):
    """Register the rule deciding ``action``; ``not_found`` is the 404 message (e.g. "No such comment.")."""

    def register(fn):
        if action in _RULES:
            raise ValueError(f"Two rules for {action!r}: {fn.__module__} and {_RULES[action].__module__}")
        _RULES[action] = fn
        _NOT_FOUND[action] = not_found
        return fn

    return register


def decide(db, viewer, action: str, thing):
    """Return the rule's answer for ``action`` on ``thing`` (True, None or a refusal reason)."""
    if thing is None:
        return None
    return _RULES[action](db, viewer, thing)


def can(db, viewer, action: str, thing) -> bool:
    """Whether ``viewer`` may take ``action`` on ``thing``."""
    return decide(db, viewer, action, thing) is True


def require(db, viewer, action: str, thing):
    """Return ``thing`` when ``viewer`` may take ``action`` on it; raise NotFound or Forbidden otherwise."""
    answer = decide(db, viewer, action, thing)
    if answer is True:
        return thing
    if answer is None or answer is False:
        raise NotFound(_NOT_FOUND[action])
    raise Forbidden(answer)


def actions() -> list[str]:
    """Every registered action name (for tests that walk the whole vocabulary)."""
    return sorted(_RULES)
