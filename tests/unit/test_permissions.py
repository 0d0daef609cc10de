"""The role table: least privilege and the separation of the three administrators."""

import pytest

from workbench.domain.permissions import RoleTable
from workbench.errors import Forbidden
from workbench.security.roles import default_role_table


@pytest.fixture(scope="module")
def table():
    return default_role_table()


@pytest.mark.parametrize(
    ("role", "permission", "allowed"),
    [
        ("评价人员", "evaluation.score", True),
        ("评价人员", "workflow.finalize", False),
        ("复核人", "workflow.finalize", True),
        ("复核人", "evaluation.score", False),
        ("项目单位", "evidence.upload", True),
        ("项目单位", "evaluation.score", False),
        ("领导", "evaluation.view", True),
        ("领导", "evaluation.score", False),
        ("系统管理员", "users.manage", True),
        ("系统管理员", "audit.view", False),
        ("系统管理员", "evaluation.score", False),
        ("安全管理员", "roles.manage", True),
        ("安全管理员", "users.manage", False),
        ("审计管理员", "audit.view", True),
        ("审计管理员", "evaluation.score", False),
    ],
)
def test_default_role_table(table, role, permission, allowed):
    assert table.allows(role, permission) is allowed


def test_require_refuses_in_chinese(table):
    with pytest.raises(Forbidden, match="角色“领导”无权评分"):
        table.require("领导", "evaluation.score")


def test_project_units_see_only_their_own_projects(table):
    assert table.scope("项目单位") == "own"
    assert table.scope("评价人员") == "all"


def test_an_admin_role_cannot_also_hold_business_powers():
    with pytest.raises(ValueError, match="三员分立"):
        RoleTable.model_validate(
            {"roles": [{"name": "审计管理员", "permissions": ["audit.view", "evaluation.score"]}]}
        )


def test_nobody_may_hold_audit_powers_with_other_powers():
    with pytest.raises(ValueError, match="三员分立"):
        RoleTable.model_validate(
            {"roles": [{"name": "超级用户", "permissions": ["audit.view", "users.manage"]}]}
        )


def test_unknown_permissions_are_refused():
    with pytest.raises(ValueError, match=r"未知的权限：audit\.delete"):
        RoleTable.model_validate({"roles": [{"name": "x", "permissions": ["audit.delete"]}]})
