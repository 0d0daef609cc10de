"""One exception hierarchy for the whole workbench.

Every error a user can cause is a ``WorkbenchError``; the UI and the CLI turn it into Chinese
messages in one place each.  ``Problem`` is one readable line: which file, which place (row,
indicator code), which field, and what was expected.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One problem found in user input, rendered as one Chinese line."""

    message: str
    file: str | None = None
    place: str | None = None
    field: str | None = None
    severity: str = "error"  # "error" | "warning" | "info"
    code: str | None = None  # the indicator code the problem is about, when there is one

    def __str__(self) -> str:
        parts = []
        if self.file:
            parts.append(f"文件 {self.file}")
        if self.place:
            parts.append(self.place)
        if self.field:
            parts.append(f"字段「{self.field}」")
        where = "，".join(parts)
        return f"{where}：{self.message}" if where else self.message

    def with_file(self, file: str) -> Problem:
        return Problem(self.message, file, self.place, self.field, self.severity, self.code)

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


class WorkbenchError(Exception):
    """Base of every error the workbench raises on purpose."""

    def __init__(self, message: str | Iterable[Problem]):
        if isinstance(message, str):
            self.problems: list[Problem] = [Problem(message)]
        else:
            self.problems = list(message)
        super().__init__("\n".join(str(p) for p in self.problems))

    @property
    def messages(self) -> list[str]:
        return [str(p) for p in self.problems]


class InvalidInput(WorkbenchError):
    """The user's input (a file, a form, a command argument) is not acceptable."""


class NotFound(WorkbenchError):
    """A project, evaluation, indicator or file the user asked for does not exist."""


class Forbidden(WorkbenchError):
    """The current user's role does not allow this action."""


class Conflict(WorkbenchError):
    """Someone else changed the same thing first, or the object's state forbids the change."""
