"""The evaluator's review of a unit's self-evaluation: self-score beside evaluator score, 自评虚高.

A gap (self − evaluator) above the threshold — points or a share of the weight, both data in
indicators/review-rules.yaml — flags the indicator 自评虚高; every flagged indicator needs a
reconciliation note (核对说明) before the evaluation may become 定稿.  ``require_reconciled`` is
the check the workflow calls at that step.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from workbench.domain.base import HUNDRED, StrictModel, fmt2
from workbench.domain.scoring import NodeScore, Scorecard
from workbench.errors import Conflict, Problem

INFLATED = "自评虚高"


class InflationRule(StrictModel):
    inflated_gap_points: Decimal | None = Field(default=None, gt=0)
    inflated_gap_percent_of_weight: Decimal | None = Field(default=None, gt=0, le=100)
    source: str = ""

    def is_inflated(self, gap: Decimal, weight: Decimal) -> bool:
        if gap <= 0:
            return False
        points, share = self.inflated_gap_points, self.inflated_gap_percent_of_weight
        if points is not None and gap > points:
            return True
        return share is not None and weight > 0 and gap * HUNDRED / weight > share

    def describe(self) -> str:
        parts = []
        if self.inflated_gap_points is not None:
            parts.append(f"超过 {fmt2(self.inflated_gap_points)} 分")
        if self.inflated_gap_percent_of_weight is not None:
            parts.append(f"超过该指标分值的 {fmt2(self.inflated_gap_percent_of_weight)}%")
        return "自评得分高于评价得分" + "或".join(parts)


class ComparisonRow(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)  # built at first use: see base.StrictModel

    code: str
    name: str
    weight: Decimal
    self_score: Decimal | None  # None: not scored or not applicable
    evaluator_score: Decimal | None
    inflated: bool = False
    note: str = ""

    @property
    def gap(self) -> Decimal | None:
        if self.self_score is None or self.evaluator_score is None:
            return None
        return self.self_score - self.evaluator_score

    @property
    def flag(self) -> str:
        return INFLATED if self.inflated else ""


class SelfEvalComparison(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)  # built at first use: see base.StrictModel

    rows: list[ComparisonRow]
    rule: InflationRule
    self_total: Decimal
    evaluator_total: Decimal

    @property
    def flagged(self) -> list[ComparisonRow]:
        return [r for r in self.rows if r.inflated]

    def finalization_problems(self) -> list[Problem]:
        """One problem per 自评虚高 indicator still lacking a reconciliation note."""
        out = []
        for row in self.flagged:
            if not row.note.strip():
                msg = (
                    f"{INFLATED}：自评 {fmt2(row.self_score)} 分，评价 {fmt2(row.evaluator_score)} 分，"
                    f"相差 {fmt2(row.gap)} 分（{self.rule.describe()}）；定稿前须填写核对说明"
                )
                out.append(Problem(msg, place=f"指标 {row.code}（{row.name}）", field="核对说明"))
        return out

    def require_reconciled(self) -> None:
        problems = self.finalization_problems()
        if problems:
            raise Conflict(problems)


def compare_scorecards(
    self_card: Scorecard,
    evaluator_card: Scorecard,
    rule: InflationRule,
    notes: Mapping[str, str] | None = None,
) -> SelfEvalComparison:
    """Leaf by leaf, matched by code, else by the chain of names (一级／二级／三级)."""
    notes = notes or {}
    theirs_by_code = {n.code: n for n in evaluator_card.leaves()}
    theirs_by_path = _paths(evaluator_card)
    rows = []
    for path, mine in _paths(self_card).items():
        theirs = theirs_by_code.get(mine.code) or theirs_by_path.get(path)
        own, other = _scored(mine), _scored(theirs)
        gap = own - other if own is not None and other is not None else None
        rows.append(
            ComparisonRow(
                code=mine.code,
                name=mine.name,
                weight=mine.weight,
                self_score=own,
                evaluator_score=other,
                inflated=gap is not None and rule.is_inflated(gap, mine.weight),
                note=notes.get(mine.code, ""),
            )
        )
    return SelfEvalComparison(
        rows=rows, rule=rule, self_total=self_card.total, evaluator_total=evaluator_card.total
    )


def _scored(node: NodeScore | None) -> Decimal | None:
    return node.score if node is not None and node.status == "scored" else None


def _paths(card: Scorecard) -> dict[tuple[str, ...], NodeScore]:
    out: dict[tuple[str, ...], NodeScore] = {}

    def visit(node: NodeScore, trail: tuple[str, ...]) -> None:
        here = (*trail, "".join(node.name.split()))
        if node.is_leaf:
            out.setdefault(here, node)
        for child in node.children:
            visit(child, here)

    for top in card.nodes:
        visit(top, ())
    return out
