"""Tables of users, roles, security settings, the audit log and evidence (issue 5).

They share ``tables.Base`` so one metadata (and one Alembic history) covers the whole database.

The audit log is append-only: revision 0002 adds database triggers that refuse UPDATE and
DELETE on ``audit_log`` (SQLite and PostgreSQL), and each record carries an HMAC-SHA256 (server
key) of its content and of the record before it (``domain.audit``; revision 0008), so an edit made
past the triggers is still found by ``workbench audit verify``, and the newest record is anchored
outside the database (``storage.audit_anchor``).  ``at`` is kept as the exact ISO text that was hashed
(UTC, fixed width, so text order is time order).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from workbench.storage.tables import Base, Versioned, utcnow


class RoleRow(Versioned, Base):
    """One role of the role table (``domain.permissions.Role``); ``position`` keeps the file's order."""

    __tablename__ = "roles"
    name: Mapped[str] = mapped_column(primary_key=True)
    position: Mapped[int]
    scope: Mapped[str]
    permissions: Mapped[list[str]] = mapped_column(sa.JSON)


class UserRow(Versioned, Base):
    """A person who signs in.  ``projects`` are the project ids a 项目单位 account may see."""

    __tablename__ = "users"
    username: Mapped[str] = mapped_column(primary_key=True)
    display_name: Mapped[str]
    role: Mapped[str] = mapped_column(sa.ForeignKey("roles.name"), index=True)
    organisation: Mapped[str] = mapped_column(default="")
    projects: Mapped[list[str]] = mapped_column(sa.JSON)
    password_hash: Mapped[str]
    password_changed_at: Mapped[datetime]
    must_change_password: Mapped[bool] = mapped_column(default=False)
    failed_logins: Mapped[list[str]] = mapped_column(sa.JSON)  # ISO times since the last success
    locked_until: Mapped[datetime | None]
    totp_secret: Mapped[str | None]
    active: Mapped[bool] = mapped_column(default=True)
    last_login_at: Mapped[datetime | None]
    totp_last_step: Mapped[int | None] = mapped_column(sa.BigInteger)  # newest TOTP step accepted


class LoginSessionRow(Base):
    """A sign-in, kept on the server: the login cookie names it and its newest token's number.

    Ended (``ended_at`` set) by signing out, a password change or reset, disabling the account or
    changing its role; a token whose number is not ``token_seq`` is an older one and refused.
    Not part of a backup: a restore ends every session."""

    __tablename__ = "login_sessions"
    id: Mapped[str] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.ForeignKey("users.username"), index=True)
    started_at: Mapped[datetime]
    token_seq: Mapped[int] = mapped_column(default=0, server_default="0")
    ended_at: Mapped[datetime | None]
    end_reason: Mapped[str] = mapped_column(default="", server_default="")


class CookieNonceRow(Base):
    """A single-use ticket, seconds long, that the browser trades at ``/_wb/set`` for the login
    cookie (``Set-Cookie: ...; HttpOnly``), so the cookie's value never passes through the page.
    Only the SHA-256 of the ticket is kept; ``session_id`` empty means "clear the cookie".
    Not part of a backup; a restore deletes them with the sessions."""

    __tablename__ = "cookie_nonces"
    nonce_hash: Mapped[str] = mapped_column(primary_key=True)
    session_id: Mapped[str] = mapped_column(default="", server_default="")
    expires_at: Mapped[datetime] = mapped_column(index=True)


class PreferenceRow(Base):
    """Where a person left off: the evaluation they worked on last, reopened at the next sign-in.
    Not versioned (only its owner writes it, and the last write is the one that counts)."""

    __tablename__ = "user_preferences"
    username: Mapped[str] = mapped_column(
        sa.ForeignKey("users.username", ondelete="CASCADE"), primary_key=True
    )
    last_evaluation: Mapped[str] = mapped_column(default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class SettingRow(Versioned, Base):
    """A named security setting, e.g. ``password_policy`` (the figures of ``PasswordPolicy``)."""

    __tablename__ = "security_settings"
    key: Mapped[str] = mapped_column(primary_key=True)
    value: Mapped[dict[str, Any]] = mapped_column(sa.JSON)


class AuditRow(Base):
    """One audit record; never updated or deleted (triggers refuse it)."""

    __tablename__ = "audit_log"
    seq: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    at: Mapped[str] = mapped_column(sa.String(40), index=True)
    username: Mapped[str] = mapped_column(index=True)
    role: Mapped[str]
    event: Mapped[str] = mapped_column(index=True)
    object: Mapped[str]
    before: Mapped[Any | None] = mapped_column(sa.JSON(none_as_null=True))
    after: Mapped[Any | None] = mapped_column(sa.JSON(none_as_null=True))
    result: Mapped[str]
    detail: Mapped[str] = mapped_column(sa.Text)
    prev_hash: Mapped[str] = mapped_column(sa.String(64))
    hash: Mapped[str] = mapped_column(sa.String(64))


class EvidenceRow(Base):
    """An uploaded evidence file's description; the bytes live in the evidence store under
    ``storage_key`` (the content's SHA-256, the same key in the folder and the database store)."""

    __tablename__ = "evidence"
    __table_args__ = (sa.Index("ix_evidence_evaluation_code", "evaluation_id", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    evaluation_id: Mapped[str] = mapped_column(sa.ForeignKey("evaluations.id"))
    code: Mapped[str]
    name: Mapped[str]
    mime: Mapped[str]
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(sa.String(64))
    storage_key: Mapped[str]
    note: Mapped[str] = mapped_column(default="")
    uploaded_by: Mapped[str]
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)


class EvidenceContentRow(Base):
    """Evidence bytes kept in the database (``WORKBENCH_EVIDENCE_BACKEND=database``), one row per
    distinct content, so any app server sharing the database can serve any file."""

    __tablename__ = "evidence_content"
    sha256: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    size: Mapped[int]
    data: Mapped[bytes] = mapped_column(sa.LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
