"""The unit's self-evaluation (自评表, 财预〔2020〕10号 附件2) as a pure model.

The form has a 项目资金 block (``Funds``: 执行率 and its points computed), 年度总体目标 (预期目标 /
实际完成情况) and indicator rows (一级/二级/三级, 年度指标值, 实际完成值, 分值, 得分,
偏差原因分析及改进措施).  Rows are scored by the registered rule kinds, chosen from how the
年度指标值 is written: “≥160台” → higher-is-better (``ratio``), “≤1835万元” → lower-is-better
(``reverse_ratio``), words without a number (“按期完成”) → qualitative tiers (``tiers``, the unit's
得分 inside the tier's range).  '/' rows do not apply.  ``to_system`` / ``to_evaluation`` turn the
form into the workbench's own models, so ``score_evaluation`` does the scoring.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from workbench.domain.base import HUNDRED, NonNegative, StrictModel, fmt2, q2
from workbench.domain.evaluation import Evaluation, IndicatorScore
from workbench.domain.funds import EXECUTION, Funds, default_execution_rule
from workbench.domain.grading import BandSet
from workbench.domain.indicators import CompositionRule, Indicator, IndicatorSystem
from workbench.domain.rules import (
    Deduction,
    ManualRule,
    RatioRule,
    ReverseRatioRule,
    Rule,
    TiersRule,
)
from workbench.domain.scoring import Scorecard, score_evaluation
from workbench.errors import InvalidInput, Problem

Direction = Literal["higher", "lower", "qualitative"]
NA_REASON = "自评表中标为“/”（不适用）"
MIN_YEAR = 1990  # the earliest year an Evaluation accepts
_HIGHER = ("≥", ">=", "＞", ">", "不低于", "不少于", "大于等于", "大于", "达到", "=", "＝")
_LOWER = ("≤", "<=", "＜", "<", "不高于", "不超过", "小于等于", "小于", "控制在")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


class Measure(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)  # built at first use: see base.StrictModel

    direction: Direction
    value: Decimal | None = None
    unit: str = ""


def read_measure(text: str) -> Measure:
    """How a 年度指标值 is written: “≥95%” → higher 95 %; “≤1835万元” → lower; “按期完成” → qualitative."""
    text = text.strip()
    found = _NUMBER.search(text.replace(",", ""))
    if not found:
        return Measure(direction="qualitative")
    clean = text.replace(",", "")
    head, unit = clean[: found.start()].strip(), clean[found.end() :].strip()
    lower = any(head.startswith(op) or head.endswith(op) for op in _LOWER)
    return Measure(direction="lower" if lower else "higher", value=Decimal(found.group()), unit=unit)


def read_number(text: str) -> Decimal | None:
    found = _NUMBER.search(text.replace(",", ""))
    return Decimal(found.group()) if found else None


class SelfEvalRow(StrictModel):
    """One indicator row of the form."""

    level1: str = Field(min_length=1)
    level2: str = Field(min_length=1)
    level3: str = ""
    target: str = ""  # 年度指标值, as written
    actual: str = ""  # 实际完成值, as written
    weight: NonNegative = Decimal(0)
    score: NonNegative | None = None  # 自评得分: the input of qualitative rows; as stated on an imported form
    deviation: str = ""  # 偏差原因分析及改进措施
    not_applicable: bool = False

    @property
    def names(self) -> tuple[str, ...]:
        return (self.level1, self.level2, self.level3) if self.level3 else (self.level1, self.level2)

    def measure(self) -> Measure:
        return read_measure(self.target)

    def rule(self, tiers: TiersRule) -> Rule:
        """The registered rule kind the 年度指标值 calls for (manual when the figures are missing)."""
        measure = self.measure()
        if measure.direction == "qualitative":
            return tiers
        if not measure.value or read_number(self.actual) is None:
            return ManualRule()  # “≤0起” or no figure achieved: the unit's own 得分 stands
        kind = RatioRule if measure.direction == "higher" else ReverseRatioRule
        return kind(target=measure.value, unit=measure.unit)

    def inputs(self, rule: Rule) -> IndicatorScore | None:
        """The scoring entry for ``rule`` (None while there is nothing to score)."""
        if self.not_applicable:
            return IndicatorScore(not_applicable=True, na_reason=NA_REASON)
        why = [Deduction(reason=self.deviation)] if self.deviation.strip() else []
        if isinstance(rule, TiersRule):
            tier = self._tier(rule)
            if tier is None:
                return None
            return IndicatorScore(inputs={"tier": tier, "score": self.score}, deductions=why)
        if isinstance(rule, ManualRule):
            if self.score is None:
                return None
            lost = self.weight - min(self.score, self.weight)
            reason = self.deviation.strip() or "按自评表填写的得分（实际完成值无数字，无法按公式计算）"
            return IndicatorScore(deductions=[Deduction(reason=reason, points=lost)] if lost > 0 else [])
        return IndicatorScore(inputs={"actual": read_number(self.actual)}, deductions=why)

    def _tier(self, rule: TiersRule) -> str | None:
        """The tier named at the start of 实际完成值, else the one the stated 得分 falls in."""
        for tier in sorted(rule.tiers, key=lambda t: -len(t.label)):
            if self.actual.strip().startswith(tier.label):
                return tier.label
        if self.score is None or not self.weight:
            return None
        share = self.score / self.weight * HUNDRED
        return next((t.label for t in rule.tiers if t.min <= share <= t.max), None)


class SelfEvaluation(StrictModel):
    project: str = ""
    department: str = ""  # 主管部门
    unit: str = ""  # 实施单位
    year: int | None = Field(default=None, ge=1990, le=2100)
    funds: Funds = Field(default_factory=Funds)
    goals_expected: str = ""  # 年度总体目标：预期目标
    goals_achieved: str = ""  # 实际完成情况
    rows: list[SelfEvalRow] = Field(default=[])
    stated_total: Decimal | None = None  # 总分 as written on an imported form

    def codes(self) -> list[tuple[str, SelfEvalRow | None]]:
        """Leaf codes in form order, the 执行率 leaf first (code 1.1), as the score-table import numbers them."""
        out: list[tuple[str, SelfEvalRow | None]] = [("1.1", None)]
        for code, row in _number(self.rows, first_top=2):
            out.append((code, row))
        return out

    def to_system(
        self,
        system_id: str = "self-evaluation",
        *,
        execution_rule: Rule | None = None,
        tiers: TiersRule | None = None,
        composition: list[CompositionRule] | None = None,
    ) -> IndicatorSystem:
        tiers = tiers or TiersRule()
        rate_rule = execution_rule or default_execution_rule()
        execution = Indicator(
            code="1",
            name=EXECUTION[0],
            weight=self.funds.weight,
            children=[Indicator(code="1.1", name=EXECUTION[1], weight=self.funds.weight, rule=rate_rule)],
        )
        tops = [execution, *_tree(self.rows, tiers)]
        return IndicatorSystem(
            id=system_id,
            name=f"{self.project or '项目'}绩效自评表",
            framework="财预〔2020〕10号 附件2",
            composition=composition or [],
            indicators=tops,
        )

    def to_evaluation(
        self,
        system: IndicatorSystem,
        evaluation_id: str = "self-evaluation",
        bands: str = "mof-2020",
        year: int | None = None,
    ) -> Evaluation:
        """The form's scores as an ``Evaluation`` of ``system`` (the year: given, else the form's)."""
        year = year or self.year
        if year is None:
            raise InvalidInput("自评表没有写明年度（如“（2023年度）”），请补充后再保存")
        scores: dict[str, IndicatorScore] = {}
        rate = self.funds.rate()
        if rate is not None:
            line = self.funds.used_line()
            scores["1.1"] = IndicatorScore(inputs={"numerator": line.executed, "denominator": line.budget})
        for code, row in self.codes()[1:]:
            node = system.find(code)
            entry = row.inputs(node.rule) if row is not None and node is not None and node.rule else None
            if entry is not None:
                scores[code] = entry
        return Evaluation(
            id=evaluation_id,
            project=self.project or "项目",
            system=system.id,
            bands=bands,
            year=year,
            title=f"{self.project}绩效自评",
            na_policy="exclude",
            scores=scores,
        )

    def scorecard(self, bands: BandSet, **system_options: Any) -> Scorecard:
        system = self.to_system(**system_options)
        # The evaluation only lives for this scoring; its year does not enter any score.
        evaluation = self.to_evaluation(system, bands=bands.id, year=self.year or MIN_YEAR)
        return score_evaluation(system, evaluation, bands)

    def problems(self, card: Scorecard, execution_rule: Rule | None = None) -> list[Problem]:
        """Stated scores the rules contradict, budget figures that disagree, the 总分 check."""
        out = list(self.funds.problems(execution_rule))
        for code, row in self.codes()[1:]:
            node = card.find(code)
            if row is None or node is None or row.not_applicable or row.score is None:
                continue
            if node.status == "scored" and q2(row.score) != node.score:
                msg = f"自评得分填写为 {fmt2(row.score)}，按年度指标值与实际完成值计算应为 {fmt2(node.score)}"
                out.append(Problem(msg, place=f"指标 {code}（{node.name}）", field="得分"))
        if self.stated_total is not None and q2(self.stated_total) != card.total:
            msg = f"总分填写为 {fmt2(self.stated_total)}，按各项计算为 {fmt2(card.total)}"
            out.append(Problem(msg, field="总分"))
        out.extend(self.weight_problems())
        return out

    def weight_problems(self) -> list[Problem]:
        """The standard form's 分值 add up to 100, 预算执行率 included; a table whose indicator
        rows alone make 100 is explained (the published 总分 100 leaves out 执行率)."""
        rows = sum((r.weight for r in self.rows), Decimal(0))
        whole = rows + self.funds.weight
        if whole == HUNDRED:
            return []
        msg = f"各项分值合计 {fmt2(whole)}（预算执行率 {fmt2(self.funds.weight)} + 绩效指标 {fmt2(rows)}），标准自评表应为 100"
        if rows == HUNDRED:
            msg += f"；表列总分 100 为绩效指标合计，未含预算执行率 {fmt2(self.funds.weight)} 分"
        return [Problem(msg, field="分值")]


def _number(rows: list[SelfEvalRow], first_top: int) -> list[tuple[str, SelfEvalRow]]:
    """Codes by position: 一级 i, 二级 i.j, 三级 i.j.k (groups in order of first appearance)."""
    index: dict[tuple[str, ...], str] = {}
    counts: dict[str, int] = {}
    out = []
    for row in rows:
        code = ""
        for depth in range(1, len(row.names) + 1):
            key = row.names[:depth]
            leaf = depth == len(row.names)
            if key not in index or leaf:
                parent = code or "top"
                counts[parent] = counts.get(parent, first_top - 1 if parent == "top" else 0) + 1
                made = f"{code}.{counts[parent]}" if code else str(counts[parent])
                if leaf:
                    code = made
                    break
                index[key] = made
            code = index[key]
        out.append((code, row))
    return out


def _tree(rows: list[SelfEvalRow], tiers: TiersRule) -> list[Indicator]:
    nodes: dict[str, dict[str, Any]] = {}
    tops: list[dict[str, Any]] = []
    for code, row in _number(rows, first_top=2):
        parent_code = code.rsplit(".", 1)[0]
        for depth, name in enumerate(row.names[:-1], start=1):
            group = ".".join(code.split(".")[:depth])
            if group not in nodes:
                nodes[group] = {"code": group, "name": name, "children": []}
                (nodes[group.rsplit(".", 1)[0]]["children"] if depth > 1 else tops).append(nodes[group])
        criteria = f"年度指标值：{row.target}" if row.target else ""
        leaf = {"code": code, "name": row.names[-1], "weight": row.weight, "criteria": criteria}
        leaf["rule"] = row.rule(tiers)
        nodes[parent_code]["children"].append(leaf)
    return [_built(t) for t in tops]


def _built(node: dict[str, Any]) -> Indicator:
    if "children" not in node:
        return Indicator(**node)
    children = [_built(c) for c in node["children"]]
    weight = sum((c.weight or Decimal(0) for c in children), Decimal(0))
    return Indicator(code=node["code"], name=node["name"], weight=weight, children=children)
