"""The evaluator's decisions on ledger warnings, and the ledger as decided.

A ledger check never changes a figure; the evaluator does, by recording a decision on the
warning: 更正 (the line is corrected, e.g. 8.4元 -> 8.4 万元, the original kept as written) or
保留原值 (the figure stands, with the reason).  Reports print the decided figures; an
unresolved warning is listed by the report checks and blocks 定稿.  Pure.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import Field, model_validator

from workbench.domain.base import NonNegative, StrictModel
from workbench.domain.ledger import Ledger, LedgerCheck, SpendLine, Unit


class LedgerDecision(StrictModel):
    """What the evaluator decided about one ledger warning (matched by check code, year, subject)."""

    check: str = Field(min_length=1)  # LedgerCheck.code: unit_slip, over_arranged, unplanned, ...
    year: int | None = None
    subject: str = ""  # the spend line concerned (its category), where the check names one
    action: Literal["更正", "保留原值"]
    amount: NonNegative | None = None  # 更正: the corrected figure
    unit: Unit | None = None
    reason: str = ""
    decided_by: str = ""

    @model_validator(mode="after")
    def _complete(self) -> LedgerDecision:
        if self.action == "更正" and (self.amount is None or self.unit is None or not self.subject):
            raise ValueError("“更正”须写明更正的支出项目（subject）、金额（amount）和单位（unit）")
        if self.action == "保留原值" and not self.reason.strip():
            raise ValueError("“保留原值”须说明理由（reason）")
        return self

    def matches(self, check: LedgerCheck) -> bool:
        return (
            self.check == check.code
            and (self.year is None or self.year == check.year)
            and (not check.subject or self.subject == check.subject)
        )

    def describe(self) -> str:
        if self.action == "更正":
            return f"按笔误更正为 {_plain(self.amount)} {self.unit}" + (
                f"（{self.reason}）" if self.reason else ""
            )
        return f"保留原值：{self.reason}"


def _plain(value: Decimal | None) -> str:
    return format(value.normalize(), "f") if value is not None else ""


def resolved(check: LedgerCheck, decisions: list[LedgerDecision]) -> LedgerDecision | None:
    return next((d for d in decisions if d.matches(check)), None)


def unresolved(ledger: Ledger, decisions: list[LedgerDecision]) -> list[LedgerCheck]:
    """Ledger warnings no decision answers (errors are never resolved by a decision)."""
    return [c for c in ledger.checks() if c.severity == "warning" and resolved(c, decisions) is None]


def _corrected(line: SpendLine, decision: LedgerDecision) -> SpendLine:
    """The decided figure; the figure as written stays in ``written`` (for the log, not the report)."""
    written = f"{_plain(line.amount)}{line.unit}"
    return line.model_copy(update={"amount": decision.amount, "unit": decision.unit, "written": written})


def decided(ledger: Ledger, decisions: list[LedgerDecision]) -> Ledger:
    """The ledger with every 更正 applied to its spend line (as-written figure kept in ``written``)."""
    fixes = [d for d in decisions if d.action == "更正"]
    if not fixes:
        return ledger
    lines = []
    for line in ledger.spend_lines:
        fix = next((d for d in fixes if d.subject == line.category and d.year in (None, line.year)), None)
        lines.append(_corrected(line, fix) if fix else line)
    return ledger.model_copy(update={"spend_lines": lines})


def decision_log(ledger: Ledger, decisions: list[LedgerDecision]) -> list[str]:
    """One line per ledger check with what was decided (for the generation log and 核对清单)."""
    out = []
    for check in ledger.checks():
        d = resolved(check, decisions)
        state = f"已处理（{d.describe()}）" if d else "未处理"
        out.append(f"台账核对：{check.message} —— {state}")
    return out
