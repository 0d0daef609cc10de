"""整改台账: a problem found in one year's evaluation, followed up in the next.

Each finding of a 定稿 (or carried) evaluation becomes an item with the responsible unit, the
measures, a deadline by type (the types and their periods are data, not code) and a status:
已下达 → 整改中 → 申请延期 (approved or returned, with a reason) → 已整改 (with evidence) → 销号.

This module holds the shared shape only; the transitions live beside it (same module, added by
the rectification work) and the storage, services and pages build on these names.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta
from typing import Literal

from pydantic import Field, model_validator

from workbench.domain.base import SafeId, StrictModel, repeated
from workbench.domain.limits import shown
from workbench.errors import Conflict, InvalidInput, Problem

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
    evidence: list[str] = Field(default=[])


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
    indicators: list[str] = Field(default=[], max_length=50)  # the finding's indicator codes
    kind: str = ""  # deadline type key from the data file (e.g. 立行立改 / 短期 / 长期)
    responsible_unit: str = ""
    measures: str = ""
    issued: date
    deadline: date
    status: Status = "已下达"
    progress: str = ""  # what the project unit reports it has done
    evidence: list[str] = Field(default=[])
    extension_until: date | None = None  # asked for (申请延期) or granted
    history: list[ItemEvent] = Field(default=[])

    def overdue(self, today: date) -> bool:
        """Still open past its deadline (an approved extension moves the deadline)."""
        return self.status in OPEN and today > self.deadline


# --- deadline types (data: indicators/rectification.yaml) ----------------------------------

MAX_PROGRESS = 5_000  # characters of a progress report or a reason
MAX_EVIDENCE = 20  # evidence references on one report


class DeadlineKind(StrictModel):
    """One deadline type: its Chinese name (the item's ``kind``), period and what it is for."""

    name: str = Field(min_length=1, max_length=20)
    days: int | None = Field(default=None, ge=1, le=3660)
    months: int | None = Field(default=None, ge=1, le=120)
    description: str = ""

    @model_validator(mode="after")
    def _one_period(self) -> DeadlineKind:
        if (self.days is None) == (self.months is None):
            raise ValueError(f"整改类型“{self.name}”应写明期限：days（天数）或 months（月数），二者取一")
        return self

    @property
    def period(self) -> str:
        """The period as the 台账 prints it: 60 日 / 1 年 / 18 个月."""
        if self.days is not None:
            return f"{self.days} 日"
        months = self.months or 0
        return f"{months // 12} 年" if months % 12 == 0 else f"{months} 个月"

    def deadline(self, issued: date) -> date:
        """The last day to finish an item of this type issued on ``issued``."""
        if self.days is not None:
            return issued + timedelta(days=self.days)
        total = issued.month - 1 + (self.months or 0)
        year, month = issued.year + total // 12, total % 12 + 1
        last = calendar.monthrange(year, month)[1]
        return date(year, month, min(issued.day, last))


class RectificationRules(StrictModel):
    """The deadline types and the one a carried finding starts with."""

    kinds: list[DeadlineKind] = Field(min_length=1, max_length=20)
    default_kind: str
    source: str = ""

    @model_validator(mode="after")
    def _known_default(self) -> RectificationRules:
        names = [k.name for k in self.kinds]
        twice = repeated(names)
        if twice is not None:
            raise ValueError(f"整改类型“{twice}”重复")
        if self.default_kind not in names:
            raise ValueError(f"默认整改类型“{self.default_kind}”不在整改类型（{'、'.join(names)}）中")
        return self

    def kind(self, name: str) -> DeadlineKind:
        found = next((k for k in self.kinds if k.name == name), None)
        if found is None:
            known = "、".join(k.name for k in self.kinds)
            raise InvalidInput(
                [Problem(f"未知的整改类型“{shown(name, 20)}”，应为：{known}", field="整改类型")]
            )
        return found


# --- transitions (pure: who and when are passed in) ----------------------------------------

START = "开始整改"
ASK = "申请延期"
APPROVE = "批准延期"
RETURN = "退回延期"
DONE = "报送整改结果"
SEND_BACK = "退回整改"
CLOSE = "销号"
EDIT = "修改整改要求"


def _text(value: str, field: str, *, required: bool = True) -> str:
    text = (value or "").strip()
    if required and not text:
        raise InvalidInput([Problem(f"请填写{field}", field=field)])
    if len(text) > MAX_PROGRESS:
        raise InvalidInput([Problem(f"{field}过长（最多 {MAX_PROGRESS:,} 个字）", field=field)])
    return text


def _expect(item: RectificationItem, allowed: tuple[str, ...], action: str) -> None:
    if item.status not in allowed:
        need = "或".join(f"“{s}”" for s in allowed)
        raise Conflict(
            f"整改事项“{shown(item.title, 40)}”当前为“{item.status}”，不能{action}"
            f"（{action}须在状态为{need}时进行）；请刷新页面查看最新状态"
        )


def _moved(item: RectificationItem, event: ItemEvent, **changes: object) -> RectificationItem:
    return item.model_copy(update={**changes, "history": [*item.history, event]})


def start(item: RectificationItem, by: str, at: datetime) -> RectificationItem:
    """已下达 → 整改中: the project unit has begun."""
    _expect(item, ("已下达",), START)
    return _moved(
        item, ItemEvent(at=at, by=by, action=START, before=item.status, after="整改中"), status="整改中"
    )


def request_extension(
    item: RectificationItem, until: date, reason: str, by: str, at: datetime
) -> RectificationItem:
    """整改中 (or 已下达) → 申请延期, asking for a new deadline ``until`` with a reason."""
    _expect(item, ("已下达", "整改中"), ASK)
    why = _text(reason, "延期理由")
    if until <= item.deadline:
        raise InvalidInput(
            [
                Problem(
                    f"延期后的期限 {until.isoformat()} 应晚于现在的期限 {item.deadline.isoformat()}",
                    field="延期至",
                )
            ]
        )
    event = ItemEvent(at=at, by=by, action=ASK, before=item.status, after="申请延期", reason=why)
    return _moved(item, event, status="申请延期", extension_until=until)


def decide_extension(
    item: RectificationItem, approve: bool, reason: str, by: str, at: datetime
) -> RectificationItem:
    """申请延期 → 整改中: approved (the deadline moves to ``extension_until``) or returned (with a
    reason; the deadline stays)."""
    _expect(item, ("申请延期",), APPROVE if approve else RETURN)
    if approve:
        until = item.extension_until or item.deadline
        event = ItemEvent(
            at=at,
            by=by,
            action=APPROVE,
            before="申请延期",
            after="整改中",
            reason=_text(reason, "审批意见", required=False),
        )
        return _moved(item, event, status="整改中", deadline=until)
    event = ItemEvent(
        at=at, by=by, action=RETURN, before="申请延期", after="整改中", reason=_text(reason, "退回理由")
    )
    return _moved(item, event, status="整改中", extension_until=None)


def report_done(
    item: RectificationItem, progress: str, evidence: list[str], by: str, at: datetime
) -> RectificationItem:
    """已下达 / 整改中 → 已整改, with what was done and at least one evidence reference."""
    _expect(item, ("已下达", "整改中"), DONE)
    text = _text(progress, "整改情况")
    refs = list(dict.fromkeys(e.strip() for e in evidence if e and e.strip()))
    if not refs:
        raise InvalidInput([Problem("请至少选择或上传一份佐证材料", field="佐证材料")])
    if len(refs) > MAX_EVIDENCE:
        raise InvalidInput([Problem(f"佐证材料最多 {MAX_EVIDENCE} 份", field="佐证材料")])
    event = ItemEvent(at=at, by=by, action=DONE, before=item.status, after="已整改", evidence=refs)
    return _moved(item, event, status="已整改", progress=text, evidence=refs)


def send_back(item: RectificationItem, reason: str, by: str, at: datetime) -> RectificationItem:
    """已整改 → 整改中: the evaluator finds the result or its evidence not enough (with a reason)."""
    _expect(item, ("已整改",), SEND_BACK)
    event = ItemEvent(
        at=at, by=by, action=SEND_BACK, before="已整改", after="整改中", reason=_text(reason, "退回理由")
    )
    return _moved(item, event, status="整改中")


def close(item: RectificationItem, by: str, at: datetime, reason: str = "") -> RectificationItem:
    """已整改 → 销号 (by the evaluator or the finance bureau)."""
    _expect(item, ("已整改",), CLOSE)
    event = ItemEvent(
        at=at,
        by=by,
        action=CLOSE,
        before="已整改",
        after="销号",
        reason=_text(reason, "销号意见", required=False),
    )
    return _moved(item, event, status="销号")


def edit(
    item: RectificationItem,
    rules: RectificationRules,
    by: str,
    at: datetime,
    *,
    kind: str | None = None,
    responsible_unit: str | None = None,
    measures: str | None = None,
) -> RectificationItem:
    """Change the type, responsible unit or measures of an open item; a new type recomputes the
    deadline from the issue date."""
    _expect(item, tuple(sorted(OPEN, key=STATUSES.index)), EDIT)
    changes: dict[str, object] = {}
    if kind is not None and kind != item.kind:
        changes["kind"] = kind
        changes["deadline"] = rules.kind(kind).deadline(item.issued)
    if responsible_unit is not None:
        changes["responsible_unit"] = _text(responsible_unit, "责任单位")
    if measures is not None:
        changes["measures"] = _text(measures, "整改措施", required=False)
    said = "；".join(f"{k}：{v}" for k, v in changes.items())
    event = ItemEvent(
        at=at, by=by, action=EDIT, before=item.status, after=item.status, reason=shown(said, 300)
    )
    return _moved(item, event, **changes)
