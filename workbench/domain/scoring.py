"""Scorecards: leaf scores -> subtotals -> total, 得分率 per node, grade from a band set.

A leaf's score depends only on the indicator and what was recorded for it, both immutable
(frozen models).  Scoring an evaluation again after one indicator's save reuses the other
leaves' results when the caller keeps them (``leaves``, a memo by the identity of indicator and
entry — the services pass the database handle's, ``workbench.caching``) and only adds up anew.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol

from workbench.domain.base import HUNDRED, q2
from workbench.domain.evaluation import Evaluation, IndicatorScore, NaPolicy
from workbench.domain.grading import BandSet
from workbench.domain.indicators import Indicator, IndicatorSystem
from workbench.domain.rules import Deduction
from workbench.errors import InvalidInput, Problem, WorkbenchError

ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class NodeScore:
    """One indicator's place in the scorecard (leaf or subtotal).

    A plain frozen dataclass, not a pydantic model: it is computed from validated data, never
    parsed, and a page builds one per indicator on every rerun."""

    code: str
    name: str
    level: int
    weight: Decimal
    score: Decimal
    applicable_weight: Decimal
    status: str  # "scored" | "pending" | "na" (a subtotal is "pending" while any leaf is)
    explanation: str = ""
    criteria: str = ""
    rule: str = ""
    calculation: str = ""
    rationale: str = ""
    na_reason: str = ""
    deductions: list[Deduction] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)
    children: list[NodeScore] = field(default_factory=list)
    # 扣分: what the applicable weight lost (0 unless scored); worked out once (the checks, the
    # bar and the next-grade hint ask each node many times per page run)
    lost: Decimal = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        lost = q2(self.applicable_weight - self.score) if self.status == "scored" else ZERO
        object.__setattr__(self, "lost", lost)

    @property
    def is_leaf(self) -> bool:
        return not self.children

    @property
    def rate(self) -> Decimal | None:
        """得分率 against the applicable weight (None when nothing applies)."""
        return self.score / self.applicable_weight if self.applicable_weight else None

    def walk(self) -> Iterator[NodeScore]:
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True, slots=True)
class Scorecard:
    system_id: str
    system_name: str
    declared_total: Decimal
    applicable_total: Decimal
    raw_total: Decimal
    total: Decimal
    score100: Decimal
    grade: str
    band_set: BandSet
    na_policy: NaPolicy
    complete: bool
    nodes: list[NodeScore]
    # The leaves in order, found once (a page asks a dozen times per run: the bar, the checks,
    # the totals); never compared or shown.
    _leaves: list[NodeScore] | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def rate(self) -> Decimal:
        return self.score100 / HUNDRED

    def walk(self) -> Iterator[NodeScore]:
        for node in self.nodes:
            yield from node.walk()

    def leaves(self) -> list[NodeScore]:
        found = self._leaves
        if found is None:
            found = [n for n in self.walk() if n.is_leaf]
            object.__setattr__(self, "_leaves", found)  # frozen: set once, as a cached property
        return list(found)

    def find(self, code: str) -> NodeScore | None:
        return next((n for n in self.walk() if n.code == code), None)

    @property
    def unscored(self) -> bool:
        """Nothing scored yet: a total of 0.00 would read as 不合格, so it is shown as 未评分."""
        return not any(n.status == "scored" for n in self.leaves())

    def pending(self) -> list[NodeScore]:
        return [n for n in self.leaves() if n.status == "pending"]

    @property
    def lost_total(self) -> Decimal:
        return sum((n.lost for n in self.leaves()), ZERO)

    def largest_deductions(self, limit: int = 5) -> list[NodeScore]:
        lost = [n for n in self.leaves() if n.lost > 0]
        return sorted(lost, key=lambda n: (-n.lost, n.code))[:limit]


class LeafMemo(Protocol):
    """Where a caller keeps leaf results between scorings, by the identity of (indicator, entry)."""

    def get(self, objects: tuple[Any, ...]) -> NodeScore | None: ...
    def put(self, objects: tuple[Any, ...], value: NodeScore) -> NodeScore: ...


def score_evaluation(
    system: IndicatorSystem, evaluation: Evaluation, bands: BandSet, *, leaves: LeafMemo | None = None
) -> Scorecard:
    """Score every leaf and roll up; every bad input is reported at once as ``InvalidInput``."""
    found: list[Problem] = []
    seen: set[str] = set()  # the leaves' codes, gathered while scoring (no second walk of the tree)
    nodes = [_score_node(top, 1, evaluation, found, leaves, seen) for top in system.indicators]
    problems = [
        Problem("评分记录对应的指标在指标体系中不存在（或不是末级指标）", place=f"指标 {code}", code=code)
        for code in sorted(set(evaluation.scores) - seen)
    ]
    if problems or found:
        raise InvalidInput([*problems, *found])
    raw = sum((n.score for n in nodes), ZERO)
    applicable = sum((n.applicable_weight for n in nodes), ZERO)
    declared = system.total
    score100 = q2(raw / applicable * HUNDRED) if applicable else ZERO
    rescale = evaluation.na_policy == "rescale" and applicable
    total = q2(raw * declared / applicable) if rescale else q2(raw)
    return Scorecard(
        system_id=system.id,
        system_name=system.name,
        declared_total=declared,
        applicable_total=applicable,
        raw_total=q2(raw),
        total=total,
        score100=score100,
        grade=bands.grade(score100),
        band_set=bands,
        na_policy=evaluation.na_policy,
        complete=all(n.status != "pending" for n in nodes),
        nodes=nodes,
    )


def _score_node(
    node: Indicator,
    level: int,
    evaluation: Evaluation,
    problems: list[Problem],
    leaves: LeafMemo | None,
    seen: set[str],
) -> NodeScore:
    if not node.children:
        seen.add(node.code)
        entry = evaluation.scores.get(node.code)
        found = leaves.get((node, entry)) if leaves is not None else None
        if found is not None and found.level == level:
            return found
    weight = node.weight if node.weight is not None else ZERO
    common: dict[str, Any] = {
        "code": node.code,
        "name": node.name,
        "level": level,
        "weight": weight,
        "explanation": node.explanation,
        "criteria": node.criteria,
    }
    if node.children:
        kids = [_score_node(c, level + 1, evaluation, problems, leaves, seen) for c in node.children]
        statuses = {k.status for k in kids}
        status = "pending" if "pending" in statuses else ("na" if statuses == {"na"} else "scored")
        return NodeScore(
            **common,
            score=sum((k.score for k in kids), ZERO),
            applicable_weight=sum((k.applicable_weight for k in kids), ZERO),
            status=status,
            children=kids,
        )
    before = len(problems)
    scored = _score_leaf(node, entry, common, problems)
    if leaves is not None and len(problems) == before:  # a leaf with problems is scored (and reported) anew
        leaves.put((node, entry), scored)
    return scored


def _score_leaf(
    node: Indicator, entry: IndicatorScore | None, common: dict[str, Any], problems: list[Problem]
) -> NodeScore:
    weight = common["weight"]
    rule_text = node.rule.describe() if node.rule else ""
    if entry is None:
        return NodeScore(**common, score=ZERO, applicable_weight=weight, status="pending", rule=rule_text)
    if entry.not_applicable:
        return NodeScore(
            **common,
            score=ZERO,
            applicable_weight=ZERO,
            status="na",
            rule=rule_text,
            na_reason=entry.na_reason,
        )
    place = f"指标 {node.code}（{node.name}）"
    if node.rule is None:
        problems.append(Problem("末级指标没有评分规则，无法计分", place=place, code=node.code))
        return NodeScore(**common, score=ZERO, applicable_weight=weight, status="pending")
    try:
        outcome = node.rule.score(weight, node.rule.parse_inputs(entry.rule_inputs(), place=place))
    except WorkbenchError as exc:
        problems.extend(Problem(p.message, place=place, field=p.field, code=node.code) for p in exc.problems)
        return NodeScore(**common, score=ZERO, applicable_weight=weight, status="pending", rule=rule_text)
    return NodeScore(
        **common,
        score=outcome.score,
        applicable_weight=weight,
        status="scored",
        rule=rule_text,
        calculation=outcome.explanation,
        rationale=entry.rationale,
        deductions=outcome.deductions,
        evidence=entry.evidence,
    )


@dataclass(frozen=True)
class GradeGap:
    """What it takes to reach the next grade: the fewest points to recover, and where."""

    next_grade: str
    points_needed: Decimal
    where: list[NodeScore]
    reachable: bool


def gap_to_next_grade(card: Scorecard) -> GradeGap | None:
    band = card.band_set.next_band(card.score100)
    if band is None:
        return None
    per_point = card.applicable_total / HUNDRED if card.applicable_total else Decimal(1)
    needed = q2((band.min - card.score100) * per_point)
    picked: list[NodeScore] = []
    recovered = ZERO
    for node in card.largest_deductions(limit=len(card.leaves())):
        if recovered >= needed:
            break
        picked.append(node)
        recovered += node.lost
    return GradeGap(next_grade=band.label, points_needed=needed, where=picked, reachable=recovered >= needed)
