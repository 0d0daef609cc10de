"""整改台账: a problem found in one year's evaluation, followed up in the next.

Each finding of a 定稿 (or carried) evaluation becomes an item with the responsible unit, the
measures, a deadline by type (the types and their periods are data, not code) and a status:
已下达 → 整改中 → 申请延期 (approved or returned, with a reason) → 已整改 (with evidence) → 销号.

This module holds the shared shape only; the transitions live beside it (same module, added by
the rectification work) and the storage, services and pages build on these names.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import Field

from workbench.domain.base import SafeId, StrictModel

Status = Literal["已下达", "整改中", "申请延期", "已整改", "销号"]
STATUSES: tuple[Status, ...] = ("已下达", "整改中", "申请延期", "已整改", "销号")
OPEN: frozenset[str] = frozenset({"已下达", "整改中", "申请延期"})


class ItemEvent(StrictModel):
    """One move of an item, as the 台账 shows it (who, when, from → to, why, evidence)."""

    at: datetime
    by: str
    action: str  # e.g. 开始整改 / 申请延期 / 批准延期 / 退回延期 / 报送整改结果 / 销号
    before: str = ""
    after: str = ""
    reason: str = ""
    evidence: list[str] = Field(default_factory=list)


class RectificationItem(StrictModel):
    """One 整改 item.  ``source_evaluation`` found the problem (its ``finding``); ``evaluation`` is
    the next year's evaluation whose report accounts for it (上年度评价发现问题整改情况)."""

    id: SafeId
    project: SafeId
    source_evaluation: SafeId
    source_year: int = Field(ge=1990, le=2100)
    evaluation: SafeId | None = None
    finding: str = ""
    title: str = Field(min_length=1, max_length=500)
    text: str = ""
    kind: str = ""  # deadline type key from the data file (e.g. 立行立改 / 短期 / 长期)
    responsible_unit: str = ""
    measures: str = ""
    issued: date
    deadline: date
    status: Status = "已下达"
    progress: str = ""  # what the project unit reports it has done
    evidence: list[str] = Field(default_factory=list)
    extension_until: date | None = None  # asked for (申请延期) or granted
    history: list[ItemEvent] = Field(default_factory=list)

    def overdue(self, today: date) -> bool:
        """Still open past its deadline (an approved extension moves the deadline)."""
        return self.status in OPEN and today > self.deadline
