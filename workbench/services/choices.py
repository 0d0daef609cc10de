"""The list of evaluations a picker offers: ids, projects, years and statuses, nothing scored.

The app draws its evaluation picker on every rerun of every page; ``list_evaluations`` loads and
scores every evaluation for that, which grows with the database.  This reads one header row per
evaluation instead, with its project's name, in one query (the selected evaluation is loaded and
scored by the page itself).  The same permission and project scope as ``list_evaluations`` apply.
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.services.access import require, visible_projects
from workbench.services.actors import Actor
from workbench.services.ports import UnitOfWork


@dataclass(frozen=True)
class EvaluationChoice:
    id: str
    project_name: str
    year: int
    status: str

    @property
    def label(self) -> str:
        return f"{self.year} · {self.project_name}（{self.status}）"


def evaluation_choices(uow: UnitOfWork, actor: Actor) -> list[EvaluationChoice]:
    """Every evaluation the actor may see, newest year first."""
    with uow:
        require(uow, actor, "evaluation.view", what="评价列表")
        reachable = visible_projects(uow, actor)
        headers = [h for h in uow.evaluations.headers() if reachable is None or h.project in reachable]
    choices = [EvaluationChoice(h.id, h.project_name or h.project, h.year, h.status) for h in headers]
    return sorted(choices, key=lambda c: (-c.year, c.id))
