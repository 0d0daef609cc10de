"""Evaluations listed with their stored totals, and the totals kept up to date.

Each evaluation row carries its scorecard's headline figures (``total``, ``grade``, ...).  A list
of evaluations reads them in one query (``listings``) and never loads or scores an evaluation.
The repository marks an evaluation whenever a write can move its figures (a score saved or
cleared, a new or copied evaluation, a header change — system, bands, 不适用 policy) and the unit
of work calls ``write_totals`` just before it commits, so the figures change in the same
transaction as what they are computed from.  A service that has just scored the evaluation hands
its figures over (``keep_totals``, before its write: the statement that renews the evaluation's
tag stores them too); they are used only when nobody else wrote to the evaluation in
between, else the evaluation is scored again from what the database holds at that moment — after
this transaction's own writes, which hold the row, so a concurrent save of another indicator is
waited for and counted.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from workbench.caching import Caches
from workbench.domain.evaluation import Evaluation
from workbench.domain.grading import BandSet
from workbench.domain.indicators import IndicatorSystem
from workbench.errors import InvalidInput
from workbench.services.ports import EvaluationHeader, EvaluationListing, Totals
from workbench.storage.tables import EvaluationRow, ProjectRow, SystemRow, aware

TITLE = EvaluationRow.header["title"].as_string()
CHUNK = 500  # ids per IN list of one query


def chunks(ids: Collection[str]) -> list[list[str]]:
    """``ids`` sorted, in lists of at most ``CHUNK`` (a bounded IN list per query)."""
    ordered = sorted(ids)
    return [ordered[start : start + CHUNK] for start in range(0, len(ordered), CHUNK)]


# Every evaluation with its names and stored totals: what a list shows, in one query.
_LISTINGS = (
    sa.select(
        EvaluationRow.id,
        sa.func.coalesce(TITLE, "").label("title"),
        EvaluationRow.project_id,
        sa.func.coalesce(ProjectRow.name, EvaluationRow.project_id).label("project_name"),
        EvaluationRow.year,
        EvaluationRow.system_id,
        sa.func.coalesce(SystemRow.name, EvaluationRow.system_id).label("system_name"),
        EvaluationRow.status,
        EvaluationRow.updated_at,
        EvaluationRow.updated_by,
        EvaluationRow.version,
        EvaluationRow.total,
        EvaluationRow.declared_total,
        EvaluationRow.grade,
        EvaluationRow.complete,
        EvaluationRow.unscored,
        EvaluationRow.scored_count,
    )
    .select_from(EvaluationRow)
    .outerjoin(ProjectRow, ProjectRow.id == EvaluationRow.project_id)
    .outerjoin(SystemRow, SystemRow.id == EvaluationRow.system_id)
    .order_by(EvaluationRow.year.desc(), EvaluationRow.id)
)

_PROJECT = ProjectRow.id == EvaluationRow.project_id
HEADER_COLUMNS = (
    sa.select(
        EvaluationRow.id,
        EvaluationRow.project_id,
        EvaluationRow.year,
        EvaluationRow.status,
        sa.func.coalesce(ProjectRow.name, ""),
        EvaluationRow.etag,  # the title comes from ``Caches.titles`` by (id, etag), else is read
    )
    .select_from(EvaluationRow)
    .outerjoin(ProjectRow, _PROJECT)
)


def _page_of_all() -> sa.Select[str, str, int, str, str, str | None]:
    """One page of every evaluation's header (``w_offset``, ``w_limit``), on the tables: the
    page is chosen on the columns before the header document, as in ``header_page``."""
    evaluations, projects = EvaluationRow.__table__.c, ProjectRow.__table__.c
    order = (evaluations.year.desc(), evaluations.id)
    page = (
        sa.select(evaluations.id)
        .order_by(*order)
        .offset(sa.bindparam("w_offset", type_=sa.Integer))
        .limit(sa.bindparam("w_limit", type_=sa.Integer))
        .subquery()
    )
    columns = (evaluations.id, evaluations.project_id, evaluations.year, evaluations.status)
    return (
        sa.select(*columns, sa.func.coalesce(projects.name, ""), evaluations.etag)
        .select_from(EvaluationRow.__table__)
        .join(page, page.c.id == evaluations.id)
        .outerjoin(ProjectRow.__table__, projects.id == evaluations.project_id)
        .order_by(*order)
    )


_PAGE_OF_ALL = _page_of_all()
# An evaluation's name as lists show it: its title, else its project's name.
_NAME = sa.func.coalesce(sa.func.nullif(TITLE, ""), ProjectRow.name, "")


def _listing(row: Any) -> EvaluationListing:
    totals = None
    if row.grade is not None:
        counted = row.scored_count or 0
        totals = Totals(
            row.total, row.declared_total, row.grade, bool(row.complete), bool(row.unscored), counted
        )
    at = aware(row.updated_at)
    assert at is not None
    names = (row.id, row.title, row.project_id, row.project_name, row.year, row.system_id, row.system_name)
    return EvaluationListing(*names, row.status, at, row.updated_by, row.version, totals)


def _matching(
    projects: Collection[str] | None, search: str, statuses: Collection[str] | None
) -> list[sa.ColumnElement[bool]]:
    """The conditions of a list: within ``projects``, in ``statuses``, and ``search`` found in the
    title, the project's name, the year or the id (ignoring case)."""
    found: list[sa.ColumnElement[bool]] = []
    if projects is not None:
        found.append(EvaluationRow.project_id.in_(list(projects)))
    if statuses is not None:
        found.append(EvaluationRow.status.in_(list(statuses)))
    words = search.strip()
    if words:
        found.append(
            sa.or_(
                TITLE.icontains(words, autoescape=True),
                ProjectRow.name.icontains(words, autoescape=True),
                sa.cast(EvaluationRow.year, sa.String).contains(words, autoescape=True),
                EvaluationRow.id.icontains(words, autoescape=True),
            )
        )
    return found


