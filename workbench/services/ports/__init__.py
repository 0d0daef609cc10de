"""What the services need from storage: repositories and a unit of work, as protocols, grouped
by aggregate — ``evaluations`` (projects, ledgers, indicator systems, bands, evaluations),
``review`` (self-evaluations, panels), ``accounts`` (users, sessions, roles, settings), ``audit``,
``evidence`` (with backups), ``rectification`` (the 整改台账) — and ``stamps``, the versions they all carry.

``workbench.storage`` implements them on SQLAlchemy; unit tests use the in-memory fake in
tests/service_fakes.py.  Import from here (``from workbench.services.ports import UnitOfWork``);
the submodules import only ``stamps`` and ``audit``, never this package, so there is no circle.

Optimistic concurrency: every editable thing has a version.  A write names the version the
user saw (``expected_version``; 0 for "not there yet") and raises ``Conflict`` when someone
changed it in the meantime, so nobody silently overwrites anybody.
"""

from __future__ import annotations

from typing import Any, Protocol, Self

from workbench.caching import Caches
from workbench.services.ports.accounts import (
    CookieNonceRepository,
    RoleRepository,
    RoleVersions,
    SessionRecord,
    SessionRepository,
    Settings,
    SettingsRepository,
    SignedIn,
    UserRecord,
    UserRepository,
)
from workbench.services.ports.audit import FAILURE, SUCCESS, AuditEntry, AuditFilter, AuditLog
from workbench.services.ports.evaluations import (
    ITEM_LABELS,
    UNSCORABLE,
    BandSetRepository,
    EvaluationHeader,
    EvaluationListing,
    EvaluationRepository,
    Item,
    ItemKind,
    PeriodRepository,
    ProjectRepository,
    StoredDoc,
    StoredDocRepository,
    StoredEvaluation,
    SystemRepository,
    Totals,
    Versions,
)
from workbench.services.ports.evidence import BackupStore, EvidenceFiles, EvidenceRecord, EvidenceRepository
from workbench.services.ports.rectification import RectificationRepository, StoredItem
from workbench.services.ports.result_use import ResultUseRepository, StoredOmScore, StoredOverride
from workbench.services.ports.review import (
    PanelRepository,
    SelfEvaluationRepository,
    SelfEvaluationState,
    StoredNote,
    StoredPanel,
    StoredSelfEvaluation,
    StoredSheet,
)
from workbench.services.ports.stamps import Stamp, stale


class UnitOfWork(Protocol):
    """One transaction over every repository.  Its duties, which every implementation keeps:

    - ``with uow:`` opens it; ``commit()`` makes the changes permanent; leaving the block without
      committing, or by an exception, rolls everything back.  One unit of work per service call.
    - The audit entries added with ``audit.add`` are written, chained, as the last statements of
      the same commit: a change and its audit record are committed together or not at all.
    - A refused action raises a ``WorkbenchError``; when it carries ``audit_entry`` (a permission
      refusal, ``services.access.Denied``), leaving the unit of work rolls the change back and then
      records that refusal in a transaction of its own, so refused attempts are audited too.
    - Repositories hand out one shared, immutable object per unchanged stored version, and
      ``evaluations.remember`` keeps what a commit wrote under its new version (an etag), so the
      next reader is served without loading it again.  ``caches`` are the database handle's,
      shared by every unit of work it makes (``workbench.caching`` lists them, their keys and
      why none needs clearing after a write).
    """

    caches: Caches

    projects: ProjectRepository
    periods: PeriodRepository
    systems: SystemRepository
    band_sets: BandSetRepository
    evaluations: EvaluationRepository
    users: UserRepository
    roles: RoleRepository
    settings: SettingsRepository
    sessions: SessionRepository
    cookie_nonces: CookieNonceRepository
    stored_docs: StoredDocRepository
    audit: AuditLog
    evidence: EvidenceRepository
    evidence_files: EvidenceFiles
    backup: BackupStore
    selfevals: SelfEvaluationRepository
    panels: PanelRepository
    result_use: ResultUseRepository
    rectification: RectificationRepository

    def __enter__(self) -> Self: ...
    def __exit__(self, exc_type: object = None, exc: object = None, tb: object = None, /) -> None: ...
    def commit(self) -> None: ...


class HeldSession(Protocol):
    """One database session lent to the units of work of one page run in turn (``uow(held)``),
    so that the run's reads share one connection and one transaction; ``close`` ends it."""

    def close(self) -> None: ...


class DatabaseHandle(Protocol):
    """What the app, the CLI and the benches hold (one per database per process, shared by
    threads; made by ``workbench.bootstrap``): a unit of work for each service call."""

    @property
    def url(self) -> str: ...
    @property
    def caches(self) -> Caches: ...
    @property
    def backend(self) -> str:
        """ "sqlite" or "postgresql"."""

    def uow(self, held: Any = None) -> UnitOfWork:
        """A unit of work for one service call; on ``held``'s session when given."""

    def held(self) -> HeldSession: ...

    def upgrade(self) -> str | None:
        """Bring the schema to the newest revision; returns the revision reached."""

    def dispose(self) -> None:
        """Close the connections and drop what the caches hold."""


__all__ = [
    "FAILURE",
    "ITEM_LABELS",
    "SUCCESS",
    "UNSCORABLE",
    "AuditEntry",
    "AuditFilter",
    "AuditLog",
    "BackupStore",
    "BandSetRepository",
    "CookieNonceRepository",
    "DatabaseHandle",
    "EvaluationHeader",
    "EvaluationListing",
    "EvaluationRepository",
    "EvidenceFiles",
    "EvidenceRecord",
    "EvidenceRepository",
    "HeldSession",
    "Item",
    "ItemKind",
    "PanelRepository",
    "PeriodRepository",
    "ProjectRepository",
    "RectificationRepository",
    "ResultUseRepository",
    "RoleRepository",
    "RoleVersions",
    "SelfEvaluationRepository",
    "SelfEvaluationState",
    "SessionRecord",
    "SessionRepository",
    "Settings",
    "SettingsRepository",
    "SignedIn",
    "Stamp",
    "StoredDoc",
    "StoredDocRepository",
    "StoredEvaluation",
    "StoredItem",
    "StoredNote",
    "StoredOmScore",
    "StoredOverride",
    "StoredPanel",
    "StoredSelfEvaluation",
    "StoredSheet",
    "SystemRepository",
    "Totals",
    "UnitOfWork",
    "UserRecord",
    "UserRepository",
    "Versions",
    "stale",
]
