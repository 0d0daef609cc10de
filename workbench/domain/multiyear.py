"""A project across years: indicator targets per period, and the prior year a report looks back on.

A period is one year of one project: for each performance indicator its unit, baseline (基期值),
annual target (年度目标值), actual (实际完成值) and, when the actual strays from the target by
more than the threshold kept in data (indicators/multiyear.yaml), a written explanation
(偏差说明).  A period is locked once an evaluation of that project and year is 定稿.

``PriorYear`` is what the next year's report accounts for: last year's evaluation and the 整改
items carried from its findings (上年度评价发现问题整改情况).
"""

from __future__ import annotations

from decimal import Decimal

from pydantic import Field, model_validator

from workbench.domain.base import HUNDRED, SafeId, StrictModel, fmt2, repeated
from workbench.domain.limits import MAX_FIGURE
from workbench.domain.rectification import RectificationItem
from workbench.errors import Problem

PLACE = "分年度绩效指标"
MAX_TARGETS = 200


class PeriodTarget(StrictModel):
    """One indicator of one year: 基期值, 年度目标值, 实际完成值 (numbers in ``unit``)."""

    name: str = Field(min_length=1, max_length=200)
    unit: str = Field(default="", max_length=20)
    baseline: Decimal | None = Field(default=None, gt=-MAX_FIGURE, lt=MAX_FIGURE)
    target: Decimal | None = Field(default=None, gt=-MAX_FIGURE, lt=MAX_FIGURE)
    actual: Decimal | None = Field(default=None, gt=-MAX_FIGURE, lt=MAX_FIGURE)
    explanation: str = Field(default="", max_length=2000)

    def deviation_percent(self) -> Decimal | None:
        """|actual − target| / |target| × 100, or None when either is missing or the target is 0."""
        if self.actual is None or self.target is None or self.target == 0:
            return None
        return abs(self.actual - self.target) / abs(self.target) * HUNDRED


class Period(StrictModel):
    """The indicator targets of one project in one year."""

    project: SafeId
    year: int = Field(ge=1990, le=2100)
    targets: list[PeriodTarget] = Field(default=[], max_length=MAX_TARGETS)

    @model_validator(mode="after")
    def _names_unique(self) -> Period:
        seen: set[str] = set()
        for t in self.targets:
            if t.name in seen:
                raise ValueError(f"绩效指标“{t.name}”重复，每个指标只能填一行")
            seen.add(t.name)
        return self

    def unexplained(self, threshold: Decimal) -> list[Problem]:
        """A target whose actual deviates by more than ``threshold`` % with no explanation."""
        out = []
        for i, t in enumerate(self.targets, start=1):
            dev = t.deviation_percent()
            if dev is not None and dev > threshold and not t.explanation.strip():
                out.append(
                    Problem(
                        f"“{t.name}”实际完成值与年度目标值偏差 {fmt2(dev)}%，超过 {fmt2(threshold)}%，"
                        "须填写偏差说明",
                        place=f"{PLACE}·{self.year}年 第 {i} 行",
                        field="偏差说明",
                    )
                )
        return out

    def next_year(self, year: int) -> Period:
        """The next period: this year's actuals become its baselines (targets left to set)."""
        carried = [
            PeriodTarget(name=t.name, unit=t.unit, baseline=t.actual if t.actual is not None else t.baseline)
            for t in self.targets
        ]
        return Period(project=self.project, year=year, targets=carried)


class ProjectPeriods(StrictModel):
    """Every year's indicator targets of one project, as a case folder carries them
    (``periods.yaml``): one entry per year."""

    periods: list[Period] = Field(default=[], max_length=100)

    @model_validator(mode="after")
    def _years_unique(self) -> ProjectPeriods:
        twice = repeated(p.year for p in self.periods)
        if twice is not None:
            raise ValueError(f"{twice}年的绩效指标重复，每个年度只能有一组")
        return self


class PriorYear(StrictModel):
    """Last year's evaluation, as the next year's report names it, with the 整改 items carried
    from its findings into this evaluation."""

    evaluation: SafeId
    year: int = Field(ge=1990, le=2100)
    title: str = ""
    items: list[RectificationItem] = Field(default=[], max_length=500)


class MultiyearRules(StrictModel):
    """Parameters kept in data (indicators/multiyear.yaml)."""

    deviation_percent: Decimal = Field(default=Decimal(10), ge=0, le=1000)
