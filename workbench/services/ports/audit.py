"""The audit log: a unit of work collects entries with ``add`` and writes them, chained, when it
commits, in the same transaction as the change they describe — a change without its audit
record (or the other way round) can never be committed.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from workbench.domain.audit import AuditRecord, ChainReport

SUCCESS, FAILURE = "成功", "失败"


@dataclass(frozen=True)
class AuditEntry:
    """What happened, before it is sealed into the chain (seq, time and hashes come at commit)."""

    username: str
    role: str
    event: str
    object: str
    before: Any = None
    after: Any = None
    result: str = SUCCESS
    detail: str = ""


@dataclass(frozen=True)
class AuditFilter:
    """Filters of the audit page; every one is optional.  Times are compared in UTC."""

    since: datetime | None = None
    until: datetime | None = None
    username: str = ""
    event: str = ""
    object: str = ""  # part of the object, e.g. an evaluation id or 指标 B21
    result: str = ""


class AuditLog(Protocol):
    def add(self, entry: AuditEntry) -> None:
        """Queue an entry; it is written, chained, when the unit of work commits."""

    def lock(self) -> None:
        """Serialise with every other writer of the chain until this transaction ends."""

    def query(self, where: AuditFilter, limit: int, offset: int) -> tuple[list[AuditRecord], int]:
        """Matching records newest first (``limit`` 0: all of them) and how many match in all."""

    def latest(self, event: str, objects: Collection[str] | None) -> dict[str, AuditRecord]:
        """The newest successful record of ``event`` on each of ``objects`` (exactly that object;
        None: every object that has one), in one query whatever the length of the log; objects
        without one are left out."""

    def newest_after(self, events: Collection[str], after: int) -> dict[str, AuditRecord]:
        """The newest successful record of any of ``events`` on each object that has one with a
        sequence number above ``after`` (one query over the records after ``after``)."""

    def events(self) -> list[str]: ...
    def at(self, seq: int) -> AuditRecord | None: ...
    def verify(self) -> ChainReport:
        """The whole chain checked with the server's key, against the anchor outside the database,
        and the append-only triggers."""

    def records(self) -> Iterator[AuditRecord]:
        """Every record in sequence order (streamed)."""
