"""A project's years side by side: each year's total and level-1 scores (from its stored
evaluation), 执行率, payment against the plan (cumulative), and the 整改 items it found that are
closed (销号) or overdue.  Figures only, composed from what is stored; nothing is estimated."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from workbench.domain.base import fmt2, pct
from workbench.domain.evaluation import Evaluation
from workbench.domain.ledger import Ledger
from workbench.domain.rectification import RectificationItem
from workbench.domain.scoring import Scorecard

ZERO = Decimal(0)


@dataclass(frozen=True)
class YearScores:
    """The evaluation counted for a year (定稿 first, then the latest changed) and its scores."""

    evaluation_id: str
    status: str
    total: Decimal | None  # None: the stored scores cannot be scored, or nothing is scored yet
    grade: str
    levels: tuple[tuple[str, Decimal], ...]  # level-1 indicator name → 得分


@dataclass(frozen=True)
class Rectified:
    found: int  # items from this year's evaluation
    closed: int  # 销号
    overdue: int  # open past their deadline on the day asked


@dataclass(frozen=True)
class TrendYear:
    year: int
    scores: YearScores | None
    planned: Decimal | None
    paid: Decimal | None  # None: the ledger does not record it (shown —, not 0)
    cumulative_planned: Decimal
    cumulative_paid: Decimal
    execution_rate: Decimal | None
    rectification: Rectified | None  # None: the reader may not see the 整改台账


@dataclass(frozen=True)
class ProjectTrend:
    project_id: str
    project_name: str
    years: list[TrendYear]
    level_names: list[str]  # in the order of the indicator system of the newest scored year
    plan_total: Decimal


# An evaluation, its scorecard, and its rank among the year's evaluations (higher wins: 定稿, then newer).
Scored = tuple[Evaluation, Scorecard | None, tuple[bool, float]]


def year_scores(evaluation: Evaluation, card: Scorecard | None) -> YearScores:
    if card is None or card.unscored:
        return YearScores(evaluation.id, evaluation.status, None, "未评分" if card else "无法计分", ())
    levels = tuple((n.name, n.score) for n in card.nodes)
    return YearScores(evaluation.id, evaluation.status, card.total, card.grade, levels)


def _counted(scored: Sequence[Scored]) -> dict[int, YearScores]:
    best: dict[int, Scored] = {}
    for entry in scored:
        year = entry[0].year
        if year not in best or entry[2] > best[year][2]:
            best[year] = entry
    return {year: year_scores(ev, card) for year, (ev, card, _) in best.items()}


def _rectified(items: Sequence[RectificationItem], year: int, today: date) -> Rectified:
    mine = [i for i in items if i.source_year == year]
    return Rectified(len(mine), sum(i.status == "销号" for i in mine), sum(i.overdue(today) for i in mine))


def build_trend(
    project_id: str,
    project_name: str,
    ledger: Ledger,
    scored: Sequence[Scored],
    items: Sequence[RectificationItem] | None,
    today: date,
) -> ProjectTrend:
    """One row per year the project has an evaluation or a plan amount, oldest first."""
    counted = _counted(scored)
    plan = {p.year: p.amount for p in ledger.plan}
    years = sorted(set(counted) | set(plan) | {y.year for y in ledger.years})
    rows, cum_plan, cum_paid = [], ZERO, ZERO
    for year in years:
        funds = ledger.funds(year)
        paid = funds.paid if funds and funds.paid is not None else None
        cum_plan += plan.get(year, ZERO)
        cum_paid += paid or ZERO
        rows.append(
            TrendYear(
                year=year,
                scores=counted.get(year),
                planned=plan.get(year),
                paid=paid,
                cumulative_planned=cum_plan,
                cumulative_paid=cum_paid,
                execution_rate=ledger.execution_rate(year),
                rectification=None if items is None else _rectified(items, year, today),
            )
        )
    names: list[str] = []
    for row in rows:
        for name, _ in row.scores.levels if row.scores else ():
            if name not in names:
                names.append(name)
    return ProjectTrend(project_id, project_name, rows, names, ledger.plan_total())


def table(trend: ProjectTrend) -> list[dict[str, str]]:
    """The trend as the page and the command line print it: money in 万元 with two decimals,
    — where nothing is stored (never 0)."""
    out = []
    for row in trend.years:
        scores, rect = row.scores, row.rectification
        levels = dict(scores.levels) if scores else {}
        line = {
            "年度": str(row.year),
            "评价状态": scores.status if scores else "未评价",
            "总分": fmt2(scores.total) if scores else "—",
            "等级": scores.grade if scores else "—",
        }
        line.update({name: fmt2(levels.get(name)) for name in trend.level_names})
        line.update(
            {
                "计划（万元）": fmt2(row.planned),
                "已支付（万元）": fmt2(row.paid),
                "累计计划（万元）": fmt2(row.cumulative_planned),
                "累计支付（万元）": fmt2(row.cumulative_paid),
                "执行率": pct(row.execution_rate),
                "整改销号": f"{rect.closed}/{rect.found}" if rect else "—",
                "整改逾期": str(rect.overdue) if rect else "—",
            }
        )
        out.append(line)
    return out
