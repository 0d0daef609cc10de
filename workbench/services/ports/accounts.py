"""Accounts: users, their server-side sessions, the role table and the security settings."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from workbench.domain.permissions import Role, RoleTable
from workbench.security.passwords import PasswordPolicy
from workbench.services.actors import Actor


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
class Settings:
    policy: PasswordPolicy
    version: int


@dataclass(frozen=True)
class SignedIn:
    """What checking a sign-in reads, in one query: the session as kept on the server, its
    user and the password policy (None: no such session or user)."""

    session: SessionRecord | None
    user: UserRecord | None
    settings: Settings


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
    def signed_in(self, session_id: str, username: str) -> SignedIn:
        """The session, ``username``'s account and the password policy (one round trip)."""

    def next_token(self, session_id: str) -> int:
        """Count one more token issued for the session; returns its number (older ones lapse)."""

    def end(self, session_id: str, reason: str, now: datetime) -> None: ...
    def end_all(self, username: str, reason: str, now: datetime, *, keep: str = "") -> int:
        """End every open session of ``username`` (but ``keep``); returns how many ended."""


class RoleRepository(Protocol):
    def table(self) -> RoleTable: ...
    def with_versions(self) -> RoleVersions: ...
    def save(self, role: Role, position: int, expected_version: int, actor: Actor) -> int: ...
    def delete(self, name: str, expected_version: int) -> None: ...


class SettingsRepository(Protocol):
    def get(self) -> Settings: ...
    def save(self, policy: PasswordPolicy, expected_version: int, actor: Actor) -> Settings: ...


class CookieNonceRepository(Protocol):
    """Single-use tickets the login-cookie route trades for a cookie (only their hashes stored)."""

    def add(self, nonce_hash: str, session_id: str, expires_at: datetime) -> None: ...
    def take(self, nonce_hash: str, now: datetime) -> str | None:
        """Delete the ticket; its session id ("" = clear), or None when unknown, lapsed or taken."""
