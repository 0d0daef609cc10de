"""三员分立 for accounts: who may create, reset, disable or change an administrator's account.

The three administrator roles (系统管理员, 安全管理员, 审计管理员) watch one another, so no one of
them may, alone, take over or remove another administrator:

* In the app nobody creates, resets, disables, re-enables, edits, grants or removes an
  administrator account (their own password and second factor excepted).  The 系统管理员 runs
  the business accounts; the 安全管理员 alone changes an account's role (``roles.manage``), and
  only between business roles.
* From the command line the server's operator (role 系统) does it, with a second person: an
  administrator of another of the three roles signs in to confirm (``--confirm-by``) — a
  安全管理员 or 审计管理员, never the 系统管理员 (usually the operator himself), never one of the
  target's own role, never the target.  Both names are in the audit record.
* Bootstrap: while a role has no active holder, the operator alone creates its first holder (the
  first 系统管理员 is created on first start); that too is audited.
"""

from __future__ import annotations

from workbench.domain.permissions import ADMIN_PERMISSIONS
from workbench.errors import Forbidden
from workbench.services.access import SYSTEM_ROLE, deny, require
from workbench.services.actors import Actor
from workbench.services.ports import UnitOfWork

ADMIN_ROLES = frozenset(ADMIN_PERMISSIONS)
CONFIRMERS = frozenset({"安全管理员", "审计管理员"})
PROCEDURE = (
    "须由服务器操作员在命令行办理（workbench user …），并由另一位安全管理员或审计管理员"
    "以 --confirm-by 登录确认（三员分立）"
)


def is_admin(role: str) -> bool:
    return role in ADMIN_ROLES


def guard_admin_account(
    uow: UnitOfWork,
    actor: Actor,
    target: str,
    target_role: str,
    what: str,
    confirmed_by: Actor | None,
    *,
    creating: bool = False,
) -> str:
    """Refuse ``what`` on the administrator account ``target`` unless done as this module says;
    returns the note the audit record carries (who confirmed, or that it was a bootstrap)."""
    if not is_admin(target_role):
        return ""
    if actor.role != SYSTEM_ROLE:
        deny(actor, f"管理员账号（{target_role}）不能在网页中{what}：{PROCEDURE}", what, f"用户 {target}")
    if creating and not _has_active_holder(uow, target_role):
        return f"首个{target_role}账号，由服务器操作员创建"
    if confirmed_by is None:
        raise Forbidden(f"{what}管理员账号“{target}”（{target_role}）{PROCEDURE}")
    if confirmed_by.role not in CONFIRMERS or confirmed_by.role == target_role:
        raise Forbidden(
            f"确认人“{confirmed_by.username}”是{confirmed_by.role}：{what}{target_role}账号须由"
            f"{'或'.join(sorted(CONFIRMERS - {target_role}))}确认"
        )
    stored = uow.users.get(confirmed_by.username)
    if stored is None or not stored.active or stored.role != confirmed_by.role:
        raise Forbidden(f"确认人“{confirmed_by.username}”不是启用中的{confirmed_by.role}账号")
    if confirmed_by.username == target:
        raise Forbidden("确认人不能是被操作的账号本人")
    return f"经{confirmed_by.role} {confirmed_by.username} 确认"


def _has_active_holder(uow: UnitOfWork, role: str) -> bool:
    return any(u.role == role and u.active for u in uow.users.all())


def check_role_grant(uow: UnitOfWork, actor: Actor, username: str, old: str, new: str) -> None:
    """Only the 安全管理员 (``roles.manage``) changes an account's role, and never to or from one
    of the three administrator roles."""
    require(uow, actor, "roles.manage", what=f"用户 {username} 的角色")
    if is_admin(old) or is_admin(new):
        raise Forbidden(
            f"不能把“{username}”的角色由“{old}”改为“{new}”：管理员角色不能授予或撤销（三员分立）；"
            "管理员账号须由服务器操作员经另一位管理员确认后新建或停用"
        )
