"""The evaluation aggregate: projects with their ledgers, indicator systems, grade bands and
evaluations with their scores, findings and recommendations.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from workbench.domain.evaluation import Evaluation, Finding, IndicatorScore, Recommendation
from workbench.domain.grading import BandSet
from workbench.domain.indicators import IndicatorSystem
from workbench.domain.ledger import Ledger
from workbench.domain.project import Project
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


class ProjectRepository(Protocol):
    def get(self, project_id: str) -> tuple[Project, Ledger] | None: ...
    def names(self) -> dict[str, str]: ...
    def many(self, project_ids: Collection[str]) -> dict[str, tuple[Project, Ledger]]:
        """The projects of ``project_ids`` that exist, read in one query (cached ones reused)."""

    def add(self, project: Project, ledger: Ledger, actor: Actor) -> None: ...
    def stamp(self, project_id: str) -> Stamp | None: ...
    def update(self, project: Project, ledger: Ledger, expected_version: int, actor: Actor) -> Stamp: ...


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
    def headers(self, evaluation_id: str | None = None) -> list[EvaluationHeader]:
        """Every evaluation's id, project (and its name), year and status — or only
        ``evaluation_id``'s — in one cheap query, for pickers and scope checks."""

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
