"""The list of evaluations a picker offers: ids, projects, years and statuses, nothing scored.

The app draws its evaluation picker on every rerun of every page, so it reads header rows only
(the selected evaluation is loaded and scored by the page itself), and only one page of them
(``picker_page``: a search over title, project, year and id, at most ``PAGE_SIZE`` at a time),
so a bureau's thousands of evaluations cost the picker what a handful do.  The same permission
and project scope as ``list_evaluations`` apply.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from workbench.services.access import require, visible_projects
from workbench.services.actors import Actor
from workbench.services.ports import EvaluationHeader, UnitOfWork

SHORT_LABEL = 8  # characters of a name the sidebar shows whole at 1366 px
PAGE_SIZE = 50  # evaluations the picker offers at a time


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
    out, used = "", 0.0
    for ch in text:  # the width so far is summed as it goes (the picker cuts 50 labels a run)
        used += _width(ch)
        if used > room - 1:
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


@dataclass(frozen=True)
class PickerPage:
    """What the picker shows on one run: a page of the evaluations matching the search, how many
    match in all, those of the ids asked about that exist (the selection, the one pending, the
    one used last, the default) and the first evaluation of all (the fallback selection)."""

    options: list[EvaluationChoice]
    total: int
    offset: int
    known: dict[str, EvaluationChoice]
    first: str | None

    @property
    def has_more(self) -> bool:
        return self.offset + len(self.options) < self.total


def _choice(h: EvaluationHeader) -> EvaluationChoice:
    return EvaluationChoice(h.id, h.project_name or h.project, h.year, h.status, h.title)


def picker_page(
    uow: UnitOfWork,
    actor: Actor,
    search: str = "",
    offset: int = 0,
    wanted: Sequence[str | None] = (),
    size: int = PAGE_SIZE,
) -> PickerPage:
    """The page of evaluations the picker offers (newest year first), a few light queries
    whatever the number of evaluations."""
    with uow:
        require(uow, actor, "evaluation.view", what="评价列表")
        reachable = visible_projects(uow, actor)
        offset = max(offset, 0)
        headers, total = uow.evaluations.header_page(reachable, search, offset, size)
        if not headers and offset:  # the page ran past the end (evaluations were deleted)
            offset = max(total - size, 0)
            headers, total = uow.evaluations.header_page(reachable, search, offset, size)
        on_page = {h.id: h for h in headers}  # reachable, as every header of the page
        missing = [i for i in wanted if i and i not in on_page]
        asked = uow.evaluations.headers_of(missing) if missing else []
        known = [on_page[i] for i in wanted if i in on_page]
        known += [h for h in asked if reachable is None or h.project in reachable]
        first = (
            headers
            if offset == 0 and not search.strip()
            else uow.evaluations.header_page(reachable, "", 0, 1)[0]
        )
    return PickerPage(
        [_choice(h) for h in headers],
        total,
        offset,
        {h.id: _choice(h) for h in known},
        first[0].id if first else None,
    )


def page_of(given: Sequence[EvaluationChoice], offset: int, wanted: Sequence[str | None]) -> PickerPage:
    """``picker_page`` over choices already in hand (no search)."""
    options = list(given[offset : offset + PAGE_SIZE])
    known = {c.id: c for c in given if c.id in wanted}
    return PickerPage(options, len(given), offset, known, given[0].id if given else None)
