"""The 安全管理员's tools: the role table (who may do what) and the security settings.

The three administrator roles (系统管理员, 安全管理员, 审计管理员) keep exactly their fixed powers
and reach no project (三员分立); every other role may be changed, added or removed (unless an
account still holds it).  The password policy may be tightened, never loosened below the floor
the workbench promises (≥8 characters of ≥3 classes, idle timeout ≤30 minutes).  Every change is
audited with the role or the figures before and after.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

from pydantic import Field, ValidationError

from workbench.domain.base import StrictModel
from workbench.domain.messages import first_error, translate
from workbench.domain.permissions import ADMIN_PERMISSIONS, PERMISSION_LABELS, Role, RoleTable
from workbench.errors import Conflict, InvalidInput, Problem
from workbench.security.passwords import PasswordPolicy
from workbench.services.access import SYSTEM_ROLE, permissions_of, require
from workbench.services.actors import Actor
from workbench.services.forms import parse
from workbench.services.ports import RoleVersions, Settings, UnitOfWork
from workbench.services.trail import record

POLICY_LABELS = {
    "min_length": "密码最少位数",
    "min_classes": "密码最少字符类别数",
    "max_failures": "连续登录失败锁定次数",
    "lockout_minutes": "锁定时长（分钟）",
    "idle_timeout_minutes": "空闲超时（分钟）",
    "max_age_days": "密码有效期（天，0 为不限）",
}


class PolicyForm(StrictModel):
    """The password policy as the 安全管理员 may set it (bounds keep the 等保 floor)."""

    min_length: int = Field(ge=8, le=128)
    min_classes: int = Field(ge=3, le=4)
    max_failures: int = Field(ge=1, le=10)
    lockout_minutes: int = Field(ge=1, le=1440)
    idle_timeout_minutes: int = Field(ge=1, le=30)
    max_age_days: int = Field(ge=0, le=365)


def my_permissions(uow: UnitOfWork, actor: Actor) -> frozenset[str]:
    """What the signed-in person may do (the UI hides what the services would refuse anyway)."""
    with uow:
        return permissions_of(uow, actor)


def password_policy(uow: UnitOfWork) -> PasswordPolicy:
    """The policy in force (for the sign-in and change-password forms; not secret)."""
    with uow:
        return uow.settings.get().policy


# --- roles --------------------------------------------------------------------------------------


def role_table(uow: UnitOfWork, actor: Actor) -> RoleVersions:
    """The role table with each role's version (pass it back to ``save_role``/``delete_role``)."""
    with uow:
        require(uow, actor, "roles.manage", what="角色表")
        return uow.roles.with_versions()


def save_role(
    uow: UnitOfWork, actor: Actor, role: Role | Mapping[str, Any], expected_version: int
) -> RoleVersions:
    """Change a role's permissions or scope, or add a role (``expected_version`` 0)."""
    role = parse(Role, role, "角色")
    if role.name == SYSTEM_ROLE:
        raise InvalidInput(f"“{SYSTEM_ROLE}”是命令行使用的保留名称，不能作为角色名")
    with uow:
        require(uow, actor, "roles.manage", what=f"角色 {role.name}")
        current = uow.roles.with_versions()
        old = current.table.role(role.name)
        _check_admin_role(role)
        names = [r.name for r in current.table.roles]
        position = names.index(role.name) if old else len(names)
        roles = [r for r in current.table.roles if r.name != role.name]
        roles.insert(position, role)
        _validated(roles)
        _check_version(current, role.name, expected_version)
        uow.roles.save(role, position, expected_version, actor)
        record(uow, actor, "修改角色权限" if old else "新增角色", f"角色 {role.name}", before=old, after=role)
        uow.commit()
        return _reread(uow)


def delete_role(uow: UnitOfWork, actor: Actor, name: str, expected_version: int) -> RoleVersions:
    with uow:
        require(uow, actor, "roles.manage", what=f"角色 {name}")
        current = uow.roles.with_versions()
        old = current.table.role(name)
        if old is None:
            raise InvalidInput(f"角色“{name}”不存在")
        if name in ADMIN_PERMISSIONS:
            raise Conflict(f"“{name}”是三员之一，不能删除（等保要求系统、安全、审计管理员分立）")
        holders = [u.username for u in uow.users.all() if u.role == name]
        if holders:
            raise Conflict(f"仍有账号使用角色“{name}”：{'、'.join(holders)}；请先为这些账号改设其他角色")
        _check_version(current, name, expected_version)
        uow.roles.delete(name, expected_version)
        record(uow, actor, "删除角色", f"角色 {name}", before=old)
        uow.commit()
        return _reread(uow)


def _check_admin_role(role: Role) -> None:
    fixed = ADMIN_PERMISSIONS.get(role.name)
    if fixed is None:
        return
    if set(role.permissions) != fixed or role.scope != "none":
        powers = "、".join(PERMISSION_LABELS[p] for p in sorted(fixed))
        raise InvalidInput(f"“{role.name}”的权限固定为：{powers}，且不能访问项目数据（三员分立）")


def _validated(roles: list[Role]) -> RoleTable:
    try:
        return RoleTable(roles=roles)
    except ValidationError as exc:
        raise InvalidInput([Problem(first_error(exc), place="角色表")]) from exc


def _check_version(current: RoleVersions, name: str, expected: int) -> None:
    now = current.versions.get(name, 0)
    if now != expected:
        raise Conflict(
            f"角色“{name}”刚被其他人修改（当前为第 {now} 版，您看到的是第 {expected} 版）；请刷新后再改"
        )


def _reread(uow: UnitOfWork) -> RoleVersions:
    return uow.roles.with_versions()


# --- security settings --------------------------------------------------------------------------


def security_settings(uow: UnitOfWork, actor: Actor) -> Settings:
    with uow:
        require(uow, actor, "security.manage", what="安全设置")
        return uow.settings.get()


def save_security_settings(
    uow: UnitOfWork, actor: Actor, changes: Mapping[str, Any], expected_version: int
) -> Settings:
    """Change password-policy figures (``POLICY_LABELS`` names them) within the 等保 bounds."""
    with uow:
        require(uow, actor, "security.manage", what="安全设置")
        current = uow.settings.get()
        if current.version != expected_version:
            raise Conflict("安全设置刚被其他人修改，本次修改未保存；请刷新页面查看最新设置后再改")
        policy = _policy({**asdict(current.policy), **changes})
        saved = uow.settings.save(policy, expected_version, actor)
        record(uow, actor, "修改安全设置", "安全设置", before=asdict(current.policy), after=asdict(policy))
        uow.commit()
    return saved


def _policy(values: Mapping[str, Any]) -> PasswordPolicy:
    try:
        form = PolicyForm.model_validate(dict(values))
    except ValidationError as exc:
        problems = [
            Problem(
                translate(err),
                place="安全设置",
                field=POLICY_LABELS.get(str(err["loc"][0]), str(err["loc"][0])),
            )
            for err in exc.errors()
        ]
        raise InvalidInput(problems) from exc
    return PasswordPolicy(**form.model_dump())
