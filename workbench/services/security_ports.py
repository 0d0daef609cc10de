"""What the security services need from storage: users, the role table, security settings, the
audit log and evidence, as plain records and protocols (``workbench.storage`` implements them).

The audit log of a unit of work collects entries with ``add`` and writes them, chained, when the
unit of work commits, in the same transaction as the change they describe: a change without its
audit record (or the other way round) can never be committed.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from workbench.domain.audit import AuditRecord, ChainReport
from workbench.domain.permissions import Role, RoleTable
from workbench.security.passwords import PasswordPolicy
from workbench.services.actors import Actor

SUCCESS, FAILURE = "成功", "失败"


@dataclass(frozen=True)
class AuditEntry:
    """What happened, before it is sealed into the chain (seq, time and hashes come at commit)."""

    username: str
    role: str
    event: str
    object: str
    before: Any = None
    after: Any = None
    result: str = SUCCESS
    detail: str = ""


@dataclass(frozen=True)
class AuditFilter:
    """Filters of the audit page; every one is optional.  Times are compared in UTC."""

    since: datetime | None = None
    until: datetime | None = None
    username: str = ""
    event: str = ""
    object: str = ""  # part of the object, e.g. an evaluation id or 指标 B21
    result: str = ""


@dataclass(frozen=True)
class UserRecord:
    """A stored user, password hash included (services never hand this to the UI)."""

    username: str
    display_name: str
    role: str
    password_hash: str
    password_changed_at: datetime
    organisation: str = ""
    projects: tuple[str, ...] = ()
    must_change_password: bool = False
    failed_logins: tuple[str, ...] = ()
    locked_until: datetime | None = None
    totp_secret: str | None = None
    active: bool = True
    last_login_at: datetime | None = None
    totp_last_step: int | None = None  # the newest TOTP time step accepted (a code works once)
    version: int = 0
    created_at: datetime | None = None
    created_by: str = ""
    updated_at: datetime | None = None
    updated_by: str = ""


@dataclass(frozen=True)
class SessionRecord:
    """A sign-in kept on the server (``storage.tables_security.LoginSessionRow``)."""

    id: str
    username: str
    started_at: datetime
    token_seq: int
    ended_at: datetime | None = None
    end_reason: str = ""


@dataclass(frozen=True)
class EvidenceRecord:
    """An uploaded evidence file's description (the bytes are in the evidence store)."""

    id: int
    evaluation_id: str
    code: str
    name: str
    mime: str
    size: int
    sha256: str
    storage_key: str
    uploaded_by: str
    uploaded_at: datetime
    note: str = ""

    @property
    def citation(self) -> str:
        """How a deduction cites it (``Deduction.evidence``), e.g. "EV12 合同.pdf"."""
        return f"EV{self.id} {self.name}"


@dataclass(frozen=True)
class Settings:
    policy: PasswordPolicy
    version: int


@dataclass(frozen=True)
class RoleVersions:
    table: RoleTable
    versions: Mapping[str, int] = field(default_factory=dict)


class UserRepository(Protocol):
    def get(self, username: str) -> UserRecord | None: ...
    def get_locked(self, username: str) -> UserRecord | None:
        """``get``, holding the account until the transaction ends (sign-in counts failures)."""

    def all(self) -> list[UserRecord]: ...
    def count(self) -> int: ...
    def add(self, user: UserRecord, actor: Actor) -> UserRecord: ...
    def update(
        self, username: str, changes: Mapping[str, Any], actor: Actor, expected_version: int | None = None
    ) -> UserRecord:
        """Change some columns; with ``expected_version`` the write is refused when it changed."""

    def last_evaluation(self, username: str) -> str | None:
        """The evaluation the person worked on last (None when never recorded)."""

    def remember_evaluation(self, username: str, evaluation_id: str) -> None: ...


class SessionRepository(Protocol):
    def start(self, username: str, now: datetime) -> str:
        """A new session of ``username``; returns its id (random, unguessable)."""

    def get(self, session_id: str) -> SessionRecord | None: ...
    def next_token(self, session_id: str) -> int:
        """Count one more token issued for the session; returns its number (older ones lapse)."""

    def end(self, session_id: str, reason: str, now: datetime) -> None: ...
    def end_all(self, username: str, reason: str, now: datetime, *, keep: str = "") -> int:
        """End every open session of ``username`` (but ``keep``); returns how many ended."""


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
    def evaluation_ids(self) -> list[str]: ...
    def of_evaluation(self, evaluation_id: str) -> list[StoredDoc]: ...
    def rewrite(self, stored: StoredDoc, doc: Any, evaluation_id: str, actor: Actor) -> None: ...


class CookieNonceRepository(Protocol):
    def add(self, nonce_hash: str, session_id: str, expires_at: datetime) -> None: ...
    def take(self, nonce_hash: str, now: datetime) -> str | None:
        """Delete the ticket; its session id ("" = clear), or None when unknown, lapsed or taken."""


class RoleRepository(Protocol):
    def table(self) -> RoleTable: ...
    def with_versions(self) -> RoleVersions: ...
    def save(self, role: Role, position: int, expected_version: int, actor: Actor) -> int: ...
    def delete(self, name: str, expected_version: int) -> None: ...


class SettingsRepository(Protocol):
    def get(self) -> Settings: ...
    def save(self, policy: PasswordPolicy, expected_version: int, actor: Actor) -> Settings: ...


class AuditLog(Protocol):
    def add(self, entry: AuditEntry) -> None:
        """Queue an entry; it is written, chained, when the unit of work commits."""

    def lock(self) -> None:
        """Serialise with every other writer of the chain until this transaction ends."""

    def query(self, where: AuditFilter, limit: int, offset: int) -> tuple[list[AuditRecord], int]:
        """Matching records newest first (``limit`` 0: all of them) and how many match in all."""

    def events(self) -> list[str]: ...
    def at(self, seq: int) -> AuditRecord | None: ...
    def verify(self) -> ChainReport:
        """The whole chain checked with the server's key, against the anchor outside the database,
        and the append-only triggers."""

    def records(self) -> Iterator[AuditRecord]:
        """Every record in sequence order (streamed)."""


class EvidenceRepository(Protocol):
    def add(self, record: EvidenceRecord) -> EvidenceRecord: ...
    def get(self, evidence_id: int) -> EvidenceRecord | None: ...
    def list(self, evaluation_id: str, code: str | None = None) -> list[EvidenceRecord]: ...
    def delete(self, evidence_id: int) -> None: ...


class EvidenceFiles(Protocol):
    """Where evidence bytes live: a folder, or the database; the key is the content's SHA-256."""

    backend: str

    def put(self, sha256: str, data: bytes) -> str: ...
    def get(self, key: str) -> bytes | None: ...


class BackupStore(Protocol):
    """Whole-database backup and restore (``storage.backup``)."""

    def write(self, out: Path, created_by: str) -> dict[str, Any]:
        """Write the backup zip; returns its manifest."""

    def read(self, path: Path) -> Any:
        """The verified contents of a backup zip (``InvalidInput`` when it does not verify)."""

    def replace_all(self, contents: Any) -> None:
        """Replace every row and evidence file with the backup's, in this transaction."""
