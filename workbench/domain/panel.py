"""Expert panels (专家组评分): several experts score the same leaves independently.

The panel score of an indicator is the mean of the submitted scores, or — when the evaluation
chooses it and enough experts scored — the mean after dropping one highest and one lowest score.
How many experts that takes, and how far from the median a score may stray before it is flagged,
are data (``PanelRules``, from indicators/review-rules.yaml), not code.  Sums are exact Decimals;
the mean is rounded half-up to two places once, at the end.  Each ``PanelScore`` keeps the record
of how it was reached (method, experts counted, dropped values) for the score table.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from statistics import median
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from workbench.domain.base import HUNDRED, NonNegative, StrictModel, fmt2, q2
from workbench.domain.evaluation import IndicatorScore
from workbench.domain.rules import Deduction
from workbench.errors import Conflict, InvalidInput, Problem

PanelMethod = Literal["mean", "trimmed_mean"]
METHOD_LABELS = {"mean": "算术平均", "trimmed_mean": "去掉一个最高分和一个最低分后平均"}
MIN_FOR_OUTLIERS = 3  # with two experts there is no majority for one of them to stray from


class PanelRules(StrictModel):
    trim_min_experts: int = Field(ge=3)
    outlier_percent_of_weight: Decimal = Field(gt=0, le=100)
    source: str = ""


class ExpertSheet(StrictModel):
    """One expert's scores (leaf code -> 得分); others see them only after submitting their own."""

    expert: str = Field(min_length=1)
    scores: dict[str, NonNegative] = Field(default={})
    submitted: bool = False


class ExpertMark(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)  # built at first use: see base.StrictModel

    expert: str
    score: Decimal
    deviation: Decimal  # score − median
    outlier: bool = False
    dropped: str = ""  # "" | "最高分" | "最低分"


class PanelScore(BaseModel):
    """One indicator's panel score and the record of how it was reached."""

    model_config = ConfigDict(frozen=True, defer_build=True)  # built at first use: see base.StrictModel

    code: str
    weight: Decimal
    method: PanelMethod  # the method actually used
    marks: list[ExpertMark]
    counted: int
    exact_mean: Decimal
    score: Decimal
    median: Decimal
    spread: Decimal  # highest − lowest
    note: str = ""

    @property
    def outliers(self) -> list[ExpertMark]:
        return [m for m in self.marks if m.outlier]

    @property
    def dropped(self) -> list[ExpertMark]:
        return [m for m in self.marks if m.dropped]

    def describe(self) -> str:
        """One line for the score table: how this score was reached."""
        n = len(self.marks)
        if self.method == "trimmed_mean":
            high = next(m for m in self.marks if m.dropped == "最高分")
            low = next(m for m in self.marks if m.dropped == "最低分")
            text = (
                f"{n} 位专家评分，去掉最高分 {fmt2(high.score)}（{high.expert}）和最低分 {fmt2(low.score)}"
                f"（{low.expert}），取其余 {self.counted} 位的平均：{fmt2(self.score)}"
            )
        else:
            text = f"{n} 位专家评分的算术平均：{fmt2(self.score)}"
        return f"{text}（{self.note}）" if self.note else text

    def as_indicator_score(self) -> IndicatorScore:
        """The panel score as a ``manual``-rule entry: 分值 less one deduction carrying the record."""
        lost = self.weight - self.score
        if lost <= 0:
            return IndicatorScore(rationale=f"专家组评分：{self.describe()}")
        reason = f"专家组评分 {fmt2(self.score)} 分：{self.describe()}"
        return IndicatorScore(deductions=[Deduction(reason=reason, points=lost, source="专家组评分")])


class Panel(StrictModel):
    method: PanelMethod = "mean"
    sheets: list[ExpertSheet] = Field(default=[])

    def sheet(self, expert: str) -> ExpertSheet | None:
        return next((s for s in self.sheets if s.expert == expert), None)

    def problems(self, weights: Mapping[str, Decimal]) -> list[Problem]:
        out = []
        seen: set[str] = set()
        for sheet in self.sheets:
            if sheet.expert in seen:
                out.append(Problem(f"专家“{sheet.expert}”出现了两份评分表"))
            seen.add(sheet.expert)
            for code, score in sheet.scores.items():
                place = f"专家“{sheet.expert}”，指标 {code}"
                if code not in weights:
                    out.append(Problem("指标不在本次评价的末级指标中", place=place))
                elif score > weights[code]:
                    msg = f"评分 {fmt2(score)} 高于该指标分值 {fmt2(weights[code])}"
                    out.append(Problem(msg, place=place, field="得分"))
        return out

    def result(self, weights: Mapping[str, Decimal], rules: PanelRules) -> dict[str, PanelScore]:
        """Panel score per leaf code from the submitted sheets (codes nobody scored are absent)."""
        problems = self.problems(weights)
        if problems:
            raise InvalidInput(problems)
        submitted = [s for s in self.sheets if s.submitted]
        if not submitted:
            raise Conflict("还没有专家提交评分，无法计算专家组得分")
        out = {}
        for code, weight in weights.items():
            given = [(s.expert, s.scores[code]) for s in submitted if code in s.scores]
            if given:
                out[code] = panel_score(code, weight, given, self.method, rules)
        return out


def panel_score(
    code: str, weight: Decimal, given: list[tuple[str, Decimal]], method: PanelMethod, rules: PanelRules
) -> PanelScore:
    """The panel score of one indicator from (expert, score) pairs in sheet order."""
    values = [score for _, score in given]
    middle = Decimal(median(values))
    dropped: dict[int, str] = {}
    used, note = method, ""
    if method == "trimmed_mean" and len(given) < rules.trim_min_experts:
        used = "mean"
        note = f"评分专家不足 {rules.trim_min_experts} 人，未去掉最高分和最低分"
    if used == "trimmed_mean":
        dropped[values.index(max(values))] = "最高分"
        low = min(i for i, v in enumerate(values) if v == min(values) and i not in dropped)
        dropped[low] = "最低分"
    counted = [v for i, v in enumerate(values) if i not in dropped]
    exact = sum(counted, Decimal(0)) / len(counted)
    return PanelScore(
        code=code,
        weight=weight,
        method=used,
        marks=_marks(given, middle, weight * rules.outlier_percent_of_weight / HUNDRED, dropped),
        counted=len(counted),
        exact_mean=exact,
        score=q2(exact),
        median=middle,
        spread=max(values) - min(values),
        note=note,
    )


def _marks(
    given: list[tuple[str, Decimal]], middle: Decimal, limit: Decimal, dropped: dict[int, str]
) -> list[ExpertMark]:
    """Each expert's score with its distance from the median; outliers only among three or more."""
    flag = len(given) >= MIN_FOR_OUTLIERS
    return [
        ExpertMark(
            expert=expert,
            score=score,
            deviation=score - middle,
            outlier=flag and abs(score - middle) > limit,
            dropped=dropped.get(i, ""),
        )
        for i, (expert, score) in enumerate(given)
    ]
