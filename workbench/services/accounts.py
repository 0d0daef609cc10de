"""What the account pages show beside the user services: one's own account (个人设置) and the
choices of the 用户管理 form (roles, projects) for the 系统管理员, who holds ``users.manage`` but
may neither read the role table's permissions (安全管理员) nor any project (三员分立) — only
their names, to assign them."""

from __future__ import annotations

from workbench.errors import NotFound
from workbench.services.access import require
from workbench.services.actors import Actor
from workbench.services.ports import UnitOfWork
from workbench.services.separation import is_admin
from workbench.services.users import UserInfo, info


def my_account(uow: UnitOfWork, actor: Actor) -> UserInfo:
    """The signed-in person's own account (second factor on or off, password age)."""
    with uow:
        user = uow.users.get(actor.username)
    if user is None:
        raise NotFound(f"找不到账号“{actor.username}”，请重新登录")
    return info(user)


def role_names(uow: UnitOfWork, actor: Actor) -> list[str]:
    """The roles a new account may be given here, in the role table's order: not the three
    administrator roles (``services.separation``: those accounts are made on the command line)."""
    with uow:
        require(uow, actor, "users.manage", what="角色列表")
        return [r.name for r in uow.roles.table().roles if not is_admin(r.name)]


def project_names(uow: UnitOfWork, actor: Actor) -> dict[str, str]:
    """Project id → name, to give a 项目单位 account its projects."""
    with uow:
        require(uow, actor, "users.manage", what="项目列表")
        return dict(sorted(uow.projects.names().items()))
