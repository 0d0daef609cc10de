"""The review aggregates: the unit's self-evaluation with the evaluator's reconciliation notes
(核对说明), and expert panels with their sheets.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any, Protocol

from workbench.domain.panel import PanelMethod
from workbench.domain.selfeval import SelfEvaluation
from workbench.services.actors import Actor
from workbench.services.ports.stamps import Stamp


@dataclass(frozen=True)
class StoredSelfEvaluation:
    form: SelfEvaluation
    stamp: Stamp
    submitted: bool = False
    submitted_at: datetime | None = None
    submitted_by: str = ""
    returned_reason: str = ""  # the evaluation team's reason when it last sent the form back
    returned_at: datetime | None = None
    returned_by: str = ""


@dataclass(frozen=True)
class SelfEvaluationState:
    """Where a self-evaluation form stands, without the form: what 待办 lists it by."""

    submitted: bool = False
    submitted_at: datetime | None = None
    submitted_by: str = ""
    returned_reason: str = ""
    returned_at: datetime | None = None
    returned_by: str = ""


@dataclass(frozen=True)
class StoredNote:
    code: str
    note: str
    stamp: Stamp


@dataclass(frozen=True)
class StoredSheet:
    expert: str  # username
    expert_name: str  # display name
    scores: Mapping[str, Decimal]
    stamp: Stamp
    submitted_at: datetime | None = None

    @property
    def submitted(self) -> bool:
        return self.submitted_at is not None


@dataclass(frozen=True)
class StoredPanel:
    """An evaluation's panel; ``stamp`` None while nobody has set it up (defaults apply)."""

    method: PanelMethod = "mean"
    experts: tuple[str, ...] = ()
    applied: Mapping[str, Any] | None = None
    stamp: Stamp | None = None
    sheets: tuple[StoredSheet, ...] = field(default_factory=tuple)

    @property
    def version(self) -> int:
        return self.stamp.version if self.stamp else 0

    def sheet(self, expert: str) -> StoredSheet | None:
        return next((s for s in self.sheets if s.expert == expert), None)

    @property
    def counted(self) -> tuple[StoredSheet, ...]:
        """The sheets that count: the named experts' (every sheet while nobody is named)."""
        return tuple(s for s in self.sheets if not self.experts or s.expert in self.experts)


class SelfEvaluationRepository(Protocol):
    def get(self, evaluation_id: str) -> StoredSelfEvaluation | None: ...
    def present(self, evaluation_ids: Collection[str]) -> set[str]:
        """Those of ``evaluation_ids`` that have a self-evaluation form (one query)."""

    def states(self, evaluation_ids: Collection[str]) -> dict[str, SelfEvaluationState]:
        """Where the form of each of ``evaluation_ids`` that has one stands (a few queries
        whatever their number; the forms themselves are not read)."""

    def save(
        self, evaluation_id: str, form: SelfEvaluation, expected_version: int, actor: Actor
    ) -> Stamp: ...
    def submit(self, evaluation_id: str, expected_version: int, actor: Actor) -> Stamp: ...
    def send_back(self, evaluation_id: str, reason: str, expected_version: int, actor: Actor) -> Stamp:
        """Make a submitted form a draft again, keeping why, when and by whom."""

    def notes(self, evaluation_id: str) -> dict[str, StoredNote]: ...
    def save_note(
        self, evaluation_id: str, code: str, note: str, expected_version: int, actor: Actor
    ) -> Stamp | None:
        """Insert (expected 0), update, or delete (blank ``note``) one reconciliation note."""


class PanelRepository(Protocol):
    def get(self, evaluation_id: str) -> StoredPanel: ...
    def present(self, evaluation_ids: Collection[str]) -> set[str]:
        """Those of ``evaluation_ids`` that have a panel set up (one query)."""

    def awaiting(self, expert: str, evaluation_ids: Collection[str]) -> dict[str, bool]:
        """Those of ``evaluation_ids`` whose panel names ``expert`` (a username) and whose sheet
        from them is not submitted, each with whether a draft sheet is saved (a few queries)."""

    def save_panel(
        self,
        evaluation_id: str,
        changes: Mapping[str, Any],
        expected_version: int,
        actor: Actor,
    ) -> Stamp:
        """Insert (expected 0) or update the panel's ``method``, ``experts`` and/or ``applied``."""

    def save_sheet(
        self,
        evaluation_id: str,
        expert: str,
        expert_name: str,
        scores: Mapping[str, Decimal],
        submitted_at: datetime | None,
        expected_version: int,
        actor: Actor,
    ) -> Stamp:
        """Insert (expected 0) or update one expert's sheet (``expert`` is the username)."""
