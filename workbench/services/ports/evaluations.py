"""The evaluation aggregate: projects with their ledgers, indicator systems, grade bands and
evaluations with their scores, findings and recommendations.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any, Literal, Protocol

from workbench.domain.evaluation import Evaluation, Finding, IndicatorScore, Recommendation
from workbench.domain.grading import BandSet
from workbench.domain.indicators import IndicatorSystem
from workbench.domain.ledger import Ledger
from workbench.domain.multiyear import Period
from workbench.domain.project import Project
from workbench.domain.scoring import LeafMemo, Scorecard, score_evaluation
from workbench.errors import InvalidInput
from workbench.services.actors import Actor
from workbench.services.ports.stamps import Stamp

ItemKind = Literal["findings", "recommendations"]


Item = Finding | Recommendation


ITEM_LABELS: Mapping[ItemKind, str] = {"findings": "问题", "recommendations": "建议"}


@dataclass(frozen=True)
class Versions:
    """Versions of an evaluation's parts as they were loaded; pass them back when saving."""

    evaluation: Stamp
    scores: Mapping[str, Stamp] = field(default_factory=dict)
    findings: Mapping[str, Stamp] = field(default_factory=dict)
    recommendations: Mapping[str, Stamp] = field(default_factory=dict)

    def of_score(self, code: str) -> int:
        """The version to pass to ``save_score`` (0 when the indicator has no score yet)."""
        stamp = self.scores.get(code)
        return stamp.version if stamp else 0

    def of_item(self, kind: ItemKind, item_id: str) -> int:
        stamp = getattr(self, kind).get(item_id)
        return stamp.version if stamp else 0


@dataclass(frozen=True)
class StoredEvaluation:
    evaluation: Evaluation
    versions: Versions


@dataclass(frozen=True)
class EvaluationHeader:
    """An evaluation as a list of choices shows it: no scores, findings or documents."""

    id: str
    project: str
    year: int
    status: str
    project_name: str = ""  # the project's name ("" when the project row is missing)
    title: str = ""  # the evaluation's own name ("" when none was given)


UNSCORABLE = "无法计分"  # the grade of an evaluation whose stored scores cannot be scored


@dataclass(frozen=True)
class Totals:
    """An evaluation's headline figures as its scorecard gives them, kept with the evaluation
    (``grade`` is ``UNSCORABLE`` and the totals None when its stored scores cannot be scored)."""

    total: Decimal | None
    declared_total: Decimal | None
    grade: str
    complete: bool
    unscored: bool
    scored_count: int

    @classmethod
    def of(cls, card: Scorecard | None) -> Totals:
        """The totals of ``card`` (None: the scores cannot be scored)."""
        if card is None:
            return cls(None, None, UNSCORABLE, False, False, 0)
        scored = sum(1 for leaf in card.leaves() if leaf.status == "scored")
        return cls(card.total, card.declared_total, card.grade, card.complete, scored == 0, scored)

    @classmethod
    def scored(
        cls, system: IndicatorSystem, evaluation: Evaluation, bands: BandSet, leaves: LeafMemo | None = None
    ) -> Totals:
        """Score ``evaluation`` and keep its totals (``UNSCORABLE`` when it cannot be scored)."""
        try:
            return cls.of(score_evaluation(system, evaluation, bands, leaves=leaves))
        except InvalidInput:
            return cls.of(None)


@dataclass(frozen=True)
class EvaluationListing:
    """One evaluation as a list shows it, read in one query with its stored totals (``totals``
    None when they were never computed, e.g. a row restored from an old backup)."""

    id: str
    title: str
    project_id: str
    project_name: str
    year: int
    system_id: str
    system_name: str
    status: str
    updated_at: datetime
    updated_by: str
    version: int
    totals: Totals | None


class ProjectRepository(Protocol):
    def get(self, project_id: str) -> tuple[Project, Ledger] | None: ...
    def names(self) -> dict[str, str]: ...
    def many(self, project_ids: Collection[str]) -> dict[str, tuple[Project, Ledger]]:
        """The projects of ``project_ids`` that exist, read in one query (cached ones reused)."""

    def add(self, project: Project, ledger: Ledger, actor: Actor) -> None: ...
    def stamp(self, project_id: str) -> Stamp | None: ...
    def update(self, project: Project, ledger: Ledger, expected_version: int, actor: Actor) -> Stamp: ...


class PeriodRepository(Protocol):
    """A project's indicator targets per year (``project_periods``)."""

    def get(self, project_id: str, year: int) -> tuple[Period, Stamp] | None: ...
    def years(self, project_id: str) -> list[int]: ...
    def save(self, period: Period, expected_version: int, actor: Actor) -> Stamp:
        """Insert (expected 0) or replace a period's targets (``Conflict`` when stale)."""


class SystemRepository(Protocol):
    """Indicator systems are immutable once stored: there is add, never update."""

    def get(self, system_id: str) -> IndicatorSystem | None: ...
    def all(self) -> list[IndicatorSystem]: ...
    def add(self, system: IndicatorSystem, actor: Actor) -> None: ...


