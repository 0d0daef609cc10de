"""What each chart of the report shows, as plain data (no matplotlib): labels, values, titles.

``reports.charts`` draws a chart from its data and nothing else, so the data is a complete key
for the drawn picture (``reports.chart_cache`` keys its PNG files by it).  Coordinates are floats
(display only); every label is the exact two-decimal text the report's tables show.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from workbench.domain.base import fmt2, fmt_score, pct
from workbench.domain.ledger import Ledger
from workbench.domain.scoring import NodeScore, Scorecard
from workbench.reports.money import paid_known

MAX_LOSS_BARS = 15


@dataclass(frozen=True)
class Levels:
    names: tuple[str, ...]  # bottom to top
    weights: tuple[float, ...]
    scores: tuple[float, ...]
    labels: tuple[str, ...]
    x_max: float
    title: str


@dataclass(frozen=True)
class Losses:
    names: tuple[str, ...]  # bottom (smallest) to top (largest)
    losts: tuple[float, ...]
    labels: tuple[str, ...]
    x_max: float
    title: str
    note: str  # the indicators beyond the bars, summed; "" when every one has a bar


@dataclass(frozen=True)
class Payments:
    years: tuple[float, ...]
    year_labels: tuple[str, ...]
    planned: tuple[float, ...]
    cumulative_planned: tuple[float, ...]
    paid_years: tuple[float, ...]  # only the years whose payment the ledger records
    paid: tuple[float, ...]
    cumulative_paid: tuple[float, ...]
    y_max: float
    twin_max: float
    title: str


def _f(value: Decimal | int) -> float:
    return float(value)


def levels(card: Scorecard) -> Levels:
    """Score of each level-1 indicator against its weight (分值), with 得分率."""
    nodes = list(reversed(card.nodes))
    return Levels(
        names=tuple(n.name for n in nodes),
        weights=tuple(_f(n.weight) for n in nodes),
        scores=tuple(_f(n.score) for n in nodes),
        labels=tuple(f"{fmt_score(n.score)} / {fmt_score(n.weight)}（{pct(n.rate)}）" for n in nodes),
        x_max=_f(max(n.weight for n in nodes)) * 1.45,
        title=f"一级指标得分与分值（总分 {fmt_score(card.total)}分，{card.grade}）",
    )


def _loss_bars(card: Scorecard) -> tuple[list[NodeScore], Decimal, int]:
    lost = card.largest_deductions(limit=len(card.leaves()))
    shown, rest = lost[:MAX_LOSS_BARS], lost[MAX_LOSS_BARS:]
    return shown, sum((n.lost for n in rest), Decimal(0)), len(rest)


def losses(card: Scorecard) -> Losses:
    """Where points were lost: each indicator that lost points, largest first."""
    shown, rest_total, rest_count = _loss_bars(card)
    bars = list(reversed(shown))
    note = f"另有 {rest_count} 项指标合计扣 {fmt_score(rest_total)} 分，见附件评分表" if rest_count else ""
    return Losses(
        names=tuple(n.name for n in bars),
        losts=tuple(_f(n.lost) for n in bars),
        labels=tuple(f" {fmt_score(n.lost)}" for n in bars),
        x_max=max((_f(n.lost) for n in bars), default=1.0) * 1.25,
        title=f"扣分分布（共扣 {fmt_score(card.lost_total)} 分，{len(shown) + rest_count} 项指标）",
        note=note,
    )


def payments(ledger: Ledger) -> Payments:
    """The multi-year payment plan against what was paid, per year and cumulative (万元)."""
    rows = ledger.plan_progress()
    known = [r for r in rows if paid_known(ledger, int(r["year"]))]
    what = "分年支付计划与实际支付" if known else "分年支付计划"
    return Payments(
        years=tuple(float(r["year"]) for r in rows),
        year_labels=tuple(f"{r['year']}" for r in rows),
        planned=tuple(_f(r["planned"]) for r in rows),
        cumulative_planned=tuple(_f(r["cumulative_planned"]) for r in rows),
        paid_years=tuple(float(r["year"]) for r in known),
        paid=tuple(_f(r["paid"]) for r in known),
        cumulative_paid=tuple(_f(r["cumulative_paid"]) for r in known),
        y_max=max((_f(r["planned"]) for r in rows), default=1.0) * 1.5,
        twin_max=_f(ledger.plan_total()) * 1.15 or 1,
        title=f"{what}（计划合计 {fmt2(ledger.plan_total())} 万元）",
    )


def report_chart_data(card: Scorecard, ledger: Ledger) -> dict[str, Levels | Losses | Payments]:
    """The report's charts by the names the templates use (no payment chart without a plan)."""
    data: dict[str, Levels | Losses | Payments] = {"levels": levels(card), "losses": losses(card)}
    if ledger.plan:
        data["payments"] = payments(ledger)
    return data
