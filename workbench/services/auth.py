"""Signing in and staying signed in: password (+ TOTP when enabled), lockout, idle timeout, and a
signed token for the browser cookie so a page reload keeps the session.

Every sign-in, success or failure, is audited (event 登录, with the reason of a failure), in the
same transaction as the failure count it changes.  A wrong password says only "用户名或密码错误"
(it never tells whether the account exists).  After ``max_failures`` failures in a row the account
is locked for ``lockout_minutes``; a lock is not extended by attempts made while it lasts.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import cache

from workbench.errors import Forbidden, InvalidInput
from workbench.security import sealing, tokens, totp
from workbench.security.passwords import (
    PasswordPolicy,
    hash_password,
    locked_until,
    needs_rehash,
    verify_password,
)
from workbench.services.access import permissions_of
from workbench.services.actors import Actor
from workbench.services.ports import FAILURE, SessionRecord, UnitOfWork, UserRecord
from workbench.services.trail import record
from workbench.services.users import TOTP, now_utc

GENERIC = "用户名或密码错误"
UNSEALABLE = (
    "无法校验动态验证码：该账号的验证器密钥是用另一把服务器密钥加密的（例如在另一台服务器上恢复了备份，"
    "或 WORKBENCH_SECRET_KEY 已更换）。请系统管理员在“用户管理”中为该账号停用动态验证码，登录后重新启用"
)
LOGIN = "登录"


@cache
def _dummy_hash() -> str:
    """Verified against for an unknown name, so it costs a real verify; made on first use, not at import."""
    return hash_password("workbench-timing-equaliser")


@dataclass(frozen=True)
class LoginSession:
    """A signed-in person.  The UI keeps it in the browser session and passes ``actor`` to services."""

    username: str
    display_name: str
    role: str
    started_at: datetime
    last_seen: datetime
    idle_timeout_minutes: int
    must_change_password: bool = False
    change_reason: str = ""  # why the password must change now (reset by an admin, too old)
    session_id: str = ""  # the server's record of this sign-in (``uow.sessions``)

    @property
    def actor(self) -> Actor:
        return Actor(self.username, self.display_name, self.role)


class SecondFactorRequired(InvalidInput):
    """The password was right and the account has TOTP: ask for the 6-digit code."""


class SessionEnded(Forbidden):
    """The session is over (idle too long, account disabled, password changed): sign in again."""


# --- signing in --------------------------------------------------------------------------------


def login(
    uow: UnitOfWork, username: str, password: str, totp_code: str = "", *, now: datetime | None = None
) -> LoginSession:
    """Check the password (and the TOTP code when the account has one); returns the session."""
    now = now or now_utc()
    name = (username or "").strip()[:64]
    with uow:
        policy = uow.settings.get().policy
        seen = uow.users.get(name) if name else None
        # argon2 takes ~0.1 s: verify before locking the account (on SQLite the lock is the
        # database write lock), then re-read it locked to count failures without losing one.
        right = verify_password(seen.password_hash if seen else _dummy_hash(), password)
        user = uow.users.get_locked(name) if seen else None
        right = right and user is not None and seen is not None and user.password_hash == seen.password_hash
        error, session = _attempt(uow, user, name, right, password, totp_code, now, policy)
        uow.commit()
    if error is not None:
        raise error
    assert session is not None
    return session


def _attempt(
    uow: UnitOfWork,
    user: UserRecord | None,
    name: str,
    right: bool,
    password: str,
    code: str,
    now: datetime,
    policy: PasswordPolicy,
) -> tuple[InvalidInput | Forbidden | None, LoginSession | None]:
    if user is None:
        _failed(uow, name, "", "用户名不存在")
        return InvalidInput(GENERIC), None
    who = Actor(user.username, user.display_name, user.role)
    if user.locked_until and user.locked_until > now:
        _failed(uow, user.username, user.role, "账号锁定期间尝试登录")
        # Only someone who knows the password learns of the lock: to anyone else a locked
        # account answers as an unknown name does (it never tells which names exist).
        return (
            Forbidden(_locked_message(user.locked_until, policy)) if right else InvalidInput(GENERIC)
        ), None
    if not right:
        return _count_failure(uow, user, who, now, policy, "密码错误"), None
    if not user.active:
        _failed(uow, user.username, user.role, "账号已停用")
        return Forbidden("账号已停用，请联系系统管理员"), None
    if user.totp_secret:
        if not (code or "").strip():  # the password was right: that alone is not a success
            failed = _count_failure(uow, user, who, now, policy, "未输入动态验证码")
            if isinstance(failed, Forbidden):
                return failed, None
            return SecondFactorRequired("该账号已启用动态验证码：请输入验证器当前显示的 6 位数字"), None
        try:
            secret = sealing.unseal(user.totp_secret, TOTP)
        except sealing.SealBroken as exc:
            _failed(uow, user.username, user.role, f"动态验证码密钥无法解密：{exc}")
            return Forbidden(UNSEALABLE), None
        step = totp.accepted_step(secret, code, user.totp_last_step, now.timestamp())
        if step is None:
            return _count_failure(uow, user, who, now, policy, "动态验证码错误或已使用过"), None
        uow.users.update(user.username, {"totp_last_step": step}, who)
    return None, _succeed(uow, user, who, now, policy, password)


def _count_failure(
    uow: UnitOfWork, user: UserRecord, who: Actor, now: datetime, policy: PasswordPolicy, reason: str
) -> InvalidInput | Forbidden:
    window = timedelta(minutes=policy.lockout_minutes)  # older failures no longer count
    recent = [t for t in user.failed_logins if now - datetime.fromisoformat(t) < window]
    failures = [*recent, now.isoformat()]
    until = locked_until([datetime.fromisoformat(t) for t in failures], now, policy)
    wrong = InvalidInput(GENERIC if reason == "密码错误" else "动态验证码不正确或已使用过")
    if until is None:
        uow.users.update(user.username, {"failed_logins": failures}, who)
        _failed(
            uow, user.username, user.role, f"{reason}（{policy.lockout_minutes} 分钟内第 {len(failures)} 次）"
        )
        return wrong
    uow.users.update(user.username, {"failed_logins": [], "locked_until": until}, who)
    _failed(
        uow,
        user.username,
        user.role,
        f"{reason}（{policy.lockout_minutes} 分钟内第 {len(failures)} 次），账号锁定至 {_local(until)}",
    )
    # The password was wrong: answer as for any wrong password (the lock shows to the owner).
    return wrong if reason == "密码错误" else Forbidden(_locked_message(until, policy))


def _succeed(
    uow: UnitOfWork, user: UserRecord, who: Actor, now: datetime, policy: PasswordPolicy, password: str
) -> LoginSession:
    changes: dict[str, object] = {"failed_logins": [], "locked_until": None, "last_login_at": now}
    if needs_rehash(user.password_hash):
        changes["password_hash"] = hash_password(password)
    uow.users.update(user.username, changes, who)
    record(uow, who, LOGIN, f"用户 {user.username}")
    return _new_session(user, now, policy, uow.sessions.start(user.username, now))


def _new_session(user: UserRecord, now: datetime, policy: PasswordPolicy, session_id: str) -> LoginSession:
    """A session starting now (after a sign-in, or a tab resumed from its login cookie)."""
    reason = _change_reason(user, now, policy)
    return LoginSession(
        session_id=session_id,
        username=user.username,
        display_name=user.display_name,
        role=user.role,
        started_at=now,
        last_seen=now,
        idle_timeout_minutes=policy.idle_timeout_minutes,
        must_change_password=bool(reason),
        change_reason=reason,
    )


def _change_reason(user: UserRecord, now: datetime, policy: PasswordPolicy) -> str:
    if user.must_change_password:
        return "密码由管理员设置或重置，请先修改为只有您知道的密码"
    if policy.max_age_days and now - user.password_changed_at > timedelta(days=policy.max_age_days):
        return f"密码已超过 {policy.max_age_days} 天未更换，请修改密码"
    return ""


def _failed(uow: UnitOfWork, username: str, role: str, reason: str) -> None:
    record(
        uow,
        Actor(username or "（空）", username, role),
        LOGIN,
        f"用户 {username or '（空）'}",
        result=FAILURE,
        detail=reason,
    )


def _local(moment: datetime) -> str:
    return moment.astimezone().strftime("%H:%M")


def _locked_message(until: datetime, policy: PasswordPolicy) -> str:
    return (
        f"连续 {policy.max_failures} 次登录失败，账号已锁定 {policy.lockout_minutes} 分钟，"
        f"请于 {_local(until)} 后再试，或请系统管理员解锁"
    )


# --- staying signed in -------------------------------------------------------------------------


def logout(uow: UnitOfWork, session: LoginSession, *, now: datetime | None = None) -> None:
    """End the session on the server: its login cookie, even a copy taken earlier, no longer
    signs in."""
    with uow:
        uow.sessions.end(session.session_id, "已退出登录", now or now_utc())
        record(uow, session.actor, "退出登录", f"用户 {session.username}")
        uow.commit()


def check_session(uow: UnitOfWork, session: LoginSession, *, now: datetime | None = None) -> LoginSession:
    """Call on every request: ends the session (audited, ``SessionEnded``) when it was idle longer
    than the policy allows or the account was disabled meanwhile; else returns it refreshed
    (last seen now; role and name as stored now)."""
    with uow:
        return _checked(uow, session, now or now_utc())


def check_session_and_permissions(
    uow: UnitOfWork, session: LoginSession, *, now: datetime | None = None
) -> tuple[LoginSession, frozenset[str]]:
    """``check_session`` and what the (possibly changed) role may do, read in one transaction:
    what a page asks before it draws its menu."""
    with uow:
        checked = _checked(uow, session, now or now_utc())
        return checked, permissions_of(uow, checked.actor)


def _checked(uow: UnitOfWork, session: LoginSession, now: datetime) -> LoginSession:
    """Inside an open unit of work: the session refreshed, or ended (recorded, committed)."""
    found = uow.sessions.signed_in(session.session_id, session.username)
    user, policy = found.user, found.settings.policy
    reason = _ended_on_server(found.session, session) or _end_reason(session, user, now, policy)
    if reason:
        record(uow, session.actor, "会话结束", f"用户 {session.username}", detail=reason)
        uow.commit()
        raise SessionEnded(f"{reason}，请重新登录")
    assert user is not None
    return replace(
        session,
        display_name=user.display_name,
        role=user.role,
        last_seen=now,
        idle_timeout_minutes=policy.idle_timeout_minutes,
    )


def _ended_on_server(found: SessionRecord | None, session: LoginSession) -> str:
    if found is None or found.username != session.username:
        return "会话已失效（例如数据已从备份恢复）"
    if found.ended_at is not None:
        return f"会话已结束（{found.end_reason or '已退出登录'}）"
    return ""


def _end_reason(session: LoginSession, user: UserRecord | None, now: datetime, policy: PasswordPolicy) -> str:
    if user is None or not user.active:
        return "账号已停用"
    if user.locked_until and user.locked_until > now:
        return "账号已锁定"
    if now - session.last_seen > timedelta(minutes=policy.idle_timeout_minutes):
        return f"超过 {policy.idle_timeout_minutes} 分钟未操作，已自动退出"
    return ""


def is_idle(session: LoginSession, now: datetime | None = None) -> bool:
    """Whether the session has been idle longer than its timeout (no database access)."""
    return (now or now_utc()) - session.last_seen > timedelta(minutes=session.idle_timeout_minutes)


def login_token(
    uow: UnitOfWork, session: LoginSession, *, key: str | None = None, now: datetime | None = None
) -> str:
    """A signed token for the login cookie, valid for the idle timeout from now.  Each one names
    the session and its number: issuing one makes every earlier token of the session invalid
    (issue a fresh one now and then so the cookie's life follows the user's activity)."""
    with uow:
        token = issue_token(uow, session.session_id, username=session.username, key=key, now=now)
        uow.commit()
    return token


def issue_token(
    uow: UnitOfWork,
    session_id: str,
    *,
    username: str = "",
    key: str | None = None,
    now: datetime | None = None,
) -> str:
    """``login_token`` inside an open unit of work (the caller commits), for the session by id
    (and, when given, only if it belongs to ``username``)."""
    found = uow.sessions.get(session_id)
    user = uow.users.get(found.username) if found is not None else None
    if found is None or (username and found.username != username):
        raise SessionEnded("会话已失效（例如数据已从备份恢复），请重新登录")
    if found.ended_at is not None:
        raise SessionEnded(f"会话已结束（{found.end_reason or '已退出登录'}），请重新登录")
    if user is None:
        raise SessionEnded("账号不存在，请重新登录")
    number = uow.sessions.next_token(session_id)
    payload = {"u": user.username, "s": session_id, "n": number}
    return tokens.sign(payload, key or tokens.secret_key(), (now or now_utc()).timestamp())


def resume(
    uow: UnitOfWork, token: str, *, key: str | None = None, now: datetime | None = None
) -> LoginSession:
    """The session a login cookie stands for, after a page reload (audited as 恢复会话);
    ``SessionEnded`` when the token is forged, older than the idle timeout or than a newer token
    of its session, the session was ended (signed out, password changed, ...), or the account
    was disabled or locked since."""
    now = now or now_utc()
    with uow:
        policy = uow.settings.get().policy
        age = policy.idle_timeout_minutes * 60
        payload = tokens.unsign(token or "", key or tokens.secret_key(), age, now.timestamp()) or {}
        user = uow.users.get(str(payload.get("u", ""))) if payload else None
        found = uow.sessions.get(str(payload.get("s", ""))) if user else None
        reason = _resume_refused(user, found, payload, now)
        if reason:
            if user is not None:
                who = Actor(user.username, user.display_name, user.role)
                record(uow, who, "恢复会话", f"用户 {user.username}", result=FAILURE, detail=reason)
                uow.commit()
            raise SessionEnded("登录已失效")
        assert user is not None and found is not None
        record(uow, Actor(user.username, user.display_name, user.role), "恢复会话", f"用户 {user.username}")
        uow.commit()
    return _new_session(user, now, policy, found.id)


def _resume_refused(
    user: UserRecord | None, found: SessionRecord | None, payload: dict[str, object], now: datetime
) -> str:
    if user is None or found is None or found.username != user.username:
        return "登录凭据无效"
    if found.ended_at is not None:
        return f"会话已结束（{found.end_reason}）"
    if payload.get("n") != found.token_seq:
        return "登录凭据已被更新的凭据取代（可能是旧的 Cookie 副本）"
    if not user.active or (user.locked_until and user.locked_until > now):
        return "账号已停用或锁定"
    return ""
