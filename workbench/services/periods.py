"""分年度绩效指标: a project's indicator targets for one year, edited on the 项目 page.

Each row is an indicator with its unit, 基期值, 年度目标值, 实际完成值 and 偏差说明.  An actual
that strays from its target by more than ``deviation_percent`` (indicators/multiyear.yaml) needs
a written explanation.  A period is locked once an evaluation of that project and year is 定稿
(or while it is under review; ``locked_years``): its targets and that year's ledger figures are
then refused with a message naming the evaluation.  Saves name the version they were based on and are audited.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from workbench.domain.ledger import Ledger
from workbench.domain.multiyear import PLACE, Period, ProjectPeriods
from workbench.domain.workflow import EDITABLE, LOCKED, ensure_editable
from workbench.errors import Conflict, InvalidInput, Problem
from workbench.formats.multiyear import load_multiyear_rules
from workbench.services.actors import Actor
from workbench.services.forms import parse
from workbench.services.kernel import check_version, fetch_for
from workbench.services.ports import Stamp, UnitOfWork
from workbench.services.trail import evaluation_object, record

COLUMNS = {
    "name": "绩效指标",
    "unit": "计量单位",
    "baseline": "基期值",
    "target": "年度目标值",
    "actual": "实际完成值",
    "explanation": "偏差说明",
}
LEDGER_ENTRIES = {"plan": "分年支付计划", "years": "年度资金", "spend_lines": "支出明细"}


@dataclass(frozen=True)
class PeriodForm:
    period: Period
    version: int  # 0 while nothing is stored for the year
    editable: bool
    locked: str  # why the period cannot be changed ("" when it can)
    threshold: str  # the deviation that needs an explanation, e.g. "10"


@dataclass(frozen=True)
class YearLock:
    """Why a year of a project cannot change: its evaluation is 定稿 (or under review)."""

    evaluation_id: str
    status: str

    def message(self, year: int, what: str) -> str:
        if self.status in LOCKED:
            return (
                f"{year}年度的{what}已随该年度评价“{self.evaluation_id}”定稿而锁定，不能修改；"
                "如确需修改，请先由有权限的人员将该评价“重新打开”"
            )
        return f"{year}年度的评价“{self.evaluation_id}”处于“{self.status}”状态（复核中），{year}年度的{what}暂不能修改"


def locked_years(uow: UnitOfWork, project_id: str, ignore: str = "") -> dict[int, YearLock]:
    """Year -> the evaluation that locks that year of the project: 定稿 first, else one under
    review (leaving out the evaluation ``ignore``)."""
    out: dict[int, YearLock] = {}
    for h in uow.evaluations.headers():
        if h.project != project_id or h.status in EDITABLE or h.id == ignore:
            continue
        if h.year not in out or h.status in LOCKED:
            out[h.year] = YearLock(h.id, h.status)
    return out


def open_period(uow: UnitOfWork, actor: Actor, evaluation_id: str) -> PeriodForm:
    """The targets of the evaluation's project for the evaluation's year, with their version."""
    with uow:
        ev = fetch_for(uow, actor, evaluation_id, "evaluation.view").evaluation
        found = uow.periods.get(ev.project, ev.year)
        period, version = (
            (found[0], found[1].version) if found else (Period(project=ev.project, year=ev.year), 0)
        )
        lock = locked_years(uow, ev.project).get(ev.year)
        locked = lock.message(ev.year, PLACE) if lock else ""
        threshold = format(load_multiyear_rules().deviation_percent.normalize(), "f")
        return PeriodForm(period, version, not lock and ev.status not in LOCKED, locked, threshold)


def save_period(
    uow: UnitOfWork,
    actor: Actor,
    evaluation_id: str,
    rows: Sequence[Mapping[str, Any]],
    expected_version: int,
) -> Stamp:
    """Check and store the year's targets (``rows`` as the form gives them); returns the new stamp."""
    with uow:
        stored = fetch_for(uow, actor, evaluation_id, "evaluation.score", PLACE)
        ev = stored.evaluation
        lock = locked_years(uow, ev.project).get(ev.year)
        if lock:
            raise Conflict(lock.message(ev.year, PLACE))
        ensure_editable(ev.status)
        period = period_from_rows(ev.project, ev.year, rows)
        found = uow.periods.get(ev.project, ev.year)
        check_version(found[1] if found else None, expected_version, f"{ev.year}年度的{PLACE}")
        stamp = uow.periods.save(period, expected_version, actor)
        before = found[0] if found else None
        record(
            uow, actor, f"修改{PLACE}", evaluation_object(evaluation_id, PLACE), before=before, after=period
        )
        uow.commit()
    return stamp


