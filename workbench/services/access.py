"""Permissions enforced inside the services: the stored role table decides, not the UI.

Every service calls ``require`` inside its unit of work before reading or changing anything.
A refusal raises ``Denied`` (a ``Forbidden``) with a Chinese message; the unit of work records
it in the audit log (event 越权操作, result 失败) after rolling the refused action back.

Roles with scope ``own`` (项目单位) reach only the projects listed on their account; scope
``none`` (the three administrators) reaches no project at all.

The command line runs as the pseudo-role 系统 (``SYSTEM_ROLE``): the server's operator, who can
read the database file anyway.  It holds the maintenance powers below (import and list cases,
users, backup, audit verification) and no business power; exporting the audit log needs an
审计管理员 to sign in (``workbench audit export --auditor``), as the three-admin separation asks: it cannot score, edit
findings or move the workflow; those need a signed-in user.

Within ``one_request()`` (a page run of the app) the role table is read once, by the first
service that asks, and every later check of that request decides by the same table — the
usual request-scoped authorisation, and one query instead of one per service call.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import NoReturn

from workbench.domain.permissions import PERMISSION_LABELS, RoleTable
from workbench.errors import Forbidden
from workbench.services.actors import Actor
from workbench.services.ports import FAILURE, AuditEntry, UnitOfWork
from workbench.services.trail import entry

SYSTEM_ROLE = "系统"
SYSTEM_POWERS = frozenset(
    {
        "evaluation.view",
        "evaluation.create",
        "rectification.view",
        "evaluation.report",
        "users.manage",
        "backup.run",
        "audit.view",
    }
)
DENIED_EVENT = "越权操作"


class Denied(Forbidden):
    """A refusal by the role table or the project scope; carries its audit record."""

    def __init__(self, message: str, audit_entry: AuditEntry):
        super().__init__(message)
        self.audit_entry: AuditEntry | None = audit_entry


# The role table of the request in progress (a list holding it once read), or None outside one.
_REQUEST: ContextVar[list[RoleTable] | None] = ContextVar("role_table_of_request", default=None)


@contextmanager
def one_request() -> Iterator[None]:
    """Every permission check inside the block decides by the role table as first read in it."""
    token = _REQUEST.set([])
    try:
        yield
    finally:
        _REQUEST.reset(token)


def role_table(uow: UnitOfWork) -> RoleTable:
    held = _REQUEST.get()
    if held:
        return held[0]
    table = uow.roles.table()
    if held is not None:
        held.append(table)
    return table


def permissions_of(uow: UnitOfWork, actor: Actor) -> frozenset[str]:
    """What the actor's role may do (for the UI to hide what would be refused anyway)."""
    if actor.role == SYSTEM_ROLE:
        return SYSTEM_POWERS
    found = role_table(uow).role(actor.role)
    return frozenset(found.permissions) if found else frozenset()


def scope_of(uow: UnitOfWork, actor: Actor) -> str:
    return "all" if actor.role == SYSTEM_ROLE else role_table(uow).scope(actor.role)


def visible_projects(uow: UnitOfWork, actor: Actor) -> frozenset[str] | None:
    """The project ids the actor may reach; None means every project."""
    scope = scope_of(uow, actor)
    if scope == "all":
        return None
    if scope == "none":
        return frozenset()
    user = uow.users.get(actor.username)
    return frozenset(user.projects) if user and user.active else frozenset()


def require(
    uow: UnitOfWork, actor: Actor, permission: str, *, project: str | None = None, what: str = ""
) -> None:
    """Refuse unless the actor's role holds ``permission`` (and reaches ``project``, when given).

    ``what`` names the object for the audit record of a refusal (e.g. "评价 e1 / 指标 B21").
    """
    label = PERMISSION_LABELS.get(permission, permission)
    if permission not in permissions_of(uow, actor):
        deny(actor, f"角色“{actor.role}”无权{label}", label, what)
    if project is not None:
        reachable = visible_projects(uow, actor)
        if reachable is not None and project not in reachable:
            deny(
                actor,
                f"账号“{actor.username}”（{actor.role}）只能访问本单位的项目，无权访问项目“{project}”",
                label,
                what or f"项目 {project}",
            )


def require_first(uow: UnitOfWork, actor: Actor, permission: str, *, what: str = "") -> None:
    """``require`` in a unit of work of its own: the check before an uploaded file is read."""
    with uow:
        require(uow, actor, permission, what=what)


def deny(actor: Actor, message: str, label: str, what: str) -> NoReturn:
    """Refuse with ``message``; the refusal of ``label`` (e.g. 评分) on ``what`` is audited."""
    audit = entry(actor, DENIED_EVENT, what or label, detail=f"{label}：{message}", result=FAILURE)
    raise Denied(message, audit)
