"""绩效评价总览: a year's (or a department's) evaluations side by side — pure figures.

A row is one evaluation with its project's 主管部门, the stored total and grade, the money
evaluated and the count of overdue 整改 items.  The money evaluated (评价资金) is the ledger's
预算安排 of the evaluated year (``YearFunds.arranged``, 万元); the 实际支出 of that year is given
beside it.  A ledger that does not record a figure gives ``None`` (shown as —, counted as
nothing in a sum), never 0.

The grade distribution and the comparison by department are computed here from the rows, so
what the page, the command and the workbook show is the same arithmetic.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from workbench.domain.base import q2
from workbench.domain.ledger import Ledger

NO_DEPARTMENT = "未填写主管部门"
UNSCORED = "未评分"
UNSCORABLE = "无法计分"
ZERO = Decimal(0)


@dataclass(frozen=True)
class PortfolioRow:
    """One evaluation in the 总览."""

    evaluation_id: str
    title: str
    project_id: str
    project_name: str
    department: str
    year: int
    score: Decimal | None  # None: not scored yet, or the stored scores cannot be scored
    grade: str  # the band's label, 未评分 or 无法计分
    status: str
    arranged: Decimal | None  # 评价资金: 预算安排 of the evaluated year, 万元
    spent: Decimal | None  # 实际支出 of the evaluated year, 万元
    overdue: int | None = None  # 整改 items it found still open past their deadline; None: not known


@dataclass(frozen=True)
class DepartmentLine:
    """One line of the comparison by department."""

    department: str
    count: int
    scored: int
    mean_score: Decimal | None  # of the scored evaluations, two decimals
    arranged: Decimal  # sum of the known 评价资金, 万元
    spent: Decimal
    overdue: int | None  # None when no row's count is known


def year_money(ledger: Ledger, year: int) -> tuple[Decimal | None, Decimal | None]:
    """(预算安排, 实际支出) of ``year`` in 万元 as the ledger records them, None where it does not."""
    funds = ledger.funds(year)
    arranged = funds.arranged if funds else None
    recorded = (funds is not None and funds.stated_spend is not None) or bool(ledger.lines(year))
    return arranged, ledger.spend(year) if recorded else None


def department_of(raw: str) -> str:
    return raw.strip() or NO_DEPARTMENT


def grade_distribution(rows: Iterable[PortfolioRow]) -> dict[str, int]:
    """Count per grade, the best grade first (by the highest score holding it); 未评分 and
    无法计分 last."""
    counts: dict[str, int] = {}
    best: dict[str, Decimal] = {}
    for row in rows:
        counts[row.grade] = counts.get(row.grade, 0) + 1
        if row.score is not None:
            best[row.grade] = max(best.get(row.grade, row.score), row.score)
    order = sorted(counts, key=lambda g: (g not in best, -best.get(g, ZERO), g))
    return {grade: counts[grade] for grade in order}


def _sum(values: Iterable[Decimal | None]) -> Decimal:
    return sum((v for v in values if v is not None), ZERO)


def _known_sum(counts: list[int | None]) -> int | None:
    known = [c for c in counts if c is not None]
    return sum(known) if known else None


def by_department(rows: Iterable[PortfolioRow]) -> list[DepartmentLine]:
    """Count, mean score (of those scored) and money per department, the largest money first."""
    groups: dict[str, list[PortfolioRow]] = {}
    for row in rows:
        groups.setdefault(row.department, []).append(row)
    out = []
    for name, members in groups.items():
        scores = [r.score for r in members if r.score is not None]
        out.append(
            DepartmentLine(
                department=name,
                count=len(members),
                scored=len(scores),
                mean_score=q2(sum(scores, ZERO) / len(scores)) if scores else None,
                arranged=_sum(r.arranged for r in members),
                spent=_sum(r.spent for r in members),
                overdue=_known_sum([r.overdue for r in members]),
            )
        )
    return sorted(out, key=lambda d: (-d.arranged, d.department))


# --- sorting: the column names as users see them ------------------------------------------------

SORTS: dict[str, Callable[[PortfolioRow], Any]] = {
    "得分": lambda r: (r.score is None, -(r.score or ZERO)),
    "评价资金": lambda r: (r.arranged is None, -(r.arranged or ZERO)),
    "年度": lambda r: -r.year,
    "项目": lambda r: r.project_name,
    "主管部门": lambda r: r.department,
    "等级": lambda r: r.grade,
    "状态": lambda r: r.status,
    "逾期整改": lambda r: (r.overdue is None, -(r.overdue or 0)),
}


def sorted_rows(rows: Iterable[PortfolioRow], by: str = "得分") -> list[PortfolioRow]:
    """Rows in the order of the column ``by`` (scores and money highest first); ties by id."""
    key = SORTS[by]
    return sorted(rows, key=lambda r: (key(r), r.evaluation_id))


@dataclass(frozen=True)
class BatchLine:
    """One evaluation of a batch of reports: its file, or why it has none (Chinese)."""

    row: PortfolioRow
    file_name: str
    ok: bool
    reason: str = ""

    @property
    def result(self) -> str:
        return "成功" if self.ok else "失败"