def period_from_rows(project_id: str, year: int, rows: Sequence[Mapping[str, Any]]) -> Period:
    """Form rows into a period: blank rows dropped, each problem naming its row and column, and
    a deviation beyond the threshold without an explanation refused naming the indicator."""
    kept = []
    for row in rows:
        cells = {k: str(v).strip() for k, v in row.items() if k in COLUMNS and v is not None}
        cells = {k: v for k, v in cells.items() if v}
        if cells:
            kept.append(cells)
    period = parse(Period, {"project": project_id, "year": year, "targets": kept}, f"{PLACE}·{year}年")
    problems = period.unexplained(load_multiyear_rules().deviation_percent)
    if problems:
        raise InvalidInput(problems)
    return period


def locked_ledger_changes(before: Ledger, after: Ledger, locked: Mapping[int, YearLock]) -> list[Problem]:
    """What a ledger save changes in a locked year (plan, funds or spend lines of that year)."""
    out = []
    for year, lock in sorted(locked.items()):
        for key, title in LEDGER_ENTRIES.items():
            old = [e.model_dump() for e in getattr(before, key) if e.year == year]
            new = [e.model_dump() for e in getattr(after, key) if e.year == year]
            if old != new:
                out.append(Problem(lock.message(year, f"资金台账（{title}）"), field=title))
    return out


def project_periods(uow: UnitOfWork, actor: Actor, evaluation_id: str) -> ProjectPeriods:
    """Every year's targets of the evaluation's project (what ``export-case`` writes)."""
    with uow:
        project = fetch_for(uow, actor, evaluation_id, "evaluation.view").evaluation.project
        found = (uow.periods.get(project, year) for year in uow.periods.years(project))
        return ProjectPeriods(periods=[f[0] for f in found if f is not None])


def check_imported(periods: ProjectPeriods, project_id: str, file: str) -> list[Problem]:
    """A case folder's targets checked as the form checks them: each of the case's own project,
    and no deviation beyond the threshold left unexplained."""
    threshold = load_multiyear_rules().deviation_percent
    problems = [
        Problem(f"{p.year}年的绩效指标属于项目“{p.project}”，不是本案例的项目“{project_id}”", field="project")
        for p in periods.periods
        if p.project != project_id
    ]
    problems += [problem for p in periods.periods for problem in p.unexplained(threshold)]
    return [problem.with_file(file) for problem in problems]


def store_imported(
    uow: UnitOfWork, actor: Actor, periods: ProjectPeriods, evaluation_id: str, file: str
) -> None:
    """Add a case folder's targets inside an open unit of work, after its project and evaluation
    (only evaluations stored before lock a year): a year stored the same is left as it is; a
    year stored otherwise, or locked by a 定稿 evaluation, refuses the whole import."""
    locks = {
        project: locked_years(uow, project, ignore=evaluation_id)
        for project in {p.project for p in periods.periods}
    }
    for period in periods.periods:
        found = uow.periods.get(period.project, period.year)
        if found is not None and found[0] == period:
            continue
        lock = locks[period.project].get(period.year)
        if lock:
            raise Conflict([Problem(lock.message(period.year, PLACE), file=file)])
        if found is not None:
            raise Conflict(
                [Problem(f"数据库中已有项目“{period.project}”{period.year}年的绩效指标，且与本文件不同："
                         "不能覆盖；请在“项目信息”中修改，或从案例文件夹中删去该年度后再导入", file=file)]
            )  # fmt: skip
        uow.periods.save(period, 0, actor)
        record(uow, actor, f"导入{PLACE}", evaluation_object(evaluation_id, PLACE), after=period, detail=file)
