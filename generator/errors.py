"""Problems found in an author's content, and the error that reports them all at once."""

from __future__ import annotations

from dataclasses import dataclass

import click


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in a file, at a line, with a hint on how to fix it."""

    path: str  # relative to the project folder (where mkdocs.yml lives)
    line: int
    message: str
    fix: str = ""
    warning: bool = False

    def __str__(self) -> str:
        """Render the problem as `path:line: message (fix: ...)`."""
        label = "warning: " if self.warning else ""
        hint = f" (fix: {self.fix})" if self.fix else ""
        return f"{self.path}:{self.line}: {label}{self.message}{hint}"


def errors_only(problems) -> list[Problem]:
    """Keep the problems that must stop a build."""
    return [p for p in problems if not p.warning]


class ContentError(click.ClickException):
    """The content has errors: every one of them is listed, one per line."""

    def __init__(self, problems):
        """Keep the problems sorted by file and line; the message counts the errors."""
        self.problems = sorted(problems)
        count = len(errors_only(self.problems))
        super().__init__(f"{count} error(s) in the content; nothing was built")

    def format_message(self) -> str:
        """List every problem, then the count."""
        lines = [str(p) for p in self.problems]
        return "\n".join([self.message, *lines])
