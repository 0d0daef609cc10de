"""What a leader reads on one screen: a conclusion sentence, score and grade, the performance
targets achieved or not, the year's budget execution, the problems with their recommendations,
and a red/amber/green light for each.

The thresholds of the lights are data (``StatusRules``, from indicators/leader-status.yaml), not
code; every sentence is composed from the case's own figures and names.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from pydantic import Field, model_validator

from workbench.domain.base import HUNDRED, StrictModel, fmt2
from workbench.domain.evaluation import Evaluation
from workbench.domain.ledger import Ledger
from workbench.domain.project import Target
from workbench.domain.scoring import NodeScore, Scorecard

Light = Literal["green", "amber", "red"]
LIGHT_LABELS: dict[str, str] = {"green": "正常", "amber": "关注", "red": "预警"}
ZERO = Decimal(0)


class RateBand(StrictModel):
    """A rate in percent: ≥ ``green_min`` green, ≥ ``amber_min`` amber, else red."""

    green_min: Decimal = Field(ge=0, le=100)
    amber_min: Decimal = Field(ge=0, le=100)
    source: str = ""

    @model_validator(mode="after")
    def _ordered(self) -> RateBand:
        if self.amber_min > self.green_min:
            raise ValueError("黄灯下限（amber_min）不能高于绿灯下限（green_min）")
        return self

    def light(self, rate: Decimal) -> Light:
        percent = rate * HUNDRED
        return "green" if percent >= self.green_min else "amber" if percent >= self.amber_min else "red"


class RangeBand(StrictModel):
    """A rate in percent that should sit in a range: inside green, a little off amber, else red."""

    green_min: Decimal = Field(ge=0)
    green_max: Decimal = Field(ge=0)
    amber_min: Decimal = Field(ge=0)
    amber_max: Decimal = Field(ge=0)
    source: str = ""

    @model_validator(mode="after")
    def _nested(self) -> RangeBand:
        if not self.amber_min <= self.green_min <= self.green_max <= self.amber_max:
            raise ValueError("应满足 amber_min ≤ green_min ≤ green_max ≤ amber_max")
        return self

    def light(self, rate: Decimal) -> Light:
        percent = rate * HUNDRED
        if self.green_min <= percent <= self.green_max:
            return "green"
        return "amber" if self.amber_min <= percent <= self.amber_max else "red"


class TargetLights(StrictModel):
    missed: Light = "red"
    unset: Light = "amber"
    unverified: Light = "amber"
    source: str = ""


class FindingBand(StrictModel):
    red_min_points: Decimal = Field(gt=0)
    source: str = ""

    def light(self, lost: Decimal) -> Light:
        return "red" if lost >= self.red_min_points else "amber" if lost > 0 else "green"


class StatusRules(StrictModel):
    score: RateBand
    level_one: RateBand
    execution: RangeBand
    targets: TargetLights = Field(default_factory=TargetLights)
    findings: FindingBand


@dataclass(frozen=True)
class TargetState:
    name: str
    target: str
    actual: str
    state: str  # 达成 | 未达成 | 未设定目标值 | 待核实
    light: Light


@dataclass(frozen=True)
class Execution:
    year: int
    spent: Decimal
    budget: Decimal  # the year's arranged funds, else its plan amount
    basis: str  # 当年安排 | 分年计划
    planned: Decimal | None  # the multi-year plan's amount for the year
    rate: Decimal
    light: Light


@dataclass(frozen=True)
class FindingLine:
    title: str
    advice: str
    lost: Decimal
    light: Light


@dataclass(frozen=True)
class LevelLine:
    node: NodeScore
    light: Light


@dataclass(frozen=True)
class Dashboard:
    conclusion: str
    score_light: Light
    levels: list[LevelLine]
    targets: list[TargetState]
    targets_light: Light | None
    execution: Execution | None
    findings: list[FindingLine]

    @property
    def findings_light(self) -> Light:
        return worst_light([f.light for f in self.findings]) or "green"


UNSET = frozenset({"", "未设定", "无", "/", "—"})


def target_state(target: Target, lights: TargetLights) -> TargetState:
    """达成 when the measured actual reaches the target value; 未设定目标值 when none was set;
    待核实 when the target is words that cannot be compared to the actual by number."""
    if target.target.strip() in UNSET:
        state, light = "未设定目标值", lights.unset
    elif target.target_value is not None and target.actual_value is not None:
        met = target.actual_value >= target.target_value
        state, light = ("达成", "green") if met else ("未达成", lights.missed)
    else:
        state, light = "待核实", lights.unverified
    return TargetState(target.name, target.target, target.actual or "—", state, light)


def worst_light(lights: list[Light]) -> Light | None:
    """The worst of some lights (None when there are none)."""
    return next((light for light in ("red", "amber", "green") if light in lights), None)


def targets_light(states: list[TargetState]) -> Light | None:
    """The worst light of the targets (None when the project states no target at all)."""
    return worst_light([s.light for s in states])


def execution(ledger: Ledger, year: int, band: RangeBand) -> Execution | None:
    """The year's spend against its arranged funds (else its plan amount), with its light."""
    funds = ledger.funds(year)
    planned = next((p.amount for p in ledger.plan if p.year == year), None)
    if funds and funds.arranged:
        budget, basis = funds.arranged, "当年安排"
    elif planned:
        budget, basis = planned, "分年计划"
    else:
        return None
    spent = ledger.spend(year)
    rate = spent / budget
    return Execution(year, spent, budget, basis, planned, rate, band.light(rate))


