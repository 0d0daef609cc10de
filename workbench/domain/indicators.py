"""Indicator systems (指标体系): a tree of any depth with any level-1 names.

Each node has a code, a name, a weight (分值), an explanation (指标解释) and scoring criteria
(评分标准); each leaf carries a scoring rule.  ``problems()`` lists every structural defect so
one pass over a file reports them all.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from pydantic import ConfigDict, Field, SerializeAsAny, field_validator

from workbench.domain.base import HUNDRED, SafeId, StrictModel, fmt2
from workbench.domain.rules import Rule, parse_rule
from workbench.errors import Problem

MIN_DEPTH, MAX_DEPTH = 2, 4


class Indicator(StrictModel):
    model_config = ConfigDict(frozen=True)  # shared by caches and the scoring memo: never changed in place

    code: SafeId = Field(max_length=40)
    name: str = Field(min_length=1, max_length=200)
    weight: Decimal | None = None
    explanation: str = ""
    criteria: str = ""
    formula: str = ""
    rule: SerializeAsAny[Rule] | None = None
    children: list[Indicator] = Field(default=[])

    @field_validator("rule", mode="before")
    @classmethod
    def _rule_from_registry(cls, raw: Any) -> Any:
        return None if raw is None else parse_rule(raw)

    @property
    def is_leaf(self) -> bool:
        return not self.children

    def walk(self, level: int = 1) -> Iterator[tuple[int, Indicator]]:
        yield level, self
        for child in self.children:
            yield from child.walk(level + 1)


class CompositionRule(StrictModel):
    """A rule on how level-1 weights are shared, e.g. 产出 + 效益 ≥ 60 (a data-file fact)."""

    names: list[str] = Field(min_length=1)
    min: Decimal | None = None
    max: Decimal | None = None
    equals: Decimal | None = None
    source: str = ""


class OmittedIndicator(StrictModel):
    """A common indicator the system leaves out on purpose (e.g. 产出成本), with the reason."""

    name: str = Field(min_length=1)
    reason: str = Field(min_length=1)


class IndicatorSystem(StrictModel):
    id: SafeId
    name: str = Field(min_length=1)
    framework: str = ""
    note: str = ""
    total: Decimal = HUNDRED
    weighted: bool = True
    composition: list[CompositionRule] = Field(default=[])
    omitted: list[OmittedIndicator] = Field(default=[])
    indicators: list[Indicator] = Field(min_length=1)

    def walk(self) -> Iterator[tuple[int, Indicator]]:
        for top in self.indicators:
            yield from top.walk()

    def leaves(self) -> list[Indicator]:
        return [node for _, node in self.walk() if node.is_leaf]

    def find(self, code: str) -> Indicator | None:
        return next((node for _, node in self.walk() if node.code == code), None)

    def path(self, code: str) -> list[Indicator]:
        """The chain from level 1 down to ``code`` (empty when absent)."""

        def search(nodes: list[Indicator], trail: list[Indicator]) -> list[Indicator]:
            for node in nodes:
                here = [*trail, node]
                if node.code == code:
                    return here
                found = search(node.children, here)
                if found:
                    return found
            return []

        return search(self.indicators, [])

    def depth(self) -> int:
        return max(level for level, _ in self.walk())

    def problems(self) -> list[Problem]:
        """Every structural problem; an empty list means the system is usable."""
        out: list[Problem] = []
        seen: dict[str, str] = {}
        for level, node in self.walk():
            place = f"指标 {node.code}（{node.name}）"
            if node.code in seen:
                out.append(
                    Problem(
                        f"指标代码重复，已用于“{seen[node.code]}”", place=place, field="代码", code=node.code
                    )
                )
            seen.setdefault(node.code, node.name)
            if level > MAX_DEPTH:
                out.append(Problem(f"指标层级不能超过 {MAX_DEPTH} 级", place=place, code=node.code))
            out.extend(self._weight_problems(node, place))
            if self.weighted and node.is_leaf and node.rule is None:
                out.append(
                    Problem("末级指标必须设定评分规则（rule）", place=place, field="评分规则", code=node.code)
                )
        if self.depth() < MIN_DEPTH:
            out.append(Problem(f"指标体系至少需要 {MIN_DEPTH} 级（一级指标下须有下级指标）"))
        if self.weighted:
            out.extend(self._total_problems())
        return out

    def _weight_problems(self, node: Indicator, place: str) -> list[Problem]:
        if not self.weighted:
            return []
        if node.weight is None:
            return [Problem("缺少分值", place=place, field="分值", code=node.code)]
        out = []
        if node.weight < 0:
            out.append(
                Problem(f"分值不能为负数，填写的是 {node.weight}", place=place, field="分值", code=node.code)
            )
        child_weights = [c.weight for c in node.children if c.weight is not None]
        if node.children and len(child_weights) == len(node.children):
            total = sum(child_weights, Decimal(0))
            if total != node.weight:
                out.append(
                    Problem(
                        f"下级指标分值合计 {fmt2(total)}，应等于本级分值 {fmt2(node.weight)}"
                        f"（相差 {fmt2(total - node.weight)}）",
                        place=place,
                        field="分值",
                        code=node.code,
                    )
                )
        return out

    def _total_problems(self) -> list[Problem]:
        weights = [n.weight for n in self.indicators if n.weight is not None]
        if len(weights) < len(self.indicators):
            return []
        total = sum(weights, Decimal(0))
        out = []
        if total != self.total:
            out.append(
                Problem(
                    f"一级指标分值合计 {fmt2(total)}，应等于总分 {fmt2(self.total)}（相差 {fmt2(total - self.total)}）"
                )
            )
        out.extend(self.composition_problems())
        return out

    def composition_problems(self) -> list[Problem]:
        """Level-1 weights checked against the system's composition rules (warnings)."""
        by_name = {n.name: n.weight or Decimal(0) for n in self.indicators}
        out = []
        for rule in self.composition:
            missing = [name for name in rule.names if name not in by_name]
            if missing:
                out.append(Problem(f"结构要求所列一级指标不存在：{'、'.join(missing)}", severity="warning"))
                continue
            got = sum((by_name[name] for name in rule.names), Decimal(0))
            label = " + ".join(rule.names)
            src = f"（{rule.source}）" if rule.source else ""
            if rule.equals is not None and got != rule.equals:
                out.append(
                    Problem(
                        f"{label} 分值为 {fmt2(got)}，要求等于 {fmt2(rule.equals)}{src}", severity="warning"
                    )
                )
            if rule.min is not None and got < rule.min:
                out.append(
                    Problem(
                        f"{label} 分值为 {fmt2(got)}，要求不低于 {fmt2(rule.min)}{src}", severity="warning"
                    )
                )
            if rule.max is not None and got > rule.max:
                out.append(
                    Problem(
                        f"{label} 分值为 {fmt2(got)}，要求不高于 {fmt2(rule.max)}{src}", severity="warning"
                    )
                )
        return out
