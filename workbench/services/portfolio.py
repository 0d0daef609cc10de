"""绩效评价总览: every evaluation of a year or a department the actor may see, side by side.

Built on ``evaluations.list_evaluations`` (its stored totals and grades: nothing is scored here)
and one read of the projects concerned (``ProjectRepository.many``) for the 主管部门 and the
money of the evaluated year.  The overdue 整改 count comes from the 整改台账
(``uow.rectification``, services/rectification.py's store) through one function, ``overdue_counts``.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from workbench.domain.portfolio import (
    SORTS,
    UNSCORABLE,
    UNSCORED,
    DepartmentLine,
    PortfolioRow,
    by_department,
    department_of,
    grade_distribution,
    sorted_rows,
    year_money,
)
from workbench.errors import InvalidInput
from workbench.formats.portfolio_xlsx import portfolio_workbook
from workbench.services import evaluations
from workbench.services.access import permissions_of, require
from workbench.services.actors import Actor
from workbench.services.evaluations import EvaluationSummary
from workbench.services.ports import UnitOfWork
from workbench.services.trail import record_access

RECTIFICATION_VIEW = "rectification.view"


@dataclass(frozen=True)
class Portfolio:
    """The rows chosen (by year and department), what they add up to, and what can be chosen."""

    year: int | None
    department: str | None
    rows: list[PortfolioRow]
    grades: dict[str, int]
    departments: list[DepartmentLine]
    years: list[int] = field(default_factory=list)  # every year the actor's evaluations cover
    department_names: list[str] = field(default_factory=list)  # of the chosen year (or all)

    def narrowed(
        self,
        *,
        year: int | None = None,
        department: str | None = None,
        grades: Collection[str] = (),
        statuses: Collection[str] = (),
    ) -> Portfolio:
        """The rows of ``year`` and ``department`` among these, of ``grades`` and ``statuses``
        (empty: all), with their own distribution and comparison (the page filters one read)."""
        in_year = [r for r in self.rows if year is None or r.year == year]
        rows = [
            r
            for r in in_year
            if (department is None or r.department == department)
            and (not grades or r.grade in grades)
            and (not statuses or r.status in statuses)
        ]
        return Portfolio(
            year=year,
            department=department,
            rows=rows,
            grades=grade_distribution(rows),
            departments=by_department(rows),
            years=self.years,
            department_names=sorted({r.department for r in in_year}),
        )

    @property
    def title(self) -> str:
        scope = [f"{self.year}年度" if self.year else "全部年度", self.department or "全部主管部门"]
        return f"绩效评价总览（{'，'.join(scope)}）"


def portfolio(
    uow: UnitOfWork,
    actor: Actor,
    *,
    year: int | None = None,
    department: str | None = None,
    today: date | None = None,
) -> Portfolio:
    """The evaluations of ``year`` (None: every year) and ``department`` (None: every one) that
    the actor may see, newest year first; an unknown year or department gives no rows."""
    summaries = evaluations.list_evaluations(uow, actor)
    in_year = [s for s in summaries if year is None or s.year == year]
    facts = _project_facts(uow, actor, in_year)
    rows = []
    for summary in in_year:
        unit_department, money = facts.get(summary.project_id, (department_of(""), {}))
        rows.append(_row(summary, unit_department, *money.get(summary.year, (None, None))))
    overdue = overdue_counts(uow, actor, rows, today or date.today())
    rows = [_with_overdue(r, overdue) for r in rows]
    years = sorted({s.year for s in summaries}, reverse=True)
    return Portfolio(None, None, rows, {}, [], years).narrowed(year=year, department=department)


Money = tuple[Decimal | None, Decimal | None]
CHUNK = 200  # projects parsed at a time: a bureau's hundreds never all held at once


def _project_facts(
    uow: UnitOfWork, actor: Actor, summaries: Sequence[EvaluationSummary]
) -> dict[str, tuple[str, dict[int, Money]]]:
    """Per project: its 主管部门 and the (预算安排, 实际支出) of each year evaluated — read a chunk
    of projects per query, keeping only these figures."""
    years: dict[str, set[int]] = {}
    for s in summaries:
        years.setdefault(s.project_id, set()).add(s.year)
    ids = sorted(years)
    out = {}
    with uow:
        require(uow, actor, "evaluation.view", what="绩效评价总览")
        for start in range(0, len(ids), CHUNK):
            for pid, (project, ledger) in uow.projects.many(ids[start : start + CHUNK]).items():
                out[pid] = (department_of(project.department), {y: year_money(ledger, y) for y in years[pid]})
    return out


def _row(
    summary: EvaluationSummary, department: str, arranged: Decimal | None, spent: Decimal | None
) -> PortfolioRow:
    scored = summary.total is not None and not summary.unscored
    grade = UNSCORED if summary.unscored else (summary.grade if summary.total is not None else UNSCORABLE)
    return PortfolioRow(
        evaluation_id=summary.id,
        title=summary.title,
        project_id=summary.project_id,
        project_name=summary.project_name,
        department=department,
        year=summary.year,
        score=summary.total if scored else None,
        grade=grade,
        status=summary.status,
        arranged=arranged,
        spent=spent,
    )


def _with_overdue(row: PortfolioRow, counts: dict[str, int] | None) -> PortfolioRow:
    return row if counts is None else replace(row, overdue=counts.get(row.evaluation_id, 0))


def overdue_counts(
    uow: UnitOfWork, actor: Actor, rows: Sequence[PortfolioRow], today: date
) -> dict[str, int] | None:
    """Per evaluation id: the 整改 items it found (``source_evaluation``) still open past their
    deadline on ``today`` (``RectificationItem.overdue``); None when the actor may not read the
    整改台账 (shown as —, not 0).  One transaction, only the open items of these evaluations read."""
    counts: dict[str, int] = {}
    with uow:
        if RECTIFICATION_VIEW not in permissions_of(uow, actor):
            return None
        for stored in uow.rectification.open_found_by({r.evaluation_id for r in rows}):
            item = stored.item
            if item.overdue(today):
                counts[item.source_evaluation] = counts.get(item.source_evaluation, 0) + 1
    return counts


def export_workbook(uow: UnitOfWork, actor: Actor, view: Portfolio, sort: str = "得分") -> bytes:
    """The 总览 as a workbook (评价清单 in the order of ``sort``, 等级分布, 部门对比); the export is
    recorded in the audit log."""
    if sort not in SORTS:
        raise InvalidInput(f"无法按“{sort}”排序：可选 {'、'.join(SORTS)}")
    content = portfolio_workbook(view.title, sorted_rows(view.rows, sort), view.grades, view.departments)
    detail = f"{len(view.rows)} 项评价，{len(content)} 字节"
    record_access(uow, actor, "导出绩效评价总览", view.title, detail=detail)
    return content
