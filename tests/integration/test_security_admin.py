"""The 安全管理员's role table and security settings, on SQLite and PostgreSQL: changes take effect
at once, the three administrators stay apart, the policy cannot drop below the floor, and every
change is audited with before and after."""

from __future__ import annotations

import pytest
from actors import CLI, EVALUATOR, LEADER, SECADMIN, YIYANG, add_accounts, audit_rows

from workbench.errors import Conflict, Forbidden, InvalidInput
from workbench.services import access, admin, auth, evaluations, users
from workbench.storage import migrate


def version(db, name: str) -> int:
    return admin.role_table(db.uow(), SECADMIN).versions.get(name, 0)


def test_the_role_table_starts_as_the_shipped_file(empty_db):
    from workbench.security.roles import default_role_table

    stored = admin.role_table(empty_db.uow(), SECADMIN)
    assert stored.table == default_role_table()
    assert set(stored.versions.values()) == {1}
    assert migrate.current(empty_db.engine) == migrate.head()


def test_a_new_role_is_added_audited_and_usable(seeded_db):
    admin.save_role(
        seeded_db.uow(), SECADMIN, {"name": "外聘专家", "permissions": ["evaluation.view", "panel.score"]}, 0
    )
    visitor = EVALUATOR.__class__("ext", "外聘专家甲", "外聘专家")

    assert evaluations.get_case(seeded_db.uow(), visitor, YIYANG).case.evaluation.id == YIYANG
    with pytest.raises(Forbidden, match="角色“外聘专家”无权评分"):
        evaluations.save_score(seeded_db.uow(), visitor, YIYANG, "B21", {}, 1)
    last = next(r for r in audit_rows(seeded_db) if r.event == "新增角色")
    assert (last.event, last.object, last.before, last.after["permissions"]) == (
        "新增角色",
        "角色 外聘专家",
        None,
        ["evaluation.view", "panel.score"],
    )


def test_taking_a_permission_away_is_audited_with_before_and_after(seeded_db):
    admin.save_role(
        seeded_db.uow(),
        SECADMIN,
        {"name": "领导", "permissions": ["evaluation.view"]},
        version(seeded_db, "领导"),
    )
    with pytest.raises(Forbidden, match="角色“领导”无权生成报告"):
        evaluations.report_case(seeded_db.uow(), LEADER, YIYANG)
    last = next(r for r in audit_rows(seeded_db) if r.event == "修改角色权限")
    assert last.object == "角色 领导" and "dashboard.view" in last.before["permissions"]
    assert last.after["permissions"] == ["evaluation.view"]


def test_one_request_decides_by_the_role_table_it_read_first_and_the_next_reads_it_again(seeded_db):
    with access.one_request():  # a page run of the app
        assert evaluations.report_case(seeded_db.uow(), LEADER, YIYANG).case.evaluation.id == YIYANG
        admin.save_role(
            seeded_db.uow(),
            SECADMIN,
            {"name": "领导", "permissions": ["evaluation.view"]},
            version(seeded_db, "领导"),
        )
        assert evaluations.report_case(seeded_db.uow(), LEADER, YIYANG).case.evaluation.id == YIYANG

    with pytest.raises(Forbidden, match="角色“领导”无权生成报告"):  # the next run, and any call outside one
        evaluations.report_case(seeded_db.uow(), LEADER, YIYANG)
    with access.one_request(), pytest.raises(Forbidden, match="角色“领导”无权生成报告"):
        evaluations.report_case(seeded_db.uow(), LEADER, YIYANG)


