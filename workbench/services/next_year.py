"""下一年度评价: the next year's evaluation of a project, started from last year's 定稿 one.

The new evaluation is a 草稿 of the same project for the later year, on the same indicator system
and bands (still editable through the system editor), with last year's header copied (the year
in its opening and purpose updated, a fresh title) and no scores, findings or recommendations.
It records its prior (``prior_evaluation``); last year's period actuals become this year's
baselines, and last year's findings are carried as 整改 items (``rectification.carry_over``) — all
in one transaction, audited.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from workbench.domain.evaluation import Evaluation
from workbench.errors import Conflict, InvalidInput
from workbench.services import rectification
from workbench.services.access import require
from workbench.services.actors import Actor
from workbench.services.cases import audit_summary, stored_project_name
from workbench.services.forms import free_id, parse
from workbench.services.kernel import fetch_for
from workbench.services.ports import UnitOfWork
from workbench.services.trail import evaluation_object, record

PLACE = "下一年度评价"
# What a new year does not inherit: last year's judgement, its corrections and its signing date.
NOT_CARRIED = {
    "frozen",
    "scores",
    "findings",
    "recommendations",
    "ledger_decisions",
    "source_edits",
    "reconstructed",
    "written",
}
YEAR_TEXTS = ("intro", "purpose")


def next_year(
    uow: UnitOfWork,
    actor: Actor,
    evaluation_id: str,
    year: int,
    new_id: str | None = None,
    *,
    today: date | None = None,
) -> str:
    """Start ``year``'s evaluation of the project of the 定稿 evaluation ``evaluation_id``;
    returns the new evaluation's id."""
    with uow:
        require(uow, actor, "evaluation.create", what=evaluation_object(evaluation_id, PLACE))
        source = fetch_for(uow, actor, evaluation_id, "evaluation.view", PLACE).evaluation
        require(
            uow, actor, "evaluation.create", project=source.project, what=evaluation_object(evaluation_id)
        )
        _check_allowed(uow, source, year)
        chosen = new_id.strip() if new_id and new_id.strip() else _free_id(uow, source.project, year)
        if uow.evaluations.get(chosen) is not None:
            raise Conflict(f"评价记录“{chosen}”已存在，请换一个编号")
        evaluation = parse(
            Evaluation, _header(source, chosen, year, stored_project_name(uow, source.project)), PLACE
        )
        uow.evaluations.add(evaluation, actor)
        carried_targets = _carry_period(uow, actor, source.project, source.year, year)
        items = rectification.carry_over(uow, actor, source.id, chosen, today=today or date.today())
        detail = f"上年度评价 {source.id}（{source.year}年）；结转整改事项 {len(items)} 项；基期值 {carried_targets} 项"
        record(
            uow,
            actor,
            PLACE,
            evaluation_object(chosen),
            after={**audit_summary(evaluation), "prior_evaluation": evaluation.prior_evaluation},
            detail=detail,
        )
        uow.commit()
    return chosen


def _check_allowed(uow: UnitOfWork, source: Evaluation, year: int) -> None:
    if source.status != "定稿":
        raise Conflict(f"只有已定稿的评价才能开始下一年度评价；评价“{source.id}”当前为“{source.status}”")
    if year <= source.year:
        raise InvalidInput(f"下一年度须晚于上年度评价的年度（{source.year}年），现为 {year} 年")
    if year > 2100:
        raise InvalidInput(f"年度 {year} 超出范围（1990—2100）")
    same = [h.id for h in uow.evaluations.headers() if h.project == source.project and h.year == year]
    if same:
        raise Conflict(f"该项目已有 {year} 年度的评价“{'、'.join(same)}”，不能再开始一份")


def _free_id(uow: UnitOfWork, project_id: str, year: int) -> str:
    base = f"{project_id}-{year}-eval"
    return free_id(base, lambda i: uow.evaluations.get(i) is not None)


def _header(source: Evaluation, new_id: str, year: int, project_name: str) -> dict[str, Any]:
    data = source.model_dump(exclude=NOT_CARRIED)
    for key in YEAR_TEXTS:
        data[key] = data[key].replace(f"{source.year}年", f"{year}年")
    data["evaluator"]["unnamed"] = ""  # why last year's report named no one says nothing of this year's
    data.update(
        id=new_id,
        year=year,
        status="草稿",
        title=f"{year}年度{project_name}绩效评价报告",
        prior_evaluation=source.id,
    )
    return data


def _carry_period(uow: UnitOfWork, actor: Actor, project_id: str, last: int, year: int) -> int:
    """Last year's actuals as this year's baselines, unless this year's targets exist already."""
    found = uow.periods.get(project_id, last)
    if found is None or uow.periods.get(project_id, year) is not None:
        return 0
    period = found[0].next_year(year)
    uow.periods.save(period, 0, actor)
    return len(period.targets)
