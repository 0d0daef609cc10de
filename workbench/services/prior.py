"""The prior year of an evaluation: last year's evaluation and the 整改 items carried into this
one — what the report's 上年度评价发现问题整改情况 prints and what a case folder carries
(``rectification.yaml``), read back on import.
"""

from __future__ import annotations

from workbench.domain.evaluation import Evaluation
from workbench.domain.multiyear import PriorYear
from workbench.errors import InvalidInput, Problem
from workbench.services import rectification
from workbench.services.actors import Actor
from workbench.services.forms import free_id
from workbench.services.ports import UnitOfWork


def prior_year(uow: UnitOfWork, actor: Actor, evaluation: Evaluation) -> PriorYear | None:
    """The prior year with the 整改 items carried into ``evaluation`` (None when it continues no
    earlier evaluation).  Opens its own units of work."""
    if not evaluation.prior_evaluation:
        return None
    with uow:
        found = uow.evaluations.headers(evaluation.prior_evaluation)
    title = found[0].title if found else ""
    year = found[0].year if found else evaluation.year - 1
    items = rectification.items_for_evaluation(uow, actor, evaluation.id)
    return PriorYear(evaluation=evaluation.prior_evaluation, year=year, title=title, items=items)


def store_prior(uow: UnitOfWork, actor: Actor, prior: PriorYear, evaluation: Evaluation, file: str) -> int:
    """Inside an open unit of work: the imported evaluation's 整改 items, carried into it.  The
    prior evaluation must be stored first (the items name it); an item id already taken gets the
    next free one.  Returns how many were stored."""
    problems = []
    if evaluation.prior_evaluation != prior.evaluation:
        problems.append(
            Problem(
                f"上年度评价“{prior.evaluation}”与评价记录的 prior_evaluation“{evaluation.prior_evaluation}”不一致",
                file=file,
                field="evaluation",
            )
        )
    elif uow.evaluations.get(prior.evaluation) is None:
        problems.append(
            Problem(
                f"上年度评价“{prior.evaluation}”不在数据库中：请先导入上年度评价的案例文件夹，再导入本年度评价",
                file=file,
                field="evaluation",
            )
        )
    problems += [
        Problem(f"第 {n} 项整改事项属于项目“{i.project}”，与本评价的项目不一致", file=file, field="project")
        for n, i in enumerate(prior.items, start=1)
        if i.project != evaluation.project
    ]
    if problems:
        raise InvalidInput(problems)
    for position, item in enumerate(prior.items):
        item_id = free_id(item.id, lambda i: uow.rectification.get(i) is not None)
        moved = item.model_copy(update={"id": item_id, "evaluation": evaluation.id})
        uow.rectification.add(moved, position, actor)
    return len(prior.items)