Loaded = tuple[Evaluation, IndicatorSystem | None, BandSet | None]


class StoredTotals:
    """The listing and totals part of ``SqlEvaluations`` (which provides ``_load_for_totals``)."""

    session: Session
    caches: Caches

    def __init__(self) -> None:
        self._dirty: set[str] = set()  # evaluations whose totals must be written before commit
        self._unbroken: set[str] = set()  # ... that only this unit of work wrote since it read them
        self._kept: dict[str, Totals] = {}  # ... with the totals a service computed for them

    def _load_for_totals(self, evaluation_id: str) -> Loaded | None:
        raise NotImplementedError

    def listings(
        self,
        projects: Collection[str] | None = None,
        search: str = "",
        offset: int = 0,
        limit: int | None = None,
        statuses: Collection[str] | None = None,
    ) -> list[EvaluationListing]:
        query = _LISTINGS.where(*_matching(projects, search, statuses))
        if limit is not None:
            query = query.offset(offset).limit(limit)
        return [_listing(row) for row in self.session.execute(query)]

    def count(
        self,
        projects: Collection[str] | None = None,
        search: str = "",
        statuses: Collection[str] | None = None,
    ) -> int:
        joined = sa.select(EvaluationRow.id).select_from(EvaluationRow)
        if search.strip():  # only a search looks at the project's name
            joined = joined.outerjoin(ProjectRow, _PROJECT)
        matching = joined.where(*_matching(projects, search, statuses)).subquery()
        return self.session.scalar(sa.select(sa.func.count()).select_from(matching)) or 0

    def header_page(
        self, projects: Collection[str] | None, search: str, offset: int, limit: int
    ) -> tuple[list[EvaluationHeader], int]:
        # The page is chosen on the columns stored before the header document, then only its rows
        # are read whole: a column after the document (the etag, the totals) costs reading the
        # document's overflow pages, which for every row of a bureau's database took longer than the rest.
        if projects is None and not search.strip():  # what the picker asks on every page run
            return self._page_of_all(offset, limit)
        order = (EvaluationRow.year.desc(), EvaluationRow.id)
        page = (
            sa.select(EvaluationRow.id)
            .select_from(EvaluationRow)
            .outerjoin(ProjectRow, _PROJECT)
            .where(*_matching(projects, search, None))
            .order_by(*order)
            .offset(offset)
            .limit(limit)
            .subquery()
        )
        query = HEADER_COLUMNS.join(page, page.c.id == EvaluationRow.id).order_by(*order)
        headers = self.headers_in(query)
        if len(headers) < limit and (headers or offset == 0):  # the last page: its end is the count
            return headers, offset + len(headers)
        return headers, self.count(projects, search)

    def _page_of_all(self, offset: int, limit: int) -> tuple[list[EvaluationHeader], int]:
        """``header_page`` of every evaluation (no filter), by a statement built once."""
        headers = self.headers_in(_PAGE_OF_ALL, {"w_offset": offset, "w_limit": limit})
        if len(headers) < limit and (headers or offset == 0):
            return headers, offset + len(headers)
        return headers, self.count(None, "")

    def headers_of(self, ids: Collection[str]) -> list[EvaluationHeader]:
        return self.headers_in(HEADER_COLUMNS.where(EvaluationRow.id.in_(list(ids))))

    def headers_in(
        self, query: sa.Select[str, str, int, str, str, str | None], params: dict[str, Any] | None = None
    ) -> list[EvaluationHeader]:
        """The headers of the rows ``query`` (``HEADER_COLUMNS`` narrowed) selects, in its order."""
        rows = self.session.execute(query, params).all()
        titles = self._titles([(row[0], row[5]) for row in rows])
        return [EvaluationHeader(i, p, y, s, n, titles.get(i, "")) for i, p, y, s, n, _ in rows]

    def _titles(self, tagged: list[tuple[str, str | None]]) -> dict[str, str]:
        """The title of each (id, etag): from the cache while the tag is the same, the others
        read in a query of their own — only theirs: the title is inside the header document,
        which the database parses row by row (at 2,400 evaluations, every page's picker spent
        more on parsing headers than on anything else)."""
        found: dict[str, str] = {}
        missing = []
        for evaluation_id, etag in tagged:
            title = self.caches.titles.get((evaluation_id, etag)) if etag else None
            if title is None:
                missing.append(evaluation_id)
            else:
                found[evaluation_id] = title
        for chunk in chunks(missing):
            query = sa.select(EvaluationRow.id, EvaluationRow.etag, TITLE).where(EvaluationRow.id.in_(chunk))
            for evaluation_id, etag, title in self.session.execute(query):
                found[evaluation_id] = title or ""
                if etag:
                    self.caches.titles.put((evaluation_id, etag), title or "")
        return found

    def status_of(
        self,
        ids: Collection[str] | None = None,
        statuses: Collection[str] | None = None,
        projects: Collection[str] | None = None,
    ) -> dict[str, str]:
        query = sa.select(EvaluationRow.id, EvaluationRow.status).where(*_matching(projects, "", statuses))
        if ids is None:
            return dict(self.session.execute(query.order_by(EvaluationRow.id)).all())
        found: dict[str, str] = {}
        for chunk in chunks(ids):
            found.update(self.session.execute(query.where(EvaluationRow.id.in_(chunk))).all())
        return {i: found[i] for i in sorted(found)}

    def ids_from(self, prefix: str) -> set[str]:
        query = sa.select(EvaluationRow.id).where(EvaluationRow.id.startswith(prefix, autoescape=True))
        return set(self.session.scalars(query))

    def titles_from(self, prefix: str, project: str | None = None) -> set[str]:
        query = (
            sa.select(_NAME)
            .select_from(EvaluationRow)
            .outerjoin(ProjectRow, ProjectRow.id == EvaluationRow.project_id)
            .where(_NAME.startswith(prefix, autoescape=True))
        )
        if project is not None:  # by the project's index: a handful of rows, not every title
            query = query.where(EvaluationRow.project_id == project)
        return set(self.session.scalars(query))

    def keep_totals(self, evaluation_id: str, totals: Totals) -> None:
        self._kept[evaluation_id] = totals

    def refresh_totals(self, evaluation_id: str) -> None:
        self._dirty.add(evaluation_id)
        self._unbroken.discard(evaluation_id)

    def write_totals(self) -> None:
        """Before the commit: store the totals of every evaluation marked in this unit of work."""
        dirty, self._dirty = self._dirty, set()
        for evaluation_id in sorted(dirty):
            kept = self._kept.get(evaluation_id)
            if kept is None or evaluation_id not in self._unbroken:
                kept = self._rescored(evaluation_id)
            if kept is not None:
                self.session.execute(
                    sa.update(EvaluationRow)
                    .where(EvaluationRow.id == evaluation_id)
                    .values(**dataclasses.asdict(kept)),
                    execution_options={"synchronize_session": False},
                )
        self._kept.clear()

    def _rescored(self, evaluation_id: str) -> Totals | None:
        """The totals of the evaluation as stored now (None when it is gone)."""
        try:
            loaded = self._load_for_totals(evaluation_id)
        except InvalidInput:  # a document the models refuse today (workbench db repair)
            return Totals.of(None)
        if loaded is None:
            return None
        ev, system, bands = loaded
        if system is None or bands is None:
            return Totals.of(None)
        return Totals.scored(system, ev, bands, self.caches.leaves)
