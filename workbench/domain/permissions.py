"""The role table: which role may do what, and on which projects.

The table is data (workbench/security/default_roles.yaml seeds it; the 安全管理员 maintains it).
Services ask ``RoleTable.require`` before acting, so a hidden button is never the only guard.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from workbench.domain.base import StrictModel
from workbench.errors import Forbidden

PERMISSION_LABELS = {
    "evaluation.view": "查看评价",
    "evaluation.create": "新建评价",
    "evaluation.score": "评分",
    "evaluation.findings": "编辑问题与建议",
    "evaluation.report": "生成报告",
    "evidence.view": "查看佐证材料",
    "evidence.upload": "上传佐证材料",
    "selfeval.view": "查看自评表",
    "selfeval.submit": "填报自评表",
    "panel.score": "专家评分",
    "workflow.submit": "提交复核",
    "workflow.return": "退回修改",
    "workflow.review": "复核通过",
    "workflow.finalize": "定稿",
    "workflow.reopen": "重新打开",
    "dashboard.view": "查看领导看板",
    "users.manage": "管理用户",
    "config.manage": "管理配置",
    "backup.run": "备份与恢复",
    "roles.manage": "管理角色与权限",
    "security.manage": "管理安全设置",
    "audit.view": "查看审计日志",
    "audit.export": "导出审计日志",
}
ADMIN_PERMISSIONS = {
    "系统管理员": {"users.manage", "config.manage", "backup.run"},
    "安全管理员": {"roles.manage", "security.manage"},
    "审计管理员": {"audit.view", "audit.export"},
}
BUSINESS = {
    p
    for p in PERMISSION_LABELS
    if p.split(".")[0] in {"evaluation", "evidence", "selfeval", "panel", "workflow"}
}


class Role(StrictModel):
    name: str = Field(min_length=1)
    scope: Literal["all", "own", "none"] = "all"
    permissions: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _known(self) -> Role:
        unknown = [p for p in self.permissions if p not in PERMISSION_LABELS]
        if unknown:
            raise ValueError(f"未知的权限：{'、'.join(unknown)}")
        return self


class RoleTable(StrictModel):
    roles: list[Role]

    @model_validator(mode="after")
    def _three_admins_apart(self) -> RoleTable:
        """三员分立: an admin role holds only its own powers, and no business or audit powers of others."""
        for role in self.roles:
            held = set(role.permissions)
            for admin, powers in ADMIN_PERMISSIONS.items():
                if role.name != admin and held & powers and (held - powers):
                    raise ValueError(f"角色“{role.name}”不能同时拥有{admin}的权限和其他权限（三员分立）")
            if role.name in ADMIN_PERMISSIONS and held & BUSINESS:
                raise ValueError(f"{role.name}不能拥有业务数据的操作权限（三员分立）")
        return self

    def role(self, name: str) -> Role | None:
        return next((r for r in self.roles if r.name == name), None)

    def allows(self, role: str, permission: str) -> bool:
        found = self.role(role)
        return bool(found and permission in found.permissions)

    def require(self, role: str, permission: str) -> None:
        if not self.allows(role, permission):
            label = PERMISSION_LABELS.get(permission, permission)
            raise Forbidden(f"角色“{role}”无权{label}")

    def scope(self, role: str) -> str:
        found = self.role(role)
        return found.scope if found else "none"
