"""The unit of work on SQLAlchemy, and the database handle that makes units of work.

``with uow:`` opens a session; ``uow.commit()`` commits it; leaving the block without a commit,
or through an exception, rolls everything back.  A unit of work is for one service call; the
``Database`` handle is what an application keeps (one per process, shared by threads).

A ``HeldSession`` lends one session (one connection, one transaction while only reading) to the
units of work of one page run, one after the other: on PostgreSQL each unit of work of its own
costs a connection checkout and a BEGIN and a ROLLBACK round trip, which a page that asks a few
services on every rerun feels.  A unit of work on a held session behaves as one of its own: what
it wrote and did not commit is rolled back when it ends (and so is the whole transaction when it
fails), and the next one finds no objects or notes of the one before.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self, cast

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from workbench.caching import Caches
from workbench.errors import Conflict
from workbench.storage.audit_log import SqlAuditLog, anchor_after_commit, append
from workbench.storage.backup import SqlBackup
from workbench.storage.engine import create_engine, database_url
from workbench.storage.evidence import EvidenceBackend, SqlEvidence, evidence_backend
from workbench.storage.periods import SqlPeriods
from workbench.storage.rectification_repo import SqlRectification
from workbench.storage.repository import SqlBandSets, SqlEvaluations, SqlProjects, SqlSystems
from workbench.storage.result_use_repo import SqlResultUse
from workbench.storage.review_repo import SqlPanels, SqlSelfEvaluations
from workbench.storage.security_repo import SqlCookieNonces, SqlRoles, SqlSessions, SqlSettings, SqlUsers
from workbench.storage.stored_docs import SqlStoredDocs

if TYPE_CHECKING:
    from workbench.services import ports


class SqlUnitOfWork:
    # Typed as the ports they implement (services.ports.UnitOfWork): a protocol's attributes are
    # invariant, so each must be declared as the port, not as the SQL class that fills it.
    projects: ports.ProjectRepository
    periods: ports.PeriodRepository
    systems: ports.SystemRepository
    band_sets: ports.BandSetRepository
    evaluations: ports.EvaluationRepository
    users: ports.UserRepository
    roles: ports.RoleRepository
    settings: ports.SettingsRepository
    sessions: ports.SessionRepository
    cookie_nonces: ports.CookieNonceRepository
    stored_docs: ports.StoredDocRepository
    audit: ports.AuditLog
    evidence: ports.EvidenceRepository
    evidence_files: ports.EvidenceFiles
    backup: ports.BackupStore
    selfevals: ports.SelfEvaluationRepository
    panels: ports.PanelRepository
    rectification: ports.RectificationRepository
    result_use: ports.ResultUseRepository

    def __init__(
        self,
        sessions: sessionmaker[Session],
        evidence: EvidenceBackend | None = None,
        caches: Caches | None = None,
        held: HeldSession | None = None,
    ):
        self._sessions = sessions
        self.caches = caches or Caches()
        self._session: Session | None = None
        self._evidence = evidence or EvidenceBackend("database")
        self._held = held

    def __enter__(self) -> Self:
        if self._session is not None:
            raise RuntimeError("a unit of work is already open; create one per service call")
        self._session = self._sessions() if self._held is None else self._held.lend()
        self.projects = SqlProjects(self._session, self.caches)
        self.periods = SqlPeriods(self._session)
        self.systems = SqlSystems(self._session, self.caches)
        self.band_sets = SqlBandSets(self._session, self.caches)
        self.evaluations = SqlEvaluations(self._session, self.caches)
        self.users = SqlUsers(self._session)
        self.roles = SqlRoles(self._session, self.caches)
        self.settings = SqlSettings(self._session)
        self.sessions = SqlSessions(self._session)
        self.cookie_nonces = SqlCookieNonces(self._session)
        self.stored_docs = SqlStoredDocs(self._session)
        self.audit = SqlAuditLog(self._session)
        self.evidence = SqlEvidence(self._session)
        self.evidence_files = self._evidence.bind(self._session)
        self.backup = SqlBackup(self._session, self.evidence_files)
        self.selfevals = SqlSelfEvaluations(self._session)
        self.panels = SqlPanels(self._session)
        self.result_use = SqlResultUse(self._session)
        self.rectification = SqlRectification(self._session)
        return self

    def __exit__(self, exc_type: object = None, exc: object = None, tb: object = None) -> None:
        session, self._session = self._session, None
        if session is not None and self._held is not None:
            self._held.give_back(failed=exc_type is not None)
        elif session is not None:
            try:
                session.rollback()  # a no-op after commit
            finally:
                session.close()
        self._record_refusal(exc)

    def _record_refusal(self, exc: Any) -> None:
        """A refused action (``services.access.Denied``) is audited in a transaction of its own,
        after the refused one has rolled back."""
        entry = getattr(exc, "audit_entry", None)
        if entry is None:
            return
        exc.audit_entry = None  # recorded once, even if it passes through another unit of work
        with self._sessions() as session:
            sealed = append(session, [entry])
            session.commit()
            anchor_after_commit(session, sealed)

    @property
    def session(self) -> Session:
        if self._session is None:
            raise RuntimeError("the unit of work is not open (use `with uow:`)")
        return self._session

    def commit(self) -> None:
        """Store the totals of the evaluations changed, write the queued audit records (chained,
        after every other write) and commit."""
        try:
            cast(SqlEvaluations, self.evaluations).write_totals()
            self.session.flush()  # every change before the audit records (whose INSERT may commit)
            # the port has no flush; this unit of work made it (on PostgreSQL its INSERT commits)
            sealed = cast(SqlAuditLog, self.audit).flush(commit=True)
            self.session.commit()
        except sa.exc.IntegrityError as exc:
            self.session.rollback()
            raise Conflict(
                "保存失败：相同编号的记录刚被其他人创建，或所引用的记录已不存在；未保存任何内容"
            ) from exc
        anchor_after_commit(self.session, sealed)


class HeldSession:
    """One session lent to one unit of work at a time (those of one page run), opened at the
    first loan and closed by ``close``.  Its transaction stays open from one unit of work to the
    next while they only read; one that wrote without committing, or failed, ends it (rolled
    back)."""

    def __init__(self, sessions: sessionmaker[Session]):
        self._sessions = sessions
        self._session: Session | None = None
        self._lent = False
        self._wrote = False  # something was written in the current transaction

    def lend(self) -> Session:
        if self._lent:
            raise RuntimeError("the held session is already lent; one unit of work at a time")
        if self._session is None:
            self._session = self._sessions()
            for name, seen in (("do_orm_execute", self._executed), ("after_flush", self._flushed),
                               ("after_commit", self._ended), ("after_rollback", self._ended)):  # fmt: skip
                sa.event.listen(self._session, name, seen)
        self._lent = True
        return self._session

    def give_back(self, *, failed: bool) -> None:
        session = self._session
        assert session is not None and self._lent
        self._lent = False
        try:
            if failed or self._wrote:
                session.rollback()
        finally:
            session.expunge_all()  # the next unit of work reads rows afresh, as in a session of its own
            session.info.clear()

    def close(self) -> None:
        session, self._session = self._session, None
        if session is not None:
            session.close()  # rolls back what is open

    def _executed(self, state: Any) -> None:
        if not state.is_select:
            self._wrote = True

    def _flushed(self, *_args: Any) -> None:
        self._wrote = True

    def _ended(self, *_args: Any) -> None:
        self._wrote = False


@dataclass(frozen=True)
class Database:
    """One database: URL, engine and session factory.  Safe to share between threads (keep one
    per process, as ``ui.backend`` does); call ``uow()`` for each service call."""

    url: str
    engine: Engine
    sessions: sessionmaker[Session]
    evidence: EvidenceBackend = field(default_factory=lambda: EvidenceBackend("database"))
    caches: Caches = field(default_factory=Caches)  # what this database's readers share (workbench.caching)

    @property
    def backend(self) -> str:
        return self.engine.dialect.name

    def uow(self, held: HeldSession | None = None) -> SqlUnitOfWork:
        """A unit of work for one service call (on ``held``'s session when given)."""
        return SqlUnitOfWork(self.sessions, self.evidence, self.caches, held)

    def held(self) -> HeldSession:
        """A session to lend to the units of work of one page run (``HeldSession``)."""
        return HeldSession(self.sessions)

    def upgrade(self) -> str | None:
        """Migrate the schema to the newest revision (Alembic); returns the revision reached.
        A database already there is recognised without loading Alembic (``storage.schema_check``)."""
        from workbench.storage import schema_check

        found = schema_check.at_newest(self.engine)
        if found is not None:
            return found
        from workbench.storage import migrate  # Alembic is loaded only by those who migrate

        return migrate.upgrade(self.engine)

    def dispose(self) -> None:
        self.engine.dispose()
        self.caches.clear()


def open_database(url: str | Path | None = None, *, evidence: EvidenceBackend | None = None) -> Database:
    """A handle on the database named by ``url``, else ``WORKBENCH_DATABASE_URL``, else the
    SQLite file data/workbench.db.  Connects lazily; does not migrate (see ``migrate``).
    Evidence goes to ``evidence``, else where ``WORKBENCH_EVIDENCE_BACKEND`` says (see
    ``storage.evidence``)."""
    resolved = database_url(url)
    engine = create_engine(resolved)
    backend = evidence or evidence_backend(resolved)
    return Database(resolved, engine, sessionmaker(engine, expire_on_commit=False), backend)