def finding_lines(evaluation: Evaluation, card: Scorecard, band: FindingBand) -> list[FindingLine]:
    """Each problem with its recommendations and the points its indicators lost, most first."""
    lines = []
    for finding in evaluation.findings:
        nodes = [card.find(code) for code in finding.indicators]
        lost = sum((n.lost for n in nodes if n is not None), ZERO)
        advice = "；".join(r.title for r in evaluation.recommendations_for(finding.id)) or "尚无建议"
        lines.append(FindingLine(finding.title, advice, lost, band.light(lost)))
    return sorted(lines, key=lambda line: -line.lost)


def conclusion(name: str, year: int, card: Scorecard, findings: list[FindingLine]) -> str:
    """One sentence: the score and grade, then where and why most points were lost."""
    provisional = "" if card.complete else "（暂计）"
    head = f"{name}{year}年度绩效评价得分 {fmt2(card.total)} 分{provisional}，等级“{card.grade}”"
    lost = [n for n in card.nodes if n.lost > 0]
    if not lost:
        return f"{head}，各一级指标均未扣分。"
    worst = max(lost, key=lambda n: n.lost)
    where = f"失分主要在{worst.name}（扣 {fmt2(worst.lost)} 分）"
    causes = [f for f in findings if f.lost > 0] or findings
    if causes:
        return f"{head}；{where}，主要问题是{causes[0].title}。"
    top = card.largest_deductions(1)[0]
    return f"{head}；{where}，扣分最多的是“{top.name}”（扣 {fmt2(top.lost)} 分）。"


def build_dashboard(
    name: str,
    targets: list[Target],
    evaluation: Evaluation,
    card: Scorecard,
    ledger: Ledger,
    rules: StatusRules,
) -> Dashboard:
    findings = finding_lines(evaluation, card, rules.findings)
    states = [target_state(t, rules.targets) for t in targets]
    return Dashboard(
        conclusion=conclusion(name, evaluation.year, card, findings),
        score_light=rules.score.light(card.rate),
        levels=[LevelLine(n, rules.level_one.light(n.rate or ZERO)) for n in card.nodes],
        targets=states,
        targets_light=targets_light(states),
        execution=execution(ledger, evaluation.year, rules.execution),
        findings=findings,
    )
