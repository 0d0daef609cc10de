"""Repositories of users, the role table and security settings (rows <-> plain records)."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import asdict, fields
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from workbench.caching import Caches
from workbench.domain.permissions import Role, RoleTable
from workbench.errors import Conflict, NotFound
from workbench.security.passwords import PasswordPolicy
from workbench.services.actors import Actor
from workbench.services.ports import RoleVersions, SessionRecord, Settings, SignedIn, UserRecord, stale
from workbench.storage.checked import VersionChecked
from workbench.storage.tables import aware, utcnow
from workbench.storage.tables_security import (
    CookieNonceRow,
    LoginSessionRow,
    PreferenceRow,
    RoleRow,
    SettingRow,
    UserRow,
)

POLICY_KEY = "password_policy"
SETTINGS = "安全设置"
_USER_FIELDS = [f.name for f in fields(UserRecord)]
_NONCE_PURGE = timedelta(minutes=10)  # lapsed tickets older than this go when a new one is added
_TIMES = ("password_changed_at", "locked_until", "last_login_at", "created_at", "updated_at")


_ROLES = RoleRow.__table__.c
ROLE_STAMP = "role_stamp"  # session.info: the role stamp read alongside the sign-in check


def role_stamp() -> sa.ScalarSelect[str]:
    """The whole role table's content as one string, rows in name order (the permissions as the
    database keeps their text): the key of the parsed table, compared rather than parsed.  A
    scalar subquery, so the sign-in check reads it in its own statement."""
    text = [
        _ROLES.name,
        sa.cast(_ROLES.position, sa.Text),
        _ROLES.scope,
        sa.cast(_ROLES.permissions, sa.Text),
    ]
    line = sa.func.coalesce(text[0], "")
    for part in text[1:]:
        line = line + "\x1f" + sa.func.coalesce(part, "")
    rows = sa.select(line.label("line")).order_by(_ROLES.name).subquery("role_lines")
    return sa.select(sa.func.coalesce(sa.func.aggregate_strings(rows.c.line, "\x1e"), "")).scalar_subquery()


_ROLE_STAMP = sa.select(role_stamp().label("roles"))


# Plain SELECTs of the row (no ORM object): the sign-in check runs them on every page run.
_USER = sa.select(UserRow.__table__).where(UserRow.__table__.c.username == sa.bindparam("username"))
_POLICY = sa.select(SettingRow.value, SettingRow.version).where(SettingRow.key == POLICY_KEY)
_SESSION_FIELDS = ("id", "username", "started_at", "token_seq", "ended_at", "end_reason")
_S, _U, _SETTINGS = LoginSessionRow.__table__, UserRow.__table__, SettingRow.__table__
# The session, its user and the policy side by side: at most one row of each, outer-joined to one
# constant row, so whichever is missing comes back as NULLs.
_SIGNED_IN = (
    sa.select(
        *(_S.c[name].label(f"s_{name}") for name in _SESSION_FIELDS),
        *(_U.c[name].label(f"u_{name}") for name in _USER_FIELDS),
        _SETTINGS.c.value.label("policy"),
        _SETTINGS.c.version.label("policy_version"),
        role_stamp().label("roles"),
    )
    .select_from(sa.select(sa.literal(1).label("one")).subquery("one"))
    .outerjoin(_S, _S.c.id == sa.bindparam("session_id"))
    .outerjoin(_U, _U.c.username == sa.bindparam("username"))
    .outerjoin(_SETTINGS, _SETTINGS.c.key == POLICY_KEY)
)


class _Named(dict[str, Any]):
    """Columns by attribute, as ``_record`` reads a row."""

    __getattr__ = dict.__getitem__


def _record(row: Any) -> UserRecord:
    data = {name: getattr(row, name) for name in _USER_FIELDS}
    for name in _TIMES:
        data[name] = aware(data[name])
    data["projects"] = tuple(row.projects or ())
    data["failed_logins"] = tuple(row.failed_logins or ())
    return UserRecord(**data)


def _columns(values: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(values)
    for name in ("projects", "failed_logins"):
        if name in out:
            out[name] = list(out[name])
    return out


class SqlUsers:
    def __init__(self, session: Session):
        self.session = session

    def get(self, username: str) -> UserRecord | None:
        row = self.session.execute(_USER, {"username": username}).first()
        return None if row is None else _record(row)

    def all(self) -> list[UserRecord]:
        return [_record(r) for r in self.session.scalars(sa.select(UserRow).order_by(UserRow.username))]

    def get_locked(self, username: str) -> UserRecord | None:
        """The user, with its row locked until the transaction ends (two sign-ins at once count
        both failures).  SQLite has no row locks: a no-op write takes the database write lock."""
        if self.session.get_bind().dialect.name == "postgresql":
            row = self.session.scalars(
                sa.select(UserRow).where(UserRow.username == username).with_for_update()
            ).first()
        else:
            self.session.execute(sa.text("UPDATE users SET version = version WHERE 1 = 0"))
            row = self.session.execute(_USER, {"username": username}).first()
        return None if row is None else _record(row)

    def count(self) -> int:
        return self.session.scalar(sa.select(sa.func.count()).select_from(UserRow)) or 0

    def add(self, user: UserRecord, actor: Actor) -> UserRecord:
        now = utcnow()
        values = _columns(asdict(user))
        values.update(version=1, created_at=now, created_by=actor.username, updated_at=now)
        values["updated_by"] = actor.username
        row = UserRow(**values)
        self.session.add(row)
        try:
            self.session.flush()
        except sa.exc.IntegrityError as exc:
            raise Conflict(f"用户名“{user.username}”已存在，请换一个") from exc
        return _record(row)

    def update(
        self, username: str, changes: Mapping[str, Any], actor: Actor, expected_version: int | None = None
    ) -> UserRecord:
        conditions = [UserRow.username == username]
        if expected_version is not None:
            conditions.append(UserRow.version == expected_version)
        values = {**_columns(changes), "updated_at": utcnow(), "updated_by": actor.username}
        result = self.session.execute(
            sa.update(UserRow).where(*conditions).values(**values, version=UserRow.version + 1),
            execution_options={"synchronize_session": False},
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            if self.session.get(UserRow, username) is None:
                raise NotFound(f"找不到用户“{username}”")
            raise stale(f"用户“{username}”")
        self.session.expire_all()
        found = self.get(username)
        assert found is not None
        return found

    def last_evaluation(self, username: str) -> str | None:
        """The evaluation ``username`` worked on last (None when never recorded)."""
        query = sa.select(PreferenceRow.last_evaluation).where(PreferenceRow.username == username)
        return self.session.scalar(query) or None

    def remember_evaluation(self, username: str, evaluation_id: str) -> None:
        row = self.session.get(PreferenceRow, username)
        if row is None:
            self.session.add(PreferenceRow(username=username, last_evaluation=evaluation_id))
        else:
            row.last_evaluation, row.updated_at = evaluation_id, utcnow()
        self.session.flush()


class SqlRoles(VersionChecked):
    """The role table; read once per unit of work (every service asks it at least once)."""

    def __init__(self, session: Session, caches: Caches):
        super().__init__(session)
        self._table: RoleTable | None = None
        # Parsed role tables by the content of the rows they came from (only the newest kept);
        # a RoleTable is read-only everywhere, so one instance serves every unit of work.
        self._tables = caches.roles

    def _rows(self) -> list[RoleRow]:
        return list(self.session.scalars(sa.select(RoleRow).order_by(RoleRow.position, RoleRow.name)))

    def table(self) -> RoleTable:
        """The role table: asked by every service, so the parsed table is kept per process and
        reused while the stored rows say the same (one light query, no validation)."""
        if self._table is None:
            stamp = self.session.info.get(ROLE_STAMP)
            if stamp is None:
                stamp = self.session.scalar(_ROLE_STAMP)
            self._table = self._tables.get_or_load(stamp, lambda: self.with_versions().table)
        return self._table

    def with_versions(self) -> RoleVersions:
        rows = self._rows()
        roles = [Role(name=r.name, scope=r.scope, permissions=list(r.permissions)) for r in rows]  # type: ignore[arg-type]
        return RoleVersions(RoleTable(roles=roles), {r.name: r.version for r in rows})

    def save(self, role: Role, position: int, expected_version: int, actor: Actor) -> int:
        self._table = None
        self.session.info.pop(ROLE_STAMP, None)
        values = {"scope": role.scope, "permissions": list(role.permissions), "position": position}
        what = f"角色“{role.name}”"
        if expected_version == 0:
            return self._insert(RoleRow(name=role.name, **values), actor, what).version
        where = (RoleRow.name == role.name,)
        return self._update(RoleRow, where, expected_version, values, actor, what).version

    def delete(self, name: str, expected_version: int) -> None:
        self._table = None
        self.session.info.pop(ROLE_STAMP, None)
        self._delete(RoleRow, (RoleRow.name == name,), expected_version, f"角色“{name}”")


def _settings(value: Mapping[str, Any] | None, version: int | None) -> Settings:
    if value is None or version is None:  # a database restored from before the settings existed
        return Settings(PasswordPolicy(), 0)
    known = {f.name for f in fields(PasswordPolicy)}
    return Settings(PasswordPolicy(**{k: int(v) for k, v in value.items() if k in known}), version)


class SqlSettings(VersionChecked):
    def get(self) -> Settings:
        row = self.session.execute(_POLICY).first()
        return _settings(None, None) if row is None else _settings(row.value, row.version)

    def save(self, policy: PasswordPolicy, expected_version: int, actor: Actor) -> Settings:
        value = asdict(policy)
        if expected_version == 0:
            saved = self._insert(SettingRow(key=POLICY_KEY, value=value), actor, SETTINGS)
        else:
            where = (SettingRow.key == POLICY_KEY,)
            saved = self._update(SettingRow, where, expected_version, {"value": value}, actor, SETTINGS)
        return Settings(policy, saved.version)


class SqlSessions:
    """Sign-in sessions (``LoginSessionRow``)."""

    def __init__(self, session: Session):
        self.session = session

    def start(self, username: str, now: datetime) -> str:
        session_id = secrets.token_urlsafe(24)
        self.session.add(LoginSessionRow(id=session_id, username=username, started_at=now, token_seq=0))
        self.session.flush()
        return session_id

    def get(self, session_id: str) -> SessionRecord | None:
        row = self.session.get(LoginSessionRow, session_id) if session_id else None
        if row is None:
            return None
        return SessionRecord(
            row.id, row.username, aware(row.started_at), row.token_seq, aware(row.ended_at), row.end_reason
        )

    def signed_in(self, session_id: str, username: str) -> SignedIn:
        row = self.session.execute(_SIGNED_IN, {"session_id": session_id, "username": username}).one()
        found = row._mapping
        self.session.info[ROLE_STAMP] = found["roles"]  # the role table's check needs no query of its own
        user = None
        if found["u_username"] is not None:
            user = _record(_Named({name: found[f"u_{name}"] for name in _USER_FIELDS}))
        kept = None
        if session_id and found["s_id"] is not None:
            s = {name: found[f"s_{name}"] for name in _SESSION_FIELDS}
            kept = SessionRecord(
                s["id"],
                s["username"],
                aware(s["started_at"]),
                s["token_seq"],
                aware(s["ended_at"]),
                s["end_reason"],
            )
        return SignedIn(kept, user, _settings(found["policy"], found["policy_version"]))

    def next_token(self, session_id: str) -> int:
        table = LoginSessionRow.__table__
        self.session.execute(
            table.update().where(table.c.id == session_id).values(token_seq=table.c.token_seq + 1)
        )
        self.session.expire_all()
        return int(self.session.scalar(sa.select(table.c.token_seq).where(table.c.id == session_id)) or 0)

    def end(self, session_id: str, reason: str, now: datetime) -> None:
        table = LoginSessionRow.__table__
        self.session.execute(
            table.update()
            .where(table.c.id == session_id, table.c.ended_at.is_(None))
            .values(ended_at=now, end_reason=reason)
        )

    def end_all(self, username: str, reason: str, now: datetime, *, keep: str = "") -> int:
        table = LoginSessionRow.__table__
        result = self.session.execute(
            table.update()
            .where(table.c.username == username, table.c.ended_at.is_(None), table.c.id != keep)
            .values(ended_at=now, end_reason=reason)
        )
        self.session.expire_all()
        return int(result.rowcount or 0)  # type: ignore[attr-defined]


class SqlCookieNonces:
    """Single-use tickets for the login cookie (``CookieNonceRow``), kept by their SHA-256."""

    def __init__(self, session: Session):
        self.session = session

    def add(self, nonce_hash: str, session_id: str, expires_at: datetime) -> None:
        table = CookieNonceRow.__table__
        self.session.execute(table.delete().where(table.c.expires_at < expires_at - _NONCE_PURGE))
        self.session.execute(
            table.insert().values(nonce_hash=nonce_hash, session_id=session_id, expires_at=expires_at)
        )

    def take(self, nonce_hash: str, now: datetime) -> str | None:
        """Delete the ticket and return its session id ("" to clear the cookie); None when there is
        no such ticket, it lapsed, or another request took it first (one DELETE decides)."""
        table = CookieNonceRow.__table__
        found = self.session.execute(
            sa.select(table.c.session_id, table.c.expires_at).where(table.c.nonce_hash == nonce_hash)
        ).first()
        if found is None:
            return None
        deleted = self.session.execute(table.delete().where(table.c.nonce_hash == nonce_hash))
        expires = aware(found.expires_at)
        if int(deleted.rowcount or 0) != 1 or expires is None or expires <= now:  # type: ignore[attr-defined]
            return None
        return str(found.session_id)
