"""A project's trend across its years (``workbench trend`` and the 历年趋势 page): each year's
scores from its stored evaluation (scored as every page scores it, ``kernel.case_of``), the
ledger's 执行率 and payments against the plan, and the 整改 items of each year from the 台账
(when the reader may see it)."""

from __future__ import annotations

from datetime import date

from workbench.domain.scoring import Scorecard
from workbench.domain.trend import ProjectTrend, Scored, build_trend
from workbench.errors import InvalidInput
from workbench.services import rectification
from workbench.services.access import permissions_of, require
from workbench.services.actors import Actor
from workbench.services.forms import required
from workbench.services.kernel import case_of
from workbench.services.ports import StoredEvaluation, UnitOfWork


def _scored(uow: UnitOfWork, stored: StoredEvaluation) -> Scored:
    try:
        card: Scorecard | None = case_of(uow, stored).scorecard()
    except InvalidInput:
        card = None
    rank = (stored.evaluation.status == "定稿", stored.versions.evaluation.updated_at.timestamp())
    return stored.evaluation, card, rank


def project_trend(
    uow: UnitOfWork, actor: Actor, project_id: str, *, today: date | None = None
) -> ProjectTrend:
    """Every year of ``project_id``: its evaluations' scores, the ledger's figures, its 整改 items."""
    with uow:
        require(uow, actor, "evaluation.view", project=project_id, what=f"项目 {project_id}")
        project, ledger = required(uow.projects.get(project_id), f"找不到项目“{project_id}”")
        ids = [row.id for row in uow.evaluations.listings([project_id])]  # this project's only
        stored = [s for s in map(uow.evaluations.get, ids) if s is not None]
        scored = [_scored(uow, s) for s in stored]
        sees_items = rectification.VIEW in permissions_of(uow, actor)
    items = rectification.items_of_project(uow, actor, project_id) if sees_items else None
    return build_trend(project_id, project.name, ledger, scored, items, today or date.today())
