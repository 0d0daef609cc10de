"""The score table (指标评分表) as rows: one per leaf, a subtotal per level-1 indicator, a total.

Shared by the report's attachment and the printable .xlsx, so both always show the same figures.
Pure: built from a ``Scorecard``; formatting of numbers is left to the writers.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from workbench.domain.base import fmt2, fmt_score, pct
from workbench.domain.scoring import NodeScore, Scorecard


@dataclass(frozen=True)
class ScoreRow:
    kind: str  # "leaf" | "subtotal" | "total"
    l1: str
    l2: str
    l3: str
    code: str
    weight: Decimal
    score: Decimal | None  # None: not applicable (/) or not yet scored
    lost: Decimal
    reason: str
    criteria: str = ""
    status: str = "scored"

    @property
    def score_text(self) -> str:
        if self.status == "na":
            return "/"
        if self.score is None:
            return "未评分"
        return fmt_score(self.score)

    @property
    def lost_text(self) -> str:
        return fmt_score(self.lost) if self.lost else ""


def leaf_reason(node: NodeScore) -> str:
    """扣分理由 (each deduction with its points), else the evaluator's note or the rule's working."""
    if node.status == "na":
        return f"不适用：{node.na_reason}"
    if node.status == "pending":
        return "尚未评分"
    reasons = [
        d.reason.rstrip("。；;. ") + (f"（扣{fmt_score(d.points)}分）" if d.points else "")
        for d in node.deductions
    ]
    if reasons:
        return "；".join(reasons)
    return node.rationale or node.calculation


def _leaf_paths(node: NodeScore, trail: tuple[NodeScore, ...] = ()) -> Iterator[tuple[NodeScore, ...]]:
    here = (*trail, node)
    if node.is_leaf:
        yield here
    for child in node.children:
        yield from _leaf_paths(child, here)


def _names(path: tuple[NodeScore, ...]) -> tuple[str, str, str]:
    """Level-1, level-2 and leaf columns; deeper levels are joined into the third column."""
    names = [n.name for n in path]
    if len(names) == 1:
        return names[0], "", ""
    if len(names) == 2:
        return names[0], names[1], ""
    return names[0], names[1], "／".join(names[2:])


def _leaf_row(path: tuple[NodeScore, ...]) -> ScoreRow:
    leaf = path[-1]
    scored = leaf.status == "scored"
    return ScoreRow(
        "leaf",
        *_names(path),
        code=leaf.code,
        weight=leaf.weight,
        score=leaf.score if scored else None,
        lost=leaf.lost,
        reason=leaf_reason(leaf),
        criteria=leaf.criteria or leaf.rule,
        status=leaf.status,
    )


def _subtotal(top: NodeScore) -> ScoreRow:
    return ScoreRow(
        "subtotal",
        top.name,
        "小计",
        "",
        code=top.code,
        weight=top.weight,
        score=top.score if top.status != "pending" else None,
        lost=top.lost,
        reason=f"得分率 {pct(top.rate)}",
        status="scored" if top.status == "na" else top.status,
    )


def total_reason(card: Scorecard) -> str:
    text = f"等级：{card.grade}"
    if card.applicable_total != card.declared_total and card.na_policy == "rescale":
        text += f"（不适用指标分值按比例分摊，适用分值 {fmt2(card.applicable_total)}，原始得分 {fmt2(card.raw_total)}）"
    if not card.complete:
        text += "（尚有指标未评分）"
    return text


def score_rows(card: Scorecard) -> list[ScoreRow]:
    rows: list[ScoreRow] = []
    for top in card.nodes:
        rows.extend(_leaf_row(path) for path in _leaf_paths(top))
        rows.append(_subtotal(top))
    rows.append(
        ScoreRow(
            "total",
            "合计",
            "",
            "",
            code="",
            weight=card.declared_total,
            score=card.total,
            lost=card.lost_total,
            reason=total_reason(card),
        )
    )
    return rows


def table_title(system_name: str) -> str:
    """The attachment's title from the indicator system's name: …指标体系 -> …指标评分表."""
    if system_name.endswith("指标体系"):
        return system_name[: -len("体系")] + "评分表"
    return system_name if system_name.endswith("表") else f"{system_name}评分表"