@pytest.mark.parametrize(
    ("role", "message"),
    [
        ({"name": "审计管理员", "scope": "none", "permissions": ["audit.view"]}, "“审计管理员”的权限固定为"),
        (
            {
                "name": "系统管理员",
                "scope": "all",
                "permissions": ["users.manage", "config.manage", "backup.run"],
            },
            "不能访问项目数据",
        ),
        ({"name": "评价人员", "permissions": ["evaluation.score", "audit.view"]}, "三员分立"),
        ({"name": "评价人员", "permissions": ["evaluation.fly"]}, "未知的权限：evaluation.fly"),
        ({"name": "系统", "permissions": []}, "保留名称"),
    ],
)
def test_the_three_administrators_stay_apart_and_unknown_powers_are_refused(seeded_db, role, message):
    before = admin.role_table(seeded_db.uow(), SECADMIN)
    with pytest.raises(InvalidInput, match=message):
        admin.save_role(seeded_db.uow(), SECADMIN, role, version(seeded_db, role["name"]))
    assert admin.role_table(seeded_db.uow(), SECADMIN) == before


def test_a_role_still_held_by_an_account_cannot_be_deleted(seeded_db):
    add_accounts(seeded_db, LEADER)
    with pytest.raises(Conflict, match="仍有账号使用角色“领导”：chen"):
        admin.delete_role(seeded_db.uow(), SECADMIN, "领导", version(seeded_db, "领导"))
    with pytest.raises(Conflict, match="三员之一，不能删除"):
        admin.delete_role(seeded_db.uow(), SECADMIN, "审计管理员", version(seeded_db, "审计管理员"))
    admin.delete_role(seeded_db.uow(), SECADMIN, "专家", version(seeded_db, "专家"))
    assert admin.role_table(seeded_db.uow(), SECADMIN).table.role("专家") is None


def test_two_security_administrators_editing_one_role_the_second_gets_a_conflict(seeded_db):
    seen = version(seeded_db, "专家")
    admin.save_role(seeded_db.uow(), SECADMIN, {"name": "专家", "permissions": ["evaluation.view"]}, seen)
    with pytest.raises(Conflict, match="角色“专家”刚被其他人修改"):
        admin.save_role(seeded_db.uow(), SECADMIN, {"name": "专家", "permissions": []}, seen)


def test_a_tighter_policy_applies_to_the_next_password_and_the_next_login(empty_db):
    settings = admin.security_settings(empty_db.uow(), SECADMIN)
    admin.save_security_settings(
        empty_db.uow(),
        SECADMIN,
        {"min_length": 12, "max_failures": 3, "lockout_minutes": 60},
        settings.version,
    )

    with pytest.raises(InvalidInput, match="密码至少 12 位，当前 11 位"):
        users.add_user(empty_db.uow(), CLI, "zhang", "张评价", "评价人员", "Nb#7kq-Lwz2")
    users.add_user(empty_db.uow(), CLI, "zhang", "张评价", "评价人员", "Nb#7kq-Lwz29")
    for _ in range(3):
        with pytest.raises(InvalidInput, match="用户名或密码错误"):
            auth.login(empty_db.uow(), "zhang", "Wrong#pass12")
    with pytest.raises(Forbidden, match="连续 3 次登录失败，账号已锁定 60 分钟"):
        auth.login(empty_db.uow(), "zhang", "Nb#7kq-Lwz29")
    last = [r for r in audit_rows(empty_db) if r.event == "修改安全设置"][-1]
    assert (last.before["min_length"], last.after["min_length"]) == (8, 12)


def test_the_policy_cannot_be_loosened_below_the_floor(empty_db):
    settings = admin.security_settings(empty_db.uow(), SECADMIN)
    with pytest.raises(InvalidInput) as refused:
        admin.save_security_settings(
            empty_db.uow(),
            SECADMIN,
            {"min_length": 6, "min_classes": 2, "idle_timeout_minutes": 120},
            settings.version,
        )
    assert refused.value.messages == [
        "安全设置，字段「密码最少位数」：不能小于 8，填写的是 6",
        "安全设置，字段「密码最少字符类别数」：不能小于 3，填写的是 2",
        "安全设置，字段「空闲超时（分钟）」：不能大于 30，填写的是 120",
    ]
    assert admin.password_policy(empty_db.uow()) == settings.policy
