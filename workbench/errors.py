"""One exception hierarchy for the whole workbench.

Every error a user can cause is a ``WorkbenchError``; the UI and the CLI turn it into Chinese
messages in one place each.  ``Problem`` is one readable line: which file, which place (row,
indicator code), which field, and what was expected.
"""

from __future__ import annotations

import errno
import secrets
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import logging


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


class Unavailable(WorkbenchError):
    """The machine cannot do it now: the disk is full, the database is read-only."""


DISK_FULL = "磁盘空间已满：本次操作未完成，已保存的内容不受影响。请管理员清理服务器磁盘后重试。"
READ_ONLY = (
    "数据库当前为只读（文件或目录没有写权限，或数据库处于只读状态）：本次修改未保存，"
    "已保存的内容不受影响。请管理员检查数据库后重试。"
)
UNEXPECTED = (
    "操作未完成：程序遇到意外错误（错误编号 {error_id}，已记入服务器日志）。已保存的内容不受影响，"
    "请刷新页面后重试；如反复出现，请把错误编号告知管理员。"
)


def _causes(exc: BaseException) -> Iterator[BaseException]:
    """``exc``, what it wraps (a database driver's ``orig``) and what caused it, each once."""
    seen: set[int] = set()
    todo = [exc]
    while todo:
        found = todo.pop()
        if found is None or id(found) in seen:
            continue
        seen.add(id(found))
        yield found
        todo += [getattr(found, "orig", None), found.__cause__, found.__context__]  # type: ignore[list-item]


def explain(exc: BaseException) -> WorkbenchError | None:
    """A failure of the machine, not of the program, as a Chinese error: disk full (ENOSPC), a
    read-only database (SQLite "attempt to write a readonly database", PostgreSQL SQLSTATE 25006,
    a read-only file system).  None for anything else."""
    for cause in _causes(exc):
        if isinstance(cause, WorkbenchError):
            return cause
        if isinstance(cause, OSError) and cause.errno == errno.ENOSPC:
            return Unavailable(DISK_FULL)
        if isinstance(cause, OSError) and cause.errno == errno.EROFS:
            return Unavailable(READ_ONLY)
        text = str(cause).lower()
        if "database or disk is full" in text or "no space left on device" in text:
            return Unavailable(DISK_FULL)
        if (
            getattr(cause, "sqlstate", None) == "25006"
            or "readonly database" in text
            or ("read-only transaction" in text)
        ):
            return Unavailable(READ_ONLY)
    return None


def unexpected(exc: BaseException, log: logging.Logger) -> str:
    """The message for a true bug: a fresh error id, written with the traceback to ``log``."""
    error_id = secrets.token_hex(4)
    log.error("unexpected error %s", error_id, exc_info=exc)
    return UNEXPECTED.format(error_id=error_id)