class BandSetRepository(Protocol):
    def get(self, band_set_id: str) -> BandSet | None: ...
    def all(self) -> list[BandSet]: ...
    def add(self, band_set: BandSet, actor: Actor) -> None: ...


class EvaluationRepository(Protocol):
    def get(self, evaluation_id: str) -> StoredEvaluation | None: ...
    def remember(self, stored: StoredEvaluation) -> None:
        """After a commit: the evaluation as this unit of work left it, for the next reader."""

    def all(self) -> list[StoredEvaluation]: ...
    def headers(
        self, evaluation_id: str | None = None, statuses: Collection[str] | None = None
    ) -> list[EvaluationHeader]:
        """Every evaluation's id, project (and its name), year and status — or only
        ``evaluation_id``'s, or only those in ``statuses`` — in one cheap query."""

    def listings(
        self,
        projects: Collection[str] | None = None,
        search: str = "",
        offset: int = 0,
        limit: int | None = None,
        statuses: Collection[str] | None = None,
    ) -> list[EvaluationListing]:
        """Every evaluation (or those of ``projects``, in ``statuses``, whose title, project name,
        year or id contains ``search``; ``limit`` of them from ``offset``) with its names and
        stored totals, newest year first, in one query: no scores are read."""

    def count(
        self,
        projects: Collection[str] | None = None,
        search: str = "",
        statuses: Collection[str] | None = None,
    ) -> int:
        """How many evaluations ``listings`` would give without a limit."""

    def keep_totals(self, evaluation_id: str, totals: Totals) -> None:
        """The totals the caller just computed for the evaluation as this unit of work leaves
        it (given before the write that leaves it so, which stores them along); used unless
        someone else wrote to it in between (then it is re-scored on commit)."""

    def refresh_totals(self, evaluation_id: str) -> None:
        """Re-score the evaluation on commit and store its totals (repair, restore)."""

    def header_page(
        self, projects: Collection[str] | None, search: str, offset: int, limit: int
    ) -> tuple[list[EvaluationHeader], int]:
        """One page of the headers (of ``projects``' evaluations) whose title, project name, year
        or id contains ``search``, newest year first, with how many match in all."""

    def headers_of(self, ids: Collection[str]) -> list[EvaluationHeader]:
        """The headers of those of ``ids`` that exist."""

    def status_of(
        self,
        ids: Collection[str] | None = None,
        statuses: Collection[str] | None = None,
        projects: Collection[str] | None = None,
    ) -> dict[str, str]:
        """The status of each evaluation (of ``ids``, in ``statuses``, of ``projects``; None: any),
        by id in id order, read from the columns alone (no document is parsed)."""

    def ids_from(self, prefix: str) -> set[str]:
        """The ids of the evaluations whose id starts with ``prefix``."""

    def titles_from(self, prefix: str, project: str | None = None) -> set[str]:
        """The names (title, else the project's name) starting with ``prefix`` of the evaluations
        (of ``project``'s)."""

    def delete(self, evaluation_id: str, expected_version: int) -> None:
        """Remove the evaluation with its scores, findings, recommendations, self-evaluation and
        panel (``Conflict`` when its header is no longer ``expected_version``)."""

    def add(self, evaluation: Evaluation, actor: Actor) -> None:
        """Store a new evaluation with all its scores, findings and recommendations."""

    def save_header(self, evaluation: Evaluation, expected_version: int, actor: Actor) -> Stamp:
        """Save every field but scores, findings and recommendations."""

    def save_score(
        self,
        evaluation_id: str,
        code: str,
        score: IndicatorScore | None,
        expected_version: int,
        actor: Actor,
    ) -> Stamp | None:
        """Insert (expected 0), update, or delete (``score`` None) one indicator's score."""

    def save_item(
        self, evaluation_id: str, kind: ItemKind, item: Item, expected_version: int, actor: Actor
    ) -> Stamp:
        """Insert (expected 0, appended last) or update a finding or recommendation."""

    def delete_item(
        self, evaluation_id: str, kind: ItemKind, item_id: str, expected_version: int, actor: Actor
    ) -> None: ...

    def reorder(self, evaluation_id: str, kind: ItemKind, ids: Sequence[str], actor: Actor) -> None:
        """Put the findings (or recommendations) in the order of ``ids`` (all of them)."""


@dataclass(frozen=True)
class StoredDoc:
    """One stored JSON document read without its domain model (``storage.stored_docs``): which
    row and column, its place in the trade's words ("资金台账", "评分 A22"), its content."""

    table: str
    column: str
    key: dict[str, str]
    place: str
    doc: Any


class StoredDocRepository(Protocol):
    """Stored documents as raw JSON, for finding and repairing values stored before the limits."""

    def evaluation_ids(self) -> list[str]: ...
    def of_evaluation(self, evaluation_id: str) -> list[StoredDoc]: ...
    def rewrite(self, stored: StoredDoc, doc: Any, evaluation_id: str, actor: Actor) -> None: ...
