"""User accounts: the first administrator, adding and disabling users, passwords and TOTP.

No account exists until someone creates the first administrator (the app asks on first start;
``workbench user add`` does it from the command line).  After that only a role holding
``users.manage`` (系统管理员) adds, changes, disables or unlocks accounts and resets passwords; each
person changes their own password and second factor.  Every change is audited with the account's
fields before and after; a password or TOTP secret never appears in the audit log.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from workbench.errors import Conflict, Forbidden, InvalidInput, NotFound
from workbench.security import sealing, totp
from workbench.security.passwords import check_complexity, hash_password, verify_password
from workbench.services.access import permissions_of, require
from workbench.services.actors import Actor
from workbench.services.ports import UnitOfWork, UserRecord
from workbench.services.separation import check_role_grant, guard_admin_account
from workbench.services.trail import record

TOTP = "totp"  # what sealed TOTP secrets are sealed for (security.sealing)

FIRST_ADMIN_ROLE = "系统管理员"
USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{1,31}$")
RESERVED = frozenset({"system", "admin", "root", "local"})
EDITABLE = frozenset({"display_name", "role", "organisation", "projects"})


@dataclass(frozen=True)
class UserInfo:
    """An account as the admin page shows it (never the password hash or the TOTP secret)."""

    username: str
    display_name: str
    role: str
    organisation: str
    projects: tuple[str, ...]
    active: bool
    locked_until: datetime | None
    totp_enabled: bool
    must_change_password: bool
    password_changed_at: datetime
    last_login_at: datetime | None
    version: int


@dataclass(frozen=True)
class TotpSetup:
    secret: str
    uri: str  # otpauth://… for a QR code in the authenticator app


def info(user: UserRecord) -> UserInfo:
    return UserInfo(
        username=user.username,
        display_name=user.display_name,
        role=user.role,
        organisation=user.organisation,
        projects=user.projects,
        active=user.active,
        locked_until=user.locked_until,
        totp_enabled=bool(user.totp_secret),
        must_change_password=user.must_change_password,
        password_changed_at=user.password_changed_at,
        last_login_at=user.last_login_at,
        version=user.version,
    )


def public(user: UserRecord) -> dict[str, Any]:
    """The fields an audit record shows of an account."""
    return {
        "display_name": user.display_name,
        "role": user.role,
        "organisation": user.organisation,
        "projects": list(user.projects),
        "active": user.active,
        "totp": bool(user.totp_secret),
        "locked": user.locked_until is not None,
    }


def now_utc() -> datetime:
    return datetime.now(UTC)


# --- first start -------------------------------------------------------------------------------


def needs_first_admin(uow: UnitOfWork) -> bool:
    """True while the database holds no account (the app then asks for the first administrator)."""
    with uow:
        return uow.users.count() == 0


def create_first_admin(uow: UnitOfWork, username: str, display_name: str, password: str) -> UserInfo:
    """The first account, a 系统管理员; refused once any account exists."""
    with uow:
        uow.audit.lock()  # two first starts at once: the second waits, then finds an account
        if uow.users.count():
            raise Conflict("已存在用户账号：首个管理员只能在没有任何账号时创建，请用已有管理员账号登录")
        user = _new_user(uow, username, display_name, FIRST_ADMIN_ROLE, password, "", ())
        me = Actor(user.username, user.display_name, user.role)
        saved = uow.users.add(user, me)
        record(uow, me, "创建首个管理员", f"用户 {saved.username}", after=public(saved))
        uow.commit()
    return info(saved)


# --- administration (users.manage) ------------------------------------------------------------


def list_users(uow: UnitOfWork, actor: Actor) -> list[UserInfo]:
    """Every account: for the 系统管理员 (users.manage), and the 安全管理员 who assigns roles."""
    with uow:
        if "roles.manage" not in permissions_of(uow, actor):
            require(uow, actor, "users.manage", what="用户列表")
        return [info(u) for u in uow.users.all()]


def add_user(
    uow: UnitOfWork,
    actor: Actor,
    username: str,
    display_name: str,
    role: str,
    password: str,
    *,
    organisation: str = "",
    projects: Iterable[str] = (),
    confirmed_by: Actor | None = None,
) -> UserInfo:
    """A new account; it must change its password at first sign-in (the admin knows it).  An
    administrator account only as ``services.separation`` allows (``confirmed_by``)."""
    with uow:
        require(uow, actor, "users.manage", what=f"用户 {username}")
        role = str(role or "").strip()
        note = guard_admin_account(uow, actor, username, role, "创建", confirmed_by, creating=True)
        user = _new_user(uow, username, display_name, role, password, organisation, tuple(projects))
        user = UserRecord(**{**user.__dict__, "must_change_password": True})
        saved = uow.users.add(user, actor)
        record(uow, actor, "新增用户", f"用户 {saved.username}", after=public(saved), detail=note)
        uow.commit()
    return info(saved)


def update_user(
    uow: UnitOfWork, actor: Actor, username: str, changes: Mapping[str, Any], expected_version: int
) -> UserInfo:
    """Change display name, role, organisation or projects (``UserInfo.version`` as shown)."""
    unknown = sorted(set(changes) - EDITABLE)
    if unknown:
        raise InvalidInput(f"不能在此修改：{'、'.join(unknown)}（密码、停用、动态验证码各有专门操作）")
    with uow:
        user = _get_for(uow, actor, username, "users.manage")
        values = _checked_fields(uow, changes)
        if values.get("role", user.role) == user.role:
            values.pop("role", None)
        if set(values) - {"role"}:
            require(uow, actor, "users.manage", what=f"用户 {username}")
            if username != actor.username:
                guard_admin_account(uow, actor, username, user.role, "修改", None)
        if "role" in values:
            check_role_grant(uow, actor, user.username, user.role, values["role"])
            _not_self(actor, username, "修改自己的角色")
        saved = uow.users.update(username, values, actor, expected_version)
        record(uow, actor, "修改用户", f"用户 {username}", before=public(user), after=public(saved))
        if "role" in values:
            end_sessions(uow, actor, username, "角色已变更")
        uow.commit()
    return info(saved)


def set_active(
    uow: UnitOfWork, actor: Actor, username: str, active: bool, *, confirmed_by: Actor | None = None
) -> UserInfo:
    """停用 (every session of the account ends) or 启用 an account."""
    with uow:
        require(uow, actor, "users.manage", what=f"用户 {username}")
        user = _get(uow, username)
        what = "启用" if active else "停用"
        note = guard_admin_account(uow, actor, username, user.role, what, confirmed_by)
        if not active:
            _not_self(actor, username, "停用自己的账号")
            _keep_an_admin(uow, user, "停用")
        saved = uow.users.update(username, {"active": active}, actor)
        record(
            uow,
            actor,
            f"{what}用户",
            f"用户 {username}",
            before=public(user),
            after=public(saved),
            detail=note,
        )
        if not active:
            end_sessions(uow, actor, username, "账号已停用")
        uow.commit()
    return info(saved)


def reset_password(
    uow: UnitOfWork, actor: Actor, username: str, new_password: str, *, confirmed_by: Actor | None = None
) -> UserInfo:
    """Set a new password for someone who forgot theirs; it also lifts a lock and ends every
    session of the account.  They must change it at their next sign-in."""
    with uow:
        require(uow, actor, "users.manage", what=f"用户 {username}")
        user = _get(uow, username)
        note = guard_admin_account(uow, actor, username, user.role, "重置密码", confirmed_by)
        check_complexity(new_password, uow.settings.get().policy, username)
        changes = {**_password_columns(new_password), "must_change_password": True}
        saved = uow.users.update(username, {**changes, "failed_logins": [], "locked_until": None}, actor)
        record(
            uow, actor, "重置密码", f"用户 {username}", before=public(user), after=public(saved), detail=note
        )
        end_sessions(uow, actor, username, "密码已被重置")
        uow.commit()
    return info(saved)


def unlock(uow: UnitOfWork, actor: Actor, username: str) -> UserInfo:
    """Lift a lockout (any account: it grants nothing the owner's password does not)."""
    with uow:
        require(uow, actor, "users.manage", what=f"用户 {username}")
        user = _get(uow, username)
        saved = uow.users.update(username, {"failed_logins": [], "locked_until": None}, actor)
        record(uow, actor, "解锁用户", f"用户 {username}", before=public(user), after=public(saved))
        uow.commit()
    return info(saved)


# --- one's own account -------------------------------------------------------------------------


def change_password(
    uow: UnitOfWork, actor: Actor, old_password: str, new_password: str, *, keep_session: str = ""
) -> UserInfo:
    """Change one's own password: the old one must be right; the new one meets the policy.
    Every other session of the account ends (``keep_session``: the one making the change)."""
    with uow:
        user = _get(uow, actor.username)
        if not verify_password(user.password_hash, old_password):
            record(uow, actor, "修改密码", f"用户 {actor.username}", result="失败", detail="原密码错误")
            uow.commit()
            raise InvalidInput("原密码不正确，密码未修改")
        if old_password == new_password:
            raise InvalidInput("新密码不能与原密码相同")
        check_complexity(new_password, uow.settings.get().policy, actor.username)
        saved = uow.users.update(actor.username, _password_columns(new_password), actor)
        record(uow, actor, "修改密码", f"用户 {actor.username}")
        end_sessions(uow, actor, actor.username, "密码已修改", keep=keep_session)
        uow.commit()
    return info(saved)


def start_totp(actor: Actor) -> TotpSetup:
    """A fresh secret to show as a QR code; nothing is stored until ``enable_totp`` confirms it."""
    secret = totp.new_secret()
    return TotpSetup(secret, totp.provisioning_uri(secret, actor.username))


def enable_totp(uow: UnitOfWork, actor: Actor, secret: str, code: str) -> UserInfo:
    """Turn on the second factor for one's own account, once a code from the app matches."""
    if not totp.verify(secret, code):
        raise InvalidInput("动态验证码不正确：请核对手机时间，并输入验证器当前显示的 6 位数字")
    with uow:
        user = _get(uow, actor.username)
        saved = uow.users.update(actor.username, {"totp_secret": sealing.seal(secret, TOTP)}, actor)
        record(
            uow, actor, "启用动态验证码", f"用户 {actor.username}", before=public(user), after=public(saved)
        )
        uow.commit()
    return info(saved)


def disable_totp(
    uow: UnitOfWork,
    actor: Actor,
    username: str,
    password: str = "",
    *,
    confirmed_by: Actor | None = None,
) -> UserInfo:
    """Turn the second factor off: one's own (the password confirms it), or (``users.manage``)
    someone's who lost the phone (an administrator's only as ``services.separation`` allows)."""
    with uow:
        if username == actor.username:
            user = _get(uow, username)
            if not verify_password(user.password_hash, password):
                what = f"用户 {username}"
                record(uow, actor, "停用动态验证码", what, result="失败", detail="密码错误")
                uow.commit()
                raise InvalidInput("密码不正确，动态验证码未停用")
        else:
            require(uow, actor, "users.manage", what=f"用户 {username}")
            user = _get(uow, username)
            guard_admin_account(uow, actor, username, user.role, "停用动态验证码", confirmed_by)
        saved = uow.users.update(username, {"totp_secret": None}, actor)
        record(uow, actor, "停用动态验证码", f"用户 {username}", before=public(user), after=public(saved))
        uow.commit()
    return info(saved)


# --- shared ------------------------------------------------------------------------------------


def _get_for(uow: UnitOfWork, actor: Actor, username: str, permission: str) -> UserRecord:
    """The account, once the actor's role holds ``permission`` or ``roles.manage`` (what each
    may change is checked after)."""
    if "roles.manage" not in permissions_of(uow, actor):
        require(uow, actor, permission, what=f"用户 {username}")
    return _get(uow, username)


def end_sessions(uow: UnitOfWork, who: Actor, username: str, reason: str, *, keep: str = "") -> None:
    """Inside an open unit of work: end every session of ``username`` (but ``keep``), audited."""
    ended = uow.sessions.end_all(username, reason, now_utc(), keep=keep)
    if ended:
        record(uow, who, "结束会话", f"用户 {username}", detail=f"{reason}：结束 {ended} 个会话")


def _get(uow: UnitOfWork, username: str) -> UserRecord:
    user = uow.users.get(username)
    if user is None:
        raise NotFound(f"找不到用户“{username}”")
    return user


def _password_columns(password: str) -> dict[str, Any]:
    return {
        "password_hash": hash_password(password),
        "password_changed_at": now_utc(),
        "must_change_password": False,
    }


def _new_user(
    uow: UnitOfWork,
    username: str,
    display_name: str,
    role: str,
    password: str,
    organisation: str,
    projects: tuple[str, ...],
) -> UserRecord:
    username = username.strip()
    if not USERNAME.match(username) or username.lower() in RESERVED:
        raise InvalidInput(
            f"用户名“{username}”无效：须为 2–32 位字母、数字或 . _ @ -，以字母或数字开头，且不能是保留名"
        )
    if uow.users.get(username) is not None:
        raise Conflict(f"用户名“{username}”已存在，请换一个")
    values = _checked_fields(
        uow, {"display_name": display_name, "role": role, "organisation": organisation, "projects": projects}
    )
    check_complexity(password, uow.settings.get().policy, username)
    return UserRecord(username=username, **values, **_password_columns(password))


def _checked_fields(uow: UnitOfWork, changes: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(changes)
    if "display_name" in out:
        out["display_name"] = str(out["display_name"]).strip()
        if not out["display_name"] or len(out["display_name"]) > 64:
            raise InvalidInput("姓名不能为空，且不超过 64 个字")
    if "role" in out and uow.roles.table().role(out["role"]) is None:
        names = "、".join(r.name for r in uow.roles.table().roles)
        raise InvalidInput(f"角色“{out['role']}”不存在，可选：{names}")
    if "organisation" in out:
        out["organisation"] = str(out["organisation"] or "").strip()
    if "projects" in out:
        out["projects"] = tuple(dict.fromkeys(str(p).strip() for p in out["projects"] if str(p).strip()))
        unknown = [p for p in out["projects"] if p not in uow.projects.names()]
        if unknown:
            raise InvalidInput(f"项目 {'、'.join(unknown)} 不存在")
    return out


def _not_self(actor: Actor, username: str, what: str) -> None:
    if actor.username == username:
        raise Forbidden(f"不能{what}；请由另一位管理员操作")


def _keep_an_admin(uow: UnitOfWork, user: UserRecord, what: str) -> None:
    """Never leave the workbench without an active account that can manage users."""
    if not uow.roles.table().allows(user.role, "users.manage"):
        return
    others = [
        u
        for u in uow.users.all()
        if u.username != user.username and u.active and uow.roles.table().allows(u.role, "users.manage")
    ]
    if not others:
        raise Conflict(f"用户“{user.username}”是唯一启用的系统管理员，不能{what}；请先另设一位系统管理员")
