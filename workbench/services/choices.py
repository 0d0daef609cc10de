"""The list of evaluations a picker offers: ids, projects, years and statuses, nothing scored.

The app draws its evaluation picker on every rerun of every page; ``list_evaluations`` loads and
scores every evaluation for that, which grows with the database.  This reads one header row per
evaluation instead, with its project's name, in one query (the selected evaluation is loaded and
scored by the page itself).  The same permission and project scope as ``list_evaluations`` apply.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from workbench.services.access import require, visible_projects
from workbench.services.actors import Actor
from workbench.services.ports import UnitOfWork

SHORT_LABEL = 8  # characters of a name the sidebar shows whole at 1366 px


@dataclass(frozen=True)
class EvaluationChoice:
    id: str
    project_name: str
    year: int
    status: str
    title: str = ""

    @property
    def name(self) -> str:
        """The evaluation's name: its title, or its project's name when it has none."""
        return self.title or self.project_name

    @property
    def label(self) -> str:
        return f"{self.year} · {self.name}（{self.status}）"

    def short_label(self, width: int = SHORT_LABEL) -> str:
        """The label cut to fit the sidebar at 1366 px: the year and "…评价报告" words the label
        says anyway are dropped, a copy keeps its number (" 副本2") and the rest of the name gives way."""
        base, number = _COPY.match(self.name).groups("")  # type: ignore[union-attr]
        base = _BOILERPLATE.sub("", base) or base
        copy = f" 副本{number}" if number else ""
        return f"{self.year} {_cut(base, max(width - _width(copy), 4))}{copy}（{self.status}）"


def _width(text: str) -> float:
    """Width in Chinese characters: a Latin letter or digit is half of one."""
    return sum(1 if unicodedata.east_asian_width(ch) in "WF" else 0.5 for ch in text)


def _cut(text: str, room: float) -> str:
    if _width(text) <= room:
        return text
    out = ""
    for ch in text:
        if _width(out + ch) > room - 1:
            break
        out += ch
    return f"{out}…"


_COPY = re.compile(r"^(.*?)(?:（副本 (\d+)）)?$", re.S)
_BOILERPLATE = re.compile(r"^\d{4}\s*年度?|(资金)?(绩效)?评价(报告)?$")


def evaluation_choices(uow: UnitOfWork, actor: Actor) -> list[EvaluationChoice]:
    """Every evaluation the actor may see, newest year first."""
    with uow:
        require(uow, actor, "evaluation.view", what="评价列表")
        reachable = visible_projects(uow, actor)
        headers = [h for h in uow.evaluations.headers() if reachable is None or h.project in reachable]
    choices = [
        EvaluationChoice(h.id, h.project_name or h.project, h.year, h.status, h.title) for h in headers
    ]
    return sorted(choices, key=lambda c: (-c.year, c.id))
