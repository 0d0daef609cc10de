"""The role table: which role may do what, and on which projects.

The table is data (workbench/security/default_roles.yaml seeds it; the 安全管理员 maintains it).
Services ask ``RoleTable.require`` before acting, so a hidden button is never the only guard.
"""

from __future__ import annotations

import unicodedata
from typing import Literal

from pydantic import Field, field_validator, model_validator

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
    "rectification.view": "查看整改台账",
    "rectification.report": "报送整改情况",
    "rectification.manage": "管理整改事项",
    "rectification.close": "整改销号",
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
    if p.split(".")[0] in {"evaluation", "evidence", "selfeval", "panel", "workflow", "rectification"}
}


ADMIN_POWERS = frozenset().union(*ADMIN_PERMISSIONS.values())
ROLE_NAME_MAX = 32


def role_name(raw: object) -> str:
    """A role name as given, refused (``ValueError``) when it has spaces, control or format
    characters anywhere, or reads as one of the three administrator roles without being it
    (" 系统管理员", a full-width or compatibility look-alike)."""
    text = str(raw)
    if not text:
        raise ValueError("角色名称不能为空")
    if len(text) > ROLE_NAME_MAX:
        raise ValueError(f"角色名称不超过 {ROLE_NAME_MAX} 个字")
    if any(unicodedata.category(c)[0] in "ZC" for c in text):
        raise ValueError(f"角色名称“{text.strip()}”不能含空格、换行或不可见字符")
    folded = unicodedata.normalize("NFKC", text)
    if folded in ADMIN_PERMISSIONS and folded != text:
        raise ValueError(f"角色名称“{text}”与三员角色“{folded}”相似，不能使用")
    return text


class Role(StrictModel):
    name: str = Field(min_length=1)
    scope: Literal["all", "own", "none"] = "all"
    permissions: list[str] = Field(default=[])

    @field_validator("name", mode="before")
    @classmethod
    def _normalised(cls, value: object) -> str:
        return role_name(value)

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
        """三员分立 by construction: the three administrator roles exist, each with exactly its
        fixed powers and no project; no other role holds any administrator power (so none can be
        copied into a new role); names are unique."""
        names = [r.name for r in self.roles]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise ValueError(f"角色“{twice[0]}”重复")
        for admin, powers in ADMIN_PERMISSIONS.items():
            found = next((r for r in self.roles if r.name == admin), None)
            if found is None:
                raise ValueError(f"缺少“{admin}”角色（三员分立）")
            if set(found.permissions) != powers or found.scope != "none":
                labels = "、".join(PERMISSION_LABELS[p] for p in sorted(powers))
                raise ValueError(f"“{admin}”的权限固定为：{labels}，且不能访问项目数据（三员分立）")
        for role in self.roles:
            taken = sorted(ADMIN_POWERS & set(role.permissions))
            if role.name not in ADMIN_PERMISSIONS and taken:
                labels = "、".join(PERMISSION_LABELS[p] for p in taken)
                raise ValueError(
                    f"角色“{role.name}”不能拥有管理员的权限（{labels}）：这些权限只属于系统管理员、"
                    "安全管理员、审计管理员各自的固定角色（三员分立）"
                )
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
